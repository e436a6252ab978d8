"""The audit programme (Księga Jakości §10, §28; ISO 9001 9.2; ISO 19011 5–6): auditor
appointments per year, the annual audit plan with its revisions, audits, checklists, findings."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.models import VersionedModel

MONTHS = [
    (1, _("January")), (2, _("February")), (3, _("March")), (4, _("April")),
    (5, _("May")), (6, _("June")), (7, _("July")), (8, _("August")),
    (9, _("September")), (10, _("October")), (11, _("November")), (12, _("December")),
]  # fmt: skip


class AuditorList(VersionedModel):
    """The candidate list for one calendar year that the Prezydent turns into an appointment
    (zarządzenie w sprawie powołania auditorów)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted for appointment")
        APPOINTED = "appointed", _("auditors appointed")

    year = models.PositiveIntegerField(_("year"), unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    ordinance_number = models.CharField(_("ordinance number"), max_length=60, blank=True)
    ordinance_date = models.DateField(_("ordinance date"), null=True, blank=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appointed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    appointed_at = models.DateTimeField(_("appointed at"), null=True, blank=True)
    return_comment = models.TextField(_("comment on return"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("auditor candidate list")
        verbose_name_plural = _("auditor candidate lists")

    def __str__(self) -> str:
        return str(_("Auditors %(year)s") % {"year": self.year})


class AuditorCandidate(VersionedModel):
    """A person on a year's list, with the evidence of their qualification."""

    auditor_list = models.ForeignKey(
        AuditorList, verbose_name=_("list"), on_delete=models.PROTECT, related_name="candidates"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="auditor_candidacies",
    )
    qualification = models.CharField(
        _("qualification evidence"),
        max_length=255,
        help_text=_("For example the training certificate: its title and issuer."),
    )
    certificate_date = models.DateField(_("certificate date"))
    notes = models.TextField(_("notes"), blank=True)
    # A list carried over from the previous year must be looked at again, person by person.
    reviewed = models.BooleanField(_("reviewed for this year"), default=True)
    removed = models.BooleanField(_("removed from the list"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person__last_name", "person__first_name"]
        verbose_name = _("auditor candidate")
        verbose_name_plural = _("auditor candidates")
        constraints = [
            models.UniqueConstraint(
                fields=["auditor_list", "person"], name="auditor_candidate_once_per_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.auditor_list.year})"


class AuditPlan(VersionedModel):
    """One revision of the annual audit plan (roczny plan auditów jakości).

    An approved revision never changes: a change after approval is a new revision that goes
    through approval again; on its approval the previous one becomes superseded.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted for approval")
        APPROVED = "approved", _("approved")
        SUPERSEDED = "superseded", _("superseded by a later revision")

    year = models.PositiveIntegerField(_("year"))
    revision = models.PositiveIntegerField(_("revision"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    change_reason = models.TextField(_("reason for the revision"), blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    ordinance_number = models.CharField(_("ordinance number"), max_length=60, blank=True)
    ordinance_date = models.DateField(_("ordinance date"), null=True, blank=True)
    return_comment = models.TextField(_("comment on return"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-revision"]
        verbose_name = _("annual audit plan")
        verbose_name_plural = _("annual audit plans")
        constraints = [
            models.UniqueConstraint(fields=["year", "revision"], name="audit_plan_revision_once"),
            # At most one revision of a year is being worked on at a time.
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(status__in=["draft", "submitted"]),
                name="audit_plan_one_open_revision",
            ),
        ]
        indexes = [models.Index(fields=["status", "year"])]

    def __str__(self) -> str:
        return str(
            _("Audit plan %(year)s, revision %(revision)s")
            % {"year": self.year, "revision": self.revision}
        )

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class PlannedAudit(VersionedModel):
    """An entry of a plan revision. Copies of the same entry in later revisions share
    ``entry_key``, which is how revisions are compared and audits follow their entry."""

    plan = models.ForeignKey(
        AuditPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="entries"
    )
    entry_key = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    processes = models.ManyToManyField(
        "processes.Process", verbose_name=_("audited processes"), related_name="planned_audits"
    )
    units = models.ManyToManyField(
        "qms.OrganisationalUnit", verbose_name=_("audited units"), related_name="planned_audits"
    )
    scope = models.TextField(_("scope"))
    criteria = models.TextField(
        _("criteria"), help_text=_("Laws, procedures and clauses of the standard.")
    )
    planned_month = models.PositiveSmallIntegerField(_("planned month"), choices=MONTHS)
    lead_auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead auditor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="planned_audits_led",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("audit team"),
        blank=True,
        related_name="planned_audits_in_team",
    )
    withdrawn = models.BooleanField(_("removed from the plan"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["planned_month", "id"]
        verbose_name = _("planned audit")
        verbose_name_plural = _("planned audits")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "entry_key"], name="planned_audit_once_per_plan"
            )
        ]
        # The plan page lists a plan's entries in this order, a page at a time.
        indexes = [
            models.Index(fields=["plan", "planned_month", "id"], name="planned_audit_plan_order")
        ]

    def __str__(self) -> str:
        return str(_("Planned audit: %(scope)s") % {"scope": self.scope[:60]})


class Audit(VersionedModel):
    """An audit carried out from an entry of the approved plan."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        REPORT_SUBMITTED = "report_submitted", _("report submitted")
        ACKNOWLEDGED = "acknowledged", _("acknowledged by the auditee")
        EVALUATED = "evaluated", _("evaluated by WOU")
        CLOSED = "closed", _("closed")

    class Assessment(models.TextChoices):
        POSITIVE = "positive", _("positive")
        POSITIVE_WITH_REMARKS = "remarks", _("positive with remarks")
        NEGATIVE = "negative", _("negative — to be corrected")

    number = models.CharField(_("number"), max_length=30, unique=True)
    year = models.PositiveIntegerField(_("year"), db_index=True)
    planned_entry = models.ForeignKey(
        PlannedAudit,
        verbose_name=_("plan entry"),
        on_delete=models.PROTECT,
        related_name="audits",
    )
    entry_key = models.UUIDField(editable=False, db_index=True)
    processes = models.ManyToManyField(
        "processes.Process", verbose_name=_("audited processes"), related_name="audits"
    )
    units = models.ManyToManyField(
        "qms.OrganisationalUnit", verbose_name=_("audited units"), related_name="audits"
    )
    scope = models.TextField(_("scope"))
    criteria = models.TextField(_("criteria"))
    objectives = models.TextField(
        _("objectives"),
        default="Ocena zgodności i skuteczności procesu z wymaganiami normy PN-EN ISO 9001:2015, "
        "przepisów prawa i procedur Urzędu.",
    )
    planned_month = models.PositiveSmallIntegerField(_("planned month"), choices=MONTHS)
    lead_auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead auditor"),
        on_delete=models.PROTECT,
        related_name="audits_led",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("audit team"),
        blank=True,
        related_name="audits_in_team",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    opening_meeting = models.DateTimeField(_("opening meeting"), null=True, blank=True)
    closing_meeting = models.DateTimeField(_("closing meeting"), null=True, blank=True)
    auditee_representatives = models.TextField(_("auditee representatives"), blank=True)
    evidence = models.TextField(_("audit evidence"), blank=True)
    followup = models.TextField(
        _("follow-up of earlier corrective actions"),
        blank=True,
        help_text=_("How the corrective actions from earlier audits of these processes work."),
    )
    conclusions = models.TextField(_("conclusions"), blank=True)
    report_submitted_at = models.DateTimeField(_("report submitted at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    assessment = models.CharField(
        _("assessment"), max_length=10, choices=Assessment.choices, blank=True
    )
    assessment_comment = models.TextField(_("assessment comment"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "planned_month", "number"]
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        indexes = [
            models.Index(fields=["status", "year"]),
            # The audit list pages through every audit in this order.
            models.Index(fields=["-year", "planned_month", "number"], name="audit_list_order"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_editable_by_auditors(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)


class ChecklistItem(VersionedModel):
    """A question of the audit's checklist (lista pytań kontrolnych) and its answer."""

    audit = models.ForeignKey(
        Audit, verbose_name=_("audit"), on_delete=models.PROTECT, related_name="checklist"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    question = models.TextField(_("question"))
    requirement = models.CharField(_("requirement"), max_length=255, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist questions")

    def __str__(self) -> str:
        return self.question[:80]


class Finding(VersionedModel):
    """An audit finding (ustalenie z auditu) filed on the form."""

    class Type(models.TextChoices):
        NONCONFORMITY = "nonconformity", _("nonconformity")
        OBSERVATION = "observation", _("observation")
        IMPROVEMENT = "improvement", _("opportunity for improvement")
        GOOD_PRACTICE = "good_practice", _("good practice")

    class Grade(models.TextChoices):
        MINOR = "minor", _("minor")
        MAJOR = "major", _("major")

    audit = models.ForeignKey(
        Audit, verbose_name=_("audit"), on_delete=models.PROTECT, related_name="findings"
    )
    number = models.PositiveIntegerField(_("number"))
    type = models.CharField(_("type"), max_length=15, choices=Type.choices)
    grade = models.CharField(_("grade"), max_length=5, choices=Grade.choices, blank=True)
    process = models.ForeignKey(
        "processes.Process",
        verbose_name=_("process"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    requirement = models.TextField(
        _("requirement or criterion"),
        help_text=_("The clause of the standard, the law or the procedure concerned."),
    )
    description = models.TextField(_("what was found"))
    evidence = models.TextField(_("evidence"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["audit", "number"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="finding_number_once"),
            models.CheckConstraint(
                condition=(
                    models.Q(type="nonconformity", grade__in=["minor", "major"])
                    | (~models.Q(type="nonconformity") & models.Q(grade=""))
                ),
                name="finding_grade_only_for_nonconformity",
                violation_error_message=_(
                    "A nonconformity needs its grade; other findings have none."
                ),
            ),
        ]
        indexes = [models.Index(fields=["type", "process"])]

    def __str__(self) -> str:
        return f"{self.audit.number}/{self.number}"
