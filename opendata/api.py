"""The read-only JSON API (django-ninja), at /api/v1/ (and, unchanged, at /api/).

Only published evidence, ever: lists go through cases.filters (the HTML lists' filters,
published rows only) and details through opendata.selectors.
Errors have one shape: `{"detail": [{"param": "severity", "message": "..."}]}` with
status 400 for a bad parameter, and `{"detail": "Not found."}` with 404 for an unknown
slug (and for any unknown path under /api/: agentops_web.errors). Lists are paginated with
a stable order (newest first, then id) and a capped limit. Every choice parameter and field is
declared as an enum in the OpenAPI schema.

`api_urlpatterns()` wraps every view for HTTP caching and cross-origin use: a GET answers with
`Access-Control-Allow-Origin: *`, and a 200 with `Cache-Control: public, max-age=60` and an
ETag, so a repeat with If-None-Match costs a 304. A method other than GET answers a JSON 405.
"""

import hashlib
from datetime import date, datetime
from decimal import Decimal
from functools import wraps
from typing import Literal

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import ValidationError
from ninja.openapi.docs import Swagger

from cases.filters import SORTS
from cases.improvement import Direction, Verdict
from cases.kinds import KINDS
from cases.measures import FactorImprovement, improvement_of
from cases.models import Better, Deployment, Metric, Outcome, Severity
from cases.selectors import domains_with_counts
from factors.classification import DomainOutcome
from factors.models import Criterion, Factor, Phase, Scope, Tier
from factors.selectors import maturity_report
from failuremodes import selectors as failure_mode_selectors

from . import selectors
from .filtering import evidence_filter
from .licence import LICENCE

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_PAGE = 1_000_000
CACHE_SECONDS = 60


def _enum(values):
    """A Literal of the given values: validated by ninja, an enum in the OpenAPI schema."""
    return Literal[tuple(values)]


TierName = _enum(Tier.values)
OutcomeName = _enum(Outcome.values)
SeverityName = _enum(Severity.values)
DeploymentName = _enum(Deployment.values)
SortName = _enum(SORTS)
KindName = _enum(KINDS)  # every kind of evidence (cases/kinds.py)
BetterName = _enum(Better.values)
DirectionName = _enum(Direction)
VerdictName = _enum(Verdict)
DomainOutcomeName = _enum([o.value for o in DomainOutcome])

api = NinjaAPI(
    title="12-Factor AgentOps open data API",
    version="1",
    description=(
        "Read-only access to the published evidence and the maturity of the 12-Factor "
        "AgentOps framework. Data licence: CC BY 4.0. Only published items are served."
    ),
    urls_namespace="api",
    # Swagger UI from our own static files (ninja is in INSTALLED_APPS), never a CDN.
    docs=Swagger(settings={"persistAuthorization": False, "tryItOutEnabled": True}),
)


class ApiParamError(Exception):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors


def _param_errors(errors: dict[str, str]) -> list[dict]:
    return [{"param": name, "message": message} for name, message in errors.items()]


@api.exception_handler(ApiParamError)
def _bad_param(request, exc: ApiParamError):
    return api.create_response(request, {"detail": _param_errors(exc.errors)}, status=400)


# The list endpoints by the last part of their path: a parameter refused by its declared type
# (an enum) is reported together with the filters' own findings (an unknown domain...).
_LIST_KINDS = {"case-studies": "case_study", "adaptations": "adaptation", "failures": "failure"}


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    errors = {}
    for error in exc.errors:
        loc = [part for part in error.get("loc", ()) if part not in ("query", "path")]
        name = str(loc[0]) if loc else "request"
        errors.setdefault(name, error.get("msg", "Invalid value."))
    kind = _LIST_KINDS.get(request.path_info.rstrip("/").rsplit("/", 1)[-1])
    if kind is not None:
        for name, message in evidence_filter(kind, request.GET).errors.items():
            errors.setdefault(name, message)
    return api.create_response(request, {"detail": _param_errors(errors)}, status=400)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


# --- schemas -------------------------------------------------------------------------


class PhaseOut(Schema):
    slug: str
    name: str
    order: int


