"""Forms of the maintainers' failure mode pages and of the review page's mode picker."""

from urllib.parse import urlsplit

from django import forms
from django.urls import Resolver404, resolve

from cases.forms import FactorMultipleChoiceField
from cases.models import Adaptation
from factors.models import Factor

from .models import FailureMode


class FailureModeForm(forms.ModelForm):
    factors = FactorMultipleChoiceField(
        queryset=Factor.objects.order_by("number"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The factors this failure mode concerns; it counts on their pages.",
    )

    class Meta:
        model = FailureMode
        fields = ["title", "what_happens", "detection", "prevention", "factors"]
        labels = {
            "what_happens": "What happens",
            "detection": "How it is detected",
            "prevention": "How it is prevented",
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 5})
            for name in ("what_happens", "detection", "prevention")
        }


def _adaptation_slug(text: str) -> str:
    """An adaptation's slug from its slug or its address (full URL or path)."""
    text = text.strip()
    if "/" not in text:
        return text
    try:
        match = resolve(urlsplit(text).path)
    except Resolver404:
        return ""
    return match.kwargs.get("slug", "") if match.url_name == "adaptation_detail" else ""


class AddressedForm(forms.Form):
    addressed = forms.BooleanField(
        label="This failure mode is addressed",
        required=False,
        help_text="Untick to open it again. Say what addresses it below.",
    )
    adaptation = forms.CharField(
        label="Addressed by the adaptation",
        required=False,
        max_length=300,
        help_text="The address (or slug) of a published adaptation, e.g. "
        "https://…/adaptations/retry-budgets-for-batch-agents/.",
    )
    refinement = forms.CharField(
        label="Or by a refinement of the factor",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="How the factor was refined so that this no longer happens. Markdown.",
    )

    def clean_adaptation(self):
        text = self.cleaned_data["adaptation"].strip()
        if not text:
            return None
        slug = _adaptation_slug(text)
        adaptation = Adaptation.objects.published().filter(slug=slug).first() if slug else None
        if adaptation is None:
            raise forms.ValidationError(
                "No published adaptation has that address. Copy it from the adaptation's page."
            )
        return adaptation


class ModeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class ModePickForm(forms.Form):
    """On the review page of a failure report: the mode it joins when published."""

    mode = ModeChoiceField(
        label="Failure mode it joins",
        queryset=FailureMode.objects.order_by("title", "pk"),
        required=False,
        empty_label="None (decide later)",
        help_text="Applies only when you publish. It joins the mode as soon as it is public.",
    )
    new_mode_title = forms.CharField(
        label="Or start a new failure mode titled",
        required=False,
        max_length=200,
        help_text="Starts from this report's symptom, detection, prevention and factors; "
        "edit it afterwards.",
    )

    def clean(self):
        data = super().clean()
        if data.get("mode") and (data.get("new_mode_title") or "").strip():
            raise forms.ValidationError(
                "Pick an existing failure mode or give a new one's title, not both."
            )
        return data


class ReportSearchForm(forms.Form):
    q = forms.CharField(label="Find published failure reports", required=False, max_length=200)
