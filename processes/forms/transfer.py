"""The form that uploads a register file for import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qms.forms import StyledForm


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
