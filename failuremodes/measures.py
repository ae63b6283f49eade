"""The failure modes' part of the maturity measures, registered with factors/measuring.py
from FailureModesConfig.ready() (like cases/measures.py).

- failure_modes: per factor, public failure modes naming the factor (public: at least one
  published, visible report); framework-wide, all public failure modes.
- open_failure_modes: the same, counting only modes not addressed (failuremodes/models.py
  says when a mode is addressed).
- open_severe_failure_modes: open modes with a published report of high or critical
  severity (the mode's derived severity is high or critical).

Drafts, reports under review, rejected, withdrawn and hidden reports never make a mode
count. A criterion that counts only evidence confirmed within the ageing window counts
the modes with such a report (`ev.published`: a fresh Evidence gives only those). The
three per-factor measures share one grouped query; the framework-wide ones one aggregate.
"""

from django.db.models import Count, Q

from cases.models import FailureReport
from factors.measuring import factor_measure, framework_measure
from factors.selectors import EVIDENCE_SECTIONS, EvidenceSection

from .models import FailureMode


def _ids(qs):
    return qs.values("pk")


def _filters(ev) -> dict:
    reports = ev.published(FailureReport)
    public = FailureMode.objects.public(reports)
    return {
        "all": _ids(public),
        "open": _ids(public.open()),
        "severe": _ids(public.open().severe(reports)),
    }


def _by_factor(ev) -> dict[int, dict]:
    """{factor_id: {"n", "open", "severe"}}: one grouped query, once per Evidence."""
    return ev.memo("failuremodes:by_factor", _query_by_factor)


def _query_by_factor(ev) -> dict[int, dict]:
    f = _filters(ev)
    rows = (
        ev.only(FailureMode.factors.through.objects, "factor")
        .filter(failuremode__in=f["all"])
        .values("factor_id")
        .annotate(
            n=Count("failuremode", distinct=True),
            open=Count("failuremode", filter=Q(failuremode__in=f["open"]), distinct=True),
            severe=Count("failuremode", filter=Q(failuremode__in=f["severe"]), distinct=True),
        )
        .order_by()
    )
    return {row["factor_id"]: row for row in rows}


def _totals(ev) -> dict:
    return ev.memo("failuremodes:totals", _query_totals)


def _query_totals(ev) -> dict:
    f = _filters(ev)
    return FailureMode.objects.filter(pk__in=f["all"]).aggregate(
        n=Count("pk"),
        open=Count("pk", filter=Q(pk__in=f["open"])),
        severe=Count("pk", filter=Q(pk__in=f["severe"])),
    )


def _register(key: str, column: str) -> None:
    factor_measure(key)(lambda ev: {f: row[column] for f, row in _by_factor(ev).items()})
    framework_measure(key)(lambda ev: _totals(ev)[column] or 0)


_register("failure_modes", "n")
_register("open_failure_modes", "open")
_register("open_severe_failure_modes", "severe")


def _reports_in(modes_qs, title: str):
    def sections(factor) -> list[EvidenceSection]:
        mode_ids = modes_qs().filter(factors=factor).values("pk")
        qs = (
            FailureReport.objects.published()
            .filter(failure_modes__in=mode_ids)
            .distinct()
            .select_related("domain", "organization__domain")
        )
        return [EvidenceSection(FailureReport.KIND, title, qs)]

    return sections


# The evidence behind each number (/factors/<slug>/evidence/<measure>/): the published reports
# of the modes counted; the factor's page lists the modes themselves.
EVIDENCE_SECTIONS["failure_modes"] = _reports_in(
    lambda: FailureMode.objects.public(), "Published reports in its failure modes"
)
EVIDENCE_SECTIONS["open_failure_modes"] = _reports_in(
    lambda: FailureMode.objects.public().open(), "Published reports in its open failure modes"
)
EVIDENCE_SECTIONS["open_severe_failure_modes"] = _reports_in(
    lambda: FailureMode.objects.public().open().severe(),
    "Published reports in its open failure modes of high or critical severity",
)
