"""The failure mode panel of a failure report's review page (cases.review_panels).

Beside the decision: pick the failure mode the report joins when it is published (or give a
new mode's title), and see the similar published reports with the modes they are in. Only a
"publish" decision puts the report in a mode; any other leaves modes alone. Registered by
FailureModesConfig.ready().
"""

from cases.models import FailureReport
from cases.review_panels import ReviewPanel, register
from cases.workflow import Action

from .forms import ModePickForm
from .selectors import similar_reports
from .services import NotPermitted, check_may_change, failure_mode_join


class FailureModePanel(ReviewPanel):
    form_template = "failuremodes/_mode_pick.html"
    template = "failuremodes/_similar.html"
    not_permitted = (NotPermitted,)

    @classmethod
    def applies_to(cls, item) -> bool:
        return isinstance(item, FailureReport)

    def make_form(self, data):
        # A mode it was already put in (from the mode's page) is the one offered.
        linked = {"mode": self.item.failure_modes.order_by("pk").first()}
        return ModePickForm(data, prefix="mode", initial=linked)

    def load(self) -> None:
        self.similar = similar_reports(self.item)

    def before_decision(self, *, actor, action: str) -> None:
        picked = self.form.cleaned_data
        if (picked.get("mode") is not None or picked.get("new_mode_title")) and (
            action == Action.PUBLISH
        ):
            check_may_change(actor)

    def after_decision(self, *, item, actor, action: str) -> None:
        if action != Action.PUBLISH or not isinstance(item, FailureReport):
            return
        picked = self.form.cleaned_data
        failure_mode_join(
            actor=actor,
            report=item,
            mode=picked.get("mode"),
            new_mode_title=picked.get("new_mode_title", ""),
        )


register(FailureModePanel)
