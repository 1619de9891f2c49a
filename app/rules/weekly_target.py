"""The weekly target: 60 minutes of held sessions in every school week of a match.

Rules, all judged on the session's local date in America/New_York (sessions store
that date, so a daylight-saving change never moves a session to another week):

- A school week runs Monday to Sunday, overlaps the program year and is not a week
  without school. Only sessions with the outcome "held" and dated inside the
  program year count, so no-shows and cancellations count nothing.
- A full week (the match runs all of it, inside the year, and its Sunday is
  before today) is on target with 60 held minutes or more, and missed otherwise.
- A partial week (the match starts after its Monday or closes before its Sunday,
  or the year starts or ends inside it) is on target when it reaches 60 minutes and
  is otherwise left out: not counted as missed.
- The current week is not over, so it counts only once it is on target.
- The share on target is on-target weeks divided by counted weeks (full weeks
  plus on-target partial and current weeks).
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.rules.program_year import YearSpan, school_weeks
from app.rules.timezone import week_start

WEEKLY_TARGET_MINUTES = 60
"""An active match should have at least this many minutes of sessions in every school week."""


class WeekResult(enum.Enum):
    on_target = "On target"
    missed = "Missed"
    not_counted = "Not counted"


@dataclass(frozen=True)
class MatchDays:
    """The days a match runs: its start date and its close date (None while open)."""

    start: date
    closed_on: date | None = None


def is_full_week(monday: date, year: YearSpan, match: MatchDays, today: date) -> bool:
    """Return whether the match runs the whole week inside the year and the week is over."""
    sunday = monday + timedelta(days=6)
    last_day = year.last_day if match.closed_on is None else min(match.closed_on, year.last_day)
    return max(match.start, year.first_day) <= monday and sunday <= last_day and sunday < today


def overlaps_match(monday: date, year: YearSpan, match: MatchDays, today: date) -> bool:
    """Return whether any day of the week is inside the year, the match and not after today."""
    sunday = monday + timedelta(days=6)
    first = max(match.start, year.first_day)
    last = min(year.last_day, today, match.closed_on or year.last_day)
    return first <= sunday and monday <= last


def judge_week(
    monday: date, held_minutes: int, year: YearSpan, match: MatchDays, today: date
) -> WeekResult:
    """Return whether one week is on target, missed or not counted, by the module's rules."""
    if monday in year.break_weeks or not overlaps_match(monday, year, match, today):
        return WeekResult.not_counted
    if held_minutes >= WEEKLY_TARGET_MINUTES:
        return WeekResult.on_target
    if is_full_week(monday, year, match, today):
        return WeekResult.missed
    return WeekResult.not_counted


def held_minutes_by_week(
    sessions: Sequence[tuple[date, int, bool]], year: YearSpan
) -> dict[date, int]:
    """Sum held minutes per Monday from (local date, minutes, held) tuples dated in the year."""
    totals: dict[date, int] = {}
    for day, minutes, is_held in sessions:
        if is_held and year.contains(day):
            monday = week_start(day)
            totals[monday] = totals.get(monday, 0) + minutes
    return totals


def week_results(
    minutes_by_week: Mapping[date, int], year: YearSpan, match: MatchDays, today: date
) -> dict[date, WeekResult]:
    """Judge every school week of the year, in order (weeks outside the match are not counted)."""
    return {
        monday: judge_week(monday, minutes_by_week.get(monday, 0), year, match, today)
        for monday in school_weeks(year)
    }


@dataclass(frozen=True)
class TargetSummary:
    """The weekly-target figures of one match in one program year."""

    on_target_weeks: int
    counted_weeks: int
    missed_run: int
    """Full weeks after the last on-target week (all of them if none was on target)."""
    weeks_without_session: int
    """Full weeks after the week of the last held session (all of them if none was held)."""

    @property
    def share(self) -> float | None:
        return self.on_target_weeks / self.counted_weeks if self.counted_weeks else None


def summarize_match(
    minutes_by_week: Mapping[date, int], year: YearSpan, match: MatchDays, today: date
) -> TargetSummary:
    """Judge every school week of one match and summarize them, by the module's rules.

    ``minutes_by_week`` maps Mondays to held minutes of sessions dated inside the year.
    """
    results = week_results(minutes_by_week, year, match, today)
    on_target = [monday for monday, result in results.items() if result is WeekResult.on_target]
    counted = sum(1 for result in results.values() if result is not WeekResult.not_counted)
    full_weeks = [monday for monday in results if is_full_week(monday, year, match, today)]
    last_on_target = max(on_target, default=None)
    held_weeks = [monday for monday, minutes in minutes_by_week.items() if minutes > 0]
    last_held_week = max(held_weeks, default=None)
    missed_run = sum(
        1 for monday in full_weeks if last_on_target is None or monday > last_on_target
    )
    silent_run = sum(
        1 for monday in full_weeks if last_held_week is None or monday > last_held_week
    )
    return TargetSummary(len(on_target), counted, missed_run, silent_run)


