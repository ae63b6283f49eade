"""Faults: Redis and PostgreSQL break under load; two app servers share one database and cache.

    .venv/bin/python -m bench.faults [--clients 8] [--before 6] [--outage 10] [--after 12]
        [--faults redis-stopped,redis-hung,redis-restored,postgres-stopped]
        [--skip-two-instances]

Everything runs on servers started for the run and removed after it, never the machine's
shared ones: a PostgreSQL cluster (initdb into a temporary directory with
/usr/lib/postgresql/15/bin, on a free port) and a redis-server (a free port, a temporary
directory). Two gunicorn instances (free ports, production settings, CACHE_URL on that Redis)
serve them. The servers are stopped in a `finally`, also on Ctrl-C and SIGTERM.

1. Two instances: a member signs in and submits through one and sees it at once through the
   other; a maintainer publishes through the second and an anonymous visitor sees it at once
   on the first.
2. Each fault, under load: clients browse and submit over both instances (signed in once
   they first submit), a prober signs a member in afresh every --sign-in-every seconds, and
   an anonymous visitor reads the public list on both instances twice a second.
   After --before seconds the fault starts:
   - redis-stopped: Redis is killed for --outage seconds, then started empty;
   - redis-hung: Redis is frozen (SIGSTOP) for --outage seconds, then thawed (SIGCONT);
   - redis-restored: a member submits an item and the public list is cached on both
     instances; Redis saves a snapshot; a maintainer publishes the item; Redis is restarted
     from the older snapshot (its generation and pages from before the publish). A list
     without the item served after the restart is stale;
   - postgres-stopped: PostgreSQL is stopped (fast mode) for --outage seconds, then started.
   Per fault it reports requests, 5xx other than the friendly 503 page (and requests with no
   answer), sign-ins that failed, submissions sent / stored / doubled / lost, and seconds to
   recover (Redis: until pages come from the cache again; PostgreSQL: until a page that needs
   the database is served again).

Goal: 0 bare 5xx, 0 lost submissions, 0 stale pages after the restore. Doubled submissions
(a form re-sent after its answer was lost) are reported, not judged here.
"""

import argparse
import re
import signal
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench import harness
from bench.private import PrivatePostgres, PrivateRedis, free_port

FAULTS = ("redis-stopped", "redis-hung", "redis-restored", "postgres-stopped")
LIST = "/case-studies/"


def _raise_on_sigterm(signum, frame):
    raise SystemExit(f"signal {signum}")


def _check(ok: list, label: str, condition: bool) -> None:
    ok[0] = ok[0] and condition
    print(f"  {'ok  ' if condition else 'FAIL'} {label}", flush=True)


def submit_and_find(author: "harness.Visitor", base_url: str) -> tuple[str, str] | None:
    """Submit one case study as `author`; its title and primary key (from My submissions)."""
    import httpx

    before = len(author.stats.submitted)
    author.submit_once()
    if len(author.stats.submitted) == before:
        return None
    title = author.stats.submitted[-1]
    with httpx.Client(base_url=base_url, timeout=10, cookies=author.http.cookies) as http:
        mine = http.get("/submissions/").text
    match = re.search(r'href="/submissions/case-study/(\d+)/"[^>]*>' + re.escape(title), mine)
    return (title, match.group(1)) if match else None


def publish(maintainer: "harness.Visitor", pk: str) -> bool:
    token, _ = maintainer.csrf(f"/review/case-study/{pk}/")
    response = maintainer.request(
        "POST review",
        "POST",
        f"/review/case-study/{pk}/",
        data={"csrfmiddlewaretoken": token, "decision": "publish", "comment": "Published."},
    )
    return response is not None and response.status_code == 302


def warm_up(servers) -> None:
    """One request per kind of page on every worker, so imports do not count as a fault."""
    import httpx

    targets = harness.browse_targets(harness.SEED)
    for server in servers:
        with httpx.Client(base_url=server.url, timeout=120) as http:
            for _ in range(2):  # each worker process
                for paths in targets.values():
                    http.get(paths[0])
                http.get("/accounts/login/")


