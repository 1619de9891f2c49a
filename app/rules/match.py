"""Rules for matches: the Google Meet link, start date, weekly slot and closing."""

from __future__ import annotations

import re
from datetime import date, time

from app.rules.choices import CloseReason, MatchStatus, Weekday
from app.rules.errors import N_, RuleViolation
from app.rules.timezone import add_years

MEET_LINK_PATTERN = re.compile(r"\Ahttps://meet\.google\.com/[a-z]{3}-[a-z]{4}-[a-z]{3}\Z")
"""A Google Meet link such as https://meet.google.com/abc-defg-hij, with no query string."""

START_DATE_RANGE_YEARS = 1
EARLIEST_SLOT = time(7, 0)
LATEST_SLOT = time(21, 0)
SLOT_MINUTE_STEP = 5


def clean_meet_link(value: str | None) -> str:
    """Return the Google Meet link stripped of surrounding whitespace.

    Raises RuleViolation on ``meet_link`` when it is missing or does not match
    MEET_LINK_PATTERN. Capital letters are rejected, not lowered, because Google
    Meet shows its codes in lower case.
    """
    link = (value or "").strip()
    if not link:
        raise RuleViolation("meet_link", N_("Enter the Google Meet link for this match."))
    if not MEET_LINK_PATTERN.match(link):
        raise RuleViolation(
            "meet_link",
            N_(
                "Enter the Google Meet link in the form https://meet.google.com/abc-defg-hij, "
                "with lower-case letters and nothing after the code."
            ),
        )
    return link


def check_start_date(start: date, today: date) -> None:
    """Raise RuleViolation on ``start_date`` unless it is within one year of ``today``.

    Exactly one year before or after ``today`` is allowed.
    """
    earliest = add_years(today, -START_DATE_RANGE_YEARS)
    latest = add_years(today, START_DATE_RANGE_YEARS)
    if start < earliest:
        raise RuleViolation(
            "start_date",
            N_("The start date is more than a year ago. Enter a date on or after %(earliest)s."),
            earliest=earliest.isoformat(),
        )
    if start > latest:
        raise RuleViolation(
            "start_date",
            N_("The start date is more than a year ahead. Enter a date on or before %(latest)s."),
            latest=latest.isoformat(),
        )


def check_slot(weekday: Weekday, start_time: time) -> None:
    """Raise RuleViolation unless the weekly slot starts from 07:00 to 21:00 on a 5-minute step.

    Both ends are allowed. Sessions are meant to be outside school hours, but this
    check only keeps the time sensible and does not enforce that. A missing weekday
    raises on ``slot_weekday``, and a bad time on ``slot_time``.
    """
    if not isinstance(weekday, Weekday):
        raise RuleViolation("slot_weekday", N_("Choose the weekday of the weekly meeting."))
    on_step = (
        start_time.minute % SLOT_MINUTE_STEP == 0
        and start_time.second == 0
        and start_time.microsecond == 0
    )
    if not EARLIEST_SLOT <= start_time.replace(tzinfo=None) <= LATEST_SLOT or not on_step:
        raise RuleViolation(
            "slot_time",
            N_("Enter a meeting time from 07:00 to 21:00 in steps of 5 minutes, such as 16:30."),
        )


def clean_meeting_details(
    status: MatchStatus, weekday: Weekday, start_time: time, meet_link: str | None
) -> str:
    """Check a change to the weekly meeting of a match and return the cleaned Meet link.

    Raises RuleViolation on ``status`` for a closed match, whose record stays as it
    was when it closed. Otherwise the slot and the link get the checks of
    ``check_slot`` and ``clean_meet_link``.
    """
    if status is MatchStatus.closed:
        raise RuleViolation("status", N_("A closed match cannot be changed."))
    check_slot(weekday, start_time)
    return clean_meet_link(meet_link)


def check_close(
    *,
    start: date,
    closed_on: date,
    reason: CloseReason | None,
    note: str | None,
    today: date,
) -> None:
    """Raise RuleViolation when a match cannot close as given.

    The close date must be on or after the start and not after ``today``
    (``closed_on``). A reason is required (``close_reason``), and the reason
    "other" needs a note (``close_note``).
    """
    if closed_on < start:
        raise RuleViolation(
            "closed_on",
            N_("The close date is before the match started. Enter %(start)s or a later date."),
            start=start.isoformat(),
        )
    if closed_on > today:
        raise RuleViolation(
            "closed_on",
            N_("The close date is in the future. Enter today's date or an earlier one."),
        )
    if not isinstance(reason, CloseReason):
        raise RuleViolation("close_reason", N_("Choose the reason for closing the match."))
    if reason is CloseReason.other and not (note or "").strip():
        raise RuleViolation("close_note", N_("Describe in the note why the match is closing."))
