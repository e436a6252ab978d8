"""The foundation's registries: the apps fill them in ready(), qms reads them without naming
an app (menu, start page, panels, hooks, reminder kinds, the beat's sweeps)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from qms import registry, reminders
from qms.models import Delivery, reminder_kind_choices, reminder_kind_label


@pytest.fixture
def clean_registry(monkeypatch):
    """Registries of their own for one test, so registering test entries leaks nowhere."""
    monkeypatch.setattr(registry, "_navigation", [])
    monkeypatch.setattr(registry, "_dashboard", [])
    monkeypatch.setattr(registry, "_panels", registry.defaultdict(list))
    monkeypatch.setattr(registry, "_hooks", registry.defaultdict(list))


def test_menu_entries_come_in_order_and_hide_from_whom_they_do_not_concern(clean_registry):
    registry.nav_item("b", "B", order=20)
    registry.nav_item("a", "A", order=10, visible=lambda user: user == "keeper")
    assert [i.url_name for i in registry.nav_items("keeper")] == ["a", "b"]
    assert [i.url_name for i in registry.nav_items("someone")] == ["b"]


def test_dashboard_sections_come_in_order(clean_registry):
    registry.dashboard_section("second.html", lambda user, today: {}, order=2)
    registry.dashboard_section("first.html", lambda user, today: {}, order=1)
    assert [s.template for s in registry.dashboard_sections()] == ["first.html", "second.html"]


def test_a_page_gets_every_panels_context_and_the_templates_to_include(clean_registry):
    request = RequestFactory().get("/")
    registry.panel(
        "app.page", context=lambda request, obj: {"late": obj}, template="b.html", order=2
    )
    registry.panel(
        "app.page", context=lambda request, obj: {"early": obj}, template="a.html", order=1
    )
    registry.panel("app.page", context=lambda request, obj: {"data_only": True})
    registry.panel("other.page", context=lambda request, obj: {"elsewhere": True})
    context = registry.panels_context("app.page", request, 7)
    assert context["early"] == context["late"] == 7 and context["data_only"]
    assert "elsewhere" not in context
    assert [p.template for p in context["panels"]] == ["a.html", "b.html"]
    assert registry.panels_context("nobody.registered", request, 7) == {"panels": []}


def test_a_hook_is_answered_by_whoever_registered(clean_registry):
    name = "app.question"
    assert registry.hooks(name) == []
    registry.register_hook(name, len)
    assert registry.hooks(name) == [len]


def test_every_apps_reminder_kinds_are_delivery_kinds():
    kinds = dict(reminder_kind_choices())
    assert {"audit_upcoming", "action_overdue", "management_review_due"} <= set(kinds)
    assert len(kinds) == 12
    assert list(Delivery._meta.get_field("kind").choices) == list(kinds.items())
    assert reminder_kind_label("unknown_kind") == "unknown_kind"


@pytest.mark.django_db
def test_a_kind_nobody_registered_is_refused_on_validation(personas):
    delivery = Delivery(
        kind="no_such_kind",
        record_type="qms.user",
        record_id=1,
        record_label="x",
        recipient=personas.pracownik,
        occasion=str(datetime.date(2027, 1, 1)),
        subject="s",
        body="b",
        link="/",
    )
    with pytest.raises(ValidationError, match="no_such_kind"):
        delivery.full_clean()


def test_the_beat_adds_every_registered_sweep_when_it_starts(tmp_path):
    from celery.beat import Service
    from celery.signals import beat_init

    from config.celery import app

    service = Service(app=app, schedule_filename=str(tmp_path / "beat-schedule"))
    try:
        beat_init.send(sender=service)
        schedule = service.scheduler.schedule
        for name in reminders.load_sweeps():
            entry = schedule[f"sweep-{name}"]
            assert entry.task == "qms.tasks.sweep" and entry.args == (name,)
        assert {"digests", "requeue-waiting"} <= set(schedule)
    finally:
        service.scheduler.close()
