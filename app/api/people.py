"""Students and mentors for coordinators, checked with the same rules as the screens.

Students come only from accepted nominations, so the API has no POST for them,
and no DELETE, because matches and nominations keep pointing at the row.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.api.base import ApiInterface, ProgramApi, program_today_now
from app.api.checks import check_language, check_mentor_login, check_school, clean_line
from app.api.schemas import CODE_LISTS
from app.models import Mentor, Student
from app.rules.errors import N_, RuleViolation
from app.rules.mentor import check_capacity_value
from app.rules.nomination import (
    MAX_GRADE,
    MIN_GRADE,
    check_age_for_grade,
    check_birth_date,
    clean_email,
    clean_name,
    clean_phone,
    clean_text,
    normalize_name,
    parse_grade,
)

LIST_TEXT_LENGTH = 200
MAX_TRAINING_HOURS = Decimal("9999.9")
"""The largest value of the ``training_hours`` column, NUMERIC(5, 1)."""

STUDENT_EDIT_COLUMNS = [
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "grade",
    "school_id",
    "email",
    "language",
    "home_languages",
    "guardian_first_name",
    "guardian_last_name",
    "guardian_email",
    "guardian_phone",
    "needs",
    "needs_other",
    "needs_description",
    "availability",
    "coordinator_notes",
]


class StudentApi(ProgramApi):
    """Every student. Accepting a nomination creates the record, and coordinators correct it."""

    resource_name = "students"
    class_permission_name = "Students"
    datamodel = ApiInterface(Student)
    exclude_route_methods = {"post", "delete"}
    code_lists = CODE_LISTS
    rule_fields = {"student_grade": "grade", "student_date_of_birth": "date_of_birth"}

    list_columns = ["id", "first_name", "last_name", "grade", "school_id", "school.name"]
    show_columns = ["id", *STUDENT_EDIT_COLUMNS, "created_at", "school.name"]
    edit_columns = STUDENT_EDIT_COLUMNS
    search_columns = ["first_name", "last_name", "grade", "school", "language"]
    order_columns = ["id", "last_name", "first_name", "grade", "created_at"]
    base_order = ("last_name", "asc")

    def check_update(self, item: Student, original: dict[str, Any]) -> None:
        today = program_today_now()
        item.first_name = clean_name(item.first_name, "first_name")
        item.last_name = clean_name(item.last_name, "last_name")
        item.preferred_name = clean_name(item.preferred_name, "preferred_name", required=False)
        item.normalized_name = normalize_name(item.first_name, item.last_name)
        check_birth_date(item.date_of_birth, today, "date_of_birth")
        item.grade = parse_grade(item.grade)
        check_age_for_grade(item.date_of_birth, item.grade, today)
        check_school(item.school_id)
        check_language(item.language)
        item.email = clean_email(item.email, "email", False)
        item.home_languages = clean_line(item.home_languages, "home_languages", LIST_TEXT_LENGTH)
        item.guardian_first_name = clean_name(
            item.guardian_first_name, "guardian_first_name", required=False
        )
        item.guardian_last_name = clean_name(
            item.guardian_last_name, "guardian_last_name", required=False
        )
        item.guardian_email = clean_email(item.guardian_email, "guardian_email", False)
        item.guardian_phone = clean_phone(item.guardian_phone, "guardian_phone")
        item.needs_other = clean_line(item.needs_other, "needs_other", LIST_TEXT_LENGTH)
        item.needs_description = clean_text(item.needs_description, "needs_description")
        item.coordinator_notes = clean_text(item.coordinator_notes, "coordinator_notes")


MENTOR_COLUMNS = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "user_id",
    "status",
    "languages",
    "subjects",
    "grade_band_min",
    "grade_band_max",
    "availability",
    "capacity",
    "application_date",
    "interview_date",
    "references_checked",
    "cori_status",
    "cori_cleared_on",
    "sori_status",
    "sori_cleared_on",
    "training_completed_on",
    "training_hours",
    "notes",
]


def check_grade_band(low: int, high: int) -> None:
    """Raise RuleViolation unless the preferred grades run from 1 to 12, lowest first."""
    for field, grade in (("grade_band_min", low), ("grade_band_max", high)):
        if not MIN_GRADE <= grade <= MAX_GRADE:
            raise RuleViolation(field, N_("Enter a grade from 1 to 12."))
    if low > high:
        raise RuleViolation(
            "grade_band_max", N_("The highest grade must be at least the lowest grade.")
        )


def check_training_hours(hours: Decimal | None) -> None:
    if hours is not None and not Decimal(0) <= hours <= MAX_TRAINING_HOURS:
        raise RuleViolation(
            "training_hours", N_("Enter the training hours as a number from 0 to 9999.9.")
        )


class MentorApi(ProgramApi):
    """Every mentor with screening statuses and dates, which coordinators keep up to date."""

    resource_name = "mentors"
    class_permission_name = "Mentors"
    datamodel = ApiInterface(Mentor)
    code_lists = CODE_LISTS

    list_columns = ["id", "first_name", "last_name", "email", "status", "capacity", "user_id"]
    show_columns = ["id", *MENTOR_COLUMNS, "created_at"]
    add_columns = MENTOR_COLUMNS
    edit_columns = MENTOR_COLUMNS
    search_columns = ["first_name", "last_name", "email", "status", "cori_status", "sori_status"]
    order_columns = ["id", "last_name", "first_name", "status", "created_at"]
    base_order = ("last_name", "asc")

    def pre_add(self, item: Mentor) -> None:
        self._check(item)

    def check_update(self, item: Mentor, original: dict[str, Any]) -> None:
        self._check(item)

    def _check(self, item: Mentor) -> None:
        item.first_name = clean_name(item.first_name, "first_name")
        item.last_name = clean_name(item.last_name, "last_name")
        item.email = clean_email(item.email, "email", True)
        item.phone = clean_phone(item.phone, "phone")
        check_mentor_login(item.user_id)
        item.languages = clean_line(item.languages, "languages", LIST_TEXT_LENGTH)
        check_grade_band(item.grade_band_min, item.grade_band_max)
        check_capacity_value(item.capacity)
        check_training_hours(item.training_hours)
        item.notes = clean_text(item.notes, "notes")
