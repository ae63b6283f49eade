"""Time the open-data API (and the CSV export) at two data sizes.

    .venv/bin/python bench/api.py                     # 100 and 10,000 case studies, SQLite in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/agentops_bench .venv/bin/python bench/api.py
    .venv/bin/python bench/api.py --sizes 100 1000 --repeat 5

For each size it (re)creates the demo data with `manage.py seed_demo --size N --reset`,
then requests each URL `--repeat` times through Django's test client (no network, no
server) and prints the median and worst time and the number of SQL queries. The database
is the one in DATABASE_URL (default: a fresh SQLite file under /tmp); never point it at
real data: seed_demo --reset replaces the demo data.
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

URLS = [
    "/api/case-studies",
    "/api/case-studies?page=50&limit=20",
    "/api/case-studies?factor=continuous-validation&deployment=production&sort=updated",
    "/api/failures?severity=critical&tier=foundation",
    "/api/adaptations?limit=100",
    "/api/factors",
    "/api/domains",
    "/feeds/evidence.atom",
    "/failures.csv?severity=high",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if any(size > 20_000 for size in args.sizes):
        parser.error("sizes above 20,000 are not benchmarked here (shared machine)")

    if "DATABASE_URL" not in os.environ:
        path = Path(tempfile.gettempdir()) / "agentops-bench-api.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agentops_web.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("RATELIMIT_ENABLED", "false")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cases.models import CaseStudy

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    call_command("load_framework", verbosity=0)
    client = Client()
    for size in args.sizes:
        started = time.perf_counter()
        call_command("seed_demo", size=size, reset=True, seed=1, verbosity=0)
        seeded = time.perf_counter() - started
        if connection.vendor == "postgresql":
            # seed_demo bulk-inserts; without fresh statistics the planner picks nested
            # loops that take seconds (autovacuum would analyze soon after in production).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        published = CaseStudy.objects.published().count()
        print(
            f"\n== {size} case studies seeded in {seeded:.1f}s "
            f"({published} published; seed_demo also makes unpublished ones)"
        )
        print(f"{'url':<82} {'median':>8} {'worst':>8} {'queries':>7}")
        for url in URLS:
            times = []
            queries = 0
            for _ in range(args.repeat):
                reset_queries()
                with CaptureQueriesContext(connection) as ctx:
                    t0 = time.perf_counter()
                    response = client.get(url)
                    if response.streaming:
                        b"".join(response.streaming_content)
                    times.append(time.perf_counter() - t0)
                assert response.status_code == 200, (url, response.status_code)
                queries = len(ctx.captured_queries)
            print(
                f"{url:<82} {statistics.median(times) * 1000:7.1f}ms "
                f"{max(times) * 1000:7.1f}ms {queries:>7}"
            )


if __name__ == "__main__":
    main()
