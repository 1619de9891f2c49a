"""Year end: close every open match of a program year with the reason "school year ended".

Each match closes through ``matching.close_match``, the path every close takes,
so its checks, events and notifications apply. A match that cannot close (one
with a session logged after the close date) is listed in the preview and
skipped by the run.

Proposed matches close too: they never started, and a proposal left open over
the summer would block the student's and mentor's next match. The preview counts
them apart, and they stay recognisable afterwards because they have no
activation time (``Match.activated_at`` is NULL).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Match, MentoringSession, ProgramYear
from app.rules.choices import CloseReason, MatchStatus
from app.rules.errors import RuleViolation
from app.services.matching import OPEN_STATUSES, close_match

logger = logging.getLogger(__name__)


def year_end_close_date(year: ProgramYear, start: dt.date) -> dt.date:
    """Return the year's last day, or the match's start date when that is later."""
    return max(year.last_day, start)


def _open_matches_of(year: ProgramYear):
    return select(Match).where(Match.status.in_(OPEN_STATUSES), Match.start_date <= year.last_day)


def _session_after(year: ProgramYear):
    """Return a condition: the match has a session dated after the year's last day.

    That day is the close date of every match the year end selects, since they
    all started by then.
    """
    return exists().where(
        MentoringSession.match_id == Match.id, MentoringSession.session_date > year.last_day
    )


def _latest_session():
    """Return a scalar subquery: the date of the match's latest session, None without one."""
    return (
        select(func.max(MentoringSession.session_date))
        .where(MentoringSession.match_id == Match.id)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class BlockedMatch:
    """An open match the year end cannot close, with its latest session date."""

    match: Match
    latest_session: dt.date


@dataclass
class YearEndPreview:
    """The year end's plan: counts, one page of the matches it closes, and those it skips.

    ``blocked`` contains at most one page of the ``blocked_count`` skipped matches.
    """

    count: int
    proposed_count: int
    matches: list[Match]
    blocked_count: int
    blocked: list[BlockedMatch]


def year_end_preview(year: ProgramYear, page: int, page_size: int) -> YearEndPreview:
    """Return the open matches of ``year`` that will close (one page) and those that cannot."""
    closable = _open_matches_of(year).where(~_session_after(year))
    rows = closable.with_only_columns(Match.status).subquery()
    count, proposed_count = db.session.execute(
        select(func.count(), func.count().filter(rows.c.status == MatchStatus.proposed))
    ).one()
    matches = db.session.execute(
        closable.options(joinedload(Match.student), joinedload(Match.mentor))
        .order_by(Match.start_date, Match.id)
        .limit(page_size)
        .offset(page * page_size)
    ).scalars()
    blocked_query = _open_matches_of(year).where(_session_after(year))
    blocked_count = db.session.execute(
        select(func.count()).select_from(blocked_query.subquery())
    ).scalar_one()
    blocked_rows = db.session.execute(
        blocked_query.add_columns(_latest_session())
        .options(joinedload(Match.student), joinedload(Match.mentor))
        .order_by(Match.id)
        .limit(page_size)
    ).all()
    return YearEndPreview(
        count=count,
        proposed_count=proposed_count,
        matches=list(matches),
        blocked_count=blocked_count,
        blocked=[BlockedMatch(match, latest_day) for match, latest_day in blocked_rows],
    )


def blocked_message(latest_session: dt.date, close_date: dt.date) -> str:
    """Explain why a match was skipped, in words that fit the year-end page (no form fields)."""
    return (
        f"a session is logged on {latest_session}, after the close date {close_date}. "
        "Check that session, or close the match from its own page with a later close date."
    )


@dataclass(frozen=True)
class SkippedMatch:
    match_id: int
    message: str


YEAR_END_BATCH_SIZE = 200
"""Matches one year-end request closes, each in its own transaction. A close took 6.8 ms on
the benchmark database (BENCHMARKS.md), so a batch takes an estimated 1.4 s, far below the
Procfile's default gunicorn timeout of 30 s."""


@dataclass
class YearEndOutcome:
    closed: list[int] = field(default_factory=list)
    proposed_closed: int = 0
    skipped: list[SkippedMatch] = field(default_factory=list)
    last_match_id: int | None = None
    """The highest match id this batch handled (closed or skipped), None when there was none."""
    more: bool = False
    """Whether open matches with a higher id may remain: the batch was full."""


def close_year(
    year: ProgramYear,
    *,
    today: dt.date,
    user_id: int | None,
    after_id: int = 0,
    batch_size: int | None = YEAR_END_BATCH_SIZE,
) -> YearEndOutcome:
    """Close the next batch of open matches of ``year``, by id above ``after_id``.

    Each match closes in its own transaction, so a request cut off halfway leaves
    every match either closed or open, and a batch from the start picks up the open
    ones. A match that cannot close is reported and passed over through ``after_id``,
    so it never holds up the batches. ``batch_size=None`` handles every match at once.
    """
    query = (
        _open_matches_of(year)
        .where(Match.id > after_id)
        .with_only_columns(Match.id, Match.start_date, Match.status, _latest_session())
        .order_by(Match.id)
    )
    if batch_size is not None:
        query = query.limit(batch_size)
    rows = db.session.execute(query).all()
    outcome = YearEndOutcome(
        last_match_id=rows[-1][0] if rows else None,
        more=batch_size is not None and len(rows) == batch_size,
    )
    for match_id, start, status, latest_session in rows:
        close_date = year_end_close_date(year, start)
        if latest_session is not None and latest_session > close_date:
            logger.warning(
                "year end of year %s: match %s not closed (session after close date)",
                year.id,
                match_id,
            )
            outcome.skipped.append(
                SkippedMatch(match_id, blocked_message(latest_session, close_date))
            )
            continue
        try:
            close_match(
                match_id,
                closed_on=close_date,
                reason=CloseReason.school_year_ended,
                note=None,
                user_id=user_id,
                today=today,
            )
        except RuleViolation as violation:
            logger.warning(
                "year end of year %s: match %s not closed (invalid %s)",
                year.id,
                match_id,
                violation.field,
            )
            outcome.skipped.append(SkippedMatch(match_id, violation.render()))
        else:
            outcome.closed.append(match_id)
            if status is MatchStatus.proposed:
                outcome.proposed_closed += 1
    return outcome
