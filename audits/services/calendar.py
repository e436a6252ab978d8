"""Writes of the audit calendar: the secret address of a person's feed."""

import secrets

from django.db import transaction

from qms.models import User


@transaction.atomic
def calendar_token_reset(*, user: User) -> str:
    """Give ``user`` a new secret for their calendar feed; the old address stops working."""
    user.calendar_token = secrets.token_urlsafe(32)
    # A plain update: the token is a credential, not part of the person's record history.
    User.objects.filter(pk=user.pk).update(calendar_token=user.calendar_token)
    return user.calendar_token
