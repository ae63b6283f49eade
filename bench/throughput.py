#!/usr/bin/env python
"""Throughput of the public pages against a trivial view, under gunicorn, PostgreSQL and Redis.

    .venv/bin/python bench/throughput.py                 # set up once, then measure
    .venv/bin/python bench/throughput.py --rounds 3 --duration 4 --workers 2

It creates (once) the PostgreSQL database agentops_throughput with the framework and
10,000 case studies (`manage.py seed_demo --size N --seed 1`: demo data in every
state; it prints how many are published), starts gunicorn with the production
settings (DEBUG off, CACHE_URL=redis://127.0.0.1:6379/4) plus /_bench/ok/
(bench/bench_urls.py, never in the real URLconf), and measures with wrk (Debian
package `wrk`), alternating in one run: trivial, page, trivial, page... For each
page it prints requests per second, p50/p99 latency, and the ratio to the trivial
view measured next to it.

Goal: ratio >= 0.5 for every page, p99 < 10 x p50, no errors. Anonymous visitors only.
Everything stays on 127.0.0.1 and is bounded in time (rounds x pages x 2 x duration).
"""

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
sys.path.insert(0, str(ROOT))


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--port", type=int, default=8110)
    p.add_argument("--database", default="agentops_throughput")
    p.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    p.add_argument("--redis", default="redis://127.0.0.1:6379/4")
    p.add_argument("--size", type=int, default=10_000, help="case studies to seed")
    p.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    p.add_argument("--threads", type=int, default=1, help="threads per worker (gthread if >1)")
    p.add_argument("--connections", type=int, default=8, help="wrk connections")
    p.add_argument("--duration", type=float, default=3, help="seconds per measurement")
    p.add_argument("--rounds", type=int, default=2, help="trivial/page pairs per page")
    p.add_argument("--only", nargs="*", help="measure only pages whose name contains these")
    p.add_argument("--reseed", action="store_true", help="drop and seed the database again")
    p.add_argument("--setup-only", action="store_true", help="prepare the database only")
    return p.parse_args()


