"""Demo sessions: weekly meetings of each activated match, up to yesterday.

Each session passes the same check as a coordinator's entry (``check_session``),
and a match never has two sessions on one date and start time.
"""

from __future__ import annotations

import datetime as dt

from app.demo.content import NEED_TOPICS, SESSION_NOTES
from app.demo.context import DemoContext
from app.demo.matches import BAND_TIMES
from app.extensions import db
from app.models import Match, MentoringSession
from app.rules.choices import SessionOutcome, TimeBand, Weekday
from app.rules.timezone import week_start
from app.services.sessions import check_session

OUTCOME_WEIGHTS = {
    SessionOutcome.held: 85,
    SessionOutcome.student_no_show: 6,
    SessionOutcome.cancelled_by_student: 5,
    SessionOutcome.cancelled_by_mentor: 4,
}
HELD_MINUTES = tuple(range(45, 80, 5))
NO_SHOW_MINUTES = 15
"""How long mentor and proctor wait before logging a no-show."""
CANCELLED_MINUTES = 60
"""The planned length, logged for a cancelled session."""
UNLOGGED_SHARE = 0.08
"""Share of meetings with no session logged at all, as happens in a real program."""
SECOND_MEETING_SHARE = 0.25
"""Share of matches that meet twice a week."""


def add_sessions(ctx: DemoContext, matches: list[Match]) -> int:
    """Add the sessions of every activated match and return how many were added."""
    sessions: list[MentoringSession] = []
    for match in matches:
        if match.activated_at is not None:
            sessions += _match_sessions(ctx, match)
    db.session.add_all(sessions)
    db.session.commit()
    return len(sessions)


def _meeting_days(ctx: DemoContext, match: Match) -> list[tuple[int, dt.time]]:
    """Return (weekday index, start time) pairs, Monday = 0, of the match's weekly meetings."""
    slot_day = list(Weekday).index(match.slot_weekday)
    meetings = [(slot_day, match.slot_time)]
    if ctx.rng.random() < SECOND_MEETING_SHARE:
        other_day = ctx.rng.choice([day for day in range(5) if day != slot_day])
        meetings.append((other_day, ctx.rng.choice(BAND_TIMES[TimeBand.afternoon.name])))
    return meetings


def _match_sessions(ctx: DemoContext, match: Match) -> list[MentoringSession]:
    last_day = ctx.today - dt.timedelta(days=1)
    if match.closed_on is not None:
        last_day = min(last_day, match.closed_on)
    logged_by = match.mentor.user_id or ctx.coordinator_id
    meetings = _meeting_days(ctx, match)
    used_slots: set[tuple[dt.date, dt.time]] = set()
    sessions: list[MentoringSession] = []

    def add(day: dt.date, start: dt.time, outcome: SessionOutcome) -> None:
        if match.start_date <= day <= last_day and (day, start) not in used_slots:
            used_slots.add((day, start))
            sessions.append(_session(ctx, match, day, start, outcome, logged_by))

    monday = week_start(match.start_date)
    while monday <= last_day:
        for weekday, start in meetings:
            if ctx.rng.random() < UNLOGGED_SHARE:
                continue
            day = monday + dt.timedelta(days=weekday)
            outcome = ctx.rng.choices(list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values()))[0]
            add(day, start, outcome)
            if outcome.name.startswith("cancelled") and ctx.rng.random() < 0.5:
                add(day + dt.timedelta(days=ctx.rng.randint(1, 3)), start, SessionOutcome.held)
        monday += dt.timedelta(days=7)
    return sessions


def _session(
    ctx: DemoContext,
    match: Match,
    day: dt.date,
    start: dt.time,
    outcome: SessionOutcome,
    logged_by: int,
) -> MentoringSession:
    """Return a session with a length, topics and proctor presence that fit its outcome."""
    is_held = outcome is SessionOutcome.held
    if is_held:
        minutes = ctx.rng.choice(HELD_MINUTES)
    elif outcome is SessionOutcome.student_no_show:
        minutes = NO_SHOW_MINUTES
    else:
        minutes = CANCELLED_MINUTES
    check_session(
        match,
        session_date=day,
        start_time=start,
        duration_minutes=minutes,
        today=ctx.today,
        by_mentor=False,
    )
    topics = [topic for code in match.subjects for topic in NEED_TOPICS.get(code, ())]
    logged_on = min(day + dt.timedelta(days=ctx.rng.randint(0, 2)), ctx.today)
    return MentoringSession(
        match_id=match.id,
        session_date=day,
        start_time=start,
        duration_minutes=minutes,
        outcome=outcome,
        proctor_present=ctx.rng.random() < 0.92 if is_held else outcome.name.endswith("no_show"),
        topics=("; ".join(ctx.rng.sample(topics, min(2, len(topics)))) or None)
        if is_held
        else None,
        notes=ctx.rng.choice(SESSION_NOTES) if is_held and ctx.rng.random() < 0.25 else None,
        created_at=ctx.moment(logged_on, (18, 21)),
        created_by_id=logged_by,
    )
