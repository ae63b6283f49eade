"""One error convention for the services, and one way for views to show it.

A service that refuses an action raises `ServiceError` (or a subclass) with a message
written for the person who asked: a string, or {field: message} when the refusal is
about one field of a form. It is a `ValidationError`, so forms and `full_clean()` speak
the same language. Views show it with `show_error()`, the same way everywhere:

    try:
        thread = services.thread_create(...)
    except ValidationError as error:          # ServiceError, or full_clean()'s own
        show_error(request, error, form=form)  # beside the field, else above the form

Without a form, the message becomes a flash message (django.contrib.messages).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError


class ServiceError(ValidationError):
    """An action a service refuses; its message is shown to the person as is."""

    @property
    def text(self) -> str:
        """Every message in one line, for a flash message or a refusal page."""
        return error_text(self)


def error_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def show_error(request, error: ValidationError, *, form=None, prefix: str = "") -> None:
    """Show a refusal: on `form` (each message beside its field, or above the form when
    the field is not on it), else as an error message on the next page. `prefix` goes
    before a flash message ("Your draft was saved, but not submitted: ")."""
    if form is None:
        messages.error(request, prefix + error_text(error))
        return
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
