from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from qms.models import Delivery, Notification, OrganisationalUnit, ReminderSettings, User
from qms.reminders import delivery_retry


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


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The reminders log. Read-only: rows change only through the senders' claims; a failed
    row is sent again with the action (or on the Pełnomocnik's failures page)."""

    list_display = [
        "created_at",
        "recipient",
        "kind",
        "record_label",
        "occasion",
        "state",
        "attempts",
        "sent_at",
    ]
    list_filter = ["state", "kind", ("recipient", admin.RelatedOnlyFieldListFilter), "in_digest"]
    list_select_related = ["recipient"]
    search_fields = ["record_label", "subject", "recipient__username", "recipient__last_name"]
    date_hierarchy = "created_at"
    actions = ["send_again"]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Send the selected failed reminders again"))
    def send_again(self, request, queryset) -> None:
        done = 0
        for delivery in queryset.filter(state=Delivery.State.FAILED):
            try:
                delivery_retry(delivery=delivery, by=request.user)
            except (PermissionDenied, ValidationError):
                continue
            done += 1
        self.message_user(
            request,
            ngettext(
                "%(count)s reminder will be sent again.",
                "%(count)s reminders will be sent again.",
                done,
            )
            % {"count": done},
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "text", "read_at"]
    list_filter = [("read_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recipient"]
    search_fields = ["text", "recipient__username", "recipient__last_name"]
    raw_id_fields = ["recipient", "delivery"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "daily_digest"]
    list_filter = ["daily_digest"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
