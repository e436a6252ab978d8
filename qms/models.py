"""Organisation and people: the pieces every SZJ app shares."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms import roles


class HttpsURLField(models.URLField):
    """A URL field whose forms assume https for an address typed without a scheme
    (Django 6's default, chosen now so links do not change meaning on upgrade)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class VersionedModel(models.Model):
    """A record edited by people through forms.

    ``version`` grows by one on every save made by a service; a service refuses a save whose
    form was based on an older version (see ``qms.services.save_versioned``), so two people
    editing the same record at once never overwrite each other silently.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        abstract = True


class OrganisationalUnit(VersionedModel):
    """A komórka organizacyjna of the city hall (e.g. WOU — Wydział Organizacji Urzędu)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    director = models.ForeignKey(
        "qms.User",
        verbose_name=_("director"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directed_units",
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class User(AbstractUser):
    """An employee of the city hall. Roles are groups (``qms.roles``)."""

    unit = models.ForeignKey(
        OrganisationalUnit,
        verbose_name=_("organisational unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        default="pl",
        choices=[("pl", "polski"), ("en", "English")],
    )
    # Secret for the personal calendar feed (ICS), which calendar programs fetch without a
    # session. Reset by the person; never shown to anyone else.
    calendar_token = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    # Passwords, login times and the feed secret are not QMS records; keeping them in history
    # would only multiply copies of secrets.
    history = HistoricalRecords(excluded_fields=["password", "last_login", "calendar_token"])

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def role_names(self) -> frozenset[str]:
        """The person's role groups, read once per request."""
        if not self.is_authenticated or not self.is_active:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *names: str) -> bool:
        return bool(self.role_names.intersection(names))

    @property
    def role_labels(self) -> list[str]:
        return [str(roles.ROLE_LABELS[n]) for n in roles.ALL_ROLES if n in self.role_names]
