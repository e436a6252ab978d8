from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from audits.models import (
    Audit,
    AuditorCandidate,
    AuditorList,
    AuditPlan,
    ChecklistItem,
    Finding,
    PlannedAudit,
)
from qms.admin import VersionedAdminMixin


@admin.register(AuditorList)
class AuditorListAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["year", "status", "ordinance_number", "ordinance_date"]
    list_filter = ["status"]


@admin.register(AuditorCandidate)
class AuditorCandidateAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["person", "auditor_list", "certificate_date", "reviewed", "removed"]
    list_filter = ["auditor_list__year", "reviewed", "removed"]
    list_select_related = ["person", "auditor_list"]
    autocomplete_fields = ["person"]


@admin.register(AuditPlan)
class AuditPlanAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["year", "revision", "status", "approved_at", "ordinance_number"]
    list_filter = ["status", "year"]


@admin.register(PlannedAudit)
class PlannedAuditAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["plan", "planned_month", "lead_auditor", "withdrawn"]
    list_filter = ["plan__year", "withdrawn"]
    list_select_related = ["plan", "lead_auditor"]
    autocomplete_fields = ["lead_auditor", "processes", "units", "team"]


@admin.register(Audit)
class AuditAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "year", "planned_month", "lead_auditor", "status"]
    list_filter = ["status", "year"]
    list_select_related = ["lead_auditor"]
    search_fields = ["number"]
    autocomplete_fields = ["lead_auditor", "processes", "units", "team"]
    raw_id_fields = ["planned_entry"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["audit", "position", "question"]
    list_select_related = ["audit"]
    raw_id_fields = ["audit"]


@admin.register(Finding)
class FindingAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "type", "grade", "process", "withdrawn"]
    list_filter = ["type", "grade", "withdrawn"]
    list_select_related = ["audit", "process"]
    raw_id_fields = ["audit"]
    autocomplete_fields = ["process", "created_by"]
