"""Demo matches, made through the matching service so every matching rule holds.

Closed matches are made first, then the active ones (including the second match
of each rematched student), then one proposed match. Mentors marked inactive in
the plan become inactive only after their matches close.
"""

from __future__ import annotations

import datetime as dt
import string

from app.demo.context import DemoContext
from app.demo.mentors import MentorSpec
from app.demo.review import MatchTrack
from app.extensions import db
from app.models import Match, Mentor, Student
from app.rules.choices import CloseReason, MentorStatus, TimeBand, Weekday
from app.services.matching import MatchDetails, activate_match, close_match, propose_match

BAND_TIMES: dict[str, tuple[dt.time, ...]] = {
    TimeBand.afternoon.name: (dt.time(15, 30), dt.time(16, 0), dt.time(16, 30)),
    TimeBand.early_evening.name: (dt.time(17, 0), dt.time(17, 30), dt.time(18, 0)),
    TimeBand.evening.name: (dt.time(19, 0), dt.time(19, 30), dt.time(20, 0)),
}
"""Meeting times inside each availability band, in Boston time."""

REMATCH_REASONS = (CloseReason.mentor_withdrew, CloseReason.scheduling, CloseReason.other)
"""Close reasons after which the demo student gets a second mentor."""

CLOSE_NOTES = {CloseReason.other: "The family asked for a mentor who speaks their language."}

Pool = list[tuple[Student, dt.date]]


def make_matches(
    ctx: DemoContext,
    mentors: list[tuple[MentorSpec, Mentor]],
    tracks: list[tuple[Student, MatchTrack]],
) -> list[Match]:
    """Make every match in the mentor plan and return them.

    Raises RuleViolation or ServiceError if the plan breaks a matching rule, which
    would be a bug in the plan.
    """
    by_kind: dict[str, Pool] = {}
    for student, track in tracks:
        by_kind.setdefault(track.kind, []).append((student, track))
    matches: list[Match] = []
    second_round: Pool = []
    for spec, mentor in mentors:
        if spec.closed is None:
            continue
        kind = "rematched" if spec.closed in REMATCH_REASONS else "closed"
        student, track = by_kind[kind].pop()
        _widen_grade_band(mentor, student.grade)
        match = _start_match(ctx, student, mentor, track.start)
        close_match(
            match.id,
            closed_on=track.closed_on,
            reason=spec.closed,
            note=CLOSE_NOTES.get(spec.closed),
            user_id=ctx.coordinator_id,
            today=ctx.today,
        )
        matches.append(match)
        if kind == "rematched":
            second_round.append((student, track.restart))

    waiting = second_round + [(student, track.start) for student, track in by_kind["active"]]
    for spec, mentor in mentors:
        for _ in range(spec.active):
            student, start = _take_student(waiting, mentor)
            matches.append(_start_match(ctx, student, mentor, start))

    for spec, mentor in mentors:
        if spec.proposed:
            student, track = by_kind["proposed"].pop()
            _widen_grade_band(mentor, student.grade)
            matches.append(_propose(ctx, student, mentor, track.start))
        if spec.inactive:
            mentor.status = MentorStatus.inactive
    db.session.commit()
    return matches


def _take_student(waiting: Pool, mentor: Mentor) -> tuple[Student, dt.date]:
    """Remove and return the first waiting student in the mentor's grade band, else the first.

    A student outside the band widens the band, as a coordinator would agree with
    the mentor before matching.
    """
    for index, (student, _start) in enumerate(waiting):
        if mentor.grade_band_min <= student.grade <= mentor.grade_band_max:
            return waiting.pop(index)
    student, start = waiting.pop(0)
    _widen_grade_band(mentor, student.grade)
    return student, start


def _widen_grade_band(mentor: Mentor, grade: int) -> None:
    mentor.grade_band_min = min(mentor.grade_band_min, grade)
    mentor.grade_band_max = max(mentor.grade_band_max, grade)


def _start_match(ctx: DemoContext, student: Student, mentor: Mentor, start: dt.date) -> Match:
    """Propose a match and activate it the evening before it starts."""
    activated_at = ctx.moment(start - dt.timedelta(days=1), (16, 19))
    match = _propose(ctx, student, mentor, start, before=activated_at)
    return activate_match(match.id, user_id=ctx.coordinator_id, now=activated_at)


def _propose(
    ctx: DemoContext,
    student: Student,
    mentor: Mentor,
    start: dt.date,
    before: dt.datetime | None = None,
) -> Match:
    """Propose a match dated 2 or 3 days before ``start`` and at least an hour before ``before``.

    The service stamps ``created_at`` with the real clock, so the demo sets the proposal
    time. Students are accepted at least 4 days before their first match starts, so the
    proposal comes after the acceptance. The caller commits.
    """
    shared = [code for code in student.availability if code in mentor.availability]
    day_code, band = ctx.rng.choice(shared or student.availability).split("_", 1)
    subjects = [code for code in student.needs if code in mentor.subjects]
    details = MatchDetails(
        start_date=start,
        slot_weekday=Weekday[day_code],
        slot_time=ctx.rng.choice(BAND_TIMES[band]),
        meet_link=_meet_link(ctx),
        proctor_id=ctx.coordinator_id,
        subjects=subjects or student.needs[:2],
    )
    match = propose_match(
        student.id, mentor.id, details, user_id=ctx.coordinator_id, today=ctx.today
    )
    proposed_at = ctx.moment(start - dt.timedelta(days=ctx.rng.randint(2, 3)))
    if before is not None:
        proposed_at = min(proposed_at, before - dt.timedelta(hours=1))
    match.created_at = proposed_at
    return match


def _meet_link(ctx: DemoContext) -> str:
    parts = ("".join(ctx.rng.choices(string.ascii_lowercase, k=size)) for size in (3, 4, 3))
    return "https://meet.google.com/" + "-".join(parts)
