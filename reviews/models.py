"""Check and Act at the top (Księga Jakości §3, §4, §9–§12, §27, §29; ISO 9001 6.1, 6.2, 9.1.2,
9.3): the Quality Policy, the context register, improvement proposals, quality objectives with
their measurements, risks and opportunities, customer feedback, and management reviews."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from qms.models import VersionedModel

USER = settings.AUTH_USER_MODEL


class QualityPolicy(VersionedModel):
    """A version of the Polityka Jakości: mission and the Prezydent's declaration."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("policy status", "draft")
        APPROVED = "approved", pgettext_lazy("policy status", "in force")
        SUPERSEDED = "superseded", pgettext_lazy("policy status", "superseded")

    number = models.PositiveIntegerField(_("version number"), unique=True)
    mission = models.TextField(_("mission"))
    declaration = models.TextField(_("the Mayor's declaration"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    approved_by = models.ForeignKey(
        USER,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("quality policy")
        verbose_name_plural = _("quality policies")

    def __str__(self) -> str:
        return str(_("Quality Policy, version %(number)s") % {"number": self.number})


class ContextIssue(VersionedModel):
    """An external or internal issue (§3), reviewed over time."""

    class Kind(models.TextChoices):
        EXTERNAL = "external", _("external")
        INTERNAL = "internal", _("internal")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("issue"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    effect = models.TextField(_("effect on the QMS"), blank=True)
    is_active = models.BooleanField(_("current"), default=True)
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("context issue")
        verbose_name_plural = _("context issues")

    def __str__(self) -> str:
        return self.title


class InterestedParty(VersionedModel):
    """An interested party and its needs and expectations (§4)."""

    name = models.CharField(_("interested party"), max_length=255)
    needs = models.TextField(_("needs and expectations"))
    monitoring = models.TextField(_("how they are monitored"), blank=True)
    is_active = models.BooleanField(_("current"), default=True)
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("interested party")
        verbose_name_plural = _("interested parties")

    def __str__(self) -> str:
        return self.name


class ImprovementProposal(VersionedModel):
    """An improvement proposed by any employee (§10), assessed by the Zespół ds. Rozwoju SZJ;
    an accepted one becomes a tracked action with an owner and a deadline."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("proposal status", "submitted")
        ACCEPTED = "accepted", pgettext_lazy("proposal status", "accepted — in progress")
        REJECTED = "rejected", pgettext_lazy("proposal status", "rejected")
        DONE = "done", pgettext_lazy("proposal status", "implemented")

    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"))
    expected_benefit = models.TextField(_("expected benefit"), blank=True)
    process = models.ForeignKey(
        "processes.Process",
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="improvement_proposals",
    )
    proposed_by = models.ForeignKey(
        USER,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="improvement_proposals",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    assessment = models.TextField(_("assessment"), blank=True)
    assessed_by = models.ForeignKey(
        USER,
        verbose_name=_("assessed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    action_owner = models.ForeignKey(
        USER,
        verbose_name=_("action owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="improvement_actions",
    )
    action_deadline = models.DateField(_("action deadline"), null=True, blank=True)
    completion_note = models.TextField(_("how it was implemented"), blank=True)
    completed_at = models.DateTimeField(_("implemented at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("improvement proposal")
        verbose_name_plural = _("improvement proposals")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.title


class QualityObjective(VersionedModel):
    """A cel jakościowy (Księga Jakości załącznik 2). Its status is derived from the
    measurements (``reviews.selectors.objectives.objective_status``), never typed."""

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        AT_MOST = "at_most", _("at most")

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("monthly")
        QUARTERLY = "quarterly", _("quarterly")
        HALF_YEARLY = "half_yearly", _("half-yearly")
        YEARLY = "yearly", _("yearly")

    year = models.PositiveIntegerField(_("year"), db_index=True)
    policy = models.ForeignKey(
        QualityPolicy,
        verbose_name=_("Quality Policy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objectives",
    )
    title = models.CharField(_("objective"), max_length=255)
    measure = models.CharField(_("measure (miernik)"), max_length=255)
    indicator = models.CharField(_("indicator (wskaźnik)"), max_length=255)
    indicator_unit = models.CharField(_("unit of the indicator"), max_length=30, blank=True)
    target = models.DecimalField(_("target value"), max_digits=12, decimal_places=2)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    frequency = models.CharField(
        _("measurement frequency"), max_length=12, choices=Frequency.choices
    )
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="quality_objectives"
    )
    unit = models.ForeignKey(
        "qms.OrganisationalUnit",
        verbose_name=_("organisational unit"),
        on_delete=models.PROTECT,
        related_name="quality_objectives",
    )
    resources = models.TextField(_("resources"), blank=True)
    deadline = models.DateField(_("deadline"))
    evaluation = models.TextField(_("how results are evaluated"), blank=True)
    is_active = models.BooleanField(_("current"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("quality objective")
        verbose_name_plural = _("quality objectives")
        indexes = [models.Index(fields=["year", "owner"])]

    def __str__(self) -> str:
        return self.title

    def meets(self, value: Decimal) -> bool:
        if self.direction == self.Direction.AT_LEAST:
            return value >= self.target
        return value <= self.target


class Measurement(VersionedModel):
    """A measured value of an objective's indicator for one period."""

    objective = models.ForeignKey(
        QualityObjective,
        verbose_name=_("objective"),
        on_delete=models.PROTECT,
        related_name="measurements",
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    entered_by = models.ForeignKey(
        USER, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["objective", "period_start"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "period_start"], name="measurement_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.objective}: {self.period_start} = {self.value}"


class Risk(VersionedModel):
    """A risk or opportunity (§11; ISO 6.1; the same register serves kontrola zarządcza)."""

    class Kind(models.TextChoices):
        RISK = "risk", _("risk")
        OPPORTUNITY = "opportunity", _("opportunity")

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("risk status", "active")
        CLOSED = "closed", pgettext_lazy("risk status", "no longer relevant")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.RISK)
    process = models.ForeignKey(
        "processes.Process",
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risks",
    )
    objective = models.ForeignKey(
        QualityObjective,
        verbose_name=_("objective"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risks",
    )
    title = models.CharField(_("risk or opportunity"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        _("impact (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    controls = models.TextField(_("controls (mechanizmy kontrolne)"), blank=True)
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="risks"
    )
    next_review = models.DateField(_("next review"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-likelihood", "-impact", "title"]
        verbose_name = _("risk or opportunity")
        verbose_name_plural = _("risks and opportunities")
        indexes = [models.Index(fields=["status", "next_review"])]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class RiskAssessment(models.Model):
    """One assessment of a risk, kept for ever: the register's history of scores."""

    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.PROTECT, related_name="assessments"
    )
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        _("impact (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    controls = models.TextField(_("controls (mechanizmy kontrolne)"), blank=True)
    controls_effective = models.BooleanField(_("controls effective"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    assessed_by = models.ForeignKey(
        USER, verbose_name=_("assessed by"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_at"]
        # Each risk's latest assessment (the register, the management review's figures).
        indexes = [models.Index(fields=["risk", "-assessed_at"], name="reviews_ris_latest_idx")]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")

    def __str__(self) -> str:
        return f"{self.risk}: {self.likelihood}×{self.impact}"

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class Feedback(VersionedModel):
    """Customer feedback (§8, §27): complaints, requests and petitions referenced by their case
    number (not registered again), and satisfaction-survey results."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("complaint (skarga)")
        REQUEST = "request", _("request (wniosek)")
        PETITION = "petition", _("petition (petycja)")
        SURVEY = "survey", _("satisfaction survey")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("being handled")
        JUSTIFIED = "justified", _("justified")
        UNJUSTIFIED = "unjustified", _("unjustified")
        ACCEPTED = "accepted", pgettext_lazy("feedback outcome", "accepted")
        DECLINED = "declined", _("not accepted")
        NOT_APPLICABLE = "n/a", _("not applicable")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reference = models.CharField(_("case number (znak sprawy)"), max_length=100, blank=True)
    received = models.DateField(_("date"), db_index=True)
    unit = models.ForeignKey(
        "qms.OrganisationalUnit",
        verbose_name=_("organisational unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    process = models.ForeignKey(
        "processes.Process",
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    summary = models.TextField(_("summary"))
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING
    )
    survey_name = models.CharField(_("survey"), max_length=255, blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    score_max = models.DecimalField(
        _("maximum score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    respondents = models.PositiveIntegerField(_("respondents"), null=True, blank=True)
    nonconformity = models.OneToOneField(
        "nonconformities.Nonconformity",
        verbose_name=_("nonconformity card"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    entered_by = models.ForeignKey(
        USER, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received", "-id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        indexes = [models.Index(fields=["kind", "received"])]

    def __str__(self) -> str:
        return self.reference or self.survey_name or self.summary[:40]


class ManagementReview(VersionedModel):
    """A przegląd zarządzania (§29). Its inputs are compiled from the records for the period
    (``reviews.selectors.review_inputs``); people add commentary; the approved minutes are
    frozen as a PDF."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("review status", "being prepared")
        HELD = "held", pgettext_lazy("review status", "held")
        APPROVED = "approved", pgettext_lazy("review status", "minutes approved")

    number = models.CharField(_("number"), max_length=30, unique=True)
    meeting_date = models.DateField(_("meeting date"))
    period_start = models.DateField(_("period covered from"))
    period_end = models.DateField(_("period covered to"))
    participants = models.ManyToManyField(
        USER, verbose_name=_("participants"), blank=True, related_name="management_reviews"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    prepared_by = models.ForeignKey(
        USER, verbose_name=_("prepared and convened by"), on_delete=models.PROTECT, related_name="+"
    )
    commentary = models.JSONField(_("commentary on the inputs"), default=dict, blank=True)
    summary = models.TextField(_("conclusions"), blank=True)
    approved_by = models.ForeignKey(
        USER,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    minutes_pdf = models.FileField(
        _("approved minutes"), upload_to="reviews/", blank=True, max_length=300
    )
    minutes_sha256 = models.CharField(
        _("SHA-256 of the approved minutes"), max_length=64, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-meeting_date"]
        verbose_name = _("management review")
        verbose_name_plural = _("management reviews")

    def __str__(self) -> str:
        return str(_("Management review %(number)s") % {"number": self.number})


class ReviewDecision(VersionedModel):
    """An output of a review (decyzja): a) improvement, b) change to the QMS, c) resource need,
    tracked like an action and shown again as input a) of the next review."""

    class Type(models.TextChoices):
        IMPROVEMENT = "a", _("a) improvement of the QMS and its processes")
        CHANGE = "b", _("b) changes to the QMS")
        RESOURCES = "c", _("c) resource needs")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("decision status", "in progress")
        DONE = "done", pgettext_lazy("decision status", "done")
        CANCELLED = "cancelled", pgettext_lazy("decision status", "cancelled")

    review = models.ForeignKey(
        ManagementReview,
        verbose_name=_("review"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    type = models.CharField(_("type"), max_length=1, choices=Type.choices)
    description = models.TextField(_("decision"))
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="review_decisions"
    )
    deadline = models.DateField(_("deadline"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    completion_note = models.TextField(_("how it was carried out"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "type", "id"]
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return self.description[:80]
