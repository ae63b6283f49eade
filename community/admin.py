from django.contrib import admin

from .models import Flag, Follow, Notification, Profile, Reply, Thread, ThreadStatusChange


class ReplyInline(admin.TabularInline):
    model = Reply
    extra = 0
    fields = ["author", "body", "created_at", "hidden_at", "hidden_reason"]
    readonly_fields = ["author", "body", "created_at"]
    can_delete = False


class StatusChangeInline(admin.TabularInline):
    model = ThreadStatusChange
    extra = 0
    readonly_fields = ["actor", "from_status", "to_status", "reason", "created_at"]
    can_delete = False


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "factor", "kind", "status", "author", "created_at", "hidden_at"]
    list_filter = ["kind", "status", "factor"]
    search_fields = ["title", "body"]
    raw_id_fields = ["author", "decided_by"]
    inlines = [ReplyInline, StatusChangeInline]

    def has_delete_permission(self, request, obj=None):
        return False  # threads are never deleted: hide them instead


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["__str__", "flagged_by", "status", "created_at", "handled_by"]
    list_filter = ["status", "content_type"]
    raw_id_fields = ["flagged_by", "handled_by"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organization", "domain"]
    raw_id_fields = ["user"]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "factor", "domain", "created_at"]
    raw_id_fields = ["user"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient"]
