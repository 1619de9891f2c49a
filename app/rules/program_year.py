"""Program years: their checks, their school weeks, and which year contains a day.

A program year is the school year as BPS publishes it (first and last day of
school) plus the weeks without school. A school week runs Monday to Sunday and
counts when it overlaps the year and is not a week without school, so the first
and last week may be partial.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, TypeVar

from app.rules.dates import check_date_in_range
from app.rules.errors import N_, RuleViolation
from app.rules.timezone import week_start

MAX_YEAR_DAYS = 397
"""About 13 months: a school year with its summer session fits, two school years do not."""
MAX_NAME_LENGTH = 100
MAX_LABEL_LENGTH = 100


@dataclass(frozen=True)
class YearSpan:
    """The days of a program year and its weeks without school (their Mondays).

    ``id`` is the stored program year's id, or None for a span that is not stored.
    """

    first_day: date
    last_day: date
    break_weeks: frozenset[date] = frozenset()
    id: int | None = None

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


def check_year_days(
    first_day: date | None,
    last_day: date | None,
    other_years: Iterable[tuple[str, date, date]] = (),
) -> None:
    """Raise RuleViolation unless the year's days are in order, short enough and overlap no year.

    ``other_years`` contains (name, first day, last day) of every other stored year.
    """
    if first_day is None:
        raise RuleViolation("first_day", N_("Enter the first day of school."))
    if last_day is None:
        raise RuleViolation("last_day", N_("Enter the last day of school."))
    check_date_in_range(first_day, "first_day", N_("The first day of school"))
    check_date_in_range(last_day, "last_day", N_("The last day of school"))
    if last_day <= first_day:
        raise RuleViolation(
            "last_day", N_("The last day must come after the first day of the program year.")
        )
    if (last_day - first_day).days > MAX_YEAR_DAYS:
        raise RuleViolation(
            "last_day",
            N_("A program year lasts at most about 13 months (%(days)s days). Check both dates."),
            days=MAX_YEAR_DAYS,
        )
    for name, other_first, other_last in other_years:
        if first_day <= other_last and other_first <= last_day:
            raise RuleViolation(
                "first_day",
                N_("These dates overlap the program year %(name)s (%(first)s to %(last)s)."),
                name=name,
                first=other_first.isoformat(),
                last=other_last.isoformat(),
            )


def clean_year_name(value: str | None) -> str:
    """Return the year's name stripped, or raise RuleViolation on ``name`` if empty or too long."""
    name = (value or "").strip()
    if not name:
        raise RuleViolation("name", N_("Enter a name for the program year, such as 2026-2027."))
    if len(name) > MAX_NAME_LENGTH:
        raise RuleViolation("name", N_("Keep the name to %(max)s characters."), max=MAX_NAME_LENGTH)
    return name


def check_break_week(week: date | None, first_day: date, last_day: date) -> None:
    """Raise RuleViolation on ``week_start`` unless it is a Monday of a week inside the year."""
    if week is None:
        raise RuleViolation("week_start", N_("Enter the Monday of the week without school."))
    check_date_in_range(week, "week_start", N_("The week's Monday"))
    if week.weekday() != 0:
        raise RuleViolation(
            "week_start",
            N_("Enter the Monday of the week without school (%(monday)s for this date)."),
            monday=week_start(week).isoformat(),
        )
    if week + timedelta(days=6) < first_day or week > last_day:
        raise RuleViolation(
            "week_start",
            N_("This week is outside the program year (%(first)s to %(last)s)."),
            first=first_day.isoformat(),
            last=last_day.isoformat(),
        )


def clean_break_label(value: str | None) -> str:
    """Return the label stripped, or raise RuleViolation on ``label`` if empty or too long."""
    label = (value or "").strip()
    if not label:
        raise RuleViolation("label", N_("Enter a label, such as February vacation."))
    if len(label) > MAX_LABEL_LENGTH:
        raise RuleViolation(
            "label", N_("Keep the label to %(max)s characters."), max=MAX_LABEL_LENGTH
        )
    return label


def school_weeks(year: YearSpan) -> list[date]:
    """Return the Mondays of the year's school weeks, in order.

    Every Monday-to-Sunday week that overlaps the year counts, except the weeks
    without school.
    """
    weeks = []
    monday = week_start(year.first_day)
    while monday <= year.last_day:
        if monday not in year.break_weeks:
            weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


class HasDays(Protocol):
    first_day: date
    last_day: date


YearT = TypeVar("YearT", bound=HasDays)


def year_containing(day: date, years: Iterable[YearT]) -> YearT | None:
    """Return the year of ``years`` whose first and last day enclose ``day``, or None.

    Stored years never overlap, so at most one matches.
    """
    for year in years:
        if year.first_day <= day <= year.last_day:
            return year
    return None
