"""A request id on every log line and every response, so one request can be followed.

`RequestIdMiddleware` (first in MIDDLEWARE) takes the id a proxy sent in `X-Request-ID` when
it is well-formed (1 to 128 letters, digits and `._:-`, so nothing odd reaches a log line),
or makes a new one; keeps it in a context variable for the length of the request; and
echoes it in the response's `X-Request-ID` header; the id is forgotten when the response has
been sent (request_finished). `RequestIdFilter` (on the log handler)
puts it on every record as `request_id` ("-" outside a request). The 500 page shows it, so a
person can quote it and an operator can find the lines.
"""

import contextvars
import logging
import re
import uuid

from django.core.signals import request_finished
from django.dispatch import receiver

HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{1,128}")
NO_REQUEST = "-"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default=NO_REQUEST)


def current_request_id() -> str:
    """The id of the request being served in this context, or "-"."""
    return _current.get()


def request_id_for(incoming: str | None) -> str:
    if incoming and _WELL_FORMED.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request.META.get(_META_KEY))
        request.request_id = request_id
        # Kept until the response is closed (request_finished), not only until this returns:
        # Django logs a 4xx/5xx after the whole middleware chain has answered.
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


@receiver(request_finished)
def _forget_request_id(**kwargs):
    _current.set(NO_REQUEST)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True
