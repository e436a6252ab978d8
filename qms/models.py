"""Organisation and people: the pieces every SZJ app shares."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
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


def _role_flag(n: int) -> str:
    return f"_has_role_{n}"


def with_roles(users: models.QuerySet) -> models.QuerySet:
    """``users`` with a flag per role of ``qms.roles`` read in the same query (one EXISTS each),
    so that ``User.role_names`` costs no query of its own."""
    membership = User.groups.through.objects.filter(user=models.OuterRef("pk"))
    return users.annotate(
        **{
            _role_flag(n): models.Exists(membership.filter(group__name=name))
            for n, name in enumerate(roles.ALL_ROLES)
        }
    )


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
        """The person's role groups, read once per request — in the same query as the person
        when it came through ``with_roles`` (as the signed-in user does), else now."""
        if not self.is_authenticated or not self.is_active:
            return frozenset()
        if hasattr(self, _role_flag(0)):
            return frozenset(
                name for n, name in enumerate(roles.ALL_ROLES) if getattr(self, _role_flag(n))
            )
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *names: str) -> bool:
        return bool(self.role_names.intersection(names))

    @property
    def role_labels(self) -> list[str]:
        return [str(roles.ROLE_LABELS[n]) for n in roles.ALL_ROLES if n in self.role_names]


# --- reminders ------------------------------------------------------------------------------


# value → label of every reminder kind. Each app registers its own (``register_reminder_kinds``
# in its tasks.py); the column's choices are read from here, so a new kind needs no migration.
_REMINDER_KINDS: dict[str, object] = {}


def register_reminder_kinds(kinds: type[models.TextChoices]) -> type[models.TextChoices]:
    """Add an app's reminder kinds (a ``TextChoices``) to what ``Delivery.kind`` accepts."""
    for value, label in kinds.choices:
        _REMINDER_KINDS[value] = label
    return kinds


def reminder_kind_choices() -> list[tuple[str, object]]:
    return list(_REMINDER_KINDS.items())


def reminder_kind_label(value: str) -> str:
    """The person's-language name of a reminder kind (the value itself if no app knows it)."""
    return str(_REMINDER_KINDS.get(value, value))


class Delivery(models.Model):
    """One reminder for one person on one occasion (the unique key), and its e-mail's fate.

    The daily sweeps create these rows; a sender claims a row with a conditional update before
    sending (``qms.reminders``), so a sweep run twice, a retried task or a redelivered message
    never sends the same reminder twice. Rows are never deleted: they are the log.
    """

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("delivery state", "waiting")
        SENDING = "sending", pgettext_lazy("delivery state", "being sent")
        SENT = "sent", pgettext_lazy("delivery state", "sent")
        FAILED = "failed", pgettext_lazy("delivery state", "failed")

    kind = models.CharField(_("kind"), max_length=40, choices=reminder_kind_choices)
    # The record the reminder is about, by model label and id: a plain pair rather than a
    # generic foreign key, so the key stays cheap to compare and survives any model's changes.
    record_type = models.CharField(_("record type"), max_length=60)
    record_id = models.PositiveBigIntegerField(_("record id"))
    record_label = models.CharField(_("record"), max_length=200)
    recipient = models.ForeignKey(
        "qms.User",
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    occasion = models.CharField(
        _("occasion"),
        max_length=60,
        help_text=_("What makes this reminder distinct: a due date, a week since a deadline."),
    )
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=500)
    language = models.CharField(_("language"), max_length=8, default="pl")
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # Who holds the claim: only the holder may record the outcome, so a sender whose stale
    # claim was taken over cannot overwrite the newer sender's result.
    # Indexed: every send reads and finishes its rows by their claim (see qms.reminders._claim).
    claim_token = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    in_digest = models.BooleanField(_("sent in the daily digest"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "record_type", "record_id", "recipient", "occasion"],
                name="delivery_once_per_occasion",
            )
        ]
        indexes = [
            models.Index(fields=["state", "claimed_at"]),
            models.Index(fields=["recipient", "state"]),
        ]

    def __str__(self) -> str:
        kind = self.get_kind_display()
        return f"{kind}: {self.record_label} → {self.recipient} ({self.occasion})"


class Notification(models.Model):
    """What a person sees in the application's notification list (one per delivery)."""

    recipient = models.ForeignKey(
        "qms.User",
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    delivery = models.OneToOneField(
        Delivery,
        verbose_name=_("reminder delivery"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notification",
    )
    text = models.CharField(_("text"), max_length=500)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        # The navigation counts a person's unread notifications on every page.
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text


class ReminderSettings(models.Model):
    """A person's choices about reminders. Absent means the defaults (one e-mail each)."""

    user = models.OneToOneField(
        "qms.User",
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reminder_settings",
    )
    daily_digest = models.BooleanField(
        _("one daily digest instead of separate e-mails"), default=False
    )

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return str(self.user)
