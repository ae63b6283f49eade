"""Carrying the activity measures through a snapshot (export, import and counting).

- `activity_export(now)`: for each person counted by `active_collaborators` or
  `engaged_members` over the window ending `now`, the time of their latest activity, sorted,
  with nothing that identifies them. Collaborators: their latest published item (exact).
  Engaged members: the engagement sources say only who took part since a time, so the
  latest activity is found to the day (the end of the day it fell in, so counts at export
  and shortly after are exact).
- `activity_import(data)`: stores them as CarriedActivity rows.
- `install()` (from OpendataConfig.ready()): the two framework measures count the carried
  people active since the window's start (each a placeholder account) with the live ones;
  active collaborators leaves out the placeholder authors an import makes for the evidence
  (those people are counted through what was carried).
"""

import uuid
from datetime import datetime, timedelta
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Max, Q

from cases.models import SUBMISSION_MODELS
from factors import measuring
from pagecache.generation import generation_bump_on_commit

from .models import CarriedActivity

PLACEHOLDER_EMAIL_DOMAIN = "snapshot.invalid"  # imported people's addresses (reserved TLD)


def _placeholder_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}email__iendswith": f"@{PLACEHOLDER_EMAIL_DOMAIN}"})


def _since(now: datetime) -> datetime:
    return now - timedelta(days=settings.ACTIVITY_WINDOW_DAYS)


def _carried(kind: str, since: datetime) -> list[datetime]:
    return list(
        CarriedActivity.objects.filter(kind=kind, at__gte=since).values_list("at", flat=True)
    )


def collaborators_latest(now: datetime) -> list[datetime]:
    since = _since(now)
    latest: dict[int, datetime] = {}
    for model in SUBMISSION_MODELS.values():
        rows = (
            model.objects.published()
            .filter(published_at__gte=since, published_at__lte=now, author__isnull=False)
            .exclude(_placeholder_q("author__"))
            .values("author")
            .annotate(latest=Max("published_at"))
            .order_by()
        )
        for row in rows:
            latest[row["author"]] = max(latest.get(row["author"], row["latest"]), row["latest"])
    return sorted([*latest.values(), *_carried("collaborator", since)])


def _engaged_ids(since: datetime, now: datetime) -> set[int]:
    ev = SimpleNamespace(since=since, now=now)
    condition = Q(pk__in=[])
    for source in measuring.ENGAGEMENT_SOURCES.values():
        condition |= Q(pk__in=source(ev))
    users = get_user_model().objects.filter(condition).exclude(_placeholder_q())
    return set(users.values_list("pk", flat=True))


def engaged_latest(now: datetime) -> list[datetime]:
    """Each engaged person's latest activity, to the day: the end of the last day (counted
    back from `now`) since whose start they took part; `now` for the current day."""
    since = _since(now)
    days = settings.ACTIVITY_WINDOW_DAYS
    placed: set[int] = set()
    times: list[datetime] = []
    for back in range(days + 1):
        start = max(now - timedelta(days=back + 1), since)
        ids = _engaged_ids(start, now) - placed
        times += [now - timedelta(days=back)] * len(ids)
        placed |= ids
        if start == since:
            break
    return sorted([*times, *_carried("engaged", since)])


def activity_export(now: datetime) -> dict:
    return {
        "window_days": settings.ACTIVITY_WINDOW_DAYS,
        "collaborators": [t.isoformat() for t in collaborators_latest(now)],
        "engaged": [t.isoformat() for t in engaged_latest(now)],
    }


def activity_import(data: dict | None) -> int:
    """Store the carried people: one placeholder account each (no usable password, an
    address under the reserved .invalid domain) and the time of their latest activity."""
    if not data:
        return 0
    old = CarriedActivity.objects.values("user")
    get_user_model().objects.filter(pk__in=old).delete()  # a snapshot carries it all
    entries = [
        (kind, datetime.fromisoformat(at))
        for kind, key in (("collaborator", "collaborators"), ("engaged", "engaged"))
        for at in data.get(key, [])
    ]
    User = get_user_model()
    users = User.objects.bulk_create(
        User(
            email=f"carried-{uuid.uuid4().hex[:16]}@{PLACEHOLDER_EMAIL_DOMAIN}",
            display_name="",
            is_active=False,
            password=make_password(None),
        )
        for _ in entries
    )
    CarriedActivity.objects.bulk_create(
        CarriedActivity(kind=kind, at=at, user=user)
        for (kind, at), user in zip(entries, users, strict=True)
    )
    generation_bump_on_commit()  # bulk_create sends no signal; the measures changed
    return len(entries)


def _carried_people(kind: str, since: datetime):
    return CarriedActivity.objects.filter(kind=kind, at__gte=since).values("user")


def install() -> None:
    """Count carried people in the activity measures, in the measures' own single query."""

    def active_collaborators(ev) -> int:
        return ev.distinct_users(
            [
                *(
                    model.objects.published()
                    .filter(published_at__gte=ev.since, author__isnull=False)
                    .exclude(_placeholder_q("author__"))
                    .values("author")
                    for model in SUBMISSION_MODELS.values()
                ),
                _carried_people("collaborator", ev.since),
            ]
        )

    measuring.framework_measure("active_collaborators")(active_collaborators)
    measuring.engagement_source("snapshot")(lambda ev: _carried_people("engaged", ev.since))
