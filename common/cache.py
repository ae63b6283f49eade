"""A Redis cache that is an accelerator, never a dependency.

`ResilientRedisCache` is Django's `RedisCache` with three changes:

- **Every failure is a miss.** When Redis cannot be reached, times out or refuses a
  command, each operation answers as an empty cache would: `get` its default,
  `get_many` nothing, `has_key` False, `set`/`delete`/`touch` do nothing, `incr`
  raises `ValueError` (a missing key), and `add` answers True, as if the value were
  stored and at once evicted (so a lock taken with `add`, like allauth's rate-limit
  lock, is granted rather than waited on).
- **A circuit breaker.** The first failure is logged once (a warning) and the cache is
  left alone for `RETRY_AFTER` seconds (OPTIONS, default 5): every call in that pause
  answers at once without touching the network, so no request waits on a dead or hung
  Redis more than once, and then one call tries again. Its recovery is logged too. The
  state is per process and per LOCATION, shared by all threads.
- **Short timeouts.** Set `socket_connect_timeout` and `socket_timeout` in OPTIONS
  (settings.py does, from CACHE_CONNECT_TIMEOUT and CACHE_TIMEOUT); redis-py retries
  nothing (no retry on a pooled connection), so one call waits at most one timeout.

`connection_epoch()` counts the new connections made to Redis and the failures, in this
process: when it has moved, Redis may have restarted (perhaps from an older snapshot) or
missed a write, so the page cache checks its generation against the database once more.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

DEFAULT_RETRY_AFTER = 5.0


class CircuitBreaker:
    """Open (skip the cache) for `pause` seconds after a failure; one process, all threads."""

    def __init__(self, name: str):
        self.name = name
        self.open_until = 0.0
        self.failing = False
        self._lock = threading.Lock()

    def allows(self) -> bool:
        return time.monotonic() >= self.open_until

    def failed(self, error: Exception, pause: float) -> None:
        with self._lock:
            first = not self.failing
            self.failing = True
            self.open_until = time.monotonic() + pause
        if first:
            logger.warning(
                "Cache %s unavailable (%s: %s): serving without it, next try in %.0f s.",
                self.name,
                type(error).__name__,
                error,
                pause,
            )

    def succeeded(self) -> None:
        if self.failing:
            with self._lock:
                was_failing, self.failing = self.failing, False
            if was_failing:
                logger.warning("Cache %s is back.", self.name)

    def reset(self) -> None:
        with self._lock:
            self.open_until = 0.0
            self.failing = False


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()
_epoch = [0]  # new connections and failures so far, in this process


def breaker_for(location: str) -> CircuitBreaker:
    with _breakers_lock:
        if location not in _breakers:
            _breakers[location] = CircuitBreaker(location)
        return _breakers[location]


def _on_connect(connection) -> None:
    # redis-py calls this instead of its own on_connect for every new connection.
    connection.on_connect()
    _epoch[0] += 1


class _Missing(ValueError):
    pass


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", DEFAULT_RETRY_AFTER))
        options.setdefault("redis_connect_func", _on_connect)
        super().__init__(server, {**params, "OPTIONS": options})
        self.breaker = breaker_for(server if isinstance(server, str) else ",".join(server))

    def _call(self, fallback, method, *args, **kwargs):
        if not self.breaker.allows():
            return fallback()
        try:
            result = method(*args, **kwargs)
        except RedisError as error:
            _epoch[0] += 1
            self.breaker.failed(error, self.retry_after)
            return fallback()
        self.breaker.succeeded()
        return result

    @staticmethod
    def connection_epoch() -> int:
        """Moves on every new connection to Redis and every failure (see the module text)."""
        return _epoch[0]

    @staticmethod
    def _missing():
        raise _Missing("The cache is unavailable: the key counts as missing.")

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda: True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(lambda: default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda: None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda: False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(lambda: False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call(dict, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(lambda: False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call(self._missing, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(list, super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call(lambda: None, super().delete_many, keys, version)

    def clear(self):
        return self._call(lambda: False, super().clear)
