"""The "needs attention" list: active matches ranked by how urgently they need a coordinator.

A match is listed for any of these reasons, most urgent first:

- no held session for two full school weeks or more in a row;
- below the weekly target two full school weeks running (only when the first does not apply);
- a held session logged without the proctor present in the last 28 days, today included;
- a check-in overdue.

Proposed matches are left out: they hold no sessions until a coordinator activates them.

Reasons, ranking, the reason filter and paging run in one SQL statement over the
year's match_year_figures rows (see app.services.health.derived_columns), so a
page costs the same whatever the number of sessions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, select

from app.extensions import db
from app.models import Match, MatchYearFigures
from app.rules.choices import LabeledEnum
from app.rules.program_year import YearSpan
from app.rules.weekly_target import TargetSummary
from app.services.health import MatchHealth, active_condition, derived_columns, read_day

RUN_WEEKS = 2


class AttentionReason(LabeledEnum):
    no_session = "No held session for two school weeks or more"
    below_target = "Below the weekly target two school weeks running"
    proctor_absent = "Held session without the proctor in the last 28 days"
    check_in_overdue = "Check-in overdue"


REASON_WEIGHTS = {
    AttentionReason.no_session: 8,
    AttentionReason.below_target: 4,
    AttentionReason.proctor_absent: 2,
    AttentionReason.check_in_overdue: 1,
}
"""Each reason outweighs all the less urgent ones together."""


@dataclass(frozen=True)
class AttentionItem:
    health: MatchHealth
    reasons: tuple[AttentionReason, ...]

    @property
    def urgency(self) -> int:
        return sum(REASON_WEIGHTS[reason] for reason in self.reasons)


def reasons_for(health: MatchHealth) -> tuple[AttentionReason, ...]:
    """Return the reasons a match needs attention, most urgent first (empty when none).

    The SQL in ``attention_page`` applies the same rules.
    """
    reasons = []
    if health.target.weeks_without_session >= RUN_WEEKS:
        reasons.append(AttentionReason.no_session)
    elif health.target.missed_run >= RUN_WEEKS:
        reasons.append(AttentionReason.below_target)
    if health.proctor_absent_recent:
        reasons.append(AttentionReason.proctor_absent)
    if health.check_in_overdue:
        reasons.append(AttentionReason.check_in_overdue)
    return tuple(reasons)


def _ranked_figures(year: YearSpan, today: dt.date):
    """Return a subquery of the year's active matches with their derived figures and urgency."""
    figures = MatchYearFigures
    derived = derived_columns(read_day(year, today))
    flags = {
        AttentionReason.no_session: derived["weeks_without_session"] >= RUN_WEEKS,
        AttentionReason.below_target: (derived["weeks_without_session"] < RUN_WEEKS)
        & (derived["missed_run"] >= RUN_WEEKS),
        AttentionReason.proctor_absent: derived["proctor_absent_recent"],
        AttentionReason.check_in_overdue: derived["check_in_overdue"],
    }
    listed = {reason: case((flag, 1), else_=0) for reason, flag in flags.items()}
    urgency = sum(REASON_WEIGHTS[reason] * value for reason, value in listed.items())
    return (
        select(
            figures.match_id,
            figures.held_minutes,
            figures.last_session,
            figures.proctor_absent,
            figures.check_ins,
            figures.last_check_in,
            figures.check_in_due,
            *(value.label(name) for name, value in derived.items()),
            *(value.label(f"listed_{reason.name}") for reason, value in listed.items()),
            urgency.label("urgency"),
        )
        .join(Match, Match.id == figures.match_id)
        .where(figures.program_year_id == year.id, active_condition())
        .subquery()
    )


def _item(row) -> AttentionItem:
    health = MatchHealth(
        match_id=row.match_id,
        target=TargetSummary(
            on_target_weeks=row.on_target_weeks,
            counted_weeks=row.counted_weeks,
            missed_run=row.missed_run,
            weeks_without_session=row.weeks_without_session,
        ),
        held_minutes=row.held_minutes,
        last_session=row.last_session,
        proctor_absent=row.proctor_absent,
        proctor_absent_recent=bool(row.proctor_absent_recent),
        check_ins=row.check_ins,
        last_check_in=row.last_check_in,
        check_in_due=row.check_in_due,
        check_in_overdue=bool(row.check_in_overdue),
    )
    return AttentionItem(health, reasons_for(health))


def attention_page(
    year: YearSpan,
    today: dt.date,
    reason: AttentionReason | None = None,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[list[AttentionItem], int]:
    """Return one page of the matches that need attention, most urgent first, and their count.

    One statement: the count comes from a window function over the filtered rows.
    With ``reason``, only matches listed for that reason are returned. ``year``
    must be a stored year (its ``id`` set).
    """
    if year.id is None:
        raise ValueError("the needs-attention list reads stored figures: pass a stored year")
    ranked = _ranked_figures(year, today)
    condition = ranked.c.urgency > 0 if reason is None else ranked.c[f"listed_{reason.name}"] == 1
    query = (
        select(ranked, func.count().over().label("total"))
        .where(condition)
        .order_by(
            ranked.c.urgency.desc(),
            ranked.c.weeks_without_session.desc(),
            ranked.c.missed_run.desc(),
            ranked.c.check_in_due,
            ranked.c.match_id,
        )
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    rows = db.session.execute(query).all()
    total = rows[0].total if rows else 0
    if not rows and offset:
        total = db.session.execute(
            select(func.count()).select_from(ranked).where(condition)
        ).scalar_one()
    return [_item(row) for row in rows], int(total)


def needs_attention(
    year: YearSpan, today: dt.date, reason: AttentionReason | None = None
) -> list[AttentionItem]:
    """Return all the active matches that need attention, most urgent first."""
    items, _ = attention_page(year, today, reason)
    return items
