"""Demo content of the registers kept for the management review, written through the services:
the Quality Policy in force, the context register, improvement proposals in every state, risks
and opportunities with their assessments (some due for review), and a year and a half of
customer feedback. Idempotent: what exists (by its title, name or case number) is left alone.

No nonconformity card is raised from the demo complaints: the card demo (``demo.
nonconformities``) seeds only into an empty card register, and the justified complaints
without a card are there for the demo user to raise one.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from processes.models import Process
from qms.models import OrganisationalUnit, User
from reviews.models import (
    ContextIssue,
    Feedback,
    ImprovementProposal,
    InterestedParty,
    QualityPolicy,
    Risk,
    RiskAssessment,
)
from reviews.selectors import is_development_team
from reviews.services import context as context_services
from reviews.services import feedback as feedback_services
from reviews.services import policy as policy_services
from reviews.services import proposals as proposal_services
from reviews.services import risks as risk_services

MISSION = (
    "Urząd Miasta służy mieszkańcom, przedsiębiorcom i wszystkim, którzy odwiedzają nasze "
    "miasto. Naszą misją jest sprawne, rzetelne i życzliwe załatwianie spraw zgodnie z prawem, "
    "z poszanowaniem czasu i potrzeb klienta, oraz tworzenie warunków do zrównoważonego "
    "rozwoju miasta, w którym dobrze się żyje, pracuje i inwestuje."
)
DECLARATION = """\
Jako Prezydent Miasta deklaruję, że jakość usług świadczonych przez Urząd jest naszym \
wspólnym priorytetem. Zobowiązuję się do:
1. zapewnienia zgodności działań Urzędu z przepisami prawa oraz wymaganiami normy \
PN-EN ISO 9001:2015;
2. rozpoznawania potrzeb i oczekiwań mieszkańców oraz innych zainteresowanych stron \
i uwzględniania ich w planowaniu zadań;
3. zapewnienia zasobów — kompetentnych pracowników, infrastruktury i systemów \
informatycznych — niezbędnych do realizacji procesów;
4. ustanawiania mierzalnych celów jakościowych i corocznego przeglądu ich realizacji;
5. zarządzania ryzykiem i wykorzystywania szans rozwoju miasta;
6. ciągłego doskonalenia Systemu Zarządzania Jakością z udziałem wszystkich pracowników.

