"""What the kinds' forms share: SubmissionForm, and the per-factor fields of the kinds whose
related rows are one per factor (PerFactorFields)."""

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxLengthValidator
from django.forms.utils import pretty_name

from factors.models import Factor, Tier

from ..models import CaseStudy, Consent, Domain, Organization, State
from ..preview import preview_item
from .fields import OrganizationChoiceField

MARKDOWN_MAX_LENGTH = 20_000
FACTORS = "factors"
QUANTIFIED = "quantified"

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


class PerFactorFields:
    """For a kind whose related rows are one per factor of the framework (a case study's
    applications, a reference implementation's implementations): per factor, a field saying
    whether (or how) the item involves it, `<choice_prefix>_<number>`, and a note on it,
    `note_<number>`; submitting needs at least one factor chosen. Mixed into a SubmissionForm."""

    choice_prefix = ""  # "outcome", "implements"
    note_label = ""  # with {roman}: "Note on Factor {roman} (optional)"
    note_help = ""
    note_without_choice = ""  # the error on a note whose factor is not chosen
    none_chosen = ""  # the error on sending for review with no factor chosen

    def choice_field(self, factor, row) -> forms.Field:
        """The field saying whether (or how) the item involves `factor` (`row`: its saved row)."""
        raise NotImplementedError

    def add_factor_fields(self, existing: dict) -> None:
        """Two fields for each factor, after the form's own; `existing`: saved rows by factor id."""
        self.factor_list = list(Factor.objects.order_by("number"))
        for factor in self.factor_list:
            row = existing.get(factor.pk)
            self.fields[f"{self.choice_prefix}_{factor.number}"] = self.choice_field(factor, row)
            self.fields[f"note_{factor.number}"] = forms.CharField(
                label=self.note_label.format(roman=factor.roman),
                required=False,
                max_length=2000,
                initial=row.note if row else "",
                widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Optional"}),
                help_text=self.note_help,
            )

    def clean_factor_fields(self, data: dict) -> None:
        chosen = 0
        for factor in self.factor_list:
            note = (data.get(f"note_{factor.number}") or "").strip()
            if data.get(f"{self.choice_prefix}_{factor.number}"):
                chosen += 1
            elif note:
                self.add_error(f"{self.choice_prefix}_{factor.number}", self.note_without_choice)
        if self.submitting and not chosen:
            self.add_error(None, self.none_chosen)

    def chosen_factors(self, data: dict) -> list[tuple]:
        """(factor, its choice, its note) for each factor chosen in `data`."""
        return [
            (factor, choice, (data.get(f"note_{factor.number}") or "").strip())
            for factor in self.factor_list
            if (choice := data.get(f"{self.choice_prefix}_{factor.number}"))
        ]

    def factor_groups(self) -> list[tuple[str, list]]:
        groups: dict[str, list] = {label: [] for label in Tier.labels}
        for factor in self.factor_list:
            choice = self[f"{self.choice_prefix}_{factor.number}"]
            groups[factor.get_tier_display()].append(
                (factor, choice, self[f"note_{factor.number}"])
            )
        return [(label, rows) for label, rows in groups.items() if rows]
