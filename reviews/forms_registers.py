"""Forms and list filters of the registers kept for the management review: the Quality
Policy, the context register, improvement proposals, risks and opportunities, and customer
feedback. They only collect input; the services in ``reviews.services`` decide."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from nonconformities.models import Nonconformity
from processes.models import Process
from qms.forms import StyledForm, StyledModelForm, VersionedFormMixin
from qms.models import OrganisationalUnit, User
from reviews.models import (
    ContextIssue,
    Feedback,
    ImprovementProposal,
    InterestedParty,
    QualityObjective,
    QualityPolicy,
    Risk,
)
from reviews.selectors.feedback import CASE_KINDS
from reviews.selectors.risks import BANDS, SCALE

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

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


def _people() -> QuerySet[User]:
    return User.objects.filter(is_active=True).select_related("unit")


def _active_processes() -> QuerySet[Process]:
    return Process.objects.filter(status=Process.Status.ACTIVE).order_by("sort_key", "code")


def _with_version(form: forms.BaseForm) -> None:
    if "version" in form.fields and getattr(form, "instance", None) is not None:
        form.fields["version"].initial = form.instance.version


class ConfirmForm(VersionedFormMixin, StyledForm):
    """A step with nothing to fill in but the version the person saw."""


class ReasonForm(VersionedFormMixin, StyledForm):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


# --- Quality Policy -------------------------------------------------------------------------


class PolicyForm(StyledModelForm):
    class Meta:
        model = QualityPolicy
        fields = ["mission", "declaration"]
        widgets = {
            "mission": forms.Textarea(attrs={"rows": 6}),
            "declaration": forms.Textarea(attrs={"rows": 14}),
        }


class PolicyEditForm(VersionedFormMixin, PolicyForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _with_version(self)


# --- Context register -----------------------------------------------------------------------


class ContextIssueForm(StyledModelForm):
    class Meta:
        model = ContextIssue
        fields = ["kind", "title", "description", "effect"]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "effect": forms.Textarea(attrs={"rows": 3}),
        }


class ContextIssueEditForm(VersionedFormMixin, ContextIssueForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _with_version(self)


class InterestedPartyForm(StyledModelForm):
    class Meta:
        model = InterestedParty
        fields = ["name", "needs", "monitoring"]
        widgets = {
            "needs": forms.Textarea(attrs={"rows": 4}),
            "monitoring": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "monitoring": _(
                "For example: petitions, councillors' questions, recommendations of "
                "inspection bodies, satisfaction surveys."
            )
        }


class InterestedPartyEditForm(VersionedFormMixin, InterestedPartyForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _with_version(self)


class ReviewedForm(VersionedFormMixin, StyledForm):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=500,
        help_text=_("What the review found, e.g. “still current, no change”."),
    )


# --- Improvement proposals ------------------------------------------------------------------


class ProposalForm(StyledModelForm):
    class Meta:
        model = ImprovementProposal
        fields = ["title", "description", "expected_benefit", "process"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "expected_benefit": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = _active_processes()
        self.fields["process"].help_text = _(
            "Leave empty if the proposal is not about one process."
        )


class ProposalAcceptForm(VersionedFormMixin, StyledForm):
    assessment = forms.CharField(
        label=_("Assessment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    action_owner = forms.ModelChoiceField(label=_("Action owner"), queryset=User.objects.none())
    action_deadline = forms.DateField(label=_("Action deadline"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action_owner"].queryset = _people()


class ProposalRejectForm(VersionedFormMixin, StyledForm):
    assessment = forms.CharField(
        label=_("Reason for the rejection"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("The proposer reads it on the proposal."),
    )


class ProposalCompleteForm(VersionedFormMixin, StyledForm):
    note = forms.CharField(
        label=_("How it was implemented"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


# --- Risks and opportunities ----------------------------------------------------------------


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
        self.fields["process"].queryset = _active_processes()
        self.fields["objective"].queryset = QualityObjective.objects.filter(is_active=True)
        self.fields["owner"].queryset = _people()


class RiskEditForm(VersionedFormMixin, RiskDescriptionForm):
    """What the keepers edit; the scores change only by an assessment."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _with_version(self)


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


