"""The published evidence, one list and one detail endpoint per kind (cases/kinds.py).

Only published items, ever: a list is a page of the HTML list's filter (opendata.filtering,
over cases.filters: published rows only); a detail comes from opendata.selectors.
"""

from datetime import date, datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Schema

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
    Ref,
    SeverityName,
    SortName,
    TierName,
    absolute,
    factor_ref,
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


class EvidenceOut(Schema):
    kind: KindName
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
    ageing: bool
    updated_at: datetime


class CaseStudyOut(EvidenceOut):
    summary: str
    deployment: DeploymentName
    duration_months: int | None
    team_size: int | None
    factors: list[ApplicationOut]


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


class AdaptationDetailOut(AdaptationOut):
    changes: str
    changes_html: str
    outcome: str
    outcome_html: str


class FailureOut(EvidenceOut):
    severity: SeverityName
    factors: list[FactorRef]
    case_study: str | None


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
    factors: list[ImplementationOut]


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


def _evidence(request, item) -> dict:
    return {
        "kind": item.KIND,
        "slug": item.slug,
        "title": item.title,
        "url": absolute(request, item.get_absolute_url()),
        "api_url": absolute(request, reverse(f"api:{item.KIND}", args=[item.slug])),
        "domain": {"slug": item.domain.slug, "name": item.domain.name},
        "organization": item.organization.public_name if item.organization else None,
        "credit": item.credit,
        "published_at": item.published_at,
        "confirmed_at": item.confirmed_at,
        "ageing": item.is_ageing,
        "updated_at": item.updated_at,
    }


def _slug(item) -> str | None:
    return item.slug if item is not None else None


def _case_study(request, item, *, detail=False) -> dict:
    data = _evidence(request, item) | {
        "summary": item.summary,
        "deployment": item.deployment,
        "duration_months": item.duration_months,
        "team_size": item.team_size,
        "factors": [
            {"factor": factor_ref(a.factor), "outcome": a.outcome, "note": a.note}
            for a in item.applications.all()
        ],
    }
    if detail:
        data |= _markdown(item)
        data["quantified"] = [
            {
                "metric": q.metric,
                "metric_slug": q.standard_metric.slug if q.standard_metric_id else None,
                "before": q.before,
                "after": q.after,
                "unit": q.unit,
                "relative_change": rounded(q.relative_change),
                "direction": q.direction,
            }
            for q in item.quantified.all()
        ]
    return data


def _adaptation(request, item, *, detail=False) -> dict:
    data = _evidence(request, item) | {
        "factor": factor_ref(item.factor),
        "case_study": _slug(item.published_case_study()),
    }
    return data | _markdown(item) if detail else data


def _failure(request, item, *, detail=False) -> dict:
    data = _evidence(request, item) | {
        "severity": item.severity,
        "factors": [factor_ref(f) for f in item.factors.all()],
        "case_study": _slug(item.published_case_study()),
    }
    return data | _markdown(item) if detail else data


def _reference_implementation(request, item, *, detail=False) -> dict:
    data = _evidence(request, item) | {
        "summary": item.summary,
        "repository_url": item.url,
        "licence": item.licence,
        "maintained": item.maintained,
        "last_checked": item.last_checked,
        "factors": [
            {"factor": factor_ref(i.factor), "note": i.note} for i in item.implementations.all()
        ],
    }
    return data | _markdown(item) if detail else data


def _markdown(item) -> dict:
    data = {}
    for name in item.markdown_fields:
        data[name] = getattr(item, name)
        data[f"{name}_html"] = getattr(item, f"{name}_html")
    return data


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


def _endpoints(kind, *, params, page, detail, build, description):
    """Register the list and the detail endpoint of one kind: `/<list path>` (named by the
    kind's plural key: case_studies) and `/<list path>/{slug}` (named by its key: case_study)."""
    path = f"/{KINDS[kind].list_path}"

    def listing(request, query: Query[params]):
        return paginate(request, kind, query.page, query.limit, build)

    def one(request, slug: str):
        item = get_object_or_404(selectors.published(kind), slug=slug)
        return build(request, item, detail=True)

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
    build=_case_study,
    description="Published case studies, newest first, filtered like the case-study list.",
)
_endpoints(
    "adaptation",
    params=EvidenceParams,
    page=AdaptationPage,
    detail=AdaptationDetailOut,
    build=_adaptation,
    description="Published adaptations, newest first, filtered like the adaptation list.",
)
_endpoints(
    "failure",
    params=FailureParams,
    page=FailurePage,
    detail=FailureDetailOut,
    build=_failure,
    description="Published failure reports, newest first, filtered like the failure list.",
)
_endpoints(
    "reference_implementation",
    params=EvidenceParams,
    page=ReferenceImplementationPage,
    detail=ReferenceImplementationDetailOut,
    build=_reference_implementation,
    description="Published reference implementations, newest first, filtered like their list (an\n"
    "outcome filter gives nothing: they report none).",
)
