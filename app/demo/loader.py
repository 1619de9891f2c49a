"""Load the demo program into the current database: logins, nominations, mentors, matches.

Nominations move through the review service and matches through the matching
service, so the demo data passes the same rules as data entered on the screens.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app import events
from app.cli import seed_schools, sync_roles
from app.demo.context import DemoContext, school_levels
from app.demo.matches import make_matches
from app.demo.mentors import MENTOR_PLAN, add_mentor
from app.demo.nominations import add_duplicate, add_nomination, draw_profiles
from app.demo.program_year import add_check_ins, add_program_year
from app.demo.review import NominationPlan, apply_review, plan_nominations
from app.demo.sessions import add_sessions
from app.extensions import db
from app.mail.queue import mail_muted
from app.models import Mentor, Nomination
from app.models.types import utcnow
from app.rules.choices import MatchStatus, NominationStatus
from app.rules.timezone import program_today
from config import ADMIN_ROLE, COORDINATOR_ROLE, MENTOR_ROLE

logger = logging.getLogger(__name__)

SELF_NOMINATIONS = 4


@dataclass(frozen=True)
class DemoLogin:
    """A login the demo creates, with the password printed in development."""

    username: str
    password: str
    role: str


DEMO_LOGINS = (
    DemoLogin("admin", "admin-demo-pass", ADMIN_ROLE),
    DemoLogin("coordinator", "coordinator-demo-pass", COORDINATOR_ROLE),
    DemoLogin("mentor1", "mentor1-demo-pass", MENTOR_ROLE),
    DemoLogin("mentor2", "mentor2-demo-pass", MENTOR_ROLE),
)
"""The logins the README lists. The coordinator is also the proctor of every demo match."""


@dataclass
class DemoSummary:
    """Counts of the rows the load added, and the demo logins that existed before it."""

    nominations: int = 0
    mentors: int = 0
    matches: dict[MatchStatus, int] = field(default_factory=dict)
    sessions: int = 0
    check_ins: int = 0
    existing_logins: list[str] = field(default_factory=list)


def program_has_data() -> bool:
    """Return whether any nomination or mentor exists."""
    return any(
        db.session.execute(select(model.id).limit(1)).first() is not None
        for model in (Nomination, Mentor)
    )


def load_demo_program(
    seed: int, *, known_passwords: bool, now: dt.datetime | None = None
) -> DemoSummary:
    """Add the demo program to an empty program and return what was added.

    ``known_passwords`` gives the demo logins the passwords in DEMO_LOGINS. Without
    it they get a random password that is thrown away, so an admin must set one.
    ``now`` (aware) is the load time, and every date is before it except the
    proposed match's start. The same seed and day give the same data.
    """
    now = now or utcnow()
    sync_roles()
    seed_schools()
    summary = DemoSummary()
    users = DemoUsers(known_passwords, summary)
    staff = {
        login.username: users.demo_user(login) for login in DEMO_LOGINS if login.role != MENTOR_ROLE
    }
    db.session.commit()
    ctx = DemoContext(
        rng=random.Random(seed),  # noqa: S311 (fictional data, not security)
        now=now,
        today=program_today(now),
        coordinator_id=staff["coordinator"].id,
        clearance_years=current_app.config["ILS_CLEARANCE_YEARS"],
        schools_by_level=school_levels(),
    )
    with _quiet_program_events():
        plans = _add_nominations(ctx)
        mentors = _add_mentors(ctx, users)
        tracks = [
            (db.session.get(Nomination, plan.nomination_id).student, plan.track)
            for plan in plans
            if plan.track is not None and plan.track.start is not None
        ]
        matches = make_matches(ctx, mentors, tracks)
        summary.sessions = add_sessions(ctx, matches)
        add_program_year(ctx)
        summary.check_ins = add_check_ins(ctx, matches)
    summary.nominations = len(plans) + 1
    summary.mentors = len(mentors)
    for match in matches:
        summary.matches[match.status] = summary.matches.get(match.status, 0) + 1
    logger.info(
        "demo program loaded: %s nominations, %s mentors, %s matches, %s sessions, %s check-ins",
        summary.nominations,
        summary.mentors,
        len(matches),
        summary.sessions,
        summary.check_ins,
    )
    return summary


@contextmanager
def _quiet_program_events() -> Iterator[None]:
    """Mute notifications, and the services' per-row INFO logs, while loading.

    Demo addresses are fictional, so no notification may be sent or queued for them:
    the outbox stays empty and the demo loads as fast as before.
    """
    services_logger = logging.getLogger("app.services")
    level = services_logger.level
    services_logger.setLevel(logging.WARNING)
    try:
        with ExitStack() as stack:
            stack.enter_context(mail_muted())
            for signal in (events.nomination_received, events.match_activated, events.match_closed):
                stack.enter_context(signal.muted())
            yield
    finally:
        services_logger.setLevel(level)


def _add_nominations(ctx: DemoContext) -> list[NominationPlan]:
    """Add the planned nominations, review them, and add one possible duplicate."""
    plans = plan_nominations(ctx)
    profiles = draw_profiles(ctx, len(plans), SELF_NOMINATIONS)
    for plan, profile in zip(plans, profiles, strict=True):
        nomination = add_nomination(ctx, profile, plan.submitted_at)
        db.session.flush()
        plan.nomination_id = nomination.id
    db.session.commit()
    for plan in plans:
        apply_review(ctx, plan)

    waitlisted = next(plan for plan in plans if plan.final_status is NominationStatus.waitlisted)
    original = db.session.get(Nomination, waitlisted.nomination_id)
    submitted_on = ctx.today - dt.timedelta(days=ctx.rng.randint(0, 5))
    add_duplicate(ctx, original, ctx.moment(submitted_on, (7, 21)))
    db.session.commit()
    return plans


def _add_mentors(ctx: DemoContext, users: DemoUsers):
    """Add the mentors of MENTOR_PLAN with their logins; return (spec, mentor) pairs."""
    logins = {login.username: login for login in DEMO_LOGINS}
    mentors = []
    for number, spec in enumerate(MENTOR_PLAN, start=1):
        mentor = add_mentor(ctx, spec.stage, spec.capacity)
        db.session.flush()
        user = None
        if spec.login is not None:
            user = users.demo_user(logins[spec.login], mentor)
        elif spec.has_login:
            user = users.add(f"mentor{number:02d}", MENTOR_ROLE, mentor)
        mentor.user_id = user.id if user else None
        mentors.append((spec, mentor))
    db.session.commit()
    return mentors


class DemoUsers:
    """Adds the demo's users. The caller commits.

    Users without a known password share one hash of a random password that is
    thrown away, so they cannot log in until an admin sets a password. Hashing
    once saves about 0.1 s per user (scrypt, FAB's default).
    """

    def __init__(self, known_passwords: bool, summary: DemoSummary) -> None:
        self.known_passwords = known_passwords
        self.summary = summary
        self.unusable_hash = generate_password_hash(secrets.token_urlsafe(32))

    def demo_user(self, login: DemoLogin, mentor: Mentor | None = None):
        """Return the user of a demo login, adding it if missing.

        An existing user keeps its password and is listed in the summary.
        """
        user = current_app.appbuilder.sm.find_user(username=login.username)
        if user is not None:
            self.summary.existing_logins.append(login.username)
            return user
        password = login.password if self.known_passwords else None
        return self.add(login.username, login.role, mentor, password)

    def add(self, username: str, role: str, mentor: Mentor | None, password: str | None = None):
        """Add a user named after ``mentor``, or "Demo <role>" for staff."""
        security = current_app.appbuilder.sm
        user = security.add_user(
            username=username,
            first_name=mentor.first_name if mentor else "Demo",
            last_name=mentor.last_name if mentor else role,
            email=mentor.email if mentor else f"{username}@example.org",
            role=security.find_role(role),
            password=password or "",
            hashed_password="" if password else self.unusable_hash,
            commit=False,
        )
        if not user:
            raise RuntimeError(f"Adding the demo user {username} failed; FAB logged the reason.")
        return user
