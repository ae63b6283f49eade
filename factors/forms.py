from django import forms
from django.utils import timezone


class PromoteForm(forms.Form):
    rationale = forms.CharField(
        label="Why it moves on",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text="Recorded in the public phase history.",
        error_messages={"required": "Say why it moves on: the rationale is public."},
    )
    override = forms.BooleanField(
        label="Promote although some criteria do not hold",
        required=False,
        help_text="Only with a reason below; recorded as an override with the unmet criteria.",
    )
    override_reason = forms.CharField(
        label="Reason for the override",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("override") and not (data.get("override_reason") or "").strip():
            self.add_error(
                "override_reason", "Give the reason for promoting although criteria do not hold."
            )
        return data


class DemoteForm(forms.Form):
    reason = forms.CharField(
        label="Why it moves back",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text="Recorded in the public phase history.",
        error_messages={"required": "Say why it moves back: the reason is public."},
    )


class AsOfForm(forms.Form):
    """?as_of=YYYY-MM-DD on the maturity dashboard: the figures as they stood on that day."""

    as_of = forms.DateField(
        label="As it stood on",
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Give a date as YYYY-MM-DD, for example 2026-06-30."},
    )

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day > timezone.localdate():
            raise forms.ValidationError("That date is in the future: pick today or earlier.")
        return day
