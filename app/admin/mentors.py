"""Mentors: screening records, readiness, and giving a mentor a login.

Screening is recorded as statuses and dates only. CORI and SORI reports are never
stored. The "Readiness" column runs the same rules as matching, so a mentor shown
as ready is one the "Make a match" form lists (when they have a free place).
"""

from __future__ import annotations

import logging
import secrets

from flask import abort, current_app, flash, make_response, redirect, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access, permission_name
from sqlalchemy.exc import IntegrityError
from wtforms import TextAreaField

from app.admin.base import (
    AdminInterface,
    AdminModelView,
    availability_labels,
    boston_time,
    code_labels,
    program_date,
)
from app.admin.fields import CodeCheckboxField, checkbox, enum_select
from app.admin.students import AvailabilityCodes
from app.extensions import db
from app.models import Mentor
from app.rules.choices import CheckStatus, MentorStatus, Need
from app.rules.email import clean_email
from app.rules.mentor import check_capacity_value, check_training_hours
from app.rules.nomination import clean_line, clean_name, clean_phone
from app.services.matching import open_match_count, readiness_problems
from app.services.nomination_cleaning import LIST_TEXT_LENGTH
from app.services.record_edits import clean_mentor_record
from app.viewkit import RuleValidator
from config import MENTOR_ROLE

logger = logging.getLogger(__name__)

TEMPORARY_PASSWORD_BYTES = 12


def readiness(mentor: Mentor) -> str:
    """Return "Ready" or the reasons the mentor cannot be matched today."""
    problems = readiness_problems(mentor, program_date())
    return "Ready" if not problems else " ".join(problems)


def _rule(check):
    return [RuleValidator(check)]


class MentorView(AdminModelView):
    """Mentors: add and screen volunteers, see whether they are ready, give them a login."""

    route_base = "/mentorview"
    datamodel = AdminInterface(Mentor, computed={"readiness": readiness})
    class_permission_name = "Mentors"
    exclude_route_methods = {"delete", "download", "action", "action_post"}
    show_template = "admin/mentor_show.html"
    list_title = "Mentors"
    show_title = "Mentor"
    add_title = "Add mentor"
    edit_title = "Edit mentor"
    add_row_message = "Mentor added."
    edit_row_message = "Mentor updated."

    list_columns = [
        "last_name",
        "first_name",
        "email",
        "status",
        "cori_status",
        "sori_status",
        "training_completed_on",
        "capacity",
        "readiness",
    ]
    order_columns = ["last_name", "first_name", "email", "status", "training_completed_on"]
    base_order = ("last_name", "asc")
    search_columns = [
        "last_name",
        "first_name",
        "email",
        "status",
        "cori_status",
        "sori_status",
        "training_completed_on",
    ]
    label_columns = {
        "cori_status": "CORI status",
        "cori_cleared_on": "CORI date cleared",
        "sori_status": "SORI status",
        "sori_cleared_on": "SORI date cleared",
        "training_completed_on": "Training completed",
        "grade_band_min": "Lowest grade",
        "grade_band_max": "Highest grade",
        "capacity": "Capacity (open matches)",
        "created_at": "Added (Boston time)",
        "user": "Login",
    }
    formatters_columns = {
        "created_at": boston_time,
        "subjects": code_labels(Need),
        "availability": availability_labels,
    }
    add_columns = [
        "first_name",
        "last_name",
        "email",
        "phone",
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
    edit_columns = add_columns
    show_columns = [*add_columns, "readiness", "user", "created_at"]
    add_form_extra_fields = edit_form_extra_fields = {
        "status": enum_select("Status", MentorStatus),
        "cori_status": enum_select("CORI status", CheckStatus),
        "sori_status": enum_select("SORI status", CheckStatus),
        "subjects": CodeCheckboxField("Subjects", Need),
        "availability": CodeCheckboxField("Availability", AvailabilityCodes),
        "notes": TextAreaField("Notes", description="No screening report contents."),
        "references_checked": checkbox("References checked"),
    }
    validators_columns = {
        "first_name": _rule(lambda v: clean_name(v, "first_name")),
        "last_name": _rule(lambda v: clean_name(v, "last_name")),
        "email": _rule(lambda v: clean_email(v, "email", True)),
        "phone": _rule(lambda v: clean_phone(v, "phone")),
        "capacity": _rule(check_capacity_value),
        "training_hours": _rule(check_training_hours),
        "languages": _rule(lambda v: clean_line(v, "languages", LIST_TEXT_LENGTH)),
    }

    def check_item(self, item: Mentor, is_created: bool) -> None:
        clean_mentor_record(item, program_date())

    def show_extra(self, item: Mentor) -> dict[str, object]:
        return {"open_matches": open_match_count(item.id)}

    @expose("/give-login/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("give_login")
    def give_login(self, pk: int):
        """Create a login with the Mentor role and show its temporary password once, unlogged."""
        mentor = db.session.get(Mentor, pk)
        if mentor is None:
            abort(404)
        if mentor.user_id is not None:
            flash("This mentor already has a login.", "warning")
            return redirect(url_for(".show", pk=pk))
        password = secrets.token_urlsafe(TEMPORARY_PASSWORD_BYTES)
        user = self._create_user(mentor, password)
        if user is None:
            flash(
                "No login was created: a user with this e-mail address already exists. "
                "Ask an administrator to link or rename that user.",
                "danger",
            )
            return redirect(url_for(".show", pk=pk))
        logger.info("login %s created for mentor %s", user.id, mentor.id)
        response = make_response(
            self.render_template(
                "admin/mentor_login.html",
                title="Login created",
                mentor=mentor,
                username=user.username,
                password=password,
            )
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    def _create_user(self, mentor: Mentor, password: str):
        security = current_app.appbuilder.sm
        email = mentor.email
        if security.find_user(username=email) or security.find_user(email=email):
            return None
        user = security.add_user(
            username=email,
            first_name=mentor.first_name,
            last_name=mentor.last_name,
            email=email,
            role=security.find_role(MENTOR_ROLE),
            password=password,
        )
        if not user:
            return None
        try:
            db.session.get(Mentor, mentor.id).user_id = user.id
            db.session.commit()
        except IntegrityError:
            # Another coordinator linked a login to this mentor at the same moment.
            db.session.rollback()
            db.session.delete(db.session.get(type(user), user.id))
            db.session.commit()
            logger.warning("mentor %s: new login could not be linked, removed it", mentor.id)
            return None
        return user