# --------------------------------------------------------------------------- 1. two instances


def two_instances_share_everything(one: str, two: str) -> bool:
    """Written through one instance, read through the other at once."""
    import httpx

    run = f"Faults {uuid.uuid4().hex[:8]}"
    stats = harness.Stats()
    author = harness.Visitor(one, stats, {}, email=harness.USER_EMAIL.format(0), run_id=run)
    author.domains = harness.SEED["domain_ids"][:1]
    ok = [True]
    _check(ok, f"member signs in through {one}", author.sign_in())
    anonymous_one = httpx.Client(base_url=one, timeout=10)
    anonymous_one.get(LIST)  # cached on the first instance
    found = submit_and_find(author, two)
    _check(
        ok,
        "submitted through the first instance, listed in My submissions on the second",
        found is not None,
    )
    if found is None:
        return False
    title, pk = found
    maintainer = harness.Visitor(two, stats, {}, email=harness.MAINTAINER_EMAIL, run_id=run)
    _check(ok, "maintainer signs in through the second instance", maintainer.sign_in())
    _check(ok, "maintainer publishes it through the second instance", publish(maintainer, pk))
    _check(
        ok,
        "an anonymous visitor on the first instance sees it at once (no stale page)",
        title in anonymous_one.get(LIST).text,
    )
    for client in (anonymous_one, author.http, maintainer.http):
        client.close()
    return ok[0]


# --------------------------------------------------------------------------- 2. the faults


class SignInProber:
    """Signs a member in afresh (a new browser) every `every` seconds, round the instances."""

    def __init__(self, urls, stats, email, every: float):
        self.urls, self.stats, self.email, self.every = urls, stats, email, every
        self.results: list[tuple[float, int, bool]] = []  # (at, status, friendly 503)
        self.stop = threading.Event()

    def run(self):
        n = 0
        while not self.stop.wait(0 if n == 0 else self.every):
            visitor = harness.Visitor(
                self.urls[n % len(self.urls)], self.stats, {}, email=self.email, timeout=60
            )
            n += 1
            at = time.monotonic() - self.stats.started
            token, response = visitor.csrf("/accounts/login/")
            if token:
                response = visitor.request(
                    "POST /accounts/login/ (prober)",
                    "POST",
                    "/accounts/login/",
                    data={
                        "login": self.email,
                        "password": harness.PASSWORD,
                        "csrfmiddlewaretoken": token,
                    },
                )
            status = response.status_code if response is not None else 0
            if not token and status == 200:
                status = -1  # a sign-in page without a form
            friendly = response is not None and harness.is_friendly_503(response)
            self.results.append((at, status, friendly))
            visitor.http.close()


class AnonymousProber:
    """An anonymous visitor reading the public list on every instance, twice a second.

    Its answers show when pages come from the cache again (members' pages never do); once
    `title` is set (after the publish in redis-restored), a 200 without it is stale.
    """

    def __init__(self, urls, now):
        self.urls, self.now = urls, now
        self.title = None
        self.reads: list[tuple[float, int, str, bool]] = []  # (at, status, X-Cache, stale)
        self.stop = threading.Event()

    def run(self):
        import httpx

        # A new connection per read: a kept-alive one that gunicorn closes as idle just as it
        # is reused fails on the client's side (a browser would retry), not the site's.
        no_keepalive = httpx.Limits(max_keepalive_connections=0)
        clients = [httpx.Client(base_url=u, timeout=30, limits=no_keepalive) for u in self.urls]
        while not self.stop.wait(0.5):
            for client in clients:
                at = self.now()
                try:
                    response = client.get(LIST)
                except httpx.HTTPError as error:
                    self.reads.append((at, 0, type(error).__name__, False))
                    continue
                stale = bool(
                    self.title and response.status_code == 200 and self.title not in response.text
                )
                self.reads.append(
                    (at, response.status_code, response.headers.get("X-Cache", ""), stale)
                )
        for client in clients:
            client.close()


