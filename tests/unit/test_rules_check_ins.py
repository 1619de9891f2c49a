"""When check-ins fall due, and what a check-in date and notes may be."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.rules.check_ins import (
    check_check_in_date,
    check_check_in_match,
    clean_check_in_notes,
    is_overdue,
    next_check_in_due,
)
from app.rules.choices import MatchStatus
from app.rules.errors import RuleViolation

START = date(2026, 9, 14)


@pytest.mark.parametrize(
    ("count", "latest", "due"),
    [
        (0, None, date(2026, 9, 28)),  # 14 days after the start
        (1, date(2026, 9, 20), date(2026, 10, 12)),  # 28 days after the start
        (1, date(2026, 9, 27), date(2026, 10, 12)),  # day 13: still day 28
        (1, date(2026, 9, 28), date(2026, 10, 12)),  # day 14: day 28 and first + 14 agree
        (1, date(2026, 9, 29), date(2026, 10, 13)),  # day 15: 14 days after the first
        (1, date(2026, 10, 19), date(2026, 11, 2)),  # day 35, late: second due on day 49
        (2, date(2026, 10, 10), date(2026, 11, 9)),  # 30 days after the latest
        (2, date(2026, 9, 15), date(2026, 10, 15)),  # two early ones: 30 days after the latest
        (5, date(2027, 1, 31), date(2027, 3, 2)),
    ],
)
def test_next_check_in_due(count, latest, due):
    assert next_check_in_due(START, count, latest) == due


def test_late_check_in_resets_overdue():
    latest = date(2026, 10, 19)
    due = next_check_in_due(START, 1, latest)
    assert not is_overdue(due, latest + timedelta(days=1))


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


def test_check_in_rejected_on_proposed_match():
    with pytest.raises(RuleViolation) as raised:
        check_check_in_match(MatchStatus.proposed)
    assert raised.value.field == "match"
    assert "proposed and has not started" in raised.value.render()


@pytest.mark.parametrize("status", [MatchStatus.active, MatchStatus.closed])
def test_check_in_accepted_on_started_match(status):
    check_check_in_match(status)


def test_check_in_after_close_date_rejected():
    with pytest.raises(RuleViolation) as raised:
        check_check_in_date(
            date(2026, 9, 21),
            match_start=START,
            today=date(2026, 10, 1),
            closed_on=date(2026, 9, 20),
        )
    assert raised.value.field == "checked_on"
    assert "The match closed on 2026-09-20" in raised.value.render()


def test_check_in_on_close_date_accepted():
    check_check_in_date(
        date(2026, 9, 20), match_start=START, today=date(2026, 10, 1), closed_on=date(2026, 9, 20)
    )
