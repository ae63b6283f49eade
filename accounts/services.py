"""Account actions used by management commands and views."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import MAINTAINERS_GROUP, User

# What maintainers may do in the admin and on the site. Apps add their own
# permissions here; ensure_maintainers_group() keeps the group in step.
MAINTAINER_PERMISSIONS = [
    ("factors", "factor", ("view", "change")),
    ("factors", "criterion", ("view", "add", "change", "delete")),
    ("factors", "phase", ("view",)),
    ("factors", "phasechange", ("view",)),
    ("cases", "domain", ("view", "add", "change")),
    ("cases", "organization", ("view", "add", "change")),
    ("cases", "metric", ("view", "add", "change")),
    ("cases", "casestudy", ("view",)),
    ("cases", "adaptation", ("view",)),
    ("cases", "failurereport", ("view",)),
]


def ensure_maintainers_group() -> Group:
    """Create the Maintainers group if needed and give it the permissions it needs."""
    group, _ = Group.objects.get_or_create(name=MAINTAINERS_GROUP)
    wanted = []
    for app_label, model, actions in MAINTAINER_PERMISSIONS:
        codenames = [f"{action}_{model}" for action in actions]
        wanted += list(
            Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
    group.permissions.add(*wanted)
    return group


def sync_maintainer_permissions(app_label: str) -> int:
    """Give an existing Maintainers group the permissions MAINTAINER_PERMISSIONS lists for one
    app; returns how many it lacked. Run after each migration of that app (accounts/apps.py),
    so a permission added later (e.g. to keep the metric vocabulary) reaches maintainers
    without anyone running `manage.py grant_maintainer` again. Creates no group."""
    group = Group.objects.filter(name=MAINTAINERS_GROUP).first()
    if group is None:
        return 0
    codenames = [
        f"{action}_{model}"
        for label, model, actions in MAINTAINER_PERMISSIONS
        if label == app_label
        for action in actions
    ]
    if not codenames:
        return 0
    missing = Permission.objects.filter(
        content_type__app_label=app_label, codename__in=codenames
    ).exclude(group=group)
    missing = list(missing)
    group.permissions.add(*missing)
    return len(missing)


@transaction.atomic
def user_grant_maintainer(*, user: User) -> User:
    """Make someone a maintainer: member of the Maintainers group, allowed into the admin."""
    group = ensure_maintainers_group()
    user.groups.add(group)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user._is_maintainer = True
    return user


@transaction.atomic
def user_revoke_maintainer(*, user: User) -> User:
    user.groups.remove(ensure_maintainers_group())
    if user.is_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    user._is_maintainer = None
    return user
