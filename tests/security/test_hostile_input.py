"""Hostile and random input to the main forms, posted by a persona allowed to use each: the
answer is never a 500, and when it is not a redirect (a valid save) nothing was written. Text
with HTML/JS is shown escaped."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Personas, client_for
from tests.security.test_matrix import build_url, fingerprint

HOSTILE = st.one_of(
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "'; DROP TABLE processes_process; --",
            "0001-01-01",
            "9999-12-31",
            "-1",
            "-99999999999999999999",
            "99999999999999999999999",
            "1e308",
            "NaN",
            "999999999",
            "x" * 10_000,
            "\x00\x01\x1b[31m",
            "",
        ]
    ),
    st.text(max_size=60),
)

# (url name, world object, persona allowed to use the form, the form's fields)
FORMS: list[tuple[str, str | None, str, list[str]]] = [
    ("processes:create", None, "koordynator", ["category", "code", "name", "purpose", "owner"]),
    ("processes:edit", "own_process", "koordynator", ["code", "name", "purpose", "owner"]),
    ("processes:describe", "own_process", "wlasciciel", ["purpose", "inputs", "outputs"]),
    ("processes:document_add", "own_process", "wlasciciel", ["code", "title", "effective_date"]),
    ("processes:import", None, "koordynator", ["file"]),
    ("audits:auditor_list_create", None, "koordynator", ["year"]),
    ("audits:candidate_add", "auditor_list", "koordynator", ["person", "certificate_date"]),
    ("audits:plan_create", None, "koordynator", ["year"]),
    ("audits:entry_add", "plan", "koordynator", ["processes", "planned_month", "lead_auditor"]),
    ("audits:edit", "audit", "auditor", ["scope", "criteria", "planned_month", "start_date"]),
    ("audits:finding_add", "audit", "auditor", ["type", "grade", "process", "description"]),
    ("nonconformities:create", None, "wlasciciel", ["process", "description", "grade"]),
    ("nonconformities:analysis", "card", "wlasciciel", ["correction", "root_cause", "version"]),
    (
        "nonconformities:action_add",
        "card",
        "wlasciciel",
        ["description", "responsible", "deadline"],
    ),
    ("nonconformities:action_complete", "action", "pracownik", ["note", "version"]),
    ("reviews:objective_create", None, "pelnomocnik", ["year", "title", "target", "deadline"]),
    ("reviews:measurement_add", "objective", "wlasciciel", ["period_start", "value"]),
    ("reviews:risk_create", None, "koordynator", ["kind", "title", "likelihood", "impact"]),
    ("reviews:risk_assess", "risk", "wlasciciel", ["likelihood", "impact", "next_review"]),
    ("reviews:feedback_create", None, "pelnomocnik", ["kind", "received", "summary", "process"]),
    ("reviews:proposal_create", None, "pracownik", ["title", "description", "process"]),
    ("reviews:review_create", None, "pelnomocnik", ["meeting_date", "period_start", "period_end"]),
    ("reviews:decision_add", "review", "pelnomocnik", ["type", "owner", "deadline"]),
]


@pytest.mark.parametrize(("name", "obj", "persona", "fields"), FORMS, ids=[f[0] for f in FORMS])
def test_hostile_post_is_never_a_server_error(
    name: str, obj: str | None, persona: str, fields: list[str], world: dict, personas: Personas
) -> None:
    url = build_url(name, obj, world)
    client = client_for(personas[persona])

    @settings(
        max_examples=6,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(values=st.lists(HOSTILE, min_size=len(fields), max_size=len(fields)))
    def post(values: list[str]) -> None:
        before = fingerprint()
        response = client.post(url, dict(zip(fields, values, strict=True)))
        assert response.status_code in {200, 302, 403, 404}
        if response.status_code != 302:
            assert fingerprint() == before

    post()


def test_html_in_a_process_purpose_is_shown_escaped(world: dict, personas: Personas) -> None:
    process = world["own_process"]
    type(process).objects.filter(pk=process.pk).update(purpose="<script>alert(1)</script>")
    page = client_for(personas.pracownik).get(reverse("processes:detail", args=[process.pk]))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content.decode()
    assert "<script>alert(1)</script>" not in page.content.decode()


def test_html_in_a_card_is_shown_escaped_and_its_pdf_renders(
    world: dict, personas: Personas
) -> None:
    card = world["card"]
    type(card).objects.filter(pk=card.pk).update(description="<script>alert(1)</script>")
    client = client_for(personas.pelnomocnik)
    page = client.get(reverse("nonconformities:detail", args=[card.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page
    pdf = client.get(reverse("nonconformities:pdf", args=[card.pk]))
    assert pdf.status_code == 200
    assert b"".join(pdf).startswith(b"%PDF")
