"""Email about the review workflow. Each function sends one kind of message.

The services queue these with `transaction.on_commit`, so nothing is sent for a
change that was rolled back. A failing mail server is logged, never shown to the
person whose action has already been saved.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import MAINTAINERS_GROUP, User

from .kinds import kind_of
from .models import State, StateChange, Submission

logger = logging.getLogger(__name__)


def maintainer_recipients(*, exclude=None) -> list[str]:
    """Email addresses of active maintainers (superusers included), except `exclude`."""
    qs = User.objects.filter(
        Q(is_superuser=True) | Q(groups__name=MAINTAINERS_GROUP), is_active=True
    ).distinct()
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return sorted(qs.values_list("email", flat=True))


def _send(*, template: str, context: dict, recipients: list[str]) -> int:
    if not recipients:
        return 0
    context = {**context, "SITE_URL": settings.SITE_URL}
    subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
    body = render_to_string(f"emails/{template}.txt", context)
    try:
        return send_mail(
            subject=subject,
            message=body,
            from_email=None,
            recipient_list=recipients,
        )
    except Exception:  # the action is saved; a mail outage must not undo or hide it
        logger.exception("Could not send %s email to %d recipients", template, len(recipients))
        return 0


def notify_submitted(*, item: Submission, resubmission: bool = False) -> int:
    """Tell the maintainers (except the author) that an item waits for review."""
    url = settings.SITE_URL + reverse(
        "cases:review_item", kwargs={"kind": type(item).KIND, "pk": item.pk}
    )
    return _send(
        template="submission_submitted",
        context={
            "item": item,
            "kind": kind_of(item).noun,
            "resubmission": resubmission,
            "url": url,
        },
        recipients=maintainer_recipients(exclude=item.author),
    )


def notify_decision(*, item: Submission, change: StateChange) -> int:
    """Tell the author what a maintainer decided, with the maintainer's comment.

    It goes through the community notifications: into the author's inbox, and by email
    only if they chose email for decisions and are under the hourly email limit (the
    email then carries a one-click unsubscribe link). When the item is published, the
    followers of its domain and factors hear about it too. Returns the emails queued.
    """
    from community.notifications import notify, notify_evidence_published

    published = change.to_state == State.PUBLISHED
    if published:
        notify_evidence_published(item=item)
    if item.author is None or not item.author.email:
        return 0
    path = reverse("cases:submission_detail", kwargs={"kind": type(item).KIND, "pk": item.pk})
    context = {
        "item": item,
        "kind": kind_of(item).noun,
        "change": change,
        "published": published,
        "changes_requested": change.to_state == State.CHANGES_REQUESTED,
        "rejected": change.to_state == State.REJECTED,
        "url": settings.SITE_URL + path,
        "public_url": settings.SITE_URL + item.get_absolute_url(),
        "SITE_URL": settings.SITE_URL,
    }
    subject = render_to_string("emails/submission_decision_subject.txt", context).strip()
    created = notify(
        recipients=[item.author],
        kind="decision",
        subject=subject.removeprefix(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX),
        body=render_to_string("emails/submission_decision.txt", context).strip(),
        url=path,
        actor=change.actor,
    )
    return sum(1 for n in created if n.emailed_at)
