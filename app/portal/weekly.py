"""Minutes of held sessions per match in one week, against the weekly target of a school week."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import MentoringSession, ProgramYear
from app.rules.choices import SessionOutcome
from app.rules.timezone import program_today, week_start
from app.rules.weekly_target import WEEKLY_TARGET_MINUTES


@dataclass(frozen=True)
class SchoolWeek:
    """Monday to Sunday, as calendar dates in the program's time zone (America/New_York).

    ``target_minutes`` is None in a week that has no weekly target: a week without
    school, or a week outside every program year. ``no_target_reason`` then names the reason.
    """

    first_day: dt.date
    last_day: dt.date
    target_minutes: int | None = WEEKLY_TARGET_MINUTES
    no_target_reason: str | None = None

    @classmethod
    def containing(cls, now: dt.datetime) -> SchoolWeek:
        """Return the week that contains the Boston date at the aware moment ``now``.

        A week is a school week when it overlaps a program year and is not one of
        its weeks without school, the same rule as the coordinators' health figures.
        """
        monday = week_start(program_today(now))
        sunday = monday + dt.timedelta(days=6)
        year = db.session.execute(
            select(ProgramYear)
            .where(ProgramYear.first_day <= sunday, ProgramYear.last_day >= monday)
            .options(selectinload(ProgramYear.breaks))
            .limit(1)
        ).scalar_one_or_none()
        if year is None:
            return cls(
                monday,
                sunday,
                None,
                "No program year includes this week, so it has no weekly target.",
            )
        vacation = next((item for item in year.breaks if item.week_start == monday), None)
        if vacation is not None:
            return cls(
                monday,
                sunday,
                None,
                f"This is a week without school ({vacation.label}), so it has no weekly target.",
            )
        return cls(monday, sunday)


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
