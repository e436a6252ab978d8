"""Forms of the audits: the record the auditors keep, WOU's evaluation, and the register's
filters."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from audits.models import Audit
from qms.forms import DATE_WIDGET, DATETIME_WIDGET, StyledForm, StyledModelForm, VersionedFormMixin


class AuditForm(VersionedFormMixin, StyledModelForm):
    class Meta:
        model = Audit
        fields = [
            "objectives",
            "start_date",
            "end_date",
            "opening_meeting",
            "closing_meeting",
            "auditee_representatives",
            "evidence",
            "followup",
            "conclusions",
        ]
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "opening_meeting": DATETIME_WIDGET,
            "closing_meeting": DATETIME_WIDGET,
            "objectives": forms.Textarea(attrs={"rows": 2}),
            "auditee_representatives": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 4}),
            "followup": forms.Textarea(attrs={"rows": 3}),
            "conclusions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version


class EvaluationForm(VersionedFormMixin, StyledForm):
    assessment = forms.ChoiceField(label=_("Assessment"), choices=Audit.Assessment.choices)
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )


class AuditFilter(django_filters.FilterSet):
    """The audit register's filters. A year that is not a number or an unknown status is
    ignored (the register shows every audit), as the page has always done."""

    year = django_filters.CharFilter(method="filter_year")
    status = django_filters.CharFilter(method="filter_status")

    class Meta:
        model = Audit
        fields: list[str] = []

    def filter_year(self, queryset: QuerySet[Audit], name: str, value: str) -> QuerySet[Audit]:
        return queryset.filter(year=int(value)) if value.isdigit() else queryset

    def filter_status(self, queryset: QuerySet[Audit], name: str, value: str) -> QuerySet[Audit]:
        return queryset.filter(status=value) if value in Audit.Status.values else queryset
