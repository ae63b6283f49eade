"""Community actions: every write goes through one of these functions.

Keyword-only, typed, atomic; follow-up email is queued by community.notifications
with transaction.on_commit. A refused action raises ServiceError (common/errors.py) with
a message meant for the person (views show it next to what they typed).
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.permissions import is_maintainer
from cases.models import SUBMISSION_MODELS, State
from common.errors import ServiceError
from factors.models import Factor
from pagecache.generation import generation_bump_on_commit

from .models import (
    Flag,
    FlagStatus,
    Follow,
    Notification,
    NotificationKind,
    NotifyChoice,
    Profile,
    Reply,
    ReplyRevision,
    Thread,
    ThreadStatus,
    ThreadStatusChange,
)
from .notifications import _followers, notify

User = get_user_model()


# Threads and replies ----------------------------------------------------------------------


def _thread_participants(thread: Thread) -> list:
    ids = set(thread.replies.exclude(author=None).values_list("author_id", flat=True))
    if thread.author_id:
        ids.add(thread.author_id)
    return list(User.objects.filter(pk__in=ids, is_active=True))


@transaction.atomic
def thread_create(
    *, author, factor: Factor, kind: str, title: str, body: str, evidence=None
) -> Thread:
    if evidence is not None and not getattr(evidence, "is_published", False):
        raise ServiceError({"evidence": "Link only to published evidence."})
    thread = Thread(factor=factor, kind=kind, title=title.strip(), body=body, author=author)
    if evidence is not None:
        thread.evidence = evidence
    thread.full_clean()
    thread.save()
    notify(
        recipients=_followers(factors=[factor]),
        kind=NotificationKind.FOLLOWING,
        subject=f"New {thread.get_kind_display().lower()} on {factor}: {thread.title}",
        body=f"{thread.author_name} opened a thread on {factor}.",
        url=thread.get_absolute_url(),
        actor=author,
    )
    return thread


def reply_refusal(*, thread: Thread) -> str:
    """Why nobody may reply to this thread now, or "" when replies are open."""
    if thread.is_hidden:
        return "This thread was hidden by the maintainers, so it takes no more replies."
    if not thread.is_open:
        when = thread.decided_at.strftime("%-d %b %Y") if thread.decided_at else ""
        return (
            f"This thread was marked {thread.get_status_display().lower()}"
            f"{' on ' + when if when else ''}, so it takes no more replies. "
            "Your text is kept below: copy it, or start a new thread."
        )
    return ""


@transaction.atomic
def reply_create(*, thread: Thread, author, body: str) -> Reply:
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    refusal = reply_refusal(thread=thread)
    if refusal:
        raise ServiceError(refusal)
    reply = Reply(thread=thread, author=author, body=body, by_maintainer=is_maintainer(author))
    reply.full_clean()
    reply.save()
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=timezone.now())
    generation_bump_on_commit()  # the thread's place in lists changed (update() sends no signal)
    kind = NotificationKind.COMMENT if reply.by_maintainer else NotificationKind.REPLY
    who = "A maintainer" if reply.by_maintainer else author.public_name
    notify(
        recipients=_thread_participants(thread),
        kind=kind,
        subject=f"{who} replied in “{thread.title}”",
        body=body,
        url=reply.get_absolute_url(),
        actor=author,
    )
    return reply


def reply_edit_refusal(*, reply: Reply, user) -> str:
    if not user.is_authenticated or reply.author_id != user.pk:
        return "You can only edit your own replies."
    if reply.is_hidden:
        return "This reply was hidden by the maintainers and can no longer be edited."
    if reply.thread.is_hidden or not reply.thread.is_open:
        return "This thread is closed, so its replies can no longer be edited."
    return ""


@transaction.atomic
def reply_edit(*, reply: Reply, user, body: str) -> Reply:
    """The author changes their reply; the earlier text is kept as a revision."""
    reply = Reply.objects.select_for_update().select_related("thread").get(pk=reply.pk)
    refusal = reply_edit_refusal(reply=reply, user=user)
    if refusal:
        raise ServiceError(refusal)
    if body == reply.body:
        return reply
    ReplyRevision.objects.create(reply=reply, body=reply.body)
    reply.body = body
    reply.edited_at = timezone.now()
    reply.full_clean()
    reply.save()
    return reply


@transaction.atomic
def thread_decide(*, thread: Thread, actor, status: str, reason: str) -> Thread:
    """A maintainer marks a thread resolved, accepted or declined (or reopens it), with a reason."""
    if not is_maintainer(actor):
        raise ServiceError("Only maintainers can decide threads.")
    if status not in ThreadStatus.values:
        raise ServiceError({"status": "Choose resolved, accepted, declined or open."})
    if not reason.strip():
        raise ServiceError({"reason": "Give the reason: the thread's participants will read it."})
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.status == status:
        raise ServiceError(
            {"status": f"The thread is already {thread.get_status_display().lower()}."}
        )
    ThreadStatusChange.objects.create(
        thread=thread, actor=actor, from_status=thread.status, to_status=status, reason=reason
    )
    now = timezone.now()
    thread.status = status
    thread.decided_by = actor
    thread.decided_at = now
    thread.decision_reason = reason
    thread.last_activity_at = now
    thread.save(
        update_fields=["status", "decided_by", "decided_at", "decision_reason", "last_activity_at"]
    )
    notify(
        recipients=_thread_participants(thread),
        kind=NotificationKind.COMMENT,
        subject=f"“{thread.title}” was marked {thread.get_status_display().lower()}",
        body=f"A maintainer wrote:\n{reason}",
        url=thread.get_absolute_url(),
        actor=actor,
    )
    return thread


# Flags and moderation ---------------------------------------------------------------------

FLAGGABLE = {"thread": Thread, "reply": Reply, **SUBMISSION_MODELS}


def flaggable_get(kind: str, pk: int):
    """The item someone may flag, or None: visible threads and replies, published evidence."""
    model = FLAGGABLE.get(kind)
    if model is None:
        return None
    if model is Thread:
        qs = Thread.objects.visible()
    elif model is Reply:
        qs = Reply.objects.visible().select_related("thread")
    else:
        qs = model.objects.published()
    return qs.filter(pk=pk).first()


@transaction.atomic
def flag_create(*, item, user, reason: str) -> Flag:
    if not reason.strip():
        raise ServiceError({"reason": "Say what is wrong, so the maintainers can judge it."})
    content_type = ContentType.objects.get_for_model(item)
    existing = Flag.objects.filter(
        content_type=content_type, object_id=item.pk, flagged_by=user
    ).first()
    if existing:
        raise ServiceError(
            f"You already flagged this on {existing.created_at:%-d %b %Y}; "
            "the maintainers will look at it. Each person can flag an item once."
        )
    flag = Flag(content_type=content_type, object_id=item.pk, flagged_by=user, reason=reason)
    flag.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError as exc:  # a double submit racing the check above
        raise ServiceError("You already flagged this; each person can flag an item once.") from exc
    return flag


def _close_flags(*, content_type, object_id, actor, status: str, resolution: str) -> int:
    return Flag.objects.filter(
        content_type=content_type, object_id=object_id, status=FlagStatus.OPEN
    ).update(status=status, handled_by=actor, handled_at=timezone.now(), resolution=resolution)


@transaction.atomic
def item_hide(*, item, actor, reason: str) -> None:
    """Hide a thread, reply or evidence item (never delete it); the reason is recorded."""
    if not is_maintainer(actor):
        raise ServiceError("Only maintainers can hide items.")
    if not reason.strip():
        raise ServiceError({"reason": "Give the reason for hiding it; it is recorded."})
    model = type(item)
    if model not in FLAGGABLE.values():
        raise ServiceError("This kind of item cannot be hidden here.")
    now = timezone.now()
    model.objects.filter(pk=item.pk, hidden_at__isnull=True).update(
        hidden_at=now, hidden_reason=reason
    )
    generation_bump_on_commit()  # update() sends no signal: cached public pages must go
    _close_flags(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        actor=actor,
        status=FlagStatus.UPHELD,
        resolution=reason,
    )


@transaction.atomic
def flag_dismiss(*, flag: Flag, actor, note: str = "") -> Flag:
    if not is_maintainer(actor):
        raise ServiceError("Only maintainers can dismiss flags.")
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.status != FlagStatus.OPEN:
        raise ServiceError("This flag was already handled.")
    flag.status = FlagStatus.DISMISSED
    flag.handled_by = actor
    flag.handled_at = timezone.now()
    flag.resolution = note
    flag.save(update_fields=["status", "handled_by", "handled_at", "resolution"])
    return flag


@transaction.atomic
def flag_hide_item(*, flag: Flag, actor, reason: str) -> Flag:
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.status != FlagStatus.OPEN:
        raise ServiceError("This flag was already handled.")
    item = flag.content_type.get_object_for_this_type(pk=flag.object_id)
    item_hide(item=item, actor=actor, reason=reason)
    flag.refresh_from_db()
    return flag


# Profiles, follows, preferences -----------------------------------------------------------


def profile_for(user) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(*, user, display_name: str, follow_factors=(), follow_domains=(), **fields):
    """Save the settings page: name, what to show, notification choices and follows."""
    user.display_name = display_name.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name"])
    profile = profile_for(user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    follows_set(user=user, factors=follow_factors, domains=follow_domains)
    return profile


@transaction.atomic
def follows_set(*, user, factors=(), domains=()) -> None:
    factor_ids = {f.pk for f in factors}
    domain_ids = {d.pk for d in domains}
    Follow.objects.filter(user=user, factor__isnull=False).exclude(
        factor_id__in=factor_ids
    ).delete()
    Follow.objects.filter(user=user, domain__isnull=False).exclude(
        domain_id__in=domain_ids
    ).delete()
    have_f = set(Follow.objects.filter(user=user).values_list("factor_id", flat=True))
    have_d = set(Follow.objects.filter(user=user).values_list("domain_id", flat=True))
    Follow.objects.bulk_create(
        [Follow(user=user, factor_id=pk) for pk in factor_ids - have_f]
        + [Follow(user=user, domain_id=pk) for pk in domain_ids - have_d]
    )


@transaction.atomic
def follow_toggle(*, user, factor=None, domain=None, follow: bool) -> bool:
    """Follow or unfollow one factor or domain; returns whether the user now follows it."""
    target = {"factor": factor} if factor is not None else {"domain": domain}
    if follow:
        Follow.objects.get_or_create(user=user, **target)
    else:
        Follow.objects.filter(user=user, **target).delete()
    return follow


def notification_emails_on(*, user, kind: str) -> bool:
    """Whether the member gets email for this kind now (their choice, or the default)."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return Profile._meta.get_field(f"notify_{kind}").default == NotifyChoice.EMAIL
    return profile.choice_for(kind) == NotifyChoice.EMAIL


