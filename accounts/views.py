from allauth.account.views import LoginView as AllauthLoginView
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


class LoginView(AllauthLoginView):
    """allauth's sign-in; a sign-in refused by the lockout answers 429 with `Retry-After`
    (the form, with what was typed and the message saying how long to wait)."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        retry_after = getattr(form, "retry_after", None)
        if retry_after:
            response.status_code = 429
            response["Retry-After"] = str(retry_after)
        return response
