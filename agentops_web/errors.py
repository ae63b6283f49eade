"""When the database is away, say so kindly: a 503 page with Retry-After, never a stack trace.

Two entry points, one answer:
- `DatabaseUnavailableMiddleware` turns a database error raised by a view into the 503 page
  (in development too, where Django would otherwise show its debug page);
- `server_error` (handler500) does the same for database errors raised anywhere else in the
  request (a middleware, saving the session), and otherwise is Django's own 500 view.

The page is rendered without the request: the context processors would look up the signed-in
user, which needs the database that just failed.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable() -> HttpResponse:
    html = render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


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
            return database_unavailable()
        return None


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable()
    return defaults.server_error(request, template_name=template_name)
