"""Match health read from the stored per-match figures, with today's figures derived on read.

app.services.figures keeps one match_year_figures row per match and program
year, containing only facts that do not depend on today. This module derives weeks
elapsed, the current run of missed weeks, a recent session without the proctor
and an overdue check-in. It does so in Python (``health_from_facts``) and as SQL
expressions (``derived_columns``), so lists can rank, filter and page in the
database. Both follow app.rules.weekly_target.summarize_facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import and_, case, false, literal, or_, select
from sqlalchemy.sql import ColumnElement

from app.extensions import db
from app.models import Match, MatchYearFigures
from app.rules.check_ins import is_overdue
from app.rules.choices import MatchStatus
from app.rules.program_year import YearSpan, school_weeks
from app.rules.weekly_target import (
    TargetFacts,
    TargetSummary,
    summarize_facts,
    weeks_ended_before,
)
from app.services.figures import compute_rows
from app.services.sql_dates import greatest, least

PROCTOR_ABSENT_DAYS = 28
"""A held session without the proctor in the last this many days, today included, puts a
match on the list: with 28, from 27 days before today through today."""

Figures = MatchYearFigures


@dataclass(frozen=True)
class MatchHealth:
    """The health figures of one match in one program year."""

    match_id: int
    target: TargetSummary
    held_minutes: int
    last_session: dt.date | None
    proctor_absent: int
    """Held sessions in the program year logged without the proctor present."""
    proctor_absent_recent: bool
    """Whether a held session without the proctor is dated in the last 28 days, today included."""
    check_ins: int
    last_check_in: dt.date | None
    check_in_due: dt.date
    check_in_overdue: bool


@dataclass(frozen=True)
class ReadDay:
    """The request's day and the values derived from it once, for the per-match figures."""

    today: dt.date
    weeks_ended: int
    """School weeks of the year whose Sunday is before today."""
    recent_since: dt.date
    """The first day that counts as recent for a session without the proctor (today - 27)."""


def read_day(year: YearSpan, today: dt.date) -> ReadDay:
    return ReadDay(
        today=today,
        weeks_ended=weeks_ended_before(school_weeks(year), today),
        recent_since=today - dt.timedelta(days=PROCTOR_ABSENT_DAYS - 1),
    )


def active_condition() -> ColumnElement[bool]:
    return Match.status == MatchStatus.active


def ran_in_year_condition(year: YearSpan, today: dt.date) -> ColumnElement[bool]:
    """Build the condition for matches active at some point of the year up to ``today``.

    Proposed matches never ran. Before the year's first day, no match has run in it yet.
    """
    if today < year.first_day:
        return false()
    closed_in_year = and_(
        Match.status == MatchStatus.closed,
        Match.activated_at.is_not(None),
        Match.closed_on >= year.first_day,
    )
    return and_(
        Match.start_date <= year.last_day,
        or_(Match.status == MatchStatus.active, closed_in_year),
    )


def facts_of(row: Mapping) -> TargetFacts:
    return TargetFacts(
        full_weeks_on_target=row["full_weeks_on_target"],
        partial_weeks_on_target=row["partial_weeks_on_target"],
        last_on_target=row["last_on_target"],
        full_week_first=row["full_week_first"],
        full_week_end=row["full_week_end"],
        on_target_through=row["on_target_through"],
        held_through=row["held_through"],
    )


def health_from_facts(row: Mapping, day: ReadDay) -> MatchHealth:
    """Derive one match's health as of ``day`` from its stored figures row."""
    last_absent = row["last_proctor_absent"]
    return MatchHealth(
        match_id=row["match_id"],
        target=summarize_facts(facts_of(row), day.weeks_ended),
        held_minutes=row["held_minutes"],
        last_session=row["last_session"],
        proctor_absent=row["proctor_absent"],
        proctor_absent_recent=last_absent is not None and last_absent >= day.recent_since,
        check_ins=row["check_ins"],
        last_check_in=row["last_check_in"],
        check_in_due=row["check_in_due"],
        check_in_overdue=is_overdue(row["check_in_due"], day.today),
    )


def derived_columns(day: ReadDay) -> dict[str, ColumnElement]:
    """Return SQL expressions over match_year_figures for the figures that depend on today.

    The same arithmetic as ``summarize_facts``: every expression is a comparison
    or a sum of a row's own columns and the request's parameters, so a list of
    5,000 matches costs one scan of the year's figures rows.
    """
    weeks_ended = literal(day.weeks_ended)
    end = least(Figures.full_week_end, weeks_ended)

    def full_weeks_after(position) -> ColumnElement[int]:
        return greatest(literal(0), end - greatest(position, Figures.full_week_first))

    latest = Figures.on_target_through
    current = case(
        (
            and_(
                latest > Figures.full_week_first,
                latest <= Figures.full_week_end,
                latest > weeks_ended,
            ),
            1,
        ),
        else_=0,
    )
    return {
        "on_target_weeks": Figures.full_weeks_on_target + Figures.partial_weeks_on_target,
        "counted_weeks": full_weeks_after(literal(0)) + Figures.partial_weeks_on_target + current,
        "missed_run": full_weeks_after(Figures.on_target_through),
        "weeks_without_session": full_weeks_after(Figures.held_through),
        "proctor_absent_recent": and_(
            Figures.last_proctor_absent.is_not(None),
            Figures.last_proctor_absent >= day.recent_since,
        ),
        "check_in_overdue": Figures.check_in_due < day.today,
    }


def health_of_matches(
    condition: ColumnElement[bool], year: YearSpan, today: dt.date
) -> dict[int, MatchHealth]:
    """Return the health of every match meeting ``condition`` in ``year``, keyed by match id.

    Reads the stored figures rows of a stored year: one statement, one row per
    match. For a YearSpan without an id (not stored), the figures are computed
    from the sessions instead. Matches whose days do not overlap the year are left out.
    """
    day = read_day(year, today)
    if year.id is None:
        rows = compute_rows(db.session.connection(), year, condition)
    else:
        rows = db.session.execute(
            select(*Figures.__table__.columns)
            .join(Match, Match.id == Figures.match_id)
            .where(Figures.program_year_id == year.id, condition)
        ).mappings()
    return {row["match_id"]: health_from_facts(row, day) for row in rows}
