"""The generation moves when a transaction COMMITS: once, never on rollback, never lost."""

import time

import pytest
from django.db import transaction

from pagecache.generation import GENERATION_KEY, generation_current, page_cache
from pagecache.middleware import PageCacheMiddleware
from tests.factories import CaseStudyFactory, DomainFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_writes_bump_once_when_the_transaction_commits():
    before = generation_current()
    with transaction.atomic():
        for n in range(5):
            DomainFactory(name=f"Domain {n}")
        assert generation_current() == before
    assert generation_current() == before + 1


def test_a_rolled_back_transaction_does_not_bump():
    before = generation_current()
    with pytest.raises(RuntimeError), transaction.atomic():
        DomainFactory(name="Never")
        raise RuntimeError
    assert generation_current() == before


def test_a_rolled_back_savepoint_does_not_take_later_writes_bump_with_it():
    before = generation_current()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            DomainFactory(name="Rolled back")
            raise RuntimeError
        DomainFactory(name="Kept")
    assert generation_current() == before + 1


def test_outside_a_transaction_each_write_bumps_at_once():
    before = generation_current()
    DomainFactory(name="Autocommitted")
    assert generation_current() == before + 1


def test_a_missing_generation_restarts_above_every_earlier_one(monkeypatch):
    from pagecache import generation

    monkeypatch.setattr(generation, "_clock", lambda: time.time_ns() // 1000)  # a real clock
    old = generation_current()
    page_cache().delete(GENERATION_KEY)  # e.g. the cache server restarted
    assert generation_current() > old


def test_a_page_rendered_during_the_transaction_is_not_served_after_the_commit(client, rf):
    """Another app server that reads the generation and the (still old) committed data
    while a change is being committed stores the old page under the old generation;
    the bump on commit makes it unreachable."""
    item = CaseStudyFactory(title="Before the edit")
    url = item.get_absolute_url()
    middleware = PageCacheMiddleware(lambda request: None)
    key = middleware.key(rf.get(url, headers={"host": "testserver"}))
    with transaction.atomic():
        item.title = "After the edit"
        item.save()
        # What the other server stores at this moment:
        page_cache().set(key, (generation_current(), 200, [], b"Before the edit"))
    response = client.get(url)
    assert response["X-Cache"] == "miss"
    assert "After the edit" in response.content.decode()
    assert client.get(url)["X-Cache"] == "hit"
