"""Forms of the management review: preparing it, commenting the inputs a–j, confirming the
meeting and the approval, and the decisions (outputs a–c). The services validate again; the
forms only collect and label what people type."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qms.forms import DATE_WIDGET, StyledForm, VersionedFormMixin
from qms.models import User
from reviews.models import ManagementReview, ReviewDecision
from reviews.selectors.review import top_management
from reviews.selectors.review_inputs import INPUT_CODES, INPUT_TITLES


def _participants_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Participants"),
        queryset=top_management(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Top management and the quality management representative."),
    )


class ReviewCreateForm(StyledForm):
    meeting_date = forms.DateField(label=_("Meeting date"), widget=DATE_WIDGET)
    period_start = forms.DateField(label=_("Period covered from"), widget=DATE_WIDGET)
    period_end = forms.DateField(label=_("Period covered to"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"] = _participants_field()


class ReviewEditForm(VersionedFormMixin, StyledForm):
    """Commentary per input (one field per code a–j), the conclusions and the participants."""

    def __init__(self, *args, review: ManagementReview, **kwargs) -> None:
        commentary = review.commentary or {}
        initial = {
            "version": review.version,
            "summary": review.summary,
            "participants": list(review.participants.all()),
            **{f"commentary_{code}": commentary.get(code, "") for code in INPUT_CODES},
        }
        super().__init__(*args, initial=initial, **kwargs)
        for code in INPUT_CODES:
            self.fields[f"commentary_{code}"] = forms.CharField(
                label=f"{code}) {INPUT_TITLES[code]}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.fields["summary"] = forms.CharField(
            label=_("Conclusions"), required=False, widget=forms.Textarea(attrs={"rows": 5})
        )
        self.fields["participants"] = _participants_field()

    def commentary(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"commentary_{code}"] for code in INPUT_CODES}


class DecisionForm(StyledForm):
    type = forms.ChoiceField(
        label=_("Kind of decision"), choices=ReviewDecision.Type.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(
        label=_("Responsible person"),
        queryset=User.objects.filter(is_active=True).select_related("unit"),
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE_WIDGET)


class DecisionEditForm(VersionedFormMixin, DecisionForm):
    """Before approval: everything; after it, the content fields are dropped and only the
    status (open or cancelled, with a reason) remains."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (ReviewDecision.Status.OPEN.value, ReviewDecision.Status.OPEN.label),
            (ReviewDecision.Status.CANCELLED.value, ReviewDecision.Status.CANCELLED.label),
        ],
        required=False,
    )
    note = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the decision is cancelled."),
    )

    def __init__(self, *args, decision: ReviewDecision, **kwargs) -> None:
        initial = {
            "version": decision.version,
            "type": decision.type,
            "description": decision.description,
            "owner": decision.owner_id,
            "deadline": decision.deadline,
            "status": decision.status if decision.status != ReviewDecision.Status.DONE else "",
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.content_editable = decision.review.status != ManagementReview.Status.APPROVED
        if not self.content_editable:
            for name in ("type", "description", "owner", "deadline"):
                del self.fields[name]

    def service_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["status"] = data.get("status") or None
        return data


class DecisionCompleteForm(VersionedFormMixin, StyledForm):
    note = forms.CharField(
        label=_("How it was carried out"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done and where the evidence is."),
    )
