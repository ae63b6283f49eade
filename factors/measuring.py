"""The measure registry: how each measure of factors/measures.py is computed, for all twelve
factors at once, by the apps that hold the evidence.

This app counts no evidence itself (it imports no other project app). The apps that do
register their computations from their `AppConfig.ready()`:

- cases/evidence_measures.py: every measure of published case studies, adaptations and
  failure reports, the engagement sources "submitted" and "reviewed", and the
  `EvidenceSource` (the per factor × domain cells, the ageing window, the Domain model);
- cases/measures.py: reference implementations and quantified improvement;
- failuremodes/measures.py: failure modes; community/measures.py: open challenges and
  feedback as engagement; opendata/carried.py: what an imported snapshot carried.

Only `.published()` evidence counts (state published and not hidden).

How it stays fast: the `Evidence` object holds the aggregate queries (grouped by factor, or
by factor and domain), each run at most once and only when a measure needs it
(`Evidence.memo`); every per-factor measure is derived from those rows in Python. The number
of queries does not depend on the amount of evidence.

How it is extended: each measure key of factors/measures.py maps to a computation in
FACTOR_COMPUTATIONS and/or FRAMEWORK_COMPUTATIONS, registered with the
`@factor_measure(key)` / `@framework_measure(key)` decorators. Another app replaces or adds
one by registering again; `engaged_members` counts the distinct people returned by every
source in ENGAGEMENT_SOURCES, which another app extends with `@engagement_source(name)`.
Each computation receives the shared `Evidence` (with `now` and `since`) and should run at
most one aggregate query of its own.

Computed here, from what the others register:
- engaged_members: distinct people returned by any registered engagement source.
- factors_unproven: factors classified "unproven" (factors/classification.py), with the
  framework's classification_min_domains; a factor with no evidence is unproven.
- open_challenges: 0 until the community app registers its computation.
- factors_meeting_phase: computed by factors/maturity.py from per-factor measures.

The definitions of every measure, in the site's words, are in factors/measures.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet
from django.utils import timezone

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


@dataclass(frozen=True)
class EvidenceSource:
    """What the framework reads from the app that holds the evidence, registered by it
    (cases/evidence_measures.py, from CasesConfig.ready()) with `register_evidence_source`."""

    # fn(evidence) -> {(factor_id, domain_id): Cell}: published items per factor and domain,
    # a fixed number of grouped queries (the classification and coverage read them).
    cells: Callable[[Evidence], Mapping[tuple[int, int], Cell]]
    # fn(now) -> the moment before which evidence last confirmed is ageing (fresh criteria).
    fresh_cutoff: Callable[[datetime], datetime]
    # The model of the domains that cells name (name, slug, get_absolute_url()).
    domain_model: type


_SOURCE: dict[str, EvidenceSource] = {}


def register_evidence_source(source: EvidenceSource) -> None:
    _SOURCE["evidence"] = source


def evidence_source() -> EvidenceSource:
    try:
        return _SOURCE["evidence"]
    except KeyError:
        raise ImproperlyConfigured(
            "No evidence source registered: the cases app registers it from its ready()."
        ) from None


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
        self._memo: dict[str, object] = {}

    def memo(self, name: str, compute: Callable[[Evidence], object]):
        """`compute(self)`, run once per Evidence: an aggregate shared by the computations
        that read it (e.g. one grouped query behind several per-factor measures)."""
        if name not in self._memo:
            self._memo[name] = compute(self)
        return self._memo[name]

    def published(self, model) -> QuerySet:
        """The evidence of `model` these measures count: published (and, for fresh
        measures, confirmed within the ageing window)."""
        if self.confirmed_since is None:
            return model.objects.published()
        return model.objects.confirmed_since(self.confirmed_since)

    def fresh(self) -> Evidence:
        """The same measures over evidence confirmed within the ageing window only
        (settings.EVIDENCE_AGEING_MONTHS, the evidence source's `fresh_cutoff`): what a
        criterion set to count only confirmed evidence reads. Its own aggregate queries, run
        when first needed."""
        fresh = Evidence(now=self.now, factor_ids=self.factor_ids)
        fresh.confirmed_since = evidence_source().fresh_cutoff(self.now)
        for name in ("classification_min_domains", "factor_count"):
            if name in self.__dict__:
                setattr(fresh, name, self.__dict__[name])
        return fresh

    def only(self, queryset: QuerySet, lookup: str) -> QuerySet:
        """`queryset` restricted to this Evidence's factors (`lookup` names the factor)."""
        if self.factor_ids is None:
            return queryset
        return queryset.filter(**{f"{lookup}__in": self.factor_ids})

    # -- per factor and domain ----------------------------------------------------------
    @cached_property
    def cells(self) -> dict[tuple[int, int], Cell]:
        """{(factor_id, domain_id): Cell}, from the registered evidence source (a fixed
        number of grouped queries, bounded by factors × domains)."""
        return dict(evidence_source().cells(self))

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

    def distinct_users(self, sources: Iterable[QuerySet]) -> int:
        """Distinct people across several querysets of user ids, counted in one query."""
        condition = Q(pk__in=[])
        for source in sources:
            condition |= Q(pk__in=source)
        return get_user_model().objects.filter(condition).count()


# -- computed from what the other apps register ------------------------------------------------


@factor_measure("open_challenges")
def _factor_open_challenges(ev: Evidence) -> dict[int, int]:
    return {}  # replaced by the community app's feedback threads


@framework_measure("open_challenges")
def _framework_open_challenges(ev: Evidence) -> int:
    return 0  # replaced by the community app's feedback threads


@framework_measure("engaged_members")
def _framework_engaged_members(ev: Evidence) -> int:
    return ev.distinct_users(source(ev) for source in ENGAGEMENT_SOURCES.values())


@framework_measure("factors_unproven")
def _framework_factors_unproven(ev: Evidence) -> int:
    """Every factor without evidence is unproven, and so is each one classified so."""
    classified = sum(1 for c in ev.classifications().values() if c.classified)
    return ev.factor_count - classified


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