def environment(args) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.bench_settings",
        DEBUG="false",
        SECRET_KEY="bench-only-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{args.port}",
        # Plain HTTP on loopback: no redirect to https, cookies not https-only.
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=f"{args.pg}/{args.database}",
        CONN_MAX_AGE="600",
        CACHE_URL=args.redis,
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env, *argv, quiet=True):
    subprocess.run(
        [PY, "manage.py", *argv],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def psql(args, sql):
    import psycopg

    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else None


def set_up(args, env):
    if args.reseed:
        psql(args, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    if not psql(args, f"SELECT 1 FROM pg_database WHERE datname = '{args.database}'"):
        psql(args, f'CREATE DATABASE "{args.database}"')
    print(f"== database {args.database}: migrate, load_framework", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "load_framework")
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import get_commands

    from cases.models import CaseStudy

    started = time.monotonic()
    if CaseStudy.objects.count() >= args.size:
        pass  # seeded before (bench/mixed.py adds a few real items of its own on top)
    elif "seed_demo" in get_commands():
        # Does nothing when the demo data is already there.
        print(f"== seed_demo --size {args.size}", flush=True)
        manage(env, "seed_demo", "--size", str(args.size), "--seed", "1", quiet=False)
    elif CaseStudy.objects.count() < args.size:
        print(f"== seeding {args.size} case studies (no seed_demo here)", flush=True)
        from bench.seed import seed

        seed(args.size - CaseStudy.objects.count())
    print(f"   {time.monotonic() - started:.0f} s", flush=True)
    total = CaseStudy.objects.count()
    # Fresh planner statistics, as autovacuum would give a live site: right after a bulk
    # load PostgreSQL's estimates are far off (a measure query took 13 s instead of 0.1 s).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    published = CaseStudy.objects.published().count()
    print(f"   {total} case studies, {published} of them published", flush=True)
    manage(env, "collectstatic", "--noinput")
    manage(env, "invalidate_pages")


def public_pages() -> list[tuple[str, str]]:
    """(name, path) for every public page, with real objects from the seeded database."""
    from django.urls import reverse

    from cases.models import Adaptation, CaseStudy, Domain, FailureReport
    from factors.models import Factor

    pages = [
        ("home", reverse("home")),
        ("factor list", reverse("factors:list")),
        ("factor page", Factor.objects.order_by("number")[3].get_absolute_url()),
        ("domain list", reverse("cases:domain_list")),
    ]
    domain = Domain.objects.order_by("pk").first()
    if domain:
        pages.append(("domain page", domain.get_absolute_url()))
    for label, model, name in [
        ("case studies", CaseStudy, "cases:casestudy_list"),
        ("adaptations", Adaptation, "cases:adaptation_list"),
        ("failures", FailureReport, "cases:failure_list"),
    ]:
        pages.append((f"{label} list", reverse(name)))
        item = model.objects.published().order_by("-pk").first()
        if item:
            pages.append((f"{label} item", item.get_absolute_url()))
    pages.append(("case studies p.50", reverse("cases:casestudy_list") + "?page=50"))
    factor = Factor.objects.order_by("number")[3]
    pages += [
        ("maturity dashboard", reverse("maturity")),
        ("search", reverse("cases:search") + "?q=budget"),
        ("filtered list", reverse("cases:casestudy_list") + "?deployment=production&page=3"),
        ("factor evidence", reverse("factors:evidence", args=[factor.slug, "case_studies"])),
        ("open data page", reverse("opendata:open_data")),
        ("feed (latest)", reverse("opendata:feed_latest")),
        ("feed (factor)", reverse("opendata:feed_factor", args=[factor.slug])),
        ("badge (framework)", reverse("opendata:badge_framework")),
        ("badge (factor)", reverse("opendata:badge_factor", args=[factor.slug])),
        ("api framework", "/api/framework"),
        ("api factors", "/api/factors"),
        ("api case studies", "/api/case-studies"),
        ("feedback threads", reverse("community:thread_list")),
        ("contributors", reverse("community:contributor_list")),
    ]
    from community.models import Thread

    thread = Thread.objects.order_by("-pk").first()
    if thread:
        pages.append(("feedback thread", thread.get_absolute_url()))
    return pages


def start_gunicorn(args, env):
    cmd = [
        PY,
        "-m",
        "gunicorn",
        "agentops_web.wsgi",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--log-level",
        "warning",
        "--timeout",
        "120",
    ]
    if args.threads > 1:
        cmd += ["--worker-class", "gthread", "--threads", str(args.threads)]
    print("== " + " ".join(cmd[1:]), flush=True)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/_bench/ok/", timeout=2):
                return proc
        except OSError:
            time.sleep(0.3)
    stop(proc)
    raise SystemExit("gunicorn did not answer within 30 s")


def stop(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNIT[unit]


def wrk(args, path) -> dict:
    out = subprocess.run(
        [
            "wrk",
            "--latency",
            "-t1",
            f"-c{args.connections}",
            f"-d{args.duration:g}s",
            "--timeout",
            "5s",
            f"http://127.0.0.1:{args.port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "errors": 0,
    }
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        result["errors"] += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        result["errors"] += sum(int(n) for n in m.groups())
    return result


def check_page(args, path) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{args.port}{path}", timeout=120) as response:
        assert response.status == 200, (path, response.status)
    with urllib.request.urlopen(f"http://127.0.0.1:{args.port}{path}", timeout=30) as response:
        return response.headers.get("X-Cache", "-")


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    env = environment(args)
    set_up(args, env)
    if args.setup_only:
        return
    pages = public_pages()
    if args.only:
        pages = [(n, p) for n, p in pages if any(o in n for o in args.only)]
    proc = start_gunicorn(args, env)
    rows = []
    try:
        wrk(args, "/_bench/ok/")  # warm the workers
        for name, path in pages:
            state = check_page(args, path)
            trivial, page = [], []
            for _ in range(args.rounds):
                trivial.append(wrk(args, "/_bench/ok/"))
                page.append(wrk(args, path))
            rows.append((name, path, state, trivial, page))
            t_rps = statistics.mean(r["rps"] for r in trivial)
            p_rps = statistics.mean(r["rps"] for r in page)
            print(f"   {name:<20} {p_rps:8.0f} req/s  ratio {p_rps / t_rps:.2f}", flush=True)
    finally:
        stop(proc)
    report(args, rows)


def report(args, rows):
    print()
    print(
        f"gunicorn {args.workers} worker(s) x {args.threads} thread(s); wrk 1 thread, "
        f"{args.connections} connections, {args.rounds} x {args.duration:g} s per view, alternating"
    )
    print(
        "| page | path | X-Cache | req/s | p50 ms | p99 ms | trivial req/s "
        "| ratio | p99/p50 | errors |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    failed = []
    for name, path, state, trivial, page in rows:
        t_rps = statistics.mean(r["rps"] for r in trivial)
        rps = statistics.mean(r["rps"] for r in page)
        p50 = statistics.median(r["p50"] for r in page)
        p99 = max(r["p99"] for r in page)
        errors = sum(r["errors"] for r in page + trivial)
        ratio = rps / t_rps
        ok = ratio >= 0.5 and p99 < 10 * p50 and errors == 0
        if not ok:
            failed.append(name)
        print(
            f"| {name} | `{path}` | {state} | {rps:.0f} | {p50:.2f} | {p99:.2f} | {t_rps:.0f} "
            f"| {ratio:.2f} | {p99 / p50:.1f} | {errors} |"
        )
    print()
    print("Goal met for every page." if not failed else f"Goal NOT met for: {', '.join(failed)}")


if __name__ == "__main__":
    main()
