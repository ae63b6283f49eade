from django.contrib import admin, messages

from .models import OutgoingEmail
from .services import email_send_again


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "recipient_list", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject", "to"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]

    @admin.display(description="to")
    def recipient_list(self, obj):
        return ", ".join(obj.to)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Send the selected emails again (not already sent ones)")
    def send_again(self, request, queryset):
        count = email_send_again(list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} emails queued for the worker.", messages.SUCCESS)
