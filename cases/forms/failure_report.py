"""The failure report's form."""

from django import forms

from ..models import FailureReport
from .fields import FactorMultipleChoiceField
from .submission import SubmissionForm


class FailureReportForm(SubmissionForm):
    layout = [
        (
            "About the failure",
            ["title", "factors", "severity", "domain", "organization", "case_study"],
        ),
        ("What happened", ["symptom", "impact", "root_cause", "detection", "prevention"]),
        ("Publication", ["consent", "attribution_role"]),
    ]

    class Meta:
        model = FailureReport
        fields = [
            "title",
            "factors",
            "severity",
            "domain",
            "organization",
            "case_study",
            "symptom",
            "impact",
            "root_cause",
            "detection",
            "prevention",
            "consent",
            "attribution_role",
        ]
        field_classes = {"factors": FactorMultipleChoiceField}
        widgets = {"factors": forms.CheckboxSelectMultiple}
        labels = {"root_cause": "Root cause", "detection": "How it was detected"}
        help_texts = {
            "factors": "The factor or factors involved, grouped by tier.",
            "severity": "How bad it was at its worst.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["factors"].required = self.submitting
        self.fields["factors"].help_text = "Needed to submit. " + self.fields["factors"].help_text

    def service_kwargs(self, formset=None) -> dict:
        return {**super().service_kwargs(), "factors": list(self.cleaned_data.get("factors", []))}

    def preview_related(self, formset=None) -> dict[str, list]:
        factors = getattr(self, "cleaned_data", {}).get("factors") or []
        return {"factors": sorted(factors, key=lambda f: f.number)}
