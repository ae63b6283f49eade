"""Adaptations: one factor changed to fit a context, why, and what happened."""

from django.db import models

from factors.models import Factor

from .base import Outcome, html_field, markdown_field
from .case_study import CaseStudy
from .submission import FromCaseStudy, Submission


class Adaptation(FromCaseStudy, Submission):
    KIND = "adaptation"
    plural_key = "adaptations"
    kind_label = "Adaptation"
    kind_plural = "adaptations"
    kind_description = (
        "One factor you had to change to fit your context: what you changed, why, and what "
        "happened."
    )
    list_path = "adaptations"
    url_name = "adaptation"
    markdown_fields = ("changes", "outcome")
    required_on_submit = ("title", "domain", "factor", "changes", "outcome", "consent")
    draft_required = ("title", "domain", "factor")
    export_fields = markdown_fields
    feed_field = "changes_html"
    factor_path = "factor"
    implied_outcome = Outcome.ADAPTED

    factor = models.ForeignKey(Factor, on_delete=models.PROTECT, related_name="adaptations")
    case_study = models.ForeignKey(
        CaseStudy, null=True, blank=True, on_delete=models.SET_NULL, related_name="adaptations"
    )
    changes = markdown_field(
        "What you changed in the factor, and why your context needed it. Markdown."
    )
    changes_html = html_field()
    outcome = markdown_field("What happened after the change. Markdown.")
    outcome_html = html_field()

    class Meta(Submission.Meta):
        indexes = [models.Index(fields=["state", "published_at"], name="adaptation_state_pub")]

    @classmethod
    def with_list_relations(cls, qs):
        return super().with_list_relations(qs).select_related("factor")

    @classmethod
    def with_public_relations(cls, qs):
        return cls.with_detail_relations(qs).select_related("factor__phase")

    def factor_list(self) -> list:
        return [self.factor] if self.factor_id else []

    csv_columns = ("factor", "case_study")

    def csv_values(self, absolute) -> list:
        return [
            f"{self.factor.roman} {self.factor.title}",
            self._published_case_study_url(absolute),
        ]

    def export_related(self, published_case_studies: dict[int, str]) -> dict:
        return {"factor": self.factor.number, **super().export_related(published_case_studies)}

    def import_related(self, data: dict, *, factors: dict, case_studies: dict) -> dict:
        return {
            "factor": factors[data["factor"]],
            **super().import_related(data, factors=factors, case_studies=case_studies),
        }
