"""The review workflow's writes: every change to a submission goes through these functions.

The rules (which state may go to which, who may act, what is required) are in
cases/workflow.py, with no database writes. Each action here locks the item's row and
checks the rules inside the transaction: two maintainers deciding at once give the
second a clear "already reviewed" error, never a double decision. Every move is
recorded as a StateChange; every edit keeps the previous version as a Revision.
After the commit each step is announced (cases/signals.py): the community app tells people.
"""

from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.permissions import has_verified_email
from agentops_web.siteurl import site_url
from pagecache.generation import generation_bump_on_commit

from . import signals
from .ageing import last_confirmed
from .models import (
    SUBMISSION_MODELS,
    Confirmation,
    FormToken,
    Revision,
    State,
    StateChange,
    Submission,
)
from .workflow import (
    NOT_SNAPSHOTTED,
    VERIFY_EMAIL_MESSAGE,
    Action,
    AlreadyReviewed,
    AlreadySent,
    InvalidTransition,
    NotPermitted,
    WorkflowError,
    check_complete,
    check_edit,
    check_reconfirm,
    check_transition,
    submission_snapshot,
)

# --- internal helpers -------------------------------------------------------------------


def _lock(item: Submission) -> Submission:
    """The item's row, locked until the transaction ends, with its current state."""
    return type(item).objects.select_for_update().get(pk=item.pk)


def _record(item: Submission, *, actor, from_state: str, to_state: str, comment: str = ""):
    return StateChange.objects.create(
        item=item, actor=actor, from_state=from_state, to_state=to_state, comment=comment
    )


def _set_related(item: Submission, **related) -> None:
    """Replace the item's related data (factors, per-factor notes, quantified rows …)."""
    item.set_related(**related)
    # bulk_create sends no post_save: cached public pages must still see the change (only a
    # published item's parts are on them; a draft's never are).
    if item.is_published:
        generation_bump_on_commit()


def _apply_fields(item: Submission, fields: dict[str, Any]) -> None:
    editable = {f.name for f in type(item)._meta.concrete_fields if f.editable}
    for name, value in fields.items():
        if name not in editable or name in NOT_SNAPSHOTTED:
            raise ValueError(f"{name} cannot be set on a {type(item).__name__}")
        setattr(item, name, value)


def _transition(*, item: Submission, actor, action: str, comment: str = "") -> Submission:
    """Move the item by `action`, after checking the table, the actor and the comment."""
    locked = _lock(item)
    transition, comment = check_transition(locked, actor, action, comment)

    now = timezone.now()
    changes: dict[str, Any] = {"state": transition.target, "updated_at": now}
    if transition.target == State.SUBMITTED:
        changes["submitted_at"] = now
    if transition.target == State.PUBLISHED:
        changes["published_at"] = now
    # The row is locked; the state condition makes the update safe even where it is not.
    updated = type(locked).objects.filter(pk=locked.pk, state=locked.state).update(**changes)
    if updated != 1:
        raise AlreadyReviewed(
            "This submission was already reviewed by someone else a moment ago. "
            "Nothing was changed."
        )
    if State.PUBLISHED in (locked.state, transition.target):
        generation_bump_on_commit()  # update() sends no post_save; only the public side shows
    from_state = locked.state
    for name, value in changes.items():
        setattr(locked, name, value)
    locked._last_change = _record(
        locked, actor=actor, from_state=from_state, to_state=transition.target, comment=comment
    )
    return locked


# --- the services -----------------------------------------------------------------------


@transaction.atomic
def submission_create_draft(
    *,
    kind: str,
    author,
    fields: dict[str, Any],
    **related: Any,
) -> Submission:
    """A new draft by `author` (signed in, email verified).

    `related`: the kind's related data, as its form gives it (applications and quantified
    rows of a case study, factors of a failure report …; see set_related on the model).
    """
    if not has_verified_email(author):
        raise NotPermitted(VERIFY_EMAIL_MESSAGE)
    model = SUBMISSION_MODELS[kind]
    item = model(author=author, state=State.DRAFT)
    _apply_fields(item, fields)
    item.full_clean(exclude=["slug"], validate_unique=False)
    item.save()
    _set_related(item, **related)
    _record(item, actor=author, from_state="", to_state=State.DRAFT)
    return item


