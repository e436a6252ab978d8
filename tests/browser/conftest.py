"""Browser tests: the four user journeys in Chromium (Playwright, sync API) against
pytest-django's ``live_server``, with axe-core (WCAG 2.1 AA) and the Nu Html Checker on every page
a journey visits.

Chromium is the machine's (``/usr/bin/chromium``, never downloaded); axe-core and vnu.jar come from
``node_modules`` (``npm ci``, done by ``make test``)."""

import json
import os
import re
import shutil
import subprocess  # nosec B404
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test.utils import override_settings
from playwright.sync_api import Browser, Page, Response, sync_playwright
from pytest_django.live_server_helper import LiveServer

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
HTML = ARTIFACTS / "html"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = os.environ.get("SZJ_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "demo-szj-2026"  # nosec B105 — the published demo password (README)

# Every journey test: a live server and a real (transactional) database; the role groups of
# the data migration are restored after each flush.
journey = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(scope="session")
def _live_server_started(request: pytest.FixtureRequest) -> None:
    """Start pytest-django's ``live_server`` with a MEDIA_URL. The app has none (uploads are
    served only by permission-checked views), but the live server's media handler reads one when
    it starts: an absolute URL on another host makes it pass every request on to the app, so no
    upload is ever served around the permission checks. The setting is restored at once."""
    with override_settings(MEDIA_URL="http://media.invalid/"):
        request.getfixturevalue("live_server")


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Chromium for one test. Playwright's sync API runs an asyncio loop in this thread while it
    is open, and Django refuses ORM calls under a running loop: so a test prepares its data in
    fixtures that come before this one (``demo`` and the like) and only drives the browser."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci`")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def demo(settings) -> None:
    """The demo organisation of ``make run``; seed_demo refuses to run with DEBUG off."""
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False


class Journey:
    """One journey: opens signed-in pages and checks each page it visits (axe-core, the HTML
    saved for the Nu Html Checker, a screenshot of the key steps)."""

    def __init__(self, name: str, base_url: str, browser: Browser, axe_source: str) -> None:
        self.name = name
        self.base_url = base_url
        self.browser = browser
        self.axe_source = axe_source
        self.pages_checked = 0
        self.html_files: list[Path] = []
        self.axe_violations: list[str] = []
        self._documents: dict[Page, Response] = {}
        self.asserted = False
        for folder in (SCREENSHOTS, HTML / name):
            folder.mkdir(parents=True, exist_ok=True)
        for old in (HTML / name).glob("*.html"):
            old.unlink()
        for old in SCREENSHOTS.glob(f"{name}-*.png"):
            old.unlink()

    def url(self, path: str) -> str:
        return self.base_url + path

    def login(self, username: str) -> Page:
        context = self.browser.new_context(viewport={"width": 1280, "height": 900}, locale="pl-PL")
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.on("response", self._keep_document)
        page.goto(self.url("/logowanie/"))
        self.check(page, f"{username}-login")
        page.get_by_label("Nazwa użytkownika").fill(username)
        page.get_by_label("Hasło").fill(PASSWORD)
        page.get_by_role("button", name="Zaloguj się").click()
        page.wait_for_load_state()
        assert "/logowanie/" not in page.url, f"{username} could not sign in"
        return page

    def _keep_document(self, response: Response) -> None:
        """Remember each page's HTML as the server sent it: the Nu Html Checker must see the
        markup itself, not the browser's repaired DOM."""
        if (
            response.request.resource_type == "document"
            and response.status == 200
            and response.headers.get("content-type", "").startswith("text/html")
        ):
            self._documents[response.frame.page] = response

    def check(self, page: Page, step: str, *, screenshot: bool = False) -> None:
        """axe-core on the page as it is now, its HTML kept for vnu, and a screenshot."""
        page.wait_for_load_state()
        self.pages_checked += 1
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        stem = f"{self.pages_checked:02d}-{slug}"
        html_file = HTML / self.name / f"{stem}.html"
        document = self._documents.get(page)
        here = page.url.split("#")[0]
        assert document is not None and document.url == here, f"no HTML kept for {here}"
        html_file.write_text(document.text(), encoding="utf-8")
        self.html_files.append(html_file)
        if screenshot:
            page.screenshot(path=SCREENSHOTS / f"{self.name}-{stem}.png", full_page=True)
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Not page.add_script_tag: the app's Content-Security-Policy (script-src 'self')
            # rightly refuses inline scripts, and bypassing it would hide CSP breakage. The
            # DevTools protocol evaluates the same source without weakening the policy.
            page.evaluate(self.axe_source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        for violation in result["violations"]:
            targets = "; ".join(
                " ".join(node["target"]) if isinstance(node["target"], list) else str(node)
                for node in violation["nodes"][:5]
            )
            self.axe_violations.append(
                f"{step} ({page.url}): {violation['id']} — {violation['help']} — {targets}"
            )

    def validate_html(self) -> list[str]:
        """The Nu Html Checker's errors for every page saved by ``check``."""
        java = shutil.which("java")
        if java is None or not VNU_JAR.exists():
            pytest.fail(
                "java and node_modules/vnu-jar are needed (apt-get install "
                "default-jre-headless; npm ci)"
            )
        completed = subprocess.run(  # noqa: S603  # nosec B603
            [
                java,
                "-jar",
                str(VNU_JAR),
                "--format",
                "json",
                "--stdout",
                *map(str, self.html_files),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if not completed.stdout.strip():
            pytest.fail(f"the Nu Html Checker did not run: {completed.stderr[-2000:]}")
        messages = json.loads(completed.stdout)["messages"]
        return [
            f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m.get('message')} "
            f"[{m.get('extract', '').strip()[:120]}]"
            for m in messages
            if m.get("type") == "error"
        ]

    def assert_accessible_and_valid(self) -> None:
        """The end of every journey: no axe-core violation on any page it checked, and no
        error from the Nu Html Checker on their HTML."""
        self.asserted = True
        assert self.pages_checked > 0
        assert self.axe_violations == [], "axe-core:\n" + "\n".join(self.axe_violations)
        errors = self.validate_html()
        assert errors == [], "Nu Html Checker:\n" + "\n".join(errors)


@pytest.fixture
def journey_for(
    _live_server_started: None, live_server: LiveServer, browser: Browser, axe_source: str
) -> Iterator[Callable[[str], Journey]]:
    """``journey_for("a-audit-plan")`` — a :class:`Journey` on the live server; after the test
    each test ends with ``j.assert_accessible_and_valid()`` (and fails if it forgets to)."""
    journeys: list[Journey] = []

    def make(name: str) -> Journey:
        journeys.append(Journey(name, live_server.url, browser, axe_source))
        return journeys[-1]

    yield make
    forgotten = [j.name for j in journeys if not j.asserted]
    assert not forgotten, f"journeys never checked for accessibility and valid HTML: {forgotten}"
