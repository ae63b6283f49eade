"""What bench/load.py and bench/faults.py share: a production-mode gunicorn on loopback, seeded
PostgreSQL, browsing/submitting clients and the figures they print.

Traffic goes only to 127.0.0.1. Every run is bounded in time. Also a small command line used by
the scripts themselves in a subprocess with the production settings:

    python -m bench.harness seed --users 20     # idempotent: users + published evidence, JSON out
    python -m bench.harness count --prefix RUN  # JSON: title -> rows, and incomplete ones
"""

import argparse
import json
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
HOST = "127.0.0.1"
DEFAULT_DATABASE_URL = f"postgres://postgres@{HOST}:5432/agentops_load"
PASSWORD = "load test password 2026"
DEFAULT_SUBMIT_EVERY = 10  # a signed-in client submits every 10th action
USER_EMAIL = "load-user-{}@example.org"
MAINTAINER_EMAIL = "load-maintainer@example.org"
SEED: dict = {}  # what prepare() returned, for the scripts


# --------------------------------------------------------------------------- the server side


def production_env(database_url: str, port: int, extra_hosts=()) -> dict:
    """Production settings, made to work over plain HTTP on loopback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DEBUG="false",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        DATABASE_URL=database_url,
        SITE_URL=f"http://{HOST}:{port}",
        ALLOWED_HOSTS=HOST,
        CSRF_TRUSTED_ORIGINS=",".join(f"http://{HOST}:{p}" for p in (port, *extra_hosts)),
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        CONN_MAX_AGE="60",
        # One client address for every simulated person: the per-IP limits would stop the
        # load, not measure it. No proxy in front: the address is the socket's.
        RATELIMIT_ENABLED="false",
        TRUSTED_PROXY_COUNT="0",
        EMAIL_HOST="",  # console backend: no mail leaves the machine
        LOG_LEVEL="WARNING",
    )
    return env


def create_database(database_url: str) -> None:
    """CREATE DATABASE if it does not exist (the name is the URL's path)."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"unexpected database name {name!r}")
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url.replace("postgres://", "postgresql://"), autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            c.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict, *args: str, capture=False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
        timeout=600,
    )
    return result.stdout if capture else ""


def prepare(env: dict, users: int) -> dict:
    """Migrate, load the framework, collect static files, seed. Returns the seed's JSON."""
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_framework", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    out = subprocess.run(
        [PYTHON, "-m", "bench.harness", "seed", "--users", str(users)],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=True,
        timeout=300,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


