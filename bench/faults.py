"""Faults: the database goes away under load and comes back; two app servers share one database.

    .venv/bin/python -m bench.faults [--clients 10] [--outage 10] [--before 15] [--after 25]
        [--cluster private|system] [--skip-outage]

Two gunicorn instances (ports 8107 and 8108, production settings, one shared Redis cache as in
production) serve one PostgreSQL database.

1. Two instances, one database: a member signs in and submits through one instance and sees it
   at once in My submissions through the other; a maintainer publishes through the second and an
   anonymous visitor sees it at once on the first (the app keeps no state of its own).
2. Outage: clients browse and submit across both instances; after --before seconds PostgreSQL is
   stopped for --outage seconds and started again. During the outage every request must get an
   answer within a few seconds: a page (from the page cache) or the friendly 503 page with
   Retry-After, never a stack trace, a bare 500 or a hang. Afterwards the site must recover with
   no restart, and no submission may be lost, doubled or half-saved.

--cluster system stops the machine's PostgreSQL (`pg_ctlcluster --skip-systemctl-redirect 15 main
stop`): it interrupts everybody using it, so run it once, announced, and keep the outage short.
--cluster private (the default) rehearses the same thing on a throw-away cluster of our own on
127.0.0.1:8109 (initdb in /tmp), harming no one. PostgreSQL is started again in a `finally`
whatever happens, including Ctrl-C and SIGTERM.
"""

import argparse
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from bench import harness

PG_VERSION_DIR = Path("/etc/postgresql")
PRIVATE_DATA = Path("/tmp/agentops-bench-pg")
PRIVATE_PORT = 8109
REDIS_CACHE = "redis://127.0.0.1:6379/8?key_prefix=agentops-bench-faults"
HANG_LIMIT_SECONDS = 5.0


class Cluster:
    """Stop and start one PostgreSQL cluster; `database_url` points into it."""

    def __init__(self, kind: str):
        self.kind = kind
        if kind == "system":
            versions = sorted(p.name for p in PG_VERSION_DIR.iterdir()) if PG_VERSION_DIR else []
            if not versions:
                raise SystemExit("no cluster under /etc/postgresql")
            self.version = versions[-1]
            self.port = 5432
        else:
            self.bin = Path(f"/usr/lib/postgresql/{self._version()}/bin")
            self.port = PRIVATE_PORT
            self._init_private()
        self.database_url = f"postgres://postgres@127.0.0.1:{self.port}/agentops_load"

    @staticmethod
    def _version() -> str:
        return sorted(p.name for p in PG_VERSION_DIR.iterdir())[-1]

    def _as_postgres(self, *command: str) -> None:
        subprocess.run(["su", "postgres", "-c", " ".join(command)], check=True, timeout=60)

    def _init_private(self) -> None:
        if not (PRIVATE_DATA / "PG_VERSION").exists():
            PRIVATE_DATA.mkdir(parents=True, exist_ok=True)
            shutil.chown(PRIVATE_DATA, "postgres", "postgres")
            self._as_postgres(
                str(self.bin / "initdb"),
                "-D",
                str(PRIVATE_DATA),
                "-U postgres --auth=trust -E UTF8",
            )
        if not self.is_up():
            self.start()

    def is_up(self) -> bool:
        return (
            subprocess.run(
                ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"],
                timeout=10,
            ).returncode
            == 0
        )

    def stop(self) -> None:
        if self.kind == "system":
            subprocess.run(
                # Fast mode (the default): active sessions are ended at once.
                ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, "main", "stop"],
                check=True,
                timeout=60,
            )
        else:
            self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(PRIVATE_DATA), "-m fast -w stop")

    def start(self) -> None:
        if self.kind == "system":
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, "main", "start"],
                check=True,
                timeout=60,
            )
        else:
            self._as_postgres(
                str(self.bin / "pg_ctl"),
                "-D",
                str(PRIVATE_DATA),
                "-l",
                str(PRIVATE_DATA / "server.log"),
                f"-o '-p {self.port} -k /tmp -c listen_addresses=127.0.0.1'",
                "-w start",
            )

    def wait_up(self, seconds: float = 60) -> float:
        start = time.monotonic()
        while not self.is_up():
            if time.monotonic() - start > seconds:
                raise SystemExit(f"PostgreSQL on port {self.port} not up after {seconds:.0f} s")
            time.sleep(0.2)
        return time.monotonic() - start


def _raise_on_sigterm(signum, frame):
    raise SystemExit(f"signal {signum}")


# --------------------------------------------------------------------------- 1. two instances


