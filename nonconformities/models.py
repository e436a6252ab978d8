"""Nonconformity cards and corrective actions (Księga Jakości §26, ISO 9001 10.2)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from qms.models import VersionedModel
from qms.uploads import document_upload_to, validate_upload


class CardNumber(models.Model):
    """The last number given for a year. Locked and advanced in the transaction that creates
    the card, so numbers are never repeated and a rolled-back card leaves no gap."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("card number counter")
        verbose_name_plural = _("card number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Nonconformity(VersionedModel):
    """A karta niezgodności."""

    class Source(models.TextChoices):
        AUDIT_FINDING = "audit", _("quality audit finding")
        COMPLAINT = "complaint", _("complaint, request or petition")
        INTERNAL_CONTROL = "internal_control", _("internal control")
        EXTERNAL_AUDIT = "external_audit", _("external audit")
        MANAGEMENT_REVIEW = "review", _("management review")
        OWN_DETECTION = "own", _("own detection")

    class Grade(models.TextChoices):
        MINOR = "minor", _("minor")
        MAJOR = "major", _("major")

    class Status(models.TextChoices):
        # A context per record type: Polish adjectives agree with the noun (karta — feminine).
        REPORTED = "reported", pgettext_lazy("card status", "reported")
        ANALYSIS = "analysis", pgettext_lazy("card status", "root-cause analysis")
        PLANNED = "planned", pgettext_lazy("card status", "actions planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("card status", "actions in progress")
        VERIFICATION = "verification", pgettext_lazy("card status", "effectiveness verification")
        CLOSED = "closed", pgettext_lazy("card status", "closed")
        REOPENED = "reopened", pgettext_lazy("card status", "reopened")
        CANCELLED = "cancelled", pgettext_lazy("card status", "cancelled")

    OPEN_STATUSES = (
        Status.REPORTED,
        Status.ANALYSIS,
        Status.PLANNED,
        Status.IN_PROGRESS,
        Status.VERIFICATION,
        Status.REOPENED,
    )

    number = models.CharField(_("number"), max_length=20, unique=True)
    year = models.PositiveIntegerField(_("year"), db_index=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    finding = models.OneToOneField(
        "audits.Finding",
        verbose_name=_("audit finding"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nonconformity",
    )
    external_reference = models.CharField(
        _("reference (case number)"),
        max_length=100,
        blank=True,
        help_text=_("For example the znak sprawy of a complaint or an external audit report."),
    )
    process = models.ForeignKey(
        "processes.Process",
        verbose_name=_("process"),
        on_delete=models.PROTECT,
        related_name="nonconformities",
    )
    unit = models.ForeignKey(
        "qms.OrganisationalUnit",
        verbose_name=_("organisational unit"),
        on_delete=models.PROTECT,
        related_name="nonconformities",
    )
    requirement = models.TextField(_("requirement"))
    description = models.TextField(_("what was found"))
    evidence = models.TextField(_("evidence"))
    grade = models.CharField(_("grade"), max_length=5, choices=Grade.choices)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.REPORTED
    )
    correction = models.TextField(_("correction"), blank=True)
    correction_by = models.CharField(_("correction made by"), max_length=200, blank=True)
    correction_date = models.DateField(_("correction date"), null=True, blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    five_whys = models.JSONField(_("5 × why"), default=list, blank=True)
    similar = models.TextField(
        _("similar nonconformities"),
        blank=True,
        help_text=_("Do similar nonconformities exist, or could they occur elsewhere?"),
    )
    round = models.PositiveSmallIntegerField(_("round of actions"), default=1)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verification_effective = models.BooleanField(_("effective"), null=True, blank=True)
    verification_note = models.TextField(_("verification note"), blank=True)
    cancellation_reason = models.TextField(_("reason for cancellation"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("nonconformity card")
        verbose_name_plural = _("nonconformity cards")
        indexes = [
            # The register's order: a page is read off this index instead of sorting every card.
            models.Index(fields=["-year", "-number"], name="nonconformi_register_order_idx"),
            models.Index(fields=["status", "year"]),
            models.Index(fields=["process", "status"]),
            models.Index(fields=["source", "year"]),
            # The management review counts the cards raised in its period.
            models.Index(fields=["created_at"], name="nonconformi_created_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class CorrectiveAction(VersionedModel):
    """A działanie korygujące: who does what by when, and the evidence that it was done."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("action status", "planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("action status", "in progress")
        DONE = "done", pgettext_lazy("action status", "done")
        CANCELLED = "cancelled", pgettext_lazy("action status", "cancelled")

    card = models.ForeignKey(
        Nonconformity, verbose_name=_("card"), on_delete=models.PROTECT, related_name="actions"
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    description = models.TextField(_("action"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        related_name="corrective_actions",
    )
    deadline = models.DateField(_("deadline"), db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    completion_note = models.TextField(_("evidence of completion"), blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "deadline", "id"]
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        indexes = [
            models.Index(fields=["responsible", "status", "deadline"]),
            # Open actions are a few hundred among tens of thousands done: the register's
            # "open actions" and "overdue" figures read this small index, never the table.
            models.Index(
                fields=["card", "deadline"],
                condition=models.Q(status__in=["planned", "in_progress"]),
                name="nonconformi_open_action_idx",
            ),
            # Overdue actions, longest overdue first (start page, reminders, the review).
            models.Index(
                fields=["deadline"],
                condition=models.Q(status__in=["planned", "in_progress"]),
                name="nonconformi_open_deadline_idx",
            ),
            # The management review counts the actions done in its period.
            models.Index(fields=["status", "completed_at"], name="nonconformi_done_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.card.number}: {self.description[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)


class DeadlineExtension(models.Model):
    """A deadline moved, with the reason (kept as its own record, never edited)."""

    action = models.ForeignKey(
        CorrectiveAction,
        verbose_name=_("action"),
        on_delete=models.PROTECT,
        related_name="extensions",
    )
    previous_deadline = models.DateField(_("previous deadline"))
    new_deadline = models.DateField(_("new deadline"))
    reason = models.TextField(_("reason"))
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("extended by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    extended_at = models.DateTimeField(_("extended at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["extended_at"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")

    def __str__(self) -> str:
        return f"{self.previous_deadline} → {self.new_deadline}"


class Evidence(models.Model):
    """A file attached as evidence of completing an action. Stored outside the static tree
    and served only through a permission-checked view; never deleted."""

    action = models.ForeignKey(
        CorrectiveAction,
        verbose_name=_("action"),
        on_delete=models.PROTECT,
        related_name="evidence_files",
    )
    file = models.FileField(
        _("file"), upload_to=document_upload_to, max_length=300, validators=[validate_upload]
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]
