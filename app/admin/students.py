"""Students accepted from nominations, their matches, and the "Make a match" form.

Students are created only by accepting a nomination, so there is no add screen.
Editing a name or the date of birth changes the identity that links later
nominations to this student. The database rejects a change that would make two
students identical, and the form shows that message.
"""

from __future__ import annotations

import logging

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access, permission_name
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import SelectField

from app.admin.base import (
    AdminInterface,
    AdminModelView,
    availability_labels,
    boston_time,
    code_labels,
    current_user_id,
    program_date,
    show_violation,
)
from app.admin.fields import CodeCheckboxField, school_select
from app.admin.match_forms import MakeMatchForm
from app.extensions import db
from app.models import Match, Nomination, Student
from app.rules.choices import AVAILABILITY_CODES, LANGUAGES, Need, staff_language_label
from app.rules.email import clean_email
from app.rules.errors import RuleViolation
from app.rules.nomination import (
    check_birth_date,
    clean_name,
    clean_phone,
    clean_text,
    parse_grade,
)
from app.services.matching import MatchDetails, propose_match
from app.services.record_edits import clean_student_edit
from app.viewkit import RuleValidator

logger = logging.getLogger(__name__)


class AvailabilityCodes:
    """The weekly availability vocabulary (``mon_afternoon`` ...) shaped like a LabeledEnum."""

    @staticmethod
    def choices() -> list[tuple[str, str]]:
        return [(code, availability_labels([code])) for code in AVAILABILITY_CODES]

    @staticmethod
    def codes() -> list[str]:
        return list(AVAILABILITY_CODES)


def _rule(check):
    return [RuleValidator(check)]


class StudentView(AdminModelView):
    """Students: search them, correct their record, see their matches and make a new one."""

    route_base = "/studentview"
    datamodel = AdminInterface(Student, list_load_options=[joinedload(Student.school)])
    class_permission_name = "Students"
    exclude_route_methods = {"add", "delete", "download", "action", "action_post"}
    show_template = "admin/student_show.html"
    list_title = "Students"
    show_title = "Student"
    edit_title = "Edit student"
    edit_row_message = "Student updated."

    list_columns = ["last_name", "first_name", "grade", "school", "created_at"]
    order_columns = ["last_name", "first_name", "grade", "created_at"]
    base_order = ("last_name", "asc")
    search_columns = ["last_name", "first_name", "grade", "school"]
    label_columns = {
        "created_at": "Accepted (Boston time)",
        "language": "Language for messages",
        "needs_other": "Other need",
        "needs_description": "Description of needs",
    }
    formatters_columns = {
        "created_at": boston_time,
        "needs": code_labels(Need),
        "availability": availability_labels,
        "language": staff_language_label,
    }
    show_columns = [
        "first_name",
        "last_name",
        "preferred_name",
        "date_of_birth",
        "grade",
        "school",
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
        "created_at",
    ]
    edit_columns = show_columns[:-1]
    edit_form_extra_fields = {
        "school": school_select(),
        "language": SelectField(
            "Language for messages",
            choices=[(code, staff_language_label(code)) for code in LANGUAGES],
        ),
        "needs": CodeCheckboxField("Needs", Need),
        "availability": CodeCheckboxField("Availability", AvailabilityCodes),
    }
    validators_columns = {
        "first_name": _rule(lambda v: clean_name(v, "first_name")),
        "last_name": _rule(lambda v: clean_name(v, "last_name")),
        "preferred_name": _rule(lambda v: clean_name(v, "preferred_name", required=False)),
        "grade": _rule(parse_grade),
        "date_of_birth": _rule(lambda v: check_birth_date(v, program_date(), "date_of_birth")),
        "email": _rule(lambda v: clean_email(v, "email", False)),
        "guardian_email": _rule(lambda v: clean_email(v, "guardian_email", False)),
        "guardian_phone": _rule(lambda v: clean_phone(v, "guardian_phone")),
        "needs_description": _rule(lambda v: clean_text(v, "needs_description")),
        "coordinator_notes": _rule(lambda v: clean_text(v, "coordinator_notes")),
    }
    field_aliases = {"student_grade": "grade", "student_date_of_birth": "date_of_birth"}

    def check_item(self, item: Student, is_created: bool) -> None:
        clean_student_edit(item, program_date())

    def show_extra(self, item: Student) -> dict[str, object]:
        matches = db.session.execute(
            select(Match)
            .where(Match.student_id == item.id)
            .options(joinedload(Match.mentor))
            .order_by(Match.start_date.desc())
        ).scalars()
        nominations = db.session.execute(
            select(Nomination)
            .where(Nomination.student_id == item.id)
            .order_by(Nomination.submitted_at)
        ).scalars()
        matches = list(matches)
        return {
            "matches": matches,
            "nominations": list(nominations),
            "has_open_match": any(match.is_open for match in matches),
            "boston_time": boston_time,
        }

    @expose("/match/<int:pk>", methods=["GET", "POST"])
    @has_access
    @permission_name("match")
    def make_match(self, pk: int):
        """Propose a match for this student. Rule errors appear next to their field."""
        student = db.session.get(Student, pk)
        if student is None:
            abort(404)
        today = program_date()
        form = MakeMatchForm()
        mentor_name = request.args.get("mentor_name", "").strip()[:100]
        form.fill_choices(today, student.grade, mentor_name or None)
        if request.method == "GET":
            form.start_date.data = form.start_date.data or today
            form.subjects.data = [code for code in student.needs if code in Need.__members__]
        elif form.validate():
            match = self._propose(form, student, today)
            if match is not None:
                flash("Match proposed. Activate it once everyone has agreed.", "success")
                return redirect(url_for("MatchView.show", pk=match.id))
        return self.render_template(
            "admin/make_match.html",
            title="Make a match",
            form=form,
            student=student,
            mentor_name=mentor_name,
        )

    def _propose(self, form: MakeMatchForm, student: Student, today) -> Match | None:
        details = MatchDetails(
            start_date=form.start_date.data,
            slot_weekday=form.slot_weekday.data,
            slot_time=form.slot_time.data,
            meet_link=form.meet_link.data or "",
            proctor_id=form.proctor.data,
            subjects=form.subjects.data,
        )
        try:
            return propose_match(
                student.id, form.mentor.data, details, user_id=current_user_id(), today=today
            )
        except RuleViolation as violation:
            logger.warning("match for student %s rejected on %s", student.id, violation.field)
            show_violation(form, violation, {"student": ""})
            return None
