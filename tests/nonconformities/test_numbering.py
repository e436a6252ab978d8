"""Card numbers KN/<year>/<nnn>: taken in the transaction that creates the card, so concurrent
raising never repeats a number and a rolled-back card leaves no gap.

These tests commit for real (``transaction=True``): locks only matter between transactions that
other connections can see. ``serialized_rollback`` restores the role groups that a data migration
created, which the flush after a transactional test removes.
"""

import datetime
import threading

import pytest
from django.db import connection, transaction

from nonconformities.models import CardNumber, Nonconformity
from nonconformities.services import cards as card_services
from processes.models import Process
from qms.models import User
from tests.conftest import Personas
from tests.factories import ProcessFactory

TODAY = datetime.date(2031, 3, 14)
YEAR = TODAY.year
THREADS = 8
CARDS_PER_THREAD = 5

transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _raise(by: User, process: Process, text: str) -> Nonconformity:
    return card_services.card_raise(
        by=by,
        source=Nonconformity.Source.OWN_DETECTION,
        process=process,
        requirement="PN-EN ISO 9001:2015 pkt 8.5.1",
        description=text,
        evidence="Rejestr spraw, teczka ŻÓŁW/2031",
        grade=Nonconformity.Grade.MINOR,
        today=TODAY,
    )


@pytest.fixture
def process(personas: Personas) -> Process:
    return ProcessFactory(
        code="PG.3",
        name="Sprawy obywatelskie i ewidencja ludności",
        owner_unit=personas.wlasciciel.unit,
        owner=personas.wlasciciel,
    )


@transactional
def test_concurrent_cards_get_every_number_once_without_gaps(personas: Personas, process):
    # Every thread waits at the barrier, so all of them race for the first number at once.
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(thread_no: int) -> None:
        try:
            # A fresh read per thread: this thread's own connection, no shared cached state.
            keeper = User.objects.get(pk=personas.pelnomocnik.pk)
            own_process = Process.objects.get(pk=process.pk)
            barrier.wait(timeout=10)
            for card_no in range(CARDS_PER_THREAD):
                _raise(keeper, own_process, f"Wątek {thread_no}, karta {card_no}")
        except BaseException as exc:  # reported to the main thread, which fails the test
            errors.append(exc)
        finally:
            connection.close()  # each thread opened its own connection; leave none behind

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    numbers = list(Nonconformity.objects.filter(year=YEAR).values_list("number", flat=True))
    total = THREADS * CARDS_PER_THREAD
    assert len(numbers) == total
    assert sorted(numbers) == [f"KN/{YEAR}/{n:03d}" for n in range(1, total + 1)]
    assert CardNumber.objects.get(year=YEAR).last == total


@transactional
def test_a_rolled_back_card_leaves_no_gap(personas: Personas, process):
    first = _raise(personas.pelnomocnik, process, "Pierwsza karta")

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        abandoned = _raise(personas.pelnomocnik, process, "Karta wycofana w tej samej transakcji")
        assert abandoned.number == f"KN/{YEAR}/002"
        raise Abandoned

    following = _raise(personas.pelnomocnik, process, "Następna karta")

    assert first.number == f"KN/{YEAR}/001"
    assert following.number == f"KN/{YEAR}/002"
    assert list(Nonconformity.objects.order_by("number").values_list("number", flat=True)) == [
        f"KN/{YEAR}/001",
        f"KN/{YEAR}/002",
    ]
    assert CardNumber.objects.get(year=YEAR).last == 2


@transactional
def test_each_year_starts_again_at_one(personas: Personas, process):
    _raise(personas.pelnomocnik, process, "Karta z 2031 r.")

    next_year = card_services.card_raise(
        by=personas.pelnomocnik,
        source=Nonconformity.Source.COMPLAINT,
        process=process,
        requirement="PN-EN ISO 9001:2015 pkt 8.2.1",
        description="Skarga mieszkańca",
        evidence="Znak sprawy WSO-I.1510.3.2032",
        grade=Nonconformity.Grade.MAJOR,
        external_reference="WSO-I.1510.3.2032",
        today=datetime.date(YEAR + 1, 1, 2),
    )

    assert next_year.number == f"KN/{YEAR + 1}/001"
    assert next_year.year == YEAR + 1
