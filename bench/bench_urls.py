"""The site's URLs plus /_bench/ok/, a view that returns "ok" through the same stack.

Used only by bench/throughput.py (through bench.bench_settings); not in the real URLconf.
"""

from django.http import HttpResponse
from django.urls import path

from agentops_web.urls import urlpatterns as site_urlpatterns


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("_bench/ok/", ok, name="bench_ok"), *site_urlpatterns]
