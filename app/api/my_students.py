"""The logged-in mentor's open matches with what the mentor needs to know of each student.

Mentors see the student's name, grade, school, areas of need and availability,
and the meeting slot and link. The columns below are the whole list: the date of
birth, guardian contact, nominator and coordinator notes never enter the schema,
so no ``q`` argument can ask for them.
"""

from __future__ import annotations

from flask_appbuilder.models.sqla.filters import FilterEqualFunction, FilterNotEqual
from marshmallow import fields
from sqlalchemy.orm import joinedload

from app.api.base import ApiInterface, ProgramApi
from app.api.schemas import CODE_LISTS
from app.models import Match, Student
from app.rules.choices import MatchStatus
from app.security import current_mentor_id

MY_STUDENT_COLUMNS = [
    "id",
    "status",
    "start_date",
    "slot_weekday",
    "slot_time",
    "meet_link",
    "subjects",
    "student_id",
    "student.first_name",
    "student.last_name",
    "student.preferred_name",
    "student.grade",
    "student.needs",
    "student.needs_other",
    "student.availability",
]


class MyStudentsApi(ProgramApi):
    """Read-only: one row per open (proposed or active) match of the logged-in mentor."""

    resource_name = "my_students"
    class_permission_name = "MyStudents"
    datamodel = ApiInterface(
        Match, list_load_options=[joinedload(Match.student).joinedload(Student.school)]
    )
    base_filters = [
        ["mentor_id", FilterEqualFunction, current_mentor_id],
        ["status", FilterNotEqual, MatchStatus.closed],
    ]
    include_route_methods = {"get", "get_list"}
    code_lists = CODE_LISTS
    extra_fields = {"school": fields.String(attribute="student.school.name", dump_only=True)}

    list_columns = MY_STUDENT_COLUMNS
    show_columns = MY_STUDENT_COLUMNS
    search_columns = ["status", "slot_weekday"]
    order_columns = ["id", "start_date"]
    base_order = ("start_date", "asc")