def two_instances_share_everything(one: str, two: str) -> bool:
    """Written through one instance, read through the other at once."""
    import httpx

    run = f"Faults {uuid.uuid4().hex[:8]}"
    stats = harness.Stats()
    author = harness.Visitor(one, stats, {}, email=harness.USER_EMAIL.format(0), run_id=run)
    author.domains = harness.SEED["domain_ids"][:1]
    ok = True

    def check(label, condition):
        nonlocal ok
        ok = ok and condition
        print(f"  {'ok  ' if condition else 'FAIL'} {label}")

    check(f"member signs in through {one}", author.sign_in())
    # An anonymous visitor on the first instance has the case study list cached already.
    anonymous_one = httpx.Client(base_url=one, timeout=10)
    anonymous_one.get("/case-studies/")
    author.submit_once()
    title = stats.submitted[0] if stats.submitted else None
    check("submission answered with success through the first instance", title is not None)
    if title is None:
        return False

    # The same browser (cookies) on the other instance: signed in, and the item is there.
    other = httpx.Client(base_url=two, timeout=10, cookies=author.http.cookies)
    mine = other.get("/submissions/")
    check("My submissions through the second instance lists it at once", title in mine.text)
    match = re.search(
        r'href="(/submissions/case-study/(\d+)/)"[^>]*>' + re.escape(title), mine.text
    )
    check("its page is reachable through the second instance", bool(match))
    if not match:
        return False
    pk = match.group(2)

    maintainer = harness.Visitor(two, stats, {}, email=harness.MAINTAINER_EMAIL, run_id=run)
    check("maintainer signs in through the second instance", maintainer.sign_in())
    token, _ = maintainer.csrf(f"/review/case-study/{pk}/")
    published = maintainer.request(
        "POST review",
        "POST",
        f"/review/case-study/{pk}/",
        data={"csrfmiddlewaretoken": token, "decision": "publish", "comment": "Published."},
    )
    check("maintainer publishes it through the second instance", published.status_code == 302)
    listed = anonymous_one.get("/case-studies/")
    check(
        "an anonymous visitor on the first instance sees it at once (no stale cached page)",
        title in listed.text,
    )
    for client in (anonymous_one, other, author.http, maintainer.http):
        client.close()
    return ok


# --------------------------------------------------------------------------- 2. the outage