class Gunicorn:
    """gunicorn serving the site on 127.0.0.1:port until stop()."""

    def __init__(self, env: dict, port: int, workers: int = 2, threads: int = 4):
        self.port = port
        self.url = f"http://{HOST}:{port}"
        # A fresh, private log file (not a predictable /tmp name another user could plant).
        fd, log_name = tempfile.mkstemp(prefix=f"agentops-bench-gunicorn-{port}-", suffix=".log")
        os.close(fd)
        self.log = Path(log_name)
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "agentops_web.wsgi",
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_ready()

    def _wait_ready(self, seconds: float = 120) -> None:
        import httpx

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log}")
            try:
                if httpx.get(self.url + "/", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise SystemExit(f"gunicorn on {self.url} not ready after {seconds:.0f} s; see {self.log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


# --------------------------------------------------------------------------- the client side


@dataclass
class Sample:
    at: float  # seconds since the run started
    page: str
    status: int  # 0 = no answer (connection error or timeout)
    seconds: float
    friendly_503: bool = False
    cache: str = ""  # the X-Cache header: "hit", "miss" or "" (not cacheable, or no cache)


@dataclass
class Stats:
    started: float = field(default_factory=time.monotonic)
    samples: list = field(default_factory=list)
    submitted: list = field(default_factory=list)  # titles answered with success
    submit_failed: list = field(default_factory=list)  # (title, status)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


def is_friendly_503(response) -> bool:
    text = response.text
    return (
        response.status_code == 503
        and "briefly unavailable" in text
        and "Traceback" not in text
        and "Retry-After" in response.headers
    )


class Visitor:
    """One simulated person: browses the public pages; signed in, also submits."""

    def __init__(
        self, base_url, stats, targets, *, email=None, run_id="run", domains=(), timeout=30.0
    ):
        import httpx

        self.http = httpx.Client(base_url=base_url, timeout=timeout, follow_redirects=False)
        self.stats = stats
        self.targets = targets
        self.email = email
        self.run_id = run_id
        self.signed_in = False
        self.submissions = 0
        self.domains = list(domains)
        self.rng = random.Random()

    def request(self, page, method, path, **kwargs):
        import httpx

        start = time.monotonic()
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.HTTPError:
            response = None
        seconds = time.monotonic() - start
        status = response.status_code if response is not None else 0
        self.stats.add(
            Sample(
                at=start - self.stats.started,
                page=page,
                status=status,
                seconds=seconds,
                friendly_503=response is not None and is_friendly_503(response),
                cache=response.headers.get("X-Cache", "") if response is not None else "",
            )
        )
        return response

    def csrf(self, path):
        response = self.request(f"GET {path.split('?')[0]}", "GET", path)
        if response is None or response.status_code != 200:
            return None, response
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
        return (match.group(1) if match else None), response

    def sign_in(self) -> bool:
        token, _ = self.csrf("/accounts/login/")
        if not token:
            return False
        response = self.request(
            "POST /accounts/login/",
            "POST",
            "/accounts/login/",
            data={"login": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        self.signed_in = response is not None and response.status_code == 302
        return self.signed_in

    def browse_once(self):
        # Each kind of page equally often, then one of its instances.
        page = self.rng.choice(list(self.targets))
        self.request(page, "GET", self.rng.choice(self.targets[page]))

    def submit_once(self):
        """Submit one case study through the form; record whether it answered with success."""
        path = "/submit/case-study/"
        token, form = self.csrf(path)
        if not token:
            return
        form_token = re.search(r'name="form_token" value="([^"]+)"', form.text)
        self.submissions += 1
        title = f"{self.run_id} n{self.submissions}"
        first, second = self.rng.sample(range(1, 13), 2)
        data = {
            "csrfmiddlewaretoken": token,
            "form_token": form_token.group(1) if form_token else "",
            "action": "submit",
            "title": title,
            "summary": "Load-test case study.",
            "domain": str(self.rng.choice(self.domains)),
            "organization": "",
            "deployment": "production",
            "duration_months": "6",
            "team_size": "4",
            "context": "Context of the *load* test.",
            "approach": "What was done.",
            "results": "What changed.",
            "lessons": "What we learned.",
            f"outcome_{first}": "worked",
            f"outcome_{second}": "adapted",
            "consent": "name",
            "attribution_role": "",
            "q-TOTAL_FORMS": "1",
            "q-INITIAL_FORMS": "0",
            "q-MIN_NUM_FORMS": "0",
            "q-MAX_NUM_FORMS": "20",
        }
        response = self.request("POST submit", "POST", path, data=data)
        if (
            response is not None
            and response.status_code == 302
            and response.headers.get("location", "").endswith("/submissions/")
        ):
            with self.stats.lock:
                self.stats.submitted.append(title)
        else:
            with self.stats.lock:
                self.stats.submit_failed.append(
                    (title, response.status_code if response is not None else 0)
                )

    def run(self, until: float, submit_every: int = 0):
        n = 0
        while time.monotonic() < until:
            n += 1
            if submit_every and self.email and n % submit_every == 0:
                if not self.signed_in:
                    self.sign_in()
                if self.signed_in:
                    self.submit_once()
                    continue
            self.browse_once()
        self.http.close()


def browse_targets(seed: dict) -> dict:
    """Kind of page (the label latencies are grouped by) -> the paths of its instances."""
    return {
        "home": ["/"],
        "factor list": ["/factors/"],
        "factor page": [f"/factors/{s}/" for s in seed["factors"]],
        "case study list": ["/case-studies/"],
        "case study page": [f"/case-studies/{s}/" for s in seed["case_studies"]],
        "failure list": ["/failures/"],
        "failure page": [f"/failures/{s}/" for s in seed["failures"]],
        "adaptation list": ["/adaptations/"],
        "domain list": ["/domains/"],
        "domain page": [f"/domains/{s}/" for s in seed["domains"]],
        "failure list, filtered": [
            f"/failures/?domain={s}&severity={v}"
            for s in seed["domains"]
            for v in ("critical", "high", "medium", "low")
        ],
        "search": ["/search/?q=seed", "/search/?q=agents", "/search/?q=%22case+study%22"],
        "maturity dashboard": ["/maturity/"],
        "feed": ["/feeds/evidence.atom"],
        **seed.get("extra", {}),
    }


def run_clients(
    base_urls, stats, targets, *, clients, seconds, submit_every=0, run_id="run", domains=()
):
    """`clients` visitors spread over base_urls for `seconds`; the first ones also submit."""
    until = time.monotonic() + seconds
    threads = []
    for i in range(clients):
        visitor = Visitor(
            base_urls[i % len(base_urls)],
            stats,
            targets,
            email=USER_EMAIL.format(i) if submit_every else None,
            run_id=f"{run_id}-c{i}",
            domains=domains,
        )
        thread = threading.Thread(target=visitor.run, args=(until, submit_every), daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(seconds + 30)
    return stats


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def report(stats: Stats, seconds: float, out=sys.stdout) -> dict:
    """Print requests per second, latency per page, errors. Returns the figures."""
    samples = stats.samples
    by_page = defaultdict(list)
    for s in samples:
        by_page[s.page].append(s)
    statuses = Counter(s.status for s in samples)
    answered = [s for s in samples if s.status]
    print(
        f"requests: {len(samples)} in {seconds:.0f} s = {len(samples) / seconds:.1f} req/s",
        file=out,
    )
    print(f"status codes: {dict(sorted(statuses.items()))} (0 = no answer)", file=out)
    print(
        f"{'page':32} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} errors",
        file=out,
    )
    for page in sorted(by_page):
        items = by_page[page]
        ms = [s.seconds * 1000 for s in items]
        errors = sum(1 for s in items if s.status == 0 or s.status >= 500)
        print(
            f"{page[:32]:32} {len(items):6d} {percentile(ms, 50):8.0f} {percentile(ms, 95):8.0f}"
            f" {percentile(ms, 99):8.0f} {max(ms):8.0f} {errors}",
            file=out,
        )
    ms = [s.seconds * 1000 for s in answered]
    print(
        f"{'ALL':32} {len(samples):6d} {percentile(ms, 50):8.0f} {percentile(ms, 95):8.0f}"
        f" {percentile(ms, 99):8.0f}",
        file=out,
    )
    return {
        "requests": len(samples),
        "rps": len(samples) / seconds,
        "5xx": sum(n for code, n in statuses.items() if code >= 500),
        "no_answer": statuses.get(0, 0),
    }


def count_in_database(env: dict, prefix: str) -> dict:
    out = subprocess.run(
        [PYTHON, "-m", "bench.harness", "count", "--prefix", prefix],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=True,
        timeout=120,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def check_submissions(stats: Stats, env: dict, prefix: str, out=sys.stdout) -> bool:
    """Every submission answered with success is in the database exactly once, complete."""
    found = count_in_database(env, prefix)
    rows = found["rows"]
    lost = [t for t in stats.submitted if rows.get(t, 0) == 0]
    doubled = {t: n for t, n in rows.items() if n > 1}
    unconfirmed = sorted(set(rows) - set(stats.submitted))
    print(
        f"submissions answered with success: {len(stats.submitted)}; in the database: "
        f"{len(rows)}; lost: {len(lost)}; doubled: {len(doubled)}; "
        f"incomplete (half-saved): {len(found['incomplete'])}; by state: {found['states']}",
        file=out,
    )
    if unconfirmed:
        print(
            f"  saved but not answered with success (the answer was lost): {len(unconfirmed)}",
            file=out,
        )
    if stats.submit_failed:
        print(
            f"  submissions refused or failed: {Counter(s for _, s in stats.submit_failed)}",
            file=out,
        )
    for t in lost[:5]:
        print(f"  LOST: {t}", file=out)
    for t, n in list(doubled.items())[:5]:
        print(f"  DOUBLED x{n}: {t}", file=out)
    for t in found["incomplete"][:5]:
        print(f"  INCOMPLETE: {t}", file=out)
    return not lost and not doubled and not found["incomplete"]


# --------------------------------------------------------------------------- inside Django


def _seed(users: int) -> dict:
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.db import transaction

    from accounts.models import User
    from accounts.services import user_grant_maintainer
    from cases.models import CaseStudy, Domain, FailureReport
    from factors.models import Factor
    from tests.factories import CaseStudyFactory, DomainFactory, FailureReportFactory

    with transaction.atomic():
        for i in range(users):
            user, created = User.objects.get_or_create(
                email=USER_EMAIL.format(i), defaults={"display_name": f"Load user {i}"}
            )
            if created:
                user.set_password(PASSWORD)
                user.save()
                EmailAddress.objects.create(
                    user=user, email=user.email, verified=True, primary=True
                )
        if not User.objects.filter(email=MAINTAINER_EMAIL).exists():
            maintainer = User.objects.create_user(
                email=MAINTAINER_EMAIL, password=PASSWORD, display_name="Load maintainer"
            )
            EmailAddress.objects.create(
                user=maintainer, email=maintainer.email, verified=True, primary=True
            )
            user_grant_maintainer(user=maintainer)
        factors = list(Factor.objects.order_by("number"))
        if not CaseStudy.objects.filter(title__startswith="Load seed").exists():
            domains = [DomainFactory(name=f"Load seed domain {d}") for d in range(3)]
            for n in range(12):
                CaseStudyFactory(
                    title=f"Load seed case study {n}",
                    domain=domains[n % 3],
                    applied=[(factors[n % 12], "worked"), (factors[(n + 5) % 12], "adapted")],
                )
            for n in range(8):
                FailureReportFactory(
                    title=f"Load seed failure {n}",
                    domain=domains[n % 3],
                    factors=[factors[(n * 3) % 12]],
                    severity=["critical", "high", "medium", "low"][n % 4],
                )
    return {
        "factors": [f.slug for f in factors],
        "case_studies": list(
            CaseStudy.objects.published()
            .filter(title__startswith="Load seed")
            .values_list("slug", flat=True)
        ),
        "failures": list(
            FailureReport.objects.published()
            .filter(title__startswith="Load seed")
            .values_list("slug", flat=True)
        ),
        "domains": list(
            Domain.objects.filter(name__startswith="Load seed").values_list("slug", flat=True)
        ),
        "domain_ids": list(
            Domain.objects.filter(name__startswith="Load seed").values_list("pk", flat=True)
        ),
    }


def _count(prefix: str) -> dict:
    import django

    django.setup()
    from cases.models import CaseStudy, State

    rows, states, incomplete = {}, {}, []
    qs = CaseStudy.objects.filter(title__startswith=prefix).prefetch_related(
        "applications", "state_changes"
    )
    for case in qs:
        rows[case.title] = rows.get(case.title, 0) + 1
        states[case.state] = states.get(case.state, 0) + 1
        # Saved whole: both factor applications, and a recorded step for every state it passed.
        recorded = {c.to_state for c in case.state_changes.all()}
        whole = len(case.applications.all()) == 2 and State.DRAFT in recorded
        if case.state == State.SUBMITTED:
            whole = whole and State.SUBMITTED in recorded and case.submitted_at is not None
        if not whole:
            incomplete.append(case.title)
    return {"rows": rows, "states": states, "incomplete": incomplete}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.harness")
    sub = parser.add_subparsers(dest="command", required=True)
    seed = sub.add_parser("seed")
    seed.add_argument("--users", type=int, default=20)
    count = sub.add_parser("count")
    count.add_argument("--prefix", required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agentops_web.settings")
    sys.path.insert(0, str(ROOT))
    if args.command == "seed":
        print(json.dumps(_seed(args.users)))
    else:
        print(json.dumps(_count(args.prefix)))


if __name__ == "__main__":
    main()
