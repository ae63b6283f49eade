"""Who may do what: the one place where the site's access rules are checked.

Views use these decorators (or call the predicates); they never test groups or
flags themselves.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse


def is_maintainer(user) -> bool:
    return bool(getattr(user, "is_maintainer", False))


def has_verified_email(user) -> bool:
    if not user.is_authenticated:
        return False
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


def has_two_factor(user) -> bool:
    """Whether the person has an authenticator app (TOTP) set up with allauth.mfa."""
    if not user.is_authenticated:
        return False
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user, types=[Authenticator.Type.TOTP])


def maintainer_needs_two_factor(user) -> bool:
    """A maintainer who must still set up two-factor authentication before acting."""
    return settings.MAINTAINER_REQUIRE_MFA and not has_two_factor(user)


def maintainer_required(view):
    """Signed-in maintainers only: others are sent to sign in, or get 403.

    With MAINTAINER_REQUIRE_MFA on, a maintainer without an authenticator app is sent to
    a page explaining why and how to set one up, then back here.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_maintainer(request.user):
            raise PermissionDenied("Only maintainers can do this.")
        if maintainer_needs_two_factor(request.user):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:two_factor_required')}?{query}")
        return view(request, *args, **kwargs)

    return wrapper


def admin_permission(has_permission):
    """Wrap AdminSite.has_permission: staff also need two-factor when maintainers do."""

    @wraps(has_permission)
    def wrapper(request):
        return has_permission(request) and not maintainer_needs_two_factor(request.user)

    return wrapper


def admin_login(login_view):
    """Wrap AdminSite.login: sign in through allauth (with its two-factor step), never
    through the admin's password-only form; staff without two-factor are sent to set it up.
    """
    from allauth.account.decorators import secure_admin_login

    secured = secure_admin_login(login_view)

    @wraps(login_view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and user.is_staff and maintainer_needs_two_factor(user):
            query = urlencode({"next": request.GET.get("next") or reverse("admin:index")})
            return redirect(f"{reverse('accounts:two_factor_required')}?{query}")
        return secured(request, *args, **kwargs)

    return wrapper
