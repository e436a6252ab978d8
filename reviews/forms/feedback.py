"""Forms and list filters of customer feedback: complaints, requests and petitions, survey
results, and raising a complaint's nonconformity card."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from nonconformities.models import Nonconformity
from processes.models import Process
from qms.filters import YearFilter, style_filter_form
from qms.forms import DATE_WIDGET, StyledForm, StyledModelForm, VersionedFormMixin
from qms.models import OrganisationalUnit
from reviews.forms.common import active_processes, with_version
from reviews.models import Feedback
from reviews.selectors.feedback import CASE_KINDS


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
        self.fields["process"].queryset = active_processes()
        self.fields["unit"].help_text = _("Leave empty for the unit owning the process.")


class FeedbackCaseEditForm(VersionedFormMixin, FeedbackCaseForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        with_version(self)
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
        self.fields["process"].queryset = active_processes()
        self.fields["unit"].help_text = _("Leave empty for a survey of the whole city hall.")


class FeedbackSurveyEditForm(VersionedFormMixin, FeedbackSurveyForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        with_version(self)


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
        self.fields["process"].queryset = active_processes()


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
        style_filter_form(self)
