"""Forms of the auditor appointments: starting a year's list and a candidate's evidence."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audits.forms.common import YearForm
from audits.models import AuditorCandidate
from qms.forms import DATE_WIDGET, StyledModelForm, VersionedFormMixin, active_people


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
        self.fields["person"].queryset = active_people()
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
