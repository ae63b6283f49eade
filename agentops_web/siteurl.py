"""The address the site is served on, for absolute links (email, citations, badges, feeds).

Within a request it is the address the request came to (scheme and host, the host checked
against ALLOWED_HOSTS), so `PORT=8400 make run` or a second host name links to itself.
Outside a request (the task worker, a management command) it is settings.SITE_URL, which
`make run` derives from its PORT.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost

_request_site_url: ContextVar[str | None] = ContextVar("request_site_url", default=None)


def site_url(request=None) -> str:
    """"scheme://host[:port]" with no trailing slash."""
    if request is not None:
        try:
            return f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:  # an error page for a bad Host header: never echo it
            return settings.SITE_URL
    return _request_site_url.get() or settings.SITE_URL


def absolute_url(path: str, request=None) -> str:
    """`path` ("/factors/...") as an absolute URL; a URL that is already absolute is kept."""
    if not path.startswith("/"):
        return path
    return site_url(request) + path


@contextmanager
def site_url_as(url: str):
    """Build links on `url` meanwhile: a task carries on the address of the request that
    enqueued it."""
    token = _request_site_url.set(url or None)
    try:
        yield
    finally:
        _request_site_url.reset(token)


class SiteURLMiddleware:
    """Makes the request's own address the base of absolute links built during it (email
    composed in a service, for instance), where no request object is passed down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_site_url.set(site_url(request))
        try:
            return self.get_response(request)
        finally:
            _request_site_url.reset(token)
