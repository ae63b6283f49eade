"""Error pages in the site's layout, and never a second failure while answering the first.

- 400, 403, 404: `bad_request`, `permission_denied`, `page_not_found` (handler400/403/404),
  and `csrf_failure` (CSRF_FAILURE_VIEW). A request body too large for
  DATA_UPLOAD_MAX_MEMORY_SIZE answers 413 with the same page.
- 500: `server_error` (handler500). A database error answers the friendly 503 page with
  Retry-After instead; anything else the 500 page with the request id to quote.
- `DatabaseUnavailableMiddleware` turns a database error raised by a view into the 503 page
  (in development too, where Django would otherwise show its debug page).
- `UnreadableBodyMiddleware` parses a POST body once, before anything else needs it, and
  answers 400 (413 when too large) itself when it cannot be read, in development too.

None of these views reads `request.POST` or the body, and none is wrapped in
`requires_csrf_token` as Django's own are: the request they answer may be the one whose body
cannot be parsed (a form claiming `charset=utf-16`, a multipart body with no boundary), and
reading it again would raise again and end in the server's bare "Internal Server Error".

The 500 and 503 pages are rendered without the request: the context processors would look up
the signed-in user, which needs the database (or the cache) that may just have failed.

Under /api/ every one of these answers JSON, `{"detail": "..."}`, as the API's own errors do.
"""

import logging
import sys

from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template.loader import render_to_string

from .requestid import current_request_id

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request is not None and request.path_info.startswith(API_PREFIX)


def _api_error(status: int, detail: str) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=status)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def database_unavailable(request=None) -> HttpResponse:
    if _is_api(request):
        response = _api_error(503, "Briefly unavailable: please try again shortly.")
    else:
        html = render_to_string(
            "503.html",
            {"retry_after": RETRY_AFTER_SECONDS, "request_id": current_request_id()},
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return _no_store(response)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error(
                "Database unavailable on %s %s: %s", request.method, request.path, exception
            )
            return database_unavailable(request)
        return None


UNREADABLE_BODY = (
    BadRequest,
    MultiPartParserError,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)


class UnreadableBodyMiddleware:
    """A POST whose body cannot be parsed (a form in another charset than UTF-8, a multipart
    body with no boundary, too many fields, too large) answers the 400 or 413 page here.

    Django would raise from whatever reads `request.POST` first (the CSRF check), and its
    debug page would read it again and fail again; here the failure is marked on the request
    so nothing re-reads it. Placed before CsrfViewMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 - parse now, once
            except UNREADABLE_BODY as exc:
                request._mark_post_parse_error()
                logger.warning(
                    "Unreadable request body on %s %s: %s", request.method, request.path, exc
                )
                return bad_request(request, exc)
        return self.get_response(request)


def _page(request, status: int, template: str, context=None) -> HttpResponse:
    return _no_store(render(request, template, context or {}, status=status))


def bad_request(request, exception=None):
    too_big = isinstance(exception, RequestDataTooBig)
    status = 413 if too_big else 400
    if _is_api(request):
        return _api_error(status, "Request too large." if too_big else "Bad request.")
    return _page(request, status, "400.html", {"too_big": too_big})


def permission_denied(request, exception=None):
    if _is_api(request):
        return _api_error(403, "Forbidden.")
    return _page(request, 403, "403.html")


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form could not be checked as coming from this site."""
    return _page(request, 403, "403.html", {"csrf_failed": True})


def page_not_found(request, exception=None):
    if _is_api(request):
        return _api_error(404, "Not found.")
    return _page(request, 404, "404.html")


def server_error(request=None):
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable(request)
    if _is_api(request):
        response = _api_error(500, f"Server error (request {current_request_id()}).")
        return _no_store(response)
    html = render_to_string("500.html", {"request_id": current_request_id()})
    return _no_store(HttpResponse(html, status=500))
