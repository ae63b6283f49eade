"""The framework's resources: the framework as a whole, the twelve factors (phase, criteria,
measures, eligibility, classification; one factor with its text, phase history, domain outcomes
and quantified improvement) and the metric vocabulary."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema

from cases.measures import FactorImprovement, improvement_of
from cases.models import Metric
from factors.classification import DomainOutcome
from factors.models import Criterion, Factor, Phase, Scope
from factors.selectors import maturity_report

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
    rounded,
)

router = Router(tags=["framework"])


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
        "url": absolute(request, factor.get_absolute_url()),
        "phase": _phase(factor.phase),
        "criteria": criteria.get(factor.phase_id, []),
        "measures": status.measures,
        "eligibility": _eligibility(status.eligibility),
        "classification": _classification(status.classification),
        "badge_url": absolute(request, reverse("opendata:badge_factor", args=[factor.slug])),
        "feed_url": absolute(request, reverse("opendata:feed_factor", args=[factor.slug])),
    }


@router.get("/framework", response=FrameworkOut)
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
        "badge_url": absolute(request, reverse("opendata:badge_framework")),
        "licence": LICENCE["name"],
    }


@router.get("/factors", response=list[FactorOut])
def factors(request):
    """The twelve factors: current phase, the criteria to leave it, measures from published
    evidence and eligibility for the next phase (advice: maintainers promote)."""
    criteria = _criteria_by_phase(Scope.FACTOR)
    report = maturity_report(with_framework=False)
    return [_factor(request, s.factor, criteria, s) for s in report.factors]


@router.get("/factors/{slug:slug}", response={200: FactorDetailOut, **NOT_FOUND})
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
                "evidence_url": absolute(
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
                "median_change": rounded(s.median),
                "lowest_change": rounded(s.lowest),
                "highest_change": rounded(s.highest),
            }
            for m, s in summary.metrics
        ],
        "case_studies": [
            {
                "slug": c.case_study.slug,
                "title": c.case_study.title,
                "url": absolute(request, c.case_study.get_absolute_url()),
                "outcome": c.outcome,
                "verdict": c.verdict,
                "counts": c.counts_for_factor,
            }
            for c in summary.case_studies
        ],
    }


@router.get("/metrics", response=list[MetricOut])
def metrics(request):
    """The metric vocabulary that maintainers keep: quantified results naming one of these are
    added up per factor (the others are "other": shown, never added up)."""
    return [
        {"slug": m.slug, "name": m.name, "unit": m.unit, "better": m.better,
         "definition": m.definition}
        for m in Metric.objects.all()
    ]  # fmt: skip
