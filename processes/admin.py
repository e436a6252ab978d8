from django.contrib import admin
from django.db import models
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from processes.models import GoverningDocument, Process
from processes.services.register import sync_owner_permission
from qms.admin import VersionedAdminMixin
from qms.forms import StoredFileInput

# Stored files have no public URL; the widget must not ask for one.
FILE_WIDGET = {models.FileField: {"widget": StoredFileInput}}


class GoverningDocumentInline(admin.TabularInline):
    model = GoverningDocument
    extra = 0
    fields = ["code", "title", "edition", "effective_date", "link", "file", "in_force"]
    can_delete = False
    formfield_overrides = FILE_WIDGET


@admin.register(Process)
class ProcessAdmin(VersionedAdminMixin, GuardedModelAdmin, SimpleHistoryAdmin):
    list_display = ["code", "name", "category", "owner_unit", "owner", "status"]
    list_filter = ["category", "status", "owner_unit"]
    list_select_related = ["owner_unit", "owner"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["owner_unit", "owner"]
    filter_horizontal = ["related"]
    inlines = [GoverningDocumentInline]

    def save_model(self, request, obj, form, change) -> None:
        previous_owner = None
        if change:
            previous_owner = Process.objects.get(pk=obj.pk).owner
        super().save_model(request, obj, form, change)
        # The owner's object permission follows ownership whichever way it changed.
        sync_owner_permission(obj, previous_owner)


@admin.register(GoverningDocument)
class GoverningDocumentAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "title", "edition", "effective_date", "process", "in_force"]
    list_filter = ["in_force"]
    list_select_related = ["process"]
    search_fields = ["code", "title", "process__code"]
    autocomplete_fields = ["process"]
    formfield_overrides = FILE_WIDGET
