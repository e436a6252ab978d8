"""Filter pieces the registers share."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError


class CodeChoiceField(forms.ModelChoiceField):
    """A record chosen by typing its code (case-insensitive) instead of picking it from a list.
    The register has as many processes and units as the city hall, and a drop-down of all of
    them made every page of the register render, and send, thousands of options."""

    widget = forms.TextInput

    def to_python(self, value):
        value = str(value).strip() if value not in self.empty_values else ""
        if not value:
            return None
        try:
            return self.queryset.get(code__iexact=value)
        except (self.queryset.model.DoesNotExist, self.queryset.model.MultipleObjectsReturned):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class CodeFilter(django_filters.ModelChoiceFilter):
    field_class = CodeChoiceField


class YearFilter(django_filters.NumberFilter):
    # A year is a whole number; the default decimal field would accept "2026.5" and match nothing.
    field_class = forms.IntegerField


def style_filter_form(filterset: django_filters.FilterSet) -> None:
    """Bootstrap classes on a filter set's fields, as ``StyledForm`` gives a form's."""
    for field in filterset.form.fields.values():
        field.widget.attrs["class"] = "form-select" if hasattr(field, "choices") else "form-control"
