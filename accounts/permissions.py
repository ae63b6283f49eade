"""Who may do what: the one place where the site's access rules are checked.

Views use these decorators (or call the predicates); they never test groups or
flags themselves.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def is_maintainer(user) -> bool:
    return bool(getattr(user, "is_maintainer", False))


def has_verified_email(user) -> bool:
    if not user.is_authenticated:
        return False
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


def maintainer_required(view):
    """Signed-in maintainers only: others are sent to sign in, or get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_maintainer(request.user):
            raise PermissionDenied("Only maintainers can do this.")
        return view(request, *args, **kwargs)

    return wrapper
