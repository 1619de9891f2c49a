"""Match support check-ins: when the next one is due, and what a check-in may record.

Youth mentoring practice expects staff to contact each match often while it
settles in and regularly afterwards. Here a match has a check-in due 14 and 28
days after its start, then 30 days after the latest check-in.
"""

from __future__ import annotations

from datetime import date, timedelta

from app.rules.dates import check_date_in_range
from app.rules.errors import N_, RuleViolation
from app.rules.nomination import clean_text

FIRST_MONTH_DUE_DAYS = (14, 28)
"""Days after the start when the first two check-ins are due."""
LATER_INTERVAL_DAYS = 30
MAX_NOTES_LENGTH = 500


def next_check_in_due(start: date, count: int, latest: date | None) -> date:
    """Return the date the next check-in is due.

    ``count`` is the number of check-ins logged on the match and ``latest`` the date
    of the latest one. Check-ins made early in the first month still count, so a
    match with one check-in has the second due 28 days after the start.
    """
    if count < len(FIRST_MONTH_DUE_DAYS):
        return start + timedelta(days=FIRST_MONTH_DUE_DAYS[count])
    assert latest is not None, "a match with check-ins has a latest check-in date"
    return latest + timedelta(days=LATER_INTERVAL_DAYS)


def is_overdue(due: date, today: date) -> bool:
    """Return whether a check-in due on ``due`` is late: the due day has passed."""
    return due < today


def check_check_in_date(checked_on: date | None, *, match_start: date, today: date) -> None:
    """Raise RuleViolation on ``checked_on`` if it is missing, in the future or before the start."""
    if checked_on is None:
        raise RuleViolation("checked_on", N_("Enter the date of the check-in."))
    check_date_in_range(checked_on, "checked_on", N_("The check-in date"))
    if checked_on > today:
        raise RuleViolation(
            "checked_on", N_("The check-in date is in the future. Enter today or an earlier date.")
        )
    if checked_on < match_start:
        raise RuleViolation(
            "checked_on",
            N_("The check-in date is before the match started. Enter %(start)s or a later date."),
            start=match_start.isoformat(),
        )


def clean_check_in_notes(value: str | None) -> str | None:
    """Return the notes cleaned as ``clean_text`` does, at most 500 characters."""
    return clean_text(value, "notes", max_length=MAX_NOTES_LENGTH)
