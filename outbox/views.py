from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from .models import OutgoingEmail

OUTBOX_SIZE = 50


def dev_outbox(request):
    """Development only (DEBUG): the latest emails the site composed, with clickable links.
    Anywhere else it does not exist (404)."""
    if not settings.DEBUG:
        raise Http404("The outbox exists in development only.")
    emails = OutgoingEmail.objects.order_by("-created_at", "-pk")[:OUTBOX_SIZE]
    return render(request, "outbox/dev_outbox.html", {"emails": emails})
