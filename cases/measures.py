"""The reference implementations' part of the maturity measures, registered with
factors/measuring.py (like community/measures.py) from CasesConfig.ready().

- reference_implementations: per factor, published reference implementations that
  implement it; framework-wide, published reference implementations.
- reference_implementation_domains: per factor, the distinct domains of those; framework-wide,
  the distinct domains of all published reference implementations.

Only published items count (state published, not hidden). The two per-factor measures
share one grouped query, the two framework-wide ones one aggregate.

And quantified improvement (the rules are in cases/improvement.py):

- case_studies_improved: per factor, published case studies applying it (worked as written
  or with adaptation: a case study where it failed does not count for it) whose results on
  the metric vocabulary improved (verdict "improved": at least one improved, none
  worsened); framework-wide, published case studies with that verdict. One query each.

Every maturity snapshot (factors/history.py) keeps each factor's per-metric summary under
"improvement" (`improvement_data`, registered with `snapshot_extra`); a factor's page reads it
back with `stored_metric_summaries`.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery

from factors.history import snapshot_extra
from factors.measuring import factor_measure, framework_measure
from factors.models import MaturitySnapshot
from factors.selectors import EVIDENCE_SECTIONS, EvidenceSection

from . import improvement
from .improvement import Direction, MetricSummary, Verdict
from .models import (
    CaseStudy,
    FactorApplication,
    FactorImplementation,
    Metric,
    Outcome,
    QuantifiedResult,
    ReferenceImplementation,
)

KIND = ReferenceImplementation.KIND


def _by_factor(ev) -> dict[int, dict]:
    """{factor_id: {"n": implementations, "domains": distinct domains}}, once per Evidence."""
    return ev.memo("cases:reference_implementations", _query_by_factor)


def _query_by_factor(ev) -> dict[int, dict]:
    rows = (
        ev.only(FactorImplementation.objects, "factor")
        .filter(reference_implementation__in=ev.published(ReferenceImplementation))
        .values("factor_id")
        .annotate(
            n=Count("reference_implementation", distinct=True),
            domains=Count("reference_implementation__domain", distinct=True),
        )
        .order_by()
    )
    return {row["factor_id"]: row for row in rows}


def _totals(ev) -> dict:
    return ev.memo(
        "cases:reference_implementation_totals",
        lambda ev: ev.published(ReferenceImplementation).aggregate(
            n=Count("pk"), domains=Count("domain", distinct=True)
        ),
    )


@factor_measure("reference_implementations")
def factor_reference_implementations(ev) -> dict[int, int]:
    return {f: row["n"] for f, row in _by_factor(ev).items()}


@factor_measure("reference_implementation_domains")
def factor_reference_implementation_domains(ev) -> dict[int, int]:
    return {f: row["domains"] for f, row in _by_factor(ev).items()}


@framework_measure("reference_implementations")
def framework_reference_implementations(ev) -> int:
    return _totals(ev)["n"] or 0


@framework_measure("reference_implementation_domains")
def framework_reference_implementation_domains(ev) -> int:
    return _totals(ev)["domains"] or 0


def implementations_of(factor) -> list[EvidenceSection]:
    """The evidence behind both measures on a factor's page: its reference implementations,
    grouped by domain."""
    qs = (
        ReferenceImplementation.objects.published()
        .filter(implementations__factor=factor)
        .select_related("domain", "organization__domain")
    )
    return [EvidenceSection(KIND, "Reference implementations", qs)]


EVIDENCE_SECTIONS["reference_implementations"] = implementations_of
EVIDENCE_SECTIONS["reference_implementation_domains"] = implementations_of


# -- quantified improvement -------------------------------------------------------------------


def _published_case_study_ids(ev):
    """The case studies the measures count (for a fresh-only criterion, confirmed ones only)."""
    return ev.published(CaseStudy).values("pk")


def _verdicts(ev) -> tuple[dict[int, Verdict | None], list[tuple[int, int, str]]]:
    """({case study: verdict}, [(case study, factor, outcome)]) of published case studies with
    a vocabulary result: one query (results joined to the factor applications), once per
    Evidence, shared by the per-factor and the framework-wide measure."""
    return ev.memo("cases:improvement_verdicts", _query_verdicts)


def _query_verdicts(ev) -> tuple[dict[int, Verdict | None], list[tuple[int, int, str]]]:
    rows = (
        QuantifiedResult.objects.filter(
            case_study__in=_published_case_study_ids(ev), standard_metric__isnull=False
        )
        .values_list(
            "pk",
            "case_study_id",
            "before",
            "after",
            "standard_metric__better",
            "case_study__applications__factor_id",
            "case_study__applications__outcome",
        )
        .order_by()
    )
    directions: dict[int, dict[int, Direction]] = defaultdict(dict)
    applications = set()
    for pk, case_study_id, before, after, better, factor_id, outcome in rows:
        directions[case_study_id][pk] = improvement.direction(before, after, better)
        if factor_id is not None:
            applications.add((case_study_id, factor_id, outcome))
    verdicts = {
        cs: improvement.case_study_verdict(seen.values()) for cs, seen in directions.items()
    }
    return verdicts, sorted(applications)


@factor_measure("case_studies_improved")
def factor_case_studies_improved(ev) -> dict[int, int]:
    verdicts, applications = _verdicts(ev)
    counts: dict[int, int] = defaultdict(int)
    for case_study_id, factor_id, outcome in applications:
        if outcome != Outcome.FAILED and verdicts[case_study_id] == Verdict.IMPROVED:
            counts[factor_id] += 1
    return counts


@framework_measure("case_studies_improved")
def framework_case_studies_improved(ev) -> int:
    verdicts, _ = _verdicts(ev)
    return list(verdicts.values()).count(Verdict.IMPROVED)


@dataclass
class CaseStudyImprovement:
    """One published case study applying the factor, with its quantified results."""

    case_study: CaseStudy
    outcome: str  # how the factor went in it
    results: list  # its QuantifiedResult rows (vocabulary and other)
    verdict: Verdict | None  # None: no vocabulary result

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label

    @property
    def counts_for_factor(self) -> bool:
        """Whether it counts in case_studies_improved for this factor."""
        return self.verdict == Verdict.IMPROVED and self.outcome != Outcome.FAILED


@dataclass
class FactorImprovement:
    """The quantified improvement of one factor's published case studies."""

    case_studies: list[CaseStudyImprovement] = field(default_factory=list)
    metrics: list[tuple[Metric, MetricSummary]] = field(default_factory=list)

    @property
    def by_verdict(self) -> list[tuple[Verdict, list[CaseStudyImprovement]]]:
        return [
            (v, [c for c in self.case_studies if c.verdict == v]) for v in improvement.VERDICT_ORDER
        ]

    @property
    def only_other(self) -> list[CaseStudyImprovement]:
        """Case studies whose results name no vocabulary metric (shown, not added up)."""
        return [c for c in self.case_studies if c.verdict is None]

    @property
    def improved(self) -> int:
        """The factor's case_studies_improved (the same rule as the measure)."""
        return sum(1 for c in self.case_studies if c.counts_for_factor)


