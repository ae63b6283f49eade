"""The adaptation's form."""

from ..models import Adaptation
from .fields import FactorChoiceField
from .submission import SubmissionForm


class AdaptationForm(SubmissionForm):
    layout = [
        ("About the adaptation", ["title", "factor", "domain", "organization", "case_study"]),
        ("What happened", ["changes", "outcome"]),
        ("Publication", ["consent", "attribution_role"]),
    ]

    class Meta:
        model = Adaptation
        fields = [
            "title",
            "factor",
            "domain",
            "organization",
            "case_study",
            "changes",
            "outcome",
            "consent",
            "attribution_role",
        ]
        field_classes = {"factor": FactorChoiceField}
        labels = {"changes": "What you changed, and why", "outcome": "What happened"}
        help_texts = {"factor": "The factor you adapted. Factors are grouped by tier."}
