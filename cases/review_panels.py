"""Panels other apps add to the review page of an item (an extension point owned by cases).

The review page (cases/views_review.py) shows the item and the decision form; an app that
has something to add for some items (failuremodes: the mode a failure report joins, and the
similar reports) subclasses ReviewPanel and calls register() from its AppConfig.ready(). cases
imports nothing from those apps.

For each request the page binds every panel that applies to the item to the POSTed data. A
panel may have a form (with its own prefix) shown inside the decision form
(`form_template`) and a part shown after the decision (`template`); both are included with
`panel` in their context. A decision is recorded only when the decision form and every
panel's form are valid; `decide()` then runs, in one transaction, each panel's
before_decision() (it may refuse with a ServiceError), the decision itself, and each
panel's after_decision() with the item as decided. A refusal rolls all of it back.
"""

from django.db import transaction

from . import services


class ReviewPanel:
    """One panel of the review page, bound to an item (and the POSTed data, if any)."""

    form_template = ""  # included inside the decision form, before its button
    template = ""  # included after the decision
    # Refusals (ServiceError subclasses) the page answers with 403 Forbidden, not 409.
    not_permitted: tuple[type[Exception], ...] = ()

    @classmethod
    def applies_to(cls, item) -> bool:
        return True

    def __init__(self, item, data=None):
        self.item = item
        self.form = self.make_form(data)

    def make_form(self, data):
        """The panel's form, bound to `data` when given; None when it has none."""
        return None

    def is_valid(self) -> bool:
        return self.form is None or self.form.is_valid()

    def load(self) -> None:
        """Read what the page shows (called once, when the page is drawn)."""

    def before_decision(self, *, actor, action: str) -> None:
        """May refuse the decision (raise a ServiceError) before anything is written."""

    def after_decision(self, *, item, actor, action: str) -> None:
        """Act on the panel's form now that `item` is decided, in the same transaction."""


_PANELS: list[type[ReviewPanel]] = []


def register(panel: type[ReviewPanel]) -> type[ReviewPanel]:
    """Add a panel to every review page it applies to (once, whatever the calls)."""
    if panel not in _PANELS:
        _PANELS.append(panel)
    return panel


def panels_for(item, data=None) -> list[ReviewPanel]:
    """The registered panels that apply to `item`, bound to it and to `data`."""
    return [panel(item, data) for panel in _PANELS if panel.applies_to(item)]


def is_not_permitted(error: Exception, panels: list[ReviewPanel]) -> bool:
    """Whether a refusal is about who may decide (403), rather than the item's state (409)."""
    refusals = [services.NotPermitted, *(e for panel in panels for e in panel.not_permitted)]
    return isinstance(error, tuple(refusals))


@transaction.atomic
def decide(*, item, actor, action: str, comment: str, panels: list[ReviewPanel]):
    """Record the review decision on `item`, with what each panel does with it."""
    for panel in panels:
        panel.before_decision(actor=actor, action=action)
    decided = services.submission_act(item=item, actor=actor, action=action, comment=comment)
    for panel in panels:
        panel.after_decision(item=decided, actor=actor, action=action)
    return decided
