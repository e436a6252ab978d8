"""No write path bypasses the audit trail: every QMS record has history, and the only queryset
writes that skip history in application code are the listed, justified ones."""

import re
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
APPS = ["qms", "processes", "audits", "nonconformities", "reviews", "demo"]

# Models that are not QMS records: counters, mail queue rows and per-person settings, and
# guardian's permission rows (their changes are the owner changes recorded on the process).
NOT_RECORDS = {
    "nonconformities.cardnumber",
    "qms.delivery",
    "qms.notification",
    "qms.remindersettings",
    "processes.processuserobjectpermission",
    "processes.processgroupobjectpermission",
}

# file -> why its queryset writes may skip history
ALLOWED_WRITES = {
    # Delivery rows are the reminders' mail queue, claimed with conditional updates so that
    # two workers never send the same reminder; they are not QMS records.
    "qms/reminders.py": ".update(",
    # The calendar token is a credential, deliberately kept out of history.
    "audits/services/calendar.py": "calendar_token",
    # The card number counter is not a record; bulk_create(ignore_conflicts) inserts it race-free.
    "nonconformities/services/cards.py": "bulk_create",
    # Demo data only (refused with DEBUG off): ageing dates that the services rightly refuse.
    "demo/nonconformities.py": ".update(",
    "demo/reviews_registers.py": ".update(",
    # Load-test data (seed_scale, refused outside DEBUG and the test and benchmark settings):
    # the frozen minutes of a seeded approved review, whose history is written in bulk.
    "demo/scale/reviews.py": ".update(",
}

WRITE = re.compile(
    r"\.objects\.[^\n]*\.(update|delete|bulk_create|bulk_update)\(|\)\.update\(|"
    r"\.raw\(|_raw_delete|\b(rows|mine)\.(update|filter\([^)]*\)\.update)\("
)


def test_every_qms_record_keeps_its_history():
    missing = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            name = model._meta.label_lower
            if name in NOT_RECORDS or model.__name__.startswith("Historical"):
                continue
            if not hasattr(model, "history"):
                missing.append(name)
    assert missing == []


def test_no_unlisted_write_bypasses_history():
    offenders = []
    for label in APPS:
        for path in (ROOT / label).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative.startswith("config/settings/"):
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if not WRITE.search(line) or "cursor.execute" in line:
                    continue
                allowed = ALLOWED_WRITES.get(relative)
                if allowed is None or allowed not in line:
                    offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []


def test_state_changes_need_the_csrf_token(personas, own_process):
    from django.test import Client
    from django.urls import reverse

    from processes.models import Process

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.wlasciciel)
    response = client.post(
        reverse("processes:describe", args=[own_process.pk]),
        {"purpose": "Bez tokenu", "inputs": "", "outputs": "", "version": own_process.version},
    )
    assert response.status_code == 403
    assert Process.objects.get(pk=own_process.pk).purpose != "Bez tokenu"


def test_set_language_never_redirects_to_another_host(client, db):
    from django.urls import reverse

    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
