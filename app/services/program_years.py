"""Looking up program years and turning them into the rules' YearSpan."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import ProgramYear
from app.rules.program_year import YearSpan


def year_on(day: dt.date) -> ProgramYear | None:
    """Return the program year containing ``day`` (Boston date), with its breaks, or None."""
    return db.session.execute(
        select(ProgramYear)
        .where(ProgramYear.first_day <= day, ProgramYear.last_day >= day)
        .options(selectinload(ProgramYear.breaks))
        .limit(1)
    ).scalar_one_or_none()


def years_around(day: dt.date) -> tuple[ProgramYear | None, ProgramYear | None]:
    """Return the last program year that ended before ``day`` and the next to start after it.

    For the pages that need a year containing today, to say which years surround a
    summer or a gap. Either is None when no such year is stored.
    """
    previous = db.session.execute(
        select(ProgramYear)
        .where(ProgramYear.last_day < day)
        .order_by(ProgramYear.last_day.desc())
        .limit(1)
    ).scalar_one_or_none()
    following = db.session.execute(
        select(ProgramYear)
        .where(ProgramYear.first_day > day)
        .order_by(ProgramYear.first_day)
        .limit(1)
    ).scalar_one_or_none()
    return previous, following


def latest_year_started_by(day: dt.date) -> ProgramYear | None:
    """Return the last program year that started by ``day``, with its breaks, or None.

    For a close date, that is the year the match closed in, or the year before a
    close in the summer.
    """
    return db.session.execute(
        select(ProgramYear)
        .where(ProgramYear.first_day <= day)
        .order_by(ProgramYear.first_day.desc())
        .options(selectinload(ProgramYear.breaks))
        .limit(1)
    ).scalar_one_or_none()


def year_of_match(start_date: dt.date) -> ProgramYear | None:
    """Return the program year a match starting on ``start_date`` runs in, or None.

    That is the year containing the start date, or else the next year to begin after it
    (a match starting in the summer runs in the coming year).
    """
    return db.session.execute(
        select(ProgramYear)
        .where(ProgramYear.last_day >= start_date)
        .order_by(ProgramYear.first_day)
        .options(selectinload(ProgramYear.breaks))
        .limit(1)
    ).scalar_one_or_none()


def year_by_id(year_id: int) -> ProgramYear | None:
    return db.session.execute(
        select(ProgramYear)
        .where(ProgramYear.id == year_id)
        .options(selectinload(ProgramYear.breaks))
    ).scalar_one_or_none()


def span_of(year: ProgramYear) -> YearSpan:
    return YearSpan(
        year.first_day,
        year.last_day,
        frozenset(item.week_start for item in year.breaks),
        id=year.id,
    )
