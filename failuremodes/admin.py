from django.contrib import admin

from .models import FailureMode


@admin.register(FailureMode)
class FailureModeAdmin(admin.ModelAdmin):
    """Read-only, for inspection: maintainers keep modes on /review/failure-modes/, where each
    edit is checked and recorded (who, when, what)."""

    list_display = ("title", "addressed_at", "updated_at", "updated_by")
    search_fields = ("title", "what_happens")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
