"""Maintainers get a permission added after they were made maintainers (keeping the metric
vocabulary) when the site is migrated, without running grant_maintainer again."""

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from accounts.models import MAINTAINERS_GROUP, User
from accounts.services import ensure_maintainers_group, user_grant_maintainer
from tests.factories import UserFactory

METRIC = ("add_metric", "change_metric", "view_metric")


def test_migrate_gives_an_existing_maintainers_group_the_metric_permissions(db):
    maintainer = user_grant_maintainer(user=UserFactory())
    group = ensure_maintainers_group()
    # As on a site whose maintainers were named before the metric vocabulary existed.
    group.permissions.remove(*Permission.objects.filter(codename__in=METRIC))
    assert not User.objects.get(pk=maintainer.pk).has_perm("cases.add_metric")

    call_command("migrate", verbosity=0)

    assert set(
        group.permissions.filter(content_type__app_label="cases").values_list("codename", flat=True)
    ) >= set(METRIC)
    assert not group.permissions.filter(codename="delete_metric").exists()  # not listed
    assert User.objects.get(pk=maintainer.pk).has_perm("cases.add_metric")


def test_migrate_creates_no_maintainers_group(db):
    call_command("migrate", verbosity=0)
    assert not Group.objects.filter(name=MAINTAINERS_GROUP).exists()
