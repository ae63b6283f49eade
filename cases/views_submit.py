"""Authoring pages: choose a kind, write and edit, preview, submit, withdraw, follow up.

Views are thin: they read the request, call a form and a service from
cases/services.py (asking cases/workflow.py what the user may do), and render. Who may see
an item is decided by the querysets (`managed_by`, `by_author`): anything else is 404.
"""

import copy
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.permissions import has_verified_email, is_maintainer
from common.errors import show_error
from common.ratelimit import ratelimit

from . import revision_diff, services, workflow
from .forms import SUBMISSION_FORMS, WithdrawForm
from .kinds import KINDS, kind_of
from .models import State, StateChange

# --- shared with views_review -------------------------------------------------------------


def with_details(qs):
    """Everything an item page shows, in a fixed number of queries."""
    qs = qs.model.with_detail_relations(qs)
    return qs.prefetch_related(
        Prefetch("state_changes", queryset=StateChange.objects.select_related("actor"))
    )


def managed_item(request, kind: str, pk: int):
    """The item if this user may follow its workflow (author; maintainer past draft), else 404."""
    model = KINDS[kind].model
    return get_object_or_404(with_details(model.objects.managed_by(request.user)), pk=pk)


def item_context(item, user) -> dict:
    changes = list(item.state_changes.all())
    return {
        "item": item,
        "kind": kind_of(item),
        "history": changes,
        "latest_review": workflow.latest_review(changes),
        "can_edit": workflow.can_edit(item, user),
        "actions": [t.action for t in workflow.transitions_for(item, user)],
        "can_reconfirm": workflow.can_reconfirm(item, user),
    }


def _verify_needed(request):
    return render(request, "cases/verify_email_needed.html", status=403)


# --- landing --------------------------------------------------------------------------------


def submit(request):
    """Choose what to submit. Explains what is needed to anyone not yet able to."""
    return render(
        request,
        "cases/submit.html",
        {"kinds": KINDS.values(), "verified": has_verified_email(request.user)},
    )


# --- write and edit --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit("submit")
def submission_create(request, kind: str):
    if not has_verified_email(request.user):
        return _verify_needed(request)
    return _form_page(request, kind=kind, item=None)


@login_required
@require_http_methods(["GET", "POST"])
def submission_edit(request, kind: str, pk: int):
    if not has_verified_email(request.user):
        return _verify_needed(request)
    item = managed_item(request, kind, pk)
    if item.author_id != request.user.pk:
        raise PermissionDenied("Only the author can edit this submission.")
    if not workflow.can_edit(item, request.user):
        messages.error(
            request,
            workflow.FROZEN_MESSAGE
            if item.state == State.SUBMITTED
            else f"A {item.get_state_display().lower()} submission can't be edited.",
        )
        return redirect("cases:submission_detail", kind=kind, pk=pk)
    return _form_page(request, kind=kind, item=item)


def _already_sent(request, token):
    """The same new-item form sent again: no second item; show the one already saved."""
    messages.info(request, "This form was already sent; here is what was saved.")
    return redirect(token.get_absolute_url())


def _form_page(request, *, kind: str, item):
    form_class = SUBMISSION_FORMS[kind]
    preview = None
    user = request.user

    if request.method == "GET":
        token = uuid.uuid4().hex
        form = form_class(instance=copy.copy(item) if item else None, user=user)
        formset = form_class.make_formset(item=item)
        return _render_form(request, kind, item, form, formset, token, preview)

    action = request.POST.get("action", "save")
    token = request.POST.get("form_token", "")[:64]
    if item is None and (sent := services.form_token_sent(author=user, token=token)):
        return _already_sent(request, sent)

    data = request.POST
    if action == "add_row":
        data = form_class.with_added_row(data)
    submitting = action == "submit"
    form = form_class(
        data, instance=copy.copy(item) if item else None, user=user, submitting=submitting
    )
    formset = form_class.make_formset(item=item, data=data)
    valid = form.is_valid() & (formset.is_valid() if formset is not None else True)

    if action in ("preview", "add_row") or not valid:
        if action == "preview":
            preview = form.preview(formset)
        elif not valid:
            messages.error(request, "Please correct the errors below. Nothing was saved yet.")
        return _render_form(request, kind, item, form, formset, token, preview)

    kwargs = form.service_kwargs(formset)
    submit_error = None
    try:
        if item is None:
            # One transaction: the draft, the form's token and the submission.
            created = services.submission_create(
                kind=kind, author=user, form_token=token, submit=submitting, **kwargs
            )
            item, submit_error = created.item, created.submit_error
        else:
            item = services.submission_update(item=item, actor=user, **kwargs)
            if submitting:
                try:
                    services.submission_submit(item=item, actor=user)
                except services.WorkflowError as error:
                    submit_error = error
    except services.AlreadySent as sent:
        return _already_sent(request, sent.token)
    except services.WorkflowError as error:
        show_error(request, error)
        if item is None:
            return _render_form(request, kind, item, form, formset, token, preview)
        return redirect("cases:submission_detail", kind=kind, pk=item.pk)

    if submit_error is not None:
        show_error(request, submit_error, prefix="Your draft was saved, but not submitted: ")
        return redirect("cases:submission_edit", kind=kind, pk=item.pk)
    if not submitting:
        messages.success(request, "Draft saved. Only you can see it until you submit it.")
        return redirect("cases:submission_edit", kind=kind, pk=item.pk)
    messages.success(
        request,
        "Submitted for review. A maintainer will read it; you will get an email when they decide.",
    )
    return redirect("cases:my_submissions")


