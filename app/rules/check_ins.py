"""Match support check-ins: when the next one is due, and what a check-in may record.

Staff contact each match often while it settles in and monthly afterwards. A
match has a check-in due 14 and 28 days after its start, then 30 days after the
latest check-in, and a late check-in moves the next one later (see
``next_check_in_due``).

Check-ins are logged on active matches, and on closed matches up to the close
date (a last contact about the closing). A proposed match has not started, so it
takes none.
"""

from __future__ import annotations

from datetime import date, timedelta

from app.rules.choices import MatchStatus
from app.rules.dates import check_date_in_range
from app.rules.errors import N_, RuleViolation
from app.rules.nomination import clean_text

FIRST_MONTH_DUE_DAYS = (14, 28)
"""Days after the start when the first two check-ins are due."""
FIRST_MONTH_INTERVAL_DAYS = 14
"""Days from the first check-in to the second at the least, however late the first came."""
LATER_INTERVAL_DAYS = 30
MAX_NOTES_LENGTH = 500


def next_check_in_due(start: date, count: int, latest: date | None) -> date:
    """Return the date the next check-in is due.

    ``count`` is the number of check-ins logged on the match and ``latest`` the date
    of the latest one. The first is due 14 days after the start. The second is due
    on the later of day 28 and 14 days after the first. So an early first check-in
    leaves it on day 28, and a late one (on day 35, say) moves it to day 49 rather
    than leaving the match overdue at once. From the third on, each is due 30 days
    after the latest.
    """
    if count == 0:
        return start + timedelta(days=FIRST_MONTH_DUE_DAYS[0])
    assert latest is not None, "a match with check-ins has a latest check-in date"
    if count < len(FIRST_MONTH_DUE_DAYS):
        scheduled = start + timedelta(days=FIRST_MONTH_DUE_DAYS[count])
        return max(scheduled, latest + timedelta(days=FIRST_MONTH_INTERVAL_DAYS))
    return latest + timedelta(days=LATER_INTERVAL_DAYS)


def is_overdue(due: date, today: date) -> bool:
    """Return whether a check-in due on ``due`` is late: the due day has passed."""
    return due < today


def check_check_in_match(status: MatchStatus) -> None:
    """Raise RuleViolation on ``match`` unless the match is active or closed."""
    if status is MatchStatus.proposed:
        raise RuleViolation(
            "match",
            N_("This match is proposed and has not started. Log check-ins once it is active."),
        )


def check_check_in_date(
    checked_on: date | None, *, match_start: date, today: date, closed_on: date | None = None
) -> None:
    """Raise RuleViolation on ``checked_on`` unless it is a date from the match's start to today.

    ``closed_on`` is the close date of a closed match, which becomes the latest date allowed.
    """
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
    if closed_on is not None and checked_on > closed_on:
        raise RuleViolation(
            "checked_on",
            N_("The match closed on %(closed)s. Enter that date or an earlier one."),
            closed=closed_on.isoformat(),
        )


def clean_check_in_notes(value: str | None) -> str | None:
    """Return the notes cleaned as ``clean_text`` does, at most 500 characters."""
    return clean_text(value, "notes", max_length=MAX_NOTES_LENGTH)
