from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from .permissions import has_two_factor


@login_required
def two_factor_required(request):
    """Why maintainers need two-factor authentication, and the way to set it up."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    return render(
        request,
        "accounts/two_factor_required.html",
        {"next_url": next_url, "has_two_factor": has_two_factor(request.user)},
    )
