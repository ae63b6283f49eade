"""Small presentation helpers for the maturity pages."""

from django import template

from cases.models import Outcome
from factors.ranking import signed as signed_text
from factors.ranking import signed_int as signed_int_text

register = template.Library()


@register.filter
def outcome_label(value: str) -> str:
    """The label of an outcome key, e.g. worked → Worked as written."""
    try:
        return Outcome(value).label
    except ValueError:
        return value or ""


@register.filter
def coverage_bucket(count: int) -> int:
    """The shade of a coverage cell: 0 (none), 1 (1), 2 (2–4), 3 (5–9), 4 (10 or more)."""
    if count <= 0:
        return 0
    if count == 1:
        return 1
    if count < 5:
        return 2
    if count < 10:
        return 3
    return 4


@register.filter
def signed(value) -> str:
    """A normalised margin with its sign always written: +0.67, -1.00, 0.00."""
    return signed_text(float(value))


@register.filter
def signed_int(value) -> str:
    """A margin in units with its sign: +2, -1, 0."""
    return signed_int_text(int(value))


@register.filter
def labelled_by(values, names):
    """A row's values with their columns' names, [(name, value)], for stacked tables whose
    cells say which column they are (data-label). A name given as a (key, label) pair is its
    label."""
    labels = [n[-1] if isinstance(n, tuple | list) else n for n in names]
    return list(zip(labels, values, strict=False))
