from django import forms


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