Każdy pracownik Urzędu jest odpowiedzialny za jakość swojej pracy. Oczekuję, że Polityka \
Jakości będzie znana, rozumiana i stosowana na każdym stanowisku."""

# kind, title, description, effect, reviewed this year
ISSUES = [
    (
        "external",
        "Zmiany przepisów prawa i orzecznictwa",
        "Częste nowelizacje KPA, ustaw samorządowych i przepisów dziedzinowych.",
        "Konieczność bieżącej aktualizacji procedur i szkoleń pracowników.",
        True,
    ),
    (
        "external",
        "Dostępność środków z funduszy Unii Europejskiej",
        "Nowa perspektywa finansowa UE i programy krajowe.",
        "Wpływ na plan inwestycyjny i obciążenie wydziałów obsługujących projekty.",
        True,
    ),
    (
        "external",
        "Sytuacja geopolityczna w regionie",
        "Napływ obywateli Ukrainy i zadania związane z ich obsługą.",
        "Wzrost liczby spraw w ewidencji ludności i BOM; potrzeba obsługi w języku ukraińskim.",
        False,
    ),
    (
        "internal",
        "Systemy informatyczne urzędu",
        "Elektroniczne zarządzanie dokumentacją (EZD) i systemy dziedzinowe.",
        "Ciągłość działania zależy od infrastruktury i kompetencji cyfrowych pracowników.",
        True,
    ),
    (
        "internal",
        "Rotacja kadr i zastępowalność",
        "Odejścia doświadczonych pracowników w wydziałach obsługi mieszkańców.",
        "Ryzyko wydłużenia terminów; potrzeba planów zastępstw i szkoleń.",
        False,
    ),
]

# name, needs, monitoring
PARTIES = [
    (
        "Mieszkańcy miasta",
        "Szybkie, życzliwe i zrozumiałe załatwianie spraw; dostęp do e-usług; rzetelna informacja.",
        "Badania satysfakcji, skargi i wnioski, konsultacje społeczne, Aplikacja dla Mieszkańca.",
    ),
    (
        "Przedsiębiorcy i inwestorzy",
        "Przewidywalne terminy decyzji, jasne procedury, kontakt z opiekunem inwestora.",
        "Spotkania z organizacjami przedsiębiorców, wnioski, ankiety po obsłudze.",
    ),
    (
        "Rada Miasta",
        "Terminowe i rzetelne informacje, realizacja uchwał, odpowiedzi na interpelacje.",
        "Interpelacje i zapytania radnych, sprawozdania z wykonania uchwał.",
    ),
    (
        "Organy kontroli",
        "Zgodność działań z prawem, wykonanie zaleceń pokontrolnych.",
        "Protokoły i wystąpienia pokontrolne (RIO, NIK, wojewoda), rejestr zaleceń.",
    ),
    (
        "Pracownicy urzędu",
        "Stabilne zatrudnienie, rozwój kompetencji, dobre warunki pracy, jasny podział zadań.",
        "Badanie satysfakcji pracowników, oceny okresowe, propozycje doskonalenia.",
    ),
]

# process, title, kind, first (L, I), assessment (L, I, effective), owner key, due in days
RISKS = [
    (
        "PG.1",
        "Przekroczenie terminów obsługi w BOM w okresach szczytu",
        "risk",
        (4, 3),
        (3, 3, True),
        "wlasciciel",
        -5,
    ),
    (
        "PG.1",
        "Elektroniczny system kolejkowy z powiadomieniami SMS",
        "opportunity",
        (3, 4),
        (4, 4, None),
        "wlasciciel",
        120,
    ),
    (
        "PG.2",
        "Awaria centralnej ewidencji pojazdów (CEPiK)",
        "risk",
        (2, 5),
        (2, 5, False),
        None,
        0,
    ),
    (
        "PG.3",
        "Wydanie dowodu osobistego osobie nieuprawnionej",
        "risk",
        (1, 5),
        (1, 5, True),
        None,
        60,
    ),
    ("PG.4", "Błąd w akcie stanu cywilnego", "risk", (2, 4), (2, 3, True), None, 90),
    ("PG.5", "Przedawnienie należności podatkowych", "risk", (3, 4), (2, 4, True), None, -20),
    (
        "PG.6",
        "Utrata dokumentacji nieruchomości w archiwum",
        "risk",
        (2, 3),
        (2, 3, True),
        None,
        150,
    ),
    (
        "PG.7",
        "Niedotrzymanie terminów wydania pozwolenia na budowę",
        "risk",
        (4, 4),
        (4, 4, False),
        None,
        30,
    ),
    (
        "PG.10",
        "Obsługa CEIDG w pełni elektronicznie",
        "opportunity",
        (3, 3),
        (4, 3, None),
        "wlasciciel",
        200,
    ),
    (
        "PG.11",
        "Nierozpatrzenie skargi w terminie ustawowym",
        "risk",
        (3, 3),
        (2, 3, True),
        None,
        45,
    ),
    (
        "PW.1",
        "Odejście doświadczonych pracowników bez zastępstwa",
        "risk",
        (4, 4),
        (4, 3, False),
        None,
        -1,
    ),
    (
        "PW.3",
        "Unieważnienie postępowania o udzielenie zamówienia",
        "risk",
        (2, 4),
        (2, 4, True),
        None,
        75,
    ),
    ("PW.4", "Atak ransomware na infrastrukturę urzędu", "risk", (3, 5), (3, 5, True), None, 0),
    (
        "PW.4",
        "Przeniesienie systemów do chmury obliczeniowej",
        "opportunity",
        (2, 4),
        (3, 4, None),
        None,
        180,
    ),
    ("PZ.5", "Nieaktualny rejestr ryzyk w wydziałach", "risk", (3, 2), (2, 2, True), None, 100),
]

# kind, number in the year, this or last year, month received, process, outcome, summary
CASES = [
    (
        "complaint",
        1,
        "last",
        2,
        "PG.1",
        "justified",
        "Skarga na długi czas oczekiwania w BOM przy ul. Wieniawskiej.",
    ),
    (
        "complaint",
        2,
        "last",
        3,
        "PG.2",
        "unjustified",
        "Skarga na odmowę rejestracji pojazdu bez kompletu dokumentów.",
    ),
    (
        "complaint",
        3,
        "last",
        5,
        "PG.7",
        "justified",
        "Skarga na przewlekłość postępowania w sprawie pozwolenia na budowę.",
    ),
    (
        "complaint",
        4,
        "last",
        7,
        "PG.5",
        "unjustified",
        "Skarga na wysokość podatku od nieruchomości.",
    ),
    (
        "complaint",
        5,
        "last",
        9,
        "PG.3",
        "justified",
        "Skarga na niewłaściwe zachowanie pracownika przy wydawaniu dowodu osobistego.",
    ),
    ("complaint", 6, "last", 11, "PG.6", "unjustified", "Skarga na sposób wyceny nieruchomości."),
    (
        "request",
        7,
        "last",
        4,
        "PG.1",
        "accepted",
        "Wniosek o wydłużenie godzin pracy BOM w czwartki.",
    ),
    (
        "request",
        8,
        "last",
        6,
        "PG.9",
        "declined",
        "Wniosek o utworzenie nowego oddziału przedszkolnego na Czubach.",
    ),
    (
        "request",
        9,
        "last",
        8,
        "PW.8",
        "accepted",
        "Wniosek o publikowanie w BIP harmonogramu dyżurów radnych.",
    ),
    (
        "request",
        10,
        "last",
        10,
        "PG.8",
        "accepted",
        "Wniosek o dodatkowe pojemniki na odpady segregowane.",
    ),
    (
        "petition",
        11,
        "last",
        5,
        "PG.8",
        "declined",
        "Petycja w sprawie zakazu wycinki drzew przy al. Kraśnickiej.",
    ),
    (
        "petition",
        12,
        "last",
        10,
        "PW.8",
        "accepted",
        "Petycja o transmisje online z sesji komisji Rady Miasta.",
    ),
    (
        "complaint",
        1,
        "this",
        1,
        "PG.1",
        "justified",
        "Skarga na brak informacji o wymaganych dokumentach na stronie internetowej.",
    ),
    ("complaint", 2, "this", 2, "PG.2", "unjustified", "Skarga na termin odbioru prawa jazdy."),
    (
        "complaint",
        3,
        "this",
        4,
        "PG.11",
        "justified",
        "Skarga na brak odpowiedzi na wniosek w terminie.",
    ),
    (
        "complaint",
        4,
        "this",
        6,
        "PG.10",
        "unjustified",
        "Skarga na odmowę wydania zezwolenia na sprzedaż alkoholu.",
    ),
    (
        "complaint",
        5,
        "this",
        8,
        "PG.7",
        "pending",
        "Skarga na opieszałość w wydaniu decyzji o warunkach zabudowy.",
    ),
    ("complaint", 6, "this", 10, "PG.3", "pending", "Skarga na błędne zameldowanie."),
    (
        "request",
        7,
        "this",
        3,
        "PG.1",
        "accepted",
        "Wniosek o możliwość umawiania wizyt w BOM przez internet.",
    ),
    (
        "request",
        8,
        "this",
        5,
        "PG.5",
        "declined",
        "Wniosek o umorzenie opłaty targowej dla wszystkich kupców.",
    ),
    (
        "request",
        9,
        "this",
        7,
        "PW.4",
        "accepted",
        "Wniosek o udostępnienie bezpłatnego Wi-Fi w BOM.",
    ),
    (
        "request",
        10,
        "this",
        9,
        "PG.6",
        "pending",
        "Wniosek o dzierżawę terenu pod ogród społeczny.",
    ),
    (
        "petition",
        11,
        "this",
        4,
        "PG.9",
        "accepted",
        "Petycja o rozszerzenie nauki pływania w szkołach podstawowych.",
    ),
    (
        "petition",
        12,
        "this",
        9,
        "PG.8",
        "pending",
        "Petycja w sprawie nasadzeń drzew na osiedlu Felin.",
    ),
    ("petition", 13, "this", 10, "PW.8", "declined", "Petycja o zmianę nazwy ulicy."),
    (
        "request",
        14,
        "this",
        11,
        "PG.4",
        "pending",
        "Wniosek o udzielanie ślubów cywilnych w soboty po południu.",
    ),
]

# survey, this or last year, months covered, month of the results, score of 5, respondents,
# unit
SURVEYS = [
    ("Badanie satysfakcji klientów BOM — I półrocze", "last", (1, 6), 7, "4.21", 386, "BOM"),
    ("Badanie satysfakcji klientów BOM — II półrocze", "last", (7, 12), 12, "4.35", 412, "BOM"),
    ("Badanie satysfakcji klientów BOM — I półrocze", "this", (1, 6), 7, "4.42", 455, "BOM"),
    ("Ankieta przedsiębiorców — obsługa CEIDG", "this", (1, 9), 10, "4.05", 138, "WSO"),
]


def _day(year: int, month: int, day: int, today: datetime.date) -> datetime.date:
    """A date of the demo calendar, never later than today (feedback is never future)."""
    return min(datetime.date(year, month, day), today)


def _month_end(year: int, month: int) -> datetime.date:
    return (datetime.date(year, month, 28) + datetime.timedelta(days=4)).replace(
        day=1
    ) - datetime.timedelta(days=1)


def _seed_policy(people: dict[str, User], today: datetime.date) -> int:
    if QualityPolicy.objects.exists():
        return 0
    draft = policy_services.policy_draft_create(
        by=people["pelnomocnik"], mission=MISSION, declaration=DECLARATION
    )
    policy_services.policy_approve(
        policy=draft, by=people["prezydent"], expected_version=draft.version
    )
    # In force since the start of last year, as a policy approved long before the demo.
    approved = timezone.make_aware(datetime.datetime(today.year - 1, 1, 15, 10, 0))
    QualityPolicy.objects.filter(pk=draft.pk).update(approved_at=approved)
    return 1


def _seed_context(people: dict[str, User], today: datetime.date) -> int:
    keeper = people["koordynator"]
    created = 0
    for kind, title, description, effect, reviewed in ISSUES:
        if ContextIssue.objects.filter(title=title).exists():
            continue
        issue = context_services.context_issue_create(
            by=keeper, kind=kind, title=title, description=description, effect=effect
        )
        if reviewed:
            context_services.context_issue_mark_reviewed(
                issue=issue,
                by=people["pelnomocnik"],
                expected_version=issue.version,
                note="Przegląd kontekstu przed przeglądem zarządzania",
                today=_day(today.year, 2, 10, today),
            )
        created += 1
    for name, needs, monitoring in PARTIES:
        if InterestedParty.objects.filter(name=name).exists():
            continue
        party = context_services.interested_party_create(
            by=keeper, name=name, needs=needs, monitoring=monitoring
        )
        context_services.interested_party_mark_reviewed(
            party=party,
            by=keeper,
            expected_version=party.version,
            today=_day(today.year, 2, 10, today),
        )
        created += 1
    return created


def _seed_proposals(people: dict[str, User], today: datetime.date) -> int:
    team = next(
        (people[k] for k in ("koordynator", "pelnomocnik") if is_development_team(people[k])),
        None,
    )
    created = 0
    # proposer, title, description, benefit, process code, target state
    proposals = [
        (
            "pracownik",
            "Numerki kolejkowe wysyłane SMS-em",
            "Klient pobiera numerek w BOM i dostaje SMS, gdy zbliża się jego kolej — może "
            "poczekać poza poczekalnią.",
            "Mniejszy tłok w poczekalni, lepsze oceny w badaniu satysfakcji.",
            "PG.1",
            ImprovementProposal.Status.SUBMITTED,
        ),
        (
            "auditor",
            "Wspólna lista pytań kontrolnych dla procesów obsługi mieszkańców",
            "Jedna, aktualizowana raz w roku lista pytań dla auditów procesów PG.1–PG.4.",
            "Porównywalne wyniki auditów i krótsze przygotowanie auditorów.",
            "PZ.4",
            ImprovementProposal.Status.ACCEPTED,
        ),
        (
            "wlasciciel2",
            "Przypomnienie e-mail o terminie odbioru prawa jazdy",
            "Automatyczna wiadomość z systemu dziedzinowego, gdy dokument jest gotowy.",
            "Mniej telefonów do wydziału, szybszy odbiór dokumentów.",
            "PG.2",
            ImprovementProposal.Status.DONE,
        ),
    ]
    for proposer, title, description, benefit, code, target in proposals:
        if ImprovementProposal.objects.filter(title=title).exists():
            continue
        proposal = proposal_services.proposal_submit(
            by=people[proposer],
            title=title,
            description=description,
            expected_benefit=benefit,
            process=Process.objects.filter(code=code).first(),
        )
        created += 1
        if target == ImprovementProposal.Status.SUBMITTED or team is None:
            continue
        owner = people["koordynator"] if code == "PZ.4" else people["wlasciciel2"]
        proposal = proposal_services.proposal_accept(
            proposal=proposal,
            by=team,
            expected_version=proposal.version,
            assessment="Propozycja zasadna; realizacja w ramach bieżących zasobów.",
            action_owner=owner,
            action_deadline=today + datetime.timedelta(days=45),
        )
        if target == ImprovementProposal.Status.DONE:
            proposal_services.proposal_complete(
                proposal=proposal,
                by=owner,
                expected_version=proposal.version,
                note="Wdrożono w systemie dziedzinowym; informacja na stronie wydziału.",
            )
    return created


def _seed_risks(people: dict[str, User], today: datetime.date) -> int:
    keeper = people["koordynator"]
    processes = {p.code: p for p in Process.objects.select_related("owner")}
    now = timezone.now()
    created = 0
    for code, title, kind, first, assessed, owner_key, due_in in RISKS:
        process = processes.get(code)
        if process is None or Risk.objects.filter(title=title).exists():
            continue
        owner = people[owner_key] if owner_key else (process.owner or keeper)
        risk = risk_services.risk_create(
            by=keeper,
            kind=kind,
            title=title,
            owner=owner,
            process=process,
            likelihood=first[0],
            impact=first[1],
            controls="Procedura wewnętrzna, nadzór kierownika komórki",
            next_review=today + datetime.timedelta(days=30),
        )
        likelihood, impact, effective = assessed
        risk_services.risk_assess(
            risk=risk,
            by=owner,
            expected_version=risk.version,
            likelihood=likelihood,
            impact=impact,
            controls="Procedura wewnętrzna, nadzór kierownika komórki, raport miesięczny",
            controls_effective=effective,
            note="Ocena okresowa w ramach kontroli zarządczej",
            next_review=today + datetime.timedelta(days=max(due_in, 1)),
        )
        # As time would have it: identified last year, assessed a few months ago; some reviews
        # are due today or already overdue (the services rightly refuse such dates).
        first_row, second_row = RiskAssessment.objects.filter(risk=risk).order_by("id")
        identified = now - datetime.timedelta(days=400)
        RiskAssessment.objects.filter(pk=first_row.pk).update(assessed_at=identified)
        RiskAssessment.objects.filter(pk=second_row.pk).update(
            assessed_at=now - datetime.timedelta(days=90)
        )
        Risk.objects.filter(pk=risk.pk).update(
            created_at=identified, next_review=today + datetime.timedelta(days=due_in)
        )
        created += 1
    return created


def _seed_feedback(people: dict[str, User], today: datetime.date) -> int:
    by = people["pelnomocnik"]
    processes = {p.code: p for p in Process.objects.select_related("owner_unit")}
    created = 0
    for kind, number, which, month, code, outcome, summary in CASES:
        year = today.year if which == "this" else today.year - 1
        series = "152" if kind == "petition" else "1510"
        reference = f"WOU-SW.{series}.{number}.{year}"
        if Feedback.objects.filter(reference=reference).exists():
            continue
        feedback_services.feedback_create(
            by=by,
            kind=kind,
            reference=reference,
            received=_day(year, month, 3 + number, today),
            process=processes.get(code),
            unit=None if code in processes else by.unit,
            summary=summary,
            outcome=outcome,
        )
        created += 1
    for name, which, (start, end), month, score, respondents, unit_code in SURVEYS:
        year = today.year if which == "this" else today.year - 1
        received = _day(year, month, 15, today)
        if Feedback.objects.filter(survey_name=name, received__year=year).exists():
            continue
        feedback_services.feedback_create(
            by=by,
            kind=Feedback.Kind.SURVEY,
            received=received,
            summary="Najwyżej oceniono uprzejmość pracowników, najniżej czas oczekiwania.",
            survey_name=name,
            period_start=datetime.date(year, start, 1),
            period_end=min(_month_end(year, end), received),
            score=Decimal(score),
            score_max=Decimal("5"),
            respondents=respondents,
            unit=OrganisationalUnit.objects.filter(code=unit_code).first(),
        )
        created += 1
    return created


def seed_registers(people: dict[str, User]) -> int:
    """Seed the Quality Policy, context register, proposals, risks and feedback for the demo
    people (keys prezydent, kierownictwo, pelnomocnik, koordynator, wlasciciel, wlasciciel2,
    auditor, auditor2, auditor3, pracownik) and the demo process register (PZ.1–PW.8).
    Returns how many records were created; running it again creates none."""
    today = timezone.localdate()
    return (
        _seed_policy(people, today)
        + _seed_context(people, today)
        + _seed_proposals(people, today)
        + _seed_risks(people, today)
        + _seed_feedback(people, today)
    )
