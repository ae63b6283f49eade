from urllib.parse import urlsplit

from django import forms
from django.urls import Resolver404, resolve

from accounts.forms import validate_display_name
from cases.kinds import KINDS
from cases.models import Domain
from common.validators import validate_single_line
from factors.models import Factor

from .models import (
    KIND_HELP,
    MAINTAINER_KINDS,
    NotificationKind,
    NotifyChoice,
    ThreadKind,
    ThreadStatus,
)

# URL names of the public evidence pages → submission kind.
EVIDENCE_ROUTES = {f"cases:{kind.model.url_name}_detail": key for key, kind in KINDS.items()}


class ThreadForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(k.value, f"{k.label}: {KIND_HELP[k]}") for k in ThreadKind],
        widget=forms.RadioSelect,
        label="What kind of feedback is it?",
    )
    title = forms.CharField(max_length=200, validators=[validate_single_line])
    body = forms.CharField(
        widget=forms.Textarea, label="Your feedback", help_text="Markdown. Be concrete."
    )
    evidence_url = forms.CharField(
        required=False,
        max_length=500,
        label="Evidence it is about (optional)",
        help_text="The address of a published case study, adaptation or failure report.",
    )

    def clean_evidence_url(self):
        value = self.cleaned_data["evidence_url"].strip()
        self.evidence = None
        if not value:
            return value
        try:
            match = resolve(urlsplit(value).path or "/")
        except Resolver404:
            match = None
        kind = EVIDENCE_ROUTES.get(match.view_name) if match else None
        item = None
        if kind:
            model = KINDS[kind].model
            item = model.objects.published().filter(slug=match.kwargs.get("slug")).first()
        if item is None:
            raise forms.ValidationError(
                "This is not the address of a published case study, adaptation or failure "
                "report on this site."
            )
        self.evidence = item
        return value


class ReplyForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea, label="Your reply", help_text="Markdown.")


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (ThreadStatus.RESOLVED, "Resolved: answered or settled"),
            (ThreadStatus.ACCEPTED, "Accepted: the factor text will change"),
            (ThreadStatus.DECLINED, "Declined"),
            (ThreadStatus.OPEN, "Reopen"),
        ],
        label="Mark the thread",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded with your name and shown on the thread.",
    )


class FlagForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What is wrong with it?",
        help_text="Only the maintainers see your flag.",
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason for hiding",
        help_text="Recorded and shown in place of the item.",
    )


class DismissForm(forms.Form):
    note = forms.CharField(required=False, max_length=500, label="Note (optional)")


class ThreadFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Any kind"), *ThreadKind.choices], required=False)
    factor = forms.ModelChoiceField(
        queryset=Factor.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any factor",
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *ThreadStatus.choices], required=False)


class SettingsForm(forms.Form):
    display_name = forms.CharField(
        max_length=80,
        required=False,
        validators=[validate_display_name],
        help_text=(
            "How the site names you: on what you publish under your name, and to the people "
            "who review or answer you. Left empty, you are shown as “Member <number>”."
        ),
    )
    role = forms.CharField(max_length=120, required=False)
    show_role = forms.BooleanField(required=False, label="Show my role on my profile")
    organization = forms.CharField(max_length=120, required=False)
    show_organization = forms.BooleanField(
        required=False, label="Show my organization on my profile"
    )
    domain = forms.ModelChoiceField(
        queryset=Domain.objects.all(), required=False, empty_label="(none)"
    )
    show_domain = forms.BooleanField(required=False, label="Show my domain on my profile")
    follow_factors = forms.ModelMultipleChoiceField(
        queryset=Factor.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Factors I follow",
    )
    follow_domains = forms.ModelMultipleChoiceField(
        queryset=Domain.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Domains I follow",
    )

    PROFILE_FIELDS = ("role", "show_role", "organization", "show_organization", "domain")

    def __init__(self, *args, maintainer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = [k for k in NotificationKind if maintainer or k not in MAINTAINER_KINDS]
        for kind in self.kinds:
            self.fields[f"notify_{kind.value}"] = forms.ChoiceField(
                choices=NotifyChoice.choices, label=kind.label, widget=forms.RadioSelect
            )

    def notify_fields(self):
        return [self[f"notify_{kind.value}"] for kind in self.kinds]

    def profile_values(self) -> dict:
        data = {name: self.cleaned_data[name] for name in (*self.PROFILE_FIELDS, "show_domain")}
        for kind in self.kinds:
            data[f"notify_{kind.value}"] = self.cleaned_data[f"notify_{kind.value}"]
        return data


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand: delete my account and personal data now. This cannot be undone."
    )
