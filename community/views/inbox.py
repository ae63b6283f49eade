"""A member's inbox of notifications, and unsubscribing from (or back to) one kind of email
by the signed link in it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from .. import services
from ..models import Notification, NotificationKind
from ..notifications import unsubscribe_read
from ..selectors import active_users, notifications_of

PAGE_SIZE = 20


@login_required
def inbox(request):
    page = Paginator(notifications_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "community/inbox.html", {"page_obj": page})


@login_required
def inbox_open(request, pk):
    """Follow a notification's link, marking it read on the way."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notifications_mark_read(user=request.user, pks=[notification.pk])
    url = notification.url
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        url = reverse("community:inbox")
    return redirect(url)


@login_required
@require_POST
def inbox_mark_read(request):
    if request.POST.get("all"):
        services.notifications_mark_read(user=request.user)
        messages.success(request, "Everything in your inbox is marked read.")
    else:
        try:
            pk = int(request.POST.get("notification", ""))
        except ValueError:
            messages.error(request, "Choose a notification to mark read.")
        else:
            services.notifications_mark_read(user=request.user, pks=[pk])
    page = request.POST.get("page", "")
    url = reverse("community:inbox")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


def _token_user(request, token):
    """(user, kind, None) from an unsubscribe token, or (None, None, error page)."""
    try:
        user_id, kind = unsubscribe_read(token)
    except signing.BadSignature:
        page = render(request, "community/unsubscribe_invalid.html", {"gone": False}, status=400)
        return None, None, page
    user = active_users().filter(pk=user_id).first()
    if user is None:
        page = render(request, "community/unsubscribe_invalid.html", {"gone": True}, status=400)
        return None, None, page
    return user, kind, None


@csrf_exempt  # the signed token in the URL is the authority, as for RFC 8058 one-click
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """Stop one kind of email. A GET (the link in the email, or a mail scanner following it)
    only shows a button; the POST acts: from that button, or from a mail client that honours
    RFC 8058 (List-Unsubscribe=One-Click: a POST without cookie or CSRF token). Using it again
    changes nothing and says so."""
    user, kind, error = _token_user(request, token)
    if error:
        return error
    context = {"kind_label": NotificationKind(kind).label, "token": token}
    if request.method != "POST":
        already_off = not services.notification_emails_on(user=user, kind=kind)
        return render(
            request, "community/unsubscribe_confirm.html", {**context, "already_off": already_off}
        )
    changed = services.notification_unsubscribe(user=user, kind=kind)
    return render(request, "community/unsubscribe_done.html", {**context, "changed": changed})


@require_POST
def resubscribe(request, token):
    user, kind, error = _token_user(request, token)
    if error:
        return error
    services.notification_resubscribe(user=user, kind=kind)
    messages.success(request, f"Email is back on for: {NotificationKind(kind).label}.")
    return redirect("home")