class CriterionOut(Schema):
    phase: str
    scope: Literal["factor", "framework"]
    measure: str
    comparator: str
    threshold: int
    # Counts only evidence confirmed within the ageing window (EVIDENCE_AGEING_MONTHS).
    fresh_only: bool
    description: str


class PhaseChangeOut(Schema):
    from_phase: str | None
    to_phase: str
    changed_at: datetime
    changed_by: str | None
    rationale: str
    override: bool
    shown: dict = Field(
        default_factory=dict,
        description="What the maintainer was shown before confirming a promotion: the factor's "
        "row of the promotion ranking and what the promotion would change (empty when none).",
    )


class VerdictOut(Schema):
    measure: str
    comparator: str
    description: str
    threshold: int
    value: int
    met: bool
    shortfall: int


class EligibilityOut(Schema):
    phase: str
    next_phase: str | None
    eligible: bool
    criteria_met: int
    criteria_total: int
    criteria: list[VerdictOut]


class ClassificationOut(Schema):
    kind: str  # universal, context_specific, contested or unproven
    label: str
    min_domains: int
    domains_as_written: int
    domains_adapted: int
    domains_mixed: int
    domains_failed: int


class FactorOut(Schema):
    number: int
    roman: str
    slug: str
    title: str
    tier: TierName
    summary: str
    url: str
    phase: PhaseOut
    criteria: list[CriterionOut]
    measures: dict[str, int]
    eligibility: EligibilityOut
    classification: ClassificationOut
    badge_url: str
    feed_url: str


class MetricOut(Schema):
    slug: str
    name: str
    unit: str
    better: BetterName
    definition: str


class MetricSummaryOut(Schema):
    metric: str  # the metric's slug
    name: str
    better: BetterName
    results: int
    improved: int
    worsened: int
    unchanged: int
    without_relative_change: int  # results from 0: no relative change
    median_change: Decimal | None  # relative: -0.4 is -40 %
    lowest_change: Decimal | None
    highest_change: Decimal | None


class CaseStudyImprovementOut(Schema):
    slug: str
    title: str
    url: str
    outcome: OutcomeName  # how the factor went in it
    verdict: VerdictName | None  # None: only "other" metrics
    counts: bool  # whether it counts in case_studies_improved for the factor


class ImprovementOut(Schema):
    case_studies_improved: int
    caveat: str
    metrics: list[MetricSummaryOut]
    case_studies: list[CaseStudyImprovementOut]


class Ref(Schema):
    slug: str
    name: str


class DomainOutcomeOut(Schema):
    domain: Ref
    # as_written, adapted (worked only with adaptation), mixed (worked as written and failed)
    # or failed (only failure there): factors/classification.py has the rules.
    outcome: DomainOutcomeName
    label: str
    evidence_url: str  # the factor's published evidence from that domain


class FactorDetailOut(FactorOut):
    body: str
    body_html: str
    domain_outcomes: list[DomainOutcomeOut]
    phase_history: list[PhaseChangeOut]
    improvement: ImprovementOut


class FrameworkOut(Schema):
    name: str
    phase: PhaseOut
    phases: list[PhaseOut]
    criteria: list[CriterionOut]
    measures: dict[str, int]
    eligibility: EligibilityOut | None
    badge_url: str
    licence: str


class DomainOut(Schema):
    slug: str
    name: str
    description: str
    url: str
    feed_url: str
    case_studies: int
    adaptations: int
    failures: int
    reference_implementations: int
    factors_with_evidence: int


class FactorRef(Schema):
    number: int
    slug: str
    title: str


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


class Page(Schema):
    notices: list[str]
    count: int
    page: int
    limit: int
    pages: int
    next: str | None
    previous: str | None


class CaseStudyPage(Page):
    results: list[CaseStudyOut]


class AdaptationPage(Page):
    results: list[AdaptationOut]


class FailurePage(Page):
    results: list[FailureOut]


class ReferenceImplementationPage(Page):
    results: list[ReferenceImplementationOut]


class ErrorItem(Schema):
    param: str
    message: str


