"""Form rendering shared by every app: Bootstrap classes, labels on every input, and errors
announced and tied to their field (WCAG 3.3.1)."""

from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.forms.renderers import TemplatesSetting

from qms.models import User
from qms.services import ConcurrentEditError

# The browser's own date pickers (ISO values, whatever the page's language).
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def active_people() -> QuerySet[User]:
    """Who may be named as an owner, a responsible person or an auditor: active employees."""
    return User.objects.filter(is_active=True).select_related("unit")


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class StyledFormMixin:
    """Adds Bootstrap classes to widgets and links each field's error text to its input."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = ""
            else:
                css = "form-control"
            if css:
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name not in self.fields:  # type: ignore[attr-defined]
                continue
            bound = self[name]  # type: ignore[index]
            widget = self.fields[name].widget  # type: ignore[attr-defined]
            ids = [f"{bound.auto_id}_error"]
            if self.fields[name].help_text:  # type: ignore[attr-defined]
                ids.insert(0, f"{bound.auto_id}_helptext")
            widget.attrs["aria-describedby"] = " ".join(ids)
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass


class VersionedFormMixin(forms.Form):
    """Carries the version the person started from, for ``qms.services.save_versioned``."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ConfirmForm(VersionedFormMixin, StyledForm):
    """A step with nothing to fill in but the version the person saw (submit, approve, start,
    record a meeting held): the workflows' one-button form."""


@dataclass
class _StoredFileLink:
    """What the file widget shows for a stored file: its name, linked to the download view."""

    name: str
    url: str

    def __str__(self) -> str:
        return self.name


class StoredFileInput(forms.ClearableFileInput):
    """Stored files have no public URL (MEDIA_URL is unset, ``FieldFile.url`` raises): the
    current file links to the permission-checked download view instead."""

    download_url = ""

    def is_initial(self, value) -> bool:
        return isinstance(value, FieldFile) and bool(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_initial(value):
            context["widget"]["value"] = _StoredFileLink(
                PurePath(value.name).name, self.download_url
            )
        return context


def apply_service_error(form: forms.BaseForm, error: ValidationError, context: dict) -> None:
    """Show an error a service raised on the form that was submitted. A concurrent edit also
    puts the other person's changes into ``context["conflict"]`` (``includes/conflict.html``)."""
    if isinstance(error, ConcurrentEditError):
        context["conflict"] = error
        form.add_error(None, error.messages[0])
        return
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
