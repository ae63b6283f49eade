"""Evidence that ages: when published evidence counts as "ageing".

Published evidence is *confirmed* when it is published and each time its author (or a
maintainer) re-confirms it; it is *ageing* once its last confirmation is older than
settings.EVIDENCE_AGEING_MONTHS calendar months. Re-confirming starts the window again.

Pure: no database. The model's properties (Submission.is_ageing …), the querysets
(`.ageing()`, `.confirmed_since()`), the reminder (cases/services.py) and the fresh-only
criteria (factors/measuring.py) all use these functions, so they agree on the boundary:
evidence confirmed exactly `months` ago is still fresh; a moment earlier, it is ageing.
"""

from __future__ import annotations

import calendar
from datetime import datetime

from django.conf import settings
from django.utils import timezone


def ageing_months() -> int:
    return settings.EVIDENCE_AGEING_MONTHS


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the last day of a shorter
    month: 31 August less 6 months is 28 or 29 February)."""
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def ageing_cutoff(now: datetime | None = None, months: int | None = None) -> datetime:
    """Evidence last confirmed before this moment is ageing; at or after it, fresh."""
    return months_before(now or timezone.now(), ageing_months() if months is None else months)


def last_confirmed(published_at: datetime | None, confirmed_at: datetime | None) -> datetime | None:
    """When the evidence was last confirmed: the later of its publication and its latest
    re-confirmation (None for evidence never published)."""
    moments = [m for m in (published_at, confirmed_at) if m is not None]
    return max(moments) if moments else None


def is_ageing(
    published_at: datetime | None,
    confirmed_at: datetime | None,
    *,
    now: datetime | None = None,
    months: int | None = None,
) -> bool:
    """Whether evidence published at `published_at` and last re-confirmed at `confirmed_at`
    (None: never) is ageing at `now`. Never-published evidence does not age."""
    confirmed = last_confirmed(published_at, confirmed_at)
    return confirmed is not None and confirmed < ageing_cutoff(now, months)
