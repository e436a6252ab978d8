from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from qms.models import OrganisationalUnit, User


class VersionedAdminMixin:
    """Admin edits bump ``version`` too, so a form opened before an admin edit cannot
    overwrite it silently. Deleting QMS records is not offered: they are withdrawn instead."""

    def save_model(self, request, obj, form, change) -> None:
        if change:
            # Locked read: the admin view runs in a transaction, so no save slips in between.
            current = (
                type(obj)._default_manager.select_for_update().values_list("version", flat=True)
            )
            obj.version = current.get(pk=obj.pk) + 1
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OrganisationalUnit)
class OrganisationalUnitAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "parent", "director", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["parent", "director"]
    autocomplete_fields = ["parent", "director"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "last_name", "first_name", "unit", "position", "is_active"]
    list_filter = ["is_active", "is_staff", "groups", "unit"]
    list_select_related = ["unit"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["unit"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("City hall"), {"fields": ["unit", "position", "language"]}),
    ]

    def has_delete_permission(self, request, obj=None) -> bool:
        # People leave; their records must keep naming them. Deactivate instead.
        return False
