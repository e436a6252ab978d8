"""Reads of the cards themselves: who may read which card, a card with what its page shows,
and who may work, verify or raise one."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
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
from audits.selectors.appointments import appointed_auditor_ids
from nonconformities.models import CorrectiveAction, DeadlineExtension, Evidence, Nonconformity
from nonconformities.selectors import audits_on, is_keeper, reads_everything
from processes.models import Process
from qms import roles
from qms.models import User
from qms.roles import signed_in


def cards_visible(*, user: User) -> QuerySet[Nonconformity]:
    """The cards ``user`` may read (the rules are in ``nonconformities.selectors``)."""
    if not signed_in(user):
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
    if not signed_in(user):
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
        audits_on(user).filter(processes=card.process_id).exists()
    ):
        relations.add("auditor")
    return relations


def card_get(*, user: User, pk: int) -> Nonconformity:
    """A card with what its page shows; 404 if none, ``PermissionDenied`` if not readable."""
    if not signed_in(user):
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
    if not signed_in(user):
        return False
    if is_keeper(user):
        return True
    if audit is not None and audits_on(user).filter(pk=audit.pk).exists():
        return True
    return process is not None and process.owner_id == user.pk
