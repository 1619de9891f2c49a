"""The nomination lifecycle: which status may follow which."""

from __future__ import annotations

from app.rules.choices import NominationStatus as S
from app.rules.errors import N_, RuleViolation

# "matched" is set only by activating a match, never by hand.
ALLOWED_TRANSITIONS: dict[S, frozenset[S]] = {
    S.new: frozenset({S.in_review, S.waitlisted, S.declined, S.withdrawn}),
    S.in_review: frozenset({S.accepted, S.waitlisted, S.declined, S.withdrawn}),
    S.waitlisted: frozenset({S.in_review, S.accepted}),
    S.accepted: frozenset(),
    S.matched: frozenset(),
    S.declined: frozenset(),
    S.withdrawn: frozenset(),
}


def check_transition(current: S, target: S, reason: str | None = None) -> None:
    """Raise RuleViolation unless a nomination in ``current`` may move to ``target``.

    Declining needs a reason, which the coordinator writes for the record.
    """
    if target not in ALLOWED_TRANSITIONS[current]:
        raise RuleViolation(
            "status",
            N_("A nomination that is %(current)s cannot be marked %(target)s."),
            current=current.value.lower(),
            target=target.value.lower(),
        )
    if target is S.declined and not (reason and reason.strip()):
        raise RuleViolation("decline_reason", N_("Enter the reason for declining."))
