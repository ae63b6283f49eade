"""Reads for the maturity pages: the report on all factors, and the registry of the evidence
behind a number.

`maturity_report()` is the one call that gives measures and verdicts for every factor
and for the framework (the API and caching layers use it too). Every function here runs
a fixed number of queries, whatever the amount of evidence. The evidence itself is read
through what the evidence apps register (factors/measuring.py); the pages that list it are
in factorpages/.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db.models import Q, QuerySet

from pagecache.generation import cached_per_generation

from . import maturity
from .classification import DomainOutcome, FactorClassification, classify
from .measures import FACTOR, FRAMEWORK, fresh_key
from .measuring import Cell, Evidence, evidence_source, measure_factors, measure_framework
from .models import Criterion, Factor, Framework, Phase


def phase_spec(phase: Phase) -> maturity.PhaseSpec:
    return maturity.PhaseSpec(slug=phase.slug, name=phase.name, order=phase.order)


def criterion_spec(c: Criterion) -> maturity.CriterionSpec:
    return maturity.CriterionSpec(
        id=c.pk,
        phase=c.phase.slug,
        scope=c.scope,
        measure=c.measure,
        threshold=c.threshold,
        comparator=c.comparator,
        phase_name=c.phase.name,
        fresh_months=c.fresh_months,
    )


def _with_fresh(measures: dict, fresh: dict, keys: list[str]) -> dict:
    """`measures` with the fresh-only values of `keys` added under measures.fresh_key."""
    return {**measures, **{fresh_key(k): fresh.get(k, 0) for k in keys}}


@dataclass
class FactorStatus:
    factor: Factor
    measures: dict[str, int]
    eligibility: maturity.Eligibility
    # Whether the criteria that brought it into its phase still hold (at risk if not).
    standing: maturity.Standing | None = None
    # Verdicts on every per-factor criterion of every phase, keyed by criterion id.
    all_verdicts: dict[int, maturity.Verdict] = field(default_factory=dict)
    # Published items about the factor, by kind (case studies by outcome, adaptations,
    # failure reports).
    totals: Cell = field(default_factory=Cell)
    phases: list[maturity.PhaseSpec] = field(default_factory=list)
    # Universal or context-specific (domains named by id; by Domain in `grid` pages).
    classification: FactorClassification | None = None
    # The factor's page only: one row per domain with published evidence about it.
    grid: list[DomainRow] = field(default_factory=list)
    # The factor's page only: the summary of each vocabulary metric ([(Metric, MetricSummary)]).
    improvement_metrics: list = field(default_factory=list)


@dataclass
class DomainRow:
    """One domain's published evidence about a factor, and the outcome it adds up to."""

    domain: object  # a Domain (the evidence source's domain_model)
    cell: Cell

    @property
    def outcome(self) -> DomainOutcome | None:
        return self.cell.outcome


@dataclass
class CoverageRow:
    domain: object  # a Domain (the evidence source's domain_model)
    cells: list[tuple[Factor, Cell]]

    @property
    def total(self) -> int:
        return sum(cell.total for _, cell in self.cells)


@dataclass
class MaturityReport:
    phases: list[maturity.PhaseSpec]
    criteria: list[maturity.CriterionSpec]
    factors: list[FactorStatus]
    framework: Framework | None = None
    framework_measures: dict[str, int] = field(default_factory=dict)
    framework_eligibility: maturity.Eligibility | None = None
    framework_standing: maturity.Standing | None = None
    framework_verdicts: list[maturity.Verdict] = field(default_factory=list)  # all phases
    evidence: Evidence | None = None
    # The domains with published evidence, in name order, when known without a query (a
    # snapshot stores them); coverage() reads them otherwise.
    domains: list | None = None
    snapshot: object = None  # the MaturitySnapshot it was read from, if it was

    @property
    def factor_criteria(self) -> list[maturity.CriterionSpec]:
        """Every per-factor criterion, phase by phase: the factors × criteria columns."""
        return [c for c in self.criteria if c.scope == FACTOR]

    @property
    def eligible_count(self) -> int:
        return sum(1 for s in self.factors if s.eligibility.eligible)

    @property
    def at_risk(self) -> list[FactorStatus]:
        """Factors whose current phase's entry criteria no longer all hold."""
        return [s for s in self.factors if s.standing and s.standing.at_risk]

    def status_for(self, factor: Factor) -> FactorStatus:
        return next(s for s in self.factors if s.factor.pk == factor.pk)

    def gates(self) -> list[maturity.Verdict]:
        """The framework criteria counting factors ("4 of 6 factors meet Beta criteria")."""
        return [
            v
            for v in self.framework_verdicts
            if v.criterion.measure == maturity.FACTORS_MEETING_PHASE
        ]

    def phase_name(self, slug: str) -> str:
        return next((p.name for p in self.phases if p.slug == slug), slug)

    def coverage(self) -> list[CoverageRow]:
        """The factor × domain matrix: one row per domain with published evidence about a factor.

        One query (the domains), on top of the Evidence aggregates.
        """
        assert self.evidence is not None
        cells = self.evidence.cells
        domain_ids = {d for (_, d), cell in cells.items() if cell.total}
        factors = [s.factor for s in self.factors]
        if self.domains is None:
            domain_model = evidence_source().domain_model
            self.domains = list(domain_model.objects.filter(pk__in=domain_ids).order_by("name"))
        return [
            CoverageRow(domain=d, cells=[(f, cells.get((f.pk, d.pk), Cell())) for f in factors])
            for d in self.domains
            if d.pk in domain_ids
        ]


