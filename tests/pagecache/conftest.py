import os
import uuid

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


@pytest.fixture
def redis_cache(settings):
    """Switch the default cache to the shared Redis (db 3 unless TEST_REDIS_URL), under a
    key prefix of its own; removes its keys afterwards. Redis is required on CI."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.RedisError as error:
        message = f"Redis is not reachable at {REDIS_URL} ({error}); start redis-server."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.ResilientRedisCache",  # as settings.py makes CACHE_URL
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield client
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(autouse=True)
def _clock_stands_still(monkeypatch):
    """Generations start from the clock (microseconds) and each bump takes at least the
    clock's value; with the clock standing still, each bump adds exactly one, so a test can
    count bumps (one per transaction, none on rollback)."""
    from pagecache import generation

    monkeypatch.setattr(generation, "_clock", lambda: 4_000_000_000_000_000)