def improvement_of(factor) -> FactorImprovement:
    """Every published case study applying the factor with a quantified result, its results
    and verdict, and the per-metric summary of their vocabulary results. Two queries."""
    return improvements([factor.pk]).get(factor.pk) or FactorImprovement()


def improvements(factor_ids=None) -> dict[int, FactorImprovement]:
    """{factor_id: its FactorImprovement} for the factors given (all when None), for factors
    with at least one published case study with a quantified result. Two queries."""
    applications = FactorApplication.objects.filter(
        case_study__in=CaseStudy.objects.published().values("pk")
    ).filter(Exists(QuantifiedResult.objects.filter(case_study=OuterRef("case_study"))))
    if factor_ids is not None:
        applications = applications.filter(factor_id__in=list(factor_ids))
    applications = (
        applications.select_related("case_study")
        .prefetch_related(
            Prefetch(
                "case_study__quantified",
                QuantifiedResult.objects.select_related("standard_metric"),
            )
        )
        .order_by("factor_id", "-case_study__published_at", "case_study__pk")
    )
    rows: dict[int, list] = defaultdict(list)
    for a in applications:
        rows[a.factor_id].append((a.case_study, a.outcome, list(a.case_study.quantified.all())))
    return {factor_id: summarize(factor_rows) for factor_id, factor_rows in rows.items()}


@dataclass
class ImprovementShown:
    """A factor page's quantified improvement: the counts and per-metric summaries over every
    case study (as the maturity snapshot holds them), and the most recent case studies."""

    improved: int  # its case_studies_improved
    quantified: int  # its quantified_case_studies
    metrics: list[tuple[Metric, MetricSummary]]
    case_studies: list[CaseStudyImprovement]  # the most recent


def recent_improvements(factor, *, limit: int) -> list[CaseStudyImprovement]:
    """The `limit` most recently published case studies applying the factor with a quantified
    result, with their results and verdict: one query (the results, each with its case study
    and metric), whatever the amount of evidence."""
    newest = (
        CaseStudy.objects.published()
        .filter(applications__factor=factor)
        .filter(Exists(QuantifiedResult.objects.filter(case_study=OuterRef("pk"))))
        .order_by("-published_at", "pk")
        .values("pk")[:limit]
    )  # from the case studies, newest first: the index on published_at serves the limit
    outcome = FactorApplication.objects.filter(case_study=OuterRef("case_study"), factor=factor)
    results = (
        QuantifiedResult.objects.filter(case_study__in=newest)
        .select_related("case_study", "standard_metric")
        .annotate(factor_outcome=Subquery(outcome.values("outcome")[:1]))
        .order_by("-case_study__published_at", "case_study", "pk")
    )
    rows: dict[int, tuple] = {}
    for result in results:
        rows.setdefault(result.case_study_id, (result.case_study, result.factor_outcome, []))
        rows[result.case_study_id][2].append(result)
    return summarize(rows.values()).case_studies


