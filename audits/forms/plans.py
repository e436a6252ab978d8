"""Forms of the annual plan: an entry of the plan and the reason for a new revision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from audits.models import PlannedAudit
from processes.models import Process
from qms.forms import StyledForm, StyledModelForm, VersionedFormMixin, active_people
from qms.models import OrganisationalUnit


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason for the change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


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
        auditors = active_people().filter(pk__in=appointed)
        self.fields["lead_auditor"].queryset = auditors
        self.fields["team"].queryset = auditors
        self.fields["lead_auditor"].help_text = _("Only auditors appointed for %(year)s.") % {
            "year": year
        }
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["version"].required = False
