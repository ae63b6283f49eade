from django.apps import AppConfig

from pagecache.generation import changes_bumped, changes_committed


class FactorsConfig(AppConfig):
    name = "factors"
    verbose_name = "Framework"

    def ready(self):
        from .history import mark_current, record_after_commit

        changes_committed.connect(record_after_commit, dispatch_uid="factors:snapshot")
        changes_bumped.connect(mark_current, dispatch_uid="factors:snapshot_current")