def metric_summaries() -> dict[int, list[tuple[Metric, MetricSummary]]]:
    """{factor_id: FactorImprovement.metrics}: per factor, the summary of each vocabulary
    metric over the published case studies applying it. Two queries (the results as plain
    values, the metrics), no row object per result: what a maturity snapshot stores."""
    rows = (
        QuantifiedResult.objects.filter(
            case_study__in=CaseStudy.objects.published().values("pk"),
            standard_metric__isnull=False,
            case_study__applications__isnull=False,
        )
        .values_list("case_study__applications__factor_id", "standard_metric_id", "before", "after")
        .order_by()
    )
    by_factor: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for factor_id, metric_id, before, after in rows:
        by_factor[factor_id][metric_id].append((before, after))
    ids = {m for per_metric in by_factor.values() for m in per_metric}
    metrics = list(Metric.objects.filter(pk__in=ids)) if ids else []
    metrics.sort(key=lambda m: (m.order, m.name))
    return {
        factor_id: [
            (m, improvement.summarize_metric(per_metric[m.pk], m.better))
            for m in metrics
            if m.pk in per_metric
        ]
        for factor_id, per_metric in by_factor.items()
    }


# -- in every maturity snapshot (factors/history.py) ------------------------------------------

SUMMARY_FIELDS = ("results", "improved", "worsened", "unchanged", "without_relative_change")
SUMMARY_DECIMALS = ("median", "lowest", "highest")


@snapshot_extra("improvement")
def improvement_data() -> dict:
    """Per factor, the summary of each vocabulary metric (a factor page's quantified
    improvement table) by metric id, as plain values: decimals as text, exact. Two queries."""
    return {
        str(factor_id): [
            [m.pk]
            + [getattr(s, n) for n in SUMMARY_FIELDS]
            + [None if getattr(s, n) is None else str(getattr(s, n)) for n in SUMMARY_DECIMALS]
            for m, s in rows
        ]
        for factor_id, rows in metric_summaries().items()
    }


def stored_metric_summaries(snapshot: MaturitySnapshot, factor_id: int) -> list:
    """A factor's [(Metric, MetricSummary)]: the figures as the snapshot stored them, the
    metrics (names, definitions: text, not figures) read now, in their order. One query
    when the factor has any."""
    summaries = {}
    for pk, *rest in snapshot.data.get("improvement", {}).get(str(factor_id), []):
        counts = dict(zip(SUMMARY_FIELDS, rest, strict=False))
        decimals = {
            n: None if v is None else Decimal(v)
            for n, v in zip(SUMMARY_DECIMALS, rest[len(SUMMARY_FIELDS) :], strict=True)
        }
        summaries[pk] = MetricSummary(**counts, **decimals)
    if not summaries:
        return []
    metrics = sorted(Metric.objects.filter(pk__in=summaries), key=lambda m: (m.order, m.name))
    return [(m, summaries[m.pk]) for m in metrics]


def summarize(rows) -> FactorImprovement:
    """(case study, the factor's outcome in it, its results) rows → the factor's summary."""
    summary = FactorImprovement()
    by_metric: dict[int, list] = defaultdict(list)
    metrics: dict[int, Metric] = {}
    for case_study, outcome, results in rows:
        directions = [r.direction for r in results if r.standard_metric_id]
        summary.case_studies.append(
            CaseStudyImprovement(
                case_study, outcome, results, improvement.case_study_verdict(directions)
            )
        )
        for r in results:
            if r.standard_metric_id:
                metrics[r.standard_metric_id] = r.standard_metric
                by_metric[r.standard_metric_id].append((r.before, r.after))
    ordered = sorted(metrics.values(), key=lambda m: (m.order, m.name))
    summary.metrics = [
        (m, improvement.summarize_metric(by_metric[m.pk], m.better)) for m in ordered
    ]
    return summary


def improved_case_studies_of(factor) -> list[EvidenceSection]:
    """The evidence behind case_studies_improved on a factor's page (three queries)."""
    counted = [c.case_study.pk for c in improvement_of(factor).case_studies if c.counts_for_factor]
    qs = (
        CaseStudy.objects.published()
        .filter(pk__in=counted)
        .select_related("domain", "organization__domain")
    )
    return [EvidenceSection(CaseStudy.KIND, "Case studies reporting improvement", qs)]


EVIDENCE_SECTIONS["case_studies_improved"] = improved_case_studies_of
