"""The framework's resources: the framework as a whole, the twelve factors (phase, criteria,
measures, eligibility, classification; one factor with its text, phase history, domain outcomes
and quantified improvement) and the metric vocabulary.

Each schema reads its answer from the objects it describes: models (Factor, Phase, Criterion,
PhaseChange, Metric) and what factors.selectors.maturity_report() and
cases.measures.improvement_of() compute about them.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal, NamedTuple

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema

from cases.measures import improvement_of
from cases.models import Metric
from factors.classification import DomainOutcome
from factors.models import Criterion, Factor, Phase, Scope
from factors.selectors import FactorStatus, maturity_report

from .. import selectors
from ..licence import LICENCE
from .errors import NOT_FOUND
from .schemas import (
    BetterName,
    DomainOutcomeName,
    OutcomeName,
    Ref,
    TierName,
    VerdictName,
    absolute,
    page_url,
    rounded,
)

router = Router(tags=["framework"])


class PhaseOut(Schema):
    slug: str
    name: str
    order: int


class CriterionOut(Schema):
    phase: str = Field(validation_alias="phase.slug")
    scope: Literal["factor", "framework"]
    measure: str
    comparator: str
    threshold: int
    # Counts only evidence confirmed within the ageing window (EVIDENCE_AGEING_MONTHS).
    fresh_only: bool
    description: str = Field(validation_alias="text")


class PhaseChangeOut(Schema):
    from_phase: str | None
    to_phase: str = Field(validation_alias="to_phase.slug")
    changed_at: datetime
    changed_by: str | None
    rationale: str
    override: bool
    shown: dict = Field(
        default_factory=dict,
        description="What the maintainer was shown before confirming a promotion: the factor's "
        "row of the promotion ranking and what the promotion would change (empty when none).",
    )

    @staticmethod
    def resolve_from_phase(change):
        return change.from_phase.slug if change.from_phase else None

    @staticmethod
    def resolve_changed_by(change):
        return change.changed_by.public_name if change.changed_by else None


class VerdictOut(Schema):
    measure: str = Field(validation_alias="criterion.measure")
    comparator: str = Field(validation_alias="criterion.comparator")
    description: str = Field(validation_alias="criterion.description")
    threshold: int
    value: int
    met: bool
    shortfall: int


class EligibilityOut(Schema):
    phase: str = Field(validation_alias="phase.slug")
    next_phase: str | None
    eligible: bool
    criteria_met: int = Field(validation_alias="met_count")
    criteria_total: int
    criteria: list[VerdictOut] = Field(validation_alias="verdicts")

    @staticmethod
    def resolve_next_phase(eligibility):
        return eligibility.next_phase.slug if eligibility.next_phase else None

    @staticmethod
    def resolve_criteria_total(eligibility):
        return len(eligibility.verdicts)


def _count(name: str):
    """A resolver: how many domains the classification lists under `name`."""
    return staticmethod(lambda classification: len(getattr(classification, name)))


class ClassificationOut(Schema):
    kind: str  # universal, context_specific, contested or unproven
    label: str
    min_domains: int
    domains_as_written: int
    domains_adapted: int
    domains_mixed: int
    domains_failed: int

    @staticmethod
    def resolve_kind(classification):
        return str(classification.kind)

    resolve_domains_as_written = _count("as_written")
    resolve_domains_adapted = _count("adapted")
    resolve_domains_mixed = _count("mixed")
    resolve_domains_failed = _count("failed")


@dataclass
class FactorRow:
    """What a factor's answer is read from: the factor, its status in the maturity report and
    the criteria to leave its phase."""

    factor: Factor
    status: FactorStatus
    criteria: list[Criterion]


class FactorOut(Schema):
    number: int = Field(validation_alias="factor.number")
    roman: str = Field(validation_alias="factor.roman")
    slug: str = Field(validation_alias="factor.slug")
    title: str = Field(validation_alias="factor.title")
    tier: TierName = Field(validation_alias="factor.tier")
    summary: str = Field(validation_alias="factor.summary")
    url: str
    phase: PhaseOut = Field(validation_alias="factor.phase")
    criteria: list[CriterionOut]
    measures: dict[str, int] = Field(validation_alias="status.measures")
    eligibility: EligibilityOut = Field(validation_alias="status.eligibility")
    classification: ClassificationOut = Field(validation_alias="status.classification")
    badge_url: str
    feed_url: str

    @staticmethod
    def resolve_url(row, context):
        return page_url(row.factor, context)

    @staticmethod
    def resolve_badge_url(row, context):
        path = reverse("opendata:badge_factor", args=[row.factor.slug])
        return absolute(context["request"], path)

    @staticmethod
    def resolve_feed_url(row, context):
        path = reverse("opendata:feed_factor", args=[row.factor.slug])
        return absolute(context["request"], path)


class MetricOut(Schema):
    slug: str
    name: str
    unit: str
    better: BetterName
    definition: str


class MetricRow(NamedTuple):
    metric: Metric
    summary: object  # cases.improvement.MetricSummary


class MetricSummaryOut(Schema):
    metric: str = Field(validation_alias="metric.slug")  # the metric's slug
    name: str = Field(validation_alias="metric.name")
    better: BetterName = Field(validation_alias="metric.better")
    results: int = Field(validation_alias="summary.results")
    improved: int = Field(validation_alias="summary.improved")
    worsened: int = Field(validation_alias="summary.worsened")
    unchanged: int = Field(validation_alias="summary.unchanged")
    # results from 0: no relative change
    without_relative_change: int = Field(validation_alias="summary.without_relative_change")
    median_change: Decimal | None  # relative: -0.4 is -40 %
    lowest_change: Decimal | None
    highest_change: Decimal | None

    @staticmethod
    def resolve_median_change(row):
        return rounded(row.summary.median)

    @staticmethod
    def resolve_lowest_change(row):
        return rounded(row.summary.lowest)

    @staticmethod
    def resolve_highest_change(row):
        return rounded(row.summary.highest)


class CaseStudyImprovementOut(Schema):
    slug: str = Field(validation_alias="case_study.slug")
    title: str = Field(validation_alias="case_study.title")
    url: str
    outcome: OutcomeName  # how the factor went in it
    verdict: VerdictName | None  # None: only "other" metrics
    # whether it counts in case_studies_improved for the factor
    counts: bool = Field(validation_alias="counts_for_factor")

    @staticmethod
    def resolve_url(row, context):
        return page_url(row.case_study, context)


CAVEAT = (
    "A case study applies several factors at once: these numbers show what changed where the "
    "factor was applied, not what the factor caused on its own."
)


class ImprovementOut(Schema):
    case_studies_improved: int = Field(validation_alias="improved")
    caveat: str
    metrics: list[MetricSummaryOut]
    case_studies: list[CaseStudyImprovementOut]

    @staticmethod
    def resolve_caveat(summary):
        return CAVEAT

    @staticmethod
    def resolve_metrics(summary):
        return [MetricRow(*pair) for pair in summary.metrics]


class DomainOutcomeRow(NamedTuple):
    factor: Factor
    domain: object  # cases.models.Domain
    outcome: str


class DomainOutcomeOut(Schema):
    domain: Ref
    # as_written, adapted (worked only with adaptation), mixed (worked as written and failed)
    # or failed (only failure there): factors/classification.py has the rules.
    outcome: DomainOutcomeName
    label: str
    evidence_url: str  # the factor's published evidence from that domain

    @staticmethod
    def resolve_label(row):
        return DomainOutcome(row.outcome).label

    @staticmethod
    def resolve_evidence_url(row, context):
        path = reverse("factors:domain_evidence", args=[row.factor.slug, row.domain.slug])
        return absolute(context["request"], path)


class FactorDetailOut(FactorOut):
    body: str = Field(validation_alias="factor.body")
    body_html: str = Field(validation_alias="factor.body_html")
    domain_outcomes: list[DomainOutcomeOut]
    phase_history: list[PhaseChangeOut]
    improvement: ImprovementOut

    @staticmethod
    def resolve_domain_outcomes(row):
        outcomes = selectors.domain_outcomes(row.status.classification)[0]
        return [DomainOutcomeRow(row.factor, domain, outcome) for domain, outcome in outcomes]

    @staticmethod
    def resolve_phase_history(row):
        return row.factor.phase_changes.select_related("from_phase", "to_phase", "changed_by")

    @staticmethod
    def resolve_improvement(row):
        return improvement_of(row.factor)


class FrameworkOut(Schema):
    name: str = Field(validation_alias="framework.name")
    phase: PhaseOut = Field(validation_alias="framework.phase")
    phases: list[PhaseOut]
    criteria: list[CriterionOut]
    measures: dict[str, int] = Field(validation_alias="framework_measures")
    eligibility: EligibilityOut | None = Field(validation_alias="framework_eligibility")
    badge_url: str
    licence: str

    @staticmethod
    def resolve_phases(report):
        return Phase.objects.all()

    @staticmethod
    def resolve_criteria(report):
        return Criterion.objects.filter(scope=Scope.FRAMEWORK).select_related("phase")

    @staticmethod
    def resolve_badge_url(report, context):
        return absolute(context["request"], reverse("opendata:badge_framework"))

    @staticmethod
    def resolve_licence(report):
        return LICENCE["name"]


def _factor_criteria_by_phase() -> dict[int, list[Criterion]]:
    """The factor-scope criteria by phase id (one query)."""
    by_phase: dict[int, list[Criterion]] = {}
    for c in Criterion.objects.filter(scope=Scope.FACTOR).select_related("phase"):
        by_phase.setdefault(c.phase_id, []).append(c)
    return by_phase


@router.get("/framework", response=FrameworkOut)
def framework(request):
    """The framework as a whole: its phase, the phases, and the framework-wide criteria."""
    report = maturity_report()
    if report.framework is None:
        raise Http404
    return report


@router.get("/factors", response=list[FactorOut])
def factors(request):
    """The twelve factors: current phase, the criteria to leave it, measures from published
    evidence and eligibility for the next phase (advice: maintainers promote)."""
    criteria = _factor_criteria_by_phase()
    report = maturity_report(with_framework=False)
    return [FactorRow(s.factor, s, criteria.get(s.factor.phase_id, [])) for s in report.factors]


@router.get("/factors/{slug:slug}", response={200: FactorDetailOut, **NOT_FOUND})
def factor(request, slug: str):
    """One factor by slug, with its text and phase history."""
    f = get_object_or_404(Factor.objects.with_phase(), slug=slug)
    status = maturity_report(with_framework=False).status_for(f)
    return FactorRow(f, status, _factor_criteria_by_phase().get(f.phase_id, []))


@router.get("/metrics", response=list[MetricOut])
def metrics(request):
    """The metric vocabulary that maintainers keep: quantified results naming one of these are
    added up per factor (the others are "other": shown, never added up)."""
    return Metric.objects.all()
