"""The published evidence, one list and one detail endpoint per kind (cases/kinds.py).

Only published items, ever: a list is a page of the HTML list's filter (opendata.filtering,
over cases.filters: published rows only); a detail comes from opendata.selectors. The schemas
read the items themselves (with the relations each kind's `with_open_data_relations` joins).
"""

from datetime import date, datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from cases.kinds import KINDS

from .. import selectors
from .errors import ERRORS, NOT_FOUND
from .pagination import Page, PageParams, paginate
from .schemas import (
    DeploymentName,
    DirectionName,
    FactorRef,
    KindName,
    OutcomeName,
    PublishedItemOut,
    Ref,
    SeverityName,
    SortName,
    TierName,
    rounded,
)

router = Router(tags=["evidence"])


class ApplicationOut(Schema):
    factor: FactorRef
    outcome: OutcomeName
    note: str


class QuantifiedOut(Schema):
    metric: str  # as the author named it
    metric_slug: str | None  # the vocabulary metric (/api/v1/metrics); None: "other"
    before: Decimal
    after: Decimal
    unit: str
    relative_change: Decimal | None  # (after - before) / |before|; None when before is 0
    direction: DirectionName | None  # by the metric's better direction; None for "other"

    @staticmethod
    def resolve_metric_slug(result):
        return result.standard_metric.slug if result.standard_metric_id else None

    @staticmethod
    def resolve_relative_change(result):
        return rounded(result.relative_change)


def _published_case_study_slug(item) -> str | None:
    case_study = item.published_case_study()
    return case_study.slug if case_study is not None else None


class EvidenceOut(PublishedItemOut):
    kind: KindName = Field(validation_alias="KIND")
    slug: str
    title: str
    url: str
    api_url: str
    domain: Ref
    organization: str | None
    credit: str
    published_at: datetime | None
    # Its latest re-confirmation by its author (None: never re-confirmed), and whether it is
    # "ageing": not confirmed (published or re-confirmed) within EVIDENCE_AGEING_MONTHS.
    confirmed_at: datetime | None
    ageing: bool = Field(validation_alias="is_ageing")
    updated_at: datetime


class CaseStudyOut(EvidenceOut):
    summary: str
    deployment: DeploymentName
    duration_months: int | None
    team_size: int | None
    factors: list[ApplicationOut] = Field(validation_alias="applications")


class CaseStudyDetailOut(CaseStudyOut):
    context: str
    context_html: str
    approach: str
    approach_html: str
    results: str
    results_html: str
    lessons: str
    lessons_html: str
    quantified: list[QuantifiedOut]


class AdaptationOut(EvidenceOut):
    factor: FactorRef
    case_study: str | None

    resolve_case_study = staticmethod(_published_case_study_slug)


class AdaptationDetailOut(AdaptationOut):
    changes: str
    changes_html: str
    outcome: str
    outcome_html: str


class FailureOut(EvidenceOut):
    severity: SeverityName
    factors: list[FactorRef]
    case_study: str | None

    resolve_case_study = staticmethod(_published_case_study_slug)


class FailureDetailOut(FailureOut):
    symptom: str
    symptom_html: str
    impact: str
    impact_html: str
    root_cause: str
    root_cause_html: str
    detection: str
    detection_html: str
    prevention: str
    prevention_html: str


class ImplementationOut(Schema):
    factor: FactorRef
    note: str


class ReferenceImplementationOut(EvidenceOut):
    summary: str
    repository_url: str
    licence: str
    maintained: bool
    last_checked: date | None
    factors: list[ImplementationOut] = Field(validation_alias="implementations")

    @staticmethod
    def resolve_repository_url(item):
        return item.url


class ReferenceImplementationDetailOut(ReferenceImplementationOut):
    description: str
    description_html: str


class CaseStudyPage(Page):
    results: list[CaseStudyOut]


class AdaptationPage(Page):
    results: list[AdaptationOut]


class FailurePage(Page):
    results: list[FailureOut]


class ReferenceImplementationPage(Page):
    results: list[ReferenceImplementationOut]


# The page and the filters of an evidence list. opendata.filtering reads the filters from the
# query string itself (with the HTML lists' messages); declared here, ninja validates and
# documents them.
class EvidenceParams(PageParams):
    domain: str | None = Query(None, description="Domain slug.")
    factor: str | None = Query(None, description="Factor slug or number (1-12).")
    tier: TierName | None = Query(None, description="foundation, operations or improvement.")
    outcome: OutcomeName | None = Query(
        None,
        description="worked, adapted or failed. Case studies: applied a factor (the one "
        "given, if any) with that outcome; adaptations are all adapted, failures all failed.",
    )
    sort: SortName | None = Query(
        None, description="newest (default), updated, or relevance (the default with q)."
    )
    q: str | None = Query(
        None,
        description='Full-text search of titles and bodies (words, "a phrase", -not); '
        "at most 200 characters are used (a notice says so).",
    )


class CaseStudyParams(EvidenceParams):
    deployment: DeploymentName | None = Query(None, description="production or pilot.")


class FailureParams(EvidenceParams):
    severity: SeverityName | None = Query(None, description="critical, high, medium or low.")


def _endpoints(kind, *, params, page, detail, description):
    """Register the list and the detail endpoint of one kind: `/<list path>` (named by the
    kind's plural key: case_studies) and `/<list path>/{slug}` (named by its key: case_study)."""
    path = f"/{KINDS[kind].list_path}"

    def listing(request, query: Query[params]):
        return paginate(request, kind, query.page, query.limit)

    def one(request, slug: str):
        return get_object_or_404(selectors.published(kind), slug=slug)

    listing.__name__ = listing.__qualname__ = KINDS[kind].plural_key
    listing.__doc__ = description
    one.__name__ = one.__qualname__ = kind
    router.get(path, response={200: page, **ERRORS})(listing)
    router.get(f"{path}/{{slug:slug}}", response={200: detail, **NOT_FOUND}, url_name=kind)(one)


_endpoints(
    "case_study",
    params=CaseStudyParams,
    page=CaseStudyPage,
    detail=CaseStudyDetailOut,
    description="Published case studies, newest first, filtered like the case-study list.",
)
_endpoints(
    "adaptation",
    params=EvidenceParams,
    page=AdaptationPage,
    detail=AdaptationDetailOut,
    description="Published adaptations, newest first, filtered like the adaptation list.",
)
_endpoints(
    "failure",
    params=FailureParams,
    page=FailurePage,
    detail=FailureDetailOut,
    description="Published failure reports, newest first, filtered like the failure list.",
)
_endpoints(
    "reference_implementation",
    params=EvidenceParams,
    page=ReferenceImplementationPage,
    detail=ReferenceImplementationDetailOut,
    description="Published reference implementations, newest first, filtered like their list (an\n"
    "outcome filter gives nothing: they report none).",
)