def run_fault(fault, servers, redis, postgres, env, args) -> dict:
    urls = [s.url for s in servers]
    stats = harness.Stats()
    run_id = f"Faults {fault} {uuid.uuid4().hex[:6]}"
    total = args.before + args.outage + args.after
    marks: dict[str, float] = {}
    prepared = restore_prepare(urls, run_id, args) if fault == "redis-restored" else None
    load = threading.Thread(
        target=harness.run_clients,
        args=(urls, stats, harness.browse_targets(harness.SEED)),
        kwargs={
            "clients": args.clients,
            "seconds": total,
            "submit_every": args.submit_every,
            "run_id": run_id,
            "domains": harness.SEED["domain_ids"],
        },
        daemon=True,
    )
    prober = SignInProber(urls, stats, harness.USER_EMAIL.format(args.clients), args.sign_in_every)
    prober_thread = threading.Thread(target=prober.run, daemon=True)

    def now():
        return time.monotonic() - stats.started

    anonymous = AnonymousProber(urls, now)
    anonymous_thread = threading.Thread(target=anonymous.run, daemon=True)
    load.start()
    prober_thread.start()
    anonymous_thread.start()
    time.sleep(args.before)

    try:
        if fault == "redis-restored":
            restored_from_snapshot(redis, marks, now, prepared, anonymous)
        else:
            marks["stop"] = now()
            print(f"  t={marks['stop']:.1f} s: {fault} begins", flush=True)
            if fault == "redis-stopped":
                redis.stop()
            elif fault == "redis-hung":
                redis.hang()
            else:
                postgres.stop()
            time.sleep(max(0.0, args.outage - (now() - marks["stop"])))
    finally:
        if fault == "redis-stopped":
            redis.start(snapshot=False)
        elif fault == "redis-hung":
            redis.resume()
        elif fault == "postgres-stopped":
            postgres.start()
            postgres.wait_up()
        marks.setdefault("up", now())
        print(f"  t={marks['up']:.1f} s: {fault} over", flush=True)
    load.join(total + 60)
    prober.stop.set()
    anonymous.stop.set()
    prober_thread.join(60)
    anonymous_thread.join(60)
    return summarize(fault, stats, prober, anonymous, marks, env, run_id, servers)


def restore_prepare(urls, run_id, args) -> tuple:
    """Before the load: an item submitted, a maintainer signed in, the list cached on both."""
    import httpx

    stats = harness.Stats()
    author = harness.Visitor(
        urls[0],
        stats,
        {},
        email=harness.USER_EMAIL.format(args.clients + 1),
        run_id=f"Faults item {uuid.uuid4().hex[:6]}",
        domains=harness.SEED["domain_ids"],
    )
    maintainer = harness.Visitor(urls[1], stats, {}, email=harness.MAINTAINER_EMAIL)
    found = author.sign_in() and submit_and_find(author, urls[0])
    if not found or not maintainer.sign_in():
        raise SystemExit("redis-restored: could not submit the item or sign the maintainer in")
    for url in urls:  # the list, cached on both instances without the item
        with httpx.Client(base_url=url, timeout=30) as http:
            http.get(LIST)
            http.get(LIST)
    author.http.close()
    return found, maintainer


def restored_from_snapshot(redis, marks, now, prepared, anonymous) -> None:
    (title, pk), maintainer = prepared
    redis.save()
    print(f"  t={now():.1f} s: snapshot saved; publishing {title!r}", flush=True)
    published = publish(maintainer, pk)
    maintainer.http.close()
    if not published:
        raise SystemExit("redis-restored: the maintainer could not publish the item")
    anonymous.title = title
    marks["stop"] = now()
    redis.stop()
    redis.start(snapshot=True)
    marks["up"] = now()
    print(f"  t={marks['up']:.1f} s: Redis restarted from the older snapshot", flush=True)


