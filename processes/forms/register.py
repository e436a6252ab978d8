"""Forms of the process records: the keepers' full form, the owner's description, withdrawal
and restoration, and the register's list filters."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from processes.models import Process
from qms.filters import CodeFilter
from qms.forms import StyledForm, StyledModelForm, VersionedFormMixin
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


class ProcessFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=Process.Category.choices, empty_label=_("all")
    )
    owner_unit = CodeFilter(
        label=_("Owner unit"),
        queryset=OrganisationalUnit.objects.all(),
        widget=forms.TextInput(attrs={"maxlength": 20}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Process.Status.choices, empty_label=_("all")
    )

    class Meta:
        model = Process
        fields = ["q", "category", "owner_unit", "status"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()[:200]
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(purpose__icontains=value)
        )
