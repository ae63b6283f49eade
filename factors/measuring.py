"""Measures computed from published evidence, for all twelve factors at once.

Only `.published()` evidence counts (state published and not hidden): drafts,
submissions under review, rejected, withdrawn and hidden items never do.

How it stays fast: the `Evidence` object runs a handful of aggregate queries
(grouped by factor, or by factor and domain), each at most once and only when a
measure needs it; every per-factor measure is derived from those rows in Python.
The number of queries does not depend on the amount of evidence.

How it is extended: each measure key of factors/measures.py maps to a computation
in FACTOR_COMPUTATIONS and/or FRAMEWORK_COMPUTATIONS, registered with the
`@factor_measure(key)` / `@framework_measure(key)` decorators. Another app replaces
or adds one by registering again (e.g. the community app registering
`open_challenges` from its feedback threads); `engaged_members` counts the distinct
people returned by every source in ENGAGEMENT_SOURCES, which another app extends with
`@engagement_source("feedback")`. Register from the app's `AppConfig.ready()`.
Each computation receives the shared `Evidence` (with `now` and `since`) and should
run at most one aggregate query of its own.

The definitions (also in factors/measures.py, shown on the site):

Per factor
- domains: distinct domains of published case studies that applied the factor with
  outcome "worked" or "adapted", together with the domains of published adaptations
  of the factor (a domain counts once).
- failures: published failure reports naming the factor, plus published case studies
  whose application of the factor failed.
- adaptations: published adaptations of the factor, plus published case studies whose
  application of the factor worked with adaptation.
- failures_or_adaptations: failures + adaptations.
- case_studies: published case studies applying the factor (any outcome).
- organizations: distinct organizations with a published case study applying the factor.
- organizations_in_production: the same, counting only case studies in production.
- quantified_case_studies: published case studies applying the factor that report at
  least one quantified result.
- case_studies_improved: registered by cases/measures.py: published case studies applying
  the factor (not failed) whose vocabulary results read as "improved" (cases/improvement.py).
- open_challenges: 0 until the community app registers its computation.
- domains_as_written, domains_adapted, domains_failed: domains whose outcome for the
  factor is "worked as written", "worked only with adaptation", "failed" (the rules are
  in factors/classification.py; Cell.outcome applies them to one factor × domain).

Framework-wide
- domains: distinct domains with any published evidence (case study, adaptation or
  failure report).
- failures: published failure reports, plus failed applications in published case
  studies. adaptations: published adaptations, plus applications that worked with
  adaptation. failures_or_adaptations: their sum.
- case_studies, organizations, organizations_in_production, quantified_case_studies:
  as per factor, over all published case studies.
- active_collaborators: distinct authors of evidence published within the activity
  window (settings.ACTIVITY_WINDOW_DAYS).
- engaged_members: distinct people who, within the activity window, submitted an item
  (a state change to "submitted" they made), reviewed one (a state change to
  published, changes requested or rejected they made), or contributed through any
  other registered engagement source (feedback).
- factors_meeting_phase: computed by factors/maturity.py from per-factor measures.
- factors_unproven: factors classified "unproven" (factors/classification.py), with the
  framework's classification_min_domains; a factor with no evidence is unproven.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cases.ageing import ageing_cutoff
from cases.models import (
    Adaptation,
    CaseStudy,
    Deployment,
    Domain,
    FactorApplication,
    FailureReport,
    Outcome,
    QuantifiedResult,
    State,
    StateChange,
)

from .classification import DomainOutcome, FactorClassification, classify, domain_outcome
from .measures import FACTOR, FRAMEWORK, MEASURES
from .models import Factor, Framework

FactorComputation = Callable[["Evidence"], Mapping[int, int]]
FrameworkComputation = Callable[["Evidence"], int]
EngagementSource = Callable[["Evidence"], QuerySet]

FACTOR_COMPUTATIONS: dict[str, FactorComputation] = {}
FRAMEWORK_COMPUTATIONS: dict[str, FrameworkComputation] = {}
ENGAGEMENT_SOURCES: dict[str, EngagementSource] = {}


def factor_measure(key: str):
    """Register (or replace) a per-factor measure: fn(evidence) -> {factor_id: n}."""

    def register(fn: FactorComputation) -> FactorComputation:
        if key not in MEASURES:
            raise KeyError(f"Unknown measure {key!r}: add it to factors/measures.py first.")
        FACTOR_COMPUTATIONS[key] = fn
        return fn

    return register


def framework_measure(key: str):
    """Register (or replace) how a framework-wide measure is computed: fn(evidence) -> n."""

    def register(fn: FrameworkComputation) -> FrameworkComputation:
        if key not in MEASURES:
            raise KeyError(f"Unknown measure {key!r}: add it to factors/measures.py first.")
        FRAMEWORK_COMPUTATIONS[key] = fn
        return fn

    return register


def engagement_source(name: str):
    """Register a source of engaged members: fn(evidence) -> the user ids of people who took
    part since `evidence.since`, as a one-column queryset (best: it becomes a subquery) or
    any iterable of ids.

    For example, in the community app's AppConfig.ready():

        from factors.measuring import engagement_source, factor_measure
        engagement_source("feedback")(lambda ev: feedback_author_ids(since=ev.since))
        factor_measure("open_challenges")(lambda ev: open_challenges_by_factor())
    """

    def register(fn: EngagementSource) -> EngagementSource:
        ENGAGEMENT_SOURCES[name] = fn
        return fn

    return register


def _published_ids(ev: Evidence, model) -> QuerySet:
    return ev.published(model).values("pk")


def _published_applications(ev: Evidence) -> QuerySet:
    return FactorApplication.objects.filter(case_study__in=_published_ids(ev, CaseStudy))


def _has_quantified_result() -> Exists:
    return Exists(QuantifiedResult.objects.filter(case_study=OuterRef("case_study")))


@dataclass
class Cell:
    """Published evidence about one factor in one domain."""

    worked: int = 0  # case-study applications that worked as written
    adapted: int = 0  # ... that worked with adaptation
    failed: int = 0  # ... that failed
    adaptations: int = 0  # published adaptations
    failure_reports: int = 0  # published failure reports naming the factor

    @property
    def case_studies(self) -> int:
        return self.worked + self.adapted + self.failed

    @property
    def total(self) -> int:
        """Every published item about the factor in the domain (the coverage matrix number)."""
        return self.case_studies + self.adaptations + self.failure_reports

    @property
    def validates(self) -> bool:
        """Whether the factor worked here, as written or with adaptation."""
        return bool(self.worked or self.adapted or self.adaptations)

    @property
    def outcome(self) -> DomainOutcome | None:
        """The domain's outcome for the factor (factors/classification.py has the rules)."""
        return domain_outcome(
            worked=self.worked,
            adapted=self.adapted + self.adaptations,
            failed=self.failed + self.failure_reports,
        )


