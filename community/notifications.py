"""Notifications: the on-site inbox, email with one-click unsubscribe, hooks for other apps.

`notify()` is the one way to tell members something. For each recipient it reads
their choice for the kind (email and inbox, inbox only, off), stores the inbox
entry, and queues the email for the task worker (outbox), unless the member has
reached the hourly email limit (settings.NOTIFICATION_EMAILS_PER_HOUR): the excess
goes only to the inbox.

Hooks for other apps (call them inside the transaction that made the change):
- notify_submission_decided(item=..., decision=..., comment=..., actor=...)
- notify_maintainer_comment(item=..., comment=..., actor=...)
- notify_phase_change(factor, change)
- notify_evidence_published(item=...)
"""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from agentops_web.siteurl import absolute_url
from outbox.services import email_queue, one_line

from .models import Follow, Notification, NotificationKind, NotifyChoice, Profile

UNSUBSCRIBE_SALT = "community.unsubscribe"
logger = logging.getLogger(__name__)


def unsubscribe_token(*, user, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str]:
    """(user id, kind) from a token; raises signing.BadSignature when tampered."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("u"), int)
        or data.get("k") not in NotificationKind.values
    ):
        raise signing.BadSignature("Unexpected unsubscribe token contents.")
    return data["u"], data["k"]


def unsubscribe_url(*, user, kind: str) -> str:
    return absolute_url(
        reverse("community:unsubscribe", args=[unsubscribe_token(user=user, kind=kind)])
    )


def _email(n: Notification, recipient) -> EmailMessage:
    """The email for one notification: its text, its link, and how to stop such emails."""
    unsubscribe = unsubscribe_url(user=recipient, kind=n.kind)
    lines = [n.body.strip(), ""] if n.body.strip() else []
    if n.url:
        lines += [f"See it on the site: {absolute_url(n.url)}", ""]
    lines += [
        "—",
        f"You get this email because of your choice for: {n.get_kind_display()}.",
        f"Stop these emails with one click: {unsubscribe}",
        f"All your choices: {absolute_url(reverse('community:settings'))}",
    ]
    return EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{n.subject}",
        body="\n".join(lines),
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _recent_email_counts(user_ids: list[int]) -> dict[int, int]:
    since = timezone.now() - timedelta(hours=1)
    rows = (
        Notification.objects.filter(recipient_id__in=user_ids, emailed_at__gte=since)
        .values("recipient_id")
        .annotate(n=Count("pk"))
    )
    return {row["recipient_id"]: row["n"] for row in rows}


@transaction.atomic
def notify(
    *,
    recipients: Iterable,
    kind: str,
    subject: str,
    body: str = "",
    url: str = "",
    actor=None,
) -> list[Notification]:
    """Tell each recipient (never the actor, never an inactive account) as they chose.

    The emails are queued for the task worker (outbox), all in one batch, sent once the
    transaction commits: nothing is sent inside the request."""
    if kind not in NotificationKind.values:
        raise ValueError(f"Unknown notification kind {kind!r}.")
    people = {}
    for user in recipients:
        if user is None or not user.is_active:
            continue
        if actor is not None and user.pk == actor.pk:
            continue
        people[user.pk] = user
    if not people:
        return []
    profiles = Profile.objects.in_bulk(list(people))
    default = Profile._meta.get_field(f"notify_{kind}").default
    choices = {pk: (profiles[pk].choice_for(kind) if pk in profiles else default) for pk in people}
    wanted = [pk for pk, choice in choices.items() if choice != NotifyChoice.OFF]
    emailing = [pk for pk in wanted if choices[pk] == NotifyChoice.EMAIL]
    sent = _recent_email_counts(emailing) if emailing else {}
    limit = settings.NOTIFICATION_EMAILS_PER_HOUR
    now = timezone.now()
    subject = one_line(subject)[:200]  # a header: one line, whatever the title held
    created = []
    for pk in wanted:
        email = choices[pk] == NotifyChoice.EMAIL
        held = email and sent.get(pk, 0) >= limit
        created.append(
            Notification(
                recipient=people[pk],
                kind=kind,
                subject=subject,
                body=body,
                url=url,
                emailed_at=now if email and not held else None,
                email_held=held,
            )
        )
    # One insert for all (40 followers: one query, not 40). pagecache: the inbox is on no
    # page cached for anonymous visitors.
    Notification.objects.bulk_create(created)  # pagecache: inbox entries are never public
    email_queue(
        _email(n, people[n.recipient_id])
        for n in created
        if n.emailed_at is not None and people[n.recipient_id].email
    )
    return created


# Hooks for other apps -------------------------------------------------------------------


def notify_submission_decided(*, item, decision: str, comment: str = "", actor=None):
    """The evidence workflow calls this when a maintainer publishes, rejects or returns an item."""
    body = f"Your submission “{item.title}”: {decision}."
    if comment:
        body += f"\n\nThe maintainer wrote:\n{comment}"
    return notify(
        recipients=[item.author],
        kind=NotificationKind.DECISION,
        subject=f"Decision on “{item.title}”: {decision}",
        body=body,
        url=_item_url(item),
        actor=actor,
    )


def notify_maintainer_comment(*, item, comment: str, actor=None):
    """A maintainer commented on a submission (without deciding it)."""
    return notify(
        recipients=[item.author],
        kind=NotificationKind.COMMENT,
        subject=f"A maintainer commented on “{item.title}”",
        body=comment,
        url=_item_url(item),
        actor=actor,
    )


def _item_url(item) -> str:
    """The author's own page of a submission (the public page exists only once published)."""
    return reverse("cases:submission_detail", kwargs={"kind": type(item).KIND, "pk": item.pk})


def _followers(*, factors=(), domains=()):
    from django.contrib.auth import get_user_model

    factor_ids = [f.pk for f in factors]
    domain_ids = [d.pk for d in domains]
    if not factor_ids and not domain_ids:
        return []
    ids = Follow.objects.filter(Q(factor_id__in=factor_ids) | Q(domain_id__in=domain_ids))
    return list(
        get_user_model().objects.filter(pk__in=ids.values("user_id"), is_active=True).distinct()
    )


def notify_phase_change(factor, change):
    """Tell the followers of a factor that it moved phase. Call inside the promotion's transaction
    (or from transaction.on_commit)."""
    if factor is None:
        return []
    body = f"{factor} moved from {change.from_phase or '—'} to {change.to_phase}."
    if getattr(change, "rationale", ""):
        body += f"\n\nWhy: {change.rationale}"
    return notify(
        recipients=_followers(factors=[factor]),
        kind=NotificationKind.PHASE,
        subject=f"{factor} is now {change.to_phase}",
        body=body,
        url=factor.get_absolute_url(),
        actor=getattr(change, "changed_by", None),
    )


def evidence_factors(item) -> list:
    return item.factor_list()


def notify_evidence_published(*, item):
    """Tell the followers of the item's domain and factors that new evidence is out."""
    return notify(
        recipients=_followers(factors=evidence_factors(item), domains=[item.domain]),
        kind=NotificationKind.FOLLOWING,
        subject=f"New evidence: {item.title}",
        body=f"“{item.title}” was published ({item.domain}).",
        url=item.get_absolute_url(),
        actor=item.author,
    )
