"""Failure modes (failuremodes): named groups of published failure reports, read from
failuremodes.selectors (public modes only: at least one published report)."""

from datetime import datetime
from typing import Literal

from django.http import Http404
from django.urls import reverse
from ninja import Field, Router, Schema

from failuremodes import selectors as failure_mode_selectors

from .errors import NOT_FOUND
from .schemas import FactorRef, PublishedItemOut, Ref, SeverityName, absolute, page_url

router = Router(tags=["failure modes"])


class FailureModeReportOut(PublishedItemOut):
    slug: str
    title: str
    url: str
    api_url: str
    domain: Ref
    organization: str | None
    severity: SeverityName


class FailureModeOut(Schema):
    slug: str
    title: str
    url: str
    api_url: str
    status: Literal["open", "addressed"]
    severity: SeverityName = Field(description="The highest severity among its published reports.")
    factors: list[FactorRef] = Field(validation_alias="factor_list")
    reports: int
    domains: int = Field(validation_alias="domain_count")
    organizations: int = Field(validation_alias="organization_count")
    addressed_at: datetime | None
    addressed_by: str | None = Field(
        description="The URL of the published adaptation that addresses it."
    )
    updated_at: datetime

    resolve_url = staticmethod(page_url)

    @staticmethod
    def resolve_api_url(mode, context):
        return absolute(context["request"], reverse("api:failure_mode", args=[mode.slug]))

    @staticmethod
    def resolve_status(mode):
        return "addressed" if mode.is_addressed else "open"

    @staticmethod
    def resolve_reports(mode):
        return len(mode.published_reports)

    @staticmethod
    def resolve_addressed_at(mode):
        return mode.addressed_at if mode.is_addressed else None

    @staticmethod
    def resolve_addressed_by(mode, context):
        adaptation = mode.addressed_by if mode.is_addressed and mode.addressed_by else None
        if adaptation and adaptation.is_published:
            return page_url(adaptation, context)
        return None


class FailureModeDetailOut(FailureModeOut):
    what_happens_html: str
    detection_html: str
    prevention_html: str
    refinement_html: str
    report_list: list[FailureModeReportOut] = Field(validation_alias="published_reports")

    @staticmethod
    def resolve_refinement_html(mode):
        return mode.refinement_html if mode.is_addressed else ""


@router.get("/failure-modes", response=list[FailureModeOut])
def failure_modes(request):
    """Every public failure mode (at least one published report), by title, with its status
    (open or addressed), its severity at worst and how many reports, domains and
    organizations it groups."""
    return failure_mode_selectors.public_mode_list()


@router.get(
    "/failure-modes/{slug:slug}",
    response={200: FailureModeDetailOut, **NOT_FOUND},
    url_name="failure_mode",
)
def failure_mode(request, slug: str):
    """One public failure mode with its text and its published reports."""
    mode = failure_mode_selectors.public_mode(slug)
    if mode is None:
        raise Http404
    return mode
