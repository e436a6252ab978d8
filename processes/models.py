"""The process register kept by WOU (Księga Jakości §6 and załącznik 1)."""

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from qms.models import HttpsURLField, VersionedModel
from qms.uploads import document_upload_to, validate_upload


class Process(VersionedModel):
    class Category(models.TextChoices):
        PZ = "PZ", _("PZ — management processes")
        PG = "PG", _("PG — main processes")
        PW = "PW", _("PW — supporting processes")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        WITHDRAWN = "withdrawn", _("withdrawn")

    category = models.CharField(_("category"), max_length=2, choices=Category.choices)
    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        help_text=_("For example PG.3 or PZ.4.4.5."),
    )
    name = models.CharField(_("name"), max_length=255)
    purpose = models.TextField(_("purpose"), blank=True)
    owner_unit = models.ForeignKey(
        "qms.OrganisationalUnit",
        verbose_name=_("owner unit"),
        on_delete=models.PROTECT,
        related_name="processes",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("process owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_processes",
    )
    inputs = models.TextField(_("inputs"), blank=True)
    outputs = models.TextField(_("outputs"), blank=True)
    related = models.ManyToManyField(
        "self",
        verbose_name=_("related processes"),
        blank=True,
        symmetrical=True,
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.ACTIVE,
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    # Derived from category and code by ``clean()``: the register's natural order (PZ, PG, PW;
    # PG.2 before PG.10), which a plain sort on the code cannot give.
    sort_key = models.CharField(max_length=80, editable=False, db_index=True, default="")
    history = HistoricalRecords(excluded_fields=["sort_key"])

    class Meta:
        ordering = ["sort_key", "code"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        permissions = [
            ("manage_register", _("Can keep the process register")),
            ("change_process_description", _("Can edit the description of the process")),
        ]
        indexes = [models.Index(fields=["status", "sort_key"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        self.sort_key = self.sort_key_for(self.category, self.code)

    @classmethod
    def sort_key_for(cls, category: str, code: str) -> str:
        rank = {c: i for i, c in enumerate(cls.Category.values)}.get(category, 9)
        padded = re.sub(r"\d+", lambda m: m.group().zfill(5), code)
        return f"{rank}{padded}"[:80]

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class ProcessUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign-key object permissions: guardian's generic table casts every key."""

    content_object = models.ForeignKey(Process, on_delete=models.CASCADE)


class ProcessGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Process, on_delete=models.CASCADE)


class GoverningDocument(VersionedModel):
    """A procedure or instruction that governs a process, e.g. "PZ.4.4.5 Przeprowadzanie auditu
    jakości — wydanie szóste". Superseded editions stay on record as not in force."""

    process = models.ForeignKey(
        Process,
        verbose_name=_("process"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    code = models.CharField(_("document code"), max_length=50)
    title = models.CharField(_("title"), max_length=255)
    edition = models.CharField(_("edition"), max_length=50, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    link = HttpsURLField(_("link"), blank=True, max_length=500)
    file = models.FileField(
        _("file"),
        upload_to=document_upload_to,
        blank=True,
        max_length=300,
        validators=[validate_upload],
    )
    in_force = models.BooleanField(_("in force"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-in_force", "code", "-effective_date"]
        verbose_name = _("governing document")
        verbose_name_plural = _("governing documents")

    def __str__(self) -> str:
        edition = f" — {self.edition}" if self.edition else ""
        return f"{self.code} {self.title}{edition}"
