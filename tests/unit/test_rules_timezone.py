from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.rules.timezone import (
    PROGRAM_TZ,
    add_years,
    age_on,
    program_today,
    school_year_start,
    week_start,
)

UTC = UTC


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Eastern Standard Time is UTC-5: 04:30Z is still 23:30 the evening before.
        (datetime(2026, 3, 1, 4, 30, tzinfo=UTC), date(2026, 2, 28)),
        (datetime(2026, 3, 1, 4, 59, 59, tzinfo=UTC), date(2026, 2, 28)),
        (datetime(2026, 3, 1, 5, 0, tzinfo=UTC), date(2026, 3, 1)),
        # Eastern Daylight Time is UTC-4.
        (datetime(2026, 7, 1, 3, 59, tzinfo=UTC), date(2026, 6, 30)),
        (datetime(2026, 7, 1, 4, 0, tzinfo=UTC), date(2026, 7, 1)),
        # New Year in UTC is still 31 December in Boston.
        (datetime(2027, 1, 1, 2, 0, tzinfo=UTC), date(2026, 12, 31)),
        (datetime(2026, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=9))), date(2026, 2, 28)),
        (datetime(2026, 3, 1, 0, 0, tzinfo=PROGRAM_TZ), date(2026, 3, 1)),
    ],
)
def test_program_today_uses_boston_date(now, expected):
    assert program_today(now) == expected


def test_program_today_rejects_naive_datetime():
    with pytest.raises(ValueError, match="timezone-aware"):
        program_today(datetime(2026, 3, 1, 4, 30))


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        (date(2008, 5, 10), date(2026, 5, 9), 17),
        (date(2008, 5, 10), date(2026, 5, 10), 18),
        (date(2008, 5, 10), date(2026, 5, 11), 18),
        (date(2008, 12, 31), date(2026, 1, 1), 17),
        # Born 29 February: a year older on 1 March in common years.
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        # In leap years, on 29 February itself.
        (date(2008, 2, 29), date(2028, 2, 28), 19),
        (date(2008, 2, 29), date(2028, 2, 29), 20),
        (date(2008, 5, 10), date(2008, 5, 10), 0),
        (date(2008, 5, 10), date(2008, 5, 9), -1),
    ],
)
def test_age_on(birth, on, expected):
    assert age_on(birth, on) == expected


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2023, 3, 15), 3, date(2026, 3, 15)),
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2024, 2, 29), -1, date(2023, 2, 28)),
        (date(2026, 2, 28), -2, date(2024, 2, 28)),
    ],
)
def test_add_years(day, years, expected):
    assert add_years(day, years) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 1, 15), date(2025, 9, 1)),
        (date(2026, 6, 30), date(2025, 9, 1)),
        # July and August already belong to the school year starting that September.
        (date(2026, 7, 1), date(2026, 9, 1)),
        (date(2026, 8, 31), date(2026, 9, 1)),
        (date(2026, 9, 1), date(2026, 9, 1)),
        (date(2026, 12, 31), date(2026, 9, 1)),
    ],
)
def test_school_year_start(today, expected):
    assert school_year_start(today) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 2), date(2026, 3, 2)),  # Monday
        (date(2026, 3, 4), date(2026, 3, 2)),  # Wednesday
        (date(2026, 3, 8), date(2026, 3, 2)),  # Sunday
        (date(2026, 3, 9), date(2026, 3, 9)),  # next Monday
        (date(2027, 1, 1), date(2026, 12, 28)),  # Friday after New Year
    ],
)
def test_week_start_is_monday(day, expected):
    assert week_start(day) == expected
