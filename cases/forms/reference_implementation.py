"""The reference implementation's form."""

from django import forms

from ..models import FactorImplementation, ReferenceImplementation
from .submission import FACTORS, PerFactorFields, SubmissionForm


class ReferenceImplementationForm(PerFactorFields, SubmissionForm):
    factors_help = (
        "Needed to submit: at least one factor. Tick each factor it implements; a box opens "
        "beside it to say how, in a sentence or two."
    )
    choice_prefix = "implements"
    note_label = "How it implements Factor {roman} (optional)"
    note_help = "What in it does this, where to look. Plain text."
    note_without_choice = "Tick the factor, or clear the note."
    none_chosen = "Tick at least one factor it implements (under “Factors implemented”)."
    layout = [
        (
            "About the implementation",
            ["title", "summary", "url", "licence", "domain", "organization"],
        ),
        ("Upkeep", ["maintained", "last_checked"]),
        ("How it works", ["description"]),
        ("Factors implemented", FACTORS),
        ("Publication", ["consent", "attribution_role"]),
    ]

    class Meta:
        model = ReferenceImplementation
        fields = [
            "title",
            "summary",
            "url",
            "licence",
            "domain",
            "organization",
            "maintained",
            "last_checked",
            "description",
            "consent",
            "attribution_role",
        ]
        labels = {"url": "Repository or documentation URL", "description": "How it works"}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "url": forms.URLInput(attrs={"placeholder": "https://"}),
            "last_checked": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {}
        if self.instance.pk:
            existing = {i.factor_id: i for i in self.instance.implementations.all()}
        self.add_factor_fields(existing)

    def choice_field(self, factor, row) -> forms.Field:
        return forms.BooleanField(
            label=f"Factor {factor.roman}: {factor.title}",
            required=False,
            initial=row is not None,
        )

    def clean(self):
        data = super().clean()
        self.clean_factor_fields(data)
        return data

    def implementations(self) -> list[dict]:
        return [
            {"factor": factor, "note": note}
            for factor, _, note in self.chosen_factors(self.cleaned_data)
        ]

    def service_kwargs(self, formset=None) -> dict:
        return {**super().service_kwargs(), "implementations": self.implementations()}

    def preview_related(self, formset=None) -> dict[str, list]:
        return {
            "implementations": [
                FactorImplementation(factor=row["factor"], note=row["note"])
                for row in self.implementations()
            ]
        }
