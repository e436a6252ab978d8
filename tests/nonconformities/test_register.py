"""The register of nonconformity cards, its export and "My actions": what each filter narrows,
who sees which cards, what the files hold, and query counts that do not grow with the data."""

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from nonconformities.forms.register import CardFilter
from nonconformities.models import CorrectiveAction, Nonconformity
from nonconformities.selectors.register import register_cards
from nonconformities.views.register import EXPORT_HEADERS
from processes.models import Process
from tests.conftest import PERSONA_NAMES, client_for

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
# card_setup: the card of PG.3 is read by the keepers and top management, its owner, the
# person responsible for its action and the lead auditor of the audit of PG.3.
SEES_SETUP_CARD = {
    "prezydent",
    "kierownictwo",
    "pelnomocnik",
    "koordynator",
    "wlasciciel",
    "pracownik",
    "auditor",
}
NOBODY_ELSE = {"wlasciciel2", "auditor2"}


def _english(client):
    # Page texts are checked in the English msgids, which do not change when the Polish
    # catalogue is filled in.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _card(process: Process, number: str, by, **fields) -> Nonconformity:
    """A card written directly (no numbering counter needed); its year is the number's."""
    values = {
        "source": Nonconformity.Source.OWN_DETECTION,
        "requirement": "Procedura PG.3.1 pkt 4",
        "description": "Brak potwierdzenia odbioru decyzji.",
        "evidence": "Teczka spraw nr 12.",
        "grade": Nonconformity.Grade.MINOR,
        "status": Nonconformity.Status.ANALYSIS,
        **fields,
    }
    return Nonconformity.objects.create(
        number=number,
        year=int(number.split("/")[1]),
        process=process,
        unit=values.pop("unit", process.owner_unit),
        raised_by=by,
        **values,
    )


def _action(card: Nonconformity, responsible, deadline: datetime.date, **fields):
    # Written directly: the service refuses a deadline in the past, and overdue is what we need.
    return CorrectiveAction.objects.create(
        card=card,
        description=fields.pop("description", "Uzupełnić rejestr i przeszkolić pracowników."),
        responsible=responsible,
        deadline=deadline,
        **fields,
    )


@pytest.fixture
def register(personas, own_process, other_process):
    """Four cards that differ in every filtered field:

    KN/2025/001  PG.3 (WSO), own detection, minor, analysis; one action overdue, one done
    KN/2026/001  PG.2 (WKM), complaint, major, in progress; two actions due later
    KN/2026/002  PG.3 (WSO), internal control, major, closed; a done action past its deadline
    KN/2026/003  PG.2, unit WOU, external audit, minor, reported; no actions
    """
    by = personas.pelnomocnik
    first = _card(own_process, "KN/2025/001", by)
    _action(first, personas.pracownik, TODAY - 3 * DAY)
    _action(first, personas.pracownik, TODAY - 9 * DAY, status=CorrectiveAction.Status.DONE)
    second = _card(
        other_process,
        "KN/2026/001",
        by,
        source=Nonconformity.Source.COMPLAINT,
        grade=Nonconformity.Grade.MAJOR,
        status=Nonconformity.Status.IN_PROGRESS,
        description="Przekroczony termin rejestracji pojazdu.",
        external_reference="WKM-SKO.152.4.2026",
    )
    _action(second, personas.wlasciciel2, TODAY + 5 * DAY)
    _action(second, personas.wlasciciel2, TODAY, status=CorrectiveAction.Status.IN_PROGRESS)
    third = _card(
        own_process,
        "KN/2026/002",
        by,
        source=Nonconformity.Source.INTERNAL_CONTROL,
        grade=Nonconformity.Grade.MAJOR,
        status=Nonconformity.Status.CLOSED,
    )
    _action(third, personas.pracownik, TODAY - 30 * DAY, status=CorrectiveAction.Status.DONE)
    fourth = _card(
        other_process,
        "KN/2026/003",
        by,
        unit=personas.koordynator.unit,
        source=Nonconformity.Source.EXTERNAL_AUDIT,
        status=Nonconformity.Status.REPORTED,
    )
    return {"first": first, "second": second, "third": third, "fourth": fourth}


def _numbers(client, query: dict | None = None) -> set[str]:
    response = client.get(reverse("nonconformities:list"), query or {})
    assert response.status_code == 200
    return {card.number for card in response.context["page"].object_list}


# --- the filters ----------------------------------------------------------------------------


