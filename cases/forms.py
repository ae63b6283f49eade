"""Forms for writing and reviewing evidence.

Drafts may be half-filled: a form built with `submitting=False` requires only what
the database needs (title, domain; the factor of an adaptation). With
`submitting=True` every field in workflow.REQUIRED_ON_SUBMIT is required, so the
errors appear next to the fields. The forms never save: views pass their cleaned
data to cases/services.py.
"""

import re

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxLengthValidator
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.forms.utils import pretty_name

from factors.models import Factor, Tier

from . import workflow
from .kinds import KINDS
from .models import (
    Adaptation,
    CaseStudy,
    Consent,
    Deployment,
    Domain,
    FactorApplication,
    FactorImplementation,
    FailureReport,
    Metric,
    Organization,
    Outcome,
    QuantifiedResult,
    ReferenceImplementation,
    SizeBand,
    State,
)
from .preview import preview_item

MARKDOWN_MAX_LENGTH = 20_000
FACTORS = "factors"
QUANTIFIED = "quantified"


class TierGroupedIterator(ModelChoiceIterator):
    """Factor choices grouped by tier (rendered as optgroups or grouped checkboxes)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {label: [] for label in Tier.labels}
        for factor in self.queryset:
            groups[factor.get_tier_display()].append(self.choice(factor))
        for label, choices in groups.items():
            if choices:
                yield (label, choices)


class FactorChoiceField(forms.ModelChoiceField):
    iterator = TierGroupedIterator

    def label_from_instance(self, obj):
        return f"{obj.roman}. {obj.title}"


class FactorMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = TierGroupedIterator

    def label_from_instance(self, obj):
        return f"{obj.roman}. {obj.title}"


def organization_labels(organizations) -> dict[int, str]:
    """A distinct label per organization, for a list grouped by domain.

    A named organization is its name (unique within its domain). An anonymized one is never
    named, not even in a form: "a healthcare organization", with its size band when it has
    one; several alike in one domain are numbered in the order they were listed ("… no. 2"),
    so no two entries of the list read the same.
    """
    labels: dict[int, str] = {}
    alike: dict[tuple, list] = {}
    for org in organizations:
        if not org.anonymized:
            labels[org.pk] = org.name
            continue
        label = org.public_name
        if org.size_band:
            label = f"{label}, {SizeBand(org.size_band).label.lower()}"
        alike.setdefault((org.domain_id, label), []).append(org)
    for (_, label), orgs in alike.items():
        orgs.sort(key=lambda o: o.pk)
        for n, org in enumerate(orgs, start=1):
            labels[org.pk] = label if len(orgs) == 1 else f"{label}, no. {n}"
    return labels


class OrganizationIterator(ModelChoiceIterator):
    """Organizations grouped by domain, named ones first, each with a distinct label."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        orgs = list(self.queryset)
        labels = organization_labels(orgs)
        groups: dict[str, list] = {}
        for org in sorted(orgs, key=lambda o: (o.anonymized, labels[o.pk].casefold())):
            groups.setdefault(org.domain.name, []).append(
                (ModelChoiceIteratorValue(self.field.prepare_value(org), org), labels[org.pk])
            )
        for domain in sorted(groups, key=str.casefold):
            yield (domain, groups[domain])


class OrganizationChoiceField(forms.ModelChoiceField):
    iterator = OrganizationIterator

    def label_from_instance(self, obj):
        # An anonymized organization is never named, not even in a form.
        return f"{obj.public_name} ({obj.domain})"


COMMON_HELP = {
    "title": "Plain text, up to 200 characters. Say what happened, not just where.",
    "domain": "The field you work in. Missing? Pick the closest and say so in the text.",
    "organization": (
        "Optional. Only organizations the maintainers have listed, grouped by domain; leave it "
        "empty if yours is not there."
    ),
    "consent": "How you want to be credited when this is published.",
    "attribution_role": (
        'Needed if you publish by role, e.g. "SRE lead at a regional hospital". Plain text.'
    ),
    "case_study": "Optional: the case study of yours this came from.",
}