def _render_form(request, kind, item, form, formset, token, preview):
    return render(
        request,
        "cases/submission_form.html",
        {
            "kind": KINDS[kind],
            "item": item,
            "form": form,
            "formset": formset,
            "form_token": token if item is None else "",
            "preview": preview,
            # The public page's parts read these too (cases/_evidence_article.html).
            "previewing": preview is not None,
            "case_study": preview.published_case_study() if preview is not None else None,
            "latest_review": workflow.latest_review(item.state_changes.all()) if item else None,
        },
    )


# --- follow up ----------------------------------------------------------------------------------


@login_required
def my_submissions(request):
    """Every item the user wrote, newest activity first, with its state and what to do next."""
    rows = []
    changes = Prefetch("state_changes", queryset=StateChange.objects.select_related("actor"))
    for kind in KINDS.values():
        items = (
            kind.model.objects.by_author(request.user)
            .select_related("domain")
            .prefetch_related(changes)
        )
        for item in items:
            rows.append(
                {
                    "item": item,
                    "kind": kind,
                    "latest_review": workflow.latest_review(item.state_changes.all()),
                    "can_edit": workflow.can_edit(item, request.user),
                    "can_withdraw": item.state
                    in {t.source for t in workflow.TRANSITIONS if t.action == "withdraw"},
                }
            )
    rows.sort(key=lambda r: r["item"].updated_at, reverse=True)
    return render(
        request,
        "cases/my_submissions.html",
        {"rows": rows, "verified": has_verified_email(request.user)},
    )


@login_required
def submission_detail(request, kind: str, pk: int):
    item = managed_item(request, kind, pk)
    context = item_context(item, request.user)
    context["can_review"] = (
        is_maintainer(request.user)
        and item.author_id != request.user.pk
        and item.state == State.SUBMITTED
    )
    return render(request, "cases/submission_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def submission_withdraw(request, kind: str, pk: int):
    model = KINDS[kind].model
    item = get_object_or_404(model.objects.by_author(request.user), pk=pk)
    detail = reverse("cases:submission_detail", kwargs={"kind": kind, "pk": pk})
    if not any(t.action == "withdraw" for t in workflow.transitions_for(item, request.user)):
        messages.error(
            request, f"A {item.get_state_display().lower()} submission can't be withdrawn."
        )
        return redirect(detail)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_withdraw(
                item=item, actor=request.user, comment=form.cleaned_data["comment"]
            )
        except services.WorkflowError as error:
            show_error(request, error)
        else:
            messages.success(request, "Withdrawn. It is kept in your submissions.")
        return redirect(detail)
    return render(
        request,
        "cases/submission_withdraw.html",
        {"item": item, "kind": KINDS[kind], "form": form},
    )


@login_required
@require_http_methods(["POST"])
def submission_reconfirm(request, kind: str, pk: int):
    """Re-confirm published evidence in one step (its author, or a maintainer); others 404."""
    item = managed_item(request, kind, pk)
    try:
        services.submission_reconfirm(item=item, actor=request.user)
    except services.WorkflowError as error:
        show_error(request, error)
    else:
        messages.success(request, "Re-confirmed: it is shown as current again. Thank you.")
    return redirect(reverse("cases:submission_detail", kwargs={"kind": kind, "pk": pk}))


@login_required
def submission_revisions(request, kind: str, pk: int):
    """Earlier versions of an item, for its author and the maintainers: what each edit changed
    (cases/revision_diff.py), newest first, and each earlier version whole."""
    item = managed_item(request, kind, pk)
    model = type(item)
    labels = SUBMISSION_FORMS[kind].field_labels()
    revisions = list(item.revisions.select_related("author"))  # newest first
    newer, newer_number = services.submission_snapshot(item), None  # the current version
    shown = []
    for revision in revisions:
        shown.append(
            {
                "revision": revision,
                "changes": revision_diff.changes(model, revision.data, newer, labels),
                "fields": revision_diff.version_fields(model, revision.data, labels),
                "next_number": newer_number,  # None: the current version
            }
        )
        newer, newer_number = revision.data, revision.number
    return render(
        request,
        "cases/submission_revisions.html",
        {"item": item, "kind": KINDS[kind], "revisions": shown},
    )
