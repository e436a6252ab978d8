"""The admin of the review records: for the administrator's look-ups and as the benchmark's
baseline. Editing goes through the app's forms; here as elsewhere nothing is deleted and every
change lands in the history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from qms.admin import VersionedAdminMixin
from qms.forms import StoredFileInput
from reviews.models import (
    ContextIssue,
    Feedback,
    ImprovementProposal,
    InterestedParty,
    ManagementReview,
    Measurement,
    QualityObjective,
    QualityPolicy,
    ReviewDecision,
    Risk,
    RiskAssessment,
)


@admin.register(QualityPolicy)
class QualityPolicyAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "status"]
    list_filter = ["status"]


@admin.register(ContextIssue)
class ContextIssueAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "is_active", "last_reviewed"]
    list_filter = ["kind", "is_active"]
    search_fields = ["title"]


@admin.register(InterestedParty)
class InterestedPartyAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "is_active", "last_reviewed"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(ImprovementProposal)
class ImprovementProposalAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "status", "action_deadline", "created_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["process", "proposed_by", "assessed_by", "action_owner"]


@admin.register(QualityObjective)
class QualityObjectiveAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "year", "owner", "target", "direction", "is_active"]
    list_filter = ["year", "is_active"]
    list_select_related = ["owner"]
    search_fields = ["title"]
    raw_id_fields = ["policy", "owner", "unit"]


@admin.register(Measurement)
class MeasurementAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["objective", "period_start", "period_end", "value"]
    list_select_related = ["objective"]
    raw_id_fields = ["objective", "entered_by"]


@admin.register(Risk)
class RiskAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "likelihood", "impact", "status", "next_review", "owner"]
    list_filter = ["kind", "status"]
    list_select_related = ["owner"]
    search_fields = ["title"]
    raw_id_fields = ["process", "objective", "owner"]


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["risk", "likelihood", "impact", "assessed_at", "assessed_by"]
    list_select_related = ["risk", "assessed_by"]
    raw_id_fields = ["risk", "assessed_by"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Feedback)
class FeedbackAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "received", "outcome"]
    list_filter = ["kind"]
    search_fields = ["reference", "summary"]
    raw_id_fields = ["unit", "process", "nonconformity", "entered_by"]


@admin.register(ManagementReview)
class ManagementReviewAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "meeting_date", "status"]
    list_filter = ["status"]
    raw_id_fields = ["prepared_by", "approved_by"]
    filter_horizontal = ["participants"]
    formfield_overrides = {
        ManagementReview._meta.get_field("minutes_pdf").__class__: {"widget": StoredFileInput}
    }


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["description", "review", "type", "owner", "deadline", "status"]
    list_filter = ["status", "type"]
    list_select_related = ["review", "owner"]
    raw_id_fields = ["review", "owner"]
