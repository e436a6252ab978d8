"""The filters of the register of nonconformity cards (list and export share them)."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from nonconformities.models import Nonconformity
from processes.models import Process
from qms.filters import CodeFilter, YearFilter
from qms.models import OrganisationalUnit


class CardFilter(django_filters.FilterSet):
    """Narrows the cards a person may read. The queryset comes from
    ``selectors.register.register_cards`` (annotated by ``with_action_figures``), so the
    ``overdue`` filter and the table read the same value."""

    OVERDUE_CHOICES = (("yes", _("with an overdue action")), ("no", _("without overdue actions")))

    q = django_filters.CharFilter(label=_("Search (number, description)"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Nonconformity.Status.choices, empty_label=_("all")
    )
    # By code (e.g. "PG.3", "WSO"), as the register's columns show them.
    process = CodeFilter(
        label=_("Process"),
        queryset=Process.objects.all(),
        widget=forms.TextInput(
            attrs={"placeholder": Process._meta.get_field("code").help_text, "maxlength": 30}
        ),
    )
    unit = CodeFilter(
        label=_("Organisational unit"),
        queryset=OrganisationalUnit.objects.all(),
        widget=forms.TextInput(attrs={"maxlength": 20}),
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=Nonconformity.Source.choices, empty_label=_("all")
    )
    grade = django_filters.ChoiceFilter(
        label=_("Grade"), choices=Nonconformity.Grade.choices, empty_label=_("all")
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Deadlines"), choices=OVERDUE_CHOICES, empty_label=_("all"), method="by_overdue"
    )
    year = YearFilter(label=_("Year"), min_value=2000, max_value=2100)

    class Meta:
        model = Nonconformity
        fields = ["q", "status", "process", "unit", "source", "grade", "overdue", "year"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()[:200]
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(description__icontains=value))

    def by_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "yes":
            return queryset.filter(overdue=True)
        if value == "no":
            return queryset.filter(overdue=False)
        return queryset
