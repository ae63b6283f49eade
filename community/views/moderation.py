"""Flags and moderation: a member flags an item; maintainers hide it or dismiss the flag."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import maintainer_required
from common.actions import attempt
from common.ratelimit import ratelimit

from .. import services
from ..forms import DismissForm, FlagForm, HideForm
from ..models import Flag
from ..selectors import open_flags


@login_required
@ratelimit("flag")
def flag_create(request, kind, pk):
    item = services.flaggable_get(kind, pk)
    if item is None:
        raise Http404("Nothing to flag here.")
    form = FlagForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if attempt(
            request,
            lambda: services.flag_create(
                item=item, user=request.user, reason=form.cleaned_data["reason"]
            ),
            form=form,
            success="Thank you: the maintainers will look at your flag.",
        ):
            return redirect(item.get_absolute_url())
        status = 409
    return render(request, "community/flag_form.html", {"form": form, "item": item}, status=status)


@maintainer_required
def moderation(request):
    page = Paginator(open_flags(), 50).get_page(request.GET.get("page"))
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
    attempt(
        request,
        lambda: services.flag_hide_item(
            flag=flag, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        success="The item is hidden; the reason is recorded.",
    )
    return redirect("community:moderation")


@maintainer_required
@require_POST
def flag_dismiss(request, pk):
    flag = get_object_or_404(Flag, pk=pk)
    form = DismissForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    attempt(
        request,
        lambda: services.flag_dismiss(flag=flag, actor=request.user, note=note),
        success="The flag is dismissed.",
    )
    return redirect("community:moderation")
