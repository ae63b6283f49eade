"""The case study's form, with its rows of quantified results (a formset)."""

import re

from django import forms

from ..models import CaseStudy, Deployment, FactorApplication, Metric, Outcome, QuantifiedResult
from .submission import FACTORS, QUANTIFIED, PerFactorFields, SubmissionForm


class CaseStudyForm(PerFactorFields, SubmissionForm):
    factors_help = (
        "Needed to submit: at least one factor. For each factor you applied, say how it went: "
        "worked as written, worked with adaptation, or failed; a box for a note opens beside "
        "it. Leave the others as “Not applied”."
    )
    choice_prefix = "outcome"
    note_label = "Note on Factor {roman} (optional)"
    note_help = "What you did, what you changed, why it failed. Plain text."
    note_without_choice = "Choose how it went, or clear the note."
    none_chosen = "Say how at least one factor went (under “Factors applied”) to submit."
    layout = [
        (
            "About the case",
            [
                "title",
                "summary",
                "domain",
                "organization",
                "deployment",
                "duration_months",
                "team_size",
            ],
        ),
        ("The story", ["context", "approach", "results", "lessons"]),
        ("Factors applied", FACTORS),
        ("Quantified results", QUANTIFIED),
        ("Publication", ["consent", "attribution_role"]),
    ]

    duration_months = forms.IntegerField(
        label="Duration (months)",
        min_value=0,
        max_value=600,
        required=False,
        help_text="How long the work has run, in months.",
    )
    team_size = forms.IntegerField(
        min_value=1, max_value=100_000, required=False, help_text="How many people worked on it."
    )
    # No answer is chosen for the person: "Choose…" until they say.
    deployment = forms.ChoiceField(
        label="Deployment",
        choices=[("", "Choose…"), *Deployment.choices],
        required=False,
        help_text="Is this running in production, or a pilot?",
        error_messages={"required": "Choose whether it runs in production or is a pilot."},
    )

    class Meta:
        model = CaseStudy
        fields = [
            "title",
            "summary",
            "domain",
            "organization",
            "deployment",
            "duration_months",
            "team_size",
            "context",
            "approach",
            "results",
            "lessons",
            "consent",
            "attribution_role",
        ]
        labels = {
            "context": "Context and constraints",
            "approach": "What was done",
        }
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial["deployment"] = ""
        existing = {}
        if self.instance.pk:
            existing = {a.factor_id: a for a in self.instance.applications.all()}
        self.add_factor_fields(existing)

    def choice_field(self, factor, row) -> forms.Field:
        return forms.ChoiceField(
            label=f"Factor {factor.roman}: {factor.title}",
            choices=[("", "Not applied"), *Outcome.choices],
            required=False,
            initial=row.outcome if row else "",
        )

    def clean(self):
        data = super().clean()
        self.clean_factor_fields(data)
        return data

    def applications(self) -> list[dict]:
        return [
            {"factor": factor, "outcome": outcome, "note": note}
            for factor, outcome, note in self.chosen_factors(self.cleaned_data)
        ]

    def preview_related(self, formset=None) -> dict[str, list]:
        applications = [
            FactorApplication(factor=factor, outcome=outcome, note=note)
            for factor, outcome, note in self.chosen_factors(getattr(self, "cleaned_data", {}))
        ]
        rows = quantified_rows(formset) if formset is not None else []
        return {
            "applications": applications,
            "quantified": [QuantifiedResult(**row) for row in rows],
            "adaptations": [],
            "failure_reports": [],
        }

    def service_kwargs(self, formset=None) -> dict:
        kwargs = {**super().service_kwargs(), "applications": self.applications()}
        if formset is not None:
            kwargs["quantified"] = quantified_rows(formset)
        return kwargs

    @classmethod
    def make_formset(cls, *, item=None, data=None):
        metrics = list(Metric.objects.all())
        slugs = {m.pk: m.slug for m in metrics}
        form_kwargs = {"metrics": metrics}
        if data is not None:
            return QuantifiedFormSet(data, prefix=QUANTIFIED_PREFIX, form_kwargs=form_kwargs)
        initial = (
            [
                {
                    "standard_metric": slugs.get(q.standard_metric_id, OTHER_METRIC),
                    "metric": q.metric,
                    "before": q.before,
                    "after": q.after,
                    "unit": q.unit,
                }
                for q in item.quantified.all()
            ]
            if item
            else []
        )
        return QuantifiedFormSet(prefix=QUANTIFIED_PREFIX, initial=initial, form_kwargs=form_kwargs)

    @classmethod
    def with_added_row(cls, data):
        return with_added_row(data, prefix=QUANTIFIED_PREFIX)


