"""Factories for the whole suite. Records that carry permissions are created the way the
services create them, so tests see the same object permissions as production."""

import datetime

import factory
from django.contrib.auth.models import Group

from audits.models import AuditorCandidate, AuditorList
from processes.models import GoverningDocument, Process
from processes.services.register import sync_owner_permission
from qms.models import OrganisationalUnit, User


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationalUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"Wydział Próbny nr {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"osoba{n}")
    first_name = "Zofia"
    last_name = factory.Sequence(lambda n: f"Żółkiewska-{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    unit = factory.SubFactory(UnitFactory)
    password = factory.django.Password("haslo-testowe-123")

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs) -> None:
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    category = Process.Category.PG
    code = factory.Sequence(lambda n: f"PG.{n + 100}")
    name = factory.Sequence(lambda n: f"Proces główny nr {n} — obsługa źródeł")
    purpose = "Zapewnienie terminowej obsługi spraw."
    sort_key = factory.LazyAttribute(lambda o: Process.sort_key_for(o.category, o.code))
    owner_unit = factory.SubFactory(UnitFactory)
    owner = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..owner_unit"))

    @factory.post_generation
    def owner_permission(self, create: bool, extracted, **kwargs) -> None:
        # The register's services grant the owner's object permission; so does the factory.
        if create:
            sync_owner_permission(self, None)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoverningDocument

    process = factory.SubFactory(ProcessFactory)
    code = factory.Sequence(lambda n: f"PG.{n}.1")
    title = "Procedura obsługi"
    edition = "wydanie pierwsze"
    link = "https://example.org/procedura.pdf"


def appoint_auditors(year: int, *people: User) -> AuditorList:
    """An appointed auditor list for ``year`` holding ``people`` (as the Prezydent leaves it)."""
    auditor_list, _created = AuditorList.objects.get_or_create(
        year=year,
        defaults={
            "status": AuditorList.Status.APPOINTED,
            "ordinance_number": f"{year - 1}/0412/ZP",
            "ordinance_date": datetime.date(year - 1, 12, 15),
        },
    )
    for person in people:
        AuditorCandidate.objects.get_or_create(
            auditor_list=auditor_list,
            person=person,
            defaults={
                "qualification": "Szkolenie auditora wewnętrznego ISO 9001:2015",
                "certificate_date": datetime.date(year - 2, 5, 20),
            },
        )
    return auditor_list


class AuditPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "audits.AuditPlan"
        django_get_or_create = ("year", "revision")

    year = 2027
    revision = 1


class PlannedAuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "audits.PlannedAudit"
        skip_postgeneration_save = True

    plan = factory.SubFactory(AuditPlanFactory)
    scope = "Obsługa wniosków w procesie"
    criteria = "PN-EN ISO 9001:2015 pkt 8.2, 8.5; procedura PG.3.1"
    planned_month = 3

    @factory.post_generation
    def processes(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.processes.set(extracted)
            self.units.set({p.owner_unit for p in extracted})


class AuditFactory(factory.django.DjangoModelFactory):
    """An audit as ``audits_create_from_plan`` makes it, from an entry of a plan."""

    class Meta:
        model = "audits.Audit"
        skip_postgeneration_save = True

    year = 2027
    number = factory.Sequence(lambda n: f"A/2027/{n + 1:02d}")
    planned_entry = factory.SubFactory(PlannedAuditFactory)
    entry_key = factory.SelfAttribute("planned_entry.entry_key")
    scope = "Obsługa wniosków w procesie"
    criteria = "PN-EN ISO 9001:2015 pkt 8.2, 8.5"
    planned_month = 3
    lead_auditor = factory.SubFactory(UserFactory)

    @factory.post_generation
    def processes(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.processes.set(extracted)
            self.units.set({p.owner_unit for p in extracted})

    @factory.post_generation
    def team(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.team.set(extracted)
