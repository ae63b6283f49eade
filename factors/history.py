"""Maturity over time: snapshots of every measure, recorded as the evidence changes.

A snapshot holds, as plain values, what the maturity pages showed at one moment: the
phases, the criteria (measure, threshold, …), the framework's phase and measures, and each
factor's phase and measures. The verdicts are not stored: the evaluation is pure
(factors/maturity.py), so evaluating the stored measures against the stored criteria gives
back exactly the verdicts the site showed. That is what makes a decision reproducible.

When:
- on commit of every change that can alter a public page (pagecache tells us, with the
  `changes_committed` signal, once per transaction); a snapshot equal to the latest one is
  not stored again, so writes that move no measure cost one computation and no row;
- before each promotion or demotion, inside its transaction: the phase change links to it;
- by `manage.py record_snapshot` (daily, from cron or a scheduler), because the measures
  over an activity window move with time alone.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from common.charts import step_chart
from pagecache.generation import cached_per_generation, computed_store

from . import maturity
from .measures import FACTOR, MEASURES
from .measuring import Cell, Evidence, evidence_source
from .models import Factor, FactorSnapshot, Framework, MaturitySnapshot
from .selectors import fresh_maturity_report, report_from

logger = logging.getLogger(__name__)

FORMAT = 1

CELL_FIELDS = ("worked", "adapted", "failed", "adaptations", "failure_reports")


# -- writing -----------------------------------------------------------------------------------


def _evidence_data(evidence) -> dict:
    """What the public pages show beside the measures: published items per factor and domain
    (the coverage matrix, each factor's domain grid and classification), the setting the
    classification reads, and the names of the domains. One query (the domains)."""
    cells = sorted(
        [f, d, *(getattr(cell, n) for n in CELL_FIELDS)] for (f, d), cell in evidence.cells.items()
    )
    ids = sorted({d for (_, d), cell in evidence.cells.items() if cell.total})
    domains = (
        evidence_source()
        .domain_model.objects.filter(pk__in=ids)
        .order_by("name")
        .values_list("pk", "name", "slug")
    )
    return {
        "min_domains": evidence.classification_min_domains,
        "cells": cells,
        "domains": [list(d) for d in domains] if ids else [],
    }


# What the evidence apps add to every snapshot, by key: fn() -> plain (JSON) values, e.g.
# "improvement", each factor's quantified improvement table (cases/measures.py, which also
# reads it back). A stored snapshot lacking one is of an older format and recorded again.
SNAPSHOT_EXTRAS: dict[str, Callable[[], object]] = {}


def snapshot_extra(key: str):
    """Register (or replace) what a snapshot stores under `key`: fn() -> plain values."""

    def register(fn: Callable[[], object]) -> Callable[[], object]:
        SNAPSHOT_EXTRAS[key] = fn
        return fn

    return register


def snapshot_data(report) -> dict:
    """The plain values of a MaturityReport (factors/selectors.py), as stored."""
    return {
        "evidence": _evidence_data(report.evidence) if report.evidence is not None else None,
        **{key: extra() for key, extra in SNAPSHOT_EXTRAS.items()},
        "format": FORMAT,
        "phases": [asdict(p) for p in report.phases],
        "criteria": [asdict(c) for c in report.criteria],
        "framework": (
            {
                "name": report.framework.name,
                "phase": report.framework.phase.slug,
                "measures": dict(report.framework_measures),
            }
            if report.framework
            else None
        ),
        "factors": [
            {
                "id": s.factor.pk,
                "number": s.factor.number,
                "phase": s.factor.phase.slug,
                "measures": dict(s.measures),
            }
            for s in report.factors
        ],
    }


def _digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def snapshot_record(*, reason: str = "", now: datetime | None = None) -> MaturitySnapshot:
    """Record the maturity as it stands now; reuse the latest snapshot if nothing moved.

    Three queries when nothing moved (besides computing the report), three more to store.
    """
    data = snapshot_data(fresh_maturity_report())
    digest = _digest(data)
    latest = MaturitySnapshot.objects.order_by("-taken_at", "-pk").first()
    if latest is not None and latest.digest == digest:
        return latest
    snapshot = MaturitySnapshot.objects.create(
        taken_at=now or timezone.now(),
        reason=reason[:120],
        digest=digest,
        data={k: v for k, v in data.items() if k != "factors"},
    )
    FactorSnapshot.objects.bulk_create(  # pagecache: the bump that follows covers it
        FactorSnapshot(
            snapshot=snapshot, factor_id=row["id"], phase=row["phase"], measures=row["measures"]
        )
        for row in data["factors"]
    )
    return snapshot


_recording = threading.local()


def record_after_commit(**kwargs) -> None:
    """Receiver of pagecache's `changes_committed`: a snapshot, never an error for the writer.

    It runs just before the page-cache bump of the change, so pages rendered after the bump
    show the new snapshot (snapshot models are in PAGE_CACHE_IGNORED_MODELS: they cause no
    bump of their own). The guard is belt and braces against a nested commit asking again.
    """
    _recording.recorded = None
    if not getattr(settings, "MATURITY_SNAPSHOTS", True) or getattr(_recording, "on", False):
        return
    _recording.on = True
    try:
        _recording.recorded = snapshot_record(reason="change committed").pk
    except Exception:
        # The change itself is committed; the next one (or the daily command) records it.
        logger.exception("Maturity snapshot: could not record after a commit")
    finally:
        _recording.on = False


def mark_current(generation=None, **kwargs) -> None:
    """Receiver of pagecache's `changes_bumped`: the snapshot just recorded is the one pages
    of the new generation read (current_snapshot())."""
    pk = getattr(_recording, "recorded", None)
    _recording.recorded = None
    if pk is not None:
        computed_store(generation, CURRENT, pk)


# -- the maturity as it stands, for the public pages ------------------------------------------

CURRENT = "maturity_snapshot"


def current_snapshot() -> MaturitySnapshot:
    """The snapshot of the maturity as it stands: the one recorded on commit of the last
    change (marked for the current page-cache generation), else recorded now (the first
    read after a change made without the signal, e.g. inside a test's transaction, or
    with the cache away). One query when marked."""
    pk, recorded = _current_pk()
    if recorded is not None:
        return recorded
    snapshot = MaturitySnapshot.objects.filter(pk=pk).first()
    if snapshot is None or not _of_current_format(snapshot):  # gone, or older
        snapshot = snapshot_record(reason="maturity read")
    return snapshot


def _current_pk() -> tuple[int, MaturitySnapshot | None]:
    """The pk of the snapshot marked for the current generation, and the snapshot itself when
    none was marked and it had to be recorded now (no query when marked)."""
    recorded = []

    def record() -> int:
        recorded.append(snapshot_record(reason="maturity read"))
        return recorded[0].pk

    pk = cached_per_generation(CURRENT, record)
    return pk, (recorded[0] if recorded else None)


def _of_current_format(snapshot: MaturitySnapshot) -> bool:
    return all(k in snapshot.data for k in SNAPSHOT_EXTRAS)


def _in_order(measures: dict) -> dict:
    """Stored measures in the registry's order, as computed (PostgreSQL's jsonb keeps keys in
    an order of its own); keys not in the registry (fresh counts) after them."""
    return {k: measures[k] for k in MEASURES if k in measures} | {
        k: v for k, v in measures.items() if k not in MEASURES
    }


def report_of(snapshot: MaturitySnapshot, *, with_framework: bool = True, rows=None):
    """A MaturityReport (factors/selectors.py) from a snapshot's stored values: the same
    figures and verdicts as computing them (the evaluation is pure), in two queries (the
    factor rows with their factors and phases; the framework row, unless told not to).
    Given `rows` (some of its FactorSnapshot rows, with factors and phases), the report is
    about those factors only, and reading the rows costs nothing."""
    data = snapshot.data
    phases = [maturity.PhaseSpec(**p) for p in data["phases"]]
    criteria = [_criterion(c) for c in data["criteria"]]
    if rows is None:
        rows = snapshot.factor_rows.select_related("factor__phase").order_by("factor__number")
    rows = list(rows)
    stored = data["evidence"]
    evidence = Evidence()  # no query: its aggregates are given
    cells = evidence.__dict__["cells"] = defaultdict(Cell)
    for f, d, *values in stored["cells"]:
        cells[(f, d)] = Cell(*values)
    evidence.__dict__["classification_min_domains"] = stored["min_domains"]
    framework = data.get("framework") if with_framework else None
    report = report_from(
        factors=[row.factor for row in rows],
        phases=phases,
        criteria=criteria,
        evidence=evidence,
        factor_measures={row.factor_id: _in_order(row.measures) for row in rows},
        with_framework=with_framework,
        framework=Framework.objects.select_related("phase").first() if with_framework else None,
        framework_measures=_in_order(framework["measures"]) if framework else {},
    )
    domain = evidence_source().domain_model
    report.domains = [domain(pk=pk, name=name, slug=slug) for pk, name, slug in stored["domains"]]
    report.snapshot = snapshot
    return report


def current_report(*, with_framework: bool = True):
    """The maturity report the public pages show, read from the current snapshot."""
    return report_of(current_snapshot(), with_framework=with_framework)


def current_factor_report(slug: str):
    """The report of the current snapshot about one factor only (the factor of that slug;
    no status in it if the snapshot has none): what a factor's page shows. One query when the
    current snapshot is marked (its row of that factor, joined with the snapshot, the factor
    and its phase); otherwise as current_report() (a snapshot recorded first if needed)."""
    pk, recorded = _current_pk()
    if recorded is None:
        row = (
            FactorSnapshot.objects.filter(snapshot_id=pk, factor__slug=slug)
            .select_related("snapshot", "factor__phase")
            .first()
        )
        if row is not None and _of_current_format(row.snapshot):
            return report_of(row.snapshot, with_framework=False, rows=[row])
    # Not marked, gone or older, or no such factor in it: the whole snapshot, as other pages.
    report = report_of(recorded or current_snapshot(), with_framework=False)
    report.factors = [s for s in report.factors if s.factor.slug == slug]
    return report


# -- reading -----------------------------------------------------------------------------------


def _criterion(values: dict) -> maturity.CriterionSpec:
    known = {f.name for f in fields(maturity.CriterionSpec)}
    return maturity.CriterionSpec(**{k: v for k, v in values.items() if k in known})


@dataclass
class FactorAsOf:
    factor: Factor
    phase: maturity.PhaseSpec
    measures: dict[str, int]
    eligibility: maturity.Eligibility


@dataclass
class MaturityAsOf:
    """A snapshot read back: the dashboard's figures and verdicts at that moment."""

    snapshot: MaturitySnapshot
    phases: list[maturity.PhaseSpec]
    criteria: list[maturity.CriterionSpec]
    factors: list[FactorAsOf] = field(default_factory=list)
    framework_phase: maturity.PhaseSpec | None = None
    framework_measures: dict[str, int] = field(default_factory=dict)
    framework_eligibility: maturity.Eligibility | None = None
    framework_verdicts: list[maturity.Verdict] = field(default_factory=list)

    @property
    def factor_criteria(self) -> list[maturity.CriterionSpec]:
        return [c for c in self.criteria if c.scope == FACTOR]

    def rows(self):
        """[(FactorAsOf, [Verdict per per-factor criterion])]: the factors × criteria table."""
        columns = self.factor_criteria
        return [(f, maturity.evaluate(f.measures, columns)) for f in self.factors]

    @property
    def eligible_count(self) -> int:
        return sum(1 for f in self.factors if f.eligibility.eligible)


