"""Running a service's action from a view, the same way everywhere.

    if form.is_valid() and attempt(
        request, lambda: services.thread_decide(...), form=form, success="The decision is recorded."
    ):
        return redirect(thread)

A refusal (a ValidationError: ServiceError or full_clean()'s own) is shown with
common.errors.show_error (on `form`, else as a flash message); otherwise `success` is flashed.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError

from .errors import show_error


def attempt(request, action: Callable[[], object], *, success: str, form=None) -> bool:
    """Run `action()`; True when it is done (and `success` flashed), False when it was
    refused (and the refusal shown)."""
    try:
        action()
    except ValidationError as error:
        show_error(request, error, form=form)
        return False
    messages.success(request, success)
    return True
