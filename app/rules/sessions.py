"""Rules for logged sessions: duration, date, start time, topics, and the mentor edit window."""

from __future__ import annotations

from datetime import date, time

from app.rules.errors import N_, RuleViolation
from app.rules.nomination import clean_text

MIN_MINUTES = 15
MAX_MINUTES = 180
MENTOR_EDIT_DAYS_DEFAULT = 14
MAX_TOPICS_LENGTH = 500
"""The width of the ``topics`` column."""
EARLIEST_START = time(7, 0)
LATEST_START = time(21, 30)
PROCTOR_PRESENT_HELP = "Counts only for a held session, never for a no-show or cancellation."
"""Help text of the proctor box. Forms and the API store the box as sent, whatever the
outcome, and every count of sessions without the proctor reads only held sessions."""


def check_duration(minutes: int | None) -> None:
    """Raise RuleViolation on ``duration_minutes`` unless it is a whole number from 15 to 180."""
    if minutes is None:
        raise RuleViolation("duration_minutes", N_("Enter the session length in minutes."))
    if (
        isinstance(minutes, bool)
        or not isinstance(minutes, int)
        or not (MIN_MINUTES <= minutes <= MAX_MINUTES)
    ):
        raise RuleViolation(
            "duration_minutes",
            N_("Enter a session length from %(min)s to %(max)s minutes."),
            min=MIN_MINUTES,
            max=MAX_MINUTES,
        )


def check_start_time(start_time: time | None) -> None:
    """Raise RuleViolation on ``start_time`` unless it is from 07:00 to 21:30 (Boston time).

    Both ends are allowed. The range is wider than the weekly slot's, because a
    session is sometimes moved to another time, but the students are children, so
    not into the night.
    """
    if start_time is None:
        raise RuleViolation("start_time", N_("Enter the start time of the session."))
    if not EARLIEST_START <= start_time.replace(tzinfo=None) <= LATEST_START:
        raise RuleViolation(
            "start_time",
            N_("Enter a start time from 07:00 to 21:30, such as 16:30."),
        )


def clean_topics(value: str | None) -> str | None:
    """Return the session's topics cleaned as ``clean_text`` does, at most 500 characters."""
    return clean_text(value, "topics", max_length=MAX_TOPICS_LENGTH)


def check_session_date(
    session_date: date, *, match_start: date, match_closed_on: date | None, today: date
) -> None:
    """Raise RuleViolation on ``session_date`` when the session could not have taken place.

    The date must not be after ``today``, before the match started, or after the
    match closed. A session on the start date or the close date is allowed.
    """
    if session_date > today:
        raise RuleViolation(
            "session_date",
            N_(
                "The session date is in the future. "
                "Log a session on or after the day it takes place."
            ),
        )
    if session_date < match_start:
        raise RuleViolation(
            "session_date",
            N_("The session date is before the match started. Enter %(start)s or a later date."),
            start=match_start.isoformat(),
        )
    if match_closed_on is not None and session_date > match_closed_on:
        raise RuleViolation(
            "session_date",
            N_("The session date is after the match closed. Enter %(closed)s or an earlier date."),
            closed=match_closed_on.isoformat(),
        )


def check_mentor_edit_window(
    session_date: date, today: date, days: int = MENTOR_EDIT_DAYS_DEFAULT
) -> None:
    """Raise RuleViolation on ``session_date`` when a mentor may no longer add or edit it.

    Mentors may add or edit a session up to ``days`` days after its date, so with 14
    days a session from 1 March stays open through 15 March. Coordinators are not
    limited, so callers skip this check for them.
    """
    if (today - session_date).days > days:
        raise RuleViolation(
            "session_date",
            N_(
                "Mentors can add or change a session only up to %(days)s days after its "
                "date. Ask a coordinator to make this change."
            ),
            days=days,
        )
