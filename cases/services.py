"""The review workflow: every change to a submission goes through these functions.

States and who may move an item between them are data (TRANSITIONS), so views,
templates and tests all read the same table. Each action locks the item's row and
checks its state inside the transaction: two maintainers deciding at once give the
second a clear "already reviewed" error, never a double decision. Every move is
recorded as a StateChange; every edit keeps the previous version as a Revision.
After the commit each step is announced (cases/signals.py): the community app tells people.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.permissions import has_verified_email, is_maintainer
from agentops_web.siteurl import site_url
from common.errors import ServiceError
from pagecache.generation import generation_bump_on_commit

from . import signals
from .ageing import last_confirmed
from .models import (
    SUBMISSION_MODELS,
    Confirmation,
    Consent,
    FormToken,
    Revision,
    State,
    StateChange,
    Submission,
)


class WorkflowError(ServiceError):
    """An action the workflow refuses; `message` is shown to the person as is."""


class NotPermitted(WorkflowError):
    """This person may not do this to this item."""


class InvalidTransition(WorkflowError):
    """The item's state does not allow this action."""


class AlreadyReviewed(InvalidTransition):
    """Another maintainer decided first (or the author withdrew meanwhile)."""


class Incomplete(WorkflowError):
    """Required fields are missing: the item cannot be submitted yet."""

    def __init__(self, message: str, missing: list[str]):
        super().__init__(message)
        self.missing = missing


class AlreadySent(WorkflowError):
    """This new-item form was sent before; `token.item` is what it made."""

    def __init__(self, token: FormToken):
        super().__init__("This form was already sent; here is what was saved.")
        self.token = token


class Action(models.TextChoices):
    SUBMIT = "submit", "Submit for review"
    WITHDRAW = "withdraw", "Withdraw"
    PUBLISH = "publish", "Publish"
    REQUEST_CHANGES = "request_changes", "Request changes"
    REJECT = "reject", "Reject"


AUTHOR = "author"
MAINTAINER = "maintainer"


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    by: str  # AUTHOR or MAINTAINER (never the item's own author)
    comment_required: bool = False


# Every allowed move. Anything not listed here is refused.
TRANSITIONS: tuple[Transition, ...] = (
    Transition(Action.SUBMIT, State.DRAFT, State.SUBMITTED, AUTHOR),
    Transition(Action.SUBMIT, State.CHANGES_REQUESTED, State.SUBMITTED, AUTHOR),
    Transition(Action.WITHDRAW, State.DRAFT, State.WITHDRAWN, AUTHOR),
    Transition(Action.WITHDRAW, State.SUBMITTED, State.WITHDRAWN, AUTHOR),
    Transition(Action.WITHDRAW, State.CHANGES_REQUESTED, State.WITHDRAWN, AUTHOR),
    Transition(Action.PUBLISH, State.SUBMITTED, State.PUBLISHED, MAINTAINER, True),
    Transition(Action.REQUEST_CHANGES, State.SUBMITTED, State.CHANGES_REQUESTED, MAINTAINER, True),
    Transition(Action.REJECT, State.SUBMITTED, State.REJECTED, MAINTAINER, True),
)
TRANSITION_TABLE: dict[tuple[str, str], Transition] = {(t.source, t.action): t for t in TRANSITIONS}
DECISIONS = (Action.PUBLISH, Action.REQUEST_CHANGES, Action.REJECT)
# States in which the author may edit the item; everything else is frozen.
EDITABLE_STATES = frozenset({State.DRAFT, State.CHANGES_REQUESTED})

# What must be filled in before an item can be submitted (drafts may be half-filled):
# each kind's model declares it.
REQUIRED_ON_SUBMIT: dict[str, tuple[str, ...]] = {
    key: model.required_on_submit for key, model in SUBMISSION_MODELS.items()
}
VERIFY_EMAIL_MESSAGE = "Please verify your email address before submitting evidence."
FROZEN_MESSAGE = (
    "This submission is with the maintainers and can't be edited until they act. "
    "You can withdraw it if you need to."
)


def transitions_for(item: Submission, user) -> list[Transition]:
    """The moves this user may make on this item now (for buttons and links)."""
    if not getattr(user, "is_authenticated", False):
        return []
    allowed = []
    for t in TRANSITIONS:
        if t.source != item.state:
            continue
        if t.by == AUTHOR and item.author_id == user.pk:
            allowed.append(t)
        elif t.by == MAINTAINER and is_maintainer(user) and item.author_id != user.pk:
            allowed.append(t)
    return allowed


def can_edit(item: Submission, user) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and item.author_id == user.pk
        and item.state in EDITABLE_STATES
    )


