"""The four user journeys of the issue, in a real browser, signed in as the demo personas and
driven by the visible Polish labels and roles (and the keyboard where a person would use it).
Every page visited is checked with axe-core (WCAG 2.1 AA) and the Nu Html Checker."""

import datetime
import io
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import Journey, journey

JourneyFor = Callable[[str], Journey]

pytestmark = [journey, pytest.mark.usefixtures("demo")]


def use_skip_link(page: Page) -> None:
    """A keyboard user's first Tab lands on the skip link; Enter moves focus to the content."""
    page.locator("body").focus()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Przejdź do treści głównej")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def open_menu(page: Page, group: str, item: str) -> None:
    """Main navigation: open the group's drop-down and follow the item."""
    nav = page.get_by_role("navigation", name="Nawigacja główna")
    nav.get_by_role("button", name=group, exact=True).click()
    nav.get_by_role("link", name=item, exact=True).click()


def expect_message(page: Page, text: str) -> None:
    expect(page.locator(".messages .alert").first).to_contain_text(text)


def test_a_audit_plan_prepared_and_approved(journey_for: JourneyFor) -> None:
    j: Journey = journey_for("a-audit-plan")
    k = j.login("koordynator")
    j.check(k, "koordynator-dashboard")
    use_skip_link(k)
    open_menu(k, "Audity", "Plany auditów")
    j.check(k, "plan-list")
    k.get_by_role("link", name="Nowy plan").click()
    j.check(k, "plan-create")
    next_year = datetime.date.today().year + 1
    k.get_by_label("Rok").fill(str(next_year))
    k.get_by_role("button", name="Utwórz").click()
    j.check(k, "plan-created", screenshot=True)
    k.get_by_role("button", name="Wypełnij na podstawie pokrycia").click()
    j.check(k, "plan-prefilled", screenshot=True)
    entries = k.locator("tr", has_text="nie wybrano")
    assert entries.count() > 1, "coverage should pre-fill several entries"

    entries.first.get_by_role("link", name="Edytuj").click()
    j.check(k, "entry-edit")
    k.get_by_label("Auditor wiodący").select_option(label="Joanna Grześkiewicz")
    k.get_by_role("button", name="Zapisz").click()
    j.check(k, "entry-saved")
    removed = 0
    while k.locator("tr", has_text="nie wybrano").count():
        k.locator("tr", has_text="nie wybrano").first.get_by_role("link", name="Usuń").click()
        if removed == 0:
            j.check(k, "entry-remove-confirm")
        k.get_by_role("button", name="Usuń").click()
        removed += 1
    j.check(k, "plan-one-entry", screenshot=True)
    expect(k.get_by_text("Joanna Grześkiewicz").first).to_be_visible()

    k.get_by_role("link", name="Przekaż Prezydentowi").click()
    j.check(k, "plan-submit-confirm")
    k.get_by_role("button", name="Potwierdź").click()
    j.check(k, "plan-submitted", screenshot=True)
    plan_url = k.url

    p = j.login("prezydent")
    j.check(p, "prezydent-dashboard")
    p.get_by_role("link", name=f"Plan auditów {next_year}, wersja 1").click()
    assert p.url == plan_url
    j.check(p, "prezydent-plan")
    p.get_by_role("link", name="Zatwierdź").click()
    j.check(p, "plan-approve-form")
    p.get_by_label("Numer zarządzenia").fill(f"1234/{next_year - 1}")
    p.get_by_label("Data zarządzenia").fill(datetime.date.today().isoformat())
    p.get_by_role("button", name="Potwierdź").click()
    j.check(p, "plan-approved", screenshot=True)
    expect(p.get_by_text(f"1234/{next_year - 1}").first).to_be_visible()
    expect(p.get_by_text("zatwierdzony").first).to_be_visible()
    j.assert_accessible_and_valid()


def audit_in_progress(page: Page) -> None:
    open_menu(page, "Audity", "Audity")
    page.locator("tr", has_text="w toku").get_by_role("link").first.click()


