"""Forms of improvement proposals: submitting one, accepting or rejecting it, and
reporting its action implemented."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qms.forms import DATE_WIDGET, StyledForm, StyledModelForm, VersionedFormMixin, active_people
from qms.models import User
from reviews.forms.common import active_processes
from reviews.models import ImprovementProposal


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
        self.fields["process"].queryset = active_processes()
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
        self.fields["action_owner"].queryset = active_people()


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
