"""Students and mentors for coordinators, checked with the same rules as the screens.

Students come only from accepted nominations, so the API has no POST for them,
and no DELETE, because matches and nominations keep pointing at the row.
"""

from __future__ import annotations

from typing import Any

from app.api.base import ApiInterface, ProgramApi, program_today_now
from app.api.checks import check_language, check_mentor_login, check_school
from app.api.schemas import CODE_LISTS
from app.models import Mentor, Student
from app.services.record_edits import clean_mentor_record, clean_student_edit

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
        clean_student_edit(item, program_today_now())
        check_school(item.school_id)
        check_language(item.language)


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
        clean_mentor_record(item, program_today_now())
        check_mentor_login(item.user_id)
