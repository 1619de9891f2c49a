"""Checks on a mentor record as a coordinator enters it: dates, grade band, clearances.

Plain functions like those in app.rules (no Flask, "today" passed in), kept here
because only the coordinator screens write mentor records.
NOTE: if the REST API starts writing mentors, move these into app.rules.mentor.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.rules.choices import CheckStatus
from app.rules.errors import N_, RuleViolation
from app.rules.nomination import MAX_GRADE, MIN_GRADE

MAX_TRAINING_HOURS = Decimal("999.9")
"""The column holds up to 999.9 hours (NUMERIC(5, 1))."""

DATE_LABELS = {
    "application_date": N_("application date"),
    "interview_date": N_("interview date"),
    "cori_cleared_on": N_("CORI date cleared"),
    "sori_cleared_on": N_("SORI date cleared"),
    "training_completed_on": N_("training completion date"),
}


def check_not_future(day: date | None, today: date, field: str) -> None:
    """Raise RuleViolation on ``field`` when the screening date ``day`` is after ``today``."""
    if day is not None and day > today:
        raise RuleViolation(
            field,
            N_("The %(label)s is in the future. Enter today's date or an earlier one."),
            label=DATE_LABELS.get(field, field),
        )


def check_grade_band(grade_min: int | None, grade_max: int | None) -> None:
    """Raise RuleViolation unless both ends are grades 1 to 12, the lower not above the upper."""
    for field, grade in (("grade_band_min", grade_min), ("grade_band_max", grade_max)):
        if grade is None or not MIN_GRADE <= grade <= MAX_GRADE:
            raise RuleViolation(
                field, N_("Enter a grade from %(min)s to %(max)s."), min=MIN_GRADE, max=MAX_GRADE
            )
    if grade_min > grade_max:
        raise RuleViolation(
            "grade_band_max",
            N_("The highest grade is below the lowest grade. Enter a band such as 3 to 8."),
        )


def check_clearance_date(status: CheckStatus | None, cleared_on: date | None, field: str) -> None:
    """Raise RuleViolation on ``field`` when a cleared check has no date cleared."""
    if status is CheckStatus.cleared and cleared_on is None:
        raise RuleViolation(
            field,
            N_("Enter the date the check cleared; a cleared check needs it to count as valid."),
        )


def check_training_hours(hours: Decimal | None) -> None:
    """Raise RuleViolation on ``training_hours`` unless it is empty or from 0 to 999.9."""
    if hours is not None and not Decimal(0) <= hours <= MAX_TRAINING_HOURS:
        raise RuleViolation(
            "training_hours",
            N_("Enter the training hours as a number from 0 to %(max)s."),
            max=MAX_TRAINING_HOURS,
        )
