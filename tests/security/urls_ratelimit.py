"""The site's URLconf plus one rate-limited view, to exercise common.ratelimit."""

from django.http import HttpResponse
from django.urls import path

from agentops_web.urls import handler429  # noqa: F401
from agentops_web.urls import urlpatterns as site_urlpatterns
from common.ratelimit import ratelimit


@ratelimit("submit")
def limited(request):
    return HttpResponse("done")


urlpatterns = [path("limited/", limited, name="limited"), *site_urlpatterns]