def test_b_finding_and_nonconformity_card(journey_for: JourneyFor) -> None:
    j: Journey = journey_for("b-finding")
    a = j.login("auditor")
    j.check(a, "auditor-dashboard")
    use_skip_link(a)
    audit_in_progress(a)
    j.check(a, "audit-in-progress", screenshot=True)
    a.get_by_role("link", name="Zgłoś ustalenie").click()
    j.check(a, "finding-form")
    a.get_by_label("niezgodność", exact=True).check()
    a.get_by_label("duża", exact=True).check()
    a.get_by_label("Wymaganie lub kryterium").fill("PN-EN ISO 9001:2015 pkt 8.5.1")
    a.get_by_label("Stwierdzony stan").fill("Brak rejestru pełnomocnictw")
    a.get_by_label("Dowody").fill("Akta WSO.5340.12.2026")
    a.get_by_role("button", name="Zapisz").click()
    j.check(a, "finding-filed", screenshot=True)
    ours = a.locator("article", has_text="Brak rejestru pełnomocnictw")
    expect(ours.get_by_role("heading")).to_contain_text("niezgodność (duża)")

    ours.get_by_role("link", name="Wystaw kartę niezgodności").click()
    j.check(a, "card-raise-form", screenshot=True)
    expect(a.get_by_role("main")).to_contain_text("Brak rejestru pełnomocnictw")
    # The card takes over the finding's grade.
    expect(a.get_by_label("duża", exact=True)).to_be_checked()
    a.get_by_role("button", name="Wystaw kartę").click()
    j.check(a, "card-raised", screenshot=True)
    year = datetime.date.today().year
    expect(a.get_by_role("heading", level=1)).to_contain_text(f"KN/{year}/")
    expect_message(a, "Wystawiono kartę")
    expect(a.get_by_role("main")).to_contain_text("Brak rejestru pełnomocnictw")
    j.assert_accessible_and_valid()


@pytest.fixture
def card_in_progress_audit(demo: None) -> tuple[int, str]:
    """The precondition of journey (c), as journey (b) leaves it: a card raised by the lead
    auditor from a nonconformity found in the demo audit in progress. Returns the card's id and
    the username of the owner of the audited process. A fixture, so that it runs before
    Playwright's event loop starts (ORM calls under that loop would open a connection of their
    own that outlives the test)."""
    from audits.models import Audit, Finding
    from nonconformities.services import cards as nc_services

    audit = Audit.objects.filter(status=Audit.Status.IN_PROGRESS).first()
    assert audit is not None, "the demo has an audit in progress"
    process = audit.processes.first()
    finding = Finding.objects.create(
        audit=audit,
        number=audit.findings.count() + 1,
        type=Finding.Type.NONCONFORMITY,
        grade=Finding.Grade.MINOR,
        process=process,
        requirement="PN-EN ISO 9001:2015 pkt 7.5.3",
        description="Brak rejestru udostępnień akt",
        evidence="Rejestr za 2026 r.",
        created_by=audit.lead_auditor,
    )
    card = nc_services.card_raise(
        by=audit.lead_auditor,
        source="audit",
        finding=finding,
        process=process,
        requirement=finding.requirement,
        description=finding.description,
        evidence=finding.evidence,
        grade="minor",
    )
    return card.pk, process.owner.username