class BadRequest(Schema):
    detail: list[ErrorItem]


class NotFound(Schema):
    detail: str


# --- building the payloads -----------------------------------------------------------


def _abs(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _phase(phase) -> dict:
    return {"slug": phase.slug, "name": phase.name, "order": phase.order}


def _criterion(c) -> dict:
    return {
        "phase": c.phase.slug,
        "scope": c.scope,
        "measure": c.measure,
        "comparator": c.comparator,
        "threshold": c.threshold,
        "fresh_only": c.fresh_only,
        "description": c.text,
    }


def _criteria_by_phase(scope: str) -> dict[int, list[dict]]:
    by_phase: dict[int, list[dict]] = {}
    for c in Criterion.objects.filter(scope=scope).select_related("phase"):
        by_phase.setdefault(c.phase_id, []).append(_criterion(c))
    return by_phase


def _eligibility(e) -> dict | None:
    if e is None:
        return None
    return {
        "phase": e.phase.slug,
        "next_phase": e.next_phase.slug if e.next_phase else None,
        "eligible": e.eligible,
        "criteria_met": e.met_count,
        "criteria_total": len(e.verdicts),
        "criteria": [
            {
                "measure": v.criterion.measure,
                "comparator": v.criterion.comparator,
                "description": v.criterion.description,
                "threshold": v.threshold,
                "value": v.value,
                "met": v.met,
                "shortfall": v.shortfall,
            }
            for v in e.verdicts
        ],
    }


def _classification(c) -> dict:
    return {
        "kind": str(c.kind),
        "label": c.label,
        "min_domains": c.min_domains,
        "domains_as_written": len(c.as_written),
        "domains_adapted": len(c.adapted),
        "domains_mixed": len(c.mixed),
        "domains_failed": len(c.failed),
    }


def _factor(request, factor, criteria: dict[int, list[dict]], status) -> dict:
    return {
        "number": factor.number,
        "roman": factor.roman,
        "slug": factor.slug,
        "title": factor.title,
        "tier": factor.tier,
        "summary": factor.summary,
        "url": _abs(request, factor.get_absolute_url()),
        "phase": _phase(factor.phase),
        "criteria": criteria.get(factor.phase_id, []),
        "measures": status.measures,
        "eligibility": _eligibility(status.eligibility),
        "classification": _classification(status.classification),
        "badge_url": _abs(request, reverse("opendata:badge_factor", args=[factor.slug])),
        "feed_url": _abs(request, reverse("opendata:feed_factor", args=[factor.slug])),
    }


def _factor_ref(factor) -> dict:
    return {"number": factor.number, "slug": factor.slug, "title": factor.title}


def _evidence(request, item) -> dict:
    return {
        "kind": item.KIND,
        "slug": item.slug,
        "title": item.title,
        "url": _abs(request, item.get_absolute_url()),
        "api_url": _abs(request, reverse(f"api:{item.KIND}", args=[item.slug])),
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
            {"factor": _factor_ref(a.factor), "outcome": a.outcome, "note": a.note}
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
                "relative_change": _rounded(q.relative_change),
                "direction": q.direction,
            }
            for q in item.quantified.all()
        ]
    return data


def _adaptation(request, item, *, detail=False) -> dict:
    data = _evidence(request, item) | {
        "factor": _factor_ref(item.factor),
        "case_study": _slug(item.published_case_study()),
    }
    return data | _markdown(item) if detail else data


def _failure(request, item, *, detail=False) -> dict:
    data = _evidence(request, item) | {
        "severity": item.severity,
        "factors": [_factor_ref(f) for f in item.factors.all()],
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
            {"factor": _factor_ref(i.factor), "note": i.note} for i in item.implementations.all()
        ],
    }
    return data | _markdown(item) if detail else data


def _markdown(item) -> dict:
    data = {}
    for name in item.markdown_fields:
        data[name] = getattr(item, name)
        data[f"{name}_html"] = getattr(item, f"{name}_html")
    return data


