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
from contextlib import nullcontext
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"

# Sent once per committed transaction that changed what public pages show, just BEFORE the
# bump (so whatever a receiver writes is covered by it), never inside a test's uncommitted
# transaction. factors/history.py records a maturity snapshot.
changes_committed = Signal()
# Sent just AFTER that bump, with the new `generation` (None when the cache is away): a
# receiver can store what it computed for it (factors/history.py marks its snapshot current).
changes_bumped = Signal()
_MISSING = object()
_verified = threading.local()


def page_cache():
    """The cache the pages and the generation live in (settings.PAGE_CACHE_ALIAS)."""
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _clock() -> int:
    # Generations are measured from the clock in microseconds: a generation handed out
    # now is above any handed out before (at fewer than a million changes a second), so
    # a fresh start, an emptied cache or a restored one can never meet an older page.
    return time.time_ns() // 1000


# The anchor: the database's record of the generation --------------------------------


def _anchor_raise() -> int | None:
    """Raise the database's record to max(record + 1, clock); the new value (None: unavailable).

    One statement (UPDATE ... RETURNING) and no transaction of its own: every committed
    write pays for it. Inside a transaction of the caller's it runs in a savepoint, so a
    failure here never spoils that transaction (a test's own never-committed transaction
    needs none)."""
    from .models import Generation

    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"  # SQLite: scalar MAX
    table, pk = quote(Generation._meta.db_table), quote(Generation._meta.pk.column)
    col = quote(Generation._meta.get_field("value").column)
    # Names from the model's metadata, quoted; the clock is a parameter.
    sql = (
        f"UPDATE {table} SET {col} = {greatest}({col} + 1, %s) "  # nosec B608: see above
        f"WHERE {pk} = 1 RETURNING {col}"
    )
    protect = connection.in_atomic_block and not _in_test_transaction_only(connection)
    try:
        with transaction.atomic() if protect else nullcontext():
            with connection.cursor() as cursor:
                cursor.execute(sql, [_clock()])
                row = cursor.fetchone()
            if row is not None:
                return row[0]
            # No record yet (a new database): the first one, whoever writes it first.
            Generation.objects.bulk_create(
                [Generation(pk=1, value=_clock())], ignore_conflicts=True
            )
            return Generation.objects.values_list("value", flat=True).get(pk=1)
    except Exception as error:  # noqa: BLE001 - never fail a write over the page cache
        logger.warning("Page cache: could not record the generation in the database (%s)", error)
        return None


def _anchor_value() -> int | None:
    from .models import Generation

    try:
        return Generation.objects.values_list("value", flat=True).filter(pk=1).first() or 0
    except Exception as error:  # noqa: BLE001 - the database is away: nothing to compare with
        logger.warning("Page cache: could not read the generation's record (%s)", error)
        return None


# The cache's copy --------------------------------------------------------------------


def _raise_to(cache, target: int) -> int | None:
    """Make the cache's generation at least `target` and above what it was, atomically
    (INCR by the difference, so concurrent raises only raise it further). None when the
    cache is unavailable."""
    current = cache.get(GENERATION_KEY)
    if current is None:  # first start, or Redis restarted empty or evicted the key
        cache.add(GENERATION_KEY, max(target, _clock()) - 1, timeout=None)
        current = cache.get(GENERATION_KEY)
        if current is None:
            return None
    try:
        return cache.incr(GENERATION_KEY, max(1, target - int(current)))
    except ValueError:  # gone between the two calls: unavailable or evicted
        return None


def _connection_epoch(cache) -> int | None:
    epoch = getattr(cache, "connection_epoch", None)
    return epoch() if epoch else None


def _checked(cache, value) -> int | None:
    """The generation to use, given `value` just read from the cache (None: missing).

    When this thread's cache client has connected anew since it last checked (Redis
    restarted, perhaps from an older snapshot, or was unreachable and may have missed a
    bump), the value is compared with the database's record first; a value behind it is
    moved on, so the pages stored under it are never served again.
    """
    if value is None:
        value = _raise_to(cache, _clock())
        if value is None:
            return None
    value = int(value)
    epoch = _connection_epoch(cache)
    if epoch is not None and epoch != getattr(_verified, "epoch", None):
        anchor = _anchor_value()
        if anchor is not None:
            if value < anchor:
                logger.warning(
                    "Page cache: the cache's generation %s is behind the database's %s "
                    "(restored from an older snapshot, or a bump was lost): moving it on",
                    value,
                    anchor,
                )
                value = _raise_to(cache, anchor)
            _verified.epoch = epoch
    return value


def generation_current(*, cache=None, value=_MISSING) -> int | None:
    """The current generation number (creating it if missing); None if the cache is away.

    `value` is the generation already read from the cache in the same round trip, if any.
    """
    cache = cache or page_cache()
    if value is _MISSING:
        value = cache.get(GENERATION_KEY)
    return _checked(cache, value)


def generation_bump(*, anchored: bool = True) -> int | None:
    """Bump the generation now. Prefer `generation_bump_on_commit()`.

    The database's record is raised first, then the cache's copy to at least the same
    value: if the cache is away (or loses the bump), its stale generation is caught by the
    check in `_checked()` when it comes back. `anchored=False` (a process starting) raises
    only the cache's copy. Returns the cache's new generation, None if it is unavailable.
    """
    target = (_anchor_raise() if anchored else None) or _clock()
    try:
        generation = _raise_to(page_cache(), target)
    except Exception:
        logger.exception("Page cache: could not bump the generation")
        return None
    if generation is None:
        logger.warning("Page cache: unavailable, generation recorded in the database only")
    return generation


def generation_bump_after_change() -> int | None:
    """What a committed change does: `changes_committed`, the bump, then `changes_bumped`."""
    changes_committed.send(sender=_Pending)
    generation = generation_bump()
    changes_bumped.send(sender=_Pending, generation=generation)
    return generation


def computed_key(generation: int, name: str) -> str:
    """The cache key of `name` computed for `generation` (see cached_per_generation)."""
    return f"pagecache:computed:{generation}:{name}"


def computed_store(generation: int | None, name: str, value: Any) -> None:
    """Store `value` as `name` computed for `generation`, as cached_per_generation would."""
    if generation is None:
        return
    try:
        page_cache().set(computed_key(generation, name), value, settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.exception("Page cache: could not store %s", name)


class _Pending:
    """One bump owed by the current transaction; several writes share it."""

    __slots__ = ("done",)

    def __init__(self):
        self.done = False

    def __call__(self):
        if not self.done:
            self.done = True
            generation_bump_after_change()


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
        generation_bump_after_change()
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
        generation = generation_current(cache=cache)
        if generation is None:
            return compute()
        key = computed_key(generation, name)
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
