"""Reads of nonconformity cards and the rules that say who may do what with them.

The Pełnomocnik and Koordynator WOU see and manage every card; top management reads every card;
the card's process owner works the card (ownership is read from the process at the time of the
check, so access follows a change of owner at once); responsible persons see the cards of their
actions and update those actions; auditors see the cards of the processes they audit and may
verify effectiveness; other employees see nothing here.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.shortcuts import get_object_or_404

from audits.models import Audit
from audits.selectors import appointed_auditor_ids
from nonconformities.models import CorrectiveAction, DeadlineExtension, Evidence, Nonconformity
from processes.models import Process
from qms import roles
from qms.models import User


def _signed_in(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_keeper(user: User) -> bool:
    """Sees and manages every card (Pełnomocnik, Koordynator WOU)."""
    return _signed_in(user) and user.has_role(roles.PELNOMOCNIK, roles.KOORDYNATOR_WOU)


def reads_everything(user: User) -> bool:
    return _signed_in(user) and user.has_role(
        roles.PELNOMOCNIK, roles.KOORDYNATOR_WOU, roles.PREZYDENT, roles.NAJWYZSZE_KIEROWNICTWO
    )


def _audits_on(user: User) -> QuerySet[Audit]:
    in_team = Exists(Audit.team.through.objects.filter(audit=OuterRef("pk"), user=user))
    return Audit.objects.filter(Q(lead_auditor=user) | in_team)


def cards_visible(*, user: User) -> QuerySet[Nonconformity]:
    """The cards ``user`` may read (see the module docstring)."""
    if not _signed_in(user):
        return Nonconformity.objects.none()
    cards = Nonconformity.objects.select_related("process__owner", "unit", "raised_by")
    if reads_everything(user):
        return cards
    # Each condition is `column = ANY(ARRAY(subquery))`: PostgreSQL reads the small set once
    # and looks the cards up through the index of the column, the conditions joined by a
    # bitmap OR, so the register and its count touch only this person's cards. (Correlated
    # EXISTS, or IN, would test every card of the register.)
    owned = Process.objects.filter(owner=user).order_by().values("pk")
    responsible = CorrectiveAction.objects.filter(responsible=user).order_by().values("card_id")
    audited_processes = Audit.processes.through.objects.order_by().values("process_id")
    led = audited_processes.filter(audit__lead_auditor=user)
    in_team = audited_processes.filter(
        audit_id__in=Audit.team.through.objects.filter(user=user).values("audit_id")
    )
    return cards.filter(
        Q(_any_of("process_id", owned))
        | Q(_any_of("pk", responsible))
        | Q(_any_of("process_id", led))
        | Q(_any_of("process_id", in_team))
    )


class _AnyOf(Func):
    """``column IN (subquery)``; on PostgreSQL ``column = ANY(ARRAY(subquery))``, which it
    answers through the column's index (see ``cards_visible``). SQLite (``make run``) takes
    the portable form."""

    output_field = BooleanField()

    def _parts(self, compiler) -> tuple[str, str, tuple]:
        column, subquery = (compiler.compile(e) for e in self.get_source_expressions())
        return column[0], subquery[0], (*column[1], *subquery[1])

    def as_sql(self, compiler, connection, **extra_context):
        column, subquery, params = self._parts(compiler)
        return f"{column} IN {subquery}", params

    def as_postgresql(self, compiler, connection, **extra_context):
        column, subquery, params = self._parts(compiler)
        return f"{column} = ANY(ARRAY{subquery})", params


def _any_of(column: str, values: QuerySet) -> _AnyOf:
    return _AnyOf(F(column), Subquery(values))


def card_relations(user: User, card: Nonconformity) -> set[str]:
    """How ``user`` relates to ``card``: keeper, top, owner, responsible, implementer, auditor.
    ``card`` must come from ``card_get`` (actions prefetched)."""
    if not _signed_in(user):
        return set()
    cache = card.__dict__.setdefault("_relations", {})
    if user.pk not in cache:
        cache[user.pk] = _relations(user, card)
    return cache[user.pk]


def _relations(user: User, card: Nonconformity) -> set[str]:
    relations = set()
    if is_keeper(user):
        relations.add("keeper")
    if reads_everything(user):
        relations.add("top")
    if card.process.owner_id == user.pk:
        relations.add("owner")
    actions = list(card.actions.all())
    if any(a.responsible_id == user.pk for a in actions):
        relations.add("responsible")
    if any(user.pk in (a.responsible_id, a.completed_by_id) for a in actions):
        relations.add("implementer")
    # Being the card's auditor matters only to someone who is not the Pełnomocnik (who reads
    # every card and verifies any): the Pełnomocnik is spared the query.
    if not user.has_role(roles.PELNOMOCNIK) and (
        _audits_on(user).filter(processes=card.process_id).exists()
    ):
        relations.add("auditor")
    return relations


def card_get(*, user: User, pk: int) -> Nonconformity:
    """A card with what its page shows; 404 if none, ``PermissionDenied`` if not readable."""
    if not _signed_in(user):
        raise PermissionDenied
    actions = CorrectiveAction.objects.select_related(
        "responsible", "completed_by"
    ).prefetch_related(
        Prefetch("extensions", queryset=DeadlineExtension.objects.select_related("extended_by")),
        Prefetch("evidence_files", queryset=Evidence.objects.select_related("uploaded_by")),
    )
    # The card joins only its process, unit and finding: PostgreSQL plans a join of eight
    # tables in milliseconds, longer than it reads them. The people it names (the process
    # owner, who raised and who verified it) come in one query by id, and of the finding's
    # audit only the number, by a subquery (not the whole wide row).
    card = get_object_or_404(
        Nonconformity.objects.select_related("process", "unit", "finding")
        .annotate(
            finding_audit_number=Subquery(
                Audit.objects.filter(pk=OuterRef("finding__audit_id")).values("number")
            )
        )
        .prefetch_related(Prefetch("actions", queryset=actions)),
        pk=pk,
    )
    people = User.objects.in_bulk(
        {card.process.owner_id, card.raised_by_id, card.verified_by_id} - {None}
    )
    card.process.owner = people.get(card.process.owner_id)
    card.raised_by = people.get(card.raised_by_id)
    card.verified_by = people.get(card.verified_by_id)
    if not card_relations(user, card):
        raise PermissionDenied
    return card


def can_manage_card(user: User, card: Nonconformity) -> bool:
    """Works the card: correction, root cause, actions (its process owner or a keeper)."""
    return card.is_open and bool({"keeper", "owner"} & card_relations(user, card))


def can_verify(user: User, card: Nonconformity, *, today: datetime.date) -> bool:
    """The Pełnomocnik, or an auditor appointed this year who audits the card's process —
    never a person who implemented the card's actions."""
    relations = card_relations(user, card)
    if "implementer" in relations:
        return False
    if user.has_role(roles.PELNOMOCNIK):
        return True
    return "auditor" in relations and user.pk in appointed_auditor_ids(today.year)


