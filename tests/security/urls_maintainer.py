"""The site's URLconf plus one maintainers-only view, to exercise maintainer_required."""

from django.http import HttpResponse
from django.urls import path

from accounts.permissions import maintainer_required
from agentops_web.urls import urlpatterns as site_urlpatterns


@maintainer_required
def queue(request):
    return HttpResponse("the review queue")


urlpatterns = [path("queue/", queue, name="queue"), *site_urlpatterns]