def summarize(fault, stats, prober, anonymous, marks, env, run_id, servers) -> dict:
    samples = stats.samples
    bare = [s for s in samples if s.status >= 500 and not s.friendly_503]
    unanswered = [s for s in samples if s.status == 0]
    friendly = sum(1 for s in samples if s.friendly_503)
    failed_sign_ins = [r for r in prober.results if r[1] != 302]
    found = harness.count_in_database(env, run_id)
    rows = found["rows"]
    sent = len(stats.submitted) + len(stats.submit_failed)
    stored = sum(rows.values())
    doubled = sum(1 for n in rows.values() if n > 1)
    lost = [t for t in stats.submitted if rows.get(t, 0) == 0]
    after = [s for s in samples if s.at >= marks["up"]]
    if fault.startswith("redis"):  # pages from the cache again (anonymous readers)
        first = min(
            (r[0] for r in anonymous.reads if r[0] >= marks["up"] and r[2] == "hit"), default=None
        )
    else:
        first = min(
            (s.at for s in after if s.status in (200, 302) and s.cache != "hit"), default=None
        )
    anonymous_bad = [r for r in anonymous.reads if r[1] == 0 or r[1] >= 500]
    stale = [r for r in anonymous.reads if r[3] and r[0] >= marks["up"]]
    restored = fault == "redis-restored"
    recover = None if first is None else max(0.0, first - marks["up"])
    # Pages (sign-ins excluded: the password hash is slow on purpose) during the fault.
    during = sorted(
        (
            s
            for s in samples  # any request that overlaps the fault
            if s.at <= marks["up"] and s.at + s.seconds >= marks["stop"] and "login" not in s.page
        ),
        key=lambda s: s.seconds,
    )
    slowest = during[-1].seconds if during else 0.0
    p95 = harness.percentile([s.seconds for s in during], 95) if during else 0.0
    restarted = [s.port for s in servers if s.process.poll() is not None]
    figures = {
        "fault": fault,
        "requests": len(samples),
        "bare_5xx": len(bare),
        "no_answer": len(unanswered),
        "friendly_503": friendly,
        "sign_ins": len(prober.results),
        "sign_ins_failed": len(failed_sign_ins),
        "sign_ins_failed_503": sum(1 for r in failed_sign_ins if r[2]),
        "sent": sent,
        "stored": stored,
        "doubled": doubled,
        "lost": len(lost),
        "incomplete": len(found["incomplete"]),
        "recover": recover,
        "slowest_during": slowest,
        "anonymous_reads": len(anonymous.reads),
        "anonymous_failed": len(anonymous_bad),
        "stale": len(stale) if restored else None,
        "restarted": restarted,
    }
    print(
        f"  requests {len(samples)}; bare 5xx {len(bare)}; no answer {len(unanswered)}; "
        f"friendly 503 {friendly}; sign-ins failed {len(failed_sign_ins)} of "
        f"{len(prober.results)} ({figures['sign_ins_failed_503']} friendly 503); submissions "
        f"sent {sent}, stored {stored}, doubled {doubled}, lost {len(lost)}, half-saved "
        f"{len(found['incomplete'])}; pages during the fault p95 {p95 * 1000:.0f} ms, "
        f"slowest {slowest * 1000:.0f} ms ({during[-1].page if during else '-'}); recovered in "
        f"{'never' if recover is None else f'{recover:.1f} s'}"
        + f"; anonymous list reads {len(anonymous.reads)}, failed {len(anonymous_bad)}"
        + (f", stale after the restore {len(stale)}" if restored else ""),
        flush=True,
    )
    if anonymous_bad:
        print(
            "  anonymous reads failed:", [(round(r[0], 1), r[1], r[2]) for r in anonymous_bad[:5]]
        )
    if bare or unanswered:
        print("  e.g.", [(s.page, s.status, round(s.seconds, 1)) for s in (bare + unanswered)[:5]])
    return figures


