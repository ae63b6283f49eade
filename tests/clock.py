"""Frozen time for tests: `with frozen(moment): ...` makes django.utils.timezone.now() return
`moment` everywhere the code asks it (the site always asks through django.utils.timezone)."""

from contextlib import contextmanager
from datetime import UTC, datetime
from unittest import mock


def at(*args) -> datetime:
    """An aware UTC moment: at(2026, 7, 10, 12)."""
    return datetime(*args, tzinfo=UTC)


@contextmanager
def frozen(moment: datetime):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment
