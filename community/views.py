"""Community pages. Views read the request, call a selector or a service, and render."""

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import is_maintainer, maintainer_required
from common.errors import error_text, show_error
from common.ratelimit import ratelimit
from factors.models import Factor

from . import services
from .forms import (
    DecisionForm,
    DeleteAccountForm,
    DismissForm,
    FlagForm,
    HideForm,
    ReplyForm,
    SettingsForm,
    ThreadFilterForm,
    ThreadForm,
)
from .health import health_page_context
from .models import (
    Flag,
    Follow,
    Notification,
    NotificationKind,
    Profile,
    Reply,
    Thread,
)
from .notifications import unsubscribe_read
from .selectors import (
    contributors_by_domain,
    public_evidence_of,
    public_feedback_of,
    thread_replies,
    threads_filtered,
)

PAGE_SIZE = 20
User = get_user_model()


def _refused(
    request, message: str, *, status: int = 403, title: str = "Not allowed", kept_text: str = ""
):
    """A clear refusal page; anything the person typed is shown back so it is not lost."""
    return render(
        request,
        "community/refused.html",
        {"message": message, "title": title, "kept_text": kept_text},
        status=status,
    )


# Threads --------------------------------------------------------------------------------


def thread_list(request):
    form = ThreadFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    qs = threads_filtered(**filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "community/thread_list.html",
        {"form": form, "page_obj": page, "query_string": query.urlencode()},
    )