def read_snapshot(snapshot: MaturitySnapshot) -> MaturityAsOf:
    """Rebuild the verdicts from a snapshot's stored values (two queries: rows with factors)."""
    data = snapshot.data
    phases = [maturity.PhaseSpec(**p) for p in data["phases"]]
    by_slug = {p.slug: p for p in phases}
    criteria = [_criterion(c) for c in data["criteria"]]
    result = MaturityAsOf(snapshot=snapshot, phases=phases, criteria=criteria)
    rows = snapshot.factor_rows.select_related("factor").order_by("factor__number")
    for row in rows:
        phase = by_slug.get(row.phase) or maturity.PhaseSpec(row.phase, row.phase, 0)
        result.factors.append(
            FactorAsOf(
                factor=row.factor,
                phase=phase,
                measures=_in_order(row.measures),
                eligibility=maturity.factor_eligibility(
                    measures=row.measures, criteria=criteria, phase=phase, phases=phases
                ),
            )
        )
    framework = data.get("framework")
    if framework:
        by_factor = {f.factor.pk: f.measures for f in result.factors}
        result.framework_measures = _in_order(framework["measures"])
        result.framework_phase = by_slug.get(framework["phase"])
        result.framework_verdicts = maturity.evaluate_framework(
            framework_measures=result.framework_measures,
            factor_measures=by_factor,
            criteria=criteria,
        )
        if result.framework_phase:
            result.framework_eligibility = maturity.framework_eligibility(
                framework_measures=result.framework_measures,
                factor_measures=by_factor,
                criteria=criteria,
                phase=result.framework_phase,
                phases=phases,
            )
    return result


