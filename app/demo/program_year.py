"""The demo's program year (containing today, with vacation weeks) and match check-ins."""

from __future__ import annotations

import datetime as dt

from app.demo.context import DemoContext
from app.extensions import db
from app.models import Match, MatchCheckIn, ProgramYear, ProgramYearBreak
from app.rules.check_ins import check_check_in_date
from app.rules.choices import CheckInChannel, CheckInContact, MatchStatus
from app.rules.timezone import week_start
from app.services.program_years import year_on

CHECK_IN_NOTES = (
    "Sessions on track; the student likes the reading plan.",
    "Family asked to move the slot by half an hour.",
    "Mentor reports steady progress in fractions.",
    "Student missed two sessions because of a school event.",
)
SKIPPED_CHECK_IN_SHARE = 0.3
"""Share of active matches whose latest check-in is skipped, so some are overdue."""


def add_program_year(ctx: DemoContext) -> ProgramYear:
    """Add the school year containing today, from early September to mid-June.

    From mid-June to early September the year is stretched into a summer session
    that ends two weeks after today, so the demo always has a current program year.
    A year that already contains today is kept as it is.
    """
    existing = year_on(ctx.today)
    if existing is not None:
        return existing
    start_year = (
        ctx.today.year if ctx.today >= dt.date(ctx.today.year, 9, 3) else ctx.today.year - 1
    )
    first_day = dt.date(start_year, 9, 3)
    last_day = max(dt.date(start_year + 1, 6, 17), ctx.today + dt.timedelta(days=14))
    year = ProgramYear(
        name=f"{start_year}-{start_year + 1}", first_day=first_day, last_day=last_day
    )
    vacations = [
        (dt.date(start_year, 12, 26), "Winter vacation"),
        (dt.date(start_year + 1, 2, 17), "February vacation"),
        (dt.date(start_year + 1, 4, 21), "April vacation"),
    ]
    for day, label in vacations:
        year.breaks.append(ProgramYearBreak(week_start=week_start(day), label=label))
    db.session.add(year)
    db.session.commit()
    return year


def add_check_ins(ctx: DemoContext, matches: list[Match]) -> int:
    """Add check-ins to the active matches: two in the first month, then about monthly."""
    added = 0
    for match in matches:
        if match.status is not MatchStatus.active:
            continue
        days = [match.start_date + dt.timedelta(days=offset) for offset in (12, 27)]
        while days[-1] + dt.timedelta(days=30) < ctx.today:
            days.append(days[-1] + dt.timedelta(days=ctx.rng.randint(25, 34)))
        if ctx.rng.random() < SKIPPED_CHECK_IN_SHARE:
            days.pop()
        for day in days:
            if day > ctx.today:
                break
            check_check_in_date(day, match_start=match.start_date, today=ctx.today)
            db.session.add(
                MatchCheckIn(
                    match_id=match.id,
                    checked_on=day,
                    contact_with=ctx.rng.choice(list(CheckInContact)),
                    channel=ctx.rng.choice(list(CheckInChannel)),
                    notes=ctx.rng.choice(CHECK_IN_NOTES),
                    created_by_id=ctx.coordinator_id,
                )
            )
            added += 1
    db.session.commit()
    return added
