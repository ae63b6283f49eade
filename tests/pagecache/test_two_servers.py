"""Two app servers sharing one Redis and one database serve the same fresh pages.

Each "server" runs in its own thread: its own cache client (its own Redis connection)
and its own database connection, as two processes would have.
"""

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.test import Client

from tests.factories import CaseStudyFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


class Server:
    """Runs everything it is given in one thread of its own, like a separate process."""

    def __init__(self):
        self.pool = ThreadPoolExecutor(max_workers=1)

    def run(self, fn, *args):
        def call():
            try:
                return fn(*args)
            finally:
                connections.close_all()

        return self.pool.submit(call).result(timeout=30)

    def get(self, url, cookies=None):
        def fetch():
            client = Client()
            if cookies:
                client.cookies.update(cookies)
            response = client.get(url)
            return response.get("X-Cache"), response.content.decode()

        return self.run(fetch)

    def close(self):
        self.pool.shutdown()


@pytest.fixture
def servers(redis_cache):
    pair = Server(), Server()
    yield pair
    for server in pair:
        server.close()


def test_a_change_through_one_server_is_fresh_on_the_other(servers, framework):
    a, b = servers
    item = CaseStudyFactory(title="Budget guards at a bank")
    url = item.get_absolute_url()
    assert a.get(url)[0] == "miss"
    assert b.get(url) == ("hit", a.get(url)[1])  # one shared cache

    def edit():
        item.title = "Budget guards at a large bank"
        item.save()

    b.run(edit)
    cache_state, html = a.get(url)
    assert cache_state == "miss"
    assert "Budget guards at a large bank" in html
    assert b.get(url) == ("hit", html)


def test_a_sign_in_on_one_server_holds_on_the_other(servers, framework):
    a, b = servers
    member = UserFactory(display_name="Ada Writer")
    url = CaseStudyFactory().get_absolute_url()
    a.get(url)

    def sign_in():
        client = Client()
        client.force_login(member)
        return dict(client.cookies.items())

    cookies = b.run(sign_in)
    cache_state, html = a.get(url, cookies=cookies)
    assert cache_state is None  # personal: never from the cache
    assert "Ada Writer" in html
    assert "Sign out" in html
    # ...and the anonymous copy on the other server stays anonymous.
    cache_state, html = b.get(url)
    assert cache_state == "hit"
    assert "Ada Writer" not in html


# Other xdist workers share the Redis database with these tests, each under its own key
# prefix. A test's teardown used to FLUSHDB it (the cache-emptying fixture cleared whatever
# the default cache was at the end, here Redis), so a test running beside it in another
# worker lost its pages and its signed-in session mid-way. This test runs that fixture through
# a whole test's life while the default cache points at Redis, as such a test does, and the
# key of "another worker" must still be there afterwards. (One test, not two in order: xdist
# may run two tests in different workers, in any order.)
def test_teardown_leaves_other_workers_keys_alone(redis_cache, settings):
    from tests.conftest import _empty_cache

    neighbour = f"test-neighbour-{uuid.uuid4().hex}:pagecache:generation"
    redis_cache.set(neighbour, 41, ex=60)
    try:
        on_redis = settings.CACHES  # what redis_cache set: the default cache on Redis
        life = _empty_cache._get_wrapped_function()(settings)
        next(life)  # the fixture's set-up (an in-process cache)...
        settings.CACHES = on_redis  # ...then the test switches to Redis, as this module's do
        next(life, None)  # the fixture's teardown, the default cache on Redis meanwhile
        assert redis_cache.get(neighbour) == b"41"
    finally:
        redis_cache.delete(neighbour)
