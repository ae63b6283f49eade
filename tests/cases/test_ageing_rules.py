"""The ageing rule itself (cases/ageing.py), with fixed moments: no database."""

import pytest

from cases.ageing import ageing_cutoff, is_ageing, last_confirmed, months_before
from tests.clock import at, frozen


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (at(2026, 7, 10, 12), 18, at(2025, 1, 10, 12)),
        (at(2026, 1, 15), 1, at(2025, 12, 15)),  # across a year
        (at(2026, 8, 31), 6, at(2026, 2, 28)),  # a shorter month: its last day
        (at(2024, 8, 31), 6, at(2024, 2, 29)),  # a leap year
        (at(2026, 3, 31, 9, 30), 0, at(2026, 3, 31, 9, 30)),
    ],
)
def test_months_before_counts_calendar_months(moment, months, expected):
    assert months_before(moment, months) == expected


def test_last_confirmed_is_the_later_of_publication_and_re_confirmation():
    published = at(2025, 1, 10)
    assert last_confirmed(published, None) == published
    assert last_confirmed(published, at(2026, 2, 1)) == at(2026, 2, 1)
    assert last_confirmed(None, None) is None


def test_the_boundary_confirmed_exactly_the_window_ago_is_still_fresh(settings):
    settings.EVIDENCE_AGEING_MONTHS = 18
    published = at(2025, 1, 10, 12)
    assert not is_ageing(published, None, now=at(2026, 7, 10, 12))  # exactly 18 months
    assert is_ageing(published, None, now=at(2026, 7, 10, 12, 0, 1))  # one second more
    # Re-confirmed a year after publishing: fresh until 18 months after that.
    assert not is_ageing(published, at(2026, 1, 10, 12), now=at(2027, 7, 10, 12))
    assert is_ageing(published, at(2026, 1, 10, 12), now=at(2027, 7, 10, 12, 0, 1))
    assert not is_ageing(None, None, now=at(2030, 1, 1))  # never published: does not age


def test_the_window_is_the_setting(settings):
    settings.EVIDENCE_AGEING_MONTHS = 6
    with frozen(at(2026, 7, 10, 12)):
        assert ageing_cutoff() == at(2026, 1, 10, 12)
        assert is_ageing(at(2026, 1, 10, 11), None)
        assert not is_ageing(at(2026, 1, 10, 12), None)
