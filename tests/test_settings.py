"""Configuration comes from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROD_KEY = "x" * 10 + "production-secret-key-for-tests-0123456789abcdefghijklmnop"


def run_django(code: str, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "TRUSTED_PROXY_COUNT"}
    }
    base.update({"DJANGO_SETTINGS_MODULE": "agentops_web.settings", **env})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
    )


def test_production_without_secret_key_refuses_to_start_naming_the_variable():
    result = run_django("import django; django.setup()", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_development_starts_with_no_variables_on_sqlite():
    result = run_django(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEBUG, settings.DATABASES['default']['ENGINE'])"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"]


def test_database_url_chooses_postgresql():
    result = run_django(
        "import django; django.setup(); from django.conf import settings; "
        "d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'])",
        DATABASE_URL="postgres://postgres@db.example:5433/agentops",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql", "agentops", "db.example", "5433",
    ]  # fmt: skip


def test_check_deploy_is_clean_in_production_mode():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}},
            "DEBUG": "false",
            "SECRET_KEY": PROD_KEY,
            "SITE_URL": "https://agentops.example.org",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_serves_only_the_site_host(settings):
    result = run_django(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.ALLOWED_HOSTS, settings.SESSION_COOKIE_SECURE, "
        "settings.SECURE_HSTS_SECONDS > 0)",
        DEBUG="false",
        SECRET_KEY=PROD_KEY,
        SITE_URL="https://agentops.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['agentops.example.org'] True True"


def test_production_trusts_no_proxy_unless_told():
    """With no proxy in front, a trusted X-Forwarded-For would let each client choose its own
    address for the per-address limits: the default is to trust none."""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from django.test import RequestFactory; from common.ratelimit import client_ip; "
        "r = RequestFactory().get('/', REMOTE_ADDR='203.0.113.9', "
        "HTTP_X_FORWARDED_FOR='198.51.100.1'); "
        "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT, client_ip(r))"
    )
    result = run_django(code, DEBUG="false", SECRET_KEY=PROD_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "203.0.113.9"]
    behind_a_proxy = run_django(code, DEBUG="false", SECRET_KEY=PROD_KEY, TRUSTED_PROXY_COUNT="1")
    assert behind_a_proxy.returncode == 0, behind_a_proxy.stderr
    assert behind_a_proxy.stdout.split() == ["1", "198.51.100.1"]
