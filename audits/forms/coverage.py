"""Forms of the coverage table: the year being planned."""

from django import forms
from django.utils.translation import gettext_lazy

from qms.forms import StyledForm

FIRST_YEAR = 2000
LAST_YEAR = 2100


class CoverageYearForm(StyledForm):
    year = forms.IntegerField(
        label=gettext_lazy("Year being planned"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=gettext_lazy("The table shows this year and the four years before it."),
    )