def _paginate(request, kind: str, page: int, limit: int, build) -> dict:
    filtered = evidence_filter(kind, request.GET)
    if filtered.errors:
        raise ApiParamError(filtered.errors)
    qs = filtered.queryset
    count = qs.count()
    pages = max(1, -(-count // limit))
    offset = (page - 1) * limit
    items = list(qs[offset : offset + limit]) if offset < count else []

    def link(number):
        params = request.GET.copy()
        params["page"] = str(number)
        params["limit"] = str(limit)
        return _abs(request, f"{request.path}?{params.urlencode()}")

    return {
        "notices": filtered.notices,
        "count": count,
        "page": page,
        "limit": limit,
        "pages": pages,
        "next": link(page + 1) if page < pages else None,
        "previous": link(min(page - 1, pages)) if page > 1 else None,
        "results": [build(request, item) for item in items],
    }


class PageParams(Schema):
    page: int = Query(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    limit: int = Query(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page, 1 to {MAX_LIMIT}."
    )


class EvidenceParams(Schema):
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


ERRORS = {400: BadRequest}
NOT_FOUND = {404: NotFound}

# --- endpoints -----------------------------------------------------------------------


@api.get("/framework", response=FrameworkOut, tags=["framework"])
def framework(request):
    """The framework as a whole: its phase, the phases, and the framework-wide criteria."""
    report = maturity_report()
    fw = report.framework
    if fw is None:
        raise Http404
    criteria = Criterion.objects.filter(scope=Scope.FRAMEWORK).select_related("phase")
    return {
        "name": fw.name,
        "phase": _phase(fw.phase),
        "phases": [_phase(p) for p in Phase.objects.all()],
        "criteria": [_criterion(c) for c in criteria],
        "measures": report.framework_measures,
        "eligibility": _eligibility(report.framework_eligibility),
        "badge_url": _abs(request, reverse("opendata:badge_framework")),
        "licence": LICENCE["name"],
    }


@api.get("/factors", response=list[FactorOut], tags=["framework"])
def factors(request):
    """The twelve factors: current phase, the criteria to leave it, measures from published
    evidence and eligibility for the next phase (advice: maintainers promote)."""
    criteria = _criteria_by_phase(Scope.FACTOR)
    report = maturity_report(with_framework=False)
    return [_factor(request, s.factor, criteria, s) for s in report.factors]


@api.get("/factors/{slug:slug}", response={200: FactorDetailOut, **NOT_FOUND}, tags=["framework"])
def factor(request, slug: str):
    """One factor by slug, with its text and phase history."""
    f = get_object_or_404(Factor.objects.with_phase(), slug=slug)
    history = f.phase_changes.select_related("from_phase", "to_phase", "changed_by")
    status = maturity_report(with_framework=False).status_for(f)
    data = _factor(request, f, _criteria_by_phase(Scope.FACTOR), status) | {
        "body": f.body,
        "body_html": f.body_html,
        "improvement": _improvement(request, improvement_of(f)),
        "domain_outcomes": [
            {
                "domain": {"slug": d.slug, "name": d.name},
                "outcome": outcome,
                "label": DomainOutcome(outcome).label,
                "evidence_url": _abs(
                    request, reverse("factors:domain_evidence", args=[f.slug, d.slug])
                ),
            }
            for d, outcome in selectors.domain_outcomes(status.classification)[0]
        ],
        "phase_history": [
            {
                "from_phase": h.from_phase.slug if h.from_phase else None,
                "to_phase": h.to_phase.slug,
                "changed_at": h.changed_at,
                "changed_by": h.changed_by.public_name if h.changed_by else None,
                "rationale": h.rationale,
                "override": h.override,
                "shown": h.shown,
            }
            for h in history
        ],
    }
    return data


CAVEAT = (
    "A case study applies several factors at once: these numbers show what changed where the "
    "factor was applied, not what the factor caused on its own."
)


def _rounded(change: Decimal | None) -> Decimal | None:
    return None if change is None else change.quantize(Decimal("0.0001"))


def _improvement(request, summary: FactorImprovement) -> dict:
    return {
        "case_studies_improved": summary.improved,
        "caveat": CAVEAT,
        "metrics": [
            {
                "metric": m.slug,
                "name": m.name,
                "better": m.better,
                "results": s.results,
                "improved": s.improved,
                "worsened": s.worsened,
                "unchanged": s.unchanged,
                "without_relative_change": s.without_relative_change,
                "median_change": _rounded(s.median),
                "lowest_change": _rounded(s.lowest),
                "highest_change": _rounded(s.highest),
            }
            for m, s in summary.metrics
        ],
        "case_studies": [
            {
                "slug": c.case_study.slug,
                "title": c.case_study.title,
                "url": _abs(request, c.case_study.get_absolute_url()),
                "outcome": c.outcome,
                "verdict": c.verdict,
                "counts": c.counts_for_factor,
            }
            for c in summary.case_studies
        ],
    }


@api.get("/metrics", response=list[MetricOut], tags=["framework"])
def metrics(request):
    """The metric vocabulary that maintainers keep: quantified results naming one of these are
    added up per factor (the others are "other": shown, never added up)."""
    return [
        {"slug": m.slug, "name": m.name, "unit": m.unit, "better": m.better,
         "definition": m.definition}
        for m in Metric.objects.all()
    ]  # fmt: skip


def _domain(request, domain) -> dict:
    return {
        "slug": domain.slug,
        "name": domain.name,
        "description": domain.description,
        "url": _abs(request, domain.get_absolute_url()),
        "feed_url": _abs(request, reverse("opendata:feed_domain", args=[domain.slug])),
        "case_studies": domain.n_case_studies,
        "adaptations": domain.n_adaptations,
        "failures": domain.n_failures,
        "reference_implementations": domain.n_reference_implementations,
        "factors_with_evidence": domain.n_factors,
    }


@api.get("/domains", response=list[DomainOut], tags=["domains"])
def domains(request):
    """Every domain with its counts of published evidence."""
    return [_domain(request, d) for d in domains_with_counts()]


@api.get("/domains/{slug:slug}", response={200: DomainOut, **NOT_FOUND}, tags=["domains"])
def domain(request, slug: str):
    """One domain by slug, with its counts of published evidence."""
    found = [d for d in domains_with_counts() if d.slug == slug]
    if not found:
        raise Http404
    return _domain(request, found[0])


@api.get("/case-studies", response={200: CaseStudyPage, **ERRORS}, tags=["evidence"])
def case_studies(request, paging: Query[PageParams], filters: Query[CaseStudyParams]):
    """Published case studies, newest first, filtered like the case-study list."""
    return _paginate(request, "case_study", paging.page, paging.limit, _case_study)


@api.get(
    "/case-studies/{slug:slug}",
    response={200: CaseStudyDetailOut, **NOT_FOUND},
    tags=["evidence"],
    url_name="case_study",
)
def case_study(request, slug: str):
    item = get_object_or_404(selectors.published("case_study"), slug=slug)
    return _case_study(request, item, detail=True)


@api.get("/adaptations", response={200: AdaptationPage, **ERRORS}, tags=["evidence"])
def adaptations(request, paging: Query[PageParams], filters: Query[EvidenceParams]):
    """Published adaptations, newest first, filtered like the adaptation list."""
    return _paginate(request, "adaptation", paging.page, paging.limit, _adaptation)


@api.get(
    "/adaptations/{slug:slug}",
    response={200: AdaptationDetailOut, **NOT_FOUND},
    tags=["evidence"],
    url_name="adaptation",
)
def adaptation(request, slug: str):
    item = get_object_or_404(selectors.published("adaptation"), slug=slug)
    return _adaptation(request, item, detail=True)


@api.get("/failures", response={200: FailurePage, **ERRORS}, tags=["evidence"])
def failures(request, paging: Query[PageParams], filters: Query[FailureParams]):
    """Published failure reports, newest first, filtered like the failure list."""
    return _paginate(request, "failure", paging.page, paging.limit, _failure)


@api.get(
    "/failures/{slug:slug}",
    response={200: FailureDetailOut, **NOT_FOUND},
    tags=["evidence"],
    url_name="failure",
)
def failure(request, slug: str):
    item = get_object_or_404(selectors.published("failure"), slug=slug)
    return _failure(request, item, detail=True)


@api.get(
    "/reference-implementations",
    response={200: ReferenceImplementationPage, **ERRORS},
    tags=["evidence"],
)
def reference_implementations(request, paging: Query[PageParams], filters: Query[EvidenceParams]):
    """Published reference implementations, newest first, filtered like their list (an
    outcome filter gives nothing: they report none)."""
    return _paginate(
        request, "reference_implementation", paging.page, paging.limit, _reference_implementation
    )


@api.get(
    "/reference-implementations/{slug:slug}",
    response={200: ReferenceImplementationDetailOut, **NOT_FOUND},
    tags=["evidence"],
    url_name="reference_implementation",
)
def reference_implementation(request, slug: str):
    item = get_object_or_404(selectors.published("reference_implementation"), slug=slug)
    return _reference_implementation(request, item, detail=True)


# --- Failure modes (failuremodes): named groups of published failure reports -----------


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
    severity: SeverityName = Field(
        description="The highest severity among its published reports."
    )
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
        "url": _abs(request, mode.get_absolute_url()),
        "api_url": _abs(request, reverse("api:failure_mode", args=[mode.slug])),
        "status": "addressed" if mode.is_addressed else "open",
        "severity": mode.severity,
        "factors": [_factor_ref(f) for f in mode.factor_list],
        "reports": len(mode.published_reports),
        "domains": mode.domain_count,
        "organizations": mode.organization_count,
        "addressed_at": mode.addressed_at if mode.is_addressed else None,
        "addressed_by": _abs(request, adaptation.get_absolute_url())
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
                    "url": _abs(request, r.get_absolute_url()),
                    "api_url": _abs(request, reverse("api:failure", args=[r.slug])),
                    "domain": {"slug": r.domain.slug, "name": r.domain.name},
                    "organization": r.organization.public_name if r.organization else None,
                    "severity": r.severity,
                }
                for r in mode.published_reports
            ],
        }
    return data


