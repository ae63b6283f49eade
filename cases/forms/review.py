"""The forms of the review pages: withdrawing, deciding, filtering the queue."""

from django import forms

from factors.models import Factor

from .. import workflow
from ..kinds import KINDS
from .fields import FactorChoiceField


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
