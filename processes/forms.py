from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from processes.models import GoverningDocument, Process
from qms.forms import StoredFileInput, StyledForm, StyledModelForm, VersionedFormMixin
from qms.models import OrganisationalUnit, User


class ProcessForm(VersionedFormMixin, StyledModelForm):
    """The register keepers' form: every register field."""

    class Meta:
        model = Process
        fields = [
            "category",
            "code",
            "name",
            "owner_unit",
            "owner",
            "purpose",
            "inputs",
            "outputs",
            "related",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "inputs": forms.Textarea(attrs={"rows": 3}),
            "outputs": forms.Textarea(attrs={"rows": 3}),
            "related": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = OrganisationalUnit.objects.filter(is_active=True)
        self.fields["owner"].queryset = User.objects.filter(is_active=True).select_related("unit")
        related = Process.objects.filter(status=Process.Status.ACTIVE)
        if self.instance.pk:
            related = related.exclude(pk=self.instance.pk)
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["version"].required = False
        self.fields["related"].queryset = related.order_by("sort_key", "code")


class ProcessDescriptionForm(VersionedFormMixin, StyledModelForm):
    """The process owner's form: the descriptive fields only."""

    class Meta:
        model = Process
        fields = ["purpose", "inputs", "outputs"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "inputs": forms.Textarea(attrs={"rows": 4}),
            "outputs": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version


class ProcessWithdrawForm(VersionedFormMixin, StyledForm):
    reason = forms.CharField(
        label=_("Reason for withdrawal"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ProcessRestoreForm(VersionedFormMixin, StyledForm):
    pass


class GoverningDocumentForm(VersionedFormMixin, StyledModelForm):
    class Meta:
        model = GoverningDocument
        fields = ["code", "title", "edition", "effective_date", "link", "file", "in_force"]
        widgets = {
            "effective_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "file": StoredFileInput,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["file"].widget.download_url = reverse(
                "processes:document_download", kwargs={"pk": self.instance.pk}
            )
        else:
            self.fields["version"].required = False
        self.fields["file"].help_text = _(
            "PDF, DOCX, ODT, XLSX, ODS, PNG, JPG, TXT or CSV; at most %(limit)s."
        ) % {"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file is False and not self.instance.file:
            return None  # "clear" sent with nothing stored: there is nothing to clear
        return file

    def clean(self):
        data = super().clean()
        if {"link", "file"} & set(self.errors):
            return data  # the field's own error says what to fix
        # ``file`` is the stored file when none was chosen, and False when it is being cleared.
        if not data.get("link") and not data.get("file"):
            raise forms.ValidationError(_("Give a link to the document or attach its file."))
        return data


class RegisterImportForm(StyledForm):
    file = forms.FileField(
        label=_("Register file"),
        help_text=_(
            "CSV (UTF-8, comma or semicolon separated) or XLSX, with the export's columns."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file, import nothing"), required=False, initial=False
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        name = (file.name or "").lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a CSV or XLSX file."))
        if file.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is too large; the limit is 5 MB."))
        return file