@transaction.atomic
def notification_unsubscribe(*, user, kind: str) -> bool:
    """Stop email of one kind (the inbox keeps it). Returns False if it was already stopped."""
    profile = Profile.objects.select_for_update().filter(user=user).first() or profile_for(user)
    if profile.choice_for(kind) != NotifyChoice.EMAIL:
        return False
    setattr(profile, f"notify_{kind}", NotifyChoice.INBOX)
    profile.save(update_fields=[f"notify_{kind}"])
    return True


@transaction.atomic
def notification_resubscribe(*, user, kind: str) -> None:
    profile = profile_for(user)
    setattr(profile, f"notify_{kind}", NotifyChoice.EMAIL)
    profile.save(update_fields=[f"notify_{kind}"])


def notifications_mark_read(*, user, pks=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pks is not None:
        qs = qs.filter(pk__in=pks)
    return qs.update(read_at=timezone.now())


# Leaving ----------------------------------------------------------------------------------


@transaction.atomic
def user_delete_account(*, user) -> dict[str, int]:
    """Delete a member's account and personal data.

    Published evidence stays, credited to "a former member" (its author becomes
    NULL). Drafts and every other unpublished item are deleted, with their history.
    Feedback threads and replies stay, shown as by a former member. The profile,
    follows, inbox and email addresses are deleted with the account.
    """
    removed = 0
    for model in SUBMISSION_MODELS.values():
        unpublished = model.objects.filter(author=user).exclude(state=State.PUBLISHED)
        ids = list(unpublished.values_list("pk", flat=True))
        if ids:
            Flag.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_id__in=ids
            ).delete()
            removed += len(ids)
            for item in model.objects.filter(pk__in=ids):
                item.delete()  # deletes its revisions and state changes too
    kept = sum(
        m.objects.filter(author=user, state=State.PUBLISHED).count()
        for m in SUBMISSION_MODELS.values()
    )
    user.delete()
    return {"removed_items": removed, "kept_published": kept}
