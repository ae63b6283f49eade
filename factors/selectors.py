"""Reads for the maturity pages: the report on all factors, and the evidence behind a number.

`maturity_report()` is the one call that gives measures and verdicts for every factor
and for the framework (the API and caching layers use it too). Every function here runs
a fixed number of queries, whatever the amount of evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from cases.kinds import KINDS
from cases.models import (
    Adaptation,
    CaseStudy,
    Deployment,
    Domain,
    FactorApplication,
    FailureReport,
    Organization,
    Outcome,
    QuantifiedResult,
)
from pagecache.generation import cached_per_generation

from . import maturity
from .classification import DomainOutcome, FactorClassification, classify
from .measures import FACTOR, FRAMEWORK, fresh_key
from .measuring import Cell, Evidence, measure_factors, measure_framework
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


@dataclass
class DomainRow:
    """One domain's published evidence about a factor, and the outcome it adds up to."""

    domain: Domain
    cell: Cell

    @property
    def outcome(self) -> DomainOutcome | None:
        return self.cell.outcome


@dataclass
class CoverageRow:
    domain: Domain
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
        return [
            CoverageRow(domain=d, cells=[(f, cells.get((f.pk, d.pk), Cell())) for f in factors])
            for d in Domain.objects.filter(pk__in=domain_ids).order_by("name")
        ]


def _statuses(factors, *, phases, criteria, evidence) -> list[FactorStatus]:
    measures = measure_factors([f.pk for f in factors], evidence=evidence)
    fresh_keys = maturity.fresh_measures_needed(criteria, FACTOR)
    if fresh_keys:  # a criterion counts only evidence confirmed within the ageing window
        fresh = measure_factors(measures, evidence=evidence.fresh(), keys=fresh_keys)
        measures = {f: _with_fresh(m, fresh[f], fresh_keys) for f, m in measures.items()}
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
        report.framework = framework
        report.framework_measures = measure_framework(evidence=evidence)
        fresh_keys = maturity.fresh_measures_needed(criteria, FRAMEWORK)
        if fresh_keys:
            fresh = measure_framework(evidence=evidence.fresh(), keys=fresh_keys)
            report.framework_measures = _with_fresh(report.framework_measures, fresh, fresh_keys)
        by_factor = {s.factor.pk: s.measures for s in statuses}
        report.framework_verdicts = maturity.evaluate_framework(
            framework_measures=report.framework_measures,
            factor_measures=by_factor,
            criteria=criteria,
        )
        if report.framework:
            report.framework_eligibility = maturity.framework_eligibility(
                framework_measures=report.framework_measures,
                factor_measures=by_factor,
                criteria=criteria,
                phase=phase_spec(report.framework.phase),
                phases=phases,
            )
            report.framework_standing = maturity.framework_standing(
                framework_measures=report.framework_measures,
                factor_measures=by_factor,
                criteria=criteria,
                phase=phase_spec(report.framework.phase),
                phases=phases,
            )
    return report


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
    status.grid = [
        DomainRow(domain=d, cell=cells[d.pk]) for d in Domain.objects.filter(pk__in=list(cells))
    ]  # one query, in name order
    status.classification = classify(
        {row.domain: row.outcome for row in status.grid},
        min_domains=evidence.classification_min_domains,
    )  # the same classification, its domains named
    return status


# -- the evidence behind a number -------------------------------------------------------------

EVIDENCE_PAGE_SIZE = 50


@dataclass
class EvidenceSection:
    """One kind of published item behind a number."""

    kind: str  # "case_study" | "adaptation" | "failure"
    title: str
    queryset: QuerySet
    group_by: str = "domain"  # or "organization"


@dataclass
class EvidenceGroup:
    """One domain (or organization) and how many items of each kind come from it."""

    obj: Domain | Organization
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _case_studies_for(factor: Factor, **filters) -> QuerySet:
    return (
        CaseStudy.objects.published()
        .filter(applications__factor=factor, **filters)
        .select_related("domain", "organization__domain")
    )


def section_items(section: EvidenceSection, factor: Factor) -> QuerySet:
    """A section's items for listing, ordered by group; case studies carry their `outcome`."""
    qs = section.queryset
    if section.kind == CS:
        outcome = FactorApplication.objects.filter(case_study=OuterRef("pk"), factor=factor)
        qs = qs.annotate(outcome=Subquery(outcome.values("outcome")[:1]))
    order = ["organization__name"] if section.group_by == "organization" else ["domain__name"]
    return qs.order_by(*order, "-published_at", "pk")


def _adaptations_for(factor: Factor, **filters) -> QuerySet:
    return (
        Adaptation.objects.published()
        .filter(factor=factor, **filters)
        .select_related("domain", "organization__domain")
    )


def _failures_for(factor: Factor, **filters) -> QuerySet:
    return (
        FailureReport.objects.published()
        .filter(factors=factor, **filters)
        .select_related("domain", "organization__domain")
    )


CS, AD, FR = "case_study", "adaptation", "failure"
WORKED_OR_ADAPTED = [Outcome.WORKED, Outcome.ADAPTED]


