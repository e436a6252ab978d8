import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from processes.models import Process
from qms.filters import CodeFilter
from qms.models import OrganisationalUnit


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
