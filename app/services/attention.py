"""The "needs attention" list: active matches ranked by how urgently they need a coordinator.

A match is listed for any of these reasons, most urgent first:

- no held session for two full school weeks or more in a row;
- below the weekly target two full school weeks running (only when the first does not apply);
- a session logged without the proctor present in the last 28 days;
- a check-in overdue.

Proposed matches are left out: they hold no sessions until a coordinator activates them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.rules.choices import LabeledEnum
from app.rules.program_year import YearSpan
from app.services.health import MatchHealth, active_condition, health_of_matches

RUN_WEEKS = 2


class AttentionReason(LabeledEnum):
    no_session = "No held session for two school weeks or more"
    below_target = "Below the weekly target two school weeks running"
    proctor_absent = "Session without the proctor in the last 4 weeks"
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
    """Return the reasons a match needs attention, most urgent first (empty when none)."""
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


def _rank_key(item: AttentionItem):
    health = item.health
    return (
        -item.urgency,
        -health.target.weeks_without_session,
        -health.target.missed_run,
        health.check_in_due,
        health.match_id,
    )


def needs_attention(
    year: YearSpan, today: dt.date, reason: AttentionReason | None = None
) -> list[AttentionItem]:
    """Return the active matches that need attention, most urgent first.

    With ``reason``, only matches listed for that reason are returned.
    """
    items = []
    for health in health_of_matches(active_condition(), year, today).values():
        reasons = reasons_for(health)
        if reasons and (reason is None or reason in reasons):
            items.append(AttentionItem(health, reasons))
    return sorted(items, key=_rank_key)
