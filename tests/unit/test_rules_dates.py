"""The accepted date range shared by program years, weeks without school and check-ins."""

from __future__ import annotations

from datetime import date

import pytest

from app.rules.check_ins import check_check_in_date
from app.rules.dates import check_date_in_range
from app.rules.errors import RuleViolation
from app.rules.program_year import check_break_week, check_year_days


@pytest.mark.parametrize("day", [date(2000, 1, 1), date(2100, 12, 31)])
def test_range_accepts_its_bounds(day):
    check_date_in_range(day, "first_day", "The first day")


@pytest.mark.parametrize("day", [date(1999, 12, 31), date(2101, 1, 1), date.max, date.min])
def test_range_rejects_outside(day):
    with pytest.raises(RuleViolation) as raised:
        check_date_in_range(day, "first_day", "The first day")
    assert raised.value.field == "first_day"
    assert f"The first day must be between 2000-01-01 and 2100-12-31. {day}" in (
        raised.value.render()
    )


def test_year_days_rejects_year_9999():
    with pytest.raises(RuleViolation) as raised:
        check_year_days(date(9999, 1, 4), date(9999, 12, 31))
    assert raised.value.field == "first_day"


def test_break_week_rejects_last_monday_of_9999():
    with pytest.raises(RuleViolation) as raised:
        check_break_week(date(9999, 12, 27), date(9999, 1, 4), date(9999, 12, 31))
    assert raised.value.field == "week_start"


def test_check_in_date_rejects_year_1():
    with pytest.raises(RuleViolation) as raised:
        check_check_in_date(date(1, 1, 1), match_start=date(1, 1, 1), today=date(2027, 1, 4))
    assert raised.value.field == "checked_on"
    assert "The check-in date must be between" in raised.value.render()
