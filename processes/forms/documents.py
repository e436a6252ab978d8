"""The form of a governing document: a link to it, its file, or both."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from processes.models import GoverningDocument
from qms.forms import StoredFileInput, StyledModelForm, VersionedFormMixin


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
