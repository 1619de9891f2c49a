"""Demo mentors: the plan of who is at which screening stage, and their screening dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from app.demo.content import COMMUNITIES
from app.demo.context import NEED_CODES, DemoContext
from app.extensions import db
from app.models import Mentor
from app.rules.choices import CheckStatus, CloseReason, MentorStatus
from app.rules.timezone import add_years

MENTOR_GRADE_BANDS = ((1, 5), (3, 8), (6, 8), (6, 12), (9, 12), (1, 12))
"""Preferred grade bands, from lowest to highest grade."""


@dataclass(frozen=True)
class MentorSpec:
    """One demo mentor: screening stage, capacity, and the matches to make.

    ``active`` counts matches left active, ``closed`` is the reason of one match
    closed before them, ``proposed`` adds one match not yet activated, and
    ``inactive`` marks the mentor inactive once the matches are made. ``login``
    is a username from DEMO_LOGINS. Other mentors from the expired or ready stage
    get a login named mentorNN with an unusable password.
    """

    stage: str
    capacity: int
    active: int = 0
    closed: CloseReason | None = None
    proposed: bool = False
    inactive: bool = False
    login: str | None = None

    @property
    def has_login(self) -> bool:
        return self.stage not in ("applicant", "screening", "short_training")


MENTOR_PLAN: tuple[MentorSpec, ...] = (
    MentorSpec("ready", 2, active=2, login="mentor1"),
    MentorSpec("ready", 3, active=2, closed=CloseReason.goals_met, login="mentor2"),
    MentorSpec("ready", 1, active=1),
    MentorSpec("ready", 1, active=1),
    MentorSpec("ready", 1, active=1),
    MentorSpec("ready", 2, active=2),
    MentorSpec("ready", 2, active=1, closed=CloseReason.student_withdrew),
    MentorSpec("ready", 3, active=2),
    MentorSpec("ready", 1, active=1),
    MentorSpec("ready", 2, active=1),
    MentorSpec("ready", 1, proposed=True),
    MentorSpec("ready", 1, closed=CloseReason.mentor_withdrew, inactive=True),
    MentorSpec("ready", 1, closed=CloseReason.scheduling),
    MentorSpec("ready", 2, closed=CloseReason.other),
    MentorSpec("ready", 1),
    MentorSpec("ready", 2),
    MentorSpec("ready", 1, inactive=True),
    MentorSpec("expired", 1),
    MentorSpec("short_training", 1),
    MentorSpec("screening", 1),
    MentorSpec("screening", 2),
    MentorSpec("screening", 1),
    MentorSpec("applicant", 1),
    MentorSpec("applicant", 1),
    MentorSpec("applicant", 3),
)
"""25 mentors: 14 active matches, 1 proposed and 5 closed, and every screening stage."""


def add_mentor(ctx: DemoContext, stage: str, capacity: int) -> Mentor:
    """Add a mentor whose screening dates fit ``stage``; the caller commits.

    Stages: ``applicant``, ``screening`` (checks submitted), ``short_training``
    (cleared, but fewer training hours than the minimum), ``expired`` (clearance
    older than the clearance period), and ``ready`` (cleared and trained).
    """
    community = ctx.rng.choice(COMMUNITIES)
    first_name, last_name = ctx.person(community)
    band = ctx.rng.choice(MENTOR_GRADE_BANDS)
    languages = dict.fromkeys(["English", *community.home_languages.split(", ")])
    mentor = Mentor(
        first_name=first_name,
        last_name=last_name,
        email=ctx.email(first_name, last_name),
        phone=ctx.phone(),
        languages=", ".join(languages),
        subjects=ctx.rng.sample(NEED_CODES, ctx.rng.randint(2, 4)),
        grade_band_min=band[0],
        grade_band_max=band[1],
        availability=sorted({*ctx.availability(), *ctx.availability()}),
        capacity=capacity,
    )
    SCREENING_STAGES[stage](ctx, mentor)
    db.session.add(mentor)
    return mentor


def _applicant(ctx: DemoContext, mentor: Mentor) -> None:
    mentor.status = MentorStatus.applicant
    mentor.application_date = ctx.today - dt.timedelta(days=ctx.rng.randint(3, 20))


def _screening(ctx: DemoContext, mentor: Mentor) -> None:
    mentor.status = MentorStatus.screening
    mentor.application_date = ctx.today - dt.timedelta(days=ctx.rng.randint(25, 60))
    mentor.interview_date = mentor.application_date + dt.timedelta(days=ctx.rng.randint(5, 12))
    mentor.references_checked = ctx.rng.random() < 0.5
    mentor.cori_status = CheckStatus.submitted
    mentor.sori_status = CheckStatus.submitted


def _cleared(ctx: DemoContext, mentor: Mentor, applied_on: dt.date) -> None:
    """Record an interview, references, both checks cleared and training after ``applied_on``."""
    mentor.status = MentorStatus.ready
    mentor.application_date = applied_on
    mentor.interview_date = applied_on + dt.timedelta(days=ctx.rng.randint(5, 12))
    mentor.references_checked = True
    cleared_on = mentor.interview_date + dt.timedelta(days=ctx.rng.randint(10, 25))
    mentor.cori_status = mentor.sori_status = CheckStatus.cleared
    mentor.cori_cleared_on = mentor.sori_cleared_on = cleared_on
    mentor.training_completed_on = cleared_on + dt.timedelta(days=ctx.rng.randint(3, 14))
    mentor.training_hours = Decimal(ctx.rng.choice(("2.0", "2.5", "3.0", "4.0")))


def _ready(ctx: DemoContext, mentor: Mentor) -> None:
    # Trained at least 150 days ago, before the earliest demo match starts.
    _cleared(ctx, mentor, ctx.today - dt.timedelta(days=ctx.rng.randint(200, 360)))


def _short_training(ctx: DemoContext, mentor: Mentor) -> None:
    _cleared(ctx, mentor, ctx.today - dt.timedelta(days=ctx.rng.randint(60, 90)))
    mentor.status = MentorStatus.screening
    mentor.training_hours = Decimal("1.5")


def _expired(ctx: DemoContext, mentor: Mentor) -> None:
    applied_on = add_years(ctx.today, -ctx.clearance_years) - dt.timedelta(days=90)
    _cleared(ctx, mentor, applied_on - dt.timedelta(days=ctx.rng.randint(0, 60)))
    # Expired checks must be renewed before the next match, so the mentor is back in screening.
    mentor.status = MentorStatus.screening
    mentor.notes = "Clearance renewal requested."


SCREENING_STAGES = {
    "applicant": _applicant,
    "screening": _screening,
    "short_training": _short_training,
    "expired": _expired,
    "ready": _ready,
}
