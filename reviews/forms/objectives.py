"""Forms of the quality objectives: the objective's definition (Księga Jakości załącznik 2),
its withdrawal, a measurement, and the list's filters."""

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from qms.forms import StyledForm, StyledModelForm, VersionedFormMixin
from qms.models import OrganisationalUnit, User
from reviews.models import Measurement, QualityObjective, QualityPolicy
from reviews.selectors.objectives import ObjectiveStatus, period_label


class ObjectiveForm(VersionedFormMixin, StyledModelForm):
    """Every field of an objective's definition, in the order of the annex."""

    class Meta:
        model = QualityObjective
        fields = [
            "year",
            "title",
            "policy",
            "measure",
            "indicator",
            "indicator_unit",
            "direction",
            "target",
            "frequency",
            "owner",
            "unit",
            "resources",
            "deadline",
            "evaluation",
        ]
        localized_fields = ["target"]
        widgets = {
            "resources": forms.Textarea(attrs={"rows": 3}),
            "evaluation": forms.Textarea(attrs={"rows": 3}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "target": forms.TextInput(attrs={"inputmode": "decimal"}),
        }
        help_texts = {
            "measure": _("What is measured, e.g. share of cases settled on time."),
            "indicator": _("How the value is calculated, e.g. cases settled on time / all cases."),
            "indicator_unit": _("For example %, min, pcs., points."),
            "target": _("The value the indicator should reach, in the unit above."),
            "frequency": _(
                "Measurements are entered for calendar months, quarters, half-years or years."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            User.objects.filter(is_active=True)
            .select_related("unit")
            .order_by("last_name", "first_name")
        )
        self.fields["unit"].queryset = OrganisationalUnit.objects.filter(is_active=True).order_by(
            "code"
        )
        self.fields["policy"].queryset = QualityPolicy.objects.order_by("-number")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["version"].required = False


class ObjectiveWithdrawForm(VersionedFormMixin, StyledForm):
    reason = forms.CharField(
        label=_("Reason for withdrawal"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class MeasurementForm(StyledForm):
    """A new measurement for one of the periods of the objective's year that have begun.
    Periods already measured stay in the list, marked, so choosing one (e.g. from a page opened
    before somebody else entered it) gets the service's explanation rather than a bare
    "not a valid choice"."""

    period_start = forms.TypedChoiceField(
        label=_("Period"), coerce=datetime.date.fromisoformat, empty_value=None
    )
    value = forms.DecimalField(
        label=_("Value"),
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the data source or why the value differs from the target."),
    )

    def __init__(
        self,
        *args,
        objective: QualityObjective,
        periods: list[tuple[datetime.date, datetime.date]],
        recorded: set[datetime.date],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = []
        for start, _end in periods:
            label = period_label(objective.frequency, start)
            if start in recorded:
                label = _("%(period)s — already recorded") % {"period": label}
            choices.append((start.isoformat(), label))
        self.fields["period_start"].choices = choices
        if objective.indicator_unit:
            self.fields["value"].label = _("Value (%(unit)s)") % {"unit": objective.indicator_unit}


class MeasurementEditForm(VersionedFormMixin, StyledModelForm):
    """A correction of a recorded measurement; its period stays."""

    class Meta:
        model = Measurement
        fields = ["value", "comment"]
        localized_fields = ["value"]
        widgets = {
            "value": forms.TextInput(attrs={"inputmode": "decimal"}),
            "comment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        unit = self.instance.objective.indicator_unit
        if unit:
            self.fields["value"].label = _("Value (%(unit)s)") % {"unit": unit}


class ObjectiveFilterForm(StyledForm):
    """The list's filters. Choices are limited to what the person can see, so a choice never
    reveals an objective they may not read."""

    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    unit = forms.ModelChoiceField(
        label=_("Organisational unit"),
        required=False,
        queryset=OrganisationalUnit.objects.none(),
        empty_label=_("all"),
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), required=False, queryset=User.objects.none(), empty_label=_("all")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("all")), *ObjectiveStatus.choices],
    )

    def __init__(
        self, *args, visible: QuerySet[QualityObjective], years: list[int], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("all years")), *[(y, str(y)) for y in years]]
        self.fields["unit"].queryset = OrganisationalUnit.objects.filter(
            pk__in=visible.values("unit")
        ).order_by("code")
        self.fields["owner"].queryset = User.objects.filter(
            pk__in=visible.values("owner")
        ).order_by("last_name", "first_name")