def print_table(results: list[dict]) -> None:
    print("\n== summary")
    head = (
        f"{'fault':18} {'requests':>8} {'bare 5xx':>8} {'no ans.':>7} {'503':>5} "
        f"{'sign-ins failed':>15} {'sent':>5} {'stored':>6} {'doubled':>7} {'lost':>4} "
        f"{'recover s':>9} {'stale':>5}"
    )
    print(head)
    for r in results:
        stale = "-" if r["stale"] is None else str(r["stale"])
        recover = "never" if r["recover"] is None else f"{r['recover']:.1f}"
        print(
            f"{r['fault']:18} {r['requests']:8d} {r['bare_5xx']:8d} {r['no_answer']:7d} "
            f"{r['friendly_503']:5d} {r['sign_ins_failed']:>7d} of {r['sign_ins']:<4d} "
            f"{r['sent']:5d} {r['stored']:6d} {r['doubled']:7d} {r['lost']:4d} "
            f"{recover:>9} {stale:>5}"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--submit-every", type=int, default=5)
    parser.add_argument("--sign-in-every", type=float, default=1.0)
    parser.add_argument("--before", type=float, default=6)
    parser.add_argument("--outage", type=float, default=10)
    parser.add_argument("--after", type=float, default=12)
    parser.add_argument("--faults", default=",".join(FAULTS))
    parser.add_argument("--skip-two-instances", action="store_true")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    faults = [f.strip() for f in args.faults.split(",") if f.strip()]
    if unknown := set(faults) - set(FAULTS):
        parser.error(f"unknown faults {sorted(unknown)}; choose from {', '.join(FAULTS)}")
    if args.outage > 15 or args.before + args.outage + args.after > 60:
        parser.error("bounded: an outage of at most 15 s, a fault run of at most 60 s")
    signal.signal(signal.SIGTERM, _raise_on_sigterm)

    postgres = redis = None
    servers = []
    ok = True
    results = []
    redis_dir = Path(tempfile.mkdtemp(prefix="agentops-private-redis-"))
    try:
        postgres = PrivatePostgres()
        redis = PrivateRedis(redis_dir)
        print(f"private PostgreSQL on :{postgres.port}, private Redis on :{redis.port}")
        ports = (free_port(), free_port())
        env = harness.production_env(postgres.database_url, ports[0], extra_hosts=ports[1:])
        env["CACHE_URL"] = redis.url
        env["MAINTAINER_REQUIRE_MFA"] = "false"  # the browser journey covers two-factor sign-in
        harness.create_database(postgres.database_url)
        print(f"preparing {postgres.database_url} ...", flush=True)
        harness.SEED = harness.prepare(env, users=args.clients + 2)
        for port in ports:
            servers.append(
                harness.Gunicorn(
                    {**env, "SITE_URL": f"http://127.0.0.1:{port}"},
                    port,
                    workers=args.workers,
                    threads=args.threads,
                )
            )
        warm_up(servers)
        if not args.skip_two_instances:
            print(f"\n== two instances ({servers[0].url}, {servers[1].url}), one database")
            ok = two_instances_share_everything(servers[0].url, servers[1].url) and ok
        for fault in faults:
            print(
                f"\n== {fault}: {args.clients} clients over both instances, a sign-in every "
                f"{args.sign_in_every:.0f} s; the fault after {args.before:.0f} s for "
                f"{args.outage:.0f} s; {args.after:.0f} s after",
                flush=True,
            )
            results.append(run_fault(fault, servers, redis, postgres, env, args))
            time.sleep(2)  # let connections and breakers settle between faults
    finally:
        for server in servers:
            server.stop()
        if redis is not None:
            redis.stop()
        if postgres is not None:
            postgres.cleanup()
    print_table(results)
    for r in results:
        passed = r["bare_5xx"] == 0 and r["no_answer"] == 0 and r["lost"] == 0
        passed = passed and r["incomplete"] == 0 and not r["restarted"]
        passed = passed and r["recover"] is not None and (r["stale"] or 0) == 0
        passed = passed and r["anonymous_failed"] == 0
        if r["fault"].startswith("redis"):
            passed = passed and r["sign_ins_failed"] == 0
        ok = ok and passed
        print(
            f"  {'ok  ' if passed else 'FAIL'} {r['fault']}: 0 bare 5xx, 0 lost"
            + (", 0 stale pages" if r["stale"] is not None else "")
            + (", every sign-in" if r["fault"].startswith("redis") else "")
            + ", recovered by itself"
        )
    print("RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
