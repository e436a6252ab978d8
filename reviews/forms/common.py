"""What the forms of several parts of management share: the choice of processes, the version
of an edited record, the reason form. (Date widgets, people and the confirm form are
everyone's: ``qms.forms``.)"""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from processes.models import Process
from qms.forms import StyledForm, VersionedFormMixin


def active_processes() -> QuerySet[Process]:
    """The processes a new record may point at: those in use, in the process map's order."""
    return Process.objects.filter(status=Process.Status.ACTIVE).order_by("sort_key", "code")


def with_version(form: forms.BaseForm) -> None:
    """An edit form of a versioned record carries the version the person opened."""
    if "version" in form.fields and getattr(form, "instance", None) is not None:
        form.fields["version"].initial = form.instance.version


class ReasonForm(VersionedFormMixin, StyledForm):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
