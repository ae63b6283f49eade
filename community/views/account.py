"""A member's own settings: profile, follows and notification choices, following a factor,
and deleting the account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import is_maintainer
from common.actions import attempt
from factors.models import Factor

from .. import services
from ..forms import DeleteAccountForm, SettingsForm
from ..models import NotificationKind
from ..selectors import published_count_of, settings_of


@login_required
def settings_view(request):
    user = request.user
    profile, follows = settings_of(user)
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
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: services.profile_update(
                user=user,
                display_name=form.cleaned_data["display_name"],
                follow_factors=form.cleaned_data["follow_factors"],
                follow_domains=form.cleaned_data["follow_domains"],
                **form.profile_values(),
            ),
            form=form,
            success="Your settings are saved.",
        )
    ):
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
    kept = published_count_of(request.user)
    return render(request, "community/delete_account.html", {"form": form, "kept": kept})