def snapshot_as_of(day: date) -> MaturitySnapshot | None:
    """The snapshot in force at the end of `day` (site time zone), or None before the first."""
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return MaturitySnapshot.objects.latest_by(end - timedelta(microseconds=1))


@dataclass(frozen=True)
class HistoryPoint:
    day: date
    phase: str
    measures: dict[str, int]


def factor_history(factor: Factor, *, days: int = 730) -> list[HistoryPoint]:
    """A factor's recorded phase and measures, one point per day (the day's last snapshot).

    One query, whatever the number of snapshots: the rows are small (phase and measures).
    """
    since = timezone.now() - timedelta(days=days)
    rows = (
        FactorSnapshot.objects.filter(factor=factor, snapshot__taken_at__gte=since)
        .order_by("snapshot__taken_at", "snapshot__pk")
        .values_list("snapshot__taken_at", "phase", "measures")
    )
    by_day: dict[date, HistoryPoint] = {}
    for taken_at, phase, measures in rows:
        day = timezone.localdate(taken_at)
        by_day[day] = HistoryPoint(day=day, phase=phase, measures=measures)
    return list(by_day.values())


HISTORY_MEASURES_MAX = 4


def factor_history_chart(factor, state):
    """The factor's key measures over time (those its current criteria name), with phase
    changes marked: chart geometry and the rows of its data table."""
    verdicts = state.eligibility.verdicts[:HISTORY_MEASURES_MAX]
    keys = [v.criterion.measure_key for v in verdicts]
    # A criterion counting only confirmed evidence charts that count, named so.
    names = [
        MEASURES[v.criterion.measure].label
        + (f" (confirmed within {v.criterion.fresh_months} months)" if v.criterion.measure_key
           != v.criterion.measure else "")
        for v in verdicts
    ]  # fmt: skip
    if not keys:
        keys = [k for k in state.measures if k in MEASURES][:HISTORY_MEASURES_MAX]
        names = [MEASURES[k].label for k in keys]
    points = factor_history(factor)
    days = [p.day for p in points]
    series = [
        (name, [p.measures.get(k, 0) for p in points]) for name, k in zip(names, keys, strict=True)
    ]
    markers = []
    previous = None
    for p in points:
        if previous is not None and p.phase != previous:
            markers.append((p.day, p.phase.capitalize()))
        previous = p.phase
    return {
        "chart": step_chart(days, series, markers=markers),
        "names": names,
        "rows": [(p, [p.measures.get(k, 0) for k in keys]) for p in points],
    }
