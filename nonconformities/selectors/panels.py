"""What this app shows on the pages of the apps below it, registered in
``NonconformitiesConfig.ready()``: the open cards on a process page and on an audit page, and
the open cards per process for the audit coverage table. Cards are listed only as far as the
person may read them."""

from django.db.models import Count, QuerySet
from django.http import HttpRequest

from audits.models import Audit
from nonconformities.models import Nonconformity
from nonconformities.selectors import reads_everything
from nonconformities.selectors.cards import cards_visible
from processes.models import Process


def process_detail_panel(request: HttpRequest, process: Process) -> dict:
    """The open cards of ``process`` (panel ``processes.process_detail``)."""
    # Every employee reads the process, not every employee its cards: only those the person
    # may read are listed, and the section is shown when there are some or when the person
    # could read any card of the process (so "none" is never a false statement).
    open_cards = list(
        cards_visible(user=request.user).filter(
            process=process, status__in=Nonconformity.OPEN_STATUSES
        )
    )
    return {
        "open_cards": open_cards,
        "show_cards": bool(open_cards)
        or reads_everything(request.user)
        or process.owner_id == request.user.pk,
    }


def _open_cards_for_processes(process_ids) -> QuerySet[Nonconformity]:
    return Nonconformity.objects.filter(
        process_id__in=process_ids, status__in=Nonconformity.OPEN_STATUSES
    ).order_by("number")


def audit_detail_panel(request: HttpRequest, audit: Audit) -> dict:
    """The cards raised from the audit's findings that the person may read, and the earlier
    open cards of the audited processes: to verify, and still open (panel
    ``audits.audit_detail``). ``audit`` comes with its processes and findings prefetched."""
    # The owner of one audited process may read this audit but not the cards of another
    # audited process: cards are linked and listed only as far as the person may read them.
    # Those who read every card (cards_visible filters nothing for them) skip the filter and
    # the query: the cards raised here came with the findings.
    everything = reads_everything(request.user)
    visible = cards_visible(user=request.user)
    open_cards = _open_cards_for_processes([p.pk for p in audit.processes.all()]).exclude(
        finding__audit=audit
    )  # raised here: new, not the follow-up of earlier ones
    if not everything:
        open_cards = open_cards.filter(pk__in=visible.values("pk"))
    open_cards = list(open_cards.select_related("process"))
    if everything:
        readable_card_ids = {
            f.nonconformity.pk for f in audit.findings.all() if hasattr(f, "nonconformity")
        }
    else:
        readable_card_ids = set(visible.filter(finding__audit=audit).values_list("pk", flat=True))
    return {
        "readable_card_ids": readable_card_ids,
        "cards_to_verify": [c for c in open_cards if c.status == Nonconformity.Status.VERIFICATION],
        "cards_open": [c for c in open_cards if c.status != Nonconformity.Status.VERIFICATION],
    }


def open_cards_by_process(*, year: int) -> dict[int, int]:
    """Process id → nonconformity cards still open (Księga Jakości §26), for the audit
    coverage table (hook ``audits.open_nonconformities_by_process``; one query).

    A card counts while its status is one of ``Nonconformity.OPEN_STATUSES`` — raised, being
    analysed, with actions planned or in progress, awaiting verification, or reopened — however
    old it is: an unresolved nonconformity from years ago is still a reason to audit. Cards
    raised after ``year`` (the year being planned) are left out, as they could not have
    informed that plan. The status is the current one: the history is not replayed.
    """
    rows = (
        Nonconformity.objects.filter(status__in=Nonconformity.OPEN_STATUSES, year__lte=year)
        .values("process_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {row["process_id"]: row["count"] for row in rows}
