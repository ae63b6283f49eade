#!/usr/bin/env python
"""Mixed load: anonymous readers while a member saves a draft every second and an item is
published every 30 s. Do the public pages stay cached, fast and fresh?

    .venv/bin/python bench/mixed.py           # set up once (10,000 case studies), then measure
    .venv/bin/python bench/mixed.py --duration 60 --size 100

Same stack as bench/throughput.py (gunicorn with the production settings plus /_bench/ok/,
its own PostgreSQL database agentops_mixed, Redis db 4), plus the users of bench/harness.py.
In one run:

1. the trivial view with wrk (the yardstick, as bench/throughput.py measures it);
2. for --duration seconds, three things at once:
   - readers: wrk over the public pages in turn (a Lua script counts X-Cache: hit);
   - a writer: one signed-in member saves the same draft once a second (edit form, GET + POST);
   - a publisher: every --publish-every seconds a member submits a case study and a maintainer
     publishes it through the review page; at once an anonymous client asks for the case-study
     list and must see the new title (a cached page from before the publication is "stale");
3. the trivial view again.

Goals (issue 15): readers' throughput >= 0.5 x the trivial view's, cache hit rate >= 95 %,
0 errors, 0 stale pages. Traffic stays on 127.0.0.1; every phase is bounded in time.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import harness, throughput  # noqa: E402

LUA = r"""
-- Each request takes the next public page in turn; responses count X-Cache hits.
paths = { %(paths)s }
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) n = 0; hits = 0; seen = 0; bad = 0 end
function request()
  n = n + 1
  return wrk.format("GET", paths[(n - 1) %% #paths + 1])
end
function response(status, headers, body)
  seen = seen + 1
  if headers["X-Cache"] == "hit" or headers["x-cache"] == "hit" then hits = hits + 1 end
  if status >= 400 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local h, s, b = 0, 0, 0
  for _, t in ipairs(threads) do
    h = h + t:get("hits"); s = s + t:get("seen"); b = b + t:get("bad")
  end
  io.write(string.format("LUA hits=%%d seen=%%d bad=%%d\n", h, s, b))
end
"""


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--port", type=int, default=8111)
    p.add_argument("--database", default="agentops_mixed")
    p.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    p.add_argument("--redis", default="redis://127.0.0.1:6379/4")
    p.add_argument("--size", type=int, default=10_000, help="case studies to seed")
    p.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    p.add_argument("--threads", type=int, default=1, help="threads per worker (gthread if >1)")
    p.add_argument("--connections", type=int, default=8, help="wrk connections (readers)")
    p.add_argument("--duration", type=float, default=90, help="seconds of mixed load")
    p.add_argument("--trivial-seconds", type=float, default=5, help="each trivial measurement")
    p.add_argument("--save-every", type=float, default=1.0, help="seconds between draft saves")
    p.add_argument("--publish-every", type=float, default=30.0, help="seconds between publications")
    p.add_argument("--reseed", action="store_true", help="drop and seed the database again")
    p.add_argument("--setup-only", action="store_true", help="prepare the database only")
    return p.parse_args()


def reader_paths() -> list[str]:
    """The public pages readers ask for (those bench/throughput.py measures, HTML and data)."""
    return [path for _name, path in throughput.public_pages()]


def wrk_readers(args, paths, seconds) -> dict:
    script = LUA % {"paths": ", ".join(f'"{p}"' for p in paths)}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        out = subprocess.run(
            [
                "wrk", "--latency", "-t1", f"-c{args.connections}", f"-d{seconds:g}s",
                "--timeout", "5s", "-s", f.name, f"http://127.0.0.1:{args.port}/",
            ],
            capture_output=True, text=True, check=True,
        ).stdout
    finally:
        os.unlink(f.name)
    hits, seen, bad = map(int, re.search(r"LUA hits=(\d+) seen=(\d+) bad=(\d+)", out).groups())
    socket_errors = 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        socket_errors = sum(int(n) for n in m.groups())
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": throughput._ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99": throughput._ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "hits": hits, "seen": seen, "errors": bad + socket_errors,
    }


class Member:
    """A signed-in person driving the site's own forms over HTTP (CSRF included)."""

    def __init__(self, base_url, email):
        import httpx

        self.http = httpx.Client(base_url=base_url, timeout=30, follow_redirects=False)
        self.email = email

    def token(self, path):
        response = self.http.get(path)
        response.raise_for_status()
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
        return match.group(1), response

    def sign_in(self):
        csrf, _ = self.token("/accounts/login/")
        response = self.http.post(
            "/accounts/login/",
            data={"login": self.email, "password": harness.PASSWORD, "csrfmiddlewaretoken": csrf},
        )
        if response.status_code != 302:
            raise SystemExit(f"{self.email} could not sign in ({response.status_code})")
        return self

    def case_study(self, path, *, title, action, domain, form_token=""):
        csrf, form = self.token(path)
        if not form_token and (m := re.search(r'name="form_token" value="([^"]+)"', form.text)):
            form_token = m.group(1)
        data = {
            "csrfmiddlewaretoken": csrf, "form_token": form_token, "action": action,
            "title": title, "summary": "Mixed-load case study.", "domain": str(domain),
            "organization": "", "deployment": "production", "duration_months": "6",
            "team_size": "4", "context": f"Context, saved at {time.time():.3f}.",
            "approach": "What was done.", "results": "What changed.",
            "lessons": "What we learned.", "outcome_1": "worked", "outcome_6": "adapted",
            "consent": "name", "attribution_role": "",
            "q-TOTAL_FORMS": "0", "q-INITIAL_FORMS": "0", "q-MIN_NUM_FORMS": "0",
            "q-MAX_NUM_FORMS": "20",
        }
        return self.http.post(path, data=data)

    def own_item_pk(self, title) -> int:
        page = self.http.get("/submissions/").text
        for pk, text in re.findall(r'href="/submissions/case-study/(\d+)/"[^>]*>([^<]*)<', page):
            if title in text:
                return int(pk)
        raise LookupError(title)


class Outcome:
    def __init__(self):
        self.lock = threading.Lock()
        self.saves = []  # seconds per save (GET form + POST)
        self.save_errors = []
        self.published = []  # (title, seconds to publish, fresh on the next read)
        self.publish_errors = []


def writer(member, item_pk, domain, until, every, outcome):
    path = f"/submissions/case-study/{item_pk}/edit/"
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            response = member.case_study(path, title="Mixed-load draft", action="save",
                                         domain=domain)
            ok = response.status_code == 302
        except Exception as error:  # noqa: BLE001 - a figure, not a crash
            ok, response = False, error
        with outcome.lock:
            if ok:
                outcome.saves.append(time.monotonic() - started)
            else:
                outcome.save_errors.append(repr(getattr(response, "status_code", response)))
        time.sleep(max(0.0, every - (time.monotonic() - started)))


def publisher(author, maintainer, domain, until, every, outcome, base_url):
    import httpx

    n = 0
    next_at = time.monotonic() + min(5.0, every)
    while True:
        time.sleep(max(0.0, next_at - time.monotonic()))
        if time.monotonic() >= until:
            return
        next_at += every
        n += 1
        title = f"Mixed-load publication {uuid.uuid4().hex[:8]} n{n}"
        started = time.monotonic()
        try:
            sent = author.case_study("/submit/case-study/", title=title, action="submit",
                                     domain=domain)
            if sent.status_code != 302:
                raise RuntimeError(f"submit answered {sent.status_code}")
            pk = author.own_item_pk(title)
            review = f"/review/case-study/{pk}/"
            csrf, _ = maintainer.token(review)
            decided = maintainer.http.post(
                review,
                data={"csrfmiddlewaretoken": csrf, "decision": "publish",
                      "comment": "Published by the mixed-load bench."},
            )
            if decided.status_code != 302:
                raise RuntimeError(f"publish answered {decided.status_code}")
            seconds = time.monotonic() - started
            # The next anonymous read of the list must show it: nothing cached from before.
            fresh = title in httpx.get(base_url + "/case-studies/", timeout=30).text
            with outcome.lock:
                outcome.published.append((title, seconds, fresh))
        except Exception as error:  # noqa: BLE001 - a figure, not a crash
            with outcome.lock:
                outcome.publish_errors.append(repr(error))


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    env = throughput.environment(args)
    # One client address for everyone (the per-IP limits would stop the load, not measure it);
    # the bench maintainer signs in with a password only (no authenticator app to drive).
    env.update(RATELIMIT_ENABLED="false", TRUSTED_PROXY_COUNT="0", EMAIL_HOST="",
               CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{args.port}",
               MAINTAINER_REQUIRE_MFA="false")
    throughput.set_up(args, env)
    seed = harness.prepare(env, users=2)
    if args.setup_only:
        return
    paths = reader_paths()
    base_url = f"http://127.0.0.1:{args.port}"
    proc = throughput.start_gunicorn(args, env)
    outcome = Outcome()
    try:
        wrk_readers(args, paths, 3)  # warm the workers and the cache
        trivial_before = throughput.wrk(
            argparse.Namespace(**{**vars(args), "duration": args.trivial_seconds}), "/_bench/ok/"
        )
        domain = seed["domain_ids"][0]
        writer_member = Member(base_url, harness.USER_EMAIL.format(0)).sign_in()
        author = Member(base_url, harness.USER_EMAIL.format(1)).sign_in()
        maintainer = Member(base_url, harness.MAINTAINER_EMAIL).sign_in()
        draft_title = "Mixed-load draft"
        created = writer_member.case_study("/submit/case-study/", title=draft_title,
                                           action="save", domain=domain)
        if created.status_code != 302:
            raise SystemExit(f"could not save the first draft ({created.status_code})")
        item_pk = int(re.search(r"/(\d+)/", created.headers["location"]).group(1))
        until = time.monotonic() + args.duration
        workers = [
            threading.Thread(target=writer, daemon=True,
                             args=(writer_member, item_pk, domain, until, args.save_every,
                                   outcome)),
            threading.Thread(target=publisher, daemon=True,
                             args=(author, maintainer, domain, until, args.publish_every,
                                   outcome, base_url)),
        ]
        for t in workers:
            t.start()
        readers = wrk_readers(args, paths, args.duration)
        for t in workers:
            t.join(timeout=60)
        trivial_after = throughput.wrk(
            argparse.Namespace(**{**vars(args), "duration": args.trivial_seconds}), "/_bench/ok/"
        )
    finally:
        throughput.stop(proc)
    report(args, paths, readers, [trivial_before, trivial_after], outcome)


def report(args, paths, readers, trivial, outcome):
    trivial_rps = statistics.mean(t["rps"] for t in trivial)
    ratio = readers["rps"] / trivial_rps
    hit_rate = readers["hits"] / readers["seen"] if readers["seen"] else 0.0
    stale = [t for t, _s, fresh in outcome.published if not fresh]
    errors = (readers["errors"] + sum(t["errors"] for t in trivial) + len(outcome.save_errors)
              + len(outcome.publish_errors))
    print()
    print(
        f"gunicorn {args.workers} worker(s) x {args.threads} thread(s); readers: wrk 1 thread, "
        f"{args.connections} connections over {len(paths)} public pages for {args.duration:g} s; "
        f"a draft saved every {args.save_every:g} s; a publication every {args.publish_every:g} s"
    )
    print("| figure | value | goal |")
    print("|---|---:|---|")
    print(f"| trivial view, req/s (before, after) | {trivial[0]['rps']:.0f}, "
          f"{trivial[1]['rps']:.0f} | |")
    print(f"| readers, req/s | {readers['rps']:.0f} | |")
    print(f"| readers ÷ trivial | {ratio:.2f} | ≥ 0.5 |")
    print(f"| readers p50 / p99 ms | {readers['p50']:.2f} / {readers['p99']:.2f} | |")
    print(f"| cache hit rate | {hit_rate:.1%} ({readers['hits']} of {readers['seen']}) | ≥ 95 % |")
    saves = outcome.saves
    save_p50 = f"{statistics.median(saves) * 1000:.0f} ms median" if saves else "none"
    print(f"| drafts saved | {len(saves)} ({save_p50}) | one a second |")
    print(f"| items published | {len(outcome.published)} | one every "
          f"{args.publish_every:g} s |")
    print(f"| stale list right after a publication | {len(stale)} | 0 |")
    print(f"| errors (readers, trivial, saves, publications) | {errors} | 0 |")
    for problem in outcome.save_errors[:5] + outcome.publish_errors[:5]:
        print(f"   {problem}")
    met = ratio >= 0.5 and hit_rate >= 0.95 and errors == 0 and not stale and outcome.published
    print()
    print("Goal met." if met else "Goal NOT met.")


if __name__ == "__main__":
    main()
