"""The forms and widgets every part of the audit programme uses: the year a list or a plan is
for, and the steps of the workflows (confirm, say what to correct, approve by ordinance)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.forms import DATE_WIDGET, StyledForm, VersionedFormMixin


class YearForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year + 1


class DecisionForm(VersionedFormMixin, StyledForm):
    """Approval by ordinance (zarządzenie): its number and date."""

    ordinance_number = forms.CharField(label=_("Ordinance number"), max_length=60)
    ordinance_date = forms.DateField(label=_("Ordinance date"), widget=DATE_WIDGET)


class CommentForm(VersionedFormMixin, StyledForm):
    comment = forms.CharField(
        label=_("What needs to be corrected"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
