"""Match health for many matches at once: a few grouped queries, never one per match.

The database sums held minutes per match and week (``week_monday``) and returns a
handful of aggregates per match; app.rules.weekly_target turns them into the
weekly-target figures. See that module for the rules themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.sql import ColumnElement

from app.extensions import db
from app.models import Match, MatchCheckIn, MentoringSession
from app.rules.check_ins import is_overdue, next_check_in_due
from app.rules.choices import MatchStatus, SessionOutcome
from app.rules.program_year import YearSpan
from app.rules.weekly_target import (
    WEEKLY_TARGET_MINUTES,
    FullWeekIndex,
    MatchDays,
    TargetSummary,
    summarize_aggregates,
)
from app.services.sql_dates import week_monday

PROCTOR_ABSENT_DAYS = 28
"""A session without the proctor in this many days before today puts a match on the list."""


@dataclass(frozen=True)
class MatchHealth:
    """The health figures of one match in one program year."""

    match_id: int
    target: TargetSummary
    held_minutes: int
    last_session: dt.date | None
    proctor_absent: int
    """Sessions in the program year logged without the proctor present."""
    proctor_absent_recent: int
    check_ins: int
    last_check_in: dt.date | None
    check_in_due: dt.date
    check_in_overdue: bool


def active_condition() -> ColumnElement[bool]:
    return Match.status == MatchStatus.active


def ran_in_year_condition(year: YearSpan) -> ColumnElement[bool]:
    """Matches that were active at some point during the year (proposed ones never ran)."""
    return and_(
        Match.start_date <= year.last_day,
        or_(
            Match.status == MatchStatus.active,
            and_(
                Match.status == MatchStatus.closed,
                Match.activated_at.is_not(None),
                Match.closed_on >= year.first_day,
            ),
        ),
    )


def _session_aggregates(condition, year: YearSpan, today: dt.date):
    session = MentoringSession
    held = session.outcome == SessionOutcome.held
    monday = week_monday(session.session_date)
    recent = today - dt.timedelta(days=PROCTOR_ABSENT_DAYS)
    weekly = (
        select(
            session.match_id.label("match_id"),
            monday.label("monday"),
            func.sum(case((held, session.duration_minutes), else_=0)).label("minutes"),
            func.max(case((held, session.session_date))).label("last_held"),
            func.max(session.session_date).label("last_session"),
            func.sum(case((session.proctor_present.is_(False), 1), else_=0)).label("absent"),
            func.sum(
                case(
                    (and_(session.proctor_present.is_(False), session.session_date >= recent), 1),
                    else_=0,
                )
            ).label("absent_recent"),
        )
        .join(Match, Match.id == session.match_id)
        .where(
            condition,
            session.session_date >= year.first_day,
            session.session_date <= min(year.last_day, today),
        )
        .group_by(session.match_id, monday)
        .subquery()
    )
    on_target = weekly.c.minutes >= WEEKLY_TARGET_MINUTES
    if year.break_weeks:
        on_target = and_(on_target, weekly.c.monday.not_in(sorted(year.break_weeks)))
    return select(
        weekly.c.match_id,
        func.sum(case((on_target, 1), else_=0)),
        func.min(case((on_target, weekly.c.monday))),
        func.max(case((on_target, weekly.c.monday))),
        func.max(weekly.c.last_held),
        func.max(weekly.c.last_session),
        func.sum(weekly.c.absent),
        func.sum(weekly.c.absent_recent),
        func.sum(weekly.c.minutes),
    ).group_by(weekly.c.match_id)


def _check_in_aggregates(condition):
    return (
        select(MatchCheckIn.match_id, func.count(), func.max(MatchCheckIn.checked_on))
        .join(Match, Match.id == MatchCheckIn.match_id)
        .where(condition)
        .group_by(MatchCheckIn.match_id)
    )


def health_of_matches(
    condition: ColumnElement[bool], year: YearSpan, today: dt.date
) -> dict[int, MatchHealth]:
    """Return the health of every match meeting ``condition`` in ``year``, keyed by match id.

    Three statements whatever the number of matches: the matches, the session
    aggregates and the check-in aggregates.

    NOTE: the session aggregate reads every session of the year in ``condition``'s
    matches, so for all matches it costs about 130 ms at 5,000 active matches and
    90,000 sessions a year (BENCHMARKS.md). Figures kept per match when sessions are
    written would make it one row per match.
    """
    matches = db.session.execute(
        select(Match.id, Match.start_date, Match.closed_on).where(condition)
    ).all()
    sessions = {
        row[0]: row[1:] for row in db.session.execute(_session_aggregates(condition, year, today))
    }
    check_ins = {row[0]: row[1:] for row in db.session.execute(_check_in_aggregates(condition))}
    index = FullWeekIndex(year, today)
    return {
        match_id: _health(index, match_id, MatchDays(start, closed_on), sessions, check_ins)
        for match_id, start, closed_on in matches
    }


def _health(
    index: FullWeekIndex, match_id: int, days: MatchDays, sessions, check_ins
) -> MatchHealth:
    found = sessions.get(match_id)
    on_target, first_on, last_on, last_held, last_session, absent, recent, minutes = found or (
        0,
        None,
        None,
        None,
        None,
        0,
        0,
        0,
    )
    candidates = {monday for monday in (first_on, last_on) if monday is not None}
    if candidates:
        candidates &= index.partial_candidates(days)
    target = summarize_aggregates(
        index,
        days,
        on_target_weeks=int(on_target or 0),
        on_target_candidates=candidates,
        last_on_target=last_on,
        last_held=last_held,
    )
    count, latest = check_ins.get(match_id, (0, None))
    due = next_check_in_due(days.start, count, latest)
    return MatchHealth(
        match_id=match_id,
        target=target,
        held_minutes=int(minutes or 0),
        last_session=last_session,
        proctor_absent=int(absent or 0),
        proctor_absent_recent=int(recent or 0),
        check_ins=count,
        last_check_in=latest,
        check_in_due=due,
        check_in_overdue=is_overdue(due, index.today),
    )
