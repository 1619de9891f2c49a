"""Checks and cleaning of the nomination, student and mentor records coordinators write.

The coordinator screens and the REST API both call these functions on the record
filled from the form or the request body, so each field gets the same rule on
both paths. Each function writes the cleaned values back to the record and raises
the first RuleViolation it meets. The grade and age rules name the nomination's
fields (``student_grade``, ``student_date_of_birth``), so callers editing a
student map those to ``grade`` and ``date_of_birth``. Fields that point at other
rows (school, login) or take a code from a fixed list (language) are checked
where they arrive, because the screens offer them as dropdowns and the API
receives ids and codes.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from sqlalchemy import func, inspect, select

from app.extensions import db
from app.models import Match, Mentor, Nomination, Student
from app.rules import mentor as mentor_rules
from app.rules.choices import MatchStatus, MentorStatus
from app.rules.email import clean_email
from app.rules.errors import N_, RuleViolation
from app.rules.nomination import (
    check_age_for_grade,
    check_birth_date,
    clean_line,
    clean_name,
    clean_phone,
    clean_text,
    normalize_name,
    parse_grade,
)
from app.services.matching import OPEN_STATUSES, readiness_problems
from app.services.nomination_cleaning import LIST_TEXT_LENGTH, SHORT_TEXT_LENGTH


def clean_nomination_edit(nomination: Nomination, today: dt.date) -> None:
    """Check a coordinator's correction of a nomination and clean its values in place.

    Coordinators may correct the grade, contact details, staff role, home languages
    and notes. The student's names and date of birth stay as submitted, but the
    corrected grade must still fit the date of birth on ``today``.
    """
    nomination.student_grade = parse_grade(nomination.student_grade)
    check_age_for_grade(nomination.student_date_of_birth, nomination.student_grade, today)
    nomination.student_preferred_name = clean_name(
        nomination.student_preferred_name, "student_preferred_name", required=False
    )
    nomination.student_email = clean_email(nomination.student_email, "student_email", False)
    nomination.nominator_email = clean_email(nomination.nominator_email, "nominator_email", True)
    nomination.nominator_phone = clean_phone(nomination.nominator_phone, "nominator_phone")
    nomination.staff_role = clean_line(nomination.staff_role, "staff_role", SHORT_TEXT_LENGTH)
    nomination.home_languages = clean_line(
        nomination.home_languages, "home_languages", LIST_TEXT_LENGTH
    )
    _clean_guardian(nomination)
    nomination.coordinator_notes = clean_text(nomination.coordinator_notes, "coordinator_notes")


def clean_student_edit(student: Student, today: dt.date) -> None:
    """Check a coordinator's correction of a student record and clean its values in place.

    A changed name or date of birth changes ``normalized_name``, the identity that
    links later nominations to this student.
    """
    student.first_name = clean_name(student.first_name, "first_name")
    student.last_name = clean_name(student.last_name, "last_name")
    student.preferred_name = clean_name(student.preferred_name, "preferred_name", required=False)
    student.normalized_name = normalize_name(student.first_name, student.last_name)
    check_birth_date(student.date_of_birth, today, "date_of_birth")
    student.grade = parse_grade(student.grade)
    check_age_for_grade(student.date_of_birth, student.grade, today)
    student.email = clean_email(student.email, "email", False)
    student.home_languages = clean_line(student.home_languages, "home_languages", LIST_TEXT_LENGTH)
    _clean_guardian(student)
    student.needs_other = clean_line(student.needs_other, "needs_other", LIST_TEXT_LENGTH)
    student.needs_description = clean_text(student.needs_description, "needs_description")
    student.coordinator_notes = clean_text(student.coordinator_notes, "coordinator_notes")


def _clean_guardian(record: Nomination | Student) -> None:
    record.guardian_first_name = clean_name(
        record.guardian_first_name, "guardian_first_name", required=False
    )
    record.guardian_last_name = clean_name(
        record.guardian_last_name, "guardian_last_name", required=False
    )
    record.guardian_email = clean_email(record.guardian_email, "guardian_email", False)
    record.guardian_phone = clean_phone(record.guardian_phone, "guardian_phone")


def clean_mentor_record(mentor: Mentor, today: dt.date) -> None:
    """Check a new or changed mentor record and clean its values in place.

    Screening dates may not be after ``today``, and a cleared CORI or SORI check
    needs its date cleared. A record is kept from the application on, so readiness
    is required only with the status Ready or Matched (``_check_status_ready``).
    The capacity and status must also fit the mentor's matches
    (``check_against_matches``). NOTE: the mentor row is not locked, so a match
    proposed at the same moment as this save is not counted.
    """
    status_changed = _is_changed(mentor, "status")
    mentor.first_name = clean_name(mentor.first_name, "first_name")
    mentor.last_name = clean_name(mentor.last_name, "last_name")
    mentor.email = clean_email(mentor.email, "email", True)
    mentor.phone = clean_phone(mentor.phone, "phone")
    mentor.languages = clean_line(mentor.languages, "languages", LIST_TEXT_LENGTH)
    mentor_rules.check_grade_band(mentor.grade_band_min, mentor.grade_band_max)
    mentor_rules.check_capacity_value(mentor.capacity)
    for field in mentor_rules.SCREENING_DATE_LABELS:
        mentor_rules.check_screening_date(getattr(mentor, field), today, field)
    mentor_rules.check_clearance_date(mentor.cori_status, mentor.cori_cleared_on, "cori_cleared_on")
    mentor_rules.check_clearance_date(mentor.sori_status, mentor.sori_cleared_on, "sori_cleared_on")
    mentor_rules.check_training_hours(mentor.training_hours)
    mentor.notes = clean_text(mentor.notes, "notes")
    _check_status_ready(mentor, today, status_changed)
    open_matches, active_matches = _match_counts(mentor.id)
    mentor_rules.check_against_matches(mentor.status, mentor.capacity, open_matches, active_matches)


READY_STATUSES = (MentorStatus.ready, MentorStatus.matched)
READINESS_FIELDS = (
    "cori_status",
    "cori_cleared_on",
    "sori_status",
    "sori_cleared_on",
    "training_completed_on",
    "training_hours",
)


def _check_status_ready(mentor: Mentor, today: dt.date, status_changed: bool) -> None:
    """Raise RuleViolation when the status Ready or Matched contradicts the screening record.

    A clearance expires with time, so a stored Ready or Matched status can go stale
    without any edit. Such a stale status is checked in full only when the status
    is set in this edit. Otherwise only problems that this edit introduces are
    rejected, so a coordinator can still correct the phone or record one renewal
    at a time. The matching service checks readiness again before any match.
    """
    if mentor.status not in READY_STATUSES:
        return
    problems = readiness_problems(mentor, today)
    if not status_changed:
        stored = SimpleNamespace(
            status=mentor.status,
            **{field: _stored_value(mentor, field) for field in READINESS_FIELDS},
        )
        known = set(readiness_problems(stored, today))
        problems = [problem for problem in problems if problem not in known]
    if problems:
        raise RuleViolation(
            "status",
            N_(
                "The status cannot be %(status)s, because the mentor is not ready to match. "
                "%(reasons)s Keep the status Screening until screening is complete."
            ),
            status=mentor.status.value,
            reasons=" ".join(problems),
        )


def _is_changed(mentor: Mentor, field: str) -> bool:
    """Return whether ``field`` differs from the stored row. Every field of a new record has."""
    state = inspect(mentor)
    if not state.persistent:
        return True
    return state.attrs[field].history.has_changes()


def _stored_value(mentor: Mentor, field: str) -> object:
    """Return the value of ``field`` as loaded from the database, before this edit."""
    history = inspect(mentor).attrs[field].history
    if not history.has_changes():
        return getattr(mentor, field)
    # SQLAlchemy leaves ``deleted`` empty when the stored value was NULL.
    return history.deleted[0] if history.deleted else None


def _match_counts(mentor_id: int | None) -> tuple[int, int]:
    """Return the mentor's open (proposed or active) and active match counts."""
    if mentor_id is None:
        return 0, 0
    with db.session.no_autoflush:
        statuses = db.session.execute(
            select(Match.status, func.count(Match.id))
            .where(Match.mentor_id == mentor_id, Match.status.in_(OPEN_STATUSES))
            .group_by(Match.status)
        ).all()
    counts = dict(statuses)
    return sum(counts.values()), counts.get(MatchStatus.active, 0)
