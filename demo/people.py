"""The demo organisation: its units, people with every role and the administrator.

The accounts share a password published in README; ``seed_demo`` refuses to run with DEBUG off.
"""

from django.contrib.auth.models import Group

from qms import roles
from qms.models import OrganisationalUnit, User
from qms.services import create_recorded, save_versioned

# Published in README on purpose; the command refuses to run with DEBUG off.
DEMO_PASSWORD = "demo-szj-2026"  # noqa: S105  # nosec B105

# code, name, parent code
UNITS = [
    ("GP", "Gabinet Prezydenta", None),
    ("WOU", "Wydział Organizacji Urzędu", "GP"),
    ("BOM", "Biuro Obsługi Mieszkańców", "WOU"),
    ("WSO", "Wydział Spraw Obywatelskich", "GP"),
    ("USC", "Urząd Stanu Cywilnego", "GP"),
    ("WKM", "Wydział Komunikacji", "GP"),
    ("WPO", "Wydział Podatków i Opłat", "GP"),
    ("WBK", "Wydział Budżetu i Księgowości", "GP"),
    ("WGM", "Wydział Gospodarowania Mieniem", "GP"),
    ("WAB", "Wydział Architektury i Budownictwa", "GP"),
    ("WOŚ", "Wydział Ochrony Środowiska", "GP"),
    ("WOW", "Wydział Oświaty i Wychowania", "GP"),
    ("BZP", "Biuro Zamówień Publicznych", "GP"),
    ("WKP", "Wydział Kadr i Płac", "WOU"),
    ("WIT", "Wydział Informatyki i Telekomunikacji", "WOU"),
    ("BRP", "Biuro Radców Prawnych", "GP"),
]

# username, first name, last name, unit, position, roles, directs unit
PEOPLE = [
    (
        "prezydent",
        "Krzysztof",
        "Żurawski",
        "GP",
        "Prezydent Miasta",
        [roles.PREZYDENT, roles.NAJWYZSZE_KIEROWNICTWO],
        "GP",
    ),
    (
        "kierownictwo",
        "Elżbieta",
        "Sęk",
        "GP",
        "Sekretarz Miasta",
        [roles.NAJWYZSZE_KIEROWNICTWO],
        None,
    ),
    (
        "pelnomocnik",
        "Małgorzata",
        "Wójcik",
        "WOU",
        "Pełnomocnik ds. SZJ",
        [roles.PELNOMOCNIK, roles.NAJWYZSZE_KIEROWNICTWO, roles.ZESPOL_ROZWOJU],
        None,
    ),
    (
        "koordynator",
        "Tomasz",
        "Kołodziej",
        "WOU",
        "Dyrektor Wydziału Organizacji Urzędu",
        [roles.KOORDYNATOR_WOU, roles.ZESPOL_ROZWOJU],
        "WOU",
    ),
    ("wlasciciel", "Anna", "Łęcka", "WSO", "Dyrektor Wydziału Spraw Obywatelskich", [], "WSO"),
    ("wlasciciel2", "Paweł", "Ślusarczyk", "WKM", "Dyrektor Wydziału Komunikacji", [], "WKM"),
    ("auditor", "Joanna", "Grześkiewicz", "WBK", "Główna specjalistka", [], None),
    ("auditor2", "Katarzyna", "Lis", "WPO", "Inspektor", [], None),
    ("auditor3", "Marcin", "Sowa", "WIT", "Starszy informatyk", [], None),
    ("pracownik", "Michał", "Dąbrowski", "BOM", "Inspektor", [], None),
]

# For the units whose director is not one of the demo personas above.
DIRECTOR_NAMES = [
    ("Barbara", "Kowalska"),
    ("Piotr", "Nowicki"),
    ("Ewa", "Zielińska"),
    ("Marek", "Wiśniewski"),
    ("Katarzyna", "Lewandowska"),
    ("Grzegorz", "Kamiński"),
    ("Agnieszka", "Szymańska"),
    ("Andrzej", "Woźniak"),
    ("Magdalena", "Kozłowska"),
    ("Jacek", "Mazur"),
    ("Dorota", "Krawczyk"),
    ("Rafał", "Pietrzak"),
    ("Irena", "Jabłońska"),
    ("Łukasz", "Górski"),
]


def seed_people() -> tuple[dict[str, OrganisationalUnit], dict[str, User], int]:
    """The units, the demo people, a director for every unit and the administrator; idempotent.

    Returns the units by code, the people by username and how many records were created.
    """
    created = 0
    units: dict[str, OrganisationalUnit] = {}
    for code, name, parent in UNITS:
        unit = OrganisationalUnit.objects.filter(code=code).first()
        if unit is None:
            unit = create_recorded(
                OrganisationalUnit(code=code, name=name, parent=units.get(parent or "")),
                by=None,
                change_reason="Dane demonstracyjne",
            )
            created += 1
        units[code] = unit

    people: dict[str, User] = {}
    for username, first, last, unit_code, position, role_names, directs in PEOPLE:
        people[username], new = _person(
            username, first, last, units[unit_code], position, role_names
        )
        created += new
        if directs and units[directs].director_id is None:
            _set_director(units[directs], people[username])
    # Every unit without a named demo director gets one, so every process has an owner.
    spare_names = iter(DIRECTOR_NAMES)
    for code, unit in units.items():
        if unit.director_id is None:
            first, last = next(spare_names)
            director, new = _person(
                f"dyrektor.{code.lower()}", first, last, unit, f"Dyrektor — {unit.name}", []
            )
            created += new
            _set_director(unit, director)

    if not User.objects.filter(username="admin").exists():
        admin = User(
            username="admin",
            first_name="Administrator",
            last_name="Systemu",
            is_staff=True,
            is_superuser=True,
            email="admin@example.org",
            unit=units["WIT"],
            position="Administrator systemu",
        )
        admin.set_password(DEMO_PASSWORD)
        admin.save()
        created += 1
    return units, people, created


def _person(username, first, last, unit, position, role_names) -> tuple[User, int]:
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, 0
    user = User(
        username=username,
        first_name=first,
        last_name=last,
        unit=unit,
        position=position,
        email=f"{username}@example.org",
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    if role_names:
        user.groups.set(Group.objects.filter(name__in=role_names))
    return user, 1


def _set_director(unit: OrganisationalUnit, director: User) -> None:
    unit.director = director
    save_versioned(unit, expected_version=unit.version, by=None, update_fields=["director"])
