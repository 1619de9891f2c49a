"""Minutes of held sessions per match in one school week, against the weekly target."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.models import MentoringSession
from app.rules.choices import SessionOutcome
from app.rules.timezone import program_today, week_start

WEEKLY_TARGET_MINUTES = 60
"""An active match should hold at least this many minutes of sessions in every school week."""


@dataclass(frozen=True)
class SchoolWeek:
    """Monday to Sunday, as calendar dates in the program's time zone (America/New_York)."""

    first_day: dt.date
    last_day: dt.date

    @classmethod
    def containing(cls, now: dt.datetime) -> SchoolWeek:
        """Return the week that contains the Boston date at the aware moment ``now``.

        NOTE: program years and weeks without school are not stored yet, so every
        calendar week counts as a school week here, vacations included.
        """
        monday = week_start(program_today(now))
        return cls(monday, monday + dt.timedelta(days=6))


def held_minutes_by_match(match_ids: Collection[int], week: SchoolWeek) -> dict[int, int]:
    """Return the minutes of held sessions in ``week`` for each of ``match_ids``, in one query.

    Sessions with another outcome (no-show, cancelled) do not count. Matches without
    a held session that week are missing from the result.
    """
    if not match_ids:
        return {}
    query = (
        select(MentoringSession.match_id, func.sum(MentoringSession.duration_minutes))
        .where(
            MentoringSession.match_id.in_(list(match_ids)),
            MentoringSession.outcome == SessionOutcome.held,
            MentoringSession.session_date.between(week.first_day, week.last_day),
        )
        .group_by(MentoringSession.match_id)
    )
    return {match_id: int(total) for match_id, total in db.session.execute(query)}
