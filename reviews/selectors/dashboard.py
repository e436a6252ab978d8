"""The management part's section of the start page."""

import datetime

from qms.models import User
from reviews.selectors.objectives import measurements_due
from reviews.selectors.proposals import proposal_actions_due
from reviews.selectors.review import review_dashboard_sections
from reviews.selectors.risks import risks_due

ROWS = 10


def dashboard_section(user: User, today: datetime.date) -> dict:
    """What the management part asks of ``user`` now: measurements due, risks due for review,
    review decisions and minutes, improvement actions past their deadline (first ten each)."""
    return {
        **review_dashboard_sections(user=user, today=today),
        "measurements_due": measurements_due(user=user, today=today)[:ROWS],
        "risks_due": list(risks_due(user=user, today=today)[:ROWS]),
        "proposal_actions_due": list(proposal_actions_due(user=user, today=today)[:ROWS]),
    }