class SubmissionForm(forms.ModelForm):
    """What the kinds' forms share. What is required comes from the model
    (`draft_required`, `required_on_submit`); a kind's form adds its own parts."""

    # The server decides what is required (a draft needs less than a submission).
    use_required_attribute = False
    layout: list = []

    def __init__(self, *args, user=None, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.submitting = submitting
        model = self._meta.model
        self.draft_required = model.draft_required
        required = set(self.draft_required)
        if submitting:
            required |= set(model.required_on_submit)
        for name, field in self.fields.items():
            field.required = name in required
        for name in self._meta.model.markdown_fields:
            field = self.fields[name]
            field.validators.append(MaxLengthValidator(MARKDOWN_MAX_LENGTH))
            field.help_text = f"{field.help_text} Up to {MARKDOWN_MAX_LENGTH:,} characters."
            field.widget.attrs["rows"] = 8
        if "domain" in self.fields:
            self.fields["domain"].queryset = Domain.objects.all()
        if "organization" in self.fields:
            self.fields["organization"] = OrganizationChoiceField(
                queryset=Organization.objects.select_related("domain"),
                required=False,
                help_text=COMMON_HELP["organization"],
            )
        if "case_study" in self.fields:
            own = CaseStudy.objects.none()
            if user is not None and user.is_authenticated:
                own = CaseStudy.objects.by_author(user).exclude(
                    state__in=[State.WITHDRAWN, State.REJECTED]
                )
            self.fields["case_study"].queryset = own
            self.fields["case_study"].required = False
        for name, text in COMMON_HELP.items():
            if name in self.fields and not self.fields[name].help_text:
                self.fields[name].help_text = text
        for name in model.required_on_submit:
            field = self.fields[name]
            needed = "Required." if name in self.draft_required else "Needed to submit."
            field.help_text = f"{needed} {field.help_text}".strip()
        self.fields["consent"].widget = forms.RadioSelect(choices=Consent.choices)

    def clean(self):
        data = super().clean()
        # A draft may leave a choice unmade (the credit, a failure's severity) that the model
        # cannot store blank: the draft keeps the value it had (a new draft the model's default),
        # and sending it for review asks for it (required_on_submit).
        for name, field in self.fields.items():
            model_field = self._model_field(name)
            if (
                not field.required
                and data.get(name) in field.empty_values
                and model_field is not None
                and not model_field.blank
            ):
                data.pop(name, None)
        if (
            self.submitting
            and data.get("consent") == Consent.ROLE
            and not (data.get("attribution_role") or "").strip()
        ):
            self.add_error(
                "attribution_role",
                "Say which role to credit, or choose another way to be credited.",
            )
        return data

    def _model_field(self, name):
        try:
            return self._meta.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None

    @classmethod
    def field_labels(cls) -> dict[str, str]:
        """Each field's name → its label as the form shows it, in the form's order (the
        revisions page names fields this way: cases/revision_diff.py)."""
        labels = {}
        for name in cls._meta.fields:
            field = cls.base_fields.get(name)
            labels[name] = str(field.label) if field and field.label else pretty_name(name)
        return labels

    # What the services take.
    def service_fields(self) -> dict:
        m2m = {f.name for f in self._meta.model._meta.many_to_many}
        return {
            name: self.cleaned_data[name]
            for name in self._meta.fields
            if name in self.cleaned_data and name not in m2m
        }

    def service_kwargs(self, formset=None) -> dict:
        """The keywords of services.submission_create_draft / submission_update."""
        return {"fields": self.service_fields()}

    # A kind with rows of its own (a case study's quantified results) has a formset.
    @classmethod
    def make_formset(cls, *, item=None, data=None):
        return None

    @classmethod
    def with_added_row(cls, data):
        """The POST data with one more empty row in the formset ("Add another row")."""
        return data

    # What the template shows.
    def fieldsets(self) -> list[dict]:
        sets = []
        for legend, names in self.layout:
            if names in (FACTORS, QUANTIFIED):
                sets.append({"legend": legend, "special": names, "fields": []})
            else:
                sets.append({"legend": legend, "special": None, "fields": [self[n] for n in names]})
        return sets

    def preview(self, formset=None):
        """The item as its public page will show it (cases/preview.py), from what was typed:
        the Markdown as typed, rendered and sanitized as it will be stored; every other field
        as far as it is valid. Call after is_valid()."""
        raw = {
            name: (self.data.get(self.add_prefix(name), "") if self.is_bound else "")[
                :MARKDOWN_MAX_LENGTH
            ]
            for name in self._meta.model.markdown_fields
        }
        return preview_item(
            self.instance,
            author=self.user,
            raw_markdown=raw,
            related=self.preview_related(formset),
        )

    def preview_related(self, formset=None) -> dict[str, list]:
        """The related rows the kind's public page reads, from the form (unsaved)."""
        return {}


class CaseStudyForm(SubmissionForm):
    factors_help = (
        "Needed to submit: at least one factor. For each factor you applied, say how it went: "
        "worked as written, worked with adaptation, or failed; a box for a note opens beside "
        "it. Leave the others as “Not applied”."
    )
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
        self.factor_list = list(Factor.objects.order_by("number"))
        existing = {}
        if self.instance.pk:
            existing = {a.factor_id: a for a in self.instance.applications.all()}
        for factor in self.factor_list:
            application = existing.get(factor.pk)
            self.fields[f"outcome_{factor.number}"] = forms.ChoiceField(
                label=f"Factor {factor.roman}: {factor.title}",
                choices=[("", "Not applied"), *Outcome.choices],
                required=False,
                initial=application.outcome if application else "",
            )
            self.fields[f"note_{factor.number}"] = forms.CharField(
                label=f"Note on Factor {factor.roman} (optional)",
                required=False,
                max_length=2000,
                initial=application.note if application else "",
                widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Optional"}),
                help_text="What you did, what you changed, why it failed. Plain text.",
            )

    def clean(self):
        data = super().clean()
        applied = 0
        for factor in self.factor_list:
            outcome = data.get(f"outcome_{factor.number}")
            note = (data.get(f"note_{factor.number}") or "").strip()
            if outcome:
                applied += 1
            elif note:
                self.add_error(
                    f"outcome_{factor.number}",
                    "Choose how it went, or clear the note.",
                )
        if self.submitting and not applied:
            self.add_error(
                None, "Say how at least one factor went (under “Factors applied”) to submit."
            )
        return data

    def applications(self) -> list[dict]:
        rows = []
        for factor in self.factor_list:
            outcome = self.cleaned_data.get(f"outcome_{factor.number}")
            if outcome:
                note = (self.cleaned_data.get(f"note_{factor.number}") or "").strip()
                rows.append({"factor": factor, "outcome": outcome, "note": note})
        return rows

    def preview_related(self, formset=None) -> dict[str, list]:
        data = getattr(self, "cleaned_data", {})
        applications = []
        for factor in self.factor_list:
            if outcome := data.get(f"outcome_{factor.number}"):
                note = (data.get(f"note_{factor.number}") or "").strip()
                applications.append(FactorApplication(factor=factor, outcome=outcome, note=note))
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

    def factor_groups(self) -> list[tuple[str, list]]:
        groups: dict[str, list] = {label: [] for label in Tier.labels}
        for factor in self.factor_list:
            groups[factor.get_tier_display()].append(
                (factor, self[f"outcome_{factor.number}"], self[f"note_{factor.number}"])
            )
        return [(label, rows) for label, rows in groups.items() if rows]


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


class ReferenceImplementationForm(SubmissionForm):
    factors_help = (
        "Needed to submit: at least one factor. Tick each factor it implements; a box opens "
        "beside it to say how, in a sentence or two."
    )
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
        self.factor_list = list(Factor.objects.order_by("number"))
        existing = {}
        if self.instance.pk:
            existing = {i.factor_id: i for i in self.instance.implementations.all()}
        for factor in self.factor_list:
            implementation = existing.get(factor.pk)
            self.fields[f"implements_{factor.number}"] = forms.BooleanField(
                label=f"Factor {factor.roman}: {factor.title}",
                required=False,
                initial=implementation is not None,
            )
            self.fields[f"note_{factor.number}"] = forms.CharField(
                label=f"How it implements Factor {factor.roman} (optional)",
                required=False,
                max_length=2000,
                initial=implementation.note if implementation else "",
                widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Optional"}),
                help_text="What in it does this, where to look. Plain text.",
            )

    def clean(self):
        data = super().clean()
        implemented = 0
        for factor in self.factor_list:
            note = (data.get(f"note_{factor.number}") or "").strip()
            if data.get(f"implements_{factor.number}"):
                implemented += 1
            elif note:
                self.add_error(f"implements_{factor.number}", "Tick the factor, or clear the note.")
        if self.submitting and not implemented:
            self.add_error(
                None, "Tick at least one factor it implements (under “Factors implemented”)."
            )
        return data

    def implementations(self) -> list[dict]:
        return [
            {
                "factor": factor,
                "note": (self.cleaned_data.get(f"note_{factor.number}") or "").strip(),
            }
            for factor in self.factor_list
            if self.cleaned_data.get(f"implements_{factor.number}")
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

    def factor_groups(self) -> list[tuple[str, list]]:
        groups: dict[str, list] = {label: [] for label in Tier.labels}
        for factor in self.factor_list:
            groups[factor.get_tier_display()].append(
                (factor, self[f"implements_{factor.number}"], self[f"note_{factor.number}"])
            )
        return [(label, rows) for label, rows in groups.items() if rows]


# Each kind's form, found by its model: a new kind's form class registers itself here.
SUBMISSION_FORMS = {form._meta.model.KIND: form for form in SubmissionForm.__subclasses__()}


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


class WithdrawForm(forms.Form):
    comment = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown in the item's history. Withdrawn items are kept, not deleted.",
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(a.value, a.label) for a in workflow.DECISIONS],
        widget=forms.RadioSelect,
        help_text="Publishing makes it public and counts it as evidence.",
    )
    comment = forms.CharField(
        label="Comment for the author",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Required. The author sees it in their email and on their submissions page.",
    )


class QueueFilterForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "All kinds"), *((k.key, k.label) for k in KINDS.values())],
        required=False,
    )
    factor = FactorChoiceField(
        queryset=Factor.objects.order_by("number"),
        to_field_name="number",
        required=False,
        empty_label="All factors",
    )
    sort = forms.ChoiceField(
        label="Order",
        choices=[("newest", "Newest first"), ("oldest", "Oldest first")],
        required=False,
    )
