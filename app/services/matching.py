"""Making, activating and closing matches, safe under concurrent requests.

Two rules span several rows: one open match per student and the mentor's
capacity. The partial unique index on ``match`` enforces the first. This module
enforces the second by locking the mentor row before counting (``SELECT ... FOR
UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so two coordinators filling
the same mentor at the same moment are served one after the other.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from flask import current_app
from flask_appbuilder.security.sqla.models import Role, User
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import events
from app.database import write_transaction
from app.extensions import db
from app.mail.queue import queue_match_activated, queue_match_closed
from app.models import Match, Mentor, MentoringSession, Nomination, Student
from app.models.types import utcnow
from app.rules import match as match_rules
from app.rules import mentor as mentor_rules
from app.rules.choices import (
    CloseReason,
    MatchStatus,
    MentorStatus,
    NominationStatus,
    Weekday,
)
from app.rules.errors import N_
from app.rules.timezone import program_today
from app.services.errors import ConflictError, ServiceError
from app.services.review import record_status
from config import ADMIN_ROLE, COORDINATOR_ROLE

logger = logging.getLogger(__name__)

OPEN_STATUSES = (MatchStatus.proposed, MatchStatus.active)
PROCTOR_ROLES = (COORDINATOR_ROLE, ADMIN_ROLE)


@dataclass
class MatchDetails:
    """The details a coordinator enters when making a match."""

    start_date: dt.date
    slot_weekday: Weekday
    slot_time: dt.time
    meet_link: str
    proctor_id: int
    subjects: list[str] = field(default_factory=list)


def readiness_problems(mentor: Mentor, today: dt.date) -> list[str]:
    """Return why ``mentor`` cannot take a match today (empty when ready)."""
    config = current_app.config
    problems = mentor_rules.readiness_problems(
        cori_status=mentor.cori_status,
        cori_cleared_on=mentor.cori_cleared_on,
        sori_status=mentor.sori_status,
        sori_cleared_on=mentor.sori_cleared_on,
        training_completed_on=mentor.training_completed_on,
        training_hours=mentor.training_hours,
        today=today,
        clearance_years=config["ILS_CLEARANCE_YEARS"],
        min_training_hours=config["ILS_MIN_TRAINING_HOURS"],
    )
    if mentor.status is MentorStatus.inactive:
        problems.append(N_("The mentor is inactive."))
    return problems


def open_match_count(mentor_id: int) -> int:
    return db.session.execute(
        select(func.count(Match.id)).where(
            Match.mentor_id == mentor_id, Match.status.in_(OPEN_STATUSES)
        )
    ).scalar_one()


def propose_match(
    student_id: int, mentor_id: int, details: MatchDetails, *, user_id: int | None, today: dt.date
) -> Match:
    """Create a proposed match after checking every matching rule under a lock.

    Raises RuleViolation for invalid details and ServiceError (field ``student`` or
    ``mentor``) when the student or mentor cannot take this match now.
    """
    meet_link = match_rules.clean_meet_link(details.meet_link)
    match_rules.check_start_date(details.start_date, today)
    match_rules.check_slot(details.slot_weekday, details.slot_time)
    subjects = match_rules.clean_subjects(details.subjects)

    with write_transaction(db.session):
        try:
            mentor = _locked(Mentor, mentor_id, "mentor", N_("This mentor no longer exists."))
            student = _locked(Student, student_id, "student", N_("This student no longer exists."))
            _check_can_match(student, mentor, today)
            match_rules.check_slot_free(
                details.slot_weekday, details.slot_time, open_slots(mentor.id)
            )
            check_proctor(details.proctor_id)
            match = Match(
                student_id=student.id,
                mentor_id=mentor.id,
                status=MatchStatus.proposed,
                start_date=details.start_date,
                slot_weekday=details.slot_weekday,
                slot_time=details.slot_time,
                meet_link=meet_link,
                subjects=subjects,
                proctor_id=details.proctor_id,
                created_by_id=user_id,
            )
            db.session.add(match)
            db.session.commit()
        except IntegrityError as exc:
            db.session.rollback()
            logger.warning(
                "match for student %s rejected by the database: %s",
                student_id,
                exc.orig.__class__.__name__,
            )
            raise ConflictError(
                "student", N_("This student already has a proposed or active match.")
            ) from None
        except Exception:
            db.session.rollback()
            raise
    logger.info("match %s proposed (student %s, mentor %s)", match.id, student_id, mentor_id)
    return match


def _is_open_match_conflict(error: IntegrityError) -> bool:
    """Tell the one-open-match index apart from other constraint errors (both databases)."""
    text = str(error.orig)
    return "uq_match_open_per_student" in text or "match.student_id" in text


def open_slots(mentor_id: int, *, except_match_id: int | None = None) -> list[tuple]:
    """Return the weekday and time of the mentor's open matches, leaving out one match."""
    query = select(Match.slot_weekday, Match.slot_time).where(
        Match.mentor_id == mentor_id, Match.status.in_(OPEN_STATUSES)
    )
    if except_match_id is not None:
        query = query.where(Match.id != except_match_id)
    return [tuple(row) for row in db.session.execute(query)]