@login_required
@ratelimit("feedback")
def thread_create(request, factor_slug):
    factor = get_object_or_404(Factor.objects.with_phase(), slug=factor_slug)
    form = ThreadForm(
        request.POST if request.method == "POST" else None,
        initial={"kind": request.GET.get("kind")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_create(
                author=request.user,
                factor=factor,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                evidence=form.evidence,
            )
        except ValidationError as error:
            show_error(request, error, form=form)
        else:
            messages.success(request, "Your thread is open. Thank you for the feedback.")
            return redirect(thread)
    return render(request, "community/thread_form.html", {"form": form, "factor": factor})


def _thread_page(request, thread, *, reply_form=None, decision_form=None, status=200, refusal=""):
    maintainer = is_maintainer(request.user)
    if thread.is_hidden and not maintainer:
        return render(request, "community/thread_hidden.html", {"thread": thread}, status=410)
    evidence = thread.evidence if thread.evidence_id else None
    if evidence is not None and not evidence.is_published:
        evidence = None
    context = {
        "thread": thread,
        "replies": thread_replies(thread),
        "history": thread.status_changes.select_related("actor"),
        "evidence": evidence,
        "reply_form": reply_form or ReplyForm(),
        "reply_refusal": refusal or services.reply_refusal(thread=thread),
        "decision_form": (decision_form or DecisionForm()) if maintainer else None,
        "is_maintainer": maintainer,
    }
    return render(request, "community/thread_detail.html", context, status=status)


def _get_thread(pk):
    return get_object_or_404(
        Thread.objects.select_related("factor__phase", "author", "decided_by"), pk=pk
    )


def thread_detail(request, pk):
    return _thread_page(request, _get_thread(pk))


@login_required
@require_POST
@ratelimit("feedback")
def thread_reply(request, pk):
    thread = _get_thread(pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _thread_page(request, thread, reply_form=form)
    try:
        reply = services.reply_create(
            thread=thread, author=request.user, body=form.cleaned_data["body"]
        )
    except ValidationError as error:
        if thread.is_hidden and not is_maintainer(request.user):
            return _refused(
                request,
                error_text(error),
                status=409,
                title="Replies closed",
                kept_text=form.cleaned_data["body"],
            )
        return _thread_page(request, thread, reply_form=form, status=409, refusal=error_text(error))
    messages.success(request, "Your reply is posted.")
    return redirect(reply.get_absolute_url())


@login_required
@ratelimit("feedback")
def reply_edit(request, pk):
    reply = get_object_or_404(Reply.objects.select_related("thread", "author"), pk=pk)
    refusal = services.reply_edit_refusal(reply=reply, user=request.user)
    if refusal:
        return _refused(
            request,
            refusal,
            title="You cannot edit this reply",
            kept_text=request.POST.get("body", "") if request.method == "POST" else "",
        )
    form = ReplyForm(
        request.POST if request.method == "POST" else None, initial={"body": reply.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_edit(reply=reply, user=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            show_error(request, error, form=form)
        else:
            messages.success(request, "Your reply is updated; the earlier text is kept.")
            return redirect(reply.get_absolute_url())
    return render(request, "community/reply_form.html", {"form": form, "reply": reply})


@maintainer_required
@require_POST
def thread_decide(request, pk):
    thread = _get_thread(pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.thread_decide(
                thread=thread,
                actor=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            show_error(request, error, form=form)
        else:
            messages.success(request, "The decision is recorded.")
            return redirect(thread)
    return _thread_page(request, thread, decision_form=form, status=400)


# Flags and moderation ---------------------------------------------------------------------


@login_required
@ratelimit("flag")
def flag_create(request, kind, pk):
    item = services.flaggable_get(kind, pk)
    if item is None:
        raise Http404("Nothing to flag here.")
    form = FlagForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_create(item=item, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            show_error(request, error, form=form)
            status = 409
        else:
            messages.success(request, "Thank you: the maintainers will look at your flag.")
            return redirect(item.get_absolute_url())
    return render(request, "community/flag_form.html", {"form": form, "item": item}, status=status)


@maintainer_required
def moderation(request):
    flags = (
        Flag.objects.open()
        .select_related("flagged_by", "content_type")
        .prefetch_related(
            GenericPrefetch(
                "item",
                [
                    Thread.objects.all(),
                    Reply.objects.select_related("thread"),
                    *(m.objects.all() for m in services.SUBMISSION_MODELS.values()),
                ],
            )
        )
    )
    page = Paginator(flags, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "community/moderation.html",
        {"page_obj": page, "hide_form": HideForm(), "dismiss_form": DismissForm()},
    )


@maintainer_required
@require_POST
def flag_hide(request, pk):
    flag = get_object_or_404(Flag, pk=pk)
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the reason for hiding the item; it is recorded.")
        return redirect("community:moderation")
    try:
        services.flag_hide_item(flag=flag, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        show_error(request, error)
    else:
        messages.success(request, "The item is hidden; the reason is recorded.")
    return redirect("community:moderation")


@maintainer_required
@require_POST
def flag_dismiss(request, pk):
    flag = get_object_or_404(Flag, pk=pk)
    form = DismissForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.flag_dismiss(flag=flag, actor=request.user, note=note)
    except ValidationError as error:
        show_error(request, error)
    else:
        messages.success(request, "The flag is dismissed.")
    return redirect("community:moderation")


# Contributors -----------------------------------------------------------------------------


def community_health(request):
    """Per month: evidence published, new contributors, feedback, review latency."""
    return render(request, "community/health.html", health_page_context())


def contributor_list(request):
    from django.conf import settings

    return render(
        request,
        "community/contributor_list.html",
        {"groups": contributors_by_domain(), "window_days": settings.ACTIVITY_WINDOW_DAYS},
    )


def contributor_detail(request, pk):
    person = get_object_or_404(
        User.objects.filter(is_active=True).select_related("profile__domain"), pk=pk
    )
    profile = getattr(person, "profile", None)
    evidence = public_evidence_of(person)
    feedback = public_feedback_of(person)
    has_public_work = evidence or feedback["threads"] or feedback["replies"]
    if not has_public_work and person != request.user:
        # Only contributors have a public page: member ids do not list everyone's name.
        raise Http404("No contributions under this name.")
    return render(
        request,
        "community/contributor_detail.html",
        {"person": person, "profile": profile, "evidence": evidence, **feedback},
    )


# Settings, follows, leaving ---------------------------------------------------------------


@login_required
def settings_view(request):
    user = request.user
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    follows = list(Follow.objects.filter(user=user))
    initial = {
        "display_name": user.display_name,
        "role": profile.role,
        "show_role": profile.show_role,
        "organization": profile.organization,
        "show_organization": profile.show_organization,
        "domain": profile.domain_id,
        "show_domain": profile.show_domain,
        "follow_factors": [f.factor_id for f in follows if f.factor_id],
        "follow_domains": [f.domain_id for f in follows if f.domain_id],
        **{f"notify_{k.value}": profile.choice_for(k.value) for k in NotificationKind},
    }
    form = SettingsForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        maintainer=is_maintainer(user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                user=user,
                display_name=form.cleaned_data["display_name"],
                follow_factors=form.cleaned_data["follow_factors"],
                follow_domains=form.cleaned_data["follow_domains"],
                **form.profile_values(),
            )
        except ValidationError as error:
            show_error(request, error, form=form)
        else:
            messages.success(request, "Your settings are saved.")
            return redirect("community:settings")
    return render(request, "community/settings.html", {"form": form, "profile": profile})


@login_required
@require_POST
def follow_factor(request, slug):
    factor = get_object_or_404(Factor, slug=slug)
    follow = request.POST.get("action") != "unfollow"
    services.follow_toggle(user=request.user, factor=factor, follow=follow)
    messages.success(
        request,
        f"You follow {factor} now." if follow else f"You no longer follow {factor}.",
    )
    return redirect(factor)


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.user_delete_account(user=user)
        messages.success(request, "Your account and personal data are deleted. Goodbye.")
        return redirect("home")
    kept = sum(
        m.objects.published().filter(author=request.user).count()
        for m in services.SUBMISSION_MODELS.values()
    )
    return render(request, "community/delete_account.html", {"form": form, "kept": kept})


# Inbox and unsubscribe --------------------------------------------------------------------


@login_required
def inbox(request):
    qs = Notification.objects.filter(recipient=request.user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
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
    user = User.objects.filter(pk=user_id, is_active=True).first()
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
