"""Admin mixins for records the admin may show but never change (put them before
admin.ModelAdmin or an inline class in the bases)."""


class RecordAdminMixin:
    """Records of what happened (state changes, revisions, phase changes): seen, never changed or
    deleted here."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdminMixin(RecordAdminMixin):
    """What is written only elsewhere (on the site, by the code): nothing added here either."""

    def has_add_permission(self, request, obj=None):
        return False
