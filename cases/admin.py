from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from .models import (
    Adaptation,
    CaseStudy,
    Domain,
    FactorApplication,
    FactorImplementation,
    FailureReport,
    Organization,
    QuantifiedResult,
    ReferenceImplementation,
    Revision,
    StateChange,
)


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


class StateChangeInline(GenericTabularInline):
    model = StateChange
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "actor", "from_state", "to_state", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


class RevisionInline(GenericTabularInline):
    model = Revision
    extra = 0
    can_delete = False
    readonly_fields = ["number", "created_at", "author", "data"]

    def has_add_permission(self, request, obj=None):
        return False


class SubmissionAdmin(admin.ModelAdmin):
    """Read-mostly: the review workflow happens on the site, where every step is recorded."""

    list_display = ["title", "state", "domain", "author", "submitted_at", "published_at"]
    list_filter = ["state", "domain", "is_demo"]
    search_fields = ["title"]
    readonly_fields = ["state", "submitted_at", "published_at", "created_at", "updated_at"]
    raw_id_fields = ["author", "organization"]
    inlines = [StateChangeInline, RevisionInline]

    def has_delete_permission(self, request, obj=None):
        return False


class FactorApplicationInline(admin.TabularInline):
    model = FactorApplication
    extra = 0


class QuantifiedResultInline(admin.TabularInline):
    model = QuantifiedResult
    extra = 0


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
class StateChangeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "content_type", "object_id", "from_state", "to_state", "actor"]
    list_filter = ["to_state", "content_type"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "content_type", "object_id", "number", "author"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
