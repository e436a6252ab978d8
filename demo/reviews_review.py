"""Demo management reviews, written through the services as people would: last year's review,
held and approved (its minutes frozen), with three decisions — two done since, one still open —
and this year's review being prepared, whose input a) shows them."""

import datetime

from django.utils import timezone

from qms.models import User
from reviews.models import ManagementReview, ReviewDecision
from reviews.services import review as services

LAST_YEAR_COMMENTARY = {
    "a": "Pierwszy przegląd w systemie: brak decyzji z wcześniejszych przeglądów w rejestrze.",
    "c": "Plan auditów zrealizowano w całości; najwięcej ustaleń dotyczyło nadzoru nad "
    "dokumentacją.",
    "g": "Zasoby kadrowe wystarczające, z wyjątkiem liczby auditorów wewnętrznych.",
    "i": "Cele dotyczące terminowości obsługi spraw osiągnięte.",
}
DECISIONS = [
    (
        ReviewDecision.Type.IMPROVEMENT,
        "Wprowadzić badanie satysfakcji klientów przy stanowiskach Biura Obsługi Mieszkańców.",
        "kierownictwo",
        (3, 31),
    ),
    (
        ReviewDecision.Type.CHANGE,
        "Zaktualizować procedurę PZ.4.4.5 „Przeprowadzanie auditu jakości” o zdalne audity.",
        "koordynator",
        (6, 30),
    ),
    (
        ReviewDecision.Type.RESOURCES,
        "Przeszkolić pięciu nowych auditorów wewnętrznych.",
        "pelnomocnik",
        (9, 30),
    ),
]


def seed_review(people: dict[str, User]) -> int:
    """Load the demo reviews once (nothing if any review exists); returns how many reviews
    were created. Decisions are completed now, so they fall after last year's meeting."""
    if ManagementReview.objects.exists():
        return 0
    year = timezone.localdate().year
    pelnomocnik, prezydent = people["pelnomocnik"], people["prezydent"]
    participants = [prezydent, people["kierownictwo"], pelnomocnik]

    last = services.review_create(
        by=pelnomocnik,
        meeting_date=datetime.date(year - 1, 12, 10),
        period_start=datetime.date(year - 2, 12, 1),
        period_end=datetime.date(year - 1, 11, 30),
        participants=participants,
    )
    last = services.review_update(
        review=last,
        by=pelnomocnik,
        expected_version=last.version,
        commentary=LAST_YEAR_COMMENTARY,
        summary="System Zarządzania Jakością jest skuteczny, przydatny i adekwatny. "
        "Należy wzmocnić zespół auditorów i badać satysfakcję klientów.",
    )
    decisions = [
        services.decision_add(
            review=last,
            by=pelnomocnik,
            type=kind,
            description=text,
            owner=people[owner],
            deadline=datetime.date(year, *month_day),
        )
        for kind, text, owner, month_day in DECISIONS
    ]
    last = services.review_hold(review=last, by=pelnomocnik, expected_version=last.version)
    services.review_approve(review=last, by=prezydent, expected_version=last.version)
    # The first two are done; the resource decision stays open for this year's input a).
    for decision in decisions[:2]:
        services.decision_complete(
            decision=decision,
            by=decision.owner,
            expected_version=decision.version,
            note="Wykonano; dokumentacja w EZD.",
        )

    services.review_create(
        by=pelnomocnik,
        meeting_date=datetime.date(year, 12, 10),
        period_start=datetime.date(year - 1, 12, 1),
        period_end=datetime.date(year, 11, 30),
        participants=participants,
    )
    return 2
