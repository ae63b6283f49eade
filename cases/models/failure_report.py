"""Failure reports: something that went wrong, its cause, and what now prevents it."""

from django.db import models
from django.db.models import Prefetch

from factors.models import Factor

from .base import Outcome, Severity, html_field, markdown_field
from .case_study import CaseStudy
from .submission import FromCaseStudy, Submission


class FailureReport(FromCaseStudy, Submission):
    KIND = "failure"
    plural_key = "failures"
    kind_label = "Failure report"
    kind_plural = "failure reports"
    kind_description = (
        "Something that went wrong: the symptom, its impact and root cause, how it was "
        "detected and what now prevents it."
    )
    list_path = "failures"
    url_name = "failure"
    markdown_fields = ("symptom", "impact", "root_cause", "detection", "prevention")
    required_on_submit = (
        "title",
        "domain",
        "severity",
        "symptom",
        "impact",
        "root_cause",
        "detection",
        "prevention",
        "consent",
    )
    export_fields = ("severity", *markdown_fields)
    feed_field = "symptom_html"
    factor_path = "factors"
    implied_outcome = Outcome.FAILED
    filter_params = {"severity": Severity}

    factors = models.ManyToManyField(Factor, related_name="failure_reports")
    case_study = models.ForeignKey(
        CaseStudy, null=True, blank=True, on_delete=models.SET_NULL, related_name="failure_reports"
    )
    severity = models.CharField(max_length=20, choices=Severity.choices, default=Severity.MEDIUM)
    symptom = markdown_field("What was seen going wrong. Markdown.")
    symptom_html = html_field()
    impact = markdown_field("Who or what was affected, and how badly. Markdown.")
    impact_html = html_field()
    root_cause = markdown_field("Why it happened. Markdown.")
    root_cause_html = html_field()
    detection = markdown_field("How it was noticed. Markdown.")
    detection_html = html_field()
    prevention = markdown_field("What now prevents it. Markdown.")
    prevention_html = html_field()

    class Meta(Submission.Meta):
        indexes = [models.Index(fields=["state", "published_at"], name="failure_state_pub")]

    @classmethod
    def with_list_relations(cls, qs):
        return super().with_list_relations(qs).prefetch_related("factors")

    @classmethod
    def with_public_relations(cls, qs):
        """…and the failure modes it is in (failuremodes), with what addresses them."""
        modes = cls.related_model_objects("failure_modes")
        return cls.with_detail_relations(qs).prefetch_related(
            Prefetch("failure_modes", modes.select_related("addressed_by").order_by("title"))
        )

    @property
    def short_note(self) -> str:
        return f"{self.get_severity_display().lower()} severity"

    def factor_list(self) -> list:
        return list(self.factors.all())

    csv_columns = ("severity", "factors", "case_study")

    def csv_values(self, absolute) -> list:
        return [
            self.severity,
            "; ".join(f"{f.roman} {f.title}" for f in self.factors.all()),
            self._published_case_study_url(absolute),
        ]

    def export_related(self, published_case_studies: dict[int, str]) -> dict:
        return {
            "factors": [f.number for f in self.factors.all()],
            **super().export_related(published_case_studies),
        }

    def import_related_after_save(self, data: dict, *, factors: dict) -> None:
        self.factors.set([factors[n] for n in data["factors"]])

    def missing_related(self) -> list[str]:
        return [] if self.factors.exists() else ["factors"]

    def related_snapshot(self) -> dict:
        return {
            "factors": [
                {"factor": f.pk, "factor_label": str(f)} for f in self.factors.order_by("number")
            ]
        }

    @classmethod
    def related_revision_fields(cls, data: dict) -> list[tuple[str, str]]:
        if "factors" not in data:
            return []
        return [("Factors", "\n".join(f["factor_label"] for f in data["factors"]))]

    def set_related(self, *, factors=None, **related) -> None:
        if factors is not None:
            self.factors.set(list(factors))
