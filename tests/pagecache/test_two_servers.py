"""Two app servers sharing one Redis and one database serve the same fresh pages.

Each "server" runs in its own thread: its own cache client (its own Redis connection)
and its own database connection, as two processes would have.
"""

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
# worker lost its pages and its signed-in session mid-way. These two run in order in one
# worker: the first leaves a key of "another worker" behind, the second finds it intact.
NEIGHBOUR_KEY = "test-neighbour-worker:pagecache:generation"


@pytest.mark.xdist_group("redis-neighbour")
def test_teardown_leaves_other_workers_keys_alone_part_1(redis_cache):
    redis_cache.set(NEIGHBOUR_KEY, 41, ex=60)


@pytest.mark.xdist_group("redis-neighbour")
def test_teardown_leaves_other_workers_keys_alone_part_2(redis_cache):
    try:
        assert redis_cache.get(NEIGHBOUR_KEY) == b"41"
    finally:
        redis_cache.delete(NEIGHBOUR_KEY)
