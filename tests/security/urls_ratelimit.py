"""The site's URLconf plus one rate-limited view, to exercise agentops_web.ratelimit."""

from django.http import HttpResponse
from django.urls import path

from agentops_web.ratelimit import ratelimit
from agentops_web.urls import handler429  # noqa: F401
from agentops_web.urls import urlpatterns as site_urlpatterns


@ratelimit("submit")
def limited(request):
    return HttpResponse("done")


urlpatterns = [path("limited/", limited, name="limited"), *site_urlpatterns]
