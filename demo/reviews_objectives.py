"""Demo quality objectives for the previous and the current year, set and measured through the
services as people would: the Pełnomocnik sets them, each owner enters their own values. One
objective of ``wlasciciel`` misses its last finished quarter, so the start page and the
reminders have a measurement due."""

import datetime
from decimal import Decimal

from django.utils import timezone

from qms.models import User
from reviews.models import QualityObjective
from reviews.selectors.objectives import periods_of_year, previous_period
from reviews.services import objectives as services

Frequency = QualityObjective.Frequency
Direction = QualityObjective.Direction

# (key, owner, unit of, title, measure, indicator, unit, direction, target, frequency,
#  resources, evaluation, values for the previous year, values for the current year)
OBJECTIVES = [
    (
        "terminowosc", "wlasciciel", "wlasciciel",
        "Terminowość załatwiania spraw — co najmniej 98%",
        "Odsetek spraw załatwionych w terminie określonym w KPA",
        "Sprawy załatwione w terminie / wszystkie sprawy załatwione w okresie × 100%",
        "%", Direction.AT_LEAST, "98", Frequency.QUARTERLY,
        "Rejestry spraw w EZD, raporty terminowości z EZD",
        "Porównanie wartości kwartalnej z celem; przy dwóch kwartałach poniżej celu — "
        "analiza przyczyn i działania korygujące.",
        ["97.40", "98.10", "98.60", "98.30"], ["98.20", "97.60", "97.90", "98.40"],
    ),
    (
        "bom", "koordynator", "pracownik",
        "Czas obsługi klienta w BOM — najwyżej 15 min",
        "Średni czas obsługi klienta przy stanowisku Biura Obsługi Mieszkańców",
        "Suma czasów obsługi / liczba obsłużonych klientów (system kolejkowy)",
        "min", Direction.AT_MOST, "15", Frequency.MONTHLY,
        "System kolejkowy, 12 stanowisk obsługi",
        "Średnia miesięczna z systemu kolejkowego porównana z celem.",
        ["16.2", "15.8", "14.9", "14.5", "15.3", "14.1", "13.8", "14.4", "14.9", "15.6",
         "14.7", "14.2"],
        ["14.8", "15.4", "14.6", "13.9", "14.3", "14.0", "15.2", "14.7", "14.5", "14.1",
         "13.8", "14.0"],
    ),
    (
        "satysfakcja", "pelnomocnik", "pelnomocnik",
        "Satysfakcja klientów — co najmniej 4,2/5",
        "Średnia ocena w ankiecie satysfakcji klientów Urzędu",
        "Średnia ocen ogólnych w skali 1–5 ze wszystkich ankiet okresu",
        "pkt", Direction.AT_LEAST, "4.2", Frequency.HALF_YEARLY,
        "Ankiety papierowe i elektroniczne, opracowanie WOU",
        "Wynik półroczny porównany z celem i z poprzednim półroczem.",
        ["4.10", "4.25"], ["4.30", "4.35"],
    ),
    (
        "skargi", "wlasciciel2", "wlasciciel2",
        "Liczba skarg zasadnych — najwyżej 5 rocznie",
        "Liczba skarg na działanie Wydziału Komunikacji uznanych za zasadne",
        "Liczba skarg zasadnych w roku (rejestr skarg i wniosków)",
        "szt.", Direction.AT_MOST, "5", Frequency.YEARLY,
        "Rejestr skarg, wniosków i petycji",
        "Liczba roczna porównana z celem; każda skarga zasadna analizowana na karcie "
        "niezgodności.",
        ["7"], ["3"],
    ),
    (
        "korygujace", "pelnomocnik", "pelnomocnik",
        "Działania korygujące zamknięte w terminie — co najmniej 85%",
        "Odsetek działań korygujących zrealizowanych w wyznaczonym terminie",
        "Działania zamknięte w terminie / działania z terminem w okresie × 100%",
        "%", Direction.AT_LEAST, "85", Frequency.QUARTERLY,
        "Rejestr kart niezgodności w SZJ",
        "Wartość kwartalna porównana z celem; wyniki przedstawiane na przeglądzie zarządzania.",
        ["80", "82", "84", "83"], ["86", "84", "88", "90"],
    ),
    (
        "szkolenia", "koordynator", "koordynator",
        "Pracownicy przeszkoleni z SZJ — co najmniej 90%",
        "Odsetek pracowników, którzy ukończyli szkolenie z Systemu Zarządzania Jakością",
        "Pracownicy przeszkoleni / wszyscy pracownicy Urzędu × 100%",
        "%", Direction.AT_LEAST, "90", Frequency.HALF_YEARLY,
        "Platforma e-learningowa, szkolenia wewnętrzne WOU",
        "Stan na koniec półrocza porównany z celem.",
        None, ["72", "86"],
    ),
]  # fmt: skip


def seed_objectives(people: dict[str, User]) -> int:
    """Create the demo objectives and their measurements; returns how many records were made
    (0 when any objective exists already, so running the seed twice changes nothing)."""
    if QualityObjective.objects.exists():
        return 0
    today = timezone.localdate()
    setter = people["pelnomocnik"]
    # wlasciciel's quarterly objective is left without its last finished quarter.
    skipped = previous_period(Frequency.QUARTERLY, today)[0]
    created = 0
    for year, column in ((today.year - 1, 12), (today.year, 13)):
        for row in OBJECTIVES:
            values = row[column]
            if values is None:
                continue
            (_key, owner_key, unit_key, title, measure, indicator, unit, direction, target,
             frequency, resources, evaluation) = row[:12]  # fmt: skip
            owner = people[owner_key]
            objective = services.objective_create(
                by=setter,
                year=year,
                title=title,
                measure=measure,
                indicator=indicator,
                indicator_unit=unit,
                direction=direction,
                target=Decimal(target),
                frequency=frequency,
                owner=owner,
                unit=people[unit_key].unit,
                resources=resources,
                deadline=datetime.date(year, 12, 31),
                evaluation=evaluation,
            )
            created += 1
            for (start, end), value in zip(periods_of_year(frequency, year), values, strict=False):
                if end >= today:
                    break  # only finished periods are measured
                if owner_key == "wlasciciel" and start == skipped:
                    continue
                services.measurement_enter(
                    objective=objective,
                    by=owner,
                    period_start=start,
                    value=Decimal(value),
                    comment="Dane z EZD." if frequency != Frequency.MONTHLY else "",
                )
                created += 1
    return created