@dataclass
class Created:
    """What `submission_create` made: the item, and why it was not submitted if it was not."""

    item: Submission
    submit_error: WorkflowError | None = None


def form_token_sent(*, author, token: str) -> FormToken | None:
    """The record of this author's form already sent with `token`, if any."""
    if not token:
        return None
    return FormToken.objects.filter(author=author, token=token).first()


def _claim_form_token(*, author, token: str) -> FormToken:
    """Record the form's one-time token; a second claim of it raises AlreadySent.

    Under the unique constraint, two sendings at the same moment queue on the same row: the
    second insert fails once the first commits, and then sees the first's item.
    """
    try:
        with transaction.atomic():
            return FormToken.objects.create(author=author, token=token)
    except IntegrityError:
        sent = form_token_sent(author=author, token=token)
        if sent is None:
            raise
        raise AlreadySent(sent) from None


@transaction.atomic
def submission_create(
    *,
    kind: str,
    author,
    fields: dict[str, Any],
    form_token: str = "",
    submit: bool = False,
    **related: Any,
) -> Created:
    """A new item from the "new item" form, in one transaction: the draft, the form's token,
    and (with `submit`) its submission.

    The whole commits or nothing does, so an error page (the database away) never leaves a
    half-done item, and the form sent again makes it once. If the workflow refuses the
    submission (something required is missing), the draft is kept and `submit_error` says why.
    """
    token = _claim_form_token(author=author, token=form_token) if form_token else None
    item = submission_create_draft(kind=kind, author=author, fields=fields, **related)
    if token is not None:
        token.item = item
        token.save(update_fields=["content_type", "object_id"])
    created = Created(item=item)
    if submit:
        try:
            with transaction.atomic():
                created.item = submission_submit(item=item, actor=author)
        except WorkflowError as error:
            created.submit_error = error
    return created


@transaction.atomic
def submission_update(
    *,
    item: Submission,
    actor,
    fields: dict[str, Any],
    **related: Any,
) -> Submission:
    """Edit a draft or changes-requested item; the previous version is kept as a Revision.

    An edit that changes nothing keeps no revision.
    """
    locked = _lock(item)
    check_edit(locked, actor)
    before = submission_snapshot(locked)
    _apply_fields(locked, fields)
    locked.full_clean(exclude=["slug"], validate_unique=False)
    locked.save()
    _set_related(locked, **related)
    after = submission_snapshot(locked)
    if after != before:
        last = locked.revisions.aggregate(n=Max("number"))["n"] or 0
        locked._last_revision = Revision.objects.create(
            item=locked, number=last + 1, author=actor, data=before
        )
    return locked


@transaction.atomic
def submission_submit(*, item: Submission, actor) -> Submission:
    """Send a draft (or a changed item) to the maintainers; it is frozen until they act."""
    if not has_verified_email(actor):
        raise NotPermitted(VERIFY_EMAIL_MESSAGE)
    current = _lock(item)
    check_complete(current, actor)
    resubmission = current.state == State.CHANGES_REQUESTED
    moved = _transition(item=current, actor=actor, action=Action.SUBMIT)
    transaction.on_commit(
        partial(_announce_later, item=moved, resubmission=resubmission, site=site_url()),
        robust=True,
    )
    return moved


@transaction.atomic
def submission_withdraw(*, item: Submission, actor, comment: str = "") -> Submission:
    """The author takes the item back before publication. It is kept, never deleted."""
    return _transition(item=item, actor=actor, action=Action.WITHDRAW, comment=comment)


def _announce_later(*, item: Submission, site: str, change_id=None, resubmission=False) -> None:
    """After the commit, announce the step (cases/signals.py); the community app's receiver hands
    telling people to the task worker. Robust on_commit: the change is saved; a failure here is
    logged, never a 500."""
    signals.review_step_taken.send(
        sender=type(item),
        item=item,
        change_id=change_id,
        resubmission=resubmission,
        site=site,
    )