@api.get("/failure-modes", response=list[FailureModeOut], tags=["failure modes"])
def failure_modes(request):
    """Every public failure mode (at least one published report), by title, with its status
    (open or addressed), its severity at worst and how many reports, domains and
    organizations it groups."""
    return [_failure_mode(request, m) for m in failure_mode_selectors.public_mode_list()]


@api.get(
    "/failure-modes/{slug:slug}",
    response={200: FailureModeDetailOut, **NOT_FOUND},
    tags=["failure modes"],
    url_name="failure_mode",
)
def failure_mode(request, slug: str):
    """One public failure mode with its text and its published reports."""
    mode = failure_mode_selectors.public_mode(slug)
    if mode is None:
        raise Http404
    return _failure_mode(request, mode, detail=True)


# --- HTTP caching, cross-origin reads, JSON for every answer -------------------------


def _etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def http_caching(view):
    """Wrap an API view: CORS for GETs, ETag/Cache-Control/304 for 200s, a JSON 405."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allow = response.get("Allow", "GET")
            response = JsonResponse({"detail": "Method not allowed."}, status=405)
            response["Allow"] = allow
        if request.method not in ("GET", "HEAD"):
            return response
        response["Access-Control-Allow-Origin"] = "*"
        if response.status_code == 200 and not response.streaming:
            etag = _etag(response.content)
            response["ETag"] = etag
            patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
            conditional = get_conditional_response(request, etag=etag, response=response)
            if conditional is not response:
                conditional["Access-Control-Allow-Origin"] = "*"
                return conditional
        return response

    return wrapper


def _wrapped(patterns):
    return [
        URLPattern(p.pattern, http_caching(p.callback), p.default_args, p.name) for p in patterns
    ]


_URLPATTERNS = None


def api_urlpatterns():
    """The API's URL patterns, each view wrapped by http_caching (built once, shared by the
    /api/v1/ and /api/ mounts)."""
    global _URLPATTERNS
    if _URLPATTERNS is None:
        patterns, _app_name, _namespace = api.urls
        _URLPATTERNS = _wrapped(patterns)
    return _URLPATTERNS
