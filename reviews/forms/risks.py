"""Forms and list filters of the register of risks and opportunities: identifying a
risk, editing its description, assessing it, reopening it, and the filters of the list and
the matrix."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from processes.models import Process
from qms.filters import style_filter_form
from qms.forms import DATE_WIDGET, StyledForm, StyledModelForm, VersionedFormMixin, active_people
from qms.models import User
from reviews.forms.common import active_processes, with_version
from reviews.models import QualityObjective, Risk
from reviews.selectors.risks import BANDS, SCALE

LIKELIHOOD_CHOICES = [
    (1, _("1 — rare")),
    (2, _("2 — unlikely")),
    (3, _("3 — possible")),
    (4, _("4 — likely")),
    (5, _("5 — almost certain")),
]
IMPACT_CHOICES = [
    (1, _("1 — negligible")),
    (2, _("2 — minor")),
    (3, _("3 — moderate")),
    (4, _("4 — major")),
    (5, _("5 — severe")),
]
BAND_CHOICES = [
    (band.key, format_lazy("{} ({}–{})", band.label, band.low, band.high)) for band in BANDS
]


def _scale_field(label: str, choices: list) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=int, widget=forms.RadioSelect
    )


class RiskDescriptionForm(StyledModelForm):
    class Meta:
        model = Risk
        fields = ["kind", "title", "description", "process", "objective", "owner"]
        widgets = {"kind": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = active_processes()
        self.fields["objective"].queryset = QualityObjective.objects.filter(is_active=True)
        self.fields["owner"].queryset = active_people()


class RiskEditForm(VersionedFormMixin, RiskDescriptionForm):
    """What the keepers edit; the scores change only by an assessment."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        with_version(self)


class RiskForm(RiskDescriptionForm):
    """Identifying a risk: its description and its first assessment."""

    likelihood = _scale_field(_("Likelihood"), LIKELIHOOD_CHOICES)
    impact = _scale_field(_("Impact"), IMPACT_CHOICES)

    class Meta(RiskDescriptionForm.Meta):
        fields = [*RiskDescriptionForm.Meta.fields, "controls", "next_review"]
        widgets = {
            **RiskDescriptionForm.Meta.widgets,
            "controls": forms.Textarea(attrs={"rows": 3}),
            "next_review": DATE_WIDGET,
        }

    field_order = [
        *RiskDescriptionForm.Meta.fields,
        "likelihood",
        "impact",
        "controls",
        "next_review",
    ]


class RiskAssessForm(VersionedFormMixin, StyledForm):
    likelihood = _scale_field(_("Likelihood"), LIKELIHOOD_CHOICES)
    impact = _scale_field(_("Impact"), IMPACT_CHOICES)
    controls = forms.CharField(
        label=_("Controls (mechanizmy kontrolne)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    controls_effective = forms.TypedChoiceField(
        label=_("Were the controls effective since the last assessment?"),
        choices=[
            ("yes", _("yes")),
            ("no", _("no")),
            ("", _("not judged (e.g. new controls)")),
        ],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    next_review = forms.DateField(label=_("Next review"), widget=DATE_WIDGET)


class RiskReopenForm(VersionedFormMixin, StyledForm):
    next_review = forms.DateField(label=_("Next review"), widget=DATE_WIDGET)


class RiskFilter(django_filters.FilterSet):
    """Narrows the risks a person may read; the queryset must carry ``score_value``
    (``reviews.selectors.risks.with_score``)."""

    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Risk.Kind.choices, empty_label=_("all")
    )
    process = django_filters.ModelChoiceFilter(
        label=_("Process"),
        queryset=Process.objects.order_by("sort_key", "code"),
        empty_label=_("all"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Risk.Status.choices, empty_label=_("all")
    )
    band = django_filters.ChoiceFilter(
        label=_("Score"), choices=BAND_CHOICES, empty_label=_("all"), method="by_band"
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=User.objects.none(), empty_label=_("all")
    )
    # Set by the links of the risk matrix; also usable by hand.
    likelihood = django_filters.ChoiceFilter(
        label=_("Likelihood"), choices=[(str(n), str(n)) for n in SCALE], empty_label=_("all")
    )
    impact = django_filters.ChoiceFilter(
        label=_("Impact"), choices=[(str(n), str(n)) for n in SCALE], empty_label=_("all")
    )

    class Meta:
        model = Risk
        fields = ["kind", "process", "status", "band", "owner", "likelihood", "impact"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Offer the owners of the risks the person may read, not everybody who owns one.
        self.filters["owner"].queryset = User.objects.filter(
            pk__in=self.queryset.values("owner_id")
        )
        style_filter_form(self)

    def by_band(self, queryset: QuerySet[Risk], name: str, value: str) -> QuerySet[Risk]:
        band = next(b for b in BANDS if b.key == value)
        return queryset.filter(score_value__gte=band.low, score_value__lte=band.high)


class RiskMatrixForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("Show"),
        choices=[
            ("risk", _("risks")),
            ("opportunity", _("opportunities")),
        ],
        required=False,
    )
