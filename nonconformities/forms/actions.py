"""The forms of corrective actions: adding and changing them, extending a deadline, recording
one as done with its evidence files."""

from django import forms
from django.utils.translation import gettext_lazy as _

from nonconformities.models import CorrectiveAction
from qms.forms import (
    DATE_WIDGET,
    StyledForm,
    StyledModelForm,
    VersionedFormMixin,
    active_people,
)


class ActionForm(StyledModelForm):
    class Meta:
        model = CorrectiveAction
        fields = ["description", "responsible", "deadline"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "deadline": DATE_WIDGET}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = active_people()


class ActionEditForm(VersionedFormMixin, StyledModelForm):
    class Meta:
        model = CorrectiveAction
        fields = ["description", "responsible"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = active_people()
        self.fields["version"].initial = self.instance.version


class ExtendForm(VersionedFormMixin, StyledForm):
    new_deadline = forms.DateField(label=_("New deadline"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("Reason for the extension"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class CompleteForm(VersionedFormMixin, StyledForm):
    note = forms.CharField(
        label=_("What was done (evidence of completion)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    files = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_("PDF, DOCX, ODT, XLSX, ODS, PNG, JPG, TXT or CSV."),
    )
