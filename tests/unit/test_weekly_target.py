"""The weekly target on fixed dates, and the stored facts against the week-by-week rules."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from app.rules.program_year import YearSpan, school_weeks
from app.rules.timezone import week_start
from app.rules.weekly_target import (
    MatchDays,
    WeekResult,
    held_minutes_by_week,
    judge_week,
    summarize_facts,
    summarize_match,
    target_facts,
    week_results,
    weeks_ended_before,
)

# 2026-2027: Tuesday 8 September 2026 to Thursday 17 June 2027, February vacation
# in the week of Monday 15 February 2027.
FEBRUARY_BREAK = date(2027, 2, 15)
YEAR = YearSpan(date(2026, 9, 8), date(2027, 6, 17), frozenset({FEBRUARY_BREAK}))
LATE = date(2027, 8, 1)
"""A "today" after the year, so every week is over."""


def held(*sessions: tuple[date, int]) -> dict[date, int]:
    return held_minutes_by_week([(day, minutes, True) for day, minutes in sessions], YEAR)


def test_school_weeks_breaks_and_partial_ends():
    weeks = school_weeks(YEAR)
    assert weeks[0] == date(2026, 9, 7)
    assert weeks[-1] == date(2027, 6, 14)
    assert FEBRUARY_BREAK not in weeks
    assert all(monday.weekday() == 0 for monday in weeks)


def test_week_without_school_not_counted():
    match = MatchDays(date(2026, 9, 8))
    minutes = held((date(2027, 2, 16), 60))
    assert judge_week(FEBRUARY_BREAK, 0, YEAR, match, LATE) is WeekResult.not_counted
    assert judge_week(FEBRUARY_BREAK, 60, YEAR, match, LATE) is WeekResult.not_counted
    assert FEBRUARY_BREAK not in week_results(minutes, YEAR, match, LATE)


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(0, WeekResult.not_counted), (45, WeekResult.not_counted), (60, WeekResult.on_target)],
)
def test_match_starting_midweek(minutes, expected):
    # Starts Wednesday 4 November 2026: that week is partial.
    match = MatchDays(date(2026, 11, 4))
    assert judge_week(date(2026, 11, 2), minutes, YEAR, match, LATE) is expected


def test_full_week_without_minutes_is_missed():
    match = MatchDays(date(2026, 11, 2))
    assert judge_week(date(2026, 11, 2), 59, YEAR, match, LATE) is WeekResult.missed


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(30, WeekResult.not_counted), (60, WeekResult.on_target)],
)
def test_week_containing_last_day(minutes, expected):
    # The year ends on Thursday 17 June 2027, so its last week is partial.
    match = MatchDays(date(2026, 9, 8))
    assert judge_week(date(2027, 6, 14), minutes, YEAR, match, LATE) is expected


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(0, WeekResult.not_counted), (90, WeekResult.on_target)],
)
def test_match_closing_midweek(minutes, expected):
    match = MatchDays(date(2026, 9, 8), closed_on=date(2026, 12, 2))
    assert judge_week(date(2026, 11, 30), minutes, YEAR, match, LATE) is expected


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(30, WeekResult.not_counted), (60, WeekResult.on_target)],
)
def test_current_week_counts_once_on_target(minutes, expected):
    match = MatchDays(date(2026, 9, 8))
    today = date(2026, 10, 18)  # Sunday: the week of 12 October is not over yet
    assert judge_week(date(2026, 10, 12), minutes, YEAR, match, today) is expected


@pytest.mark.parametrize(
    ("dst_sunday", "week_of_sunday", "next_monday"),
    [
        # Clocks go forward on Sunday 14 March 2027 and back on Sunday 1 November 2026.
        (date(2027, 3, 14), date(2027, 3, 8), date(2027, 3, 15)),
        (date(2026, 11, 1), date(2026, 10, 26), date(2026, 11, 2)),
    ],
)
def test_daylight_saving_sunday_stays_in_its_week(dst_sunday, week_of_sunday, next_monday):
    match = MatchDays(date(2026, 9, 8))
    minutes = held((dst_sunday, 60), (next_monday, 30))
    assert week_start(dst_sunday) == week_of_sunday
    assert minutes == {week_of_sunday: 60, next_monday: 30}
    results = week_results(minutes, YEAR, match, LATE)
    assert results[week_of_sunday] is WeekResult.on_target
    assert results[next_monday] is WeekResult.missed


def test_sessions_not_held_count_nothing():
    day = date(2026, 11, 10)
    minutes = held_minutes_by_week(
        [(day, 60, False), (day + timedelta(days=1), 45, False), (day, 30, True)], YEAR
    )
    assert minutes == {date(2026, 11, 9): 30}
    match = MatchDays(date(2026, 9, 8))
    assert judge_week(date(2026, 11, 9), 30, YEAR, match, LATE) is WeekResult.missed


def test_sessions_outside_year_count_nothing():
    assert held((date(2026, 9, 7), 60), (date(2027, 6, 18), 60)) == {}


def test_summary_share_and_runs():
    match = MatchDays(date(2026, 9, 14))  # a Monday
    today = date(2026, 10, 14)  # Wednesday of the week of 12 October
    minutes = held((date(2026, 9, 15), 60), (date(2026, 9, 22), 60), (date(2026, 9, 29), 20))
    summary = summarize_match(minutes, YEAR, match, today)
    # Full weeks: 14, 21, 28 September and 5 October. The week of 12 October is current.
    assert summary.on_target_weeks == 2
    assert summary.counted_weeks == 4
    assert summary.share == 0.5
    assert summary.missed_run == 2
    assert summary.weeks_without_session == 1


def random_case(rng: random.Random) -> tuple[MatchDays, date, dict[date, int]]:
    start = YEAR.first_day + timedelta(days=rng.randint(-20, 250))
    closed_on = None
    if rng.random() < 0.3:
        closed_on = start + timedelta(days=rng.randint(0, 120))
    today = start + timedelta(days=rng.randint(0, 200))
    last = min(today, closed_on or today, YEAR.last_day + timedelta(days=5))
    sessions = []
    day = start
    while day <= last:
        if rng.random() < 0.35:
            sessions.append((day, rng.choice([15, 30, 45, 60, 90]), rng.random() < 0.85))
        day += timedelta(days=1)
    return MatchDays(start, closed_on), today, held_minutes_by_week(sessions, YEAR)


@pytest.mark.parametrize("seed", range(200))
def test_stored_facts_equal_week_by_week(seed):
    match, today, minutes = random_case(random.Random(seed))
    expected = summarize_match(minutes, YEAR, match, today)

    weeks = school_weeks(YEAR)
    facts = target_facts(minutes, YEAR, match, weeks)
    summary = summarize_facts(facts, weeks_ended_before(weeks, today))

    assert summary == expected
