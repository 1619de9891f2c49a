"""When check-ins fall due, and what a check-in date and notes may be."""

from __future__ import annotations

from datetime import date

import pytest

from app.rules.check_ins import (
    check_check_in_date,
    clean_check_in_notes,
    is_overdue,
    next_check_in_due,
)
from app.rules.errors import RuleViolation

START = date(2026, 9, 14)


@pytest.mark.parametrize(
    ("count", "latest", "due"),
    [
        (0, None, date(2026, 9, 28)),  # 14 days after the start
        (1, date(2026, 9, 20), date(2026, 10, 12)),  # 28 days after the start
        (1, date(2026, 10, 20), date(2026, 10, 12)),  # a late first one leaves the second due
        (2, date(2026, 10, 10), date(2026, 11, 9)),  # 30 days after the latest
        (5, date(2027, 1, 31), date(2027, 3, 2)),
    ],
)
def test_next_check_in_due(count, latest, due):
    assert next_check_in_due(START, count, latest) == due


def test_overdue_only_after_due_day():
    due = date(2026, 9, 28)
    assert not is_overdue(due, date(2026, 9, 27))
    assert not is_overdue(due, due)
    assert is_overdue(due, date(2026, 9, 29))


@pytest.mark.parametrize(
    ("checked_on", "message"),
    [
        (None, "Enter the date of the check-in."),
        (date(2026, 10, 2), "The check-in date is in the future"),
        (date(2026, 9, 13), "before the match started. Enter 2026-09-14"),
    ],
)
def test_check_in_date_rejected(checked_on, message):
    with pytest.raises(RuleViolation) as raised:
        check_check_in_date(checked_on, match_start=START, today=date(2026, 10, 1))
    assert raised.value.field == "checked_on"
    assert message in raised.value.render()


@pytest.mark.parametrize("checked_on", [START, date(2026, 10, 1)])
def test_check_in_date_accepted(checked_on):
    check_check_in_date(checked_on, match_start=START, today=date(2026, 10, 1))


def test_notes_limit_500_characters():
    assert clean_check_in_notes("x" * 500) == "x" * 500
    assert clean_check_in_notes("  ") is None
    with pytest.raises(RuleViolation) as raised:
        clean_check_in_notes("x" * 501)
    assert raised.value.field == "notes"
