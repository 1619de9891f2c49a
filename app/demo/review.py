"""Demo review history: when each nomination arrived and how coordinators moved it.

Every nomination gets a timeline of status changes in the past. Accepted
students also get a ``MatchTrack``, the match dates that ``app.demo.matches``
uses, so acceptance always comes before the match starts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.demo.content import DECLINE_REASONS, WAITLIST_NOTE, WITHDRAW_NOTES
from app.demo.context import DemoContext
from app.rules.choices import NominationStatus as Status
from app.services.review import change_nomination_status

TRACK_COUNTS = {"active": 11, "rematched": 3, "closed": 2, "proposed": 1, "waiting": 5}
"""Accepted students by what happens next: an active match, a closed match followed by
an active one with another mentor, a closed match only, a proposed match, or none yet."""

OTHER_PATHS: dict[Status, tuple[tuple[Status, ...], ...]] = {
    Status.new: ((),),
    Status.in_review: ((Status.in_review,),),
    Status.waitlisted: ((Status.in_review, Status.waitlisted), (Status.waitlisted,)),
    Status.declined: ((Status.in_review, Status.declined), (Status.declined,)),
    Status.withdrawn: ((Status.withdrawn,), (Status.in_review, Status.withdrawn)),
}
"""The status changes that lead to each status other than accepted and matched."""

OTHER_COUNTS = {
    Status.new: 11,
    Status.in_review: 9,
    Status.waitlisted: 7,
    Status.declined: 5,
    Status.withdrawn: 5,
}


@dataclass
class MatchTrack:
    """The match dates planned for one accepted student.

    ``start`` is the first match's start date, ``closed_on`` its close date if it
    closes, and ``restart`` the start of a second match with another mentor.
    """

    kind: str
    start: dt.date | None = None
    closed_on: dt.date | None = None
    restart: dt.date | None = None


@dataclass
class NominationPlan:
    """When a nomination arrives and each later status change, with its note."""

    submitted_at: dt.datetime
    steps: list[tuple[Status, dt.datetime, str | None]] = field(default_factory=list)
    track: MatchTrack | None = None
    nomination_id: int | None = None

    @property
    def final_status(self) -> Status:
        return self.steps[-1][0] if self.steps else Status.new


def plan_nominations(ctx: DemoContext) -> list[NominationPlan]:
    """Return the nomination plans in the order the nominations arrived."""
    plans = []
    for kind, count in TRACK_COUNTS.items():
        for index in range(count):
            plans.append(_accepted_plan(ctx, _track(ctx, kind), via_waitlist=index % 4 == 1))
    for status, count in OTHER_COUNTS.items():
        for _ in range(count):
            plans.append(_other_plan(ctx, ctx.rng.choice(OTHER_PATHS[status])))
    return sorted(plans, key=lambda plan: plan.submitted_at)


def _days(ctx: DemoContext, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=ctx.rng.randint(low, high))


def _track(ctx: DemoContext, kind: str) -> MatchTrack:
    today = ctx.today
    if kind == "active":
        return MatchTrack(kind, start=today - _days(ctx, 21, 120))
    if kind == "rematched":
        start = today - _days(ctx, 110, 135)
        closed_on = start + _days(ctx, 21, 42)
        return MatchTrack(kind, start, closed_on, restart=closed_on + _days(ctx, 7, 14))
    if kind == "closed":
        start = today - _days(ctx, 60, 110)
        closed_on = min(start + _days(ctx, 28, 56), today - dt.timedelta(days=1))
        return MatchTrack(kind, start, closed_on)
    if kind == "proposed":
        return MatchTrack(kind, start=today + _days(ctx, 3, 10))
    return MatchTrack(kind)


def _accepted_plan(ctx: DemoContext, track: MatchTrack, via_waitlist: bool) -> NominationPlan:
    """Plan new, in review, perhaps waitlisted, then accepted a few days before the match."""
    if track.start is not None and track.start < ctx.today:
        accepted_on = track.start - _days(ctx, 4, 12)
    else:
        accepted_on = ctx.today - _days(ctx, 2, 30)
    days = [(Status.accepted, accepted_on, None)]
    if via_waitlist:
        days.insert(0, (Status.waitlisted, days[0][1] - _days(ctx, 5, 20), WAITLIST_NOTE))
    days.insert(0, (Status.in_review, days[0][1] - _days(ctx, 1, 5), None))
    submitted_on = days[0][1] - _days(ctx, 1, 4)
    return NominationPlan(
        submitted_at=ctx.moment(submitted_on, (7, 21)),
        steps=[(status, ctx.moment(day), note) for status, day, note in days],
        track=track,
    )


def _other_plan(ctx: DemoContext, path: tuple[Status, ...]) -> NominationPlan:
    """Plan a nomination that moves along ``path``, one to five days per step."""
    if not path:
        submitted_on = ctx.today - _days(ctx, 0, 13)
    else:
        submitted_on = ctx.today - _days(ctx, 6 * len(path), 6 * len(path) + 60)
    plan = NominationPlan(submitted_at=ctx.moment(submitted_on, (7, 21)))
    day = submitted_on
    for status in path:
        day += _days(ctx, 1, 5)
        plan.steps.append((status, ctx.moment(day), _note(ctx, status)))
    return plan


def _note(ctx: DemoContext, status: Status) -> str | None:
    if status is Status.declined:
        return ctx.rng.choice(DECLINE_REASONS)
    if status is Status.withdrawn:
        return ctx.rng.choice(WITHDRAW_NOTES)
    if status is Status.waitlisted:
        return WAITLIST_NOTE
    return None


def apply_review(ctx: DemoContext, plan: NominationPlan) -> None:
    """Make the plan's status changes through the review service, as the coordinator."""
    for status, changed_at, note in plan.steps:
        change_nomination_status(
            plan.nomination_id, status, user_id=ctx.coordinator_id, reason=note, now=changed_at
        )
