"""Demo cards written through the services: cards raised from the demo audits' nonconformity
findings, in every state, so registers, the start page and the coverage view have content.
The finding of the audit in progress is left for the demo auditor to raise."""

import datetime

from django.utils import timezone

from audits.models import Audit, Finding
from nonconformities.models import Nonconformity
from nonconformities.services import actions as action_services
from nonconformities.services import cards as card_services
from qms.models import User


def _fresh(card: Nonconformity) -> Nonconformity:
    return Nonconformity.objects.get(pk=card.pk)


def _work(
    card: Nonconformity, owner: User, responsible: User, verifier: User, target: str, offset: int
) -> None:
    today = timezone.localdate()
    card = card_services.card_record_analysis(
        card=_fresh(card),
        by=owner,
        expected_version=_fresh(card).version,
        correction="Uzupełniono brakujące zapisy w sprawach objętych próbą.",
        correction_by=str(owner),
        correction_date=today - datetime.timedelta(days=60),
        five_whys=[
            "Zapisy nie były prowadzone",
            "Brak wzoru w procedurze",
            "Procedura nie była aktualizowana po zmianie przepisów",
        ],
        root_cause="Procedura nie została zaktualizowana po zmianie przepisów.",
        similar="Sprawdzono pozostałe procedury wydziału: podobny problem w jednej z nich.",
    )
    if target == Nonconformity.Status.ANALYSIS:
        return
    first = action_services.action_add(
        card=_fresh(card),
        by=owner,
        description="Aktualizacja procedury i wzorów dokumentów",
        responsible=responsible,
        deadline=today + datetime.timedelta(days=offset),
    )
    second = action_services.action_add(
        card=_fresh(card),
        by=owner,
        description="Szkolenie pracowników z nowej wersji procedury",
        responsible=owner,
        deadline=today + datetime.timedelta(days=offset + 14),
    )
    card_services.card_plan_actions(
        card=_fresh(card), by=owner, expected_version=_fresh(card).version
    )
    if target == Nonconformity.Status.PLANNED:
        return
    action_services.action_start(action=first, by=responsible, expected_version=first.version)
    if target == Nonconformity.Status.IN_PROGRESS:
        return
    first.refresh_from_db()
    action_services.action_complete(
        action=first,
        by=responsible,
        expected_version=first.version,
        note="Procedura w wydaniu kolejnym, karta zmian w EZD.",
    )
    action_services.action_complete(
        action=second,
        by=owner,
        expected_version=second.version,
        note="Lista obecności ze szkolenia w aktach wydziału.",
    )
    if target == Nonconformity.Status.VERIFICATION:
        return
    card_services.card_verify(
        card=_fresh(card),
        by=verifier,
        expected_version=_fresh(card).version,
        effective=True,
        note="Próba 10 spraw w kolejnym audicie: zapisy kompletne.",
    )


def seed_nonconformities(people: dict[str, User]) -> int:
    if Nonconformity.objects.exists():
        return 0
    findings = (
        Finding.objects.filter(type=Finding.Type.NONCONFORMITY, withdrawn=False)
        .exclude(audit__status__in=[Audit.Status.PLANNED, Audit.Status.IN_PROGRESS])
        .select_related("audit", "process__owner")
        .order_by("audit__year", "audit__number")
    )
    count = 0
    for i, finding in enumerate(findings):
        audit = finding.audit
        card = card_services.card_raise(
            by=audit.lead_auditor,
            source=Nonconformity.Source.AUDIT_FINDING,
            finding=finding,
            process=finding.process,
            requirement=finding.requirement,
            description=finding.description,
            evidence=finding.evidence,
            grade=finding.grade or "minor",
            external_reference=audit.number,
        )
        owner = finding.process.owner
        responsible = people["pracownik"] if i % 2 else owner
        if audit.year <= 2024:
            target = Nonconformity.Status.CLOSED
        elif audit.year == 2025:
            target = [
                Nonconformity.Status.IN_PROGRESS,
                Nonconformity.Status.VERIFICATION,
                Nonconformity.Status.PLANNED,
            ][i % 3]
        else:
            target = [Nonconformity.Status.ANALYSIS, Nonconformity.Status.IN_PROGRESS][i % 2]
        # Some deadlines already passed: the start page and the register show overdue actions.
        offset = -10 if i % 4 == 1 else 30
        if offset < 0:
            target = Nonconformity.Status.IN_PROGRESS
        _work_with_past_deadline(card, owner, responsible, people["pelnomocnik"], target, offset)
        count += 1
    return count


def _work_with_past_deadline(card, owner, responsible, verifier, target, offset) -> None:
    """Deadlines cannot be set in the past through the services (rightly); an overdue demo
    action is made by planning it normally and then ageing its deadline, as time would."""
    _work(card, owner, responsible, verifier, target, max(offset, 1))
    if offset < 0:
        from nonconformities.models import CorrectiveAction

        CorrectiveAction.objects.filter(card=card, status__in=["planned", "in_progress"]).update(
            deadline=timezone.localdate() + datetime.timedelta(days=offset)
        )
