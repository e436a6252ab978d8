from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from nonconformities.models import (
    CardNumber,
    CorrectiveAction,
    DeadlineExtension,
    Evidence,
    Nonconformity,
)
from qms.admin import VersionedAdminMixin
from qms.forms import StoredFileInput


class CorrectiveActionInline(admin.TabularInline):
    model = CorrectiveAction
    extra = 0
    can_delete = False
    fields = ["round", "description", "responsible", "deadline", "status"]
    autocomplete_fields = ["responsible"]


@admin.register(Nonconformity)
class NonconformityAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "process", "source", "grade", "status"]
    list_filter = ["status", "source", "grade", "year"]
    list_select_related = ["process"]
    search_fields = ["number", "description"]
    autocomplete_fields = ["process", "unit", "raised_by", "verified_by"]
    raw_id_fields = ["finding"]
    inlines = [CorrectiveActionInline]


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["card", "responsible", "deadline", "status"]
    list_filter = ["status"]
    list_select_related = ["card", "responsible"]
    autocomplete_fields = ["responsible", "completed_by"]
    raw_id_fields = ["card"]


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(SimpleHistoryAdmin):
    list_display = ["action", "previous_deadline", "new_deadline", "extended_by"]
    list_select_related = ["action__card", "extended_by"]
    raw_id_fields = ["action"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "action", "uploaded_by", "uploaded_at"]
    list_select_related = ["action__card", "uploaded_by"]
    raw_id_fields = ["action"]
    formfield_overrides = {Evidence._meta.get_field("file").__class__: {"widget": StoredFileInput}}

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CardNumber)
class CardNumberAdmin(admin.ModelAdmin):
    """Read-only: the counters are advanced only by ``card_raise``."""

    list_display = ["year", "last"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