OTHER_METRIC = "other"


def metric_choices(metrics) -> list[tuple[str, str]]:
    """The metric select: the vocabulary (name, unit, better direction), then "Other"."""
    choices = [("", "Choose a metric")]
    for m in metrics:
        unit = f" ({m.unit})" if m.unit else ""
        choices.append((m.slug, f"{m.name}{unit}, {m.get_better_display().lower()}"))
    return [*choices, (OTHER_METRIC, "Other (shown, not added up)")]


class QuantifiedResultForm(forms.Form):
    """One row of numbers; an empty row is ignored, a half-filled one is an error.

    The metric is one of the vocabulary (cases.models.Metric: added up across case studies on
    each factor's page) or "Other", which then needs a name ("metric") and is shown but never
    added up. For a vocabulary metric the name is optional (your own words for it)."""

    use_required_attribute = False

    standard_metric = forms.ChoiceField(
        label="Metric",
        required=False,
        help_text="A metric of the vocabulary is added up across case studies; choose Other "
        "when none fits.",
    )
    metric = forms.CharField(
        label="Name (needed for Other)",
        max_length=120,
        required=False,
        help_text='What was measured, in your words, e.g. "runaway runs per month".',
    )
    before = forms.DecimalField(
        max_digits=14, decimal_places=3, required=False, help_text="The value before."
    )
    after = forms.DecimalField(
        max_digits=14, decimal_places=3, required=False, help_text="The value after."
    )
    unit = forms.CharField(max_length=40, required=False, help_text="Optional, e.g. “minutes”.")

    def __init__(self, *args, metrics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.metrics = {m.slug: m for m in metrics}
        self.fields["standard_metric"].choices = metric_choices(metrics)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        filled = [n for n in self.fields if data.get(n) not in (None, "")]
        if filled:
            if not data.get("standard_metric"):
                self.add_error(
                    "standard_metric", "Choose a metric (or Other), or clear the whole row."
                )
            elif data["standard_metric"] == OTHER_METRIC and not data.get("metric"):
                self.add_error("metric", "Name the metric you chose Other for.")
            for name in ("before", "after"):
                if data.get(name) in (None, ""):
                    self.add_error(name, "Fill this in too, or clear the whole row.")
        return data

    def row(self) -> dict | None:
        data = getattr(self, "cleaned_data", {})
        choice = data.get("standard_metric")
        if not choice or data.get("before") is None or data.get("after") is None:
            return None
        metric = self.metrics.get(choice)
        name = data.get("metric") or (metric.name if metric else "")
        if not name:
            return None
        return {
            "standard_metric": metric,
            "metric": name,
            "before": data["before"],
            "after": data["after"],
            "unit": data.get("unit") or "",
        }


QuantifiedFormSet = forms.formset_factory(
    QuantifiedResultForm, extra=1, max_num=20, validate_max=True, absolute_max=40
)
QUANTIFIED_PREFIX = "q"


def with_added_row(data, *, prefix: str = QUANTIFIED_PREFIX):
    """The posted data with one more row asked of the formset ("Add row").

    Only a plain count of ASCII digits is understood (never `int()` on what was sent: "²"
    passes `isdigit()` and 5,000 digits exceed Python's limit); anything else is left as sent,
    and the formset re-shows the form saying its management data is invalid.
    """
    key = f"{prefix}-TOTAL_FORMS"
    total = data.get(key, "0")
    if not re.fullmatch(r"[0-9]{1,4}", total or ""):
        return data
    data = data.copy()
    data[key] = str(min(int(total) + 1, QuantifiedFormSet.max_num))
    return data


def quantified_rows(formset) -> list[dict]:
    return [row for form in formset.forms if (row := form.row())]