def _factor_measures(factors, *, criteria, evidence) -> dict[int, dict[str, int]]:
    measures = measure_factors([f.pk for f in factors], evidence=evidence)
    fresh_keys = maturity.fresh_measures_needed(criteria, FACTOR)
    if fresh_keys:  # a criterion counts only evidence confirmed within the ageing window
        fresh = measure_factors(measures, evidence=evidence.fresh(), keys=fresh_keys)
        measures = {f: _with_fresh(m, fresh[f], fresh_keys) for f, m in measures.items()}
    return measures


def _statuses(factors, *, phases, criteria, evidence, measures=None) -> list[FactorStatus]:
    """Each factor's verdicts: pure, from its measures (computed here unless given, as a
    snapshot gives them) and the per-domain cells of `evidence`."""
    if measures is None:
        measures = _factor_measures(factors, criteria=criteria, evidence=evidence)
    totals = evidence.factor_totals()
    factor_criteria = [c for c in criteria if c.scope == FACTOR]
    statuses = []
    for f in factors:
        eligibility = maturity.factor_eligibility(
            measures=measures[f.pk], criteria=criteria, phase=phase_spec(f.phase), phases=phases
        )
        verdicts = maturity.evaluate(measures[f.pk], factor_criteria)
        standing = maturity.factor_standing(
            measures=measures[f.pk], criteria=criteria, phase=phase_spec(f.phase), phases=phases
        )
        statuses.append(
            FactorStatus(
                factor=f,
                measures=measures[f.pk],
                eligibility=eligibility,
                standing=standing,
                all_verdicts={v.criterion.id: v for v in verdicts},
                totals=totals.get(f.pk, Cell()),
                phases=phases,
                classification=evidence.classification_for(f.pk),
            )
        )
    return statuses


def _rules() -> tuple[list[maturity.PhaseSpec], list[maturity.CriterionSpec]]:
    phases = [phase_spec(p) for p in Phase.objects.all()]
    criteria = [criterion_spec(c) for c in Criterion.objects.select_related("phase")]
    return phases, criteria


def maturity_report(*, now: datetime | None = None, with_framework: bool = True) -> MaturityReport:
    """Measures and verdicts for all twelve factors (and the framework, unless told not to).

    Computed once per page-cache generation (every committed change bumps it), shared by
    all app processes; computed afresh when `now` is given or inside a transaction.
    """
    if now is not None:
        return _maturity_report(now=now, with_framework=with_framework)
    return cached_per_generation(
        f"maturity_report:{int(with_framework)}",
        lambda: _maturity_report(now=None, with_framework=with_framework),
    )


def fresh_maturity_report() -> MaturityReport:
    """The report computed now from the database, never from the cache (for snapshots)."""
    return _maturity_report(now=None, with_framework=True)


def _maturity_report(*, now: datetime | None, with_framework: bool) -> MaturityReport:
    """Fixed query count: factors, phases, criteria, the framework row, and the aggregate
    queries of factors/measuring.py."""
    factors = list(Factor.objects.with_phase())
    phases, criteria = _rules()
    framework = Framework.objects.select_related("phase").first()
    evidence = Evidence(now=now, framework=framework, factor_count=len(factors))
    statuses = _statuses(factors, phases=phases, criteria=criteria, evidence=evidence)
    report = MaturityReport(phases=phases, criteria=criteria, factors=statuses, evidence=evidence)
    if with_framework:
        measures = measure_framework(evidence=evidence)
        fresh_keys = maturity.fresh_measures_needed(criteria, FRAMEWORK)
        if fresh_keys:
            fresh = measure_framework(evidence=evidence.fresh(), keys=fresh_keys)
            measures = _with_fresh(measures, fresh, fresh_keys)
        _judge_framework(report, framework, measures)
    return report


