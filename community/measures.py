"""The community's part of the maturity measures, registered with factors/measuring.py.

- open_challenges (per factor and framework-wide): open, visible feedback threads of the
  kind "challenge".
- engaged_members: people who opened a visible feedback thread or wrote a visible reply
  within the activity window count as engaged (two engagement sources).

Imported from CommunityConfig.ready(). Both open_challenges computations share one query;
the engagement sources become part of the single engaged_members query.
"""

from django.db.models import QuerySet

from factors.measuring import engagement_source, factor_measure, framework_measure

from .models import Reply, Thread
from .selectors import open_challenges_by_factor


def _challenges(ev) -> dict[int, int]:
    """Open challenges per factor, queried once per evaluation (kept on the Evidence)."""
    return ev.memo("community:open_challenges", lambda ev: open_challenges_by_factor())


@factor_measure("open_challenges")
def factor_open_challenges(ev) -> dict[int, int]:
    return _challenges(ev)


@framework_measure("open_challenges")
def framework_open_challenges(ev) -> int:
    return sum(_challenges(ev).values())


@engagement_source("feedback_threads")
def feedback_thread_authors(ev) -> QuerySet:
    return (
        Thread.objects.visible()
        .filter(created_at__gte=ev.since, author__isnull=False)
        .values("author")
    )


@engagement_source("feedback_replies")
def feedback_reply_authors(ev) -> QuerySet:
    return (
        Reply.objects.visible()
        .filter(created_at__gte=ev.since, author__isnull=False)
        .values("author")
    )
