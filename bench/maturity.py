"""Benchmark the public pages against growing amounts of evidence, cold after a change.

For each size, fills the database with `manage.py seed_demo`'s generator (SIZE case
studies, with adaptations (40%) and failure reports (30%) in every state and their
review history), refreshes the planner's statistics (ANALYZE), then prints the time
and query count of the maturity dashboard, the factor list, a factor page, a domain
page, an evidence page, a search and a page of the case-study list, through Django's test
client, as an anonymous visitor:
- cold: REPEAT fetches, each just after what a committed change does (its maturity
  snapshot recorded, then the page-cache generation bump: pagecache's
  generation_bump_after_change, not timed), so nothing is served from the page cache or
  the cached measures: the real work after a change (best and median times, queries);
- warm: REPEAT more fetches without a bump (median time, queries): what most visitors
  get from the page cache and the per-generation measures.
With several sizes, a last table gives per page the cold queries at each size and the
ratio of median cold times, largest size over smallest (the goal: at most 8 queries, the
same at every size, and a ratio of at most 1.5).

Use a database of its own: it is flushed of demo data between sizes.

    createdb -h 127.0.0.1 -U postgres agentops_bench_maturity
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/agentops_bench_maturity \\
        .venv/bin/python bench/maturity.py --sizes 100 10000

Without DATABASE_URL it uses a temporary SQLite file. It refuses to run against a
database holding real (non-demo) evidence.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup() -> str:
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp(prefix="bench-maturity-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agentops_web.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    db = settings.DATABASES["default"]
    return f"{db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}"


def _fetch(client, url: str, *, cold: bool) -> tuple[float, int]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from pagecache.generation import generation_bump_after_change

    if cold:
        generation_bump_after_change()  # as a committed change: snapshot, bump, nothing cached
    reset_queries()  # a full query log (9,000) would count nothing
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed, len(ctx.captured_queries)


def _measure(client, url: str, repeat: int) -> dict:
    """Cold: every fetch after a generation bump (the real work). Warm: fetched again, served
    from the page cache / the per-generation measures cache."""
    cold = [_fetch(client, url, cold=True) for _ in range(repeat)]
    warm = [_fetch(client, url, cold=False) for _ in range(repeat)]
    return {
        "best": min(t for t, _ in cold),
        "median": statistics.median(t for t, _ in cold),
        "queries": cold[-1][1],
        "warm": statistics.median(t for t, _ in warm),
        "warm_queries": warm[-1][1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10000])
    parser.add_argument("--repeat", type=int, default=5, help="fetches per page (default 5)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    where = _setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from cases.models import Adaptation, CaseStudy, Domain, FailureReport
    from demo.seed import demo_seed, real_evidence_count
    from factors.models import Factor

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_framework", verbosity=0)
    if real_evidence_count():
        raise SystemExit("This database holds real evidence: use a database of its own.")
    print(f"Database: {where}; {args.repeat} fetches per page; times in milliseconds.")

    client = Client()
    client.get("/")  # the first request of a process bumps the generation (pagecache)
    header = (
        f"{'size':>7} {'page':<34} {'best':>8} {'median':>8} {'queries':>8}"
        f" {'warm':>8} {'queries':>8}"
    )
    results: dict[str, dict[int, dict]] = {}
    for size in args.sizes:
        started = time.perf_counter()
        demo_seed(size=size, seed=args.seed, reset=True)
        seeded = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics after a bulk load
        counts = [m.objects.count() for m in (CaseStudy, Adaptation, FailureReport)]  # all states
        published = [m.objects.published().count() for m in (CaseStudy, Adaptation, FailureReport)]
        print(
            f"\nSize {size}: {counts[0]} case studies, {counts[1]} adaptations, {counts[2]} "
            f"failure reports ({sum(published)} published), seeded in {seeded:.1f}s"
        )
        factor = Factor.objects.get(number=4)
        domain = Domain.objects.order_by("name").first()
        pages = {
            "maturity dashboard": reverse("maturity"),
            "factor list": reverse("factors:list"),
            "factor page (IV)": factor.get_absolute_url(),
            "domain page (first by name)": domain.get_absolute_url(),
            "evidence page (failures_or_adapt.)": reverse(
                "factors:evidence", args=[factor.slug, "failures_or_adaptations"]
            ),
            "search (q=agent)": reverse("cases:search") + "?q=agent",
            "case-study list (page 2)": reverse("cases:casestudy_list") + "?page=2",
        }
        print(header)
        for name, url in pages.items():
            m = _measure(client, url, args.repeat)
            results.setdefault(name, {})[size] = m
            print(
                f"{size:>7} {name:<34} {m['best'] * 1000:>8.1f} {m['median'] * 1000:>8.1f}"
                f" {m['queries']:>8} {m['warm'] * 1000:>8.1f} {m['warm_queries']:>8}"
            )

    if len(args.sizes) > 1:
        small, large = min(args.sizes), max(args.sizes)
        print(f"\nCold, {large} against {small} case studies (goal: <= 8 queries, ratio <= 1.5):")
        print(
            f"{'page':<34} {'queries':>14} {'median ms':>18} {'ratio':>6}"
            f" {'best ms':>18} {'ratio':>6}  goal (queries, median ratio)"
        )
        for name, by_size in results.items():
            a, b = by_size[small], by_size[large]
            ratio = b["median"] / a["median"]
            best_ratio = b["best"] / a["best"]
            met = a["queries"] == b["queries"] <= 8 and ratio <= 1.5
            print(
                f"{name:<34} {a['queries']:>6} -> {b['queries']:>5}"
                f" {a['median'] * 1000:>8.1f} -> {b['median'] * 1000:>6.1f} {ratio:>6.2f}"
                f" {a['best'] * 1000:>8.1f} -> {b['best'] * 1000:>6.1f} {best_ratio:>6.2f}"
                f"  {'met' if met else 'not met'}"
            )


if __name__ == "__main__":
    main()
