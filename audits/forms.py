import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audits.models import Audit, AuditorCandidate, ChecklistItem, Finding, PlannedAudit
from processes.models import Process
from qms.forms import StyledForm, StyledModelForm, VersionedFormMixin
from qms.models import OrganisationalUnit, User

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _people():
    return User.objects.filter(is_active=True).select_related("unit")


class YearForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year + 1


class CarryOverForm(YearForm):
    carry_over = forms.BooleanField(
        label=_("Start from last year's auditors (each one is then reviewed again)"),
        required=False,
    )


class CandidateForm(VersionedFormMixin, StyledModelForm):
    class Meta:
        model = AuditorCandidate
        fields = ["person", "qualification", "certificate_date", "notes"]
        widgets = {"certificate_date": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            # The person of an existing candidacy does not change: add another candidate.
            self.fields["person"].disabled = True
        else:
            self.fields["version"].required = False

    def clean_certificate_date(self) -> datetime.date:
        value = self.cleaned_data["certificate_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The certificate date cannot be in the future."))
        return value


class DecisionForm(VersionedFormMixin, StyledForm):
    """Approval by ordinance (zarządzenie): its number and date."""

    ordinance_number = forms.CharField(label=_("Ordinance number"), max_length=60)
    ordinance_date = forms.DateField(label=_("Ordinance date"), widget=DATE_WIDGET)


class CommentForm(VersionedFormMixin, StyledForm):
    comment = forms.CharField(
        label=_("What needs to be corrected"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason for the change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class ConfirmForm(VersionedFormMixin, StyledForm):
    pass


class PlannedAuditForm(VersionedFormMixin, StyledModelForm):
    class Meta:
        model = PlannedAudit
        fields = [
            "processes",
            "units",
            "scope",
            "criteria",
            "planned_month",
            "lead_auditor",
            "team",
        ]
        widgets = {
            "processes": forms.SelectMultiple(attrs={"size": 8}),
            "units": forms.SelectMultiple(attrs={"size": 6}),
            "team": forms.SelectMultiple(attrs={"size": 6}),
            "scope": forms.Textarea(attrs={"rows": 3}),
            "criteria": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, year: int, appointed: set[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["processes"].queryset = Process.objects.filter(
            status=Process.Status.ACTIVE
        ).select_related("owner_unit")
        self.fields["units"].queryset = OrganisationalUnit.objects.filter(is_active=True)
        self.fields["units"].required = False
        self.fields["units"].help_text = _("Leave empty to audit the units owning the processes.")
        # Only the year's appointed auditors are offered; the service checks again.
        auditors = _people().filter(pk__in=appointed)
        self.fields["lead_auditor"].queryset = auditors
        self.fields["team"].queryset = auditors
        self.fields["lead_auditor"].help_text = _("Only auditors appointed for %(year)s.") % {
            "year": year
        }
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["version"].required = False


class AuditForm(VersionedFormMixin, StyledModelForm):
    class Meta:
        model = Audit
        fields = [
            "objectives",
            "start_date",
            "end_date",
            "opening_meeting",
            "closing_meeting",
            "auditee_representatives",
            "evidence",
            "followup",
            "conclusions",
        ]
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "opening_meeting": DATETIME_WIDGET,
            "closing_meeting": DATETIME_WIDGET,
            "objectives": forms.Textarea(attrs={"rows": 2}),
            "auditee_representatives": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 4}),
            "followup": forms.Textarea(attrs={"rows": 3}),
            "conclusions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version


class EvaluationForm(VersionedFormMixin, StyledForm):
    assessment = forms.ChoiceField(label=_("Assessment"), choices=Audit.Assessment.choices)
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )


class ChecklistItemForm(VersionedFormMixin, StyledModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["question", "requirement", "answer"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 2}),
            "answer": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["version"].required = False


class FindingForm(VersionedFormMixin, StyledModelForm):
    class Meta:
        model = Finding
        fields = ["type", "grade", "process", "requirement", "description", "evidence"]
        widgets = {
            "type": forms.RadioSelect,
            "grade": forms.RadioSelect,
            "requirement": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, audit: Audit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        processes = list(audit.processes.all())
        self.fields["process"].queryset = audit.processes.all()
        if len(processes) == 1 and not self.instance.pk:
            self.fields["process"].initial = processes[0].pk
        self.fields["grade"].choices = list(Finding.Grade.choices)
        self.fields["grade"].required = False
        self.fields["grade"].help_text = _("Only for a nonconformity.")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["version"].required = False

    def clean(self):
        data = super().clean()
        # Checked here, before the database constraint, so the message names the field.
        if data.get("type") == Finding.Type.NONCONFORMITY and not data.get("grade"):
            self.add_error("grade", _("A nonconformity needs its grade: minor or major."))
        elif data.get("type") and data.get("type") != Finding.Type.NONCONFORMITY:
            data["grade"] = ""
            self.instance.grade = ""
        return data

    def _post_clean(self) -> None:
        if "grade" in self.errors:
            return  # the constraint would only repeat the field's message
        super()._post_clean()


class WithdrawForm(VersionedFormMixin, StyledForm):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
