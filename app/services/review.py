"""Coordinator review of nominations: status changes and acceptance into a Student."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.database import write_transaction
from app.extensions import db
from app.models import Nomination, NominationStatusChange, Student
from app.models.types import utcnow
from app.rules.choices import NominationStatus
from app.rules.errors import N_
from app.rules.lifecycle import check_transition
from app.services.errors import ServiceError

logger = logging.getLogger(__name__)


def change_nomination_status(
    nomination_id: int,
    target: NominationStatus,
    *,
    user_id: int | None,
    reason: str | None = None,
    now: dt.datetime | None = None,
) -> Nomination:
    """Move a nomination to ``target`` and record who did it and when.

    Accepting creates the Student, or links the existing one with the same
    normalized name and date of birth. Raises RuleViolation for a transition the
    lifecycle forbids and ServiceError when the nomination does not exist.
    """
    now = now or utcnow()
    with write_transaction(db.session):
        try:
            nomination = _locked_nomination(nomination_id)
            check_transition(nomination.status, target, reason)
            if target is NominationStatus.accepted:
                nomination.student = _student_for(nomination)
            if target is NominationStatus.declined:
                nomination.decline_reason = reason.strip()
            record_status(nomination, target, user_id=user_id, now=now, note=reason)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    logger.info("nomination %s moved to %s", nomination.id, target.name)
    return nomination


def record_status(
    nomination: Nomination,
    target: NominationStatus,
    *,
    user_id: int | None,
    now: dt.datetime,
    note: str | None = None,
) -> None:
    """Set the status and add its history row; the caller commits."""
    change = NominationStatusChange(
        from_status=nomination.status if nomination.id else None,
        to_status=target,
        changed_at=now,
        changed_by_id=user_id,
        note=note,
    )
    nomination.status_changes.append(change)
    nomination.status = target
    nomination.status_changed_at = now


def _locked_nomination(nomination_id: int) -> Nomination:
    nomination = db.session.execute(
        select(Nomination).where(Nomination.id == nomination_id).with_for_update()
    ).scalar_one_or_none()
    if nomination is None:
        raise ServiceError("nomination", N_("This nomination no longer exists."))
    return nomination


def _student_for(nomination: Nomination) -> Student:
    """Return the existing Student with the nomination's identity, or a new one."""
    existing = _find_student(nomination)
    if existing is not None:
        return existing
    student = Student(
        first_name=nomination.student_first_name,
        last_name=nomination.student_last_name,
        preferred_name=nomination.student_preferred_name,
        date_of_birth=nomination.student_date_of_birth,
        grade=nomination.student_grade,
        school_id=nomination.school_id,
        email=nomination.student_email,
        language=nomination.language,
        home_languages=nomination.home_languages,
        guardian_first_name=nomination.guardian_first_name,
        guardian_last_name=nomination.guardian_last_name,
        guardian_email=nomination.guardian_email,
        guardian_phone=nomination.guardian_phone,
        needs=list(nomination.needs),
        needs_other=nomination.needs_other,
        needs_description=nomination.needs_description,
        availability=list(nomination.availability),
        normalized_name=nomination.normalized_name,
    )
    try:
        with db.session.begin_nested():
            db.session.add(student)
    except IntegrityError:
        # Another coordinator accepted a nomination for the same student first.
        existing = _find_student(nomination)
        if existing is None:
            raise
        return existing
    return student


def _find_student(nomination: Nomination) -> Student | None:
    return db.session.execute(
        select(Student).where(
            Student.normalized_name == nomination.normalized_name,
            Student.date_of_birth == nomination.student_date_of_birth,
        )
    ).scalar_one_or_none()
