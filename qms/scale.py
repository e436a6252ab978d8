"""A large, realistic, deterministic history of the SZJ for load tests (``seed_scale``).

Volumes at factor 1 (``Volumes.for_factor``), each multiplied by the factor and rounded with
``max(1, round(x))``:

- 60 organisational units (the Lublin-like units of ``seed_demo`` first, then generated ones),
  each with a director; 300 users in all, the demo accounts of ``seed_demo`` among them;
- 120 processes (about 15 % PZ, 30 % PW, the rest PG), owned by their unit's director, with
  one governing document each, relations between them and the owner's object permission;
- per year: the auditor appointment (about 10 % of the staff) and the approved audit plan
  (some years amended by a second revision), 40 audits with 10 findings each (audits not yet
  started have none), 150 nonconformity cards with 2–3 corrective actions each (cards still
  at reporting or root-cause analysis have none), 50 quality objectives measured monthly,
  500 feedback records, 20 improvement proposals and one management review with 3 decisions
  once approved;
- 200 risks and opportunities over the whole period, each assessed once a year; 30 context
  issues and 15 interested parties; a Quality Policy version every four years;
- the reminder deliveries and in-app notifications that history implies: "due in 7 days",
  "due today" and weekly "overdue" (escalated after 14 days) for corrective actions,
  "verification due" for cards, "audit in 7 days" for audits; all sent, most notifications read.

Findings per audit, actions per card, reviews per year and decisions per review do not scale.

Years ``end_year - years + 1 … end_year``. Records of past years are finished (audits closed,
cards closed or cancelled, actions done, reviews approved, proposals implemented or rejected,
feedback answered). The last year is cut at "today" (``timezone.localdate()`` when it is the
current year, else 31 December) and has open work: a draft plan revision, audits planned, in
progress and waiting for acknowledgement, cards in every open state, actions in progress with
deadlines in the coming weeks and some overdue, a missing measurement here and there, pending
complaints and the year's review being prepared.

How it stays fast: every value is computed in Python from one ``random.Random(seed)`` and
written with ``bulk_create`` in batches (no per-row queries, no ``save()``). ``auto_now`` and
``auto_now_add`` are switched off while seeding so that creation times are part of the
generated content (and the same for the same seed). One password hash serves every account.

History (django-simple-history): bulk inserts write no history, so one "+" row per record is
written in bulk, dated when the record was created and naming who created it, for the records
people open and audit: units, processes, documents, auditor lists, plans and their entries,
audits, findings, cards, actions, the Quality Policy, context issues, interested parties,
proposals, objectives, risks, reviews and decisions. Users, auditor candidates, measurements,
risk assessments, feedback, deliveries and notifications get no history rows (the bulk of the
rows; nobody reads their history in bulk), which keeps a factor-10 run within minutes.

The approved reviews' minutes are rendered and frozen at the end, as ``review_approve`` does
(a PDF file in MEDIA_ROOT per approved review, ``years - 1`` of them, about two seconds
each; ``minutes=False`` / ``--no-minutes`` skips them, as the fast tests do). Not
generated: checklists, deadline extensions and evidence files.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import random
import time
import unicodedata
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from audits.models import Audit, AuditorCandidate, AuditorList, AuditPlan, Finding, PlannedAudit
from nonconformities.models import CardNumber, CorrectiveAction, Nonconformity
from processes.models import GoverningDocument, Process, ProcessUserObjectPermission
from qms import roles
from qms.management.commands.seed_demo import DEMO_PASSWORD, PEOPLE, UNITS
from qms.models import Delivery, Notification, OrganisationalUnit, User
from reviews.models import (
    ContextIssue,
    Feedback,
    ImprovementProposal,
    InterestedParty,
    ManagementReview,
    Measurement,
    QualityObjective,
    QualityPolicy,
    ReviewDecision,
    Risk,
    RiskAssessment,
)

BATCH_SIZE = 2000
FINDINGS_PER_AUDIT = 10
DECISIONS_PER_REVIEW = 3
DEMO_ADMIN = "admin"
DESCRIPTION_CODENAME = "change_process_description"
CERTIFICATE = "Szkolenie „Auditor wewnętrzny systemu zarządzania jakością ISO 9001:2015”"

Day = datetime.date


@dataclass(frozen=True)
class Volumes:
    """How many records of each kind one run creates (per year where the name says so)."""

    units: int
    users: int
    processes: int
    audits_per_year: int
    cards_per_year: int
    objectives_per_year: int
    risks: int
    feedback_per_year: int
    proposals_per_year: int
    context_issues: int
    interested_parties: int

    @classmethod
    def for_factor(cls, factor: float) -> Volumes:
        def n(base: int) -> int:
            return max(1, round(base * factor))

        units = n(60)
        return cls(
            units=units,
            # Every demo account and one director per unit, whatever the factor.
            users=max(len(PEOPLE) + 1 + units, n(300)),
            processes=n(120),
            audits_per_year=n(40),
            cards_per_year=n(150),
            objectives_per_year=n(50),
            risks=n(200),
            feedback_per_year=n(500),
            proposals_per_year=n(20),
            context_issues=n(30),
            interested_parties=n(15),
        )


# --- Polish content ------------------------------------------------------------------------

FIRST_NAMES_F = [
    "Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna",
    "Elżbieta", "Zofia", "Joanna", "Magdalena", "Monika", "Beata", "Dorota", "Jolanta",
    "Aleksandra", "Grażyna", "Halina", "Iwona", "Urszula", "Bożena", "Teresa", "Danuta",
]  # fmt: skip
FIRST_NAMES_M = [
    "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Jan", "Michał", "Marcin",
    "Stanisław", "Jakub", "Adam", "Marek", "Łukasz", "Grzegorz", "Mateusz", "Wojciech",
    "Mariusz", "Dariusz", "Zbigniew", "Jerzy", "Maciej", "Rafał", "Kamil", "Sławomir",
]  # fmt: skip
# (masculine, feminine)
LAST_NAMES = [
    ("Nowak", "Nowak"), ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"),
    ("Wójcik", "Wójcik"), ("Kowalczyk", "Kowalczyk"), ("Kamiński", "Kamińska"),
    ("Lewandowski", "Lewandowska"), ("Zieliński", "Zielińska"), ("Szymański", "Szymańska"),
    ("Woźniak", "Woźniak"), ("Dąbrowski", "Dąbrowska"), ("Kozłowski", "Kozłowska"),
    ("Jankowski", "Jankowska"), ("Mazur", "Mazur"), ("Kwiatkowski", "Kwiatkowska"),
    ("Krawczyk", "Krawczyk"), ("Piotrowski", "Piotrowska"), ("Grabowski", "Grabowska"),
    ("Pawłowski", "Pawłowska"), ("Michalski", "Michalska"), ("Król", "Król"),
    ("Wieczorek", "Wieczorek"), ("Jabłoński", "Jabłońska"), ("Wróbel", "Wróbel"),
    ("Majewski", "Majewska"), ("Olszewski", "Olszewska"), ("Stępień", "Stępień"),
    ("Jaworski", "Jaworska"), ("Malinowski", "Malinowska"), ("Górski", "Górska"),
    ("Sikora", "Sikora"), ("Ostrowski", "Ostrowska"), ("Zając", "Zając"),
    ("Szczepański", "Szczepańska"), ("Sokołowski", "Sokołowska"), ("Żak", "Żak"),
    ("Chmielewski", "Chmielewska"), ("Włodarczyk", "Włodarczyk"), ("Pietrzak", "Pietrzak"),
]  # fmt: skip

# Units beyond seed_demo's: (code, name).
MORE_UNITS = [
    ("WSP", "Wydział Sportu"), ("WKU", "Wydział Kultury"), ("WZD", "Wydział Zdrowia"),
    ("WSS", "Wydział Spraw Społecznych"), ("WZK", "Wydział Zarządzania Kryzysowego"),
    ("WIN", "Wydział Inwestycji i Remontów"), ("WPL", "Wydział Planowania"),
    ("WGK", "Wydział Gospodarki Komunalnej"), ("WZU", "Wydział Zieleni i Usług"),
    ("WML", "Wydział Mienia i Lokali"), ("WFE", "Wydział Funduszy Europejskich"),
    ("WPR", "Wydział Promocji i Turystyki"), ("WGO", "Wydział Gospodarki Odpadami"),
    ("WRO", "Wydział Rozwoju Obywatelskiego"), ("WKZ", "Wydział Kontroli"),
    ("BRM", "Biuro Rady Miasta"), ("BZK", "Biuro Zarządzania Kryzysowego"),
    ("BOD", "Biuro Ochrony Danych"), ("BAW", "Biuro Audytu Wewnętrznego"),
    ("BBH", "Biuro BHP"), ("BPR", "Biuro Prasowe"), ("BWN", "Biuro Windykacji"),
]  # fmt: skip

PROCESS_NAMES = {
    "PZ": [
        "Planowanie budżetu zadaniowego", "Zarządzanie zmianą organizacyjną",
        "Komunikacja wewnętrzna", "Zarządzanie projektami strategicznymi",
        "Kontrola wewnętrzna", "Współpraca z jednostkami miejskimi",
    ],
    "PG": [
        "Zajęcie pasa drogowego", "Gospodarka odpadami komunalnymi",
        "Dodatki mieszkaniowe i energetyczne", "Najem lokali komunalnych",
        "Zarządzanie kryzysowe", "Ochrona zabytków", "Planowanie przestrzenne",
        "Transport publiczny", "Sport i rekreacja", "Kultura i dziedzictwo",
        "Współpraca z organizacjami pozarządowymi", "Profilaktyka zdrowotna",
        "Świadczenia społeczne", "Budżet obywatelski", "Inwestycje miejskie",
        "Drogi i mosty", "Zieleń miejska", "Wybory i referenda", "Cmentarze komunalne",
        "Promocja miasta", "Fundusze europejskie", "Rewitalizacja", "Ochrona zwierząt",
        "Strefa płatnego parkowania", "Obsługa Rady Miasta",
    ],
    "PW": [
        "Ochrona danych osobowych", "BHP i ochrona przeciwpożarowa", "Transport i flota",
        "Windykacja należności cywilnoprawnych", "Szkolenia i rozwój kompetencji",
        "Bezpieczeństwo teleinformatyczne", "Zarządzanie umowami", "Obsługa sekretariatów",
    ],
}  # fmt: skip

REQUIREMENTS = [
    "PN-EN ISO 9001:2015 pkt 7.5.3", "PN-EN ISO 9001:2015 pkt 8.5.1",
    "PN-EN ISO 9001:2015 pkt 9.1.2", "PN-EN ISO 9001:2015 pkt 7.2",
    "PN-EN ISO 9001:2015 pkt 8.2.1", "Kodeks postępowania administracyjnego, art. 35",
    "Ustawa o dostępie do informacji publicznej, art. 13", "Instrukcja kancelaryjna, § 6",
    "Procedura wewnętrzna procesu, pkt 4", "Zarządzenie Prezydenta w sprawie obiegu dokumentów",
]  # fmt: skip
FOUND = [
    "Rejestr spraw nie był prowadzony na bieżąco.",
    "Część spraw załatwiono po terminie bez zawiadomienia strony.",
    "Brak potwierdzenia zapoznania się pracowników z aktualną procedurą.",
    "Nieaktualny wzór formularza na stronie BIP.",
    "Nie udokumentowano analizy ryzyka dla zmiany w procesie.",
    "Brak zapisów z przeglądu uprawnień do systemu dziedzinowego.",
    "Akta spraw niekompletne — brak dowodów doręczenia.",
    "Terminy odpowiedzi nie są monitorowane.",
    "Warto zbierać opinie klientów przy stanowiskach obsługi.",
    "Plan wdrożenia nowych pracowników z mentorem.",
]
EVIDENCE = [
    "Próba 20 spraw z EZD.", "Rejestr w wersji papierowej i elektronicznej.",
    "Rozmowa z kierownikiem referatu.", "Obserwacja stanowiska obsługi.",
    "Karty szkoleń pracowników.", "Strona BIP, stan na dzień auditu.",
]  # fmt: skip
ACTIONS = [
    "Aktualizacja procedury i wzorów dokumentów",
    "Szkolenie pracowników z nowej wersji procedury",
    "Wprowadzenie kontroli terminów w EZD",
    "Uzupełnienie rejestru i przegląd kompletności akt",
    "Przegląd uprawnień w systemie dziedzinowym",
    "Publikacja aktualnych formularzy w BIP",
    "Wyznaczenie osoby zastępującej na stanowisku",
]
OBJECTIVES = [
    ("Terminowość załatwiania spraw", "Odsetek spraw załatwionych w terminie", "%", "98", 1),
    ("Czas obsługi klienta", "Średni czas obsługi przy stanowisku", "min", "15", -1),
    ("Satysfakcja klientów", "Średnia ocena w ankiecie satysfakcji", "pkt", "4.2", 1),
    ("Skargi zasadne", "Liczba skarg uznanych za zasadne", "szt.", "2", -1),
    ("Działania korygujące w terminie", "Odsetek działań zamkniętych w terminie", "%", "85", 1),
    ("Sprawy elektroniczne", "Odsetek spraw wszczętych elektronicznie", "%", "40", 1),
    ("Przeszkoleni pracownicy", "Odsetek pracowników przeszkolonych z SZJ", "%", "90", 1),
    ("Dostępność systemów", "Dostępność systemów dziedzinowych", "%", "99.5", 1),
]
RISKS = [
    "Przekroczenie terminów w okresach szczytu", "Odejście doświadczonych pracowników",
    "Awaria systemu dziedzinowego", "Zmiana przepisów bez okresu przejściowego",
    "Niewystarczający budżet na zadanie", "Błąd w decyzji administracyjnej",
    "Wyciek danych osobowych", "Opóźnienia wykonawców",
    "Elektroniczne usługi dla mieszkańców", "Współpraca z uczelniami",
    "Dofinansowanie ze środków UE", "Automatyzacja obiegu dokumentów",
]  # fmt: skip
CONTEXT = [
    ("external", "Zmiany przepisów prawa i orzecznictwa"),
    ("external", "Sytuacja demograficzna miasta"),
    ("external", "Oczekiwania mieszkańców wobec usług elektronicznych"),
    ("external", "Sytuacja finansowa samorządów"),
    ("external", "Rynek pracy w administracji"),
    ("internal", "Kompetencje i rotacja pracowników"),
    ("internal", "Infrastruktura informatyczna Urzędu"),
    ("internal", "Kultura organizacyjna i komunikacja"),
    ("internal", "Warunki lokalowe"),
]
PARTIES = [
    "Mieszkańcy miasta", "Przedsiębiorcy", "Rada Miasta", "Wojewoda", "Organizacje pozarządowe",
    "Pracownicy Urzędu", "Związki zawodowe", "Media lokalne", "Jednostki organizacyjne miasta",
    "Inwestorzy", "Turyści", "Uczelnie", "Dostawcy i wykonawcy", "Regionalna Izba Obrachunkowa",
    "Najwyższa Izba Kontroli",
]  # fmt: skip
PROPOSALS = [
    "Formularze online dla najczęstszych spraw", "System kolejkowy z powiadomieniami SMS",
    "Wspólny kalendarz auditów", "Karta usług w języku angielskim",
    "Ankieta satysfakcji przy stanowiskach", "Szablony pism w EZD",
]  # fmt: skip
FEEDBACK_SUBJECTS = {
    "complaint": ["Skarga na czas oczekiwania", "Skarga na sposób obsługi",
                  "Skarga na przewlekłość postępowania", "Skarga na brak odpowiedzi"],
    "request": ["Wniosek o dodatkowe godziny otwarcia", "Wniosek o płatności kartą",
                "Wniosek o parking dla klientów", "Wniosek o formularz online"],
    "petition": ["Petycja w sprawie zieleni osiedlowej",
                 "Petycja w sprawie przejścia dla pieszych"],
    "survey": ["Badanie satysfakcji klientów"],
}  # fmt: skip


def _ascii(text: str) -> str:
    text = text.replace("ł", "l").replace("Ł", "L")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _at(day: Day, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@contextmanager
def own_timestamps() -> Iterator[None]:
    """Switch off ``auto_now``/``auto_now_add`` so the generated times are stored as given."""
    switched: list[tuple[models.DateTimeField, bool, bool]] = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                switched.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in switched:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _stamp(obj: Any, created: datetime.datetime, by: User | None, updated=None) -> Any:
    obj.created_at = created
    obj.updated_at = updated or created
    obj._history_date = created
    obj._history_user = by
    return obj


class RefusedError(Exception):
    """The database is not empty enough to seed."""


@dataclass
class Result:
    counts: Counter = field(default_factory=Counter)
    seconds: float = 0.0


class ScaleSeeder:
    """Builds the data set; ``run()`` writes it in one transaction."""

    def __init__(
        self, *, years: int, factor: float, seed: int, end_year: int, today: Day, minutes: bool
    ):
        self.minutes = minutes
        # Seeded for repeatable test data; nothing here is a secret.
        self.rng = random.Random(seed)  # noqa: S311  # nosec B311
        self.volumes = Volumes.for_factor(factor)
        self.years = list(range(end_year - years + 1, end_year + 1))
        self.end_year = end_year
        self.today = today if today.year == end_year else Day(end_year, 12, 31)
        self.counts: Counter = Counter()
        self.people: dict[str, User] = {}
        self.users: list[User] = []
        self.members: dict[int, list[User]] = defaultdict(list)
        self.units: list[OrganisationalUnit] = []
        self.processes: list[Process] = []
        self.auditors: dict[int, list[User]] = {}
        self.card_link = reverse("nonconformities:detail", args=[987654321])
        self.audit_link = reverse("audits:detail", args=[987654321])
        self.deliveries: list[Delivery] = []
        self.audits_by_year: dict[int, list[Audit]] = {}
        self.nc_findings: dict[int, list[Finding]] = {}
        self.cards: list[Nonconformity] = []
        self.actions: list[CorrectiveAction] = []
        self.active: list[Process] = []
        self.policy_of_year: dict[int, QualityPolicy] = {}

    # --- plumbing ---------------------------------------------------------------------------

    def _insert(self, model: type[models.Model], objs: Sequence, *, history: bool = True):
        objs = list(objs)
        if not objs:
            return objs
        if history:
            objs = bulk_create_with_history(objs, model, batch_size=BATCH_SIZE)
            self.counts[f"{model._meta.label} (history)"] += len(objs)
        else:
            objs = model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
        self.counts[model._meta.label] += len(objs)
        return objs

    def _through(self, relation: Any, rows: list[dict]) -> None:
        through = relation.through
        self._insert(through, [through(**row) for row in rows], history=False)

    def _clamp(self, moment: datetime.datetime) -> datetime.datetime:
        """Nothing has happened after today."""
        return min(moment, _at(self.today, 8, 0))

    def _date(self, start: Day, end: Day) -> Day:
        span = max((end - start).days, 0)
        return start + _days(self.rng.randint(0, span))

    def _is_past(self, year: int) -> bool:
        return year < self.end_year

    def run(self) -> Result:
        started = time.monotonic()
        with transaction.atomic(), own_timestamps():
            if Process.objects.exists():
                raise RefusedError("processes")
            usernames = [p[0] for p in PEOPLE] + [DEMO_ADMIN]
            if User.objects.filter(username__in=usernames).exists():
                raise RefusedError("users")
            self.seed_units_and_people()
            self.seed_processes()
            self.seed_policies_and_registers()
            for year in self.years:
                self.seed_audit_year(year)
            for year in self.years:
                self.seed_cards_year(year)
                self.seed_objectives_year(year)
                self.seed_proposals_year(year)
                self.seed_review_year(year)
            self.seed_risks()
            self.seed_deliveries()
            if self.minutes:
                self.seed_minutes()
        return Result(counts=self.counts, seconds=time.monotonic() - started)

    # --- people and units -------------------------------------------------------------------

    def seed_units_and_people(self) -> None:
        rng, v = self.rng, self.volumes
        first_day = Day(self.years[0] - 1, 1, 2)
        # The demo people's units first, so that a small factor still has them.
        wanted = ["GP", "WOU", "WSO", "BOM", "WBK", "WKM", "WIT", "WPO"]
        demo = {code: (name, parent) for code, name, parent in UNITS}
        specs = [(c, demo[c][0]) for c in wanted]
        specs += [(c, n) for c, n, _p in UNITS if c not in wanted] + MORE_UNITS
        rounds = 1
        while len(specs) < v.units:
            rounds += 1
            specs += [(f"{c}-{rounds}", f"{n} — Oddział {rounds}") for c, n in MORE_UNITS]
        units = [
            _stamp(OrganisationalUnit(code=code, name=name), _at(first_day), None)
            for code, name in specs[: v.units]
        ]
        self.units = self._insert(OrganisationalUnit, units, history=False)
        by_code = {u.code: u for u in self.units}
        for unit in self.units[1:]:
            parent_code = demo.get(unit.code, (None, "GP"))[1] or "GP"
            unit.parent = by_code.get(parent_code, self.units[0])

        password = make_password(DEMO_PASSWORD)
        joined = _at(first_day, 8)
        group_ids = dict(Group.objects.values_list("name", "pk"))
        memberships: list[dict] = []
        directors: dict[int, User] = {}

        def person(username: str, first: str, last: str, unit, position: str, **extra) -> User:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                unit=unit,
                position=position,
                password=password,
                date_joined=joined,
                **extra,
            )
            self.users.append(user)
            return user

        fallback = self.units[min(2, len(self.units) - 1)]
        for username, first, last, unit_code, position, role_names, directs in PEOPLE:
            user = person(username, first, last, by_code.get(unit_code, fallback), position)
            self.people[username] = user
            user._roles = role_names  # type: ignore[attr-defined]
            if directs in by_code and by_code[directs].pk not in directors:
                directors[by_code[directs].pk] = user
        self.people[DEMO_ADMIN] = person(
            DEMO_ADMIN,
            "Administrator",
            "Systemu",
            by_code.get("WIT", fallback),
            "Administrator systemu",
            is_staff=True,
            is_superuser=True,
        )
        self.people[DEMO_ADMIN]._roles = []  # type: ignore[attr-defined]

        def generated(unit: OrganisationalUnit, position: str, role_names=()) -> User:
            if rng.random() < 0.6:
                first, last = rng.choice(FIRST_NAMES_F), rng.choice(LAST_NAMES)[1]
            else:
                first, last = rng.choice(FIRST_NAMES_M), rng.choice(LAST_NAMES)[0]
            username = f"{_ascii(first)}.{_ascii(last)}.{len(self.users) + 1}"
            user = person(username, first, last, unit, position)
            user._roles = list(role_names)  # type: ignore[attr-defined]
            return user

        for unit in self.units:
            if unit.pk not in directors:
                directors[unit.pk] = generated(unit, f"Dyrektor — {unit.name}")
        positions = ["Inspektor", "Podinspektor", "Główny specjalista", "Kierownik referatu"]
        extra_roles = [[roles.NAJWYZSZE_KIEROWNICTWO]] * 3 + [[roles.ZESPOL_ROZWOJU]] * 4
        while len(self.users) < v.users:
            unit = rng.choice(self.units)
            position = "Zastępca Dyrektora" if rng.random() < 0.08 else rng.choice(positions)
            role_names = extra_roles.pop(0) if extra_roles else []
            if role_names == [roles.NAJWYZSZE_KIEROWNICTWO]:
                unit, position = self.units[0], "Zastępca Prezydenta Miasta"
            generated(unit, position, role_names)

        self.users = self._insert(User, self.users, history=False)
        for user in self.users:
            self.members[user.unit_id].append(user)
            for name in user._roles:  # type: ignore[attr-defined]
                memberships.append({"user_id": user.pk, "group_id": group_ids[name]})
        self._through(User.groups, memberships)
        for unit in self.units:
            unit.director = directors[unit.pk]
            unit.director_id = unit.director.pk
        OrganisationalUnit.objects.bulk_update(self.units, ["parent", "director"], BATCH_SIZE)
        # Written after the update, so the history row shows the director and the parent.
        OrganisationalUnit.history.bulk_history_create(self.units, batch_size=BATCH_SIZE)
        self.counts[f"{OrganisationalUnit._meta.label} (history)"] += len(self.units)

    def _member(self, unit_id: int) -> User:
        return self.rng.choice(self.members[unit_id])

    # --- processes --------------------------------------------------------------------------

    def seed_processes(self) -> None:
        rng, n = self.rng, self.volumes.processes
        by_code = {u.code: u for u in self.units}
        demo = {"PZ": [], "PG": [], "PW": []}
        from qms.management.commands.seed_demo import OWNERS, PROCESSES

        for category, code, name, unit_code, purpose, inputs, outputs in PROCESSES:
            demo[category].append((name, unit_code, purpose, inputs, outputs, code))
        counts = {"PZ": max(1, round(n * 0.15)), "PW": max(1, round(n * 0.3))}
        counts["PG"] = max(1, n - counts["PZ"] - counts["PW"])
        keeper = self.people["koordynator"]
        created = _at(Day(self.years[0] - 1, 1, 10))
        spare_units = list(self.units)
        rng.shuffle(spare_units)
        processes: list[Process] = []
        for category in ("PZ", "PG", "PW"):
            names = demo[category] + [
                (name, None, "", "", "", None) for name in PROCESS_NAMES[category]
            ]
            for i in range(counts[category]):
                name, unit_code, purpose, inputs, outputs, _code = names[i % len(names)]
                if i >= len(names):
                    name = f"{name} — obszar {i // len(names) + 1}"
                code = f"{category}.{i + 1}"
                unit = (
                    by_code.get(unit_code or "") or spare_units[len(processes) % len(spare_units)]
                )
                owner = self.people.get(OWNERS.get(code, "")) or unit.director
                withdrawn = rng.random() < 0.03
                process = Process(
                    category=category,
                    code=code,
                    name=name,
                    purpose=purpose or f"Realizacja zadań w obszarze: {name.lower()}.",
                    inputs=inputs or "Wnioski, przepisy prawa",
                    outputs=outputs or "Decyzje, informacje, sprawozdania",
                    owner_unit=unit,
                    owner=owner,
                    status=Process.Status.WITHDRAWN if withdrawn else Process.Status.ACTIVE,
                    withdrawal_reason="Zadanie przeniesione gdzie indziej" if withdrawn else "",
                    sort_key=Process.sort_key_for(category, code),
                )
                processes.append(_stamp(process, created, keeper))
        self.processes = self._insert(Process, processes)
        self.active = [p for p in self.processes if p.is_active]

        related = []
        for i, process in enumerate(self.processes[1:], start=1):
            if rng.random() < 0.7:
                other = self.processes[rng.randrange(i)]
                related += [
                    {"from_process_id": process.pk, "to_process_id": other.pk},
                    {"from_process_id": other.pk, "to_process_id": process.pk},
                ]
        self._through(Process.related, related)

        perm = Permission.objects.get(
            content_type__app_label="processes", codename=DESCRIPTION_CODENAME
        )
        self._insert(
            ProcessUserObjectPermission,
            [
                ProcessUserObjectPermission(
                    permission=perm, user_id=p.owner_id, content_object_id=p.pk
                )
                for p in self.active
                if p.owner_id
            ],
            history=False,
        )
        documents = []
        for process in self.processes:
            effective = self._date(Day(self.years[0] - 3, 1, 1), Day(self.years[-1], 1, 1))
            documents.append(
                _stamp(
                    GoverningDocument(
                        process=process,
                        code=f"{process.code}.1",
                        title=f"Procedura: {process.name}",
                        edition=f"wydanie {rng.randint(1, 9)}",
                        effective_date=effective,
                        in_force=True,
                    ),
                    created,
                    keeper,
                )
            )
        self._insert(GoverningDocument, documents)

    # --- audits -----------------------------------------------------------------------------

    def seed_audit_year(self, year: int) -> None:
        rng, v = self.rng, self.volumes
        koordynator, prezydent = self.people["koordynator"], self.people["prezydent"]
        appointed = Day(year - 1, 12, 12)
        auditor_list = AuditorList(
            year=year,
            status=AuditorList.Status.APPOINTED,
            ordinance_number=f"{350 + year % 100}/{year - 1}",
            ordinance_date=appointed,
            appointed_by=prezydent,
            appointed_at=_at(appointed, 12),
        )
        _stamp(auditor_list, _at(Day(year - 1, 11, 15)), koordynator, _at(appointed, 12))
        (auditor_list,) = self._insert(AuditorList, [auditor_list])
        demo = [self.people[u] for u in ("auditor", "auditor2", "auditor3") if u in self.people]
        pool = [u for u in self.users if u.username not in self.people]
        size = max(len(demo) + 1, round(0.1 * len(self.users)))
        chosen = demo + rng.sample(pool, min(len(pool), size - len(demo)))
        self.auditors[year] = chosen
        self._insert(
            AuditorCandidate,
            [
                _stamp(
                    AuditorCandidate(
                        auditor_list=auditor_list,
                        person=person,
                        qualification=CERTIFICATE,
                        certificate_date=Day(year - rng.randint(1, 6), rng.randint(1, 12), 15),
                    ),
                    _at(Day(year - 1, 11, 16)),
                    koordynator,
                )
                for person in chosen
            ],
            history=False,
        )

        # The plan: revision 1 approved in December; some years amended in June; the current
        # year has a revision being prepared.
        current = not self._is_past(year)
        amended = current or rng.random() < 0.3
        first = AuditPlan(
            year=year,
            revision=1,
            status=AuditPlan.Status.SUPERSEDED
            if amended and not current
            else AuditPlan.Status.APPROVED,
            prepared_by=koordynator,
            submitted_at=_at(Day(year - 1, 12, 5)),
            approved_by=prezydent,
            approved_at=_at(Day(year - 1, 12, 20), 12),
            ordinance_number=f"{400 + year % 100}/{year - 1}",
            ordinance_date=Day(year - 1, 12, 20),
        )
        plans = [_stamp(first, _at(Day(year - 1, 11, 20)), koordynator, _at(Day(year - 1, 12, 20)))]
        if amended:
            changed = Day(year, 6, 10) if not current else self._date(Day(year, 1, 15), self.today)
            second = AuditPlan(
                year=year,
                revision=2,
                status=AuditPlan.Status.DRAFT if current else AuditPlan.Status.APPROVED,
                change_reason="Zmiana terminów auditów z powodu reorganizacji wydziałów",
                prepared_by=koordynator,
            )
            if not current:
                second.submitted_at = _at(changed + _days(5))
                second.approved_by = prezydent
                second.approved_at = _at(changed + _days(12), 12)
                second.ordinance_number = f"{500 + year % 100}/{year}"
                second.ordinance_date = changed + _days(12)
            plans.append(_stamp(second, _at(changed), koordynator))
        plans = self._insert(AuditPlan, plans)

        months = sorted(rng.randint(2, 12) for _ in range(v.audits_per_year))
        specs = []
        for month in months:
            count = 1 if rng.random() < 0.85 else 2
            processes = rng.sample(self.active, min(count, len(self.active)))
            owner_units = {p.owner_unit_id for p in processes}
            eligible = [a for a in chosen if a.unit_id not in owner_units] or chosen
            lead = rng.choice(eligible)
            demo_auditor = self.people.get("auditor")
            if current and demo_auditor and demo_auditor.unit_id not in owner_units:
                lead = demo_auditor if rng.random() < 0.25 else lead
            others = [a for a in eligible if a.pk != lead.pk]
            team = rng.sample(others, min(len(others), rng.choice([0, 0, 1, 2])))
            key = uuid.UUID(int=rng.getrandbits(128), version=4)
            specs.append((month, processes, lead, team, key))

        entries: list[PlannedAudit] = []
        for plan in plans:
            for month, processes, lead, team, key in specs:
                codes = ", ".join(p.code for p in processes)
                entry = PlannedAudit(
                    plan=plan,
                    entry_key=key,
                    scope=f"Realizacja procesu {codes} w komórkach właściciela",
                    criteria="PN-EN ISO 9001:2015; przepisy prawa i procedury procesu",
                    planned_month=month,
                    lead_auditor=lead,
                )
                entry._spec = (processes, team)  # type: ignore[attr-defined]
                entries.append(_stamp(entry, plan.created_at, koordynator))
        entries = self._insert(PlannedAudit, entries)
        self._through(
            PlannedAudit.processes,
            [
                {"plannedaudit_id": e.pk, "process_id": p.pk}
                for e in entries
                for p in e._spec[0]  # type: ignore[attr-defined]
            ],
        )
        self._through(
            PlannedAudit.units,
            [
                {"plannedaudit_id": e.pk, "organisationalunit_id": unit_id}
                for e in entries
                for unit_id in sorted({p.owner_unit_id for p in e._spec[0]})  # type: ignore[attr-defined]
            ],
        )
        self._through(
            PlannedAudit.team,
            [
                {"plannedaudit_id": e.pk, "user_id": m.pk}
                for e in entries
                for m in e._spec[1]  # type: ignore[attr-defined]
            ],
        )
        in_force = next(p for p in reversed(plans) if p.status == AuditPlan.Status.APPROVED)
        self.seed_audits(year, [e for e in entries if e.plan_id == in_force.pk])

    def _audit_status(self, year: int, month: int) -> str:
        if self._is_past(year):
            return Audit.Status.CLOSED
        gap = self.today.month - month
        if gap >= 3:
            return Audit.Status.CLOSED
        if gap == 2:
            return self.rng.choice([Audit.Status.CLOSED, Audit.Status.EVALUATED])
        if gap == 1:
            return self.rng.choice([Audit.Status.ACKNOWLEDGED, Audit.Status.REPORT_SUBMITTED])
        if gap == 0 and self.today.day > 12:
            return Audit.Status.IN_PROGRESS
        return Audit.Status.PLANNED

    def seed_audits(self, year: int, entries: list[PlannedAudit]) -> None:
        rng = self.rng
        S = Audit.Status
        order = [s for s, _label in S.choices]
        koordynator = self.people["koordynator"]
        audits = []
        for count, entry in enumerate(entries, start=1):
            processes, team = entry._spec  # type: ignore[attr-defined]
            status = self._audit_status(year, entry.planned_month)
            audit = Audit(
                number=f"A/{year}/{count:02d}",
                year=year,
                planned_entry=entry,
                entry_key=entry.entry_key,
                scope=entry.scope,
                criteria=entry.criteria,
                planned_month=entry.planned_month,
                lead_auditor=entry.lead_auditor,
                status=status,
            )
            reached = order.index(status)
            last = _at(Day(year - 1, 12, 21))
            if reached >= order.index(S.IN_PROGRESS):
                start = Day(year, entry.planned_month, rng.randint(3, 12))
                audit.start_date = start
                audit.opening_meeting = _at(start, 9)
                audit.evidence = "Akta spraw, rejestry w EZD, rozmowy z pracownikami."
                audit.auditee_representatives = str(processes[0].owner or "")
                last = _at(start, 9)
            if reached >= order.index(S.REPORT_SUBMITTED):
                end = audit.start_date + _days(rng.randint(1, 3))
                audit.end_date = end
                audit.closing_meeting = _at(end, 14)
                audit.conclusions = (
                    "Proces jest realizowany zgodnie z wymaganiami; ustalenia w raporcie."
                )
                audit.followup = "Działania korygujące z poprzedniego auditu wdrożone skutecznie."
                audit.report_submitted_at = self._clamp(_at(end + _days(rng.randint(3, 10)), 12))
                last = audit.report_submitted_at
            if reached >= order.index(S.ACKNOWLEDGED):
                audit.acknowledged_by = processes[0].owner
                audit.acknowledged_at = self._clamp(last + _days(rng.randint(2, 7)))
                last = audit.acknowledged_at
            if reached >= order.index(S.EVALUATED):
                audit.assessment = rng.choice(
                    [Audit.Assessment.POSITIVE] * 3 + [Audit.Assessment.POSITIVE_WITH_REMARKS]
                )
                audit.evaluated_by = koordynator
                audit.evaluated_at = self._clamp(last + _days(rng.randint(3, 10)))
                last = audit.evaluated_at
            if reached >= order.index(S.CLOSED):
                audit.closed_at = self._clamp(last + _days(rng.randint(1, 5)))
                last = audit.closed_at
            audit._spec = (processes, team)  # type: ignore[attr-defined]
            audits.append(_stamp(audit, _at(Day(year - 1, 12, 21)), koordynator, last))
        audits = self._insert(Audit, audits)
        self._through(
            Audit.processes,
            [{"audit_id": a.pk, "process_id": p.pk} for a in audits for p in a._spec[0]],  # type: ignore[attr-defined]
        )
        self._through(
            Audit.units,
            [
                {"audit_id": a.pk, "organisationalunit_id": unit_id}
                for a in audits
                for unit_id in sorted({p.owner_unit_id for p in a._spec[0]})  # type: ignore[attr-defined]
            ],
        )
        self._through(
            Audit.team,
            [{"audit_id": a.pk, "user_id": m.pk} for a in audits for m in a._spec[1]],  # type: ignore[attr-defined]
        )
        findings = []
        for audit in audits:
            if audit.status == S.PLANNED:
                continue
            for number in range(1, FINDINGS_PER_AUDIT + 1):
                kind = rng.choices(
                    [
                        Finding.Type.NONCONFORMITY,
                        Finding.Type.OBSERVATION,
                        Finding.Type.IMPROVEMENT,
                        Finding.Type.GOOD_PRACTICE,
                    ],
                    weights=[30, 30, 28, 12],
                )[0]
                grade = ""
                if kind == Finding.Type.NONCONFORMITY:
                    grade = Finding.Grade.MAJOR if rng.random() < 0.15 else Finding.Grade.MINOR
                finding = Finding(
                    audit=audit,
                    number=number,
                    type=kind,
                    grade=grade,
                    process=rng.choice(audit._spec[0]),  # type: ignore[attr-defined]
                    requirement=rng.choice(REQUIREMENTS),
                    description=rng.choice(FOUND),
                    evidence=rng.choice(EVIDENCE),
                    created_by=audit.lead_auditor,
                )
                filed = _at(audit.start_date, 11) + datetime.timedelta(minutes=number)
                findings.append(_stamp(finding, self._clamp(filed), audit.lead_auditor))
        findings = self._insert(Finding, findings)
        self.audits_by_year[year] = audits
        self.nc_findings[year] = [
            f
            for f in findings
            if f.type == Finding.Type.NONCONFORMITY
            and f.audit.status not in (S.PLANNED, S.IN_PROGRESS)
        ]

    # --- nonconformity cards ----------------------------------------------------------------

    def _card_status(self, year: int, raised: Day) -> str:
        S, rng = Nonconformity.Status, self.rng
        roll = rng.random()
        if self._is_past(year):
            return S.CANCELLED if roll < 0.03 else S.CLOSED
        age = (self.today - raised).days
        if roll < 0.02:
            return S.CANCELLED
        if age > 150:
            return S.CLOSED if roll < 0.85 else (S.VERIFICATION if roll < 0.95 else S.REOPENED)
        if age > 90:
            return [S.VERIFICATION, S.IN_PROGRESS, S.CLOSED, S.REOPENED][int(roll * 4)]
        if age > 30:
            return [S.IN_PROGRESS, S.IN_PROGRESS, S.PLANNED, S.ANALYSIS][int(roll * 4)]
        return [S.REPORTED, S.ANALYSIS, S.ANALYSIS, S.PLANNED][int(roll * 4)]

    def seed_cards_year(self, year: int) -> None:
        rng, v = self.rng, self.volumes
        S = Nonconformity.Status
        pelnomocnik = self.people["pelnomocnik"]
        last_day = min(Day(year, 12, 31), self.today - _days(1))
        findings = self.nc_findings.get(year, [])
        from_audits = min(len(findings), round(v.cards_per_year * 0.6))
        picked = sorted(rng.sample(range(len(findings)), from_audits))
        owned_by_wlasciciel = [p for p in self.active if p.owner_id == self.people["wlasciciel"].pk]
        drafts = []
        for i in picked:
            finding = findings[i]
            raised = min(finding.audit.end_date + _days(rng.randint(1, 7)), last_day)
            source = Nonconformity.Source.AUDIT_FINDING
            drafts.append((raised, finding, finding.process, source, None))
        sources = [
            Nonconformity.Source.COMPLAINT,
            Nonconformity.Source.INTERNAL_CONTROL,
            Nonconformity.Source.EXTERNAL_AUDIT,
            Nonconformity.Source.OWN_DETECTION,
            Nonconformity.Source.MANAGEMENT_REVIEW,
        ]
        others = v.cards_per_year - from_audits
        for i in range(others):
            raised = self._date(min(Day(year, 1, 5), last_day), last_day)
            process = rng.choice(self.active)
            if not self._is_past(year) and owned_by_wlasciciel and rng.random() < 0.15:
                process = rng.choice(owned_by_wlasciciel)
            source = rng.choices(sources, weights=[35, 25, 10, 25, 5])[0]
            forced = None
            if not self._is_past(year) and i >= others - 2:
                # Whatever the date and the factor, this year has a fresh card and one whose
                # actions are under way, so dashboards and reminder sweeps have work.
                if i == others - 1:
                    forced, age = Nonconformity.Status.REPORTED, rng.randint(1, 20)
                else:
                    forced, age = Nonconformity.Status.IN_PROGRESS, rng.randint(35, 80)
                raised = max(self.today - _days(age), Day(year, 1, 1))
            drafts.append((raised, None, process, source, forced))
        drafts.sort(key=lambda d: (d[0], d[2].code))

        cards, plans = [], []
        for number, (raised, finding, process, source, forced) in enumerate(drafts, start=1):
            status = forced or self._card_status(year, raised)
            raiser = finding.audit.lead_auditor if finding else process.owner or pelnomocnik
            card = Nonconformity(
                number=f"KN/{year}/{number:03d}",
                year=year,
                source=source,
                finding=finding,
                external_reference=finding.audit.number if finding else "",
                process=process,
                unit=process.owner_unit,
                requirement=finding.requirement if finding else rng.choice(REQUIREMENTS),
                description=finding.description if finding else rng.choice(FOUND[:8]),
                evidence=finding.evidence if finding else rng.choice(EVIDENCE),
                grade=(finding.grade if finding else "")
                or (Nonconformity.Grade.MAJOR if rng.random() < 0.1 else Nonconformity.Grade.MINOR),
                raised_by=raiser,
                status=status,
            )
            if source == Nonconformity.Source.COMPLAINT:
                card.external_reference = f"{process.owner_unit.code}-SKO.1510.{number}.{year}"
            owner = process.owner or pelnomocnik
            analysed = raised + _days(rng.randint(3, 14))
            moment = _at(raised)
            if status == S.CANCELLED:
                card.cancellation_reason = "Karta założona omyłkowo — duplikat innej karty."
                moment = _at(analysed)
            elif status != S.REPORTED:
                card.correction = "Uzupełniono brakujące zapisy w sprawach objętych próbą."
                card.correction_by = str(owner)
                card.correction_date = analysed
                card.root_cause = "Procedura nie została zaktualizowana po zmianie przepisów."
                card.five_whys = [
                    "Zapisy nie były prowadzone",
                    "Brak wzoru w procedurze",
                    "Procedura nie była aktualizowana po zmianie przepisów",
                ]
                card.similar = "Sprawdzono pozostałe procedury wydziału."
                moment = self._clamp(_at(analysed))
            second_round = status == S.CLOSED and rng.random() < 0.06
            rounds = 2 if status == S.REOPENED or second_round else 1
            card.round = rounds
            k = rng.choice([2, 3])
            plan = self._plan_actions(card, owner, analysed, k, rounds)
            if plan and plan[-1][5]:
                moment = max(moment, plan[-1][5])
            if status in (S.CLOSED, S.REOPENED):
                done = max((p[5] for p in plan if p[0] == 1 and p[5]), default=moment)
                card.verified_by = pelnomocnik
                card.verified_at = self._clamp(done + _days(rng.randint(14, 60)))
                card.verification_effective = status == S.CLOSED
                card.verification_note = (
                    "Próba 10 spraw w kolejnym audicie: zapisy kompletne."
                    if status == S.CLOSED
                    else "Kolejna próba wykazała te same braki."
                )
                if status == S.CLOSED and rounds == 2:
                    done = max(p[5] for p in plan if p[5])
                    card.verified_at = self._clamp(done + _days(rng.randint(14, 60)))
                moment = max(moment, card.verified_at)
            cards.append(_stamp(card, _at(raised, 9), raiser, moment))
            plans.append(plan)
        cards = self._insert(Nonconformity, cards)
        self._insert(CardNumber, [CardNumber(year=year, last=len(cards))], history=False)

        actions = []
        for card, plan in zip(cards, plans, strict=True):
            for round_no, desc, responsible, deadline, status, completed, added in plan:
                action = CorrectiveAction(
                    card=card,
                    round=round_no,
                    description=desc,
                    responsible=responsible,
                    deadline=deadline,
                    status=status,
                )
                if completed:
                    action.completion_note = "Wykonano; dokumentacja w aktach wydziału."
                    action.completed_by = responsible
                    action.completed_at = completed
                actions.append(_stamp(action, added, card.process.owner, completed or added))
        if not self._is_past(year):
            self._make_sure_demo_people_act(actions)
        actions = self._insert(CorrectiveAction, actions)
        self.actions += actions
        self.cards += cards
        self.seed_feedback_year(year, [c for c in cards if c.source == "complaint"])

    def _plan_actions(self, card, owner: User, analysed: Day, k: int, rounds: int) -> list[tuple]:
        """(round, description, responsible, deadline, status, completed_at, added_at) rows."""
        S, A, rng = Nonconformity.Status, CorrectiveAction.Status, self.rng
        if card.status in (S.REPORTED, S.ANALYSIS, S.CANCELLED):
            return []
        rows = []
        split = [k] if rounds == 1 else [k - 1, 1]
        start = analysed
        for round_no, how_many in enumerate(split, start=1):
            final_round = round_no == len(split)
            for _ in range(how_many):
                responsible = self._responsible(card, owner)
                added = self._clamp(_at(start, 11))
                deadline = start + _days(rng.randint(20, 90))
                status, completed = A.DONE, None
                open_round = final_round and card.status in (
                    S.PLANNED,
                    S.IN_PROGRESS,
                    S.REOPENED,
                )
                if open_round:
                    status = A.PLANNED
                    if card.status == S.REOPENED:
                        deadline = self.today + _days(rng.randint(5, 60))
                    elif card.status == S.IN_PROGRESS:
                        status = rng.choice([A.IN_PROGRESS, A.IN_PROGRESS, A.PLANNED, A.DONE])
                        if rng.random() < 0.3:
                            deadline = self.today - _days(rng.randint(1, 40))
                        else:
                            deadline = self.today + _days(rng.randint(1, 45))
                    else:
                        deadline = self.today + _days(rng.randint(3, 60))
                    deadline = max(deadline, start)
                if status == A.DONE:
                    late = rng.random() < 0.1
                    when = deadline + _days(rng.randint(2, 20) if late else -rng.randint(0, 15))
                    completed = self._clamp(_at(max(when, start), 13))
                rows.append((round_no, rng.choice(ACTIONS), responsible, deadline, status,
                             completed, added))  # fmt: skip
            if len(split) == 2 and round_no == 1:
                done = max(r[5] for r in rows)
                start = min(done.date() + _days(rng.randint(20, 60)), self.today - _days(1))
        if card.status == S.IN_PROGRESS and all(r[4] == A.DONE for r in rows):
            rows[0] = (*rows[0][:4], A.IN_PROGRESS, None, rows[0][6])
        return rows

    def _responsible(self, card: Nonconformity, owner: User) -> User:
        roll = self.rng.random()
        if roll < 0.5 or not self.members[card.process.owner_unit_id]:
            return owner
        if roll < 0.53 and "pracownik" in self.people:
            return self.people["pracownik"]
        return self._member(card.process.owner_unit_id)

    def _make_sure_demo_people_act(self, actions: list[CorrectiveAction]) -> None:
        """The demo owner and employee always have open actions to work on this year."""
        open_actions = [a for a in actions if a.is_open]
        for username, action in zip(("pracownik", "wlasciciel"), open_actions, strict=False):
            if not any(a.responsible_id == self.people[username].pk for a in open_actions):
                action.responsible = self.people[username]

    # --- feedback, objectives, proposals, reviews ------------------------------------------

    def seed_feedback_year(self, year: int, complaint_cards: list[Nonconformity]) -> None:
        rng, v = self.rng, self.volumes
        K, Outcome = Feedback.Kind, Feedback.Outcome
        entered_by = [self.people["pelnomocnik"], self.people["koordynator"]]
        last_day = min(Day(year, 12, 31), self.today - _days(1))
        rows = []
        for card in complaint_cards:
            received = card.created_at.date() - _days(rng.randint(1, 10))
            received = max(received, Day(year, 1, 1))
            rows.append(
                Feedback(
                    kind=K.COMPLAINT,
                    reference=card.external_reference,
                    received=received,
                    unit=card.unit,
                    process=card.process,
                    summary=rng.choice(FEEDBACK_SUBJECTS["complaint"]),
                    outcome=Outcome.JUSTIFIED,
                    nonconformity=card,
                    entered_by=rng.choice(entered_by),
                )
            )
        for i in range(max(0, v.feedback_per_year - len(rows))):
            kind = rng.choices(
                [K.COMPLAINT, K.REQUEST, K.PETITION, K.SURVEY], weights=[25, 65, 7, 3]
            )[0]
            received = self._date(Day(year, 1, 2), last_day)
            process = rng.choice(self.active)
            pending = not self._is_past(year) and (self.today - received).days < 45
            feedback = Feedback(
                kind=kind,
                received=received,
                unit=process.owner_unit,
                process=process if kind != K.SURVEY else None,
                summary=rng.choice(FEEDBACK_SUBJECTS[kind]),
                entered_by=rng.choice(entered_by),
            )
            if kind == K.SURVEY:
                feedback.outcome = Outcome.NOT_APPLICABLE
                feedback.survey_name = f"Badanie satysfakcji klientów — {process.owner_unit.code}"
                feedback.period_start = Day(received.year, 1, 1)
                feedback.period_end = received
                feedback.score = Decimal(rng.randint(340, 490)) / 100
                feedback.score_max = Decimal("5")
                feedback.respondents = rng.randint(40, 600)
            else:
                series = "152" if kind == K.PETITION else "1510"
                feedback.reference = f"{process.owner_unit.code}-SW.{series}.{i + 1}.{year}"
                if pending:
                    feedback.outcome = Outcome.PENDING
                elif kind == K.COMPLAINT:
                    feedback.outcome = (
                        Outcome.UNJUSTIFIED if rng.random() < 0.7 else Outcome.JUSTIFIED
                    )
                else:
                    feedback.outcome = Outcome.ACCEPTED if rng.random() < 0.5 else Outcome.DECLINED
            rows.append(feedback)
        for feedback in rows:
            _stamp(feedback, _at(feedback.received, 12), feedback.entered_by)
        self._insert(Feedback, rows, history=False)

    def seed_policies_and_registers(self) -> None:
        rng, v = self.rng, self.volumes
        from reviews.demo_registers import DECLARATION, MISSION

        prezydent, pelnomocnik = self.people["prezydent"], self.people["pelnomocnik"]
        koordynator = self.people["koordynator"]
        starts = self.years[::4]
        policies = []
        for number, year in enumerate(starts, start=1):
            approved = Day(year, 1, 15)
            policy = QualityPolicy(
                number=number,
                mission=MISSION,
                declaration=DECLARATION,
                status=QualityPolicy.Status.APPROVED
                if year == starts[-1]
                else QualityPolicy.Status.SUPERSEDED,
                approved_by=prezydent,
                approved_at=_at(approved, 12),
            )
            policies.append(_stamp(policy, _at(approved - _days(20)), pelnomocnik, _at(approved)))
        policies = self._insert(QualityPolicy, policies)
        self.policy_of_year = {
            year: next(p for p in reversed(policies) if p.approved_at.year <= year)
            for year in self.years
        }
        reviewed = self.today - _days(rng.randint(30, 200))
        issues = []
        for i in range(v.context_issues):
            kind, title = CONTEXT[i % len(CONTEXT)]
            if i >= len(CONTEXT):
                title = f"{title} ({i // len(CONTEXT) + 1})"
            issues.append(
                _stamp(
                    ContextIssue(
                        kind=kind,
                        title=title,
                        description="Omówione na przeglądzie zarządzania.",
                        effect="Uwzględnione w analizie ryzyk i celach jakościowych.",
                        is_active=rng.random() < 0.9,
                        last_reviewed=reviewed,
                    ),
                    _at(Day(self.years[0], 2, 1)),
                    koordynator,
                )
            )
        self._insert(ContextIssue, issues)
        parties = []
        for i in range(v.interested_parties):
            name = PARTIES[i % len(PARTIES)]
            if i >= len(PARTIES):
                name = f"{name} ({i // len(PARTIES) + 1})"
            parties.append(
                _stamp(
                    InterestedParty(
                        name=name,
                        needs="Sprawna, rzetelna i zgodna z prawem obsługa.",
                        monitoring="Ankiety, skargi i wnioski, konsultacje.",
                        last_reviewed=reviewed,
                    ),
                    _at(Day(self.years[0], 2, 1)),
                    koordynator,
                )
            )
        self._insert(InterestedParty, parties)

    def seed_objectives_year(self, year: int) -> None:
        rng, v = self.rng, self.volumes
        pelnomocnik = self.people["pelnomocnik"]
        objectives = []
        for i in range(v.objectives_per_year):
            title, measure, unit, target, sign = OBJECTIVES[i % len(OBJECTIVES)]
            process = rng.choice(self.active)
            owner = process.owner or pelnomocnik
            if i == 0:
                owner = self.people["wlasciciel"]
            objective = QualityObjective(
                year=year,
                policy=self.policy_of_year[year],
                title=f"{title} — {process.code} ({i + 1})",
                measure=measure,
                indicator=f"{measure} w miesiącu",
                indicator_unit=unit,
                target=Decimal(target),
                direction=QualityObjective.Direction.AT_LEAST
                if sign > 0
                else QualityObjective.Direction.AT_MOST,
                frequency=QualityObjective.Frequency.MONTHLY,
                owner=owner,
                unit=owner.unit or process.owner_unit,
                resources="Rejestry spraw w EZD, raporty z systemów dziedzinowych",
                deadline=Day(year, 12, 31),
                evaluation="Wartość miesięczna porównana z celem.",
            )
            objectives.append(_stamp(objective, _at(Day(year, 1, 10)), pelnomocnik))
        objectives = self._insert(QualityObjective, objectives)
        measurements = []
        for objective in objectives:
            skip_last = not self._is_past(year) and rng.random() < 0.1
            months = []
            for month in range(1, 13):
                start = Day(year, month, 1)
                end = (start + _days(32)).replace(day=1) - _days(1)
                if end >= self.today:
                    break
                months.append((start, end))
            if skip_last and months:
                months.pop()
            for start, end in months:
                spread = objective.target * Decimal("0.08") or Decimal("1")
                value = objective.target + spread * Decimal(rng.randint(-100, 100)) / 100
                measurement = Measurement(
                    objective=objective,
                    period_start=start,
                    period_end=end,
                    value=value.quantize(Decimal("0.01")),
                    entered_by=objective.owner,
                )
                measurements.append(_stamp(measurement, _at(end + _days(5)), objective.owner))
        self._insert(Measurement, measurements, history=False)

    def seed_proposals_year(self, year: int) -> None:
        rng, v = self.rng, self.volumes
        P = ImprovementProposal.Status
        team = self.people["pelnomocnik"]
        last_day = min(Day(year, 12, 31), self.today - _days(1))
        proposals = []
        for _ in range(v.proposals_per_year):
            submitted = self._date(Day(year, 1, 2), last_day)
            proposer = rng.choice(self.users)
            process = rng.choice(self.active)
            if self._is_past(year):
                status = P.DONE if rng.random() < 0.7 else P.REJECTED
            else:
                status = rng.choices([P.SUBMITTED, P.ACCEPTED, P.DONE, P.REJECTED], [4, 4, 1, 1])[0]
            proposal = ImprovementProposal(
                title=rng.choice(PROPOSALS),
                description="Propozycja zgłoszona przez pracownika.",
                expected_benefit="Krótszy czas obsługi i mniej błędów.",
                process=process,
                proposed_by=proposer,
                status=status,
            )
            moment = _at(submitted)
            if status != P.SUBMITTED:
                proposal.assessed_by = team
                proposal.assessed_at = self._clamp(_at(submitted + _days(rng.randint(5, 30))))
                moment = proposal.assessed_at
                proposal.assessment = (
                    "Propozycja nieuzasadniona kosztowo."
                    if status == P.REJECTED
                    else "Propozycja zasadna; realizacja w ramach bieżących zasobów."
                )
            if status in (P.ACCEPTED, P.DONE):
                proposal.action_owner = process.owner or team
                proposal.action_deadline = proposal.assessed_at.date() + _days(rng.randint(30, 120))
            if status == P.DONE:
                proposal.completion_note = "Wdrożono; informacja na stronie wydziału."
                proposal.completed_at = self._clamp(_at(proposal.action_deadline - _days(5)))
                moment = proposal.completed_at
            proposals.append(_stamp(proposal, _at(submitted), proposer, moment))
        self._insert(ImprovementProposal, proposals)

    def seed_review_year(self, year: int) -> None:
        rng = self.rng
        R, D = ManagementReview.Status, ReviewDecision.Status
        pelnomocnik, prezydent = self.people["pelnomocnik"], self.people["prezydent"]
        meeting = Day(year, 12, rng.randint(5, 15))
        past = self._is_past(year) and meeting < self.today
        review = ManagementReview(
            number=f"PZ/{year}/1",
            meeting_date=meeting,
            period_start=Day(year - 1, 12, 1),
            period_end=Day(year, 11, 30),
            status=R.APPROVED if past else R.DRAFT,
            prepared_by=pelnomocnik,
            commentary={
                "c": "Plan auditów zrealizowano; najwięcej ustaleń dotyczyło dokumentacji.",
                "i": "Większość celów jakościowych osiągnięta.",
            }
            if past
            else {},
            summary="System Zarządzania Jakością jest skuteczny, przydatny i adekwatny."
            if past
            else "",
        )
        prepared = _at(Day(year, 11, 15) if past else self.today - _days(10))
        moment = prepared
        if past:
            review.approved_by = prezydent
            review.approved_at = _at(meeting + _days(14), 12)
            moment = review.approved_at
        (review,) = self._insert(ManagementReview, [_stamp(review, prepared, pelnomocnik, moment)])
        top = [
            u
            for u in self.users
            if roles.NAJWYZSZE_KIEROWNICTWO in getattr(u, "_roles", [])
            or u.username == "koordynator"
        ]
        self._through(
            ManagementReview.participants,
            [{"managementreview_id": review.pk, "user_id": u.pk} for u in top],
        )
        if not past:
            return
        decisions = []
        from reviews.demo_review import DECISIONS

        owners = [self.people.get(owner, pelnomocnik) for _t, _d, owner, _m in DECISIONS]
        for (kind, text, _owner, (month, day)), owner in zip(DECISIONS, owners, strict=True):
            deadline = Day(year + 1, month, day)
            last_year = year == self.end_year - 1
            status = D.OPEN if last_year and kind == ReviewDecision.Type.RESOURCES else D.DONE
            decision = ReviewDecision(
                review=review,
                type=kind,
                description=text,
                owner=owner,
                deadline=deadline,
                status=status,
            )
            moment = review.approved_at
            if status == D.DONE:
                decision.completion_note = "Wykonano; dokumentacja w EZD."
                decision.completed_at = self._clamp(_at(deadline - _days(rng.randint(1, 30))))
                moment = decision.completed_at
            decisions.append(_stamp(decision, _at(meeting, 13), pelnomocnik, moment))
        self._insert(ReviewDecision, decisions)

    def seed_risks(self) -> None:
        rng, v = self.rng, self.volumes
        koordynator = self.people["koordynator"]
        risks, histories = [], []
        for i in range(v.risks):
            process = rng.choice(self.active)
            owner = process.owner or koordynator
            identified = self._date(Day(self.years[0], 1, 10), self.today - _days(30))
            title = RISKS[i % len(RISKS)]
            kind = Risk.Kind.OPPORTUNITY if title in RISKS[8:] else Risk.Kind.RISK
            scores = [(rng.randint(1, 5), rng.randint(1, 5))]
            day = identified + _days(365)
            while day < self.today:
                likelihood, impact = scores[-1]
                likelihood = min(5, max(1, likelihood + rng.choice([-1, 0, 0, 1])))
                scores.append((likelihood, impact))
                day += _days(365)
            closed = rng.random() < 0.12
            risk = Risk(
                kind=kind,
                process=process,
                objective=None,
                title=f"{title} — {process.code}",
                description="Zidentyfikowane w ramach kontroli zarządczej.",
                likelihood=scores[-1][0],
                impact=scores[-1][1],
                controls="Procedura wewnętrzna, nadzór kierownika komórki",
                owner=owner,
                next_review=self.today + _days(rng.randint(-30, 300)),
                status=Risk.Status.CLOSED if closed else Risk.Status.ACTIVE,
            )
            last = _at(identified + _days(365 * (len(scores) - 1)))
            risks.append(_stamp(risk, _at(identified), koordynator, last))
            histories.append((identified, owner, scores))
        risks = self._insert(Risk, risks)
        assessments = []
        for risk, (identified, owner, scores) in zip(risks, histories, strict=True):
            for n, (likelihood, impact) in enumerate(scores):
                assessments.append(
                    RiskAssessment(
                        risk=risk,
                        likelihood=likelihood,
                        impact=impact,
                        controls=risk.controls,
                        controls_effective=None if n == 0 else rng.random() < 0.8,
                        note="Ocena okresowa w ramach kontroli zarządczej" if n else "",
                        assessed_by=koordynator if n == 0 else owner,
                        assessed_at=_at(identified + _days(365 * n)),
                    )
                )
        self._insert(RiskAssessment, assessments, history=False)

    # --- reminders --------------------------------------------------------------------------

    def _deliver(self, *, kind: str, record: models.Model, label: str, people: list[User],
                 occasion: str, subject: str, body: str, link: str, day: Day) -> None:  # fmt: skip
        created = _at(day, 6, 0)
        if created.date() > self.today:
            return
        seen: set[int] = set()
        for person in people:
            if person is None or person.pk in seen:
                continue
            seen.add(person.pk)
            delivery = Delivery(
                kind=kind,
                record_type=record._meta.label_lower,
                record_id=record.pk,
                record_label=label[:200],
                recipient=person,
                occasion=occasion,
                subject=subject[:255],
                body=body,
                link=link,
                state=Delivery.State.SENT,
                attempts=1,
                sent_at=created + datetime.timedelta(minutes=5),
                created_at=created,
            )
            self.deliveries.append(delivery)

    def seed_deliveries(self) -> None:
        K, A = Delivery.Kind, CorrectiveAction.Status
        cards = {c.pk: c for c in self.cards}
        pelnomocnik = self.people["pelnomocnik"]
        for action in self.actions:
            if action.status == A.CANCELLED:
                continue
            card = cards[action.card_id]
            link = self.card_link.replace("987654321", str(card.pk))
            label = f"{card.number}: {action.description[:120]}"
            deadline = action.deadline
            finished = action.completed_at.date() if action.completed_at else None
            body = f"Działanie: {action.description}\nTermin: {deadline.isoformat()}"
            soon = deadline - _days(7)
            if finished is None or finished > soon:
                self._deliver(
                    kind=K.ACTION_DUE_SOON, record=action, label=label,
                    people=[action.responsible], occasion=deadline.isoformat(),
                    subject=f"Termin działania korygującego na karcie {card.number} upływa "
                    f"{deadline.isoformat()}",
                    body=body, link=link, day=soon,
                )  # fmt: skip
            if finished is None or finished >= deadline:
                self._deliver(
                    kind=K.ACTION_DUE_TODAY, record=action, label=label,
                    people=[action.responsible], occasion=deadline.isoformat(),
                    subject=f"Termin działania korygującego na karcie {card.number} upływa dziś",
                    body=body, link=link, day=deadline,
                )  # fmt: skip
            end = finished or self.today
            for late in (1, 8, 15):
                if deadline + _days(late) > end:
                    break
                people = [action.responsible]
                if late >= 14:
                    people += [card.process.owner, pelnomocnik]
                self._deliver(
                    kind=K.ACTION_OVERDUE, record=action, label=label, people=people,
                    occasion=f"{deadline.isoformat()}:week-{late // 7}",
                    subject=f"Działanie korygujące na karcie {card.number} jest po terminie",
                    body=body, link=link, day=deadline + _days(late),
                )  # fmt: skip
        # Verification due: when the last action of a round was done.
        by_card: dict[int, list[CorrectiveAction]] = defaultdict(list)
        for action in self.actions:
            by_card[action.card_id].append(action)
        for card in self.cards:
            for round_no in range(1, card.round + 1):
                done = [a.completed_at for a in by_card[card.pk] if a.round == round_no]
                if not done or any(d is None for d in done):
                    continue
                self._deliver(
                    kind=K.VERIFICATION_DUE, record=card, label=card.number,
                    people=[pelnomocnik], occasion=f"round-{round_no}",
                    subject=f"Karta {card.number} czeka na weryfikację skuteczności",
                    body=f"Wszystkie działania korygujące karty {card.number} są wykonane.",
                    link=self.card_link.replace("987654321", str(card.pk)),
                    day=max(done).date(),
                )  # fmt: skip
        for audits in self.audits_by_year.values():
            for audit in audits:
                if audit.start_date is None:
                    continue
                processes, team = audit._spec  # type: ignore[attr-defined]
                self._deliver(
                    kind=K.AUDIT_UPCOMING, record=audit, label=audit.number,
                    people=[audit.lead_auditor, *team, *(p.owner for p in processes)],
                    occasion=audit.start_date.isoformat(),
                    subject=f"Audit {audit.number} rozpoczyna się {audit.start_date.isoformat()}",
                    body=f"Zakres: {audit.scope}",
                    link=self.audit_link.replace("987654321", str(audit.pk)),
                    day=audit.start_date - _days(7),
                )  # fmt: skip

        deliveries = self._insert(Delivery, self.deliveries, history=False)
        recent = self.today - _days(30)
        notifications = []
        for delivery in deliveries:
            read = self.rng.random() < (0.97 if delivery.created_at.date() < recent else 0.6)
            notifications.append(
                Notification(
                    recipient_id=delivery.recipient_id,
                    delivery=delivery,
                    text=delivery.subject,
                    link=delivery.link,
                    created_at=delivery.created_at,
                    read_at=self._clamp(delivery.created_at + _days(self.rng.randint(0, 3)))
                    if read
                    else None,
                )
            )
        self._insert(Notification, notifications, history=False)

    def seed_minutes(self) -> None:
        """Freeze the minutes of the approved reviews as ``review_approve`` does, rendered from
        the records now that they all exist (a few seconds: reviews do not scale)."""
        from reviews.selectors.review import minutes_pdf

        # WeasyPrint's font subsetting logs every table at INFO: not what the summary is for.
        font_log = logging.getLogger("fontTools")
        level = font_log.level
        font_log.setLevel(logging.WARNING)
        try:
            for review in ManagementReview.objects.filter(status=ManagementReview.Status.APPROVED):
                self._freeze_minutes(review, minutes_pdf(review, final=True))
        finally:
            font_log.setLevel(level)

    def _freeze_minutes(self, review: ManagementReview, pdf: bytes) -> None:
        digest = hashlib.sha256(pdf).hexdigest()
        name = f"{review.number.replace('/', '-')}-{digest[:12]}.pdf"
        review.minutes_pdf.save(name, ContentFile(pdf), save=False)
        ManagementReview.objects.filter(pk=review.pk).update(
            minutes_pdf=review.minutes_pdf.name, minutes_sha256=digest
        )
        self.counts["minutes PDF files"] += 1


def seed_scale(
    *,
    years: int = 10,
    factor: float = 1.0,
    seed: int = 2026,
    end_year: int | None = None,
    minutes: bool = True,
) -> Result:
    """Build the data set into an empty register; raises ``RefusedError`` (and writes nothing)
    when processes or the demo accounts already exist."""
    today = timezone.localdate()
    seeder = ScaleSeeder(
        years=years,
        factor=factor,
        seed=seed,
        end_year=end_year or today.year,
        today=today,
        minutes=minutes,
    )
    return seeder.run()
