"""Serve allowlisted public pages to anonymous visitors from the shared cache.

Placed right after SecurityMiddleware and WhiteNoise, before the session, CSRF and
authentication middleware: a hit costs one cache round trip and no database query.
The stored response is the one the inner middleware produced, so its
Content-Security-Policy, X-Frame-Options and Vary headers come back with it;
SecurityMiddleware (outside) adds its headers to hits as to any response.

A request may be served from the cache only if it is a GET with no cookie but the
CSRF one (no session, so not signed in and no pending messages) and no
Authorization header, for a URL whose view is in settings.PAGE_CACHE_VIEWS.
A response is stored only if it is a 200 that sets no cookie, is not marked
private/no-store, carries no CSP nonce and no CSRF token, varies on nothing but
Cookie and the headers in the key, and was rendered for an anonymous user.

Entries are keyed by scheme, host, path, the sorted query string and the Accept
header; each holds the generation it was rendered in and is served only while
that is still the current generation (one round trip reads both).
"""

import hashlib
import logging
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe, split_directive_names, split_header_value

from .generation import GENERATION_KEY, generation_bump, generation_current, page_cache

logger = logging.getLogger(__name__)

HEADER = "X-Cache"
_NOT_STORED_HEADERS = frozenset({HEADER.lower(), "set-cookie"})
_VARY_OK = frozenset({"cookie", "accept"})
_process_started = False
_PRIVATE = frozenset({"private", "no-store", "no-cache"})
_KEPT_ON_304 = ("Access-Control-Allow-Origin",)


def view_allowed(view_name: str, namespace: str, allowlist: frozenset[str]) -> bool:
    """Whether a resolved view is in the allowlist ("ns:name", or "ns:*" for a namespace)."""
    if view_name in allowlist:
        return True
    parts = namespace.split(":") if namespace else []
    return any(":".join(parts[:n]) + ":*" in allowlist for n in range(1, len(parts) + 1))


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._views_setting = None
        self._configure()
        # A new release may render pages differently: forget the old pages when an app
        # process starts (once per process, however many handlers it builds).
        global _process_started
        if not _process_started:
            _process_started = True
            generation_bump(anchored=False)

    def _configure(self) -> None:
        """Read the settings (again when a test overrides PAGE_CACHE_VIEWS)."""
        views = getattr(settings, "PAGE_CACHE_VIEWS", ())
        if views is self._views_setting:
            return
        self._views_setting = views
        self.allowlist = frozenset(views)
        self.timeout = getattr(settings, "PAGE_CACHE_SECONDS", 10 * 60)
        self.csrf_cookie = settings.CSRF_COOKIE_NAME
        # A changed allowlist (a new release) never meets pages stored under the old one.
        digest = hashlib.sha256("\n".join(sorted(self.allowlist)).encode()).hexdigest()[:8]
        self.prefix = f"pagecache:page:{digest}:"
        self._allowed = lru_cache(maxsize=4096)(self._allowed_uncached)

    def _allowed_uncached(self, urlconf, path: str) -> bool:
        try:
            match = resolve(path, urlconf)
        except Resolver404:
            return False
        return view_allowed(match.view_name, match.namespace, self.allowlist)

    def _eligible(self, request) -> bool:
        if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
            return False
        self._configure()
        if any(name != self.csrf_cookie for name in request.COOKIES):
            return False
        return self._allowed(get_urlconf(), request.path_info)

    def key(self, request) -> str:
        query = urlencode(sorted(parse_qsl(request.META.get("QUERY_STRING", ""), True)))
        url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        accept = request.META.get("HTTP_ACCEPT", "")
        return self.prefix + hashlib.sha256(f"{url}\n{accept}".encode()).hexdigest()

    def __call__(self, request):
        if not self._eligible(request):
            return self.get_response(request)
        key = self.key(request)
        cache = page_cache()
        try:
            found = cache.get_many([GENERATION_KEY, key])
            generation = generation_current(cache=cache, value=found.get(GENERATION_KEY))
        except Exception:
            logger.exception("Page cache: unavailable, serving %s uncached", request.path)
            return self.get_response(request)
        if generation is None:  # the cache is away (already logged): render, store nothing
            return self.get_response(request)
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            return self._rebuild(request, entry)

        response = self.get_response(request)
        response[HEADER] = "miss"
        if self._storable(request, response):
            headers = [
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in _NOT_STORED_HEADERS
            ]
            entry = (generation, response.status_code, headers, response.content)
            try:
                cache.set(key, entry, self.timeout)
            except Exception:
                logger.exception("Page cache: could not store %s", request.path)
        return response

    @staticmethod
    def _rebuild(request, entry) -> HttpResponse:
        _generation, status, headers, content = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response.headers[name] = value
        response[HEADER] = "hit"
        # Revalidation (If-None-Match / If-Modified-Since) against the stored validators,
        # as ConditionalGetMiddleware would: a 304 costs nothing to send.
        etag = response.get("ETag")
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        if etag or last_modified:
            conditional = get_conditional_response(
                request, etag=etag, last_modified=last_modified, response=response
            )
            if conditional is not response:
                # A 304 keeps the stored cross-origin permission (the API's CORS header).
                for name in _KEPT_ON_304:
                    if name in response:
                        conditional[name] = response[name]
            response = conditional
            response[HEADER] = "hit"
        return response

    def _storable(self, request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if not _PRIVATE.isdisjoint(split_directive_names(response.get("Cache-Control", ""))):
            return False
        vary = {name.lower() for name in split_header_value(response.get("Vary", ""))}
        if not vary <= _VARY_OK:
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        if "nonce-" in response.get("Content-Security-Policy", ""):
            return False
        if b"csrfmiddlewaretoken" in response.content:
            logger.warning("Page cache: %s has a CSRF token; not cached", request.path)
            return False
        return True
