"""Writes of the quality objectives and their measurements. Each service checks who acts,
validates, and records the acting user in history in one transaction; nothing is deleted (a
withdrawn objective stays on record, with the reason in its history)."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.models import User
from qms.services import create_recorded, require, require_text, save_versioned, transition
from reviews.models import Measurement, QualityObjective
from reviews.selectors.objectives import (
    can_enter_measurements,
    can_set_objectives,
    is_period_start,
    period_for,
    period_label,
)

OBJECTIVE_FIELDS = (
    "year",
    "policy",
    "title",
    "measure",
    "indicator",
    "indicator_unit",
    "target",
    "direction",
    "frequency",
    "owner",
    "unit",
    "resources",
    "deadline",
    "evaluation",
)


def _require_active(objective: QualityObjective) -> None:
    if not objective.is_active:
        raise ValidationError(_("This objective is withdrawn and can no longer be changed."))


def _check_objective(objective: QualityObjective) -> None:
    errors: dict[str, str] = {}
    if objective.deadline and objective.year and objective.deadline.year < objective.year:
        errors["deadline"] = _("The deadline cannot fall before the objective's year.")
    if objective.owner_id and not objective.owner.is_active:
        errors["owner"] = _("The owner must be an active employee.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def objective_create(*, by: User, **fields: Any) -> QualityObjective:
    """Set a new quality objective (the Prezydent, the Pełnomocnik or the Koordynator WOU)."""
    require(can_set_objectives(by))
    unknown = set(fields) - set(OBJECTIVE_FIELDS)
    if unknown:
        raise ValueError(f"not objective fields: {sorted(unknown)}")
    objective = QualityObjective(**fields)
    _check_objective(objective)
    return create_recorded(objective, by=by)


@transaction.atomic
def objective_update(
    *, objective: QualityObjective, by: User, expected_version: int, **fields: Any
) -> QualityObjective:
    """Change the definition of an active objective.

    Its year and frequency stay fixed once it has measurements: every measurement is for a
    period of that frequency within that year, and changing either would orphan them.
    """
    require(can_set_objectives(by))
    _require_active(objective)
    for name in fields:
        if name not in OBJECTIVE_FIELDS:
            raise ValueError(f"{name} is not an objective field")
    # Compared with the stored row, not the instance: a model form has already copied the
    # submitted values onto the instance by the time the view calls this.
    stored = QualityObjective.objects.filter(pk=objective.pk).values("year", "frequency").get()
    fixed = [name for name in stored if name in fields and fields[name] != stored[name]]
    if fixed and objective.measurements.exists():
        raise ValidationError(
            {
                name: _(
                    "This cannot change once measurements are recorded: they are for the "
                    "periods of the current year and frequency."
                )
                for name in fixed
            }
        )
    for name, value in fields.items():
        setattr(objective, name, value)
    _check_objective(objective)
    return save_versioned(objective, expected_version=expected_version, by=by)


@transaction.atomic
def objective_withdraw(
    *, objective: QualityObjective, by: User, expected_version: int, reason: str
) -> QualityObjective:
    """Withdraw an objective from use. It stays visible, with its measurements, as withdrawn;
    the reason is kept in its history."""

    def check(current: QualityObjective) -> None:
        if not current.is_active:
            raise ValidationError(_("This objective is already withdrawn."))
        require_text(reason, field="reason", message=_("Give the reason for the withdrawal."))

    return transition(
        objective,
        by=by,
        expected_version=expected_version,
        allowed=can_set_objectives(by),
        check=check,
        change_reason=reason.strip(),
        is_active=False,
    )


def _check_period(objective: QualityObjective, period_start: datetime.date) -> datetime.date:
    """The period's end, or a ``ValidationError`` saying why ``period_start`` is not one."""
    if not is_period_start(objective.frequency, period_start):
        raise ValidationError(
            {
                "period_start": _(
                    "The period must start on the first day of a period of the objective's "
                    "frequency (%(frequency)s)."
                )
                % {"frequency": objective.get_frequency_display()}
            }
        )
    if period_start.year != objective.year:
        raise ValidationError(
            {
                "period_start": _("The period must fall within the objective's year %(year)s.")
                % {"year": objective.year}
            }
        )
    if period_start > timezone.localdate():
        raise ValidationError(
            {"period_start": _("A measurement cannot be entered for a period that has not begun.")}
        )
    return period_for(objective.frequency, period_start)[1]


@transaction.atomic
def measurement_enter(
    *,
    objective: QualityObjective,
    by: User,
    period_start: datetime.date,
    value: Decimal,
    comment: str = "",
) -> Measurement:
    """Record the indicator's value for one period (the objective's owner, or a register
    keeper). One measurement per period: a second one for the same period is refused, and the
    existing one is changed with ``measurement_update`` instead."""
    require(can_enter_measurements(by, objective))
    _require_active(objective)
    period_end = _check_period(objective, period_start)
    duplicate = _(
        "A measurement for %(period)s is already recorded. Change that measurement instead."
    ) % {"period": period_label(objective.frequency, period_start)}
    if objective.measurements.filter(period_start=period_start).exists():
        raise ValidationError({"period_start": duplicate})
    measurement = Measurement(
        objective=objective,
        period_start=period_start,
        period_end=period_end,
        value=value,
        comment=comment.strip(),
        entered_by=by,
    )
    try:
        # A savepoint: two people entering the same period at once meet the unique
        # constraint, and the loser gets the same message instead of a broken transaction.
        with transaction.atomic():
            return create_recorded(measurement, by=by)
    except IntegrityError as exc:
        raise ValidationError({"period_start": duplicate}) from exc


@transaction.atomic
def measurement_update(
    *, measurement: Measurement, by: User, expected_version: int, value: Decimal, comment: str
) -> Measurement:
    """Correct a measurement's value or comment (its objective's owner, or a register keeper),
    refused when somebody saved it after ``expected_version`` was read. The period stays."""
    objective = measurement.objective
    require(can_enter_measurements(by, objective))
    _require_active(objective)
    measurement.value = value
    measurement.comment = comment.strip()
    # The person who entered the value now shown; history keeps every earlier author.
    measurement.entered_by = by
    return save_versioned(
        measurement,
        expected_version=expected_version,
        by=by,
        update_fields=["value", "comment", "entered_by"],
    )
