"""Validators shared by the apps' models and forms."""

from django.core.exceptions import ValidationError

SINGLE_LINE_MESSAGE = "Keep the title on one line: remove the line break."


def validate_single_line(value: str) -> None:
    """A title is one line: no CR, LF or other line break (it ends up in email headers)."""
    if value and str(value).splitlines() != [str(value)]:
        raise ValidationError(SINGLE_LINE_MESSAGE, code="single_line")
