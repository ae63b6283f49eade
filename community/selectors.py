"""Reads for the community pages and the maturity measures; each runs a fixed number of queries."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Count, Q
from django.utils import timezone

from cases.models import SUBMISSION_MODELS, Consent, Domain

from .models import Flag, Follow, Notification, Profile, Reply, Thread, ThreadKind

FACTOR_PAGE_THREADS = 10
PROFILE_ITEMS = 50


def activity_since():
    return timezone.now() - timedelta(days=settings.ACTIVITY_WINDOW_DAYS)


def factor_threads_context(factor, user=None) -> dict:
    """What the factor page's threads section needs: its latest open threads (one query),
    and whether the user follows the factor (one more query, signed-in users only)."""
    rows = list(
        Thread.objects.open()
        .filter(factor=factor)
        .select_related("author")
        .annotate(
            reply_count=Count("replies", filter=Q(replies__hidden_at__isnull=True)),
        )
        .order_by("-last_activity_at", "-pk")[: FACTOR_PAGE_THREADS + 1]
    )
    following = False
    if user is not None and user.is_authenticated:
        following = Follow.objects.filter(user=user, factor=factor).exists()
    return {
        "factor": factor,
        "open_threads": rows[:FACTOR_PAGE_THREADS],
        "more_open_threads": len(rows) > FACTOR_PAGE_THREADS,
        "following_factor": following,
        "thread_kinds": ThreadKind,
    }


def threads_filtered(*, kind: str = "", factor=None, status: str = "", include_hidden=False):
    qs = Thread.objects.all() if include_hidden else Thread.objects.visible()
    if kind:
        qs = qs.filter(kind=kind)
    if factor is not None:
        qs = qs.filter(factor=factor)
    if status:
        qs = qs.filter(status=status)
    return qs.for_list()


def threads_with_people():
    """Threads with what a thread's page shows about them: factor (and phase), author and
    who decided."""
    return Thread.objects.select_related("factor__phase", "author", "decided_by")


def thread_replies(thread):
    return thread.replies.select_related("author")


def open_flags():
    """Open flags for the moderation page, each with who flagged it and the flagged item (a
    thread, a reply with its thread, or a submission): a fixed number of queries a page."""
    return (
        Flag.objects.open()
        .select_related("flagged_by", "content_type")
        .prefetch_related(
            GenericPrefetch(
                "item",
                [
                    Thread.objects.all(),
                    Reply.objects.select_related("thread"),
                    *(m.objects.all() for m in SUBMISSION_MODELS.values()),
                ],
            )
        )
    )


def active_users():
    return get_user_model().objects.filter(is_active=True)


def settings_of(user) -> tuple[Profile, list[Follow]]:
    """A member's profile (unsaved and empty when there is none yet) and follows."""
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    return profile, list(Follow.objects.filter(user=user))


def published_count_of(user) -> int:
    """How many published items of every kind the member wrote (kept when they leave)."""
    return sum(
        m.objects.published().filter(author=user).count() for m in SUBMISSION_MODELS.values()
    )


def notifications_of(user):
    return Notification.objects.filter(recipient=user)


def public_evidence_of(user, *, limit: int = PROFILE_ITEMS) -> list:
    """A member's published evidence credited by name: never anonymous or role-only items."""
    items = []
    for model in SUBMISSION_MODELS.values():
        items += list(
            model.objects.published()
            .filter(author=user, consent=Consent.NAME)
            .select_related("domain")
            .order_by("-published_at")[:limit]
        )
    items.sort(key=lambda i: i.published_at or i.created_at, reverse=True)
    return items[:limit]


def public_feedback_of(user, *, limit: int = PROFILE_ITEMS) -> dict:
    threads = list(
        Thread.objects.visible()
        .filter(author=user)
        .select_related("factor")
        .order_by("-created_at")[:limit]
    )
    replies = list(
        Reply.objects.visible()
        .filter(author=user)
        .select_related("thread")
        .order_by("-created_at")[:limit]
    )
    return {"threads": threads, "replies": replies}


def feedback_author_ids(*, since=None) -> set[int]:
    """People who opened a thread or replied within the activity window (visible feedback)."""
    since = since or activity_since()
    ids = set(
        Thread.objects.visible()
        .filter(created_at__gte=since, author__isnull=False)
        .values_list("author_id", flat=True)
    )
    ids |= set(
        Reply.objects.visible()
        .filter(created_at__gte=since, author__isnull=False)
        .values_list("author_id", flat=True)
    )
    return ids


def open_challenges_by_factor() -> dict[int, int]:
    """{factor id: open, visible challenge threads} (one query)."""
    rows = Thread.objects.open().challenges().values("factor_id").annotate(n=Count("pk")).order_by()
    return {row["factor_id"]: row["n"] for row in rows}


def contributors_by_domain(*, since=None) -> list[tuple[object, list]]:
    """Who contributed within the window, grouped by domain: [(domain or None, [user, ...])].

    Evidence counts only when credited by name, so anonymous and role-only items never
    reveal who wrote them. Feedback authors are placed under the domain they chose to
    show; otherwise under "Domain not given".
    """
    since = since or activity_since()
    by_user_domains: dict[int, set] = defaultdict(set)
    for model in SUBMISSION_MODELS.values():
        rows = (
            model.objects.published()
            .filter(published_at__gte=since, consent=Consent.NAME, author__isnull=False)
            .values_list("author_id", "domain_id")
            .distinct()
        )
        for author_id, domain_id in rows:
            by_user_domains[author_id].add(domain_id)
    feedback_ids = feedback_author_ids(since=since)
    all_ids = set(by_user_domains) | feedback_ids
    users = {
        u.pk: u
        for u in get_user_model()
        .objects.filter(pk__in=all_ids, is_active=True)
        .order_by("display_name", "email")
    }
    profiles = Profile.objects.in_bulk(list(users))
    for pk in feedback_ids:
        if pk in by_user_domains:
            continue
        profile = profiles.get(pk)
        by_user_domains[pk].add(profile.domain_id if profile and profile.show_domain else None)
    domains = Domain.objects.in_bulk({d for ds in by_user_domains.values() for d in ds if d})
    groups: dict = defaultdict(list)
    for pk, domain_ids in by_user_domains.items():
        if pk not in users:
            continue
        for domain_id in domain_ids:
            groups[domain_id].append(users[pk])
    result = []
    for domain_id, people in groups.items():
        people.sort(key=lambda u: u.public_name.lower())
        result.append((domains.get(domain_id) if domain_id else None, people))
    result.sort(key=lambda pair: (pair[0] is None, pair[0].name if pair[0] else ""))
    return result