@dataclass(frozen=True)
class TargetFacts:
    """The weekly-target facts of one match in one year that do not depend on today.

    Positions count the year's school weeks (``school_weeks``) from 0. With
    ``weeks_ended``, the number of school weeks over before today's week,
    ``summarize_facts`` turns them into the same TargetSummary as ``summarize_match``.
    """

    full_weeks_on_target: int
    """On-target weeks that the match runs from Monday to Sunday inside the year."""
    partial_weeks_on_target: int
    last_on_target: date | None
    full_week_first: int
    """Position of the match's first full week."""
    full_week_end: int
    """Position after the match's last full week, ignoring today (may be below the first)."""
    on_target_through: int
    """School weeks up to and including the latest on-target week, 0 without one."""
    held_through: int
    """School weeks up to and including the week of the latest held session, 0 without one."""


def target_facts(
    minutes_by_week: Mapping[date, int], year: YearSpan, match: MatchDays, weeks: Sequence[date]
) -> TargetFacts:
    """Judge a match's weeks without today, from held minutes per Monday of sessions in the year.

    ``weeks`` is ``school_weeks(year)``. The session rules reject a date after the
    day a session is logged, so a week with sessions has started by then.
    """
    far_future = date.max
    on_target = [
        monday
        for monday in weeks
        if minutes_by_week.get(monday, 0) >= WEEKLY_TARGET_MINUTES
        and overlaps_match(monday, year, match, far_future)
    ]
    full = sum(1 for monday in on_target if is_full_week(monday, year, match, far_future))

    first = max(match.start, year.first_day)
    first_monday = week_start(first)
    if first_monday < first:
        first_monday += timedelta(days=7)
    last = year.last_day if match.closed_on is None else min(match.closed_on, year.last_day)
    # The last full week ends on or before ``last``: its Sunday is ``last`` or earlier.
    last_monday = week_start(last + timedelta(days=1)) - timedelta(days=7)

    last_on_target = max(on_target, default=None)
    held_weeks = [monday for monday, minutes in minutes_by_week.items() if minutes > 0]
    last_held_week = max(held_weeks, default=None)
    return TargetFacts(
        full_weeks_on_target=full,
        partial_weeks_on_target=len(on_target) - full,
        last_on_target=last_on_target,
        full_week_first=bisect.bisect_left(weeks, first_monday),
        full_week_end=bisect.bisect_right(weeks, last_monday),
        on_target_through=_weeks_through(weeks, last_on_target),
        held_through=_weeks_through(weeks, last_held_week),
    )


def _weeks_through(weeks: Sequence[date], monday: date | None) -> int:
    return 0 if monday is None else bisect.bisect_right(weeks, monday)


def weeks_ended_before(weeks: Sequence[date], today: date) -> int:
    """Count the school weeks whose Sunday is before ``today`` (``weeks`` in order)."""
    return bisect.bisect_right(weeks, week_start(today) - timedelta(days=7))


def summarize_facts(facts: TargetFacts, weeks_ended: int) -> TargetSummary:
    """Derive the weekly-target summary as of a day from stored facts, in constant time.

    ``weeks_ended`` is ``weeks_ended_before(school_weeks(year), today)``. The SQL
    form of the same arithmetic is app.services.health.derived_columns.
    """
    end = min(facts.full_week_end, weeks_ended)

    def full_weeks_after(position: int) -> int:
        return max(0, end - max(facts.full_week_first, position))

    # A full on-target week that is not over yet (the current week) counts as on target.
    latest = facts.on_target_through
    current = int(facts.full_week_first < latest <= facts.full_week_end and latest > weeks_ended)
    return TargetSummary(
        on_target_weeks=facts.full_weeks_on_target + facts.partial_weeks_on_target,
        counted_weeks=full_weeks_after(0) + facts.partial_weeks_on_target + current,
        missed_run=full_weeks_after(facts.on_target_through),
        weeks_without_session=full_weeks_after(facts.held_through),
    )
