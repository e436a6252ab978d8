"""Forms of the Quality Policy: drafting a version and editing the draft."""

from django import forms

from qms.forms import StyledModelForm, VersionedFormMixin
from reviews.forms.common import with_version
from reviews.models import QualityPolicy


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
        with_version(self)
