from datetime import date, time

import pytest

from app.rules.errors import RuleViolation
from app.rules.sessions import (
    MAX_TOPICS_LENGTH,
    check_duration,
    check_mentor_edit_window,
    check_session_date,
    check_start_time,
    clean_topics,
)

TODAY = date(2026, 3, 15)
MATCH_START = date(2025, 10, 1)


def assert_violation(excinfo, field, fragment):
    assert excinfo.value.field == field
    assert fragment in excinfo.value.render()


@pytest.mark.parametrize("minutes", [15, 60, 180])
def test_duration_allowed(minutes):
    check_duration(minutes)


@pytest.mark.parametrize(
    ("minutes", "fragment"),
    [
        (None, "Enter the session length in minutes"),
        (14, "from 15 to 180 minutes"),
        (181, "from 15 to 180 minutes"),
        (0, "from 15 to 180 minutes"),
        (-30, "from 15 to 180 minutes"),
        (True, "from 15 to 180 minutes"),
        (60.5, "from 15 to 180 minutes"),
        ("60", "from 15 to 180 minutes"),
    ],
)
def test_duration_rejected(minutes, fragment):
    with pytest.raises(RuleViolation) as excinfo:
        check_duration(minutes)
    assert_violation(excinfo, "duration_minutes", fragment)


@pytest.mark.parametrize(
    ("session_date", "closed_on"),
    [
        (TODAY, None),
        (MATCH_START, None),
        (date(2026, 1, 20), None),
        (date(2026, 2, 1), date(2026, 2, 1)),  # on the close date
        (MATCH_START, MATCH_START),
    ],
)
def test_session_date_allowed(session_date, closed_on):
    check_session_date(
        session_date, match_start=MATCH_START, match_closed_on=closed_on, today=TODAY
    )


@pytest.mark.parametrize(
    ("session_date", "closed_on", "fragment"),
    [
        (date(2026, 3, 16), None, "in the future"),
        (date(2025, 9, 30), None, "before the match started. Enter 2025-10-01"),
        (date(2026, 2, 2), date(2026, 2, 1), "after the match closed. Enter 2026-02-01"),
    ],
)
def test_session_date_rejected(session_date, closed_on, fragment):
    with pytest.raises(RuleViolation) as excinfo:
        check_session_date(
            session_date, match_start=MATCH_START, match_closed_on=closed_on, today=TODAY
        )
    assert_violation(excinfo, "session_date", fragment)


@pytest.mark.parametrize(
    ("session_date", "days"),
    [
        (TODAY, 14),
        (date(2026, 3, 1), 14),  # 14 days ago
        (date(2026, 3, 8), 7),  # 7 days ago with a 7-day window
        (date(2026, 3, 16), 14),  # a future date is left to check_session_date
    ],
)
def test_mentor_edit_window_open(session_date, days):
    check_mentor_edit_window(session_date, TODAY, days)


@pytest.mark.parametrize(
    ("session_date", "days", "fragment"),
    [
        (date(2026, 2, 28), 14, "up to 14 days after its date"),  # 15 days ago
        (date(2026, 3, 7), 7, "up to 7 days after its date"),  # 8 days ago
        (date(2025, 10, 1), 14, "Ask a coordinator"),
    ],
)
def test_mentor_edit_window_closed(session_date, days, fragment):
    with pytest.raises(RuleViolation) as excinfo:
        check_mentor_edit_window(session_date, TODAY, days)
    assert_violation(excinfo, "session_date", fragment)


def test_mentor_edit_window_default_is_14_days():
    check_mentor_edit_window(date(2026, 3, 1), TODAY)
    with pytest.raises(RuleViolation):
        check_mentor_edit_window(date(2026, 2, 28), TODAY)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("  fractions, word problems ", "fractions, word problems"),
        ("x" * MAX_TOPICS_LENGTH, "x" * MAX_TOPICS_LENGTH),
    ],
)
def test_topics_allowed(value, expected):
    assert clean_topics(value) == expected


def test_topics_too_long_rejected():
    with pytest.raises(RuleViolation) as excinfo:
        clean_topics("x" * (MAX_TOPICS_LENGTH + 1))
    assert_violation(excinfo, "topics", "at most 500 characters")


@pytest.mark.parametrize("start_time", [time(7, 0), time(16, 30), time(21, 30)])
def test_start_time_allowed(start_time):
    check_start_time(start_time)


@pytest.mark.parametrize(
    ("start_time", "fragment"),
    [
        (time(6, 55), "from 07:00 to 21:30"),
        (time(3, 0), "from 07:00 to 21:30"),
        (time(21, 35), "from 07:00 to 21:30"),
        (time(23, 59), "from 07:00 to 21:30"),
        (None, "Enter the start time"),
    ],
)
def test_start_time_rejected(start_time, fragment):
    with pytest.raises(RuleViolation) as excinfo:
        check_start_time(start_time)
    assert_violation(excinfo, "start_time", fragment)
