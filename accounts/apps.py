from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_maintainer_permissions(sender, using="default", **kwargs):
    """After an app's migrations (and its permissions, which django.contrib.auth creates
    first: it is earlier in INSTALLED_APPS), an existing Maintainers group gets that app's
    maintainer permissions it lacks."""
    from .services import sync_maintainer_permissions

    sync_maintainer_permissions(sender.label)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        post_migrate.connect(
            _sync_maintainer_permissions, dispatch_uid="accounts:sync_maintainer_permissions"
        )
