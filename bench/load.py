"""Load: N concurrent clients browse (and submit) against gunicorn + PostgreSQL on 127.0.0.1.

    .venv/bin/python -m bench.load [--clients 20] [--seconds 60] [--port 8107]
                                   [--database-url postgres://postgres@127.0.0.1:5432/agentops_load]
                                   [--target http://127.0.0.1:PORT]   # an already running site
                                   [--cache-url redis://127.0.0.1:6379/8?key_prefix=...]

Without --target it prepares the database (migrate, load_framework, collectstatic, seed users and
evidence), starts gunicorn in production mode (DEBUG=false, plain HTTP on loopback) and stops it
at the end. Prints requests per second, p50/p95/p99 latency per page, error counts, and checks
that every submission answered with success is in the database exactly once.
Target: zero 5xx, zero lost or doubled submissions. Exit status 1 when the target is missed.
"""

import argparse
import sys
import time
import uuid

from bench import harness


def parse(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=8107)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", default=harness.DEFAULT_DATABASE_URL)
    parser.add_argument("--target", help="an already running site (skips set-up and gunicorn)")
    parser.add_argument(
        "--cache-url",
        default="redis://127.0.0.1:6379/8?key_prefix=agentops-bench-load",
        help="the shared cache, as production has (locmemcache:// for none)",
    )
    parser.add_argument(
        "--submit-every",
        type=int,
        default=harness.DEFAULT_SUBMIT_EVERY,
        help="each signed-in client submits every Nth action (0 = browse only)",
    )
    args = parser.parse_args(argv)
    if args.seconds > 600 or args.clients > 100:
        parser.error("bounded: at most 600 seconds and 100 clients")
    return args


def main(argv=None):
    args = parse(argv)
    env = harness.production_env(args.database_url, args.port)
    env["CACHE_URL"] = args.cache_url
    harness.create_database(args.database_url)
    print(f"preparing {args.database_url} ...", flush=True)
    seed = harness.prepare(env, users=args.clients)
    server = None
    if args.target:
        base = args.target.rstrip("/")
    else:
        server = harness.Gunicorn(env, args.port, workers=args.workers, threads=args.threads)
        base = server.url
    run_id = f"Load {uuid.uuid4().hex[:8]}"
    print(
        f"{args.clients} clients for {args.seconds:.0f} s against {base} "
        f"(gunicorn {args.workers} workers x {args.threads} threads; submit every "
        f"{args.submit_every or 'never'}; run {run_id!r})",
        flush=True,
    )
    stats = harness.Stats()
    try:
        start = time.monotonic()
        harness.run_clients(
            [base],
            stats,
            harness.browse_targets(seed),
            clients=args.clients,
            seconds=args.seconds,
            submit_every=args.submit_every,
            run_id=run_id,
            domains=seed["domain_ids"],
        )
        elapsed = time.monotonic() - start
    finally:
        if server:
            server.stop()
    figures = harness.report(stats, elapsed)
    whole = harness.check_submissions(stats, env, run_id) if args.submit_every else True
    ok = figures["5xx"] == 0 and figures["no_answer"] == 0 and whole
    print("RESULT:", "PASS" if ok else "FAIL", "(zero 5xx, zero lost or doubled submissions)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
