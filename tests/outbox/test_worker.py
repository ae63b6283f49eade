"""The real thing: `make run`'s site and task worker as processes, email over real SMTP."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.db import connection

from tests.outbox.smtp_server import SMTPServer

BASE_DIR = Path(__file__).resolve().parents[2]
MANAGE = [sys.executable, str(BASE_DIR / "manage.py")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(smtp: SMTPServer, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.pop("SITE_URL", None)
    env.update(
        DEBUG="true",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        EMAIL_USE_TLS="false",
        RATELIMIT_ENABLED="false",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def _wait_for(predicate, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def _running_in_group(pgid: int) -> list[int]:
    """Processes of this process group still running (zombies waiting to be reaped are not)."""
    running = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            running.append(int(stat.parent.name))
    return running


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_make_run_serves_the_site_with_a_worker_that_mails_and_ctrl_c_stops_both(tmp_path):
    """`make run`'s command on a fresh SQLite file: the site on PORT, a worker sending the
    email over one SMTP session per batch, links naming PORT, and Ctrl-C ending both."""
    with SMTPServer() as smtp:
        port = _free_port()
        env = _env(smtp, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
        subprocess.run([*MANAGE, "migrate", "-v0"], env=env, check=True, cwd=BASE_DIR)
        run = subprocess.Popen(
            [sys.executable, "-m", "agentops_web.devrun", "--port", str(port)],
            env=env,
            cwd=BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        site = f"http://127.0.0.1:{port}"
        try:
            started = run.stdout.readline()
            pids = [int(p) for p in re.findall(r"pid (\d+)", started)]
            assert len(pids) == 2, started
            _wait_for(lambda: _answers(f"{site}/dev/outbox/"), seconds=90, what="the site")

            # Three notifications composed outside any request (as a command would): one
            # batch, one SMTP session, links on the port make run was given.
            script = (
                "from accounts.models import User\n"
                "from allauth.account.models import EmailAddress\n"
                "from community.notifications import notify\n"
                "people = [User.objects.create_user(email=f'p{i}@example.org', password='pw-"
                "long-enough-1') for i in range(3)]\n"
                "[EmailAddress.objects.create(user=u, email=u.email, verified=True, primary=True)"
                " for u in people]\n"
                "notify(recipients=people, kind='reply', subject='Hello')\n"
            )
            subprocess.run(
                [*MANAGE, "shell", "-v0", "-c", script],
                env={**env, "PORT": str(port)},
                check=True,
                cwd=BASE_DIR,
            )
            _wait_for(lambda: len(smtp.messages) == 3, seconds=60, what="three emails")
            assert smtp.sessions == 1
            body = smtp.messages[0][2].get_body(("plain",)).get_content()
            assert f"{site}/unsubscribe/" in body and ":8000" not in body

            # A password reset asked for on the site: sent by the worker, and its link, copied
            # from the email, works (it is not split or encoded).
            with httpx.Client(base_url=site, timeout=10) as browser:
                form = browser.get("/accounts/password/reset/")
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
                answer = browser.post(
                    "/accounts/password/reset/",
                    data={"csrfmiddlewaretoken": token.group(1), "email": "p0@example.org"},
                    headers={"Referer": f"{site}/accounts/password/reset/"},
                )
                assert answer.status_code in (200, 302)
                _wait_for(lambda: len(smtp.messages) == 4, seconds=60, what="the reset email")
                reset = smtp.messages[3][2].get_body(("plain",)).get_content()
                link = re.search(rf"{re.escape(site)}/accounts/password/reset/key/\S+", reset)
                assert link, reset
                followed = browser.get(link.group(0), follow_redirects=True)
                assert followed.status_code == 200
                assert "Bad Token" not in followed.text and "password1" in followed.text
            assert smtp.sessions == 2
            outbox = httpx.get(f"{site}/dev/outbox/", timeout=10).text
            assert f'href="{link.group(0)}"' in outbox  # clickable in the development outbox
        finally:
            run.send_signal(signal.SIGINT)  # what Ctrl-C does
            try:
                run.wait(timeout=40)
            except subprocess.TimeoutExpired:
                run.kill()
                raise
    for pid in pids:  # each child led its own process group: nothing of it is left running
        assert _running_in_group(pid) == []
    assert not _answers(f"{site}/")


@pytest.mark.django_db(transaction=True)
def test_the_db_worker_sends_a_batch_queued_in_the_test_database_over_one_smtp_session(
    settings,
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "the worker process needs the test database on disk: PostgreSQL (CI runs it); "
            "the `make run` test above runs a real worker on SQLite"
        )
    from django.core.mail import EmailMessage

    from outbox.models import EmailStatus, OutgoingEmail
    from outbox.services import email_queue

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    email_queue(
        EmailMessage(subject=f"Note {i}", body="Hello", to=[f"p{i}@example.org"]) for i in range(5)
    )
    assert OutgoingEmail.objects.filter(status=EmailStatus.QUEUED).count() == 5
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    with SMTPServer() as smtp:
        subprocess.run(
            [*MANAGE, "db_worker", "--batch", "--no-reload", "--no-startup-delay"],
            env=_env(smtp, DATABASE_URL=url),
            check=True,
            cwd=BASE_DIR,
            timeout=120,
        )
    assert sorted(m[2]["Subject"] for m in smtp.messages) == [f"Note {i}" for i in range(5)]
    assert smtp.sessions == 1
    assert OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() == 5