def test_c_corrective_action_verified_and_card_closed(
    card_in_progress_audit: tuple[int, str], journey_for: JourneyFor
) -> None:
    j: Journey = journey_for("c-corrective-action")
    card_pk, owner = card_in_progress_audit
    card_url = j.url(f"/niezgodnosci/{card_pk}/")

    w = j.login(owner)
    j.check(w, "owner-dashboard")
    use_skip_link(w)
    w.goto(card_url)
    j.check(w, "card-registered", screenshot=True)
    w.get_by_role("link", name="Korekcja i przyczyna").click()
    j.check(w, "analysis-form")
    w.get_by_label("Korekcja", exact=True).fill("Uzupełniono rejestr udostępnień za II kwartał.")
    w.get_by_label("Dlaczego? (1)").fill("Rejestr nie był prowadzony")
    w.get_by_label("Dlaczego? (2)").fill("Brak wzoru rejestru w procedurze")
    w.get_by_label("Przyczyna źródłowa").fill("Procedura PG.3.1 nie zawiera wzoru rejestru.")
    w.get_by_role("button", name="Zapisz").click()
    j.check(w, "analysis-saved", screenshot=True)

    w.get_by_role("link", name="Dodaj działanie korygujące").click()
    j.check(w, "action-form")
    w.get_by_label("Działanie").fill("Dodać wzór rejestru do procedury PG.3.1")
    w.get_by_label("Osoba odpowiedzialna").select_option(label="Michał Dąbrowski")
    deadline = datetime.date.today() + datetime.timedelta(days=21)
    w.get_by_label("Termin").fill(deadline.isoformat())
    w.get_by_role("button", name="Zapisz").click()
    j.check(w, "action-added")
    w.get_by_role("link", name="Działania zaplanowane").click()
    j.check(w, "plan-confirm")
    w.get_by_role("button", name="Potwierdź").click()
    j.check(w, "actions-planned", screenshot=True)

    r = j.login("pracownik")
    j.check(r, "responsible-dashboard")
    r.goto(card_url)
    j.check(r, "responsible-card")
    r.get_by_role("link", name="Zapisz wykonanie").first.click()
    j.check(r, "complete-form")
    r.get_by_label("Co zrobiono (dowód realizacji)").fill("Wzór rejestru dodano do procedury.")
    r.get_by_label("Co zrobiono (dowód realizacji)").press("Tab")
    r.set_input_files(
        "#id_files",
        files=[{"name": "dowód.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n"}],
    )
    r.get_by_role("button", name="Potwierdź").click()
    j.check(r, "action-done", screenshot=True)

    pl = j.login("pelnomocnik")
    j.check(pl, "pelnomocnik-dashboard")
    expect(pl.get_by_text("Karty czekające na Twoją weryfikację skuteczności")).to_be_visible()
    pl.goto(card_url)
    j.check(pl, "card-to-verify")
    pl.get_by_role("link", name="Zweryfikuj skuteczność").click()
    j.check(pl, "verify-form")
    pl.get_by_label("skuteczne — zamknij kartę").check()
    pl.get_by_label("Jak sprawdzono skuteczność").fill("Przegląd 10 spraw z listopada: kompletne.")
    pl.get_by_role("button", name="Potwierdź").click()
    j.check(pl, "card-closed", screenshot=True)
    expect(pl.get_by_text("zamknięta").first).to_be_visible()
    j.assert_accessible_and_valid()


def test_d_management_review_minutes_approved(journey_for: JourneyFor) -> None:
    j: Journey = journey_for("d-management-review")
    today = datetime.date.today()
    pl = j.login("pelnomocnik")
    j.check(pl, "pelnomocnik-dashboard")
    use_skip_link(pl)
    open_menu(pl, "Zarządzanie", "Przeglądy zarządzania")
    j.check(pl, "review-list")
    pl.get_by_role("link", name="Przygotuj przegląd").click()
    j.check(pl, "review-create-form")
    pl.get_by_label("Data posiedzenia").fill(today.isoformat())
    pl.get_by_label("Okres objęty przeglądem od").fill(today.replace(month=1, day=1).isoformat())
    pl.get_by_label("Okres objęty przeglądem do").fill(today.isoformat())
    pl.get_by_label("Krzysztof Żurawski").check()
    pl.get_by_label("Małgorzata Wójcik").check()
    pl.get_by_role("button", name="Zapisz").click()
    j.check(pl, "review-created", screenshot=True)
    expect_message(pl, "Utworzono przegląd")
    review_url = pl.url
    pl.get_by_role("link", name="Zapisz odbycie posiedzenia").click()
    j.check(pl, "hold-confirm")
    pl.get_by_role("button", name="Potwierdź").click()
    j.check(pl, "review-held", screenshot=True)

    p = j.login("prezydent")
    j.check(p, "prezydent-dashboard")
    p.goto(review_url)
    j.check(p, "review-to-approve")
    p.get_by_role("link", name="Zatwierdź protokół").click()
    j.check(p, "approve-confirm")
    p.get_by_role("button", name="Potwierdź").click()
    j.check(p, "minutes-approved", screenshot=True)
    expect(p.get_by_text("Protokół zatwierdzony").first).to_be_visible()

    link = p.get_by_role("link", name="Zatwierdzony protokół (PDF)")
    response = p.request.get(j.url(link.get_attribute("href") or ""))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(
        page.extract_text() or "" for page in PdfReader(io.BytesIO(response.body())).pages
    )
    text = " ".join(text.split())
    assert "Dane wejściowe do przeglądu (Księga Jakości, pkt 29)" in text
    j.assert_accessible_and_valid()