def _decide(*, item: Submission, actor, action: str, comment: str) -> Submission:
    moved = _transition(item=item, actor=actor, action=action, comment=comment)
    transaction.on_commit(
        partial(_announce_later, item=moved, change_id=moved._last_change.pk, site=site_url()),
        robust=True,
    )
    return moved


@transaction.atomic
def submission_publish(*, item: Submission, actor, comment: str) -> Submission:
    return _decide(item=item, actor=actor, action=Action.PUBLISH, comment=comment)


@transaction.atomic
def submission_request_changes(*, item: Submission, actor, comment: str) -> Submission:
    return _decide(item=item, actor=actor, action=Action.REQUEST_CHANGES, comment=comment)


@transaction.atomic
def submission_reject(*, item: Submission, actor, comment: str) -> Submission:
    return _decide(item=item, actor=actor, action=Action.REJECT, comment=comment)


# One service per action, so views and tests can dispatch on the table's actions.
ACTION_SERVICES = {
    Action.SUBMIT: submission_submit,
    Action.WITHDRAW: submission_withdraw,
    Action.PUBLISH: submission_publish,
    Action.REQUEST_CHANGES: submission_request_changes,
    Action.REJECT: submission_reject,
}


def submission_act(*, item: Submission, actor, action: str, comment: str = "") -> Submission:
    """Dispatch `action` to its service (submit takes no comment)."""
    service = ACTION_SERVICES.get(action)
    if service is None:
        raise InvalidTransition("Unknown action.")
    if action == Action.SUBMIT:
        return service(item=item, actor=actor)
    return service(item=item, actor=actor, comment=comment)


# --- evidence that ages (cases/ageing.py) ----------------------------------------------------


@transaction.atomic
def submission_reconfirm(*, item: Submission, actor) -> Submission:
    """Confirm in one step that published evidence still holds: it is fresh again for
    settings.EVIDENCE_AGEING_MONTHS, and the reminder may be sent again when it next ages.

    Recorded as a Confirmation (who, when, and the confirmation it replaces); nothing is lost.
    It changes public pages (the "ageing" label, fresh-only criteria), so the page cache is
    bumped, and a maturity snapshot is recorded on commit with it (factors/history.py).
    """
    locked = _lock(item)
    check_reconfirm(locked, actor)
    now = timezone.now()
    previous = last_confirmed(locked.published_at, locked.confirmed_at)
    type(locked).objects.filter(pk=locked.pk).update(confirmed_at=now, reminded_at=None)
    locked.confirmed_at, locked.reminded_at = now, None
    locked._last_confirmation = Confirmation.objects.create(
        item=locked, actor=actor, previously_confirmed_at=previous, created_at=now
    )
    generation_bump_on_commit()  # update() sends no post_save
    return locked


def remind_ageing(*, now=None) -> int:
    """Remind the author of each ageing item once (the daily `manage.py remind_ageing`).

    An item is due when it is ageing and `reminded_at` is None (not reminded since its last
    confirmation: a re-confirmation clears it). Each item is its own transaction: the reminder
    is queued and `reminded_at` set together, and an item re-confirmed meanwhile is left
    alone. An item without an author (a deleted account) is marked without a message. An item
    that became ageing changes public pages (its label), so the page cache is bumped then.
    Returns how many reminders were made.
    """
    now = now or timezone.now()
    sent = 0
    for model in SUBMISSION_MODELS.values():
        due = model.objects.ageing(now=now).filter(reminded_at__isnull=True)
        for pk in due.order_by("pk").values_list("pk", flat=True):
            with transaction.atomic():
                item = (
                    due.filter(pk=pk).select_for_update(of=("self",))
                    .select_related("author", "domain").first()
                )  # fmt: skip
                if item is None:
                    continue  # re-confirmed (or reminded) meanwhile
                model.objects.filter(pk=pk).update(reminded_at=now)
                generation_bump_on_commit()  # it now shows as ageing
                if item.author_id is not None:
                    # Inside the transaction: the reminder is made (community app) with
                    # reminded_at, or neither is.
                    signals.ageing_reminder_due.send(sender=model, item=item)
                    sent += 1
    return sent
