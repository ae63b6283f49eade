"""Notifications about the review workflow, through community.notifications.notify().

Like every notification they go to the inbox and, as each person chose (and within the
hourly email limit), by email queued for the task worker. The task worker calls these
(community/tasks.py) for each step that cases.signals.review_step_taken announced after its
commit, so nobody hears of a change that was rolled back.
"""

from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import MAINTAINERS_GROUP, User
from agentops_web.siteurl import absolute_url, site_url
from cases.ageing import ageing_months
from cases.kinds import kind_of
from cases.models import State, StateChange, Submission

from .models import NotificationKind
from .notifications import notify, notify_evidence_published


def maintainers(*, exclude=None) -> list:
    """Active maintainers (superusers included), except `exclude`."""
    qs = User.objects.filter(
        Q(is_superuser=True) | Q(groups__name=MAINTAINERS_GROUP), is_active=True
    ).distinct()
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs.order_by("email"))


def _subject(template: str, context: dict) -> str:
    """One line (notify() adds the site's prefix), whatever the title held."""
    return " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())


def notify_submitted(*, item: Submission, resubmission: bool = False) -> list:
    """Tell the maintainers (except the author) that an item waits for review: their inbox,
    and email as each chose (the "review" kind)."""
    path = reverse("cases:review_item", kwargs={"kind": type(item).KIND, "pk": item.pk})
    context = {
        "item": item,
        "kind": kind_of(item).noun,
        "resubmission": resubmission,
        "url": absolute_url(path),
        "SITE_URL": site_url(),
    }
    return notify(
        recipients=maintainers(exclude=item.author),
        kind=NotificationKind.REVIEW,
        subject=_subject("submission_submitted", context),
        body=render_to_string("emails/submission_submitted.txt", context).strip(),
        url=path,
        actor=item.author,
    )


def notify_decision(*, item: Submission, change: StateChange) -> int:
    """Tell the author what a maintainer decided, with the maintainer's comment.

    It goes through the community notifications: into the author's inbox, and by email
    only if they chose email for decisions and are under the hourly email limit (the
    email then carries a one-click unsubscribe link). When the item is published, the
    followers of its domain and factors hear about it too. Returns the emails queued.
    """
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
        "url": absolute_url(path),
        "public_url": absolute_url(item.get_absolute_url()),
        "SITE_URL": site_url(),
    }
    created = notify(
        recipients=[item.author],
        kind="decision",
        subject=_subject("submission_decision", context),
        body=render_to_string("emails/submission_decision.txt", context).strip(),
        url=path,
        actor=change.actor,
    )
    return sum(1 for n in created if n.emailed_at)


def notify_ageing(*, item: Submission) -> list:
    """Tell the author that their published evidence is ageing and how to re-confirm it
    (the "reminder" kind; once per confirmation: cases/services.remind_ageing announces it)."""
    path = reverse("cases:submission_detail", kwargs={"kind": type(item).KIND, "pk": item.pk})
    context = {
        "item": item,
        "kind": kind_of(item).noun,
        "months": ageing_months(),
        "url": absolute_url(path),
        "public_url": absolute_url(item.get_absolute_url()),
        "SITE_URL": site_url(),
    }
    return notify(
        recipients=[item.author],
        kind=NotificationKind.REMINDER,
        subject=_subject("evidence_ageing", context),
        body=render_to_string("emails/evidence_ageing.txt", context).strip(),
        url=path,
    )
