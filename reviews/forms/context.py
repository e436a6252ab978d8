"""Forms of the context register: issues, interested parties, and marking an entry
reviewed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qms.forms import StyledForm, StyledModelForm, VersionedFormMixin
from reviews.forms.common import with_version
from reviews.models import ContextIssue, InterestedParty


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
        with_version(self)


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
        with_version(self)


class ReviewedForm(VersionedFormMixin, StyledForm):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=500,
        help_text=_("What the review found, e.g. “still current, no change”."),
    )
