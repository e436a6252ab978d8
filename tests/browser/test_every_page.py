"""Every page of the access matrix, for every signed-in persona, in Chromium: each HTML page the
persona may open (tests/security/matrix.py, a 200 on GET) is checked with axe-core (WCAG 2.1 AA),
for reflow at 320 CSS pixels (WCAG 1.4.10: no horizontal scrolling of the page itself; wide
tables scroll inside their ``.table-responsive``), and its server HTML with the Nu Html Checker
(one run per persona).

The data is the security suite's ``world`` (one object of every kind); the persona's session is
made with Django's test client and handed to the browser as its cookie."""

import re
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import HTML, Journey
from tests.conftest import Personas, client_for
from tests.security import conftest as security
from tests.security.matrix import MATRIX, SIGNED_IN
from tests.security.test_matrix import build_url

# The security suite's fixtures, shared rather than copied: the world and its media folder.
world = security.world
media_root = security.media_root

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REFLOW_WIDTH = 320
# The elements sticking out past the viewport whose parent does not: what breaks the reflow.
OVERFLOWING = """w => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > w + 1
    && !(e.parentElement && e.parentElement.getBoundingClientRect().right > w + 1)
    && !(e.parentElement && e.parentElement.closest('.table-responsive')))
  .slice(0, 5)
  .map(e => e.tagName.toLowerCase()
    + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
    + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')"""
DESKTOP = {"width": 1280, "height": 900}

# The persona's pages: (URL name, path), and the session cookie that signs the browser in.
Plan = tuple[list[tuple[str, str]], str]


@pytest.fixture
def plan(request: pytest.FixtureRequest, world: dict[str, Any], personas: Personas) -> Plan:
    """Prepared before Chromium starts (Playwright's event loop and the ORM do not mix): the
    URLs the matrix lets this persona GET with a 200, kept only where the answer is an HTML page
    (not a PDF, a CSV export, a download or a calendar feed)."""
    persona = request.node.callspec.params["persona"]
    client = client_for(personas[persona])
    pages = []
    for name, rule in sorted(MATRIX.items()):
        if persona not in rule.get or rule.ok != 200:
            continue
        path = build_url(name, rule.obj, world)
        response = client.get(path)
        assert response.status_code == 200, f"{name} ({path}): {response.status_code}"
        if response["Content-Type"].startswith("text/html"):
            pages.append((name, path))
    return pages, client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.parametrize("persona", sorted(SIGNED_IN))
def test_every_page_is_accessible_reflows_and_is_valid(
    persona: str,
    _live_server_started: None,
    live_server: LiveServer,
    plan: Plan,
    axe_source: str,
    browser: Browser,
) -> None:
    pages, session_id = plan
    assert pages, f"{persona} has no page to check"
    j = Journey(f"every-page-{persona}", live_server.url, browser, axe_source)
    context = browser.new_context(viewport=DESKTOP, locale="pl-PL")
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_id, "url": live_server.url}]
    )
    page = context.new_page()
    page.on("response", j._keep_document)
    too_wide: list[str] = []
    for name, path in pages:
        page.set_viewport_size(DESKTOP)
        response = page.goto(j.url(path))
        assert response is not None and response.status == 200, f"{name} ({path})"
        assert response.headers["content-type"].startswith("text/html"), f"{name} ({path})"
        j.check(page, re.sub(r"[^a-z0-9]+", "-", name))
        page.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > REFLOW_WIDTH + 1:
            culprits = ", ".join(page.evaluate(OVERFLOWING, REFLOW_WIDTH))
            too_wide.append(f"{name} ({path}): {width}px wide at {REFLOW_WIDTH}px: {culprits}")
    context.close()
    print(f"\n{persona}: {j.pages_checked} pages checked (HTML in {HTML / j.name})")
    assert j.pages_checked == len(pages)
    assert too_wide == [], "no reflow at 320 CSS px:\n" + "\n".join(too_wide)
    j.assert_accessible_and_valid()
