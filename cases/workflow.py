"""The review workflow's rules, with no database writes: which state may go to which, who may
act, what must be filled in first, and the errors a refusal raises.

States and who may move an item between them are data (TRANSITIONS), so views, templates and
tests all read the same table (docs/reference/submission-states.md). The services that write
(cases/services.py) lock the item's row and then ask these rules before changing anything.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models

from accounts.permissions import is_maintainer
from common.errors import ServiceError

from .models import SUBMISSION_MODELS, Consent, FormToken, State, StateChange, Submission


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


def check_transition(
    item: Submission, actor, action: str, comment: str = ""
) -> tuple[Transition, str]:
    """The move `action` makes from the item's current state, once the table, the actor and the
    comment allow it, with the comment stripped; a refusal raises a WorkflowError."""
    transition = TRANSITION_TABLE.get((item.state, action))
    label = State(item.state).label.lower()
    if transition is None:
        if action in DECISIONS and item.state != State.DRAFT:
            raise AlreadyReviewed(
                f"This submission was already reviewed or withdrawn: it is now {label}. "
                "Nothing was changed."
            )
        raise InvalidTransition(
            f"A submission that is {label} can't be moved with “{Action(action).label}”."
        )
    if transition.by == AUTHOR and item.author_id != getattr(actor, "pk", None):
        raise NotPermitted("Only the author can do this.")
    if transition.by == MAINTAINER:
        if not is_maintainer(actor):
            raise NotPermitted("Only maintainers can review submissions.")
        if item.author_id == actor.pk:
            raise NotPermitted("You can't review your own submission; another maintainer must.")
    comment = (comment or "").strip()
    if transition.comment_required and not comment:
        raise WorkflowError("Please write a comment for the author explaining the decision.")
    return transition, comment


def check_edit(item: Submission, actor) -> None:
    """Refuse (NotPermitted) unless `actor` is the author and the item is not frozen."""
    if item.author_id != getattr(actor, "pk", None):
        raise NotPermitted("Only the author can edit this submission.")
    if item.state not in EDITABLE_STATES:
        raise NotPermitted(
            FROZEN_MESSAGE
            if item.state == State.SUBMITTED
            else f"A {State(item.state).label.lower()} submission can't be edited."
        )


def check_complete(item: Submission, actor) -> None:
    """Refuse (Incomplete) the author's submission of an editable item with parts still empty."""
    if item.author_id == getattr(actor, "pk", None) and item.state in EDITABLE_STATES:
        missing = missing_fields(item)
        if missing:
            raise Incomplete(
                "Some required parts are still empty: "
                + ", ".join(m.replace("_", " ") for m in missing)
                + ".",
                missing,
            )


# --- what a revision keeps, and what the author may set ----------------------------------


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
        if not field.editable or field.name in NOT_SNAPSHOTTED:
            continue
        if field.is_relation:
            data[field.name] = getattr(item, field.attname)
            related = getattr(item, field.name)
            data[f"{field.name}_label"] = str(related) if related is not None else ""
        else:
            data[field.name] = _plain(getattr(item, field.attname))
    data.update(item.related_snapshot())
    return data


NOT_SNAPSHOTTED = {
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


def check_reconfirm(item: Submission, actor) -> None:
    """Refuse (a WorkflowError) unless `actor` may re-confirm this evidence now."""
    if not can_reconfirm(item, actor):
        if not item.is_published:
            raise InvalidTransition("Only published evidence can be re-confirmed.")
        raise NotPermitted("Only the author or a maintainer can re-confirm this evidence.")
