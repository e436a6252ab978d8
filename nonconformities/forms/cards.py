"""The forms of raising a card and working it: correction, root cause, planning, verification,
cancellation."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nonconformities.models import Nonconformity
from processes.models import Process
from qms.forms import DATE_WIDGET, StyledForm, StyledModelForm, VersionedFormMixin
from qms.models import OrganisationalUnit


class CardForm(StyledModelForm):
    """Raising a card from a source other than an audit finding."""

    class Meta:
        model = Nonconformity
        fields = [
            "source",
            "external_reference",
            "process",
            "unit",
            "requirement",
            "description",
            "evidence",
            "grade",
        ]
        widgets = {
            "requirement": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "grade": forms.RadioSelect,
        }

    def __init__(self, *args, processes=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [
            c for c in Nonconformity.Source.choices if c[0] != Nonconformity.Source.AUDIT_FINDING
        ]
        self.fields["process"].queryset = (
            processes
            if processes is not None
            else Process.objects.filter(status=Process.Status.ACTIVE)
        )
        self.fields["unit"].queryset = OrganisationalUnit.objects.filter(is_active=True)
        self.fields["unit"].required = False
        self.fields["unit"].help_text = _("Leave empty for the unit owning the process.")


class CardFromFindingForm(StyledForm):
    """Raising a card from a finding: its content is the finding's; only the grade may be
    confirmed or changed."""

    grade = forms.ChoiceField(
        label=_("Grade"), choices=Nonconformity.Grade.choices, widget=forms.RadioSelect
    )


class CardEditForm(VersionedFormMixin, StyledModelForm):
    class Meta:
        model = Nonconformity
        fields = ["external_reference", "unit", "requirement", "description", "evidence", "grade"]
        widgets = {
            "requirement": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "grade": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version


class AnalysisForm(VersionedFormMixin, StyledModelForm):
    why1 = forms.CharField(label=_("Why? (1)"), required=False, max_length=500)
    why2 = forms.CharField(label=_("Why? (2)"), required=False, max_length=500)
    why3 = forms.CharField(label=_("Why? (3)"), required=False, max_length=500)
    why4 = forms.CharField(label=_("Why? (4)"), required=False, max_length=500)
    why5 = forms.CharField(label=_("Why? (5)"), required=False, max_length=500)

    class Meta:
        model = Nonconformity
        fields = ["correction", "correction_by", "correction_date", "root_cause", "similar"]
        widgets = {
            "correction": forms.Textarea(attrs={"rows": 3}),
            "correction_date": DATE_WIDGET,
            "root_cause": forms.Textarea(attrs={"rows": 3}),
            "similar": forms.Textarea(attrs={"rows": 2}),
        }

    field_order = [
        "correction",
        "correction_by",
        "correction_date",
        "why1",
        "why2",
        "why3",
        "why4",
        "why5",
        "root_cause",
        "similar",
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        for i, why in enumerate(self.instance.five_whys or [], start=1):
            if i <= 5:
                self.fields[f"why{i}"].initial = why
        self.fields["why1"].help_text = _(
            "Optional: ask “why?” up to five times, each answer leading to the next, to reach "
            "the root cause."
        )

    def clean_correction_date(self):
        value = self.cleaned_data["correction_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def service_fields(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        data["five_whys"] = [self.cleaned_data[f"why{i}"] for i in range(1, 6)]
        return data


class VerifyForm(VersionedFormMixin, StyledForm):
    effective = forms.TypedChoiceField(
        label=_("Result"),
        choices=[
            ("1", _("effective — close the card")),
            ("0", _("not effective — reopen the card")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("How the effectiveness was checked"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class ReasonForm(VersionedFormMixin, StyledForm):
    reason = forms.CharField(
        label=_("Reason for the cancellation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
