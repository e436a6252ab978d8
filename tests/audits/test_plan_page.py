"""The plan page: entries a page at a time, the comparison with the previous revision and the
button that creates the audits still missing."""

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits import selectors
from audits.models import AuditPlan
from audits.views.plans import PLAN_ENTRIES_PER_PAGE
from tests.conftest import AUDIT_YEAR, client_for
from tests.factories import AuditFactory, PlannedAuditFactory, ProcessFactory

CREATE_AUDITS = "Create audits from the plan"


def _plan(personas, **fields) -> AuditPlan:
    return AuditPlan.objects.create(
        year=AUDIT_YEAR, prepared_by=personas.koordynator, approved_by=personas.prezydent, **fields
    )


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_entries_are_listed_in_month_order_a_page_at_a_time(personas, own_process):
    plan = _plan(personas)
    for month in (12, 1, 6):
        PlannedAuditFactory.create_batch(
            20, plan=plan, processes=[own_process], planned_month=month
        )
    client = client_for(personas.pelnomocnik)
    url = reverse("audits:plan", args=[plan.pk])

    first = client.get(url)
    pages = -(-60 // PLAN_ENTRIES_PER_PAGE)
    rest = [client.get(url, {"page": n}) for n in range(2, pages + 1)]

    assert first.context["page"].paginator.count == 60
    assert len(first.context["page"].object_list) == PLAN_ENTRIES_PER_PAGE
    months = [e.planned_month for e in first.context["page"].object_list]
    for response in rest:
        months += [e.planned_month for e in response.context["page"].object_list]
    assert months == [1] * 20 + [6] * 20 + [12] * 20
    assert f'aria-current="page">{pages}<' in rest[-1].content.decode()
    # An address past the last page shows the last one, as the other registers do.
    assert client.get(url, {"page": 99}).context["page"].number == pages


def test_plan_page_query_count_does_not_grow_with_entries(personas, own_process):
    approved = _plan(personas, status=AuditPlan.Status.SUPERSEDED)
    draft = _plan(personas, revision=2, status=AuditPlan.Status.DRAFT)
    client = client_for(personas.koordynator)
    url = reverse("audits:plan", args=[draft.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def grow(n: int) -> None:
        for _ in range(n):
            old = PlannedAuditFactory(plan=approved, processes=[own_process])
            PlannedAuditFactory(
                plan=draft, entry_key=old.entry_key, processes=[ProcessFactory()], scope="x"
            )

    grow(2)
    small = count()
    grow(60)  # more than a page, every entry changed since the previous revision
    assert count() == small


def test_diff_names_added_removed_and_changed_entries(personas, own_process, other_process):
    older = _plan(personas, status=AuditPlan.Status.SUPERSEDED)
    newer = _plan(personas, revision=2, status=AuditPlan.Status.DRAFT)
    kept = PlannedAuditFactory(plan=older, processes=[own_process], planned_month=3)
    PlannedAuditFactory(
        plan=newer, entry_key=kept.entry_key, processes=[own_process], planned_month=3
    )
    moved = PlannedAuditFactory(plan=older, processes=[own_process], planned_month=4)
    moved_copy = PlannedAuditFactory(
        plan=newer, entry_key=moved.entry_key, processes=[other_process], planned_month=9
    )
    moved_copy.units.set(moved.units.all())
    moved_copy.team.set([personas.auditor])
    gone = PlannedAuditFactory(plan=older, processes=[other_process], planned_month=5)
    withdrawn = PlannedAuditFactory(plan=older, processes=[other_process], planned_month=6)
    PlannedAuditFactory(
        plan=newer,
        entry_key=withdrawn.entry_key,
        processes=[other_process],
        planned_month=6,
        withdrawn=True,
    )
    added = PlannedAuditFactory(plan=newer, processes=[other_process], planned_month=2)

    diff = selectors.plan_diff(older, newer)

    assert diff["added"] == [added]
    assert diff["removed"] == [gone, withdrawn]
    assert [c["entry"] for c in diff["changed"]] == [moved_copy]
    labels = [
        str(moved_copy._meta.get_field(name).verbose_name)
        for name in ("processes", "planned_month", "team")
    ]
    assert diff["changed"][0]["fields"] == labels
    assert [p.code for p in diff["added"][0].processes.all()] == [other_process.code]


def test_create_audits_button_only_while_an_entry_lacks_its_audit(personas, own_process):
    plan = _plan(personas, status=AuditPlan.Status.APPROVED)
    entry = PlannedAuditFactory(plan=plan, processes=[own_process])
    client = _english(client_for(personas.koordynator))
    url = reverse("audits:plan", args=[plan.pk])
    assert CREATE_AUDITS in client.get(url).content.decode()
    # Not for those who may not create audits.
    assert CREATE_AUDITS not in _english(client_for(personas.pelnomocnik)).get(url).content.decode()

    AuditFactory(planned_entry=entry, processes=[own_process], number=f"A/{AUDIT_YEAR}/01")
    assert CREATE_AUDITS not in client.get(url).content.decode()


def test_an_audit_from_an_earlier_revision_counts_for_its_entry(personas, own_process):
    # audits_create_from_plan skips entries whose key already has an audit this year, so the
    # page does not offer to create one for them either.
    older = _plan(personas, status=AuditPlan.Status.SUPERSEDED)
    entry = PlannedAuditFactory(plan=older, processes=[own_process])
    AuditFactory(planned_entry=entry, processes=[own_process], number=f"A/{AUDIT_YEAR}/01")
    newer = _plan(personas, revision=2, status=AuditPlan.Status.APPROVED)
    PlannedAuditFactory(plan=newer, entry_key=entry.entry_key, processes=[own_process])

    assert not selectors.plan_has_entries_without_audit(newer)
