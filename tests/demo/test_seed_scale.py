"""seed_scale: a large, deterministic history built in bulk, shaped as the services leave it."""

import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from audits.models import Audit, AuditorCandidate, AuditPlan, Finding
from audits.selectors.appointments import is_appointed_auditor
from demo.scale.base import FINDINGS_PER_AUDIT, Volumes
from nonconformities.models import CardNumber, CorrectiveAction, Nonconformity
from nonconformities.services import cards as card_services
from processes.models import Process, ProcessUserObjectPermission
from processes.selectors import process_can_edit_description
from qms import roles
from qms.models import Delivery, Notification, OrganisationalUnit, User
from reviews.models import Feedback, ManagementReview, Measurement, QualityObjective

YEARS = 2
FACTOR = 0.05
# The minutes PDF takes seconds to render; one test renders it.
ARGS = ["--years", str(YEARS), "--factor", str(FACTOR), "--no-minutes"]


def _seed(*extra: str) -> None:
    call_command("seed_scale", *ARGS, *extra, stdout=io.StringIO())


@pytest.fixture
def seeded(db) -> int:
    _seed()
    return timezone.localdate().year


def test_counts_follow_the_volumes(seeded):
    volumes = Volumes.for_factor(FACTOR)
    assert OrganisationalUnit.objects.count() == volumes.units == max(1, round(60 * FACTOR))
    assert Process.objects.count() == volumes.processes == max(1, round(120 * FACTOR))
    assert User.objects.count() == volumes.users
    assert Nonconformity.objects.count() == YEARS * max(1, round(150 * FACTOR))
    assert Audit.objects.count() == YEARS * max(1, round(40 * FACTOR))
    started = Audit.objects.exclude(status=Audit.Status.PLANNED).count()
    assert Finding.objects.count() == FINDINGS_PER_AUDIT * started
    assert Feedback.objects.count() == YEARS * max(1, round(500 * FACTOR))
    assert QualityObjective.objects.count() == YEARS * max(1, round(50 * FACTOR))
    assert ManagementReview.objects.count() == YEARS
    for card in Nonconformity.objects.exclude(status__in=["reported", "analysis", "cancelled"]):
        assert 2 <= card.actions.count() <= 3
    # Every reminder was sent and shows as a notification.
    assert Delivery.objects.exists()
    assert Notification.objects.count() == Delivery.objects.count()
    assert not Delivery.objects.exclude(state=Delivery.State.SENT).exists()
    # The QMS records people open have their "created" history row; bulk rows do not.
    assert Nonconformity.history.filter(history_type="+").count() == Nonconformity.objects.count()
    assert Process.history.filter(history_user__isnull=True).count() == 0
    assert not Measurement.history.exists()
    # The register's natural order is filled although bulk_create skips clean().
    for process in Process.objects.all():
        assert process.sort_key == Process.sort_key_for(process.category, process.code)


def test_past_years_are_finished_and_this_year_has_open_work(seeded):
    year = seeded
    past = year - 1
    assert set(Audit.objects.filter(year=past).values_list("status", flat=True)) == {"closed"}
    assert set(Nonconformity.objects.filter(year=past).values_list("status", flat=True)) <= {
        "closed",
        "cancelled",
    }
    assert not CorrectiveAction.objects.filter(
        card__year=past, status__in=["planned", "in_progress"]
    ).exists()
    assert set(AuditPlan.objects.filter(year=past).values_list("status", flat=True)) <= {
        "approved",
        "superseded",
    }
    assert ManagementReview.objects.get(meeting_date__year=past).status == "approved"

    this_year = Nonconformity.objects.filter(year=year)
    assert this_year.filter(status__in=Nonconformity.OPEN_STATUSES).exists()
    assert CorrectiveAction.objects.filter(card__year=year, status__in=["planned", "in_progress"])
    assert ManagementReview.objects.get(meeting_date__year=year).status == "draft"
    assert AuditPlan.objects.filter(year=year, status="draft").exists()
    assert not Nonconformity.objects.filter(created_at__date__gt=timezone.localdate()).exists()


@pytest.mark.parametrize(
    ("username", "role_names"),
    [
        ("prezydent", {roles.PREZYDENT, roles.NAJWYZSZE_KIEROWNICTWO}),
        ("kierownictwo", {roles.NAJWYZSZE_KIEROWNICTWO}),
        (
            "pelnomocnik",
            {roles.PELNOMOCNIK, roles.NAJWYZSZE_KIEROWNICTWO, roles.ZESPOL_ROZWOJU},
        ),
        ("koordynator", {roles.KOORDYNATOR_WOU, roles.ZESPOL_ROZWOJU}),
        ("wlasciciel", set()),
        ("auditor", set()),
        ("pracownik", set()),
        ("admin", set()),
    ],
)
def test_demo_accounts_log_in_with_their_roles(seeded, username, role_names):
    assert Client().login(username=username, password="demo-szj-2026")
    user = User.objects.get(username=username)
    assert user.role_names == role_names
    assert user.is_superuser == (username == "admin")


