from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qms import throttle
from qms.forms import StyledFormMixin


class LoginForm(StyledFormMixin, auth_forms.AuthenticationForm):
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed sign-in attempts. For your account's safety, try again in "
            "15 minutes or ask the administrator to reset your password."
        ),
    }

    def _address(self) -> str:
        return self.request.META.get("REMOTE_ADDR", "") if self.request else ""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if throttle.is_blocked(username, self._address()):
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.record_failure(username, self._address())
            raise
        throttle.reset(username)
        return cleaned


class PasswordChangeForm(StyledFormMixin, auth_forms.PasswordChangeForm):
    pass
