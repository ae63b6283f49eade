"""Feedback threads: the list, opening one, its page, replies (and editing one) and the
maintainers' decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import is_maintainer, maintainer_required
from common.actions import attempt
from common.errors import error_text, show_error
from common.ratelimit import ratelimit
from factors.models import Factor

from .. import services
from ..forms import DecisionForm, ReplyForm, ThreadFilterForm, ThreadForm
from ..models import Reply
from ..selectors import thread_replies, threads_filtered, threads_with_people

PAGE_SIZE = 20


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
    return get_object_or_404(threads_with_people(), pk=pk)


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
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: services.reply_edit(
                reply=reply, user=request.user, body=form.cleaned_data["body"]
            ),
            form=form,
            success="Your reply is updated; the earlier text is kept.",
        )
    ):
        return redirect(reply.get_absolute_url())
    return render(request, "community/reply_form.html", {"form": form, "reply": reply})


@maintainer_required
@require_POST
def thread_decide(request, pk):
    thread = _get_thread(pk)
    form = DecisionForm(request.POST)
    if form.is_valid() and attempt(
        request,
        lambda: services.thread_decide(
            thread=thread,
            actor=request.user,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        ),
        form=form,
        success="The decision is recorded.",
    ):
        return redirect(thread)
    return _thread_page(request, thread, decision_form=form, status=400)