def test_owner_auditor_and_employee_have_their_work(seeded):
    year = seeded
    owner = User.objects.get(username="wlasciciel")
    owned = Process.objects.filter(owner=owner, status=Process.Status.ACTIVE)
    assert owned.exists()
    assert all(process_can_edit_description(owner, p) for p in owned)
    assert ProcessUserObjectPermission.objects.filter(user=owner).count() == owned.count()
    assert not process_can_edit_description(owner, Process.objects.exclude(owner=owner).first())

    auditor = User.objects.get(username="auditor")
    assert all(is_appointed_auditor(auditor, y) for y in (year - 1, year))
    assert AuditorCandidate.objects.filter(person=auditor).count() == YEARS

    open_actions = CorrectiveAction.objects.filter(
        card__year=year, status__in=["planned", "in_progress"]
    )
    assert open_actions.filter(responsible=owner).exists()
    assert open_actions.filter(responsible__username="pracownik").exists()


def test_a_new_card_after_seeding_takes_the_next_number(seeded):
    year = seeded
    last = CardNumber.objects.get(year=year).last
    assert last == Nonconformity.objects.filter(year=year).count()
    process = Process.objects.filter(status=Process.Status.ACTIVE).first()
    card = card_services.card_raise(
        by=User.objects.get(username="pelnomocnik"),
        source=Nonconformity.Source.OWN_DETECTION,
        process=process,
        requirement="PN-EN ISO 9001:2015 pkt 7.5.3",
        description="Brak zapisów.",
        evidence="Próba spraw.",
        grade=Nonconformity.Grade.MINOR,
    )
    assert card.number == f"KN/{year}/{last + 1:03d}"


@pytest.mark.django_db
def test_approved_reviews_have_their_minutes_frozen():
    call_command("seed_scale", "--years", "2", "--factor", str(FACTOR), stdout=io.StringIO())
    review = ManagementReview.objects.get(status=ManagementReview.Status.APPROVED)
    assert review.minutes_pdf.name and review.minutes_sha256
    client = Client()
    client.force_login(User.objects.get(username="pelnomocnik"))
    response = client.get(reverse("reviews:review_minutes", args=[review.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert not ManagementReview.objects.filter(status="draft").exclude(minutes_sha256="").exists()


def test_refuses_a_database_that_holds_processes(seeded):
    counts = (Process.objects.count(), User.objects.count(), Delivery.objects.count())
    with translation.override("en"), pytest.raises(CommandError, match="already holds processes"):
        _seed()
    assert (Process.objects.count(), User.objects.count(), Delivery.objects.count()) == counts


class _RolledBack(Exception):
    pass


def _digest() -> str:
    rows = [
        *Process.objects.order_by("code").values_list("code", "name", "owner__username", "status"),
        *User.objects.order_by("username").values_list("username", "first_name", "unit__code"),
        *Audit.objects.order_by("number").values_list(
            "number", "status", "lead_auditor__username", "start_date"
        ),
        *Nonconformity.objects.order_by("number").values_list(
            "number", "status", "process__code", "description", "created_at"
        ),
        *CorrectiveAction.objects.order_by("card__number", "deadline", "description").values_list(
            "card__number", "responsible__username", "deadline", "status"
        ),
        *Feedback.objects.order_by("received", "reference").values_list(
            "reference", "kind", "outcome", "received"
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _digest_of_run(*extra: str) -> str:
    """Seed, take the digest, and roll the run back, so the next run starts from the same
    empty state."""
    digest = ""
    try:
        with transaction.atomic():
            _seed(*extra)
            digest = _digest()
            raise _RolledBack
    except _RolledBack:
        pass
    assert not Process.objects.exists()
    return digest


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_content():
    first = _digest_of_run()
    assert _digest_of_run() == first
    assert _digest_of_run("--seed", "7") != first


@pytest.mark.django_db
def test_refuses_outside_debug_and_the_test_and_benchmark_settings(settings):
    settings.DEBUG = False
    settings.SEED_SCALE_ALLOWED = False
    with translation.override("en"), pytest.raises(CommandError, match="published password"):
        _seed()
    assert not User.objects.exists()
