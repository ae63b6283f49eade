from django.contrib import admin

from common.admin import ReadOnlyAdminMixin

from .models import FailureMode


@admin.register(FailureMode)
class FailureModeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only, for inspection: maintainers keep modes on /review/failure-modes/, where each
    edit is checked and recorded (who, when, what)."""

    list_display = ("title", "addressed_at", "updated_at", "updated_by")
    search_fields = ("title", "what_happens")
