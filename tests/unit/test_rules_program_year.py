"""Program-year checks, school weeks, and the year containing a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from app.rules.errors import RuleViolation
from app.rules.program_year import (
    YearSpan,
    check_break_week,
    check_year_days,
    clean_break_label,
    clean_year_name,
    school_weeks,
    year_containing,
)

FIRST = date(2026, 9, 8)
LAST = date(2027, 6, 17)
OTHER = [("2025-2026", date(2025, 9, 4), date(2026, 6, 16))]


@pytest.mark.parametrize(
    ("first", "last", "field", "message"),
    [
        (None, LAST, "first_day", "Enter the first day"),
        (FIRST, None, "last_day", "Enter the last day"),
        (FIRST, FIRST, "last_day", "must come after the first day"),
        (FIRST, date(2027, 10, 12), "last_day", "at most about 13 months (397 days)"),
        (date(2026, 6, 1), LAST, "first_day", "overlap the program year 2025-2026"),
    ],
)
def test_year_days_rejected(first, last, field, message):
    with pytest.raises(RuleViolation) as raised:
        check_year_days(first, last, OTHER)
    assert raised.value.field == field
    assert message in raised.value.render()


def test_year_days_accepted_next_to_other_year():
    check_year_days(date(2026, 6, 17), date(2027, 6, 17), OTHER)


@pytest.mark.parametrize(
    ("week", "message"),
    [
        (None, "Enter the Monday"),
        (date(2026, 11, 25), "(2026-11-23 for this date)"),
        (date(2027, 6, 21), "outside the program year"),
        (date(2026, 8, 31), "outside the program year"),
    ],
)
def test_break_week_rejected(week, message):
    with pytest.raises(RuleViolation) as raised:
        check_break_week(week, FIRST, LAST)
    assert raised.value.field == "week_start"
    assert message in raised.value.render()


@pytest.mark.parametrize("week", [date(2026, 9, 7), date(2027, 2, 15), date(2027, 6, 14)])
def test_break_week_accepted(week):
    check_break_week(week, FIRST, LAST)


def test_names_and_labels_cleaned():
    assert clean_year_name("  2026-2027 ") == "2026-2027"
    assert clean_break_label(" February vacation ") == "February vacation"
    with pytest.raises(RuleViolation):
        clean_year_name(" ")
    with pytest.raises(RuleViolation):
        clean_break_label("x" * 101)


def test_school_weeks_count():
    year = YearSpan(FIRST, LAST, frozenset({date(2027, 2, 15), date(2027, 4, 19)}))
    weeks = school_weeks(year)
    assert len(weeks) == 41 - 2
    assert weeks[0] == date(2026, 9, 7)
    assert weeks[-1] == date(2027, 6, 14)


@dataclass
class Year:
    first_day: date
    last_day: date


def test_year_containing():
    years = [Year(date(2025, 9, 4), date(2026, 6, 16)), Year(FIRST, LAST)]
    assert year_containing(date(2026, 9, 8), years) is years[1]
    assert year_containing(date(2026, 6, 16), years) is years[0]
    assert year_containing(date(2026, 7, 4), years) is None
