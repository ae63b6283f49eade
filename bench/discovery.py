"""Time the discovery pages at two data sizes, in-process (Django's test client, no server).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/agentops_seedbench \
        .venv/bin/python -m bench.discovery --sizes 100 10000
    DATABASE_URL=sqlite:////tmp/agentops_seedbench.sqlite3 .venv/bin/python -m bench.discovery

For each size it seeds the database with `seed_demo --reset --force --seed 1 --size N`
(N case studies, 0.4 N adaptations, 0.3 N failure reports; about 62% published), then
requests each page `--repeat` times and prints the median and best wall time and the
number of queries. The whole-page cache is switched off, so every request does the work.
The database named by DATABASE_URL is overwritten with demo data: never point it at a
real site. Bounded: at most --repeat requests per page and size.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGES = [
    ("domain page", "/domains/healthcare/"),
    ("domain list", "/domains/"),
    ("filtered list", "/case-studies/?domain=finance&tier=operations&outcome=adapted&sort=updated"),
    ("failures, filtered", "/failures/?severity=high&factor=4"),
    ("list search", "/case-studies/?q=validation+budgets"),
    ("list search, page 5", "/case-studies/?q=validation+budgets&page=5"),
    ("site search", "/search/?q=retry+storm"),
    ("case study detail", None),
    ("API page", "/api/case-studies?domain=finance&tier=operations"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10000])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-seed", action="store_true", help="Use the data already there.")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agentops_web.settings")
    os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/agentops_seedbench.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from cases.models import CaseStudy

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    with override_settings(PAGE_CACHE_VIEWS=[], ALLOWED_HOSTS=["*"], DEBUG=False):
        for size in args.sizes:
            if not args.no_seed:
                started = time.monotonic()
                call_command("seed_demo", size=size, reset=True, force=True, seed=1, verbosity=0)
                print(f"\nseed_demo --size {size}: {time.monotonic() - started:.1f}s")
            published = CaseStudy.objects.published().count()
            print(f"size {size}: {published} published case studies")
            print(f"  {'page':<22} {'median ms':>10} {'best ms':>8} {'queries':>8}  status")
            detail = CaseStudy.objects.published().order_by("pk").first()
            client = Client()
            for label, url in PAGES:
                url = url or (detail.get_absolute_url() if detail else "/case-studies/")
                times, status, queries = [], None, 0
                for _ in range(args.repeat):
                    with CaptureQueriesContext(connection) as ctx:
                        t = time.perf_counter()
                        response = client.get(url)
                        times.append((time.perf_counter() - t) * 1000)
                    status, queries = response.status_code, len(ctx.captured_queries)
                print(
                    f"  {label:<22} {statistics.median(times):>10.1f} {min(times):>8.1f} "
                    f"{queries:>8}  {status}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