def check_meeting_change(match: Match) -> None:
    """Check a coordinator's change to an open match's meeting details and clean them in place.

    Runs ``clean_meeting_details`` and checks that the new slot does not overlap
    the mentor's other open matches. NOTE: the mentor row is not locked here, so two
    edits saved at the same moment could still book overlapping slots.
    """
    match.meet_link, match.subjects = match_rules.clean_meeting_details(
        match.status, match.slot_weekday, match.slot_time, match.meet_link, match.subjects
    )
    with db.session.no_autoflush:
        other_slots = open_slots(match.mentor_id, except_match_id=match.id)
    match_rules.check_slot_free(match.slot_weekday, match.slot_time, other_slots)


def check_proctor(user_id: int | None, field: str = "proctor") -> None:
    """Raise ServiceError unless ``user_id`` is an active coordinator or administrator login.

    Proctors are program staff, so a mentor's or a deactivated login cannot proctor.
    """
    found = None
    if user_id is not None:
        found = db.session.execute(
            select(User.id)
            .join(User.roles)
            .where(User.id == user_id, User.active.is_(True), Role.name.in_(PROCTOR_ROLES))
            .limit(1)
        ).first()
    if found is None:
        raise ServiceError(
            field, N_("The proctor must be an active coordinator or administrator login.")
        )


def _locked(model, row_id: int, field_name: str, missing_message: str):
    row = db.session.execute(
        select(model).where(model.id == row_id).with_for_update()
    ).scalar_one_or_none()
    if row is None:
        raise ServiceError(field_name, missing_message)
    return row


def _check_can_match(student: Student, mentor: Mentor, today: dt.date) -> None:
    if not _student_accepted(student.id):
        raise ServiceError("student", N_("Only an accepted student can be matched."))
    if _student_has_open_match(student.id):
        raise ConflictError("student", N_("This student already has a proposed or active match."))
    problems = readiness_problems(mentor, today)
    if problems:
        raise ServiceError(
            "mentor",
            N_("This mentor is not ready to match. %(reasons)s"),
            reasons=" ".join(problems),
        )
    if open_match_count(mentor.id) >= mentor.capacity:
        raise ConflictError(
            "mentor",
            N_("This mentor already has %(count)s open matches, the mentor's capacity."),
            count=mentor.capacity,
        )


def _student_accepted(student_id: int) -> bool:
    statuses = (NominationStatus.accepted, NominationStatus.matched)
    return (
        db.session.execute(
            select(Nomination.id)
            .where(Nomination.student_id == student_id, Nomination.status.in_(statuses))
            .limit(1)
        ).first()
        is not None
    )


def _student_has_open_match(student_id: int) -> bool:
    return (
        db.session.execute(
            select(Match.id)
            .where(Match.student_id == student_id, Match.status.in_(OPEN_STATUSES))
            .limit(1)
        ).first()
        is not None
    )


def activate_match(match_id: int, *, user_id: int | None, now: dt.datetime | None = None) -> Match:
    """Make a proposed match active, mark the student's nominations matched, raise the event.

    The notifications are queued in the same transaction. MailHeaderInvalid (an
    unusable address or name) rolls the activation back.
    """
    now = now or utcnow()
    with write_transaction(db.session):
        try:
            match = _locked(Match, match_id, "match", N_("This match no longer exists."))
            if match.status is not MatchStatus.proposed:
                raise ServiceError("status", N_("Only a proposed match can be activated."))
            match.status = MatchStatus.active
            match.activated_at = now
            match.mentor.status = MentorStatus.matched
            for nomination in match.student.nominations:
                if nomination.status is NominationStatus.accepted:
                    record_status(nomination, NominationStatus.matched, user_id=user_id, now=now)
            db.session.flush()
            queue_match_activated(match, today=program_today(now))
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    logger.info("match %s activated", match.id)
    events.match_activated.send(None, match_id=match.id)
    return match


def close_match(
    match_id: int,
    *,
    closed_on: dt.date,
    reason: CloseReason | None,
    note: str | None,
    user_id: int | None,
    today: dt.date,
) -> Match:
    """Close a proposed or active match with a date and reason, and raise the event.

    Besides ``check_close``, the close date may not be before the latest session
    logged on the match (``closed_on``), because sessions fall on or before the close.
    Closing an active match queues its notifications in the same transaction. A
    proposed match was never announced, so its closing sends nothing.
    """
    with write_transaction(db.session):
        try:
            match = _locked(Match, match_id, "match", N_("This match no longer exists."))
            if not match.is_open:
                raise ServiceError("status", N_("This match is already closed."))
            match_rules.check_close(
                start=match.start_date, closed_on=closed_on, reason=reason, note=note, today=today
            )
            _check_close_after_sessions(match.id, closed_on)
            was_active = match.status is MatchStatus.active
            match.status = MatchStatus.closed
            match.closed_on = closed_on
            match.close_reason = reason
            match.close_note = note.strip() if note and note.strip() else None
            db.session.flush()
            if (
                match.mentor.status is MentorStatus.matched
                and open_match_count(match.mentor_id) == 0
            ):
                match.mentor.status = MentorStatus.ready
            if was_active:
                queue_match_closed(match, today=today)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    logger.info("match %s closed (%s)", match.id, reason.name if reason else "-")
    if was_active:
        events.match_closed.send(None, match_id=match.id)
    return match


def _check_close_after_sessions(match_id: int, closed_on: dt.date) -> None:
    latest = db.session.execute(
        select(func.max(MentoringSession.session_date)).where(MentoringSession.match_id == match_id)
    ).scalar_one()
    if latest is not None and closed_on < latest:
        raise ServiceError(
            "closed_on",
            N_(
                "A session is logged on this match on %(latest)s. "
                "Enter %(latest)s or a later close date."
            ),
            latest=latest.isoformat(),
        )
