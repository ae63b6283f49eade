"""The community health page's figures, per month: evidence published (by kind and by domain),
new contributors, feedback threads, and how long reviews take.

Visitors see aggregates only. Contributors are counted, never listed, so an anonymous author
is never singled out. Reads run a fixed number of queries whatever the data size (one per
evidence kind, plus a few) and are computed once per page-cache generation.
"""

from dataclasses import dataclass
from datetime import date, datetime
from math import ceil

from django.db.models import Count, Min
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.kinds import KINDS
from cases.models import SUBMISSION_MODELS, Domain, State, StateChange
from common.charts import bar_chart
from pagecache.generation import cached_per_generation

from .models import Thread

MONTHS_SHOWN = 24
DECISIONS = (State.PUBLISHED, State.REJECTED, State.CHANGES_REQUESTED)


# Pure helpers ---------------------------------------------------------------------------


def month_start(moment) -> date:
    return date(moment.year, moment.month, 1)


def months_back(last: date, count: int) -> list[date]:
    """`count` first-of-month dates ending with `last`, oldest first."""
    months = []
    year, month = last.year, last.month
    for _ in range(count):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return months[::-1]


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0–100) of `values`; None for no values.
    percentile([1, 2, 3, 4], 50) == 2; percentile([1, 2, 3, 4], 90) == 4."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(ceil(p / 100 * len(ordered)), 1)
    return ordered[rank - 1]


def median(values: list[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None for none."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def review_latencies(changes) -> list[tuple[datetime, float]]:
    """[(decided_at, days since the submission it decides)] from state changes in time order:
    rows of (item key, to_state, created_at). A decision (publish, reject, request changes)
    is measured from the latest submission of the same item before it."""
    submitted_at: dict = {}
    out = []
    for key, to_state, at in changes:
        if to_state == State.SUBMITTED:
            submitted_at[key] = at
        elif to_state in DECISIONS and key in submitted_at:
            start = submitted_at.pop(key)
            out.append((at, (at - start).total_seconds() / 86400))
    return out


# Reads ----------------------------------------------------------------------------------


@dataclass
class MonthRow:
    month: date
    by_kind: dict[str, int]
    total: int
    domains: list[tuple[str, int]]
    new_contributors: int
    threads: int
    reviews: int
    latency_median: float | None
    latency_p90: float | None


def _published_by_month(start: date):
    """{kind: {month: count}}, {month: {domain_id: count}}, {author_id: first published_at}."""
    by_kind: dict[str, dict[date, int]] = {}
    by_domain: dict[date, dict[int, int]] = {}
    first_published: dict[int, datetime] = {}
    for key, model in SUBMISSION_MODELS.items():
        counts: dict[date, int] = {}
        rows = (
            model.objects.published()
            .filter(published_at__gte=start)
            .annotate(month=TruncMonth("published_at"))
            .values("month", "domain_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            month = month_start(row["month"])
            counts[month] = counts.get(month, 0) + row["n"]
            per_domain = by_domain.setdefault(month, {})
            per_domain[row["domain_id"]] = per_domain.get(row["domain_id"], 0) + row["n"]
        by_kind[key] = counts
        firsts = (
            model.objects.published()
            .filter(author__isnull=False)
            .values("author_id")
            .annotate(first=Min("published_at"))
            .order_by()
        )
        for row in firsts:
            known = first_published.get(row["author_id"])
            if known is None or row["first"] < known:
                first_published[row["author_id"]] = row["first"]
    return by_kind, by_domain, first_published


def health_figures(*, today: date | None = None, months: int = MONTHS_SHOWN) -> list[MonthRow]:
    """One row per month for the last `months` months (this month included), oldest first."""
    today = today or timezone.localdate()
    shown = months_back(month_start(today), months)
    start = timezone.make_aware(datetime(shown[0].year, shown[0].month, 1))

    by_kind, by_domain, first_published = _published_by_month(start)
    domain_names = dict(Domain.objects.values_list("pk", "name"))
    new_contributors: dict[date, int] = {}
    for first in first_published.values():
        if first is not None:
            month = month_start(timezone.localtime(first))
            new_contributors[month] = new_contributors.get(month, 0) + 1
    threads = {
        month_start(row["month"]): row["n"]
        for row in Thread.objects.visible()
        .filter(created_at__gte=start)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    changes = (
        StateChange.objects.filter(to_state__in=(State.SUBMITTED, *DECISIONS))
        .order_by("created_at", "pk")
        .values_list("content_type_id", "object_id", "to_state", "created_at")
    )
    latencies: dict[date, list[float]] = {}
    for decided_at, days in review_latencies(
        ((ct, obj), to_state, at) for ct, obj, to_state, at in changes
    ):
        latencies.setdefault(month_start(timezone.localtime(decided_at)), []).append(days)

    rows = []
    for month in shown:
        kinds = {key: by_kind[key].get(month, 0) for key in SUBMISSION_MODELS}
        domains = sorted(
            ((domain_names.get(pk, "?"), n) for pk, n in by_domain.get(month, {}).items()),
            key=lambda pair: (-pair[1], pair[0]),
        )
        days = latencies.get(month, [])
        rows.append(
            MonthRow(
                month=month,
                by_kind=kinds,
                total=sum(kinds.values()),
                domains=domains,
                new_contributors=new_contributors.get(month, 0),
                threads=threads.get(month, 0),
                reviews=len(days),
                latency_median=median(days),
                latency_p90=percentile(days, 90),
            )
        )
    return rows


def health_page_context() -> dict:
    """Everything the page shows, computed once per generation."""
    return cached_per_generation("community-health", _health_page_context)


def _health_page_context() -> dict:
    rows = health_figures()
    labels = [row.month.strftime("%b %Y") for row in rows]
    kind_names = [(key, KINDS[key].label) for key in SUBMISSION_MODELS if key in KINDS]
    return {
        "rows": rows,
        "kind_names": kind_names,
        "published_chart": bar_chart(
            labels,
            [(label, [row.by_kind[key] for row in rows]) for key, label in kind_names],
            unit="items",
        ),
        "contributors_chart": bar_chart(
            labels, [("New contributors", [row.new_contributors for row in rows])]
        ),
        "threads_chart": bar_chart(labels, [("Feedback threads", [row.threads for row in rows])]),
        "latency_chart": bar_chart(
            labels,
            [("Median days to a decision", [round(row.latency_median or 0, 1) for row in rows])],
            unit="days",
        ),
        "totals": {
            "published": sum(row.total for row in rows),
            "new_contributors": sum(row.new_contributors for row in rows),
            "threads": sum(row.threads for row in rows),
            "reviews": sum(row.reviews for row in rows),
        },
        "months": len(rows),
    }
