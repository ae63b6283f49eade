"""The site-wide generation number: every cached page belongs to one generation.

Any committed change that can alter a public page bumps the number, so every page
cached before is unreachable at once, in every app process sharing the cache.

Ordering makes this safe: a request reads the generation BEFORE it reads the
database, and a writer bumps the generation AFTER its transaction commits. So a
page stored under generation N was rendered from data at least as new as the
commit that produced N.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"

# Sent once per committed transaction that changed what public pages show (after the bump),
# never inside a test's uncommitted transaction. factors/history.py records a snapshot.
changes_committed = Signal()
_MISSING = object()


def page_cache():
    """The cache the pages and the generation live in (settings.PAGE_CACHE_ALIAS)."""
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _fresh_start() -> int:
    # When the key is missing (first start, Redis restarted or evicted it), start from
    # the clock in microseconds: always above any generation handed out before, so a
    # page left over from an earlier generation can never match again.
    return time.time_ns() // 1000


def generation_current(*, cache=None) -> int:
    """The current generation number (creating it if missing)."""
    cache = cache or page_cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _fresh_start(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return int(value)


def generation_bump() -> int | None:
    """Bump the generation now (atomic INCR on Redis). Prefer `generation_bump_on_commit()`."""
    cache = page_cache()
    try:
        try:
            return cache.incr(GENERATION_KEY)
        except ValueError:  # missing key
            cache.add(GENERATION_KEY, _fresh_start(), timeout=None)
            return cache.incr(GENERATION_KEY)
    except Exception:
        # The cache is down: pages cannot be read from it either, so nothing stale is
        # served now; log loudly, because a bump lost while reads work would be.
        logger.exception("Page cache: could not bump the generation")
        return None


class _Pending:
    """One bump owed by the current transaction; several writes share it."""

    __slots__ = ("done",)

    def __init__(self):
        self.done = False

    def __call__(self):
        if not self.done:
            self.done = True
            generation_bump()
            changes_committed.send(sender=_Pending)


_local = threading.local()


def _in_test_transaction(connection) -> bool:
    # Django's TestCase (pytest-django's `db`) wraps each test in atomic blocks that
    # never commit. Writes there are what a committed database looks like to the
    # test, so bump at once; on_commit would never run.
    return any(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _in_test_transaction_only(connection) -> bool:
    return all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def generation_bump_on_commit(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Bump the generation once the current transaction commits (at once outside one).

    Many writes in one transaction cost one bump: they share a `_Pending`, and only
    the first of its callbacks to run bumps. Each write still registers its own
    callback, so a rolled-back savepoint cannot take the bump of later writes with it.
    """
    connection = connections[using]
    if not connection.in_atomic_block:
        generation_bump()
        changes_committed.send(sender=_Pending)
        return
    if _in_test_transaction(connection):
        generation_bump()
        return
    pending = getattr(_local, using, None)
    if pending is None or pending.done:
        pending = _Pending()
        setattr(_local, using, pending)
    transaction.on_commit(pending, using=using)


def cached_per_generation(name: str, compute: Callable[[], Any], *, timeout: int | None = None):
    """`compute()` once per generation, shared by every process (e.g. dashboard measures).

    The generation is read before computing, so a result is never stored under a
    generation newer than the data it was computed from. Inside a transaction of the
    application's own, `compute()` runs directly: that transaction's writes have not
    bumped the generation yet, so a cached value could predate them.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block and not _in_test_transaction_only(connection):
        return compute()
    cache = page_cache()
    try:
        key = f"pagecache:computed:{generation_current(cache=cache)}:{name}"
        value = cache.get(key, _MISSING)
    except Exception:
        logger.exception("Page cache: unavailable, computing %s directly", name)
        return compute()
    if value is _MISSING:
        value = compute()
        seconds = timeout if timeout is not None else settings.PAGE_CACHE_SECONDS
        try:
            cache.set(key, value, seconds)
        except Exception:
            logger.exception("Page cache: could not store %s", name)
    return value
