from django.contrib import admin

from common.admin import ReadOnlyAdminMixin, RecordAdminMixin

from .models import Criterion, Factor, Framework, MaturitySnapshot, Phase, PhaseChange


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    """No text to type: a criterion is worded from its measure, comparator and threshold."""

    list_display = ["text", "phase", "scope", "measure", "comparator", "threshold", "fresh_only"]
    list_filter = ["phase", "scope", "measure", "fresh_only"]
    list_editable = ["comparator", "threshold", "fresh_only"]
    list_select_related = ["phase"]
    fields = ["phase", "scope", "measure", "comparator", "threshold", "fresh_only", "text"]
    readonly_fields = ["text"]

    @admin.display(description="Criterion (worded from the fields)")
    def text(self, obj):
        return obj.text if obj.pk else "—"


@admin.register(Factor)
class FactorAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "tier", "phase"]
    list_display_links = ["number", "title"]
    list_filter = ["tier", "phase"]
    search_fields = ["title", "summary"]
    # The phase only changes through promotion, which records who, when and why.
    readonly_fields = ["phase"]


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "phase", "classification_min_domains"]
    readonly_fields = ["phase"]


@admin.register(PhaseChange)
class PhaseChangeAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ["changed_at", "factor", "from_phase", "to_phase", "changed_by", "override"]
    list_filter = ["to_phase", "override"]


@admin.register(MaturitySnapshot)
class MaturitySnapshotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Recorded figures: read-only, like the phase changes that link to them."""

    list_display = ["taken_at", "reason"]
    date_hierarchy = "taken_at"