def missing_fields(item: Submission) -> list[str]:
    """Names of what must still be filled in before this item can be submitted."""
    missing = []
    for name in item.required_on_submit:
        value = getattr(item, type(item)._meta.get_field(name).attname)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(name)
    if item.consent == Consent.ROLE and not item.attribution_role.strip():
        missing.append("attribution_role")
    return missing + item.missing_related()


# --- snapshots (revisions) -------------------------------------------------------------


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def submission_snapshot(item: Submission) -> dict[str, Any]:
    """Every field the author can edit, including factors and quantified rows, as JSON data."""
    data: dict[str, Any] = {}
    for field in type(item)._meta.concrete_fields:
        if not field.editable or field.name in _NOT_SNAPSHOTTED:
            continue
        if field.is_relation:
            data[field.name] = getattr(item, field.attname)
            related = getattr(item, field.name)
            data[f"{field.name}_label"] = str(related) if related is not None else ""
        else:
            data[field.name] = _plain(getattr(item, field.attname))
    data.update(item.related_snapshot())
    return data


_NOT_SNAPSHOTTED = {
    "id",
    "slug",
    "author",
    "state",
    "submitted_at",
    "published_at",
    "hidden_at",
    "hidden_reason",
    "confirmed_at",
    "reminded_at",
    "is_demo",
}


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
        if name not in editable or name in _NOT_SNAPSHOTTED:
            raise ValueError(f"{name} cannot be set on a {type(item).__name__}")
        setattr(item, name, value)


def _transition(*, item: Submission, actor, action: str, comment: str = "") -> Submission:
    """Move the item by `action`, after checking the table, the actor and the comment."""
    locked = _lock(item)
    transition = TRANSITION_TABLE.get((locked.state, action))
    label = State(locked.state).label.lower()
    if transition is None:
        if action in DECISIONS and locked.state != State.DRAFT:
            raise AlreadyReviewed(
                f"This submission was already reviewed or withdrawn: it is now {label}. "
                "Nothing was changed."
            )
        raise InvalidTransition(
            f"A submission that is {label} can't be moved with “{Action(action).label}”."
        )
    if transition.by == AUTHOR and locked.author_id != getattr(actor, "pk", None):
        raise NotPermitted("Only the author can do this.")
    if transition.by == MAINTAINER:
        if not is_maintainer(actor):
            raise NotPermitted("Only maintainers can review submissions.")
        if locked.author_id == actor.pk:
            raise NotPermitted("You can't review your own submission; another maintainer must.")
    comment = (comment or "").strip()
    if transition.comment_required and not comment:
        raise WorkflowError("Please write a comment for the author explaining the decision.")

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
    if locked.author_id != getattr(actor, "pk", None):
        raise NotPermitted("Only the author can edit this submission.")
    if locked.state not in EDITABLE_STATES:
        raise NotPermitted(
            FROZEN_MESSAGE
            if locked.state == State.SUBMITTED
            else f"A {State(locked.state).label.lower()} submission can't be edited."
        )
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
    if current.author_id == getattr(actor, "pk", None) and current.state in EDITABLE_STATES:
        missing = missing_fields(current)
        if missing:
            raise Incomplete(
                "Some required parts are still empty: "
                + ", ".join(m.replace("_", " ") for m in missing)
                + ".",
                missing,
            )
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


def latest_review(changes: Iterable[StateChange]) -> StateChange | None:
    """The latest decision with its comment, from an item's (prefetched) state changes."""
    decided = [
        c
        for c in changes
        if c.to_state in (State.PUBLISHED, State.CHANGES_REQUESTED, State.REJECTED)
    ]
    return decided[-1] if decided else None


# --- evidence that ages (cases/ageing.py) ----------------------------------------------------


def can_reconfirm(item: Submission, user) -> bool:
    """The author, or a maintainer, may re-confirm published evidence (hidden is not public)."""
    if not getattr(user, "is_authenticated", False) or not item.is_published:
        return False
    return item.author_id == user.pk or is_maintainer(user)


@transaction.atomic
def submission_reconfirm(*, item: Submission, actor) -> Submission:
    """Confirm in one step that published evidence still holds: it is fresh again for
    settings.EVIDENCE_AGEING_MONTHS, and the reminder may be sent again when it next ages.

    Recorded as a Confirmation (who, when, and the confirmation it replaces); nothing is lost.
    It changes public pages (the "ageing" label, fresh-only criteria), so the page cache is
    bumped, and a maturity snapshot is recorded on commit with it (factors/history.py).
    """
    locked = _lock(item)
    if not can_reconfirm(locked, actor):
        if not locked.is_published:
            raise InvalidTransition("Only published evidence can be re-confirmed.")
        raise NotPermitted("Only the author or a maintainer can re-confirm this evidence.")
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
