"""Rules for mentors: the record's values, background check expiry, readiness and capacity.

Screening is recorded as status and dates only. The CORI (Massachusetts criminal
record check) and SORI (sex offender registry) reports themselves are never stored.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.rules.choices import CheckStatus, MentorStatus
from app.rules.errors import N_, RuleViolation
from app.rules.nomination import MAX_GRADE, MIN_GRADE
from app.rules.timezone import add_years

CLEARANCE_YEARS_DEFAULT = 3
MIN_TRAINING_HOURS_DEFAULT = 2
MIN_CAPACITY = 1
MAX_CAPACITY = 10
MAX_TRAINING_HOURS = Decimal("9999.9")
"""The largest value the ``training_hours`` column can store (NUMERIC(5, 1))."""

SCREENING_DATE_LABELS = {
    "application_date": N_("application date"),
    "interview_date": N_("interview date"),
    "cori_cleared_on": N_("CORI date cleared"),
    "sori_cleared_on": N_("SORI date cleared"),
    "training_completed_on": N_("training completion date"),
}
"""The screening dates of a mentor record by field name, with the words a message uses."""

# One literal per check and problem, so that pybabel extracts every reason.
_CLEARANCE_REASONS: dict[str, dict[str, str]] = {
    "CORI": {
        "not_cleared": N_("The CORI check is not cleared."),
        "no_date": N_("The CORI check has no date cleared."),
        "future_date": N_("The CORI date cleared is in the future."),
        "expired": N_("The CORI clearance has expired."),
    },
    "SORI": {
        "not_cleared": N_("The SORI check is not cleared."),
        "no_date": N_("The SORI check has no date cleared."),
        "future_date": N_("The SORI date cleared is in the future."),
        "expired": N_("The SORI clearance has expired."),
    },
}


def clearance_expires_on(cleared_on: date, years: int) -> date:
    """Return the first day on which a clearance from ``cleared_on`` is no longer valid.

    That is the same month and day ``years`` later. A clearance from 29 February
    expires on 28 February, the last day of February, in a common year. That is a
    day earlier than 1 March, the day ages change, so the clearance never runs long.
    """
    return add_years(cleared_on, years)


def _clearance_problem(
    check: str, status: CheckStatus, cleared_on: date | None, today: date, years: int
) -> str | None:
    reasons = _CLEARANCE_REASONS[check]
    if status is not CheckStatus.cleared:
        return reasons["not_cleared"]
    if cleared_on is None:
        return reasons["no_date"]
    if cleared_on > today:
        return reasons["future_date"]
    if today >= clearance_expires_on(cleared_on, years):
        return reasons["expired"]
    return None


def _training_problems(
    completed_on: date | None,
    hours: Decimal | float | None,
    today: date,
    min_hours: float,
) -> list[str]:
    problems: list[str] = []
    if completed_on is None:
        problems.append(N_("Training is not completed."))
    elif completed_on > today:
        problems.append(N_("The training completion date is in the future."))
    if hours is None or Decimal(str(hours)) < Decimal(str(min_hours)):
        problems.append(N_("Training hours are fewer than the minimum required."))
    return problems


def readiness_problems(
    *,
    cori_status: CheckStatus,
    cori_cleared_on: date | None,
    sori_status: CheckStatus,
    sori_cleared_on: date | None,
    training_completed_on: date | None,
    training_hours: Decimal | float | None,
    today: date,
    clearance_years: int = CLEARANCE_YEARS_DEFAULT,
    min_training_hours: float = MIN_TRAINING_HOURS_DEFAULT,
) -> list[str]:
    """Return why a mentor is not ready to match, as sentences, or [] when ready.

    A mentor is ready when the CORI and SORI checks are both cleared and unexpired,
    and training is completed with at least ``min_training_hours`` hours. A clearance
    is unexpired while ``today`` is before clearance_expires_on. Each reason is marked
    with N_, so a screen can translate it.
    """
    problems = [
        _clearance_problem("CORI", cori_status, cori_cleared_on, today, clearance_years),
        _clearance_problem("SORI", sori_status, sori_cleared_on, today, clearance_years),
    ]
    reasons = [problem for problem in problems if problem is not None]
    reasons += _training_problems(training_completed_on, training_hours, today, min_training_hours)
    return reasons


def check_ready(
    *,
    cori_status: CheckStatus,
    cori_cleared_on: date | None,
    sori_status: CheckStatus,
    sori_cleared_on: date | None,
    training_completed_on: date | None,
    training_hours: Decimal | float | None,
    today: date,
    clearance_years: int = CLEARANCE_YEARS_DEFAULT,
    min_training_hours: float = MIN_TRAINING_HOURS_DEFAULT,
) -> None:
    """Raise RuleViolation on ``mentor`` listing every readiness problem, if any.

    The reasons fill the message in English, because the admin screens are in English.
    """
    reasons = readiness_problems(
        cori_status=cori_status,
        cori_cleared_on=cori_cleared_on,
        sori_status=sori_status,
        sori_cleared_on=sori_cleared_on,
        training_completed_on=training_completed_on,
        training_hours=training_hours,
        today=today,
        clearance_years=clearance_years,
        min_training_hours=min_training_hours,
    )
    if reasons:
        raise RuleViolation(
            "mentor",
            N_("This mentor is not ready to match. %(reasons)s"),
            reasons=" ".join(reasons),
        )


def check_capacity(open_matches: int, capacity: int) -> None:
    """Raise RuleViolation on ``mentor`` when another match would exceed the capacity.

    ``open_matches`` counts the mentor's proposed and active matches.
    """
    if open_matches >= capacity:
        raise RuleViolation(
            "mentor",
            N_(
                "This mentor has no room for another match. Open matches, proposed or "
                "active, are %(open)s and the capacity is %(capacity)s. Close a match or "
                "raise the mentor's capacity first."
            ),
            open=open_matches,
            capacity=capacity,
        )


def check_against_matches(
    status: MentorStatus | None, capacity: int, open_matches: int, active_matches: int
) -> None:
    """Raise RuleViolation when a mentor's capacity or status contradicts their matches.

    ``open_matches`` counts proposed and active matches, ``active_matches`` the
    active ones. The capacity may not drop below the open matches (``capacity``).
    An inactive mentor has no open match, and "matched" needs an active match
    (``status``), because activating a match is what makes a mentor matched.
    """
    if capacity < open_matches:
        raise RuleViolation(
            "capacity",
            N_(
                "This mentor has %(open)s open matches; close or move some before "
                "lowering the capacity below %(open)s."
            ),
            open=open_matches,
        )
    if status is MentorStatus.inactive and open_matches:
        raise RuleViolation(
            "status",
            N_(
                "This mentor has %(open)s open matches. Close them before setting "
                "the status to Inactive."
            ),
            open=open_matches,
        )
    if status is MentorStatus.matched and not active_matches:
        raise RuleViolation(
            "status",
            N_(
                "A mentor becomes Matched when one of their matches is activated, and this "
                "mentor has no active match. Choose another status."
            ),
        )


def check_capacity_value(capacity: int) -> None:
    """Raise RuleViolation on ``capacity`` unless it is a whole number from 1 to 10."""
    if (
        isinstance(capacity, bool)
        or not isinstance(capacity, int)
        or not (MIN_CAPACITY <= capacity <= MAX_CAPACITY)
    ):
        raise RuleViolation(
            "capacity",
            N_("Enter a capacity from %(min)s to %(max)s open matches."),
            min=MIN_CAPACITY,
            max=MAX_CAPACITY,
        )


def check_screening_date(day: date | None, today: date, field: str) -> None:
    """Raise RuleViolation on ``field`` when the screening date ``day`` is after ``today``.

    ``field`` is a key of SCREENING_DATE_LABELS. An empty date passes, because a
    mentor in screening has not reached every step yet.
    """
    if day is not None and day > today:
        raise RuleViolation(
            field,
            N_("The %(label)s is in the future. Enter today's date or an earlier one."),
            label=SCREENING_DATE_LABELS[field],
        )


def check_grade_band(grade_min: int | None, grade_max: int | None) -> None:
    """Raise RuleViolation unless both ends of the preferred grades are from 1 to 12, lowest first.

    A missing or out-of-range end raises on its own field (``grade_band_min`` or
    ``grade_band_max``), and a reversed band raises on ``grade_band_max``.
    """
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
    """Raise RuleViolation on ``field`` when a cleared CORI or SORI check has no date cleared.

    Expiry counts from that date, so a cleared check without it could never count as valid.
    """
    if status is CheckStatus.cleared and cleared_on is None:
        raise RuleViolation(
            field,
            N_("Enter the date the check cleared. A cleared check needs it to count as valid."),
        )


def check_training_hours(hours: Decimal | None) -> None:
    """Raise RuleViolation on ``training_hours`` unless it is empty or from 0 to 9999.9."""
    if hours is not None and not Decimal(0) <= hours <= MAX_TRAINING_HOURS:
        raise RuleViolation(
            "training_hours",
            N_("Enter the training hours as a number from 0 to %(max)s."),
            max=MAX_TRAINING_HOURS,
        )
