"""{{ phrase|for_count:n }}: a plural evidence phrase in the singular when n is 1.

"1 case study", "1 adaptation, 2 case studies where it worked": the lists and measure pages
name the kinds of evidence in the plural and count them; the count decides the number.
"""

from django import template

register = template.Library()

SINGULAR = {
    "case studies": "case study",
    "adaptations": "adaptation",
    "failure reports": "failure report",
    "reference implementations": "reference implementation",
    "items": "item",
}


@register.filter
def for_count(phrase: str, n) -> str:
    """The phrase with its leading plural noun made singular when n == 1 (case kept)."""
    try:
        one = int(n) == 1
    except (TypeError, ValueError):
        return phrase
    if not one:
        return phrase
    lowered = str(phrase).lower()
    for plural, singular in SINGULAR.items():
        if lowered.startswith(plural):
            head = singular.capitalize() if str(phrase)[:1].isupper() else singular
            return head + str(phrase)[len(plural) :]
    return phrase


@register.filter
def percent(change) -> str:
    """A relative change as text: −0.4 → "−40%"; none (from 0) → "n/a"."""
    from cases.improvement import percent as in_words

    return in_words(change)


@register.filter
def change(change) -> str:
    """One result's relative change as text; from 0 there is none: "from 0"."""
    return "from 0" if change is None else percent(change)
