"""The plan page: entries a page at a time, the comparison with the previous revision and the
button that creates the audits still missing."""

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.models import AuditPlan, PlannedAudit
from audits.selectors import plans as plan_selectors
from audits.selectors.coverage import UNCOVERED_SHOWN
from audits.views.plans import PLAN_ENTRIES_PER_PAGE
from processes.models import Process
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
                plan=draft,
                entry_key=old.entry_key,
                processes=[ProcessFactory()],
                scope="x",
                version=2,
            )

    grow(2)
    small = count()
    grow(60)  # more than a page, every entry changed since the previous revision
    assert count() == small


def test_a_draft_names_the_first_processes_it_leaves_unaudited_and_links_to_the_rest(personas):
    draft = _plan(personas, status=AuditPlan.Status.DRAFT)
    ProcessFactory.create_batch(UNCOVERED_SHOWN + 3)  # never audited, in no entry
    PlannedAuditFactory(plan=draft, processes=[ProcessFactory()])  # covered by the draft
    unaudited = Process.objects.filter(status=Process.Status.ACTIVE, planned_audits=None)
    url = reverse("audits:plan", args=[draft.pk])

    response = _english(client_for(personas.koordynator)).get(url)

    html = response.content.decode()
    shown = list(response.context["uncovered"])
    assert shown == list(unaudited.order_by("sort_key", "code")[:UNCOVERED_SHOWN])
    more = unaudited.count() - UNCOVERED_SHOWN
    assert more >= 3
    assert response.context["uncovered_more"] == more
    assert f"… and {more} more processes." in html
    assert f'{reverse("audits:coverage")}?year={AUDIT_YEAR}"' in html
    assert "PG." in html and "unaudited for three years or more" in html
    # Polish: the count's plural form ("procesy" for 2–4, 22–24…, "procesów" for 5–21…).
    few = more % 10 in (2, 3, 4) and more % 100 not in (12, 13, 14)
    polish = client_for(personas.koordynator).get(url).content.decode()
    assert f"… i jeszcze {more} {'procesy' if few else 'procesów'}." in polish
    # Who cannot prepare the plan does not get the warning, nor does an approved plan.
    assert not _english(client_for(personas.prezydent)).get(url).context["uncovered"]


def test_diff_names_added_removed_and_changed_entries(personas, own_process, other_process):
    older = _plan(personas, status=AuditPlan.Status.SUPERSEDED)
    newer = _plan(personas, revision=2, status=AuditPlan.Status.DRAFT)
    kept = PlannedAuditFactory(plan=older, processes=[own_process], planned_month=3)
    PlannedAuditFactory(
        plan=newer, entry_key=kept.entry_key, processes=[own_process], planned_month=3
    )
    moved = PlannedAuditFactory(plan=older, processes=[own_process], planned_month=4)
    moved_copy = PlannedAuditFactory(
        plan=newer,
        entry_key=moved.entry_key,
        processes=[other_process],
        planned_month=9,
        version=2,  # as planned_audit_save leaves an edited entry
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
        version=2,  # as planned_audit_remove leaves it
    )
    added = PlannedAuditFactory(plan=newer, processes=[other_process], planned_month=2)

    diff = plan_selectors.plan_diff(older, newer)

    assert diff["added"] == [added]
    assert diff["removed"] == [gone, withdrawn]
    assert [c["entry"] for c in diff["changed"]] == [moved_copy]
    labels = [
        str(moved_copy._meta.get_field(name).verbose_name)
        for name in ("processes", "planned_month", "team")
    ]
    assert diff["changed"][0]["fields"] == labels
    assert [p.code for p in diff["added"][0].processes.all()] == [other_process.code]


def test_diff_compares_each_field_and_an_empty_lead_on_both_sides_is_no_change(
    personas, own_process, other_process
):
    older = _plan(personas, status=AuditPlan.Status.SUPERSEDED)
    newer = _plan(personas, revision=2, status=AuditPlan.Status.DRAFT)

    def pair(old: dict, new: dict):
        first = PlannedAuditFactory(plan=older, processes=[own_process], **old)
        return PlannedAuditFactory(  # edited since the copy (planned_audit_save's version)
            plan=newer, entry_key=first.entry_key, processes=[own_process], version=2, **new
        )

    pair({}, {})  # the same, no lead auditor on either side
    pair({"lead_auditor": personas.auditor}, {"lead_auditor": personas.auditor})
    lead_chosen = pair({}, {"lead_auditor": personas.auditor, "planned_month": 5})
    lead_dropped = pair(
        {"lead_auditor": personas.auditor, "planned_month": 6}, {"planned_month": 6}
    )
    scope = pair({"planned_month": 7}, {"planned_month": 7, "scope": "Inny zakres"})
    criteria = pair({"planned_month": 8}, {"planned_month": 8, "criteria": "Inne kryteria"})
    units = pair({"planned_month": 9}, {"planned_month": 9})
    units.units.add(other_process.owner_unit)
    # The same members in another order are the same team.
    team_old = PlannedAuditFactory(plan=older, processes=[own_process], planned_month=10)
    team_old.team.set([personas.auditor, personas.pelnomocnik])
    team_new = PlannedAuditFactory(
        plan=newer,
        entry_key=team_old.entry_key,
        processes=[own_process],
        planned_month=10,
        version=2,
    )
    team_new.team.set([personas.pelnomocnik, personas.auditor])

    diff = plan_selectors.plan_diff(older, newer)

    def label(name: str) -> str:
        return str(PlannedAudit._meta.get_field(name).verbose_name)

    assert diff["added"] == diff["removed"] == []
    assert [(c["entry"], c["fields"]) for c in diff["changed"]] == [
        (lead_chosen, [label("planned_month"), label("lead_auditor")]),
        (lead_dropped, [label("lead_auditor")]),
        (scope, [label("scope")]),
        (criteria, [label("criteria")]),
        (units, [label("units")]),
    ]


def test_diff_query_count_does_not_grow_with_the_plan(personas, own_process):
    older = _plan(personas, status=AuditPlan.Status.SUPERSEDED)
    newer = _plan(personas, revision=2, status=AuditPlan.Status.DRAFT)

    def grow(n: int) -> None:
        for index in range(n):
            old = PlannedAuditFactory(plan=older, processes=[own_process])
            PlannedAuditFactory(  # every other one edited since the copy, to the same values
                plan=newer,
                entry_key=old.entry_key,
                processes=[own_process],
                version=1 + index % 2,
            )
        PlannedAuditFactory(plan=newer, processes=[own_process])  # one added each time

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            plan_selectors.plan_diff(older, newer)
        return len(ctx.captured_queries)

    grow(2)
    small = count()
    grow(40)
    assert count() == small == 4  # the entries that can differ, their processes, units, teams
    assert len(plan_selectors.plan_diff(older, newer)["added"]) == 2


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

    assert not plan_selectors.plan_has_entries_without_audit(newer)