class Evidence:
    """The aggregate queries behind the measures, each run at most once, when first needed."""

    def __init__(
        self,
        *,
        now: datetime | None = None,
        factor_ids: Iterable[int] | None = None,
        framework: Framework | None = None,
        factor_count: int | None = None,
        confirmed_since: datetime | None = None,
    ):
        """`factor_ids` restricts the per-factor aggregates to those factors (a factor's own
        page needs only its own numbers); framework-wide measures ignore it. A caller that
        has already read the framework row or counted the factors passes them on, saving
        a query each. `confirmed_since` counts only evidence confirmed (published or
        re-confirmed) since then: see `fresh()`."""
        self.now = now or timezone.now()
        self.confirmed_since = confirmed_since
        self.since = self.now - timedelta(days=settings.ACTIVITY_WINDOW_DAYS)
        self.factor_ids = list(factor_ids) if factor_ids is not None else None
        if framework is not None:
            self.classification_min_domains = framework.classification_min_domains
        if factor_count is not None:
            self.factor_count = factor_count

    def published(self, model) -> QuerySet:
        """The evidence of `model` these measures count: published (and, for fresh
        measures, confirmed within the ageing window)."""
        if self.confirmed_since is None:
            return model.objects.published()
        return model.objects.confirmed_since(self.confirmed_since)

    def fresh(self) -> Evidence:
        """The same measures over evidence confirmed within the ageing window only
        (settings.EVIDENCE_AGEING_MONTHS, cases/ageing.py): what a criterion set to count
        only confirmed evidence reads. Its own aggregate queries, run when first needed."""
        fresh = Evidence(now=self.now, factor_ids=self.factor_ids)
        fresh.confirmed_since = ageing_cutoff(self.now)
        for name in ("classification_min_domains", "factor_count"):
            if name in self.__dict__:
                setattr(fresh, name, self.__dict__[name])
        return fresh

    def _only(self, queryset: QuerySet, lookup: str) -> QuerySet:
        if self.factor_ids is None:
            return queryset
        return queryset.filter(**{f"{lookup}__in": self.factor_ids})

    # -- per factor and domain ----------------------------------------------------------
    @cached_property
    def cells(self) -> dict[tuple[int, int], Cell]:
        """{(factor_id, domain_id): Cell}: three grouped queries, bounded by factors × domains."""
        cells: dict[tuple[int, int], Cell] = defaultdict(Cell)
        rows = (
            self._only(self.published(CaseStudy), "applications__factor")
            .values("applications__factor", "domain", "applications__outcome")
            .annotate(n=Count("applications"))
            .order_by()
        )
        for row in rows:
            if row["applications__factor"] is None:
                continue  # a case study that applies no factor
            cell = cells[(row["applications__factor"], row["domain"])]
            outcome = row["applications__outcome"]
            setattr(cell, outcome, getattr(cell, outcome) + row["n"])
        rows = (
            self._only(self.published(Adaptation), "factor")
            .values("factor_id", "domain_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            cells[(row["factor_id"], row["domain_id"])].adaptations += row["n"]
        rows = (
            self._only(FailureReport.factors.through.objects, "factor")
            .filter(failurereport__in=_published_ids(self, FailureReport))
            .values("factor_id", "failurereport__domain_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            cells[(row["factor_id"], row["failurereport__domain_id"])].failure_reports += row["n"]
        return dict(cells)

    def factor_totals(self) -> dict[int, Cell]:
        totals: dict[int, Cell] = defaultdict(Cell)
        for (factor_id, _), cell in self.cells.items():
            t = totals[factor_id]
            for name in ("worked", "adapted", "failed", "adaptations", "failure_reports"):
                setattr(t, name, getattr(t, name) + getattr(cell, name))
        return totals

    @cached_property
    def classification_min_domains(self) -> int:
        """The framework's setting N (domains needed to classify a factor): one query."""
        value = Framework.objects.values_list("classification_min_domains", flat=True).first()
        return value or 3

    @cached_property
    def factor_count(self) -> int:
        return Factor.objects.count()

    def classifications(self) -> dict[int, FactorClassification]:
        """{factor_id: classification}, domains given by id, for every factor with evidence
        (a factor missing here has none: unproven)."""
        outcomes: dict[int, dict[int, DomainOutcome | None]] = defaultdict(dict)
        for (factor_id, domain_id), cell in self.cells.items():
            outcomes[factor_id][domain_id] = cell.outcome
        n = self.classification_min_domains
        return {f: classify(by_domain, min_domains=n) for f, by_domain in outcomes.items()}

    def classification_for(self, factor_id: int) -> FactorClassification:
        found = self.classifications().get(factor_id)
        return found or classify({}, min_domains=self.classification_min_domains)

    @cached_property
    def organizations(self) -> dict[int, dict]:
        """{factor_id: {"organizations": n, "organizations_in_production": n}}: distinct
        organizations of published case studies applying each factor, one grouped query."""
        rows = (
            self._only(self.published(CaseStudy), "applications__factor")
            .values("applications__factor")
            .annotate(
                organizations=Count("organization", distinct=True),
                organizations_in_production=Count(
                    "organization", distinct=True, filter=Q(deployment=Deployment.PRODUCTION)
                ),
            )
            .order_by()
        )
        return {row["applications__factor"]: row for row in rows}

    @cached_property
    def quantified(self) -> dict[int, int]:
        """{factor_id: published case studies applying it with a quantified result}."""
        rows = (
            self._only(_published_applications(self), "factor")
            .filter(_has_quantified_result())
            .values("factor_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {row["factor_id"]: row["n"] for row in rows}

    # -- framework-wide -------------------------------------------------------------------
    @cached_property
    def case_study_totals(self) -> dict:
        """Framework-wide case-study counts and published failure reports, in one query."""
        return self.published(CaseStudy).aggregate(
            case_studies=Count("pk"),
            organizations=Count("organization", distinct=True),
            organizations_in_production=Count(
                "organization", distinct=True, filter=Q(deployment=Deployment.PRODUCTION)
            ),
            quantified_case_studies=Count(
                "pk", filter=Q(Exists(QuantifiedResult.objects.filter(case_study=OuterRef("pk"))))
            ),
        )

    @cached_property
    def failure_report_count(self) -> int:
        return self.published(FailureReport).count()

    @cached_property
    def adaptation_count(self) -> int:
        return self.published(Adaptation).count()

    def distinct_users(self, sources: Iterable[QuerySet]) -> int:
        """Distinct people across several querysets of user ids, counted in one query."""
        condition = Q(pk__in=[])
        for source in sources:
            condition |= Q(pk__in=source)
        return get_user_model().objects.filter(condition).count()


# -- per-factor computations ----------------------------------------------------------------


@factor_measure("domains")
def _factor_domains(ev: Evidence) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for (factor_id, _), cell in ev.cells.items():
        if cell.validates:
            counts[factor_id] += 1
    return counts


@factor_measure("failures")
def _factor_failures(ev: Evidence) -> dict[int, int]:
    return {f: t.failed + t.failure_reports for f, t in ev.factor_totals().items()}


@factor_measure("adaptations")
def _factor_adaptations(ev: Evidence) -> dict[int, int]:
    return {f: t.adapted + t.adaptations for f, t in ev.factor_totals().items()}


@factor_measure("failures_or_adaptations")
def _factor_failures_or_adaptations(ev: Evidence) -> dict[int, int]:
    return {
        f: t.failed + t.failure_reports + t.adapted + t.adaptations
        for f, t in ev.factor_totals().items()
    }


@factor_measure("case_studies")
def _factor_case_studies(ev: Evidence) -> dict[int, int]:
    return {f: t.case_studies for f, t in ev.factor_totals().items()}


@factor_measure("organizations")
def _factor_organizations(ev: Evidence) -> dict[int, int]:
    return {f: row["organizations"] for f, row in ev.organizations.items()}


@factor_measure("organizations_in_production")
def _factor_organizations_in_production(ev: Evidence) -> dict[int, int]:
    return {f: row["organizations_in_production"] for f, row in ev.organizations.items()}


@factor_measure("quantified_case_studies")
def _factor_quantified(ev: Evidence) -> dict[int, int]:
    return ev.quantified


@factor_measure("open_challenges")
def _factor_open_challenges(ev: Evidence) -> dict[int, int]:
    return {}  # replaced by the community app's feedback threads


def _domains_with(outcome: DomainOutcome) -> FactorComputation:
    def compute(ev: Evidence) -> dict[int, int]:
        counts: dict[int, int] = defaultdict(int)
        for (factor_id, _), cell in ev.cells.items():
            if cell.outcome == outcome:
                counts[factor_id] += 1
        return counts

    return compute


factor_measure("domains_as_written")(_domains_with(DomainOutcome.AS_WRITTEN))
factor_measure("domains_adapted")(_domains_with(DomainOutcome.ADAPTED))
factor_measure("domains_failed")(_domains_with(DomainOutcome.FAILED))


# -- framework computations -----------------------------------------------------------------


@framework_measure("domains")
def _framework_domains(ev: Evidence) -> int:
    return Domain.objects.filter(
        Q(pk__in=ev.published(CaseStudy).values("domain"))
        | Q(pk__in=ev.published(Adaptation).values("domain"))
        | Q(pk__in=ev.published(FailureReport).values("domain"))
    ).count()


def _application_outcomes(ev: Evidence) -> dict[str, int]:
    totals = {Outcome.WORKED: 0, Outcome.ADAPTED: 0, Outcome.FAILED: 0}
    for cell in ev.cells.values():
        totals[Outcome.WORKED] += cell.worked
        totals[Outcome.ADAPTED] += cell.adapted
        totals[Outcome.FAILED] += cell.failed
    return totals


@framework_measure("failures")
def _framework_failures(ev: Evidence) -> int:
    return ev.failure_report_count + _application_outcomes(ev)[Outcome.FAILED]


@framework_measure("adaptations")
def _framework_adaptations(ev: Evidence) -> int:
    return ev.adaptation_count + _application_outcomes(ev)[Outcome.ADAPTED]


@framework_measure("failures_or_adaptations")
def _framework_failures_or_adaptations(ev: Evidence) -> int:
    return _framework_failures(ev) + _framework_adaptations(ev)


def _case_study_total(key: str) -> FrameworkComputation:
    def compute(ev: Evidence) -> int:
        return ev.case_study_totals[key] or 0

    return compute


for _key in (
    "case_studies",
    "organizations",
    "organizations_in_production",
    "quantified_case_studies",
):
    framework_measure(_key)(_case_study_total(_key))


@framework_measure("active_collaborators")
def _framework_active_collaborators(ev: Evidence) -> int:
    return ev.distinct_users(
        ev.published(model)
        .filter(published_at__gte=ev.since, author__isnull=False)
        .values("author")
        for model in (CaseStudy, Adaptation, FailureReport)
    )


@framework_measure("engaged_members")
def _framework_engaged_members(ev: Evidence) -> int:
    return ev.distinct_users(source(ev) for source in ENGAGEMENT_SOURCES.values())


@framework_measure("open_challenges")
def _framework_open_challenges(ev: Evidence) -> int:
    return 0  # replaced by the community app's feedback threads


@framework_measure("factors_unproven")
def _framework_factors_unproven(ev: Evidence) -> int:
    """Every factor without evidence is unproven, and so is each one classified so."""
    classified = sum(1 for c in ev.classifications().values() if c.classified)
    return ev.factor_count - classified


@engagement_source("submitted")
def _submitters(ev: Evidence) -> QuerySet:
    return StateChange.objects.filter(
        to_state=State.SUBMITTED, created_at__gte=ev.since, actor__isnull=False
    ).values("actor")


@engagement_source("reviewed")
def _reviewers(ev: Evidence) -> QuerySet:
    return StateChange.objects.filter(
        to_state__in=[State.PUBLISHED, State.CHANGES_REQUESTED, State.REJECTED],
        created_at__gte=ev.since,
        actor__isnull=False,
    ).values("actor")


# -- public entry points --------------------------------------------------------------------


def factor_measure_keys() -> list[str]:
    return [k for k, m in MEASURES.items() if FACTOR in m.scopes and k in FACTOR_COMPUTATIONS]


def framework_measure_keys() -> list[str]:
    return [k for k, m in MEASURES.items() if FRAMEWORK in m.scopes and k in FRAMEWORK_COMPUTATIONS]


def measure_factors(
    factor_ids: Iterable[int],
    *,
    evidence: Evidence | None = None,
    keys: Iterable[str] | None = None,
) -> dict[int, dict[str, int]]:
    """{factor_id: {measure key: value}} for every factor given, every per-factor measure.

    Runs a fixed number of aggregate queries, whatever the amount of evidence.
    """
    evidence = evidence or Evidence()
    factor_ids = list(factor_ids)
    result: dict[int, dict[str, int]] = {f: {} for f in factor_ids}
    for key in keys if keys is not None else factor_measure_keys():
        values = FACTOR_COMPUTATIONS[key](evidence)
        for f in factor_ids:
            result[f][key] = int(values.get(f, 0))
    return result


def measure_framework(
    *, evidence: Evidence | None = None, keys: Iterable[str] | None = None
) -> dict[str, int]:
    """{measure key: value} for every framework-wide measure except factors_meeting_phase,
    which depends on the criteria and is computed by factors/maturity.py."""
    evidence = evidence or Evidence()
    return {
        key: int(FRAMEWORK_COMPUTATIONS[key](evidence))
        for key in (keys if keys is not None else framework_measure_keys())
    }
