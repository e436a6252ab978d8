"""Customer feedback: the Pełnomocnik (or a keeper) records cases by their case number and
survey results; readers read; a complaint raises one nonconformity card; the period summary
for review inputs e) and f)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nonconformities.models import Nonconformity
from reviews.models import Feedback
from reviews.selectors import feedback as selectors
from reviews.services import feedback as services
from tests.conftest import PERSONA_NAMES, client_for

K = Feedback.Kind
O = Feedback.Outcome  # noqa: E741
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
ENTER = {"pelnomocnik", "koordynator"}
READERS = ENTER | {"prezydent", "kierownictwo"}
SIGNED_IN = set(PERSONA_NAMES) - {"anonim"}


def _case(personas, *, kind=K.COMPLAINT, reference="WOU-SKA.1510.1.2026", by=None, **fields):
    return services.feedback_create(
        by=by or personas.pelnomocnik,
        kind=kind,
        reference=reference,
        received=fields.pop("received", TODAY - 5 * DAY),
        summary=fields.pop("summary", "Skarga na przewlekłość postępowania"),
        **fields,
    )


def _survey(personas, **fields):
    return services.feedback_create(
        by=personas.pelnomocnik,
        kind=K.SURVEY,
        received=fields.pop("received", TODAY - DAY),
        summary="Wysoka ocena uprzejmości, niższa czasu oczekiwania",
        survey_name=fields.pop("survey_name", "Badanie satysfakcji klientów BOM"),
        period_start=TODAY - 60 * DAY,
        period_end=TODAY - 30 * DAY,
        score=fields.pop("score", Decimal("4.30")),
        score_max=Decimal("5"),
        respondents=412,
        **fields,
    )


@pytest.fixture
def complaint(personas, own_process) -> Feedback:
    return _case(personas, process=own_process, outcome=O.JUSTIFIED)


def _raise(feedback, by, process=None):
    return services.feedback_raise_card(
        feedback=feedback,
        by=by,
        expected_version=feedback.version,
        process=process,
        requirement="KPA art. 35",
        description="Sprawa załatwiona po terminie",
        evidence="Skarga i odpowiedź w EZD",
        grade=Nonconformity.Grade.MINOR,
    )


# --- services -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", sorted(ENTER))
def test_pelnomocnik_or_keeper_records_a_case(personas, own_process, persona):
    record = _case(personas, by=personas[persona], process=own_process)
    # The unit follows from the process when not given.
    assert record.unit == own_process.owner_unit
    assert record.outcome == O.PENDING
    assert record.entered_by == personas[persona]
    assert record.history.get().history_user == personas[persona]


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - ENTER))
def test_others_cannot_record_or_edit(personas, complaint, persona):
    with pytest.raises(PermissionDenied):
        _case(personas, by=personas[persona], reference="INNY.1")
    with pytest.raises(PermissionDenied):
        services.feedback_update(
            feedback=complaint, by=personas[persona], expected_version=1, outcome=O.UNJUSTIFIED
        )
    complaint.refresh_from_db()
    assert (complaint.outcome, Feedback.objects.count()) == (O.JUSTIFIED, 1)


def test_a_case_needs_its_number_and_a_unit_or_process(personas):
    with pytest.raises(ValidationError) as error:
        _case(personas, reference=" ")
    assert set(error.value.error_dict) == {"reference", "unit"}


def test_a_case_number_is_not_recorded_twice(personas, complaint):
    with pytest.raises(ValidationError) as error:
        _case(personas, kind=K.REQUEST, reference="wou-ska.1510.1.2026", unit=complaint.unit)
    assert "reference" in error.value.error_dict


def test_outcome_must_fit_the_kind_and_the_date_be_past(personas, own_process):
    with pytest.raises(ValidationError) as error:
        _case(personas, process=own_process, outcome=O.ACCEPTED, received=TODAY + DAY)
    assert set(error.value.error_dict) == {"outcome", "received"}
    request = _case(personas, kind=K.PETITION, process=own_process, outcome=O.DECLINED)
    assert request.outcome == O.DECLINED


def test_survey_results_are_checked(personas):
    survey = _survey(personas)
    assert (survey.outcome, survey.score, survey.respondents) == (
        O.NOT_APPLICABLE,
        Decimal("4.3"),
        412,
    )
    with pytest.raises(ValidationError) as error:
        _survey(personas, score=Decimal("6"))
    assert set(error.value.error_dict) == {"score"}
    with pytest.raises(ValidationError) as error:
        services.feedback_create(
            by=personas.pelnomocnik, kind=K.SURVEY, received=TODAY, summary="S"
        )
    assert {
        "survey_name",
        "period_start",
        "period_end",
        "score",
        "score_max",
        "respondents",
    } <= set(error.value.error_dict)


def test_a_case_carries_no_survey_figures(personas, own_process):
    record = _case(personas, process=own_process, score=Decimal("3"), respondents=5)
    assert (record.score, record.respondents) == (None, None)


def test_edit_with_version_check_and_kind_rules(personas, complaint):
    services.feedback_update(
        feedback=complaint, by=personas.koordynator, expected_version=1, outcome=O.UNJUSTIFIED
    )
    with pytest.raises(ValidationError):
        services.feedback_update(
            feedback=complaint, by=personas.pelnomocnik, expected_version=1, outcome=O.PENDING
        )
    complaint.refresh_from_db()
    with pytest.raises(ValidationError):
        services.feedback_update(
            feedback=complaint,
            by=personas.pelnomocnik,
            expected_version=complaint.version,
            kind=K.SURVEY,
        )
    complaint.refresh_from_db()
    assert (complaint.kind, complaint.outcome, complaint.version) == (K.COMPLAINT, O.UNJUSTIFIED, 2)


def test_a_complaint_raises_one_card(personas, complaint):
    card = _raise(complaint, personas.pelnomocnik)
    complaint.refresh_from_db()
    assert complaint.nonconformity == card
    assert card.source == Nonconformity.Source.COMPLAINT
    assert card.external_reference == complaint.reference
    assert card.process == complaint.process
    assert card.raised_by == personas.pelnomocnik
    with pytest.raises(ValidationError):
        _raise(complaint, personas.koordynator)
    assert Nonconformity.objects.count() == 1
    # Once it raised a card, a complaint stays a complaint.
    with pytest.raises(ValidationError):
        services.feedback_update(
            feedback=complaint,
            by=personas.pelnomocnik,
            expected_version=complaint.version,
            kind=K.REQUEST,
            outcome=O.ACCEPTED,
        )


@pytest.mark.parametrize("kind", [K.REQUEST, K.PETITION])
def test_a_non_complaint_cannot_raise_a_card(personas, own_process, kind):
    record = _case(personas, kind=kind, process=own_process)
    assert not selectors.can_raise_card_from(personas.pelnomocnik, record)
    with pytest.raises(ValidationError):
        _raise(record, personas.pelnomocnik)
    survey = _survey(personas, unit=own_process.owner_unit)
    with pytest.raises(ValidationError):
        _raise(survey, personas.pelnomocnik, process=own_process)
    assert not Nonconformity.objects.exists()


def test_a_complaint_without_process_needs_one_for_its_card(personas, own_process):
    record = _case(personas, unit=own_process.owner_unit)
    with pytest.raises(ValidationError):
        _raise(record, personas.pelnomocnik)
    card = _raise(record, personas.pelnomocnik, process=own_process)
    assert card.process == own_process
    assert card.unit == own_process.owner_unit


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - ENTER))
def test_others_cannot_raise_a_card(personas, complaint, persona):
    # Even the owner of the complaint's process: the card from a complaint is raised where
    # the complaint is recorded (the owner may raise their own card in the card register).
    with pytest.raises(PermissionDenied):
        _raise(complaint, personas[persona])
    assert not Nonconformity.objects.exists()


def test_a_stale_card_request_takes_no_number(personas, complaint):
    services.feedback_update(
        feedback=complaint, by=personas.pelnomocnik, expected_version=1, summary="Zmieniona"
    )
    with pytest.raises(ValidationError):
        _raise(complaint, personas.pelnomocnik)  # still at version 1
    assert not Nonconformity.objects.exists()


def test_feedback_for_period(personas, own_process, complaint):
    _raise(complaint, personas.pelnomocnik)
    _case(personas, reference="B.2", process=own_process, outcome=O.UNJUSTIFIED)
    _case(personas, kind=K.REQUEST, reference="W.1", process=own_process, outcome=O.ACCEPTED)
    _case(personas, kind=K.PETITION, reference="P.1", process=own_process)
    _case(personas, reference="STARA", process=own_process, received=TODAY - 400 * DAY)
    survey = _survey(personas)
    result = selectors.feedback_for_period(TODAY - 30 * DAY, TODAY)
    kinds = {row["kind"]: row for row in result["kinds"]}
    assert [row["kind"] for row in result["kinds"]] == ["complaint", "request", "petition"]
    assert kinds["complaint"]["total"] == 2
    assert {o["outcome"]: o["count"] for o in kinds["complaint"]["outcomes"]} == {
        "pending": 0,
        "justified": 1,
        "unjustified": 1,
    }
    assert kinds["request"]["total"] == 1
    assert {o["outcome"]: o["count"] for o in kinds["petition"]["outcomes"]}["pending"] == 1
    assert result["complaints_with_card"] == 1
    figures = result["survey_figures"]
    assert figures["total"] == 1 and figures["respondents"] == survey.respondents
    assert figures["average_percent"] == Decimal("86")
    # Only the justified complaint (which also raised the card) is a case to note.
    assert result["cases_to_note"] == 1


def test_feedback_for_period_costs_one_query(personas, complaint):
    with CaptureQueriesContext(connection) as ctx:
        selectors.feedback_for_period(TODAY - 30 * DAY, TODAY)
    assert len(ctx.captured_queries) == 1


# --- pages ----------------------------------------------------------------------------------

VIEWS = {
    "reviews:feedback_list": (False, READERS),
    "reviews:feedback": (True, READERS),
    "reviews:feedback_create": (False, ENTER),
    "reviews:feedback_survey_create": (False, ENTER),
    "reviews:feedback_edit": (True, ENTER),
    "reviews:feedback_raise_card": (True, ENTER),
}


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("url_name", sorted(VIEWS))
def test_page_permissions(personas, complaint, url_name, persona):
    needs_pk, allowed = VIEWS[url_name]
    response = client_for(personas[persona]).get(
        reverse(url_name, args=[complaint.pk] if needs_pk else [])
    )
    if persona == "anonim":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif persona in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_complaint_raises_its_card_through_the_page(personas, complaint, own_process):
    client = client_for(personas.pelnomocnik)
    url = reverse("reviews:feedback_raise_card", args=[complaint.pk])
    data = {
        "version": complaint.version,
        "process": own_process.pk,
        "requirement": "KPA art. 35",
        "description": "Przewlekłość",
        "evidence": "EZD",
        "grade": "minor",
    }
    response = client.post(url, data)
    card = Nonconformity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("nonconformities:detail", args=[card.pk])
    # A second click leads to the existing card and raises nothing.
    again = client.post(url, data)
    assert again.status_code == 302
    assert again["Location"] == reverse("nonconformities:detail", args=[card.pk])
    assert Nonconformity.objects.count() == 1


def test_raise_card_page_is_refused_for_a_request(personas, own_process):
    request = _case(personas, kind=K.REQUEST, process=own_process)
    response = client_for(personas.pelnomocnik).get(
        reverse("reviews:feedback_raise_card", args=[request.pk])
    )
    assert response.status_code == 403


def test_recording_through_the_pages(personas, own_process):
    client = client_for(personas.pelnomocnik)
    response = client.post(
        reverse("reviews:feedback_create"),
        {
            "kind": "request",
            "reference": "BOM-W.152.3.2026",
            "received": (TODAY - DAY).isoformat(),
            "unit": "",
            "process": own_process.pk,
            "summary": "Wniosek o dłuższe godziny pracy",
            "outcome": "pending",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("reviews:feedback_survey_create"),
        {
            "survey_name": "Ankieta BOM",
            "received": TODAY.isoformat(),
            "period_start": (TODAY - 30 * DAY).isoformat(),
            "period_end": TODAY.isoformat(),
            "score": "4.5",
            "score_max": "5",
            "respondents": "120",
            "unit": "",
            "process": "",
            "summary": "Dobre wyniki",
        },
    )
    assert response.status_code == 302
    assert set(Feedback.objects.values_list("kind", flat=True)) == {"request", "survey"}


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - ENTER))
def test_refused_posts_change_nothing(personas, complaint, own_process, persona):
    client = client_for(personas[persona])
    card = {
        "version": 1,
        "process": own_process.pk,
        "requirement": "R",
        "description": "D",
        "evidence": "E",
        "grade": "minor",
    }
    edit = {
        "version": 1,
        "kind": "complaint",
        "reference": "INNY",
        "received": TODAY.isoformat(),
        "process": own_process.pk,
        "summary": "Przejęta",
        "outcome": "unjustified",
    }
    assert (
        client.post(reverse("reviews:feedback_raise_card", args=[complaint.pk]), card).status_code
        == 403
    )
    assert (
        client.post(reverse("reviews:feedback_edit", args=[complaint.pk]), edit).status_code == 403
    )
    assert client.post(reverse("reviews:feedback_create"), edit).status_code == 403
    complaint.refresh_from_db()
    assert (complaint.reference, complaint.version, complaint.nonconformity) == (
        "WOU-SKA.1510.1.2026",
        1,
        None,
    )
    assert Feedback.objects.count() == 1
    assert not Nonconformity.objects.exists()


def test_list_filters(personas, own_process, other_process):
    _case(personas, reference="A", process=own_process, outcome=O.JUSTIFIED)
    _case(personas, kind=K.REQUEST, reference="B", process=other_process, outcome=O.ACCEPTED)
    _case(personas, reference="C", process=other_process, received=datetime.date(2024, 5, 5))
    client = client_for(personas.prezydent)

    def refs(query: str) -> set[str]:
        page = client.get(reverse("reviews:feedback_list") + query).context["page"]
        return {record.reference for record in page.object_list}

    assert refs("?kind=complaint") == {"A", "C"}
    assert refs("?outcome=accepted") == {"B"}
    assert refs(f"?process={other_process.pk}") == {"B", "C"}
    assert refs(f"?unit={own_process.owner_unit_id}") == {"A"}
    assert refs("?year=2024") == {"C"}
    assert refs("?year=abc") == set()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _populate(personas, process, count: int, start: int) -> None:
    for i in range(start, start + count):
        record = _case(personas, reference=f"ZN.{i}", process=process)
        if i % 3 == 0:
            _raise(record, personas.pelnomocnik)
        if i % 4 == 0:
            _survey(personas, survey_name=f"Badanie {i}", unit=process.owner_unit)


@pytest.mark.parametrize("persona", ["pelnomocnik", "prezydent"])
def test_list_query_count_does_not_grow(personas, own_process, persona):
    client = client_for(personas[persona])
    _populate(personas, own_process, 3, 0)
    small = _queries(client, reverse("reviews:feedback_list"))
    _populate(personas, own_process, 30, 3)
    large = _queries(client, reverse("reviews:feedback_list"))
    assert small == large