def _judge_framework(report: MaturityReport, framework, measures: dict[str, int]) -> None:
    """The framework's verdicts, eligibility and standing: pure, from its measures."""
    phases, criteria = report.phases, report.criteria
    report.framework = framework
    report.framework_measures = measures
    by_factor = {s.factor.pk: s.measures for s in report.factors}
    report.framework_verdicts = maturity.evaluate_framework(
        framework_measures=measures, factor_measures=by_factor, criteria=criteria
    )
    if framework:
        report.framework_eligibility = maturity.framework_eligibility(
            framework_measures=measures,
            factor_measures=by_factor,
            criteria=criteria,
            phase=phase_spec(framework.phase),
            phases=phases,
        )
        report.framework_standing = maturity.framework_standing(
            framework_measures=measures,
            factor_measures=by_factor,
            criteria=criteria,
            phase=phase_spec(framework.phase),
            phases=phases,
        )


def report_from(
    *,
    factors,
    phases,
    criteria,
    evidence,
    factor_measures,
    with_framework=True,
    framework=None,
    framework_measures=None,
) -> MaturityReport:
    """The same report, from stored measures (a snapshot's) instead of computing them."""
    statuses = _statuses(
        factors, phases=phases, criteria=criteria, evidence=evidence, measures=factor_measures
    )
    report = MaturityReport(phases=phases, criteria=criteria, factors=statuses, evidence=evidence)
    if with_framework:
        _judge_framework(report, framework, framework_measures or {})
    return report


def factor_grid(status: FactorStatus, cells: dict, domains, *, min_domains: int) -> None:
    """Fill a factor's per-domain rows and name its classification's domains. `cells`:
    {domain_id: Cell} of the factor's published evidence; `domains`: Domain objects in name
    order, at least those of `cells`."""
    status.grid = [DomainRow(domain=d, cell=cells[d.pk]) for d in domains if d.pk in cells]
    status.classification = classify(
        {row.domain: row.outcome for row in status.grid}, min_domains=min_domains
    )  # the same classification, its domains named


def factor_status(factor: Factor, *, now: datetime | None = None) -> FactorStatus:
    """One factor's measures, verdicts and eligibility: the aggregates restricted to it.

    `factor` must come with its phase (Factor.objects.with_phase()). Computed once per
    page-cache generation, like maturity_report().
    """
    if now is not None:
        return _factor_status(factor, now=now)
    return cached_per_generation(
        f"factor_status:{factor.pk}", lambda: _factor_status(factor, now=None)
    )


def _factor_status(factor: Factor, *, now: datetime | None) -> FactorStatus:
    phases, criteria = _rules()
    evidence = Evidence(now=now, factor_ids=[factor.pk])
    [status] = _statuses([factor], phases=phases, criteria=criteria, evidence=evidence)
    cells = {d: cell for (f, d), cell in evidence.cells.items() if f == factor.pk and cell.total}
    domains = evidence_source().domain_model.objects.filter(pk__in=list(cells))  # one query
    factor_grid(status, cells, domains, min_domains=evidence.classification_min_domains)
    return status


# -- the evidence behind a number -------------------------------------------------------------


@dataclass
class EvidenceSection:
    """One kind of published item behind a number."""

    kind: str  # "case_study" | "adaptation" | "failure" | …: the model's KIND
    title: str
    queryset: QuerySet
    group_by: str = "domain"  # or "organization"


# The evidence behind each per-factor measure, registered by the app that computes it
# (cases/evidence_sections.py, cases/measures.py, failuremodes/measures.py):
# EVIDENCE_SECTIONS["open_challenges"] = lambda factor: [EvidenceSection(...), ...]; an app
# may return sections of its own kinds, which the page lists by title and link.
EVIDENCE_SECTIONS: dict[str, object] = {}


def confirmed_sections(sections: list[EvidenceSection], cutoff) -> list[EvidenceSection]:
    """The same sections, keeping only items confirmed (published or re-confirmed) since
    `cutoff`: the evidence behind a criterion that counts only confirmed evidence."""
    return [
        replace(
            s, queryset=s.queryset.filter(Q(published_at__gte=cutoff) | Q(confirmed_at__gte=cutoff))
        )
        for s in sections
    ]


def sections_for_measure(factor: Factor, key: str) -> list[EvidenceSection]:
    """The sections registered for `key` ([] for a measure with none)."""
    sections = EVIDENCE_SECTIONS.get(key)
    return sections(factor) if sections else []
