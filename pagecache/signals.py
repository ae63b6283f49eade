"""A committed write bumps the generation when, and only when, it can change a public page.

Every model of every installed app is on one side, deliberately
(tests/pagecache/test_invalidation_policy.py lists them all, so a new model fails the test
until it is placed):

- **never public** (settings.PAGE_CACHE_IGNORED_MODELS): writes that no anonymous visitor
  can see — sessions, notifications and inbox reads, follows, two-factor devices, email
  addresses and confirmations, flags, earlier versions of evidence, the admin's log. No bump.
- **public when published** (`WHEN_PUBLISHED`): a piece of evidence bumps when it is
  published and not hidden before or after the save (a draft saved, submitted, sent back or
  rejected never shows; a publish, an edit of a published item, a hide or a withdrawal does;
  a delete always does).
- **public when its item is** (`WHEN_ITEM_PUBLISHED`): a part of a piece of evidence (its
  factor outcomes, its quantified results, its factors) bumps when the item is published.
- **public when it records a decision** (`WHEN_DECISION`): a recorded step bumps when it is a
  review decision or leaves the published state (the community health page measures review
  latency from them); saving, submitting and withdrawing a draft do not.
- **always public**: everything else (factors, criteria, phases, domains, threads, replies,
  profiles, accounts' public names, ...). When in doubt, a model belongs here.

Saves that touch only `last_login` are ignored too (every sign-in makes one). A delete
follows the same rules as a save, evidence itself always bumping.

Signals do not fire for QuerySet.update(), bulk_create(), bulk_update() or raw SQL: code
that uses them calls `generation_bump_on_commit()` itself
(tests/pagecache/test_bulk_writes.py fails when a new one does not).
"""

from django.apps import apps
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save

from .generation import generation_bump, generation_bump_on_commit

DEFAULT_IGNORED_MODELS = ("sessions.session", "admin.logentry", "pagecache.generation")
_ONLY_BOOKKEEPING = frozenset({"last_login"})

PUBLISHED = "published"
# Evidence: public while state is "published" and hidden_at is empty.
WHEN_PUBLISHED = frozenset(
    {"cases.casestudy", "cases.adaptation", "cases.failurereport", "cases.referenceimplementation"}
)
# Parts of one piece of evidence, by the foreign key naming it.
WHEN_ITEM_PUBLISHED = {
    "cases.factorapplication": "case_study",
    "cases.quantifiedresult": "case_study",
    "cases.failurereport_factors": "failurereport",
    "cases.factorimplementation": "reference_implementation",
}
# Recorded steps: public when a review decision, or when leaving the published state.
WHEN_DECISION = frozenset({"cases.statechange"})
DECISIONS = frozenset({"published", "rejected", "changes_requested"})

ALWAYS, NEVER = "always", "never"


def ignored_models() -> frozenset[str]:
    names = getattr(settings, "PAGE_CACHE_IGNORED_MODELS", DEFAULT_IGNORED_MODELS)
    return frozenset(name.lower() for name in names)


def side_of(model) -> str:
    """Which side a model is on: "never", "always", or the name of its rule."""
    label = model._meta.label_lower
    if label in ignored_models():
        return NEVER
    if label in WHEN_PUBLISHED:
        return "when published"
    if label in WHEN_ITEM_PUBLISHED:
        return "when its item is published"
    if label in WHEN_DECISION:
        return "when it records a decision"
    return ALWAYS


def _is_public(instance) -> bool:
    return instance.state == PUBLISHED and instance.hidden_at is None


def _public_in_database(model, pk) -> bool:
    if pk is None:
        return False
    return model._base_manager.filter(pk=pk, state=PUBLISHED, hidden_at__isnull=True).exists()


def _item_public(instance, field_name: str) -> bool:
    field = instance._meta.get_field(field_name)
    return _public_in_database(field.related_model, getattr(instance, field.attname))


def _remember_state(sender, instance, **kwargs):
    """Before a piece of evidence is saved: was it public? (one primary-key query)"""
    instance._pagecache_was_public = not instance._state.adding and _public_in_database(
        sender, instance.pk
    )


def _part_or_step_is_public(label: str, instance) -> bool:
    if label in WHEN_ITEM_PUBLISHED:
        return _item_public(instance, WHEN_ITEM_PUBLISHED[label])
    if label in WHEN_DECISION:
        return instance.to_state in DECISIONS or instance.from_state == PUBLISHED
    return True


def _saved(sender, instance, using, update_fields=None, **kwargs):
    if update_fields and frozenset(update_fields) <= _ONLY_BOOKKEEPING:
        return
    label = sender._meta.label_lower
    if label in WHEN_PUBLISHED:
        if not (getattr(instance, "_pagecache_was_public", True) or _is_public(instance)):
            return
    elif not _part_or_step_is_public(label, instance):
        return
    generation_bump_on_commit(using=using)


def _deleted(sender, instance, using, **kwargs):
    if _part_or_step_is_public(sender._meta.label_lower, instance):
        generation_bump_on_commit(using=using)


def _m2m_changed(sender, instance, action, using, **kwargs):
    if not action.startswith("post_"):
        return
    label = sender._meta.label_lower
    if label in WHEN_ITEM_PUBLISHED:
        item = sender._meta.get_field(WHEN_ITEM_PUBLISHED[label]).related_model
        # From the item's side, only its own state matters; from the other side
        # (factor.failure_reports.add(...)), bump.
        if isinstance(instance, item) and not _public_in_database(item, instance.pk):
            return
    generation_bump_on_commit(using=using)


def _migrated(sender, **kwargs):
    # migrate and flush (which empties tables without signals) end with post_migrate.
    generation_bump()


def watched_models() -> list:
    return [
        model for model in apps.get_models(include_auto_created=True) if side_of(model) != NEVER
    ]


def connect_all() -> None:
    """Connect the receivers to every watched model (models without them keep fast deletes)."""
    post_migrate.connect(_migrated, dispatch_uid="pagecache:migrated")
    for model in watched_models():
        uid = f"pagecache:{model._meta.label_lower}"
        if model._meta.label_lower in WHEN_PUBLISHED:
            pre_save.connect(_remember_state, sender=model, dispatch_uid=uid)
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
        # m2m_changed is sent with the through model (auto-created or explicit) as sender.
        m2m_changed.connect(_m2m_changed, sender=model, dispatch_uid=uid)
