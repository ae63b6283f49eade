"""Failure modes (failuremodes): named groups of published failure reports."""

from datetime import datetime
from typing import Literal

from django.http import Http404
from django.urls import reverse
from ninja import Field, Router, Schema

from failuremodes import selectors as failure_mode_selectors

from .errors import NOT_FOUND
from .schemas import FactorRef, Ref, SeverityName, absolute, factor_ref

router = Router(tags=["failure modes"])


class FailureModeReportOut(Schema):
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
    factors: list[FactorRef]
    reports: int
    domains: int
    organizations: int
    addressed_at: datetime | None
    addressed_by: str | None = Field(
        description="The URL of the published adaptation that addresses it."
    )
    updated_at: datetime


class FailureModeDetailOut(FailureModeOut):
    what_happens_html: str
    detection_html: str
    prevention_html: str
    refinement_html: str
    report_list: list[FailureModeReportOut]


def _failure_mode(request, mode, *, detail=False) -> dict:
    adaptation = mode.addressed_by if mode.is_addressed and mode.addressed_by else None
    data = {
        "slug": mode.slug,
        "title": mode.title,
        "url": absolute(request, mode.get_absolute_url()),
        "api_url": absolute(request, reverse("api:failure_mode", args=[mode.slug])),
        "status": "addressed" if mode.is_addressed else "open",
        "severity": mode.severity,
        "factors": [factor_ref(f) for f in mode.factor_list],
        "reports": len(mode.published_reports),
        "domains": mode.domain_count,
        "organizations": mode.organization_count,
        "addressed_at": mode.addressed_at if mode.is_addressed else None,
        "addressed_by": absolute(request, adaptation.get_absolute_url())
        if adaptation and adaptation.is_published
        else None,
        "updated_at": mode.updated_at,
    }
    if detail:
        data |= {
            "what_happens_html": mode.what_happens_html,
            "detection_html": mode.detection_html,
            "prevention_html": mode.prevention_html,
            "refinement_html": mode.refinement_html if mode.is_addressed else "",
            "report_list": [
                {
                    "slug": r.slug,
                    "title": r.title,
                    "url": absolute(request, r.get_absolute_url()),
                    "api_url": absolute(request, reverse("api:failure", args=[r.slug])),
                    "domain": {"slug": r.domain.slug, "name": r.domain.name},
                    "organization": r.organization.public_name if r.organization else None,
                    "severity": r.severity,
                }
                for r in mode.published_reports
            ],
        }
    return data


@router.get("/failure-modes", response=list[FailureModeOut])
def failure_modes(request):
    """Every public failure mode (at least one published report), by title, with its status
    (open or addressed), its severity at worst and how many reports, domains and
    organizations it groups."""
    return [_failure_mode(request, m) for m in failure_mode_selectors.public_mode_list()]


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
    return _failure_mode(request, mode, detail=True)
