"""Rules for matches: the Google Meet link, start date, weekly slot and closing."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, time

from app.rules.choices import CloseReason, MatchStatus, Need, Weekday
from app.rules.errors import N_, RuleViolation
from app.rules.nomination import clean_codes
from app.rules.timezone import add_years

MEET_LINK_PATTERN = re.compile(r"\Ahttps://meet\.google\.com/[a-z]{3}-[a-z]{4}-[a-z]{3}\Z")
"""A Google Meet link such as https://meet.google.com/abc-defg-hij, with no query string."""

START_DATE_RANGE_YEARS = 1
SCHOOL_DAY_EARLIEST_SLOT = time(14, 30)
"""The earliest weekly slot from Monday to Friday, after the BPS school day ends."""
WEEKEND_EARLIEST_SLOT = time(9, 0)
LATEST_SLOT = time(20, 30)
"""The latest weekly slot start, so that a one-hour session ends by 21:30."""
SLOT_MINUTE_STEP = 5
SLOT_SPACING_MINUTES = 60
"""Two open matches of one mentor on the same weekday start at least this far apart."""
WEEKEND = (Weekday.sat, Weekday.sun)


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
    """Raise RuleViolation unless the weekly slot starts outside school hours on a 5-minute step.

    Sessions take place outside school hours: from 14:30 to 20:30 Monday to Friday
    and from 09:00 to 20:30 on Saturday and Sunday, both ends allowed. The rule does
    not know school holidays. A missing weekday raises on ``slot_weekday``, and a bad
    time on ``slot_time``.
    """
    if not isinstance(weekday, Weekday):
        raise RuleViolation("slot_weekday", N_("Choose the weekday of the weekly meeting."))
    on_step = (
        start_time.minute % SLOT_MINUTE_STEP == 0
        and start_time.second == 0
        and start_time.microsecond == 0
    )
    earliest = WEEKEND_EARLIEST_SLOT if weekday in WEEKEND else SCHOOL_DAY_EARLIEST_SLOT
    if not earliest <= start_time.replace(tzinfo=None) <= LATEST_SLOT or not on_step:
        raise RuleViolation(
            "slot_time",
            N_(
                "Enter a meeting time outside school hours, in steps of 5 minutes: from "
                "14:30 to 20:30 Monday to Friday, or from 09:00 to 20:30 on weekends."
            ),
        )


def check_slot_free(
    weekday: Weekday, start_time: time, other_slots: Iterable[tuple[Weekday, time]]
) -> None:
    """Raise RuleViolation on ``slot_time`` when the slot overlaps one the mentor already has.

    ``other_slots`` contains the weekday and time of the mentor's other open matches. Slots on
    the same weekday overlap when their start times are less than 60 minutes apart,
    so back-to-back one-hour sessions (16:00 and 17:00) are allowed.
    """
    minutes = start_time.hour * 60 + start_time.minute
    for other_weekday, other_time in other_slots:
        other_minutes = other_time.hour * 60 + other_time.minute
        if other_weekday == weekday and abs(minutes - other_minutes) < SLOT_SPACING_MINUTES:
            raise RuleViolation(
                "slot_time",
                N_(
                    "This mentor already meets another student on %(weekday)s at %(time)s. "
                    "Choose a time at least 60 minutes apart or another weekday."
                ),
                weekday=weekday.value,
                time=other_time.strftime("%H:%M"),
            )


def clean_subjects(subjects: list[str] | None) -> list[str]:
    """Return the match's subject codes checked against ``Need``, at least one required.

    Raises RuleViolation on ``subjects`` when none is given or a code is unknown.
    """
    codes = clean_codes(subjects or [], Need.codes(), "subjects")
    if not codes:
        raise RuleViolation("subjects", N_("Choose at least one subject in focus for this match."))
    return codes


def clean_meeting_details(
    status: MatchStatus,
    weekday: Weekday,
    start_time: time,
    meet_link: str | None,
    subjects: list[str] | None,
) -> tuple[str, list[str]]:
    """Check a change to the weekly meeting of a match and return the cleaned link and subjects.

    Raises RuleViolation on ``status`` for a closed match, whose record stays as it
    was when it closed. Otherwise the slot, the link and the subjects get the checks
    of ``check_slot``, ``clean_meet_link`` and ``clean_subjects``. Whether the slot
    overlaps the mentor's other matches needs the database, so callers check that
    with ``check_slot_free``.
    """
    if status is MatchStatus.closed:
        raise RuleViolation("status", N_("A closed match cannot be changed."))
    check_slot(weekday, start_time)
    return clean_meet_link(meet_link), clean_subjects(subjects)


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
    (``closed_on``). A match whose start date is still in the future never started,
    so it closes on its start date, the one future date allowed: the database
    requires a close date on or after the start. A reason is required
    (``close_reason``), and the reason "other" needs a note (``close_note``).
    """
    if start > today and closed_on != start:
        raise RuleViolation(
            "closed_on",
            N_("This match has not started yet, so it closes on its start date. Enter %(start)s."),
            start=start.isoformat(),
        )
    if closed_on < start:
        raise RuleViolation(
            "closed_on",
            N_("The close date is before the match started. Enter %(start)s or a later date."),
            start=start.isoformat(),
        )
    if closed_on > max(today, start):
        raise RuleViolation(
            "closed_on",
            N_("The close date is in the future. Enter today's date or an earlier one."),
        )
    if not isinstance(reason, CloseReason):
        raise RuleViolation("close_reason", N_("Choose the reason for closing the match."))
    if reason is CloseReason.other and not (note or "").strip():
        raise RuleViolation("close_note", N_("Describe in the note why the match is closing."))


def default_close_date(start: date, today: date) -> date:
    """Return the date a close form starts with: today, or the start date when that is later."""
    return max(start, today)
