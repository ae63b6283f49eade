"""Form fields shared by the evidence forms: factors grouped by tier, organizations by domain."""

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue

from factors.models import Tier

from ..models import SizeBand


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
