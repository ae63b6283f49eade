"""Rate limits per client address and per account, counted in Django's cache.

The numbers live in ``settings.RATE_LIMITS`` (one entry per action, e.g. "submit"):
``"20/h/ip,10/h/user"`` allows 20 requests an hour from one address and 10 an hour from
one signed-in account. Because the counts are kept in the default cache, app servers
sharing one ``CACHE_URL`` (Redis) share them.

Use on a view::

    from common.ratelimit import ratelimit

    @ratelimit("submit")            # counts POSTs only; GETs (showing the form) are free
    def submission_create(request): ...

Or inside a view, to count only some requests::

    if retry_after := ratelimit_hit(request, "flag"):
        return too_many_requests(request, retry_after)

Over the limit, the person sees ``429.html`` (in the site layout) saying when to try
again, with a ``Retry-After`` header. allauth's sign-in, sign-up and password reset use
allauth's own limiter, configured from the same ``RATE_LIMITS`` (``ACCOUNT_RATE_LIMITS``);
its 429 responses come through :func:`allauth_429` (``handler429`` in the URLconf).

Windows are fixed (aligned on the clock), so a burst across a window boundary may get up
to twice the amount through; that is accepted for abuse control.

``RATELIMIT_ENABLED = False`` turns our limits off (e.g. for a load test).
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from django.utils import timezone

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_SCOPES = {"ip", "user", "key"}
_clock = time.time  # tests move it forward to show a window resetting
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rate:
    amount: int
    period: int  # seconds
    scope: str  # "ip", "user" or (allauth only) "key"

    def __str__(self) -> str:
        return f"{self.amount}/{self.period}s/{self.scope}"


def parse_rates(text: str | None) -> list[Rate]:
    """ "20/h/ip,10/5m/user" -> [Rate(20, 3600, "ip"), Rate(10, 300, "user")]."""
    rates = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            amount, period, scope = part.split("/")
            unit = period[-1]
            count = int(period[:-1] or 1)
            rate = Rate(int(amount), count * _UNITS[unit], scope)
        except (ValueError, KeyError, IndexError) as exc:
            raise ImproperlyConfigured(f"Bad rate limit {part!r}: use e.g. 20/h/ip") from exc
        if rate.scope not in _SCOPES or rate.amount < 1 or rate.period < 1:
            raise ImproperlyConfigured(f"Bad rate limit {part!r}: use e.g. 20/h/ip")
        rates.append(rate)
    return rates


def rates_for(action: str) -> list[Rate]:
    try:
        return parse_rates(settings.RATE_LIMITS[action])
    except KeyError as exc:
        raise ImproperlyConfigured(f"settings.RATE_LIMITS has no entry {action!r}") from exc


def client_ip(request) -> str:
    """The client's address as allauth sees it (honours ALLAUTH_TRUSTED_PROXY_COUNT)."""
    from allauth.account.adapter import get_adapter

    return get_adapter().get_client_ip(request)


def _identity(request, rate: Rate) -> str | None:
    if rate.scope == "ip":
        return client_ip(request)
    if rate.scope == "user":
        user = getattr(request, "user", None)
        return str(user.pk) if user is not None and user.is_authenticated else None
    raise ImproperlyConfigured(f"Rate scope {rate.scope!r} is for allauth's actions only.")


def ratelimit_hit(request, action: str, *, increment: bool = True) -> int | None:
    """Count one request for `action`; seconds to wait if it is over a limit, else None.

    Every rate of the action is counted (an address and an account); a rate whose scope
    does not apply (an anonymous visitor has no account) is skipped.
    """
    if not getattr(settings, "RATELIMIT_ENABLED", True):
        return None
    now = _clock()
    wait = 0
    for rate in rates_for(action):
        ident = _identity(request, rate)
        if ident is None:
            continue
        window = int(now // rate.period)
        digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
        key = f"rl:{action}:{rate}:{digest}:{window}"
        try:
            count = _count(key, rate.period, increment=increment)
        except Exception:  # noqa: BLE001 - any cache failure: serve rather than refuse all
            # The cache (Redis) is down: let the request through rather than turn the whole
            # site away; the limits come back with the cache.
            logger.warning("Rate limit %s not checked: the cache is unavailable.", action)
            return None
        if count > rate.amount:
            wait = max(wait, math.ceil((window + 1) * rate.period - now))
    return max(wait, 1) if wait else None


def _count(key: str, period: int, *, increment: bool) -> int:
    """This request's number in the window (the count after adding it)."""
    if not increment:
        return cache.get(key, 0) + 1
    cache.add(key, 0, timeout=period + 1)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        return 1


def too_many_requests(request, retry_after: int):
    """The friendly 429 page: what happened and when to try again."""
    retry_after = max(int(retry_after), 1)
    response = render(
        request,
        "429.html",
        {
            "retry_after": retry_after,
            "retry_minutes": math.ceil(retry_after / 60),
            "retry_at": timezone.now() + timedelta(seconds=retry_after),
        },
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )
    response["Retry-After"] = str(retry_after)
    return response


def ratelimit(action: str, *, methods: tuple[str, ...] = ("POST",)):
    """Decorate a view: requests with one of `methods` count towards RATE_LIMITS[action]."""
    rates_for(action)  # fail at import time on a missing or malformed entry

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods:
                retry_after = ratelimit_hit(request, action)
                if retry_after:
                    return too_many_requests(request, retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# allauth's views (by URL name) and the action whose rates they use.
_ALLAUTH_ACTIONS = {
    "account_login": ("login",),  # login_failed answers on the form itself
    "account_signup": ("signup",),
    "account_reset_password": ("reset_password",),
    "account_reset_password_from_key": ("reset_password_from_key",),
}


def allauth_429(request):
    """handler429 for allauth: our 429 page, waiting at most the longest window applied.

    allauth's windows slide, so the longest period of the action's rates is an upper bound.
    """
    match = getattr(request, "resolver_match", None)
    actions = _ALLAUTH_ACTIONS.get(match.url_name if match else "", ())
    periods = [
        rate.period for action in actions for rate in parse_rates(settings.RATE_LIMITS.get(action))
    ]
    return too_many_requests(request, max(periods, default=60))
