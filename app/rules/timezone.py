"""Calendar rules in the program's time zone: today, ages, school years and school weeks.

The program runs in Boston, so "today", ages and session dates are judged in
America/New_York, never in UTC or the server's zone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

PROGRAM_TZ = ZoneInfo("America/New_York")

SCHOOL_YEAR_FIRST_MONTH = 7
"""July: from 1 July on, the school year starting on the coming 1 September is current."""


def program_today(now: datetime) -> date:
    """Return the calendar date in Boston at the moment ``now``.

    Raises ValueError when ``now`` is naive, because a naive time could be in any zone.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"program_today needs a timezone-aware datetime, got {now!r}")
    return now.astimezone(PROGRAM_TZ).date()


def age_on(birth: date, on: date) -> int:
    """Return the age in whole years on the day ``on``.

    Someone born on 29 February turns a year older on 1 March in common years. The
    result is negative when ``on`` is before ``birth``.
    """
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def add_years(day: date, years: int) -> date:
    """Return the same month and day ``years`` later (earlier when negative).

    29 February becomes 28 February, the last day of February, in a common year.
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def school_year_start(today: date) -> date:
    """Return 1 September of the current school year.

    A school year counts from 1 July to 30 June. From 1 July on, the current school
    year is the one that starts on the coming 1 September, so July and August already
    belong to it. Before 1 July, it is the one that started on the previous 1 September.
    """
    if today.month >= SCHOOL_YEAR_FIRST_MONTH:
        return date(today.year, 9, 1)
    return date(today.year - 1, 9, 1)


def week_start(day: date) -> date:
    """Return the Monday of the school week, Monday to Sunday, that contains ``day``."""
    return day - timedelta(days=day.weekday())
