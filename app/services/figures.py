"""The match_year_figures table: per-match facts of each program year, kept current on write.

Two SQLAlchemy session listeners keep the rows current. ``before_flush`` reads
from the database the old match and year of the rows about to change, and
``after_flush`` rewrites the rows of those and the new ones with Core statements
on the flush's own connection. So the figures commit or roll back with the
change, whatever the path (coordinator screens, mentor portal, API, services,
demo loader). SQLAlchemy 2.1 documents that in ``after_flush`` the session's new,
dirty and deleted lists still show the flush's changes. The listeners change no
ORM state, so they start no second flush.

What moves the figures:

- a session added, edited (also moved to another match or date) or deleted, and
  a check-in added, edited or deleted: that match's rows, from a few statements
  per program year over that match's sessions and check-ins (indexed by match_id);
- a match added or changed (start date, status, close date): that match's rows;
- a program year or a week without school added, changed or removed: all rows of
  that year, rebuilt set-based.

Statements that bypass the ORM flush (Core inserts, ``session.execute(update(...))``,
a database restore) do not update the figures: run ``flask ils refresh-figures``
afterwards. The benchmark loader does so itself.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import chain

from sqlalchemy import (
    Connection,
    and_,
    case,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from app.models import (
    Match,
    MatchCheckIn,
    MatchYearFigures,
    MentoringSession,
    ProgramYear,
    ProgramYearBreak,
)
from app.rules.check_ins import next_check_in_due
from app.rules.choices import SessionOutcome
from app.rules.program_year import YearSpan, school_weeks
from app.rules.weekly_target import MatchDays, TargetFacts, target_facts
from app.services.sql_dates import week_monday

CHUNK = 500
"""Match ids per IN list, well below the bind-parameter limits of SQLite and PostgreSQL."""

FIGURES = MatchYearFigures.__table__


def overlaps_year(year: YearSpan) -> ColumnElement[bool]:
    """Matches whose days overlap the year: started by its last day, not closed before its first."""
    return and_(
        Match.start_date <= year.last_day,
        or_(Match.closed_on.is_(None), Match.closed_on >= year.first_day),
    )


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def compute_rows(
    connection: Connection, year: YearSpan, condition, match_ids: list[int] | None = None
) -> list[dict]:
    """Compute the figures rows of the matches meeting ``condition`` that overlap ``year``.

    Three statements whatever the number of matches: the matches, their sessions
    in the year summed per match and week, and their check-ins counted per match.
    With ``match_ids`` (which should match ``condition``), sessions and check-ins
    are also filtered on their own match_id column, so the database reads them by
    that index instead of scanning the year's sessions by date.
    """
    matches = connection.execute(
        select(Match.id, Match.start_date, Match.closed_on).where(condition, overlaps_year(year))
    ).all()
    if not matches:
        return []
    session = MentoringSession
    is_held = session.outcome == SessionOutcome.held
    # Only a held session can lack the proctor: the box means nothing for a
    # cancelled session or a no-show, whatever the form stored.
    absent = and_(is_held, session.proctor_present.is_(False))
    monday = week_monday(session.session_date)
    weekly = connection.execute(
        select(
            session.match_id,
            monday,
            func.sum(case((is_held, session.duration_minutes), else_=0)),
            func.sum(case((is_held, 1), else_=0)),
            func.count(),
            func.sum(case((absent, 1), else_=0)),
            func.max(case((absent, session.session_date))),
            func.max(session.session_date),
            func.max(case((is_held, session.session_date))),
        )
        .join(Match, Match.id == session.match_id)
        .where(
            condition,
            session.session_date.between(year.first_day, year.last_day),
            session.match_id.in_(match_ids) if match_ids is not None else literal(True),
        )
        .group_by(session.match_id, monday)
    ).all()
    check_ins = {
        match_id: (count, latest)
        for match_id, count, latest in connection.execute(
            select(MatchCheckIn.match_id, func.count(), func.max(MatchCheckIn.checked_on))
            .join(Match, Match.id == MatchCheckIn.match_id)
            .where(
                condition,
                MatchCheckIn.match_id.in_(match_ids) if match_ids is not None else literal(True),
            )
            .group_by(MatchCheckIn.match_id)
        )
    }
    by_match: dict[int, list] = defaultdict(list)
    for row in weekly:
        by_match[row[0]].append(row[1:])
    weeks = school_weeks(year)
    return [
        _row(year, weeks, match_id, MatchDays(start, closed_on), by_match[match_id], check_ins)
        for match_id, start, closed_on in matches
    ]


def _latest(values: Iterable[dt.date | None]) -> dt.date | None:
    return max((value for value in values if value is not None), default=None)


def _row(year: YearSpan, weeks, match_id: int, days: MatchDays, weekly: list, check_ins) -> dict:
    minutes_by_week = {monday: int(minutes or 0) for monday, minutes, *_ in weekly}
    facts: TargetFacts = target_facts(minutes_by_week, year, days, weeks)
    count, latest_check_in = check_ins.get(match_id, (0, None))
    return {
        "match_id": match_id,
        "program_year_id": year.id,
        "held_minutes": sum(minutes_by_week.values()),
        "held_sessions": sum(int(row[2] or 0) for row in weekly),
        "sessions_logged": sum(int(row[3] or 0) for row in weekly),
        "proctor_absent": sum(int(row[4] or 0) for row in weekly),
        "last_proctor_absent": _latest(row[5] for row in weekly),
        "last_session": _latest(row[6] for row in weekly),
        "last_held": _latest(row[7] for row in weekly),
        "full_weeks_on_target": facts.full_weeks_on_target,
        "partial_weeks_on_target": facts.partial_weeks_on_target,
        "last_on_target": facts.last_on_target,
        "full_week_first": facts.full_week_first,
        "full_week_end": facts.full_week_end,
        "on_target_through": facts.on_target_through,
        "held_through": facts.held_through,
        "check_ins": int(count),
        "last_check_in": latest_check_in,
        "check_in_due": next_check_in_due(days.start, int(count), latest_check_in),
    }


def stored_years(connection: Connection, year_ids: Iterable[int] | None = None) -> list[YearSpan]:
    """Return the stored program years (all, or those in ``year_ids``) with their breaks."""
    query = select(ProgramYear.id, ProgramYear.first_day, ProgramYear.last_day)
    if year_ids is not None:
        query = query.where(ProgramYear.id.in_(list(year_ids)))
    years = connection.execute(query.order_by(ProgramYear.id)).all()
    break_query = select(ProgramYearBreak.program_year_id, ProgramYearBreak.week_start)
    if year_ids is not None:
        break_query = break_query.where(
            ProgramYearBreak.program_year_id.in_([year_id for year_id, _, _ in years])
        )
    breaks = defaultdict(set)
    for year_id, week in connection.execute(break_query):
        breaks[year_id].add(week)
    return [
        YearSpan(first, last, frozenset(breaks[year_id]), id=year_id)
        for year_id, first, last in years
    ]


def _insert(connection: Connection, rows: list[dict]) -> None:
    if rows:
        connection.execute(insert(FIGURES), rows)


def refresh_matches(connection: Connection, match_ids: Iterable[int]) -> None:
    """Rewrite every figures row of the given matches (missing or deleted matches lose theirs).

    On PostgreSQL it first locks the program years FOR SHARE and each match FOR NO
    KEY UPDATE, in id order. A concurrent writer to the same match then waits for
    this transaction to commit, and its next statement sees this one's sessions, so
    neither its figures go stale nor its insert hits this one's rows. NO KEY UPDATE
    does not conflict with the KEY SHARE lock that inserting a session takes on its
    match, so two writers that both inserted a session do not deadlock. SQLite runs
    one write transaction at a time, and SQLAlchemy leaves the locking clause out.
    """
    ids = set(match_ids)
    if not ids:
        return
    connection.execute(select(ProgramYear.id).order_by(ProgramYear.id).with_for_update(read=True))
    years = stored_years(connection)
    for chunk in _chunks(ids):
        connection.execute(
            select(Match.id)
            .where(Match.id.in_(chunk))
            .order_by(Match.id)
            .with_for_update(key_share=True)
        )
        connection.execute(delete(FIGURES).where(FIGURES.c.match_id.in_(chunk)))
        for year in years:
            _insert(connection, compute_rows(connection, year, Match.id.in_(chunk), chunk))


def refresh_years(connection: Connection, year_ids: Iterable[int]) -> None:
    """Rewrite all figures rows of the given program years (deleted years lose theirs).

    Locking each year FOR NO KEY UPDATE waits for the writers that hold
    ``refresh_matches``'s share lock.
    """
    ids = sorted(set(year_ids))
    if not ids:
        return
    connection.execute(
        select(ProgramYear.id)
        .where(ProgramYear.id.in_(ids))
        .order_by(ProgramYear.id)
        .with_for_update(key_share=True)
    )
    connection.execute(delete(FIGURES).where(FIGURES.c.program_year_id.in_(ids)))
    for year in stored_years(connection, ids):
        _insert(connection, compute_rows(connection, year, literal(True)))


def rebuild_all(connection: Connection) -> int:
    """Empty the figures table, compute every row again and return the number of rows."""
    connection.execute(delete(FIGURES))
    total = 0
    for year in stored_years(connection):
        rows = compute_rows(connection, year, literal(True))
        _insert(connection, rows)
        total += len(rows)
    return total


PENDING_KEY = "match_year_figures_before_flush"
"""``session.info`` key of the match and year ids read by ``_before_flush``."""

FOREIGN_KEYS = (
    (MentoringSession, MentoringSession.match_id, "match"),
    (MatchCheckIn, MatchCheckIn.match_id, "match"),
    (ProgramYearBreak, ProgramYearBreak.program_year_id, "year"),
)
"""Rows whose parent's figures move when they change, with the parent's column."""


def _stored_parents(session: Session) -> tuple[set[int], set[int]]:
    """Read from the database the parents that changed or deleted rows have before the flush.

    Loaded attributes are not enough: after a commit they are expired, so moving
    a session to another match or deleting it leaves no old value in its history.
    """
    match_ids: set[int] = set()
    year_ids: set[int] = set()
    connection = None
    for model, column, kind in FOREIGN_KEYS:
        ids = [
            state.identity[0]
            for state in map(inspect, chain(session.dirty, session.deleted))
            if isinstance(state.obj(), model) and state.identity is not None
        ]
        if not ids:
            continue
        connection = connection or session.connection()
        target = match_ids if kind == "match" else year_ids
        for chunk in _chunks(ids):
            target.update(connection.execute(select(column).where(model.id.in_(chunk))).scalars())
    return match_ids, year_ids


def _current_value(obj, name: str) -> int | None:
    return inspect(obj).dict.get(name)


def _primary_key(obj) -> int | None:
    """Return the row's id: new rows have it in their dict, expired ones in their identity."""
    state = inspect(obj)
    return state.dict.get("id") or (state.identity[0] if state.identity else None)


def changed_targets(session: Session) -> tuple[set[int], set[int]]:
    """Return the match ids and program year ids whose figures the flush moved.

    Call it from ``after_flush``: it adds the ids read by ``_before_flush``.
    """
    match_ids, year_ids = session.info.pop(PENDING_KEY, (set(), set()))
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, MentoringSession | MatchCheckIn):
            match_ids.add(_current_value(obj, "match_id"))
        elif isinstance(obj, Match):
            match_ids.add(_primary_key(obj))
        elif isinstance(obj, ProgramYear):
            year_ids.add(_primary_key(obj))
        elif isinstance(obj, ProgramYearBreak):
            year_ids.add(_current_value(obj, "program_year_id"))
    match_ids.discard(None)
    year_ids.discard(None)
    return match_ids, year_ids


def _before_flush(session: Session, flush_context, instances) -> None:
    session.info[PENDING_KEY] = _stored_parents(session)


def _after_flush(session: Session, flush_context) -> None:
    match_ids, year_ids = changed_targets(session)
    if not match_ids and not year_ids:
        return
    connection = session.connection()
    refresh_years(connection, year_ids)
    refresh_matches(connection, match_ids)


def register_listener() -> None:
    """Keep the figures current on every ORM flush (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