def can_raise_card(
    user: User, *, process: Process | None = None, audit: Audit | None = None
) -> bool:
    """Keepers raise any card; auditors on an audit raise cards from its findings; a process
    owner raises a card for their own process."""
    if not _signed_in(user):
        return False
    if is_keeper(user):
        return True
    if audit is not None and _audits_on(user).filter(pk=audit.pk).exists():
        return True
    return process is not None and process.owner_id == user.pk


def action_get(*, user: User, pk: int) -> CorrectiveAction:
    action = get_object_or_404(CorrectiveAction.objects.select_related("card"), pk=pk)
    card_get(user=user, pk=action.card_id)  # raises unless the card is readable
    return action


def evidence_get(*, user: User, pk: int) -> Evidence:
    evidence = get_object_or_404(Evidence.objects.select_related("action"), pk=pk)
    card_get(user=user, pk=evidence.action.card_id)
    return evidence


def my_actions(*, user: User) -> QuerySet[CorrectiveAction]:
    """Open actions ``user`` is responsible for, and open actions on cards of processes they own."""
    if not _signed_in(user):
        return CorrectiveAction.objects.none()
    return (
        CorrectiveAction.objects.filter(
            Q(responsible=user) | Q(card__process__owner=user),
            status__in=[CorrectiveAction.Status.PLANNED, CorrectiveAction.Status.IN_PROGRESS],
        )
        .exclude(card__status__in=[Nonconformity.Status.CLOSED, Nonconformity.Status.CANCELLED])
        .select_related("card__process", "responsible")
        .order_by("deadline", "id")
    )


def awaiting_verification(*, user: User, today: datetime.date) -> QuerySet[Nonconformity]:
    """Cards in verification that ``user`` could verify (for the start page)."""
    cards = cards_visible(user=user).filter(status=Nonconformity.Status.VERIFICATION)
    if not user.has_role(roles.PELNOMOCNIK):
        if user.pk not in appointed_auditor_ids(today.year):
            return cards.none()
        cards = cards.filter(Exists(_audits_on(user).filter(processes=OuterRef("process"))))
    implemented = CorrectiveAction.objects.filter(card=OuterRef("pk")).filter(
        Q(responsible=user) | Q(completed_by=user)
    )
    return cards.exclude(Exists(implemented))


def dashboard_sections(*, user: User, today: datetime.date) -> dict:
    actions = my_actions(user=user).filter(responsible=user)
    return {
        "actions_overdue": list(actions.filter(deadline__lt=today)[:10]),
        "actions_due": list(
            actions.filter(deadline__gte=today, deadline__lte=today + datetime.timedelta(days=14))[
                :10
            ]
        ),
        "cards_to_verify": list(awaiting_verification(user=user, today=today)[:10]),
    }


def open_cards_for_processes(process_ids) -> QuerySet[Nonconformity]:
    return Nonconformity.objects.filter(
        process_id__in=process_ids, status__in=Nonconformity.OPEN_STATUSES
    ).order_by("number")