def test_each_filter_narrows_the_register(personas, register, other_process):
    client = client_for(personas.pelnomocnik)
    everything = {"KN/2025/001", "KN/2026/001", "KN/2026/002", "KN/2026/003"}
    assert _numbers(client) == everything
    assert _numbers(client, {"status": "closed"}) == {"KN/2026/002"}
    # Process and unit by the code shown in the table, in any letter case.
    assert _numbers(client, {"process": other_process.code}) == {"KN/2026/001", "KN/2026/003"}
    assert _numbers(client, {"process": f" {other_process.code.lower()} "}) == {
        "KN/2026/001",
        "KN/2026/003",
    }
    assert _numbers(client, {"unit": personas.koordynator.unit.code}) == {"KN/2026/003"}
    assert _numbers(client, {"source": "complaint"}) == {"KN/2026/001"}
    assert _numbers(client, {"grade": "major"}) == {"KN/2026/001", "KN/2026/002"}
    # Overdue: an open action past its deadline; a done action past its deadline is not.
    assert _numbers(client, {"overdue": "yes"}) == {"KN/2025/001"}
    assert _numbers(client, {"overdue": "no"}) == everything - {"KN/2025/001"}
    assert _numbers(client, {"year": "2025"}) == {"KN/2025/001"}
    assert _numbers(client, {"q": "POJAZDU"}) == {"KN/2026/001"}
    assert _numbers(client, {"q": "2026/00"}) == {"KN/2026/001", "KN/2026/002", "KN/2026/003"}
    assert _numbers(client, {"q": "  "}) == everything
    assert _numbers(client, {"status": "analysis", "process": other_process.code}) == set()


def test_overdue_is_judged_against_the_day_given(personas, register):
    def overdue(today: datetime.date) -> set[str]:
        filterset = CardFilter(
            {"overdue": "yes"}, queryset=register_cards(user=personas.pelnomocnik, today=today)
        )
        assert filterset.is_valid()
        return {card.number for card in filterset.qs}

    assert overdue(TODAY) == {"KN/2025/001"}
    assert overdue(TODAY - 5 * DAY) == set()
    # A week on, the actions of KN/2026/001 (due today and in five days) are late too.
    assert overdue(TODAY + 7 * DAY) == {"KN/2025/001", "KN/2026/001"}


def test_process_and_unit_are_typed_as_codes_not_picked_from_every_record(
    personas, register, other_process
):
    # A drop-down of every process and unit grew the page with the city hall; a code box does not.
    client = _english(client_for(personas.pelnomocnik))
    html = client.get(reverse("nonconformities:list")).content.decode()
    assert 'type="text" name="process"' in html and 'type="text" name="unit"' in html
    for name in ("process", "unit"):
        assert "<option" not in html.split(f'name="{name}"')[1].split("</div>")[0]
    kept = client.get(reverse("nonconformities:list"), {"process": "pg.2"}).content.decode()
    assert 'value="pg.2"' in kept  # the typed filter stays in its box


@pytest.mark.parametrize(
    "query",
    [
        {"status": "<script>"},
        {"process": "PG.999"},
        {"process": "abc"},
        {"unit": "XYZ-999"},
        {"source": "plotka"},
        {"grade": "huge"},
        {"overdue": "maybe"},
        {"year": "dwa tysiące"},
        {"year": "2026.5"},
        {"year": "1500"},
    ],
)
def test_an_invalid_filter_matches_nothing_in_list_and_export(personas, register, query):
    client = client_for(personas.pelnomocnik)
    response = client.get(reverse("nonconformities:list"), query)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert response.context["filter"].form.errors
    export = client.get(reverse("nonconformities:export", args=["csv"]), query)
    assert export.status_code == 200
    lines = export.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1  # the header only


def test_the_table_shows_each_column_with_the_open_actions_and_the_overdue_marker(
    personas, register
):
    response = _english(client_for(personas.pelnomocnik)).get(reverse("nonconformities:list"))
    rows = {card.number: card for card in response.context["page"].object_list}
    assert rows["KN/2025/001"].open_actions == 1 and rows["KN/2025/001"].overdue
    assert rows["KN/2026/001"].open_actions == 2 and not rows["KN/2026/001"].overdue
    assert rows["KN/2026/002"].open_actions == 0 and not rows["KN/2026/002"].overdue
    assert rows["KN/2026/003"].open_actions == 0
    html = response.content.decode()
    for text in (
        '<th scope="col">Open actions</th>',
        '<th scope="col">Raised</th>',
        reverse("nonconformities:detail", args=[register["first"].pk]),
        "complaint, request or petition",
        "root-cause analysis",
        '<span class="badge text-bg-success">closed</span>',
        '<span class="badge text-bg-danger">overdue</span>',
        "4 cards found.",
    ):
        assert text in html
    # Every filter has a label tied to its input.
    for name in ("q", "status", "process", "unit", "source", "grade", "overdue", "year"):
        assert f'<label class="form-label" for="id_{name}">' in html
        assert f'id="id_{name}"' in html
    # The newest year first, then the number.
    assert list(rows) == ["KN/2026/003", "KN/2026/002", "KN/2026/001", "KN/2025/001"]


