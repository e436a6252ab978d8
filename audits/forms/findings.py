"""Forms of an audit's checklist and findings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from audits.models import Audit, ChecklistItem, Finding
from qms.forms import StyledForm, StyledModelForm, VersionedFormMixin


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