class YearFilter(django_filters.NumberFilter):
    # A year is a whole number; the default decimal field would accept "2026.5".
    field_class = forms.IntegerField


def _style_filter_form(filterset: django_filters.FilterSet) -> None:
    for field in filterset.form.fields.values():
        field.widget.attrs["class"] = "form-select" if hasattr(field, "choices") else "form-control"


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
        _style_filter_form(self)

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


# --- Customer feedback ----------------------------------------------------------------------


class FeedbackCaseForm(StyledModelForm):
    """A complaint, request or petition, by its case number."""

    class Meta:
        model = Feedback
        fields = ["kind", "reference", "received", "unit", "process", "summary", "outcome"]
        widgets = {
            "kind": forms.RadioSelect,
            "received": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"received": _("Date received")}
        help_texts = {
            "reference": _("As registered in EZD; the case itself is not registered again."),
            "outcome": _(
                "A complaint is justified or unjustified; a request or petition accepted or "
                "not accepted."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, k.label) for k in CASE_KINDS]
        self.fields["outcome"].choices = [
            c for c in Feedback.Outcome.choices if c[0] != Feedback.Outcome.NOT_APPLICABLE
        ]
        self.fields["reference"].required = True
        self.fields["unit"].queryset = OrganisationalUnit.objects.filter(is_active=True)
        self.fields["process"].queryset = _active_processes()
        self.fields["unit"].help_text = _("Leave empty for the unit owning the process.")


class FeedbackCaseEditForm(VersionedFormMixin, FeedbackCaseForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _with_version(self)
        if self.instance.nonconformity_id is not None:
            # A complaint that raised a card stays a complaint (the service refuses too).
            self.fields["kind"].disabled = True


class FeedbackSurveyForm(StyledModelForm):
    """The result of a satisfaction survey."""

    class Meta:
        model = Feedback
        fields = [
            "survey_name",
            "received",
            "period_start",
            "period_end",
            "score",
            "score_max",
            "respondents",
            "unit",
            "process",
            "summary",
        ]
        widgets = {
            "received": DATE_WIDGET,
            "period_start": DATE_WIDGET,
            "period_end": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"received": _("Date of the results"), "summary": _("Conclusions")}
        help_texts = {"score": _("For example the average rating, 4.3 out of 5.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("survey_name", "period_start", "period_end", "score", "score_max"):
            self.fields[name].required = True
        self.fields["respondents"].required = True
        self.fields["unit"].queryset = OrganisationalUnit.objects.filter(is_active=True)
        self.fields["process"].queryset = _active_processes()
        self.fields["unit"].help_text = _("Leave empty for a survey of the whole city hall.")


class FeedbackSurveyEditForm(VersionedFormMixin, FeedbackSurveyForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _with_version(self)


class FeedbackCardForm(VersionedFormMixin, StyledForm):
    """Raising the nonconformity card of a complaint."""

    process = forms.ModelChoiceField(label=_("Process"), queryset=Process.objects.none())
    requirement = forms.CharField(
        label=_("Requirement"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    description = forms.CharField(
        label=_("What was found"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000
    )
    evidence = forms.CharField(
        label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    grade = forms.ChoiceField(
        label=_("Grade"), choices=Nonconformity.Grade.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = _active_processes()


class FeedbackFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Feedback.Kind.choices, empty_label=_("all")
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"), choices=Feedback.Outcome.choices, empty_label=_("all")
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Organisational unit"),
        queryset=OrganisationalUnit.objects.order_by("code"),
        empty_label=_("all"),
    )
    process = django_filters.ModelChoiceFilter(
        label=_("Process"),
        queryset=Process.objects.order_by("sort_key", "code"),
        empty_label=_("all"),
    )
    year = YearFilter(
        label=_("Year"),
        field_name="received",
        lookup_expr="year",
        min_value=2000,
        max_value=2100,
    )

    class Meta:
        model = Feedback
        fields = ["kind", "outcome", "unit", "process", "year"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _style_filter_form(self)
