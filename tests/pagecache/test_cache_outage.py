"""The cache is an accelerator, never a dependency: Redis stopped, hung or restored from an
old snapshot costs nobody a page, a sign-in or a submission, and never serves a stale page.

Each test breaks a redis-server of its own (bench/private.py), never the shared one.
"""

import time

import pytest
from django.core.cache import caches
from django.urls import reverse

from cases.models import CaseStudy, State
from tests.cases.test_submit_pages import case_study_post, create_url
from tests.factories import CaseStudyFactory, DomainFactory, UserFactory
from tests.test_settings import run_django

PASSWORD = "correct horse battery staple"


def test_a_redis_cache_url_gets_the_resilient_backend_with_short_timeouts_and_db_sessions():
    result = run_django(
        "import django; django.setup(); from django.conf import settings; "
        "c = settings.CACHES['default']; o = c['OPTIONS']; "
        "print(c['BACKEND'], o['socket_connect_timeout'], o['socket_timeout'], "
        "o['RETRY_AFTER'], settings.SESSION_ENGINE)",
        CACHE_URL="redis://127.0.0.1:6399/2",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "common.cache.ResilientRedisCache", "0.25", "0.5", "5.0",
        "django.contrib.sessions.backends.db",
    ]  # fmt: skip


def test_with_redis_stopped_members_sign_in_browse_and_submit(client, framework, resilient_cache):
    member = UserFactory()
    item = CaseStudyFactory(state=State.PUBLISHED)
    domain = DomainFactory(name="Healthcare")
    assert client.get(item.get_absolute_url())["X-Cache"] == "miss"

    resilient_cache.stop()

    assert client.get(item.get_absolute_url()).status_code == 200  # anonymous, uncached
    # allauth's rate-limit lock and counts live in the cache: the sign-in goes through.
    signed_in = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    page = client.get(item.get_absolute_url())
    assert page.status_code == 200
    assert member.display_name in page.content.decode()
    assert client.get(reverse("cases:my_submissions")).status_code == 200
    sent = client.post(create_url("case_study"), case_study_post(domain, title="Sent in the dark"))
    assert sent.status_code == 302
    assert CaseStudy.objects.get(title="Sent in the dark").state == State.SUBMITTED


def test_with_redis_hung_a_call_waits_one_timeout_then_none_wait(resilient_cache):
    cache = caches["default"]
    cache.set("k", 1)
    resilient_cache.hang()  # SIGSTOP: connections accepted, never answered
    started = time.monotonic()
    assert cache.get("k") is None
    waited = time.monotonic() - started
    assert 0.4 <= waited < 2.0  # one read timeout (0.5 s), no retries
    started = time.monotonic()
    for _ in range(20):
        assert cache.get("k") is None
        cache.set("k", 2)
    assert time.monotonic() - started < 0.2  # the breaker is open: nobody waits again


def test_with_redis_hung_members_and_visitors_are_served(client, framework, resilient_cache):
    member = UserFactory()
    url = CaseStudyFactory(state=State.PUBLISHED).get_absolute_url()
    client.get(url)
    resilient_cache.hang()
    assert client.get(url).status_code == 200
    signed_in = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    page = client.get(url)
    assert page.status_code == 200
    assert member.display_name in page.content.decode()


def test_after_an_outage_the_cache_comes_back_by_itself(client, framework, resilient_cache):
    url = CaseStudyFactory(state=State.PUBLISHED).get_absolute_url()
    resilient_cache.stop()
    assert client.get(url).status_code == 200
    resilient_cache.start()
    time.sleep(2.1)  # RETRY_AFTER in the fixture
    assert client.get(url)["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"


def test_the_cache_degrades_to_a_miss_on_every_operation(resilient_cache):
    cache = caches["default"]
    cache.set("k", 1)
    resilient_cache.stop()
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["k"]) == {}
    assert cache.has_key("k") is False
    assert cache.set("k", 2) is None
    assert cache.add("lock", 1) is True  # granted, as in an empty cache: nobody waits on it
    assert cache.delete("k") is False
    with pytest.raises(ValueError):
        cache.incr("k")
    assert cache.get_or_set("k", 3) == 3


# -------------------------------------------------------------------- restored from a snapshot


def _publish(item):
    item.state = State.PUBLISHED
    item.save()


def test_redis_restored_from_an_older_snapshot_never_serves_its_stale_pages(
    client, framework, resilient_cache
):
    shown = CaseStudyFactory(state=State.PUBLISHED, title="Shown before the snapshot")
    new = CaseStudyFactory(state=State.SUBMITTED, title="Published after the snapshot")
    url = reverse("cases:casestudy_list")
    assert client.get(url)["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"
    resilient_cache.save()  # the snapshot: the list without the new item, and its generation

    _publish(new)
    shown.hidden_at = shown.published_at = None
    shown.state = State.WITHDRAWN
    shown.save()
    html = client.get(url).content.decode()
    assert "Published after the snapshot" in html and "Shown before the snapshot" not in html

    resilient_cache.stop()
    resilient_cache.start()  # loads the older snapshot: old generation, old pages
    time.sleep(2.1)  # the breaker's pause, if the restart was noticed as a failure
    response = client.get(url)
    html = response.content.decode()
    assert response["X-Cache"] == "miss"
    assert "Published after the snapshot" in html
    assert "Shown before the snapshot" not in html
    assert client.get(url)["X-Cache"] == "hit"


def test_a_change_made_while_redis_was_down_is_not_lost_when_it_comes_back(
    client, framework, resilient_cache
):
    item = CaseStudyFactory(state=State.SUBMITTED, title="Published during the outage")
    url = reverse("cases:casestudy_list")
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"
    resilient_cache.save()
    resilient_cache.stop()
    _publish(item)  # the cache cannot be told; the database's record of the generation is
    resilient_cache.start()
    time.sleep(2.1)
    response = client.get(url)
    assert response["X-Cache"] == "miss"
    assert "Published during the outage" in response.content.decode()
