"""The filters of the register of nonconformity cards (list and export share them)."""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nonconformities.models import CorrectiveAction, Nonconformity
from processes.models import Process
from qms.filters import CodeFilter
from qms.models import OrganisationalUnit
from qms.queries import count_of

OPEN_ACTION_STATUSES = (CorrectiveAction.Status.PLANNED, CorrectiveAction.Status.IN_PROGRESS)


def with_action_figures(
    cards: QuerySet[Nonconformity], *, today: datetime.date
) -> QuerySet[Nonconformity]:
    """``cards`` annotated with ``open_actions`` (how many actions are still to do) and
    ``overdue`` (one of them is past its deadline), computed in the same query as the cards so
    a page of the register costs the same whatever it holds.

    Both are correlated subqueries, not a join with ``GROUP BY``: a grouped query must join and
    group every card before it can sort and cut a page, whereas subqueries are evaluated only
    for the rows returned, so a page walks the ``(year, number)`` index and stops after 25
    cards, and ``count()`` drops them altogether."""
    open_actions = CorrectiveAction.objects.filter(
        card=OuterRef("pk"), status__in=OPEN_ACTION_STATUSES
    )
    late = open_actions.filter(deadline__lt=today)
    return cards.annotate(
        open_actions=count_of(open_actions),
        overdue=Exists(late),
    )


class YearFilter(django_filters.NumberFilter):
    # A year is a whole number; the default decimal field would accept "2026.5" and match nothing.
    field_class = forms.IntegerField


class CardFilter(django_filters.FilterSet):
    """Narrows the cards a person may read. The queryset is annotated by ``with_action_figures``
    when the filter set is built, so the ``overdue`` filter and the table read the same value."""

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

    def __init__(self, *args, today: datetime.date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.queryset = with_action_figures(self.queryset, today=today or timezone.localdate())
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
