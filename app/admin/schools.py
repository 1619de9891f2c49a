"""BPS schools, the reference list behind the nomination form.

Coordinators add a school with its 8-digit DESE code, rename it, and retire it
when it closes or merges. A retired school leaves the public form but stays on
the nominations and students that name it. A school is deleted only when nothing
refers to it; otherwise retire it.
"""

from __future__ import annotations

from sqlalchemy import exists, or_, select
from wtforms import StringField
from wtforms.validators import InputRequired

from app.admin.base import AdminInterface, AdminModelView
from app.admin.fields import checkbox
from app.extensions import db
from app.models import Nomination, School, Student
from app.rules.errors import N_, RuleViolation
from app.rules.school import clean_dese_code, clean_school_name
from app.viewkit import RuleValidator


class SchoolView(AdminModelView):
    """Schools: add, rename and retire them. A school in use cannot be deleted."""

    route_base = "/schoolview"
    datamodel = AdminInterface(School)
    class_permission_name = "Schools"
    exclude_route_methods = {"download", "action", "action_post"}
    list_title = "Schools"
    show_title = "School"
    add_title = "Add school"
    edit_title = "Rename or retire school"
    add_row_message = "School added."
    edit_row_message = "School updated."
    delete_row_message = "School deleted."

    list_columns = ["name", "dese_code", "retired"]
    order_columns = ["name", "dese_code", "retired"]
    base_order = ("name", "asc")
    search_columns = ["name", "dese_code", "retired"]
    label_columns = {"dese_code": "DESE code", "retired": "Retired"}
    show_columns = list_columns
    add_columns = ["dese_code", "name"]
    edit_columns = ["name", "retired"]
    add_form_extra_fields = {
        "dese_code": StringField(
            "DESE code",
            validators=[
                InputRequired(message="Enter the DESE code."),
                RuleValidator(clean_dese_code),
            ],
            description="The school's 8-digit code in the Massachusetts DESE directory.",
        )
    }
    edit_form_extra_fields = {
        "retired": checkbox("Retired", "A retired school is no longer offered on the public form.")
    }
    validators_columns = {"name": [RuleValidator(clean_school_name)]}

    def check_item(self, item: School, is_created: bool) -> None:
        item.name = clean_school_name(item.name)
        if not is_created:
            return
        item.dese_code = clean_dese_code(item.dese_code)
        if db.session.execute(select(exists().where(School.dese_code == item.dese_code))).scalar():
            raise RuleViolation("dese_code", N_("A school with this DESE code already exists."))

    def pre_delete(self, item: School) -> None:
        in_use = db.session.execute(
            select(
                or_(
                    exists().where(Nomination.school_id == item.id),
                    exists().where(Student.school_id == item.id),
                )
            )
        ).scalar()
        if in_use:
            raise RuleViolation(
                "name",
                N_(
                    "This school is named on nominations or students, so it cannot be deleted. "
                    "Retire it instead."
                ),
            )
