"""/healthz tells a load balancer whether this server can take traffic, quickly, never cached."""

import time
from unittest import mock

from django.core.cache.backends.locmem import LocMemCache
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from agentops_web import health
from tests.test_settings import PROD_KEY, run_django


def get(client=None, **extra):
    return (client or Client(raise_request_exception=False)).get("/healthz", **extra)


def test_all_well_answers_200_ok_in_json(db):
    response = get()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is True


def test_it_is_never_cached_by_anyone(db):
    client = Client()
    first, second = get(client), get(client)
    assert "no-store" in first["Cache-Control"]
    assert "X-Cache" not in first and "X-Cache" not in second  # not a page-cache candidate


def _broken(*args, **kwargs):
    raise ConnectionError("redis: connection refused")


def test_a_cache_outage_is_degraded_but_still_200(db):
    with mock.patch.object(LocMemCache, "set", _broken):
        response = get()
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"] == {"ok": False, "ms": mock.ANY, "error": "unavailable"}
    assert "redis" not in response.content.decode()  # details are logged, not shown


def test_a_hung_cache_does_not_hang_the_probe(db):
    def hang(*args, **kwargs):
        time.sleep(2)

    with mock.patch.object(LocMemCache, "set", hang):
        start = time.monotonic()
        response = get()
        elapsed = time.monotonic() - start
    assert response.status_code == 200
    assert response.json()["checks"]["cache"]["error"] == "timeout"
    assert elapsed < health.CACHE_TIMEOUT_SECONDS + 0.5


def test_a_database_outage_answers_503_down(db):
    with mock.patch.object(
        BaseDatabaseWrapper, "ensure_connection", side_effect=OperationalError("refused")
    ):
        response = get()
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["checks"]["database"]["error"] == "unavailable"


def test_head_works_and_other_methods_are_refused(db):
    assert Client().head("/healthz").status_code == 200
    assert Client().post("/healthz").status_code == 405


def test_it_answers_in_one_query(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert get().status_code == 200


def test_in_production_it_is_exempt_from_the_https_redirect(settings, db):
    result = run_django(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECURE_SSL_REDIRECT, *settings.SECURE_REDIRECT_EXEMPT)",
        DEBUG="false",
        SECRET_KEY=PROD_KEY,
        SITE_URL="https://agentops.example.org",
    )
    assert result.returncode == 0, result.stderr
    redirect, *exempt = result.stdout.split()
    assert redirect == "True"
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = exempt
    assert get().status_code == 200  # a plain-HTTP probe is answered, not redirected
    assert Client().get("/").status_code == 301  # pages still are
