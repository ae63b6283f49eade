"""Every committed write that can change a public page bumps the generation.

Rather than list the models that appear on public pages (and miss the next one),
every model of every installed app is watched, except those named in
settings.PAGE_CACHE_IGNORED_MODELS: writes that never show on a page and happen
all the time (sessions, the admin's log). Saves that touch only `last_login`
are ignored too (every sign-in makes one).

Signals do not fire for QuerySet.update(), bulk_create(), bulk_update() or raw
SQL: code that uses them calls `generation_bump_on_commit()` itself
(tests/pagecache/test_bulk_writes.py fails when a new one does not).
"""

from django.apps import apps
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from .generation import generation_bump, generation_bump_on_commit

DEFAULT_IGNORED_MODELS = ("sessions.session", "admin.logentry")
_ONLY_BOOKKEEPING = frozenset({"last_login"})


def _saved(sender, instance, using, update_fields=None, **kwargs):
    if update_fields and frozenset(update_fields) <= _ONLY_BOOKKEEPING:
        return
    generation_bump_on_commit(using=using)


def _deleted(sender, instance, using, **kwargs):
    generation_bump_on_commit(using=using)


def _m2m_changed(sender, instance, action, using, **kwargs):
    if action.startswith("post_"):
        generation_bump_on_commit(using=using)


def _migrated(sender, **kwargs):
    # migrate and flush (which empties tables without signals) end with post_migrate.
    generation_bump()


def ignored_models() -> frozenset[str]:
    names = getattr(settings, "PAGE_CACHE_IGNORED_MODELS", DEFAULT_IGNORED_MODELS)
    return frozenset(name.lower() for name in names)


def watched_models() -> list:
    ignored = ignored_models()
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower not in ignored
    ]


def connect_all() -> None:
    """Connect the receivers to every watched model (models without them keep fast deletes)."""
    post_migrate.connect(_migrated, dispatch_uid="pagecache:migrated")
    for model in watched_models():
        uid = f"pagecache:{model._meta.label_lower}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
        # m2m_changed is sent with the through model (auto-created or explicit) as sender.
        m2m_changed.connect(_m2m_changed, sender=model, dispatch_uid=uid)
