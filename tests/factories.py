"""Factories for the whole suite. Records that carry permissions are created the way the
services create them, so tests see the same object permissions as production."""

import factory
from django.contrib.auth.models import Group

from processes.models import GoverningDocument, Process
from processes.services import sync_owner_permission
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
