"""Year end: close every open match of a program year with the reason "school year ended".

Each match closes through ``matching.close_match``, the path every close takes,
so its checks, events and notifications apply. A match that cannot close (for
example one with a session logged after the close date) is skipped and reported.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Match, ProgramYear
from app.rules.choices import CloseReason, MatchStatus
from app.rules.errors import RuleViolation
from app.services.matching import close_match

logger = logging.getLogger(__name__)

OPEN_STATUSES = (MatchStatus.proposed, MatchStatus.active)


def year_end_close_date(year: ProgramYear, start: dt.date) -> dt.date:
    """Return the year's last day, or the match's start date when that is later."""
    return max(year.last_day, start)


def _open_matches_of(year: ProgramYear):
    return select(Match).where(Match.status.in_(OPEN_STATUSES), Match.start_date <= year.last_day)


@dataclass
class YearEndPreview:
    """How many open matches the year end would close, and one page of them."""

    count: int
    matches: list[Match]


def year_end_preview(year: ProgramYear, page: int, page_size: int) -> YearEndPreview:
    """Return the count of open matches that started by the year's last day, and one page."""
    query = _open_matches_of(year)
    count = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    matches = db.session.execute(
        query.options(joinedload(Match.student), joinedload(Match.mentor))
        .order_by(Match.start_date, Match.id)
        .limit(page_size)
        .offset(page * page_size)
    ).scalars()
    return YearEndPreview(count, list(matches))


@dataclass(frozen=True)
class SkippedMatch:
    match_id: int
    message: str


@dataclass
class YearEndOutcome:
    closed: list[int] = field(default_factory=list)
    skipped: list[SkippedMatch] = field(default_factory=list)


def close_year(year: ProgramYear, *, today: dt.date, user_id: int | None) -> YearEndOutcome:
    """Close every open match of ``year`` on its year-end close date; skip those that cannot.

    NOTE: each match closes in its own transaction, one after the other, so a year
    with thousands of open matches takes a while within one request.
    """
    rows = db.session.execute(
        _open_matches_of(year).with_only_columns(Match.id, Match.start_date).order_by(Match.id)
    ).all()
    outcome = YearEndOutcome()
    for match_id, start in rows:
        try:
            close_match(
                match_id,
                closed_on=year_end_close_date(year, start),
                reason=CloseReason.school_year_ended,
                note=None,
                user_id=user_id,
                today=today,
            )
        except RuleViolation as violation:
            logger.warning("year end: match %s not closed (%s)", match_id, violation.field)
            outcome.skipped.append(SkippedMatch(match_id, violation.render()))
        else:
            outcome.closed.append(match_id)
    return outcome