def test_the_register_is_paginated_by_25(personas, own_process):
    for i in range(30):
        _card(own_process, f"KN/2026/{i + 1:03d}", personas.pelnomocnik)
    client = client_for(personas.koordynator)
    first = client.get(reverse("nonconformities:list"))
    assert len(first.context["page"].object_list) == 25
    assert first.context["page"].paginator.count == 30
    second = client.get(reverse("nonconformities:list"), {"page": 2, "status": "analysis"})
    assert len(second.context["page"].object_list) == 5
    # The page links keep the filters.
    assert "status=analysis&amp;page=1" in second.content.decode()
    assert client.get(reverse("nonconformities:list"), {"page": "zzz"}).status_code == 200


# --- who sees what --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [*PERSONA_NAMES, "auditor2"])
def test_list_and_export_show_only_the_cards_the_person_may_read(personas, card_setup, persona):
    client = client_for(personas[persona])
    number = card_setup["card"].number
    listing = client.get(reverse("nonconformities:list"))
    export = client.get(reverse("nonconformities:export", args=["csv"]))
    if persona == "anonim":
        for response in (listing, export):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))
        return
    assert listing.status_code == 200 and export.status_code == 200
    listed = [card.number for card in listing.context["page"].object_list]
    exported = export.content.decode("utf-8-sig")
    if persona in SEES_SETUP_CARD:
        assert listed == [number]
        assert number in exported
    else:
        assert persona in NOBODY_ELSE
        assert listed == []
        assert number not in exported
        assert len(exported.strip().splitlines()) == 1


def test_a_card_of_another_process_stays_hidden_from_the_owner(personas, register):
    client = client_for(personas.wlasciciel)
    # wlasciciel owns PG.3 only; KN/2026/001 and /003 belong to PG.2.
    assert _numbers(client) == {"KN/2025/001", "KN/2026/002"}
    assert _numbers(client, {"process": register["second"].process.code}) == set()
    assert _numbers(client_for(personas.wlasciciel2)) == {"KN/2026/001", "KN/2026/003"}
    # pracownik is responsible for actions on the PG.3 cards only.
    assert _numbers(client_for(personas.pracownik)) == {"KN/2025/001", "KN/2026/002"}


def test_raise_button_is_offered_to_keepers_and_process_owners(personas, own_process):
    url = reverse("nonconformities:list")
    create = reverse("nonconformities:create")
    assert client_for(personas.koordynator).get(url).context["can_raise"]
    assert create in client_for(personas.wlasciciel).get(url).content.decode()
    assert create not in client_for(personas.pracownik).get(url).content.decode()


# --- the export -----------------------------------------------------------------------------


def _expected_row(card: Nonconformity, open_actions: int, overdue: bool) -> list[str]:
    with translation.override("pl"):
        return [
            card.number,
            str(card.year),
            card.process.code,
            card.process.name,
            card.unit.code,
            card.get_source_display(),
            card.external_reference,
            card.get_grade_display(),
            card.get_status_display(),
            card.requirement,
            card.description,
            str(card.raised_by),
            timezone.localtime(card.created_at).date().isoformat(),
            str(open_actions),
            "tak" if overdue else "nie",
        ]


