"""The admin for evidence is read-only, and shows nobody the drafts of others.

Evidence changes only on the site, through cases.services, where every edit keeps a revision
and every move is recorded; an admin edit would keep neither, so no field of a submission (or
of its factor applications and quantified results) can be changed, added or deleted here, by
anyone. And as on the site (docs/reference/submission-states.md), maintainers never see the
drafts of others: the lists, the pages and the revisions and state changes of those drafts are
left out for everyone but superusers.
"""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from common.admin import ReadOnlyAdminMixin, RecordAdminMixin

from .models import (
    Adaptation,
    CaseStudy,
    Confirmation,
    Domain,
    FactorApplication,
    FactorImplementation,
    FailureReport,
    Metric,
    Organization,
    QuantifiedResult,
    ReferenceImplementation,
    Revision,
    State,
    StateChange,
)

EVIDENCE_MODELS = (CaseStudy, Adaptation, FailureReport)


def others_drafts(model, user):
    """The drafts of `model` that `user` did not write (nothing for a superuser)."""
    if user.is_superuser:
        return model.objects.none()
    return model.objects.filter(state=State.DRAFT).exclude(author=user)


def without_others_drafts(queryset, user):
    """Revisions or state changes, less those of other people's drafts."""
    if user.is_superuser:
        return queryset
    hidden = Q()
    for model in EVIDENCE_MODELS:
        hidden |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=others_drafts(model, user).values("pk"),
        )
    return queryset.exclude(hidden)


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_demo"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "size_band", "anonymized", "is_demo"]
    list_filter = ["domain", "size_band", "anonymized"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class RecordInline(GenericTabularInline):
    """An item's records (state changes, revisions, confirmations), shown on its page as they
    were written: nothing added or deleted here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class StateChangeInline(RecordInline):
    model = StateChange
    readonly_fields = ["created_at", "actor", "from_state", "to_state", "comment"]


class RevisionInline(RecordInline):
    model = Revision
    readonly_fields = ["number", "created_at", "author", "data"]


class ConfirmationInline(RecordInline):
    model = Confirmation
    readonly_fields = ["created_at", "actor", "previously_confirmed_at"]


class SubmissionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: evidence is written and reviewed on the site, where every edit keeps a
    revision and every step is recorded."""

    list_display = ["title", "state", "domain", "author", "submitted_at", "published_at"]
    list_filter = ["state", "domain", "is_demo"]
    search_fields = ["title"]
    raw_id_fields = ["author", "organization"]
    readonly_fields = ["confirmed_at", "reminded_at"]
    inlines = [StateChangeInline, RevisionInline, ConfirmationInline]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.exclude(pk__in=others_drafts(self.model, request.user).values("pk"))


class FactorApplicationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = FactorApplication
    extra = 0


class QuantifiedResultInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = QuantifiedResult
    extra = 0


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    """The metric vocabulary, kept by maintainers. A metric results name cannot be deleted
    (the results would lose it); rename it or correct its definition instead."""

    list_display = ["name", "unit", "better", "order", "slug"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "definition"]


@admin.register(CaseStudy)
class CaseStudyAdmin(SubmissionAdmin):
    list_display = [*SubmissionAdmin.list_display, "deployment"]
    inlines = [FactorApplicationInline, QuantifiedResultInline, *SubmissionAdmin.inlines]


@admin.register(Adaptation)
class AdaptationAdmin(SubmissionAdmin):
    list_display = [*SubmissionAdmin.list_display, "factor"]
    raw_id_fields = [*SubmissionAdmin.raw_id_fields, "case_study"]


@admin.register(FailureReport)
class FailureReportAdmin(SubmissionAdmin):
    list_display = [*SubmissionAdmin.list_display, "severity"]
    list_filter = [*SubmissionAdmin.list_filter, "severity"]
    raw_id_fields = [*SubmissionAdmin.raw_id_fields, "case_study"]


class FactorImplementationInline(admin.TabularInline):
    model = FactorImplementation
    extra = 0


@admin.register(ReferenceImplementation)
class ReferenceImplementationAdmin(SubmissionAdmin):
    list_display = [*SubmissionAdmin.list_display, "licence", "maintained", "last_checked"]
    list_filter = [*SubmissionAdmin.list_filter, "maintained"]
    inlines = [FactorImplementationInline, *SubmissionAdmin.inlines]


@admin.register(StateChange)
class StateChangeAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "content_type", "object_id", "from_state", "to_state", "actor"]
    list_filter = ["to_state", "content_type"]

    def get_queryset(self, request):
        return without_others_drafts(super().get_queryset(request), request.user)


@admin.register(Revision)
class RevisionAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "content_type", "object_id", "number", "author"]

    def get_queryset(self, request):
        return without_others_drafts(super().get_queryset(request), request.user)