def _sections_for_measure(factor: Factor, key: str) -> list[EvidenceSection]:
    """What stands behind a per-factor measure: the same filters as factors/measuring.py."""
    if key == "domains":
        return [
            EvidenceSection(
                CS,
                "Case studies where it worked (as written or adapted)",
                _case_studies_for(factor, applications__outcome__in=WORKED_OR_ADAPTED),
            ),
            EvidenceSection(AD, "Adaptations", _adaptations_for(factor)),
        ]
    if key == "failures":
        return [
            EvidenceSection(FR, "Failure reports", _failures_for(factor)),
            EvidenceSection(
                CS,
                "Case studies where it failed",
                _case_studies_for(factor, applications__outcome=Outcome.FAILED),
            ),
        ]
    if key == "adaptations":
        return [
            EvidenceSection(AD, "Adaptations", _adaptations_for(factor)),
            EvidenceSection(
                CS,
                "Case studies where it worked with adaptation",
                _case_studies_for(factor, applications__outcome=Outcome.ADAPTED),
            ),
        ]
    if key == "failures_or_adaptations":
        return _sections_for_measure(factor, "failures") + [
            EvidenceSection(AD, "Adaptations", _adaptations_for(factor)),
            EvidenceSection(
                CS,
                "Case studies where it worked with adaptation",
                _case_studies_for(factor, applications__outcome=Outcome.ADAPTED),
            ),
        ]
    if key == "case_studies":
        return [EvidenceSection(CS, "Case studies applying it", _case_studies_for(factor))]
    if key == "organizations":
        return [
            EvidenceSection(
                CS,
                "Case studies applying it, by organization",
                _case_studies_for(factor, organization__isnull=False),
                group_by="organization",
            )
        ]
    if key == "organizations_in_production":
        return [
            EvidenceSection(
                CS,
                "Case studies in production applying it, by organization",
                _case_studies_for(
                    factor, organization__isnull=False, deployment=Deployment.PRODUCTION
                ),
                group_by="organization",
            )
        ]
    if key in DOMAIN_OUTCOME_MEASURES:
        return _sections_for_outcome(factor, DOMAIN_OUTCOME_MEASURES[key])
    if key == "quantified_case_studies":
        quantified = Exists(QuantifiedResult.objects.filter(case_study=OuterRef("pk")))
        return [
            EvidenceSection(
                CS,
                "Case studies with quantified results",
                _case_studies_for(factor).filter(quantified),
            )
        ]
    return []


DOMAIN_OUTCOME_MEASURES = {
    "domains_as_written": DomainOutcome.AS_WRITTEN,
    "domains_adapted": DomainOutcome.ADAPTED,
    "domains_failed": DomainOutcome.FAILED,
}


def _sections_for_outcome(factor: Factor, outcome: DomainOutcome) -> list[EvidenceSection]:
    """The evidence in the domains whose outcome for the factor is `outcome` (three aggregate
    queries find those domains, as factors/measuring.py counts them)."""
    cells = Evidence(factor_ids=[factor.pk]).cells
    ids = [d for (f, d), cell in cells.items() if f == factor.pk and cell.outcome == outcome]
    there = {"domain__in": ids}
    if outcome == DomainOutcome.AS_WRITTEN:
        return [
            EvidenceSection(
                CS,
                "Case studies where it worked as written",
                _case_studies_for(factor, applications__outcome=Outcome.WORKED, **there),
            ),
            EvidenceSection(AD, "Adaptations in these domains", _adaptations_for(factor, **there)),
        ]
    failures = [
        EvidenceSection(
            CS,
            "Case studies where it failed",
            _case_studies_for(factor, applications__outcome=Outcome.FAILED, **there),
        ),
        EvidenceSection(FR, "Failure reports", _failures_for(factor, **there)),
    ]
    if outcome == DomainOutcome.ADAPTED:
        return [
            EvidenceSection(AD, "Adaptations", _adaptations_for(factor, **there)),
            EvidenceSection(
                CS,
                "Case studies where it worked with adaptation",
                _case_studies_for(factor, applications__outcome=Outcome.ADAPTED, **there),
            ),
            *failures,
        ]
    return failures


# Another app may add the evidence behind a measure it registers (e.g. open_challenges):
# EVIDENCE_SECTIONS["open_challenges"] = lambda factor: [...]; it may also return sections
# of its own kinds, which the page lists by title and link.
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
    custom = EVIDENCE_SECTIONS.get(key)
    return custom(factor) if custom else _sections_for_measure(factor, key)


def sections_for_factor(factor: Factor, **filters) -> list[EvidenceSection]:
    """Everything published about a factor, kind by kind (case studies, adaptations, …).

    With domain=d, one cell of the coverage matrix.
    """
    sections = []
    for key, kind in KINDS.items():
        qs = kind.model.objects.published().filter(**{kind.model.factor_path: factor}, **filters)
        qs = qs.select_related("domain", "organization__domain")
        sections.append(EvidenceSection(key, kind.title, qs))
    return sections


def evidence_groups(sections: list[EvidenceSection]) -> list[EvidenceGroup]:
    """Per domain (or organization): how many items of each kind. One query per section + one."""
    counts: dict[int, dict[str, int]] = {}
    group_by = sections[0].group_by if sections else "domain"
    for section in sections:
        rows = section.queryset.values(group_by).annotate(n=Count("pk", distinct=True)).order_by()
        for row in rows:
            group = counts.setdefault(row[group_by], {})
            group[section.title] = group.get(section.title, 0) + row["n"]
    model = Organization if group_by == "organization" else Domain
    objects = model.objects.filter(pk__in=list(counts))
    if model is Organization:
        objects = objects.select_related("domain")
    groups = [EvidenceGroup(obj=o, counts=counts[o.pk]) for o in objects]
    return sorted(groups, key=lambda g: (-g.total, str(g.obj)))