def test_csv_export_holds_the_filtered_register_with_polish_headers(personas, register):
    client = _english(client_for(personas.pelnomocnik))
    response = client.get(reverse("nonconformities:export", args=["csv"]), {"grade": "major"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="karty-niezgodnosci-{TODAY.isoformat()}.csv"'
    )
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == EXPORT_HEADERS
    assert "Komórka organizacyjna" in rows[0]  # diacritics intact
    assert rows[1:] == [
        _expected_row(register["third"], 0, False),
        _expected_row(register["second"], 2, False),
    ]


def test_xlsx_export_holds_the_same_rows(personas, register):
    client = client_for(personas.pelnomocnik)
    response = client.get(reverse("nonconformities:export", args=["xlsx"]), {"q": "2025"})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment; ")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = workbook.worksheets[0]
    assert sheet.title == "Karty niezgodności"
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    assert rows == [EXPORT_HEADERS, _expected_row(register["first"], 1, True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_neutralises_spreadsheet_formulas(personas, own_process, fmt):
    _card(
        own_process,
        "KN/2026/007",
        personas.pelnomocnik,
        description='=HYPERLINK("http://zly.example","Kliknij")',
        requirement="@SUM(A1:A9)",
        external_reference="+48 81 466 00 00",
        evidence="-1",
    )
    response = client_for(personas.pelnomocnik).get(reverse("nonconformities:export", args=[fmt]))
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    else:
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
    row = dict(zip(EXPORT_HEADERS, rows[1], strict=True))
    assert row["Stwierdzony stan"] == '\'=HYPERLINK("http://zly.example","Kliknij")'
    assert row["Wymaganie"] == "'@SUM(A1:A9)"
    assert row["Znak sprawy"] == "'+48 81 466 00 00"
    # No cell of the file starts a formula.
    assert not any(str(cell or "").startswith(("=", "+", "-", "@")) for cell in rows[1])


def test_export_needs_a_known_format(personas):
    response = client_for(personas.pelnomocnik).get("/niezgodnosci/eksport.ods")
    assert response.status_code == 404


# --- my actions -----------------------------------------------------------------------------


def _my_actions(user) -> dict[str, list[CorrectiveAction]]:
    response = client_for(user).get(reverse("nonconformities:my_actions"))
    assert response.status_code == 200
    return {section["id"]: section["actions"] for section in response.context["sections"]}


@pytest.mark.parametrize("persona", [*PERSONA_NAMES, "auditor2"])
def test_my_actions_per_persona(personas, card_setup, persona):
    action = card_setup["action"]
    if persona == "anonim":
        response = client_for(None).get(reverse("nonconformities:my_actions"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    sections = _my_actions(personas[persona])
    listed = [a for actions in sections.values() for a in actions]
    if persona in ("pracownik", "wlasciciel"):
        # Responsible for it, or owner of the card's process; due in 30 days: "later".
        assert listed == [action]
        assert sections["later"] == [action]
    else:
        assert listed == []


def test_my_actions_are_split_by_urgency_and_say_why_they_are_yours(
    personas, own_process, other_process
):
    own_card = _card(own_process, "KN/2026/001", personas.pelnomocnik)
    other_card = _card(other_process, "KN/2026/002", personas.pelnomocnik)
    late = _action(other_card, personas.wlasciciel, TODAY - DAY)
    today = _action(own_card, personas.pracownik, TODAY)
    fortnight = _action(other_card, personas.wlasciciel, TODAY + 14 * DAY)
    later = _action(own_card, personas.wlasciciel, TODAY + 15 * DAY)
    # Not open, or on a closed card: never listed.
    _action(own_card, personas.wlasciciel, TODAY - DAY, status=CorrectiveAction.Status.DONE)
    closed = _card(own_process, "KN/2025/009", personas.pelnomocnik, status="closed")
    _action(closed, personas.wlasciciel, TODAY - DAY)
    sections = _my_actions(personas.wlasciciel)
    assert sections == {"overdue": [late], "due-soon": [today, fortnight], "later": [later]}
    response = _english(client_for(personas.wlasciciel)).get(reverse("nonconformities:my_actions"))
    html = response.content.decode()
    assert "Due within 14 days (2)" in html
    assert "you own the process" in html  # the action of pracownik on PG.3
    assert "you are responsible" in html
    assert reverse("nonconformities:detail", args=[other_card.pk]) in html
    assert '<span class="badge text-bg-danger">overdue</span>' in html
    # pracownik sees only the one action they are responsible for.
    assert _my_actions(personas.pracownik) == {"overdue": [], "due-soon": [today], "later": []}


# --- query counts ---------------------------------------------------------------------------


def _populate(personas, process: Process, count: int, start: int) -> None:
    """``count`` cards of ``process``, each with an overdue and a later action of pracownik."""
    for i in range(start, start + count):
        card = _card(process, f"KN/2026/{i:03d}", personas.pelnomocnik)
        _action(card, personas.pracownik, TODAY - DAY)
        _action(card, personas.pracownik, TODAY + 30 * DAY)


def _queries(client, url: str, query: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, query or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["pelnomocnik", "wlasciciel", "pracownik"])
def test_query_counts_do_not_grow_with_the_number_of_cards(personas, own_process, persona):
    client = client_for(personas[persona])
    urls = [
        (reverse("nonconformities:list"), None),
        (reverse("nonconformities:list"), {"overdue": "yes", "q": "KN"}),
        (reverse("nonconformities:export", args=["csv"]), None),
        (reverse("nonconformities:export", args=["xlsx"]), {"process": own_process.code}),
        (reverse("nonconformities:my_actions"), None),
    ]
    _populate(personas, own_process, 5, 1)
    small = [_queries(client, url, query) for url, query in urls]
    _populate(personas, own_process, 45, 6)
    large = [_queries(client, url, query) for url, query in urls]
    assert small == large
    assert Nonconformity.objects.count() == 50
    listing = client.get(reverse("nonconformities:list"))
    assert listing.context["page"].paginator.count == 50
