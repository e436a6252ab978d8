"""Improvement proposals: any employee submits; the proposer, readers, keepers and the Zespół
ds. Rozwoju SZJ see them; the team accepts (a tracked action) or rejects with a reason; the
action owner reports it implemented."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qms import roles
from reviews.models import ImprovementProposal
from reviews.selectors import proposals as selectors
from reviews.services import proposals as services
from tests.conftest import PERSONA_NAMES, client_for
from tests.factories import UserFactory

S = ImprovementProposal.Status
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
SIGNED_IN = set(PERSONA_NAMES) - {"anonim"}
# Read every proposal: top management, the Pełnomocnik, the keepers (and the team).
READS_ALL = {"prezydent", "kierownictwo", "pelnomocnik", "koordynator"}


@pytest.fixture
def zespol(personas):
    """A member of the Zespół ds. Rozwoju SZJ with no other role."""
    return UserFactory(
        username="zespol", unit=personas.pracownik.unit, roles=[roles.ZESPOL_ROZWOJU]
    )


@pytest.fixture
def proposal(personas) -> ImprovementProposal:
    return services.proposal_submit(
        by=personas.pracownik,
        title="Numerek kolejkowy w SMS",
        description="Powiadamianie SMS o zbliżającej się kolejce w BOM.",
        expected_benefit="Krótsze oczekiwanie w poczekalni",
    )


def _accept(proposal, by, owner, deadline=None):
    return services.proposal_accept(
        proposal=proposal,
        by=by,
        expected_version=proposal.version,
        assessment="Zasadna",
        action_owner=owner,
        action_deadline=deadline or TODAY + 30 * DAY,
    )


# --- services -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", sorted(SIGNED_IN))
def test_any_employee_submits(personas, persona):
    proposal = services.proposal_submit(by=personas[persona], title="T", description="D")
    assert proposal.status == S.SUBMITTED
    assert proposal.proposed_by == personas[persona]
    assert proposal.history.get().history_user == personas[persona]


def test_a_withdrawn_process_is_refused(personas, own_process):
    own_process.status = own_process.Status.WITHDRAWN
    own_process.save()
    with pytest.raises(ValidationError):
        services.proposal_submit(
            by=personas.pracownik, title="T", description="D", process=own_process
        )


def test_team_accepts_and_the_action_is_tracked(personas, zespol, proposal):
    accepted = _accept(proposal, zespol, personas.wlasciciel)
    assert accepted.status == S.ACCEPTED
    assert (accepted.assessed_by, accepted.action_owner) == (zespol, personas.wlasciciel)
    assert list(selectors.open_proposal_actions()) == [accepted]


@pytest.mark.parametrize("persona", sorted(SIGNED_IN))
def test_only_the_team_assesses(personas, proposal, persona):
    with pytest.raises(PermissionDenied):
        _accept(proposal, personas[persona], personas.wlasciciel)
    with pytest.raises(PermissionDenied):
        services.proposal_reject(
            proposal=proposal, by=personas[persona], expected_version=1, assessment="Nie"
        )
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED


def test_accept_refuses_a_past_deadline_and_an_inactive_owner(personas, zespol, proposal):
    personas.auditor2.is_active = False
    personas.auditor2.save()
    with pytest.raises(ValidationError) as error:
        _accept(proposal, zespol, personas.auditor2, deadline=TODAY - DAY)
    assert set(error.value.error_dict) == {"action_owner", "action_deadline"}


def test_reject_needs_a_reason_and_is_final(personas, zespol, proposal):
    with pytest.raises(ValidationError):
        services.proposal_reject(proposal=proposal, by=zespol, expected_version=1, assessment="")
    services.proposal_reject(
        proposal=proposal, by=zespol, expected_version=1, assessment="Poza zakresem SZJ"
    )
    proposal.refresh_from_db()
    assert proposal.status == S.REJECTED
    with pytest.raises(ValidationError):
        _accept(proposal, zespol, personas.wlasciciel)


def test_action_owner_reports_implemented(personas, zespol, proposal):
    _accept(proposal, zespol, personas.wlasciciel)
    proposal.refresh_from_db()
    with pytest.raises(ValidationError):
        services.proposal_complete(
            proposal=proposal, by=personas.wlasciciel, expected_version=proposal.version, note=""
        )
    done = services.proposal_complete(
        proposal=proposal,
        by=personas.wlasciciel,
        expected_version=proposal.version,
        note="Wdrożono system kolejkowy z SMS",
    )
    assert done.status == S.DONE
    assert done.completed_at is not None
    assert not selectors.open_proposal_actions().exists()


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - {"wlasciciel"}))
def test_only_the_action_owner_reports_implemented(personas, zespol, proposal, persona):
    _accept(proposal, zespol, personas.wlasciciel)
    proposal.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.proposal_complete(
            proposal=proposal, by=personas[persona], expected_version=proposal.version, note="X"
        )
    proposal.refresh_from_db()
    assert proposal.status == S.ACCEPTED


def test_a_submitted_proposal_cannot_be_reported_implemented(personas, proposal):
    with pytest.raises(ValidationError):
        services.proposal_complete(
            proposal=proposal, by=personas.pracownik, expected_version=1, note="X"
        )


def test_visibility(personas, zespol, proposal):
    other = services.proposal_submit(by=personas.auditor, title="Inna", description="D")
    _accept(other, zespol, personas.wlasciciel)
    for name in READS_ALL:
        assert set(selectors.proposals_visible(user=personas[name])) == {proposal, other}
    assert set(selectors.proposals_visible(user=zespol)) == {proposal, other}
    assert list(selectors.proposals_visible(user=personas.pracownik)) == [proposal]
    assert list(selectors.proposals_visible(user=personas.auditor)) == [other]
    # The action owner sees the proposal whose action they carry out.
    assert list(selectors.proposals_visible(user=personas.wlasciciel)) == [other]
    assert not selectors.proposals_visible(user=personas.wlasciciel2).exists()


def test_proposals_for_period_and_due_actions(personas, zespol, proposal):
    old = services.proposal_submit(by=personas.auditor, title="Stara", description="D")
    _accept(old, zespol, personas.wlasciciel, deadline=TODAY + DAY)
    ImprovementProposal.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400),
        assessed_at=timezone.now() - datetime.timedelta(days=400),
        action_deadline=TODAY - DAY,
    )
    period = selectors.proposals_for_period(TODAY - 30 * DAY, TODAY)
    assert list(period) == [proposal]
    assert list(selectors.proposal_actions_due(today=TODAY)) == [old]
    assert list(selectors.proposal_actions_due(user=personas.wlasciciel, today=TODAY)) == [old]
    assert not selectors.proposal_actions_due(user=personas.pracownik, today=TODAY).exists()
    assert not selectors.proposal_actions_due(today=TODAY - 2 * DAY).exists()


# --- pages ----------------------------------------------------------------------------------


def _expected(url_name: str, persona: str) -> int:
    if persona == "anonim":
        return 302
    allowed = {
        "reviews:proposals": SIGNED_IN,
        "reviews:proposal_create": SIGNED_IN,
        # The proposer (pracownik) and those who read every proposal.
        "reviews:proposal": READS_ALL | {"pracownik"},
        # Only the team assesses; no persona of the suite is in it.
        "reviews:proposal_accept": set(),
        "reviews:proposal_reject": set(),
        "reviews:proposal_complete": set(),
    }[url_name]
    return 200 if persona in allowed else 403


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize(
    "url_name",
    [
        "reviews:proposals",
        "reviews:proposal_create",
        "reviews:proposal",
        "reviews:proposal_accept",
        "reviews:proposal_reject",
        "reviews:proposal_complete",
    ],
)
def test_page_permissions(personas, proposal, url_name, persona):
    args = [] if url_name in ("reviews:proposals", "reviews:proposal_create") else [proposal.pk]
    response = client_for(personas[persona]).get(reverse(url_name, args=args))
    assert response.status_code == _expected(url_name, persona)
    if persona == "anonim":
        assert response["Location"].startswith(reverse("login"))


def test_team_pages_and_action_owner_page(personas, zespol, proposal):
    team = client_for(zespol)
    assert team.get(reverse("reviews:proposal", args=[proposal.pk])).status_code == 200
    assert team.get(reverse("reviews:proposal_accept", args=[proposal.pk])).status_code == 200
    response = team.post(
        reverse("reviews:proposal_accept", args=[proposal.pk]),
        {
            "version": proposal.version,
            "assessment": "Tak",
            "action_owner": personas.wlasciciel2.pk,
            "action_deadline": (TODAY + 10 * DAY).isoformat(),
        },
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.ACCEPTED
    owner = client_for(personas.wlasciciel2)
    url = reverse("reviews:proposal_complete", args=[proposal.pk])
    assert owner.get(url).status_code == 200
    assert owner.post(url, {"version": proposal.version, "note": "Zrobione"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.DONE


def test_employee_submits_through_the_page(personas):
    response = client_for(personas.auditor2).post(
        reverse("reviews:proposal_create"),
        {"title": "Formularze online", "description": "Więcej e-usług", "expected_benefit": ""},
    )
    proposal = ImprovementProposal.objects.get()
    assert response.status_code == 302
    assert proposal.proposed_by == personas.auditor2


@pytest.mark.parametrize("persona", sorted(SIGNED_IN))
def test_refused_assessment_posts_change_nothing(personas, proposal, persona):
    client = client_for(personas[persona])
    accept = {
        "version": 1,
        "assessment": "Tak",
        "action_owner": personas[persona].pk,
        "action_deadline": (TODAY + DAY).isoformat(),
    }
    assert (
        client.post(reverse("reviews:proposal_accept", args=[proposal.pk]), accept).status_code
        == 403
    )
    reject = {"version": 1, "assessment": "Nie"}
    assert (
        client.post(reverse("reviews:proposal_reject", args=[proposal.pk]), reject).status_code
        == 403
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version) == (S.SUBMITTED, 1)


def test_refused_completion_post_changes_nothing(personas, zespol, proposal):
    _accept(proposal, zespol, personas.wlasciciel)
    proposal.refresh_from_db()
    response = client_for(personas.pracownik).post(
        reverse("reviews:proposal_complete", args=[proposal.pk]),
        {"version": proposal.version, "note": "Nie moje"},
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == S.ACCEPTED


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _populate(personas, zespol, count: int) -> None:
    for i in range(count):
        proposal = services.proposal_submit(
            by=personas.pracownik, title=f"P{i}", description="D", process=None
        )
        if i % 2:
            _accept(proposal, zespol, personas.wlasciciel)


@pytest.mark.parametrize("persona", ["pelnomocnik", "pracownik"])
def test_list_query_count_does_not_grow(personas, zespol, own_process, persona):
    client = client_for(personas[persona])
    _populate(personas, zespol, 2)
    small = _queries(client, reverse("reviews:proposals"))
    _populate(personas, zespol, 20)
    large = _queries(client, reverse("reviews:proposals"))
    assert small == large
