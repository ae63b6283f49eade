"""HTTP caching, cross-origin reads and a JSON 405 for every API view.

`api_urlpatterns()` wraps every view: a GET answers with `Access-Control-Allow-Origin: *`, and
a 200 with `Cache-Control: public, max-age=60` and an ETag, so a repeat with If-None-Match
costs a 304. A method other than GET answers a JSON 405.
"""

import hashlib
from functools import wraps

from django.http import JsonResponse
from django.urls import URLPattern
from django.utils.cache import get_conditional_response, patch_cache_control

CACHE_SECONDS = 60


def _etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def http_caching(view):
    """Wrap an API view: CORS for GETs, ETag/Cache-Control/304 for 200s, a JSON 405."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allow = response.get("Allow", "GET")
            response = JsonResponse({"detail": "Method not allowed."}, status=405)
            response["Allow"] = allow
        if request.method not in ("GET", "HEAD"):
            return response
        response["Access-Control-Allow-Origin"] = "*"
        if response.status_code == 200 and not response.streaming:
            etag = _etag(response.content)
            response["ETag"] = etag
            patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
            conditional = get_conditional_response(request, etag=etag, response=response)
            if conditional is not response:
                conditional["Access-Control-Allow-Origin"] = "*"
                return conditional
        return response

    return wrapper


def wrapped(patterns) -> list[URLPattern]:
    return [
        URLPattern(p.pattern, http_caching(p.callback), p.default_args, p.name) for p in patterns
    ]