def outage_under_load(cluster, servers, env, args) -> bool:
    stats = harness.Stats()
    run_id = f"Faults {uuid.uuid4().hex[:8]}"
    total = args.before + args.outage + args.after
    marks = {}

    load = threading.Thread(
        target=harness.run_clients,
        args=([s.url for s in servers], stats, harness.browse_targets(harness.SEED)),
        kwargs={
            "clients": args.clients,
            "seconds": total,
            "submit_every": args.submit_every,
            "run_id": run_id,
            "domains": harness.SEED["domain_ids"],
        },
        daemon=True,
    )
    load.start()
    time.sleep(args.before)
    try:
        marks["stop"] = time.monotonic() - stats.started
        print(f"t={marks['stop']:.1f} s: stopping PostgreSQL ({cluster.kind})", flush=True)
        cluster.stop()
        marks["stopped"] = time.monotonic() - stats.started
        time.sleep(max(0.0, args.outage - (marks["stopped"] - marks["stop"])))
    finally:
        marks["start"] = time.monotonic() - stats.started
        print(f"t={marks['start']:.1f} s: starting PostgreSQL", flush=True)
        cluster.start()
        cluster.wait_up()
        marks["up"] = time.monotonic() - stats.started
        print(f"t={marks['up']:.1f} s: PostgreSQL answers again", flush=True)
    load.join(total + 60)
    elapsed = time.monotonic() - stats.started

    print("\n== whole run")
    figures = harness.report(stats, elapsed)

    # A request belongs to the outage if any part of it overlaps it.
    outage = [s for s in stats.samples if s.at < marks["up"] and s.at + s.seconds >= marks["stop"]]
    after = [s for s in stats.samples if s.at >= marks["up"]]
    bad_outage = [s for s in outage if s.status == 0 or (s.status >= 500 and not s.friendly_503)]
    slow_outage = [s for s in outage if s.seconds > HANG_LIMIT_SECONDS]
    friendly = sum(1 for s in outage if s.friendly_503)
    served = sum(1 for s in outage if s.status < 500 and s.status)
    first_ok = min((s.at for s in after if s.status in (200, 302)), default=None)
    settle = marks["up"] + 5
    late = [s for s in stats.samples if s.at >= settle]
    late_bad = [s for s in late if s.status == 0 or s.status >= 500]
    print(
        f"\n== outage: PostgreSQL stopped at t={marks['stop']:.1f} s, answering again at "
        f"t={marks['up']:.1f} s ({marks['up'] - marks['stop']:.1f} s)"
    )
    print(
        f"requests during the outage: {len(outage)}; friendly 503: {friendly}; "
        f"served anyway (cached pages, redirects): {served}; stack traces, bare 5xx or no "
        f"answer: {len(bad_outage)}; slower than {HANG_LIMIT_SECONDS:.0f} s: {len(slow_outage)}; "
        f"slowest: {max((s.seconds for s in outage), default=0) * 1000:.0f} ms"
    )
    if bad_outage:
        print("  e.g.", [(s.page, s.status) for s in bad_outage[:5]])
    print(
        f"recovery: first success {first_ok - marks['up'] if first_ok else float('nan'):.2f} s "
        f"after PostgreSQL answered; from 5 s after: {len(late)} requests, "
        f"{len(late_bad)} failed"
    )
    restarted = [s.port for s in servers if s.process.poll() is not None]
    print(f"app servers restarted or dead: {restarted or 'none'} (same processes throughout)")
    whole = harness.check_submissions(stats, env, run_id)
    before = [s for s in stats.samples if s.at + s.seconds < marks["stop"]]
    settling = [s for s in after if s.at < settle]
    print(
        f"in the first 5 s after PostgreSQL answered: {len(settling)} requests, "
        f"{sum(1 for s in settling if s.friendly_503)} friendly 503"
    )
    checks = {
        "no 5xx or unanswered request before the outage": not [
            s for s in before if s.status == 0 or s.status >= 500
        ],
        "during the outage only pages or the friendly 503 (no trace, no bare 5xx)": not bad_outage,
        f"no request hung past {HANG_LIMIT_SECONDS:.0f} s during the outage": not slow_outage,
        "served again after PostgreSQL came back": first_ok is not None,
        "no failure from 5 s after recovery on": not late_bad,
        "no app server restarted": not restarted,
        "no submission lost, doubled or half-saved": whole,
        "some traffic at all": figures["requests"] > 0,
    }
    for label, passed in checks.items():
        print(f"  {'ok  ' if passed else 'FAIL'} {label}")
    return all(checks.values())


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--submit-every", type=int, default=5)
    parser.add_argument("--before", type=float, default=15)
    parser.add_argument("--outage", type=float, default=10)
    parser.add_argument("--after", type=float, default=25)
    parser.add_argument("--cluster", choices=["private", "system"], default="private")
    parser.add_argument("--skip-outage", action="store_true", help="only the two-instance check")
    parser.add_argument(
        "--cache-url",
        default=REDIS_CACHE,
        help="the cache both instances share (as in production); a locmem:// one shows why",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    if args.outage > 15 or args.before + args.outage + args.after > 120:
        parser.error("bounded: an outage of at most 15 s, a run of at most 120 s")
    signal.signal(signal.SIGTERM, _raise_on_sigterm)

    cluster = Cluster(args.cluster)
    ports = (8107, 8108)
    env = harness.production_env(cluster.database_url, ports[0], extra_hosts=ports[1:])
    env["CACHE_URL"] = args.cache_url
    env["MAINTAINER_REQUIRE_MFA"] = "false"  # the browser journey covers the two-factor sign-in
    harness.create_database(cluster.database_url)
    print(f"preparing {cluster.database_url} ...", flush=True)
    harness.SEED = harness.prepare(env, users=max(args.clients, 1))
    servers = []
    ok = True
    try:
        for port in ports:
            servers.append(
                harness.Gunicorn(
                    {**env, "SITE_URL": f"http://127.0.0.1:{port}"},
                    port,
                    workers=args.workers,
                    threads=args.threads,
                )
            )
        print(f"\n== two instances ({servers[0].url}, {servers[1].url}), one database")
        ok = two_instances_share_everything(servers[0].url, servers[1].url) and ok
        if not args.skip_outage:
            print(
                f"\n== {args.clients} clients over both instances; PostgreSQL stopped after "
                f"{args.before:.0f} s for {args.outage:.0f} s; {args.after:.0f} s after",
                flush=True,
            )
            ok = outage_under_load(cluster, servers, env, args) and ok
    finally:
        for server in servers:
            server.stop()
        if not cluster.is_up():  # belt and braces: never leave the database down
            cluster.start()
    print("RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
