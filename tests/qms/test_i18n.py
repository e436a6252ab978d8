"""Polish first: every interface string has a Polish translation, plurals follow Polish rules,
and English is complete."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from tests.conftest import client_for

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["pl", "en"])
def test_every_entry_is_translated(language):
    catalog = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(catalog) > 100
    missing = [e.msgid for e in catalog.untranslated_entries()]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    assert missing == []
    assert fuzzy == []
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists()


def test_polish_translations_keep_placeholders():
    catalog = polib.pofile(str(LOCALE / "pl" / "LC_MESSAGES" / "django.po"))
    import re

    placeholder = re.compile(r"%\((\w+)\)s|\{\{ ?(\w+) ?\}\}")
    for entry in catalog.translated_entries():
        wanted = {m.group(0) for m in placeholder.finditer(entry.msgid)}
        texts = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        for text in texts:
            assert {m.group(0) for m in placeholder.finditer(text)} >= wanted - {"%(count)s"}, (
                entry.msgid
            )


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 proces"),
        (2, "2 procesy"),
        (4, "4 procesy"),
        (5, "5 procesów"),
        (12, "12 procesów"),
        (22, "22 procesy"),
        (25, "25 procesów"),
        (101, "101 procesów"),
    ],
)
def test_polish_plural_forms(count, expected):
    with translation.override("pl"):
        text = ngettext("%(counter)s process found.", "%(counter)s processes found.", count) % {
            "counter": count
        }
    assert text.startswith(expected + " ")


def test_pages_render_in_polish_and_english_with_diacritics(personas, own_process):
    client = client_for(personas.wlasciciel)
    polish = client.get(reverse("processes:list")).content.decode()
    assert "Rejestr procesów" in polish
    assert "Process register" not in polish
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("processes:list")).content.decode()
    assert "Process register" in english
    assert "Rejestr procesów" not in english
    # Data stays as entered, diacritics intact, whatever the interface language.
    assert "Sprawy obywatelskie i ewidencja ludności" in english


def test_polish_even_for_an_english_browser_until_the_person_switches(personas):
    client = client_for(personas.pracownik)
    page = client.get(reverse("processes:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="pl">' in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("processes:list"), HTTP_ACCEPT_LANGUAGE="pl")
    assert '<html lang="en">' in page.content.decode()
    assert page["Content-Language"] == "en"
