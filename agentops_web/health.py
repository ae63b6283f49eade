"""GET /healthz: is this app server fit to take traffic? For load balancers and monitors.

Checks the database (`SELECT 1`) and the cache (a write and a read back), and answers JSON:

    {"status": "ok" | "degraded" | "down",
     "checks": {"database": {"ok": true, "ms": 1.3}, "cache": {"ok": true, "ms": 0.4}}}

- 200 "ok": both answer.
- 200 "degraded": the database answers but the cache does not (or not within
  CACHE_TIMEOUT_SECONDS). The cache is an accelerator, never a dependency: every page still
  works without it, only slower, so the load balancer should keep sending traffic here.
- 503 "down": the database does not answer; this server cannot serve pages.

The cache check runs in a worker thread and is abandoned after CACHE_TIMEOUT_SECONDS, so a
hung cache cannot hang the probe; the database check relies on the connection's own timeout
(DATABASE_CONNECT_TIMEOUT on PostgreSQL). Never cached (Cache-Control: no-store, not in
PAGE_CACHE_VIEWS), exempt from the HTTPS redirect, and without error details (they are
logged, with the request id).
"""

import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

CACHE_TIMEOUT_SECONDS = 0.5
# Two threads: a hung cache holds at most two; later probes wait in the queue, time out and
# report "degraded" without starting more.
_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")


def _ms(start: float) -> float:
    return round((time.monotonic() - start) * 1000, 1)


def check_database() -> dict:
    start = time.monotonic()
    try:
        with connection.cursor() as cursor:  # pagecache: a read, changes no page
            cursor.execute("SELECT 1")  # pagecache: a read, changes no page
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database does not answer")
        return {"ok": False, "ms": _ms(start), "error": "unavailable"}
    return {"ok": True, "ms": _ms(start)}


def _cache_round_trip() -> bool:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", 10)
        return cache.get(key) == "ok"
    finally:
        try:
            cache.delete(key)
        except Exception:  # noqa: S110 - the set/get above already reported the failure
            pass


def check_cache(timeout: float = CACHE_TIMEOUT_SECONDS) -> dict:
    start = time.monotonic()
    future = _executor.submit(_cache_round_trip)
    try:
        ok = future.result(timeout=timeout)
    except FutureTimeout:
        logger.error("Health check: the cache did not answer within %.1f s", timeout)
        return {"ok": False, "ms": _ms(start), "error": "timeout"}
    except Exception:
        logger.exception("Health check: the cache does not answer")
        return {"ok": False, "ms": _ms(start), "error": "unavailable"}
    if not ok:
        return {"ok": False, "ms": _ms(start), "error": "did not keep a value"}
    return {"ok": True, "ms": _ms(start)}


@require_safe
@never_cache
def healthz(request):
    checks = {"database": check_database(), "cache": check_cache()}
    if not checks["database"]["ok"]:
        status, code = "down", 503
    elif not checks["cache"]["ok"]:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "checks": checks}, status=code)
