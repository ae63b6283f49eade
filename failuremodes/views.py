"""Failure mode pages: the public list and detail, and the maintainers' pages.

Thin: reads in failuremodes/selectors.py, changes in failuremodes/services.py (which
check the maintainer again), permission with accounts.permissions.maintainer_required.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import maintainer_required
from cases.models import FailureReport, State
from common.actions import attempt
from common.errors import show_error

from . import selectors, services
from .forms import AddressedForm, FailureModeForm, ReportSearchForm
from .models import FailureMode


def mode_list(request):
    modes = selectors.public_mode_list()
    open_count = sum(1 for m in modes if not m.is_addressed)
    return render(
        request,
        "failuremodes/mode_list.html",
        {"modes": modes, "open_count": open_count, "addressed_count": len(modes) - open_count},
    )


def mode_detail(request, slug):
    mode = selectors.public_mode(slug)
    if mode is None:
        raise Http404("No public failure mode has this address.")
    return render(request, "failuremodes/mode_detail.html", {"mode": mode})


@maintainer_required
def manage_list(request):
    return render(request, "failuremodes/manage_list.html", {"modes": selectors.manage_mode_list()})


@maintainer_required
@require_http_methods(["GET", "POST"])
def mode_create(request):
    form = FailureModeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                mode = services.failure_mode_create(actor=request.user, **data)
            except ValidationError as error:
                show_error(request, error, form=form)
            else:
                messages.success(request, f"Failure mode “{mode.title}” created.")
                return redirect(mode.get_manage_url())
        status = 400
    return render(
        request, "failuremodes/mode_form.html", {"form": form, "mode": None}, status=status
    )


def _edit_context(request, mode, **forms) -> dict:
    search = ReportSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    return {
        "mode": mode,
        "form": forms.get("form") or FailureModeForm(instance=mode),
        "addressed_form": forms.get("addressed_form")
        or AddressedForm(
            initial={
                "addressed": mode.marked_addressed,
                "adaptation": mode.addressed_by.get_absolute_url() if mode.addressed_by else "",
                "refinement": mode.refinement,
            }
        ),
        "is_addressed": selectors.is_addressed(mode),
        "search_form": search,
        "query": query,
        "found": selectors.reports_to_link(mode, query) if query else [],
        "history": selectors.mode_history(mode),
    }


def _mode_or_404(slug) -> FailureMode:
    mode = selectors.mode_for_maintainer(slug)
    if mode is None:
        raise Http404("No failure mode has this address.")
    return mode


@maintainer_required
@require_http_methods(["GET", "POST"])
def mode_edit(request, slug):
    mode = _mode_or_404(slug)
    form = FailureModeForm(request.POST or None, instance=mode)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.failure_mode_update(
                    mode=mode, actor=request.user, factors=data.pop("factors"), **data
                )
            except ValidationError as error:
                show_error(request, error, form=form)
            else:
                messages.success(request, "Failure mode saved.")
                return redirect("failuremodes:edit", slug=mode.slug)
        mode = _mode_or_404(slug)
        context = _edit_context(request, mode, form=form)
        return render(request, "failuremodes/mode_edit.html", context, status=400)
    return render(request, "failuremodes/mode_edit.html", _edit_context(request, mode))


@require_POST
@maintainer_required
def mode_addressed(request, slug):
    mode = _mode_or_404(slug)
    form = AddressedForm(request.POST)
    if form.is_valid() and attempt(
        request,
        lambda: services.failure_mode_set_addressed(
            mode=mode,
            actor=request.user,
            addressed=form.cleaned_data["addressed"],
            adaptation=form.cleaned_data["adaptation"],
            refinement=form.cleaned_data["refinement"],
        ),
        form=form,
        success="Marked addressed."
        if form.cleaned_data["addressed"]
        else "Marked open (not addressed).",
    ):
        return redirect("failuremodes:edit", slug=mode.slug)
    context = _edit_context(request, _mode_or_404(slug), addressed_form=form)
    return render(request, "failuremodes/mode_edit.html", context, status=400)


@require_POST
@maintainer_required
def mode_reports(request, slug):
    """Put a report in the mode, or take one out (POST report=<pk>, action=add|remove)."""
    mode = _mode_or_404(slug)
    pk = request.POST.get("report", "")
    if not pk.isdigit():
        raise Http404("No such failure report.")
    # Others' drafts answer 404, as everywhere.
    report = get_object_or_404(FailureReport.objects.exclude(state=State.DRAFT), pk=pk)
    action = request.POST.get("action")
    try:
        if action == "add":
            services.failure_mode_link(mode=mode, actor=request.user, report=report)
            messages.success(request, f"“{report.title}” is now in this failure mode.")
        elif action == "remove":
            services.failure_mode_unlink(mode=mode, actor=request.user, report=report)
            messages.success(request, f"“{report.title}” was taken out of this failure mode.")
        else:
            return render(request, "400.html", status=400)
    except ValidationError as error:
        show_error(request, error)
    return redirect("failuremodes:edit", slug=mode.slug)
