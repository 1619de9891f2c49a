"""The calendar invitation (RFC 5545) attached to the match-activated message for staff.

The event repeats weekly at the match's slot in America/New_York from the first
slot on or after the start date until the end of the program year, and leaves out
the weeks without school (EXDATE). It names the student by first name only and
carries no family data.

When the match closes, the mentor and the proctor get the same event (same UID)
with a higher SEQUENCE and UNTIL moved to the close date. The sessions up to the
close then stay in their calendars, and the later ones disappear. A match closed
before its first session gets ``METHOD:CANCEL`` with ``STATUS:CANCELLED`` instead.
"""

from __future__ import annotations

import datetime as dt
import re

from icalendar import Calendar, Event, vRecur

from app.rules.choices import Weekday
from app.rules.timezone import PROGRAM_TZ, school_year_start

SESSION_MINUTES = 60
"""Length of the calendar event: the program's weekly minimum of one hour."""
ACTIVATED_SEQUENCE = 0
CLOSED_SEQUENCE = 1
"""SEQUENCE of the invitation sent at activation and of the update sent at closing."""

_METHOD_LINE = re.compile(r"^METHOD:([A-Za-z-]+)\r?$", re.MULTILINE)

_RRULE_DAYS = {
    Weekday.mon: "MO",
    Weekday.tue: "TU",
    Weekday.wed: "WE",
    Weekday.thu: "TH",
    Weekday.fri: "FR",
    Weekday.sat: "SA",
    Weekday.sun: "SU",
}


def program_year_end(start_date: dt.date) -> dt.date:
    """Return 30 June of the school year of ``start_date`` (school years start on 1 July).

    The invitation ends there when no stored program year contains or follows the
    start date.
    """
    return dt.date(school_year_start(start_date).year + 1, 6, 30)


def first_session_date(start_date: dt.date, weekday: Weekday) -> dt.date:
    """Return the first date on or after ``start_date`` that falls on ``weekday``."""
    offset = (list(Weekday).index(weekday) - start_date.weekday()) % 7
    return start_date + dt.timedelta(days=offset)


def series_last_date(
    start_date: dt.date, weekday: Weekday, year_end: dt.date | None = None
) -> dt.date:
    """Return the last day of the weekly series announced when a match is activated.

    That is ``year_end`` (default: ``program_year_end``), or the first session itself
    when it falls after that end (a start date in the year's last days). The
    invitation then contains that one session, so its recurrence is never empty.
    """
    year_end = year_end or program_year_end(start_date)
    return max(year_end, first_session_date(start_date, weekday))


def build_invitation(
    *,
    match_id: int,
    domain: str,
    start_date: dt.date,
    weekday: Weekday,
    slot_time: dt.time,
    meet_link: str,
    summary: str,
    now: dt.datetime,
    last_date: dt.date | None = None,
    year_end: dt.date | None = None,
    skipped_weeks: frozenset[dt.date] = frozenset(),
    sequence: int = ACTIVATED_SEQUENCE,
) -> str:
    """Return the .ics text of the weekly sessions of match ``match_id``.

    The series runs from the first slot on or after ``start_date`` to the end of
    ``last_date`` (default: ``series_last_date`` with ``year_end``), without the
    sessions in ``skipped_weeks`` (the Mondays of weeks without school). The UID depends only on the
    match and ``domain``, so calendars update the same event when a later message
    carries a higher ``sequence``. UNTIL is given in UTC, as RFC 5545 requires when
    DTSTART carries a TZID. When no session falls on or before ``last_date`` (a
    match closed before its first session), the result is a ``METHOD:CANCEL`` of
    the whole event with ``STATUS:CANCELLED``.
    """
    first_day = first_session_date(start_date, weekday)
    last_date = last_date or series_last_date(start_date, weekday, year_end)
    cancelled = first_day > last_date
    starts = dt.datetime.combine(first_day, slot_time, tzinfo=PROGRAM_TZ)
    last_moment = dt.datetime.combine(max(last_date, first_day), dt.time(23, 59, 59))
    until = last_moment.replace(tzinfo=PROGRAM_TZ).astimezone(dt.UTC)

    event = Event()
    event.add("uid", f"ils-match-{match_id}@{domain}")
    event.add("sequence", sequence)
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", starts)
    event.add("dtend", starts + dt.timedelta(minutes=SESSION_MINUTES))
    event.add("rrule", vRecur(freq="WEEKLY", byday=_RRULE_DAYS[weekday], until=until))
    offset = dt.timedelta(days=first_day.weekday())
    skipped = sorted(
        dt.datetime.combine(monday + offset, slot_time, tzinfo=PROGRAM_TZ)
        for monday in skipped_weeks
        if first_day <= monday + offset <= last_date
    )
    if skipped and not cancelled:
        event.add("exdate", skipped)
    event.add("summary", summary)
    event.add("location", meet_link)
    event.add("url", meet_link)
    event.add("description", f"Google Meet: {meet_link}")
    if cancelled:
        event.add("status", "CANCELLED")

    calendar = Calendar()
    calendar.add("prodid", f"-//ILS Mentoring//{domain}//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(event)
    # The VTIMEZONE covers the year before the first session to the year after the last.
    calendar.add_missing_timezones(
        first_date=dt.date(first_day.year - 1, 1, 1),
        last_date=dt.date(until.year + 1, 12, 31),
    )
    return calendar.to_ical().decode("utf-8")


def calendar_method(ics: str) -> str:
    """Return the METHOD of an .ics text (``PUBLISH`` or ``CANCEL``), PUBLISH when absent."""
    found = _METHOD_LINE.search(ics)
    return found.group(1).upper() if found else "PUBLISH"
