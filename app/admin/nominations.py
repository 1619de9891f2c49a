"""Nomination review: the list coordinators work from, the show page and its review buttons.

Nominations arrive only from the public form and the API, so there is no add
screen. Coordinators correct contact details, grade, school and notes. The
student's names and date of birth stay as submitted because they identify the
student for duplicate detection and for the link to an existing Student. Correct
them on the Student record after acceptance.
"""

from __future__ import annotations

import logging

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access, permission_name
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload
from wtforms import SelectField, TextAreaField

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
from app.admin.fields import school_select
from app.models import Nomination
from app.rules.choices import LANGUAGES, Need, NominationStatus, staff_language_label
from app.rules.email import clean_email
from app.rules.errors import RuleViolation
from app.rules.lifecycle import ALLOWED_TRANSITIONS
from app.rules.nomination import clean_name, clean_phone, clean_text, parse_grade
from app.services.record_edits import clean_nomination_edit
from app.services.review import change_nomination_status
from app.viewkit import RuleValidator

logger = logging.getLogger(__name__)

# Statuses that a show-page button sets. Declining has its own form, for the reason.
BUTTON_STATUSES = (
    NominationStatus.in_review,
    NominationStatus.accepted,
    NominationStatus.waitlisted,
    NominationStatus.withdrawn,
)
BUTTON_LABELS = {
    NominationStatus.in_review: "Mark in review",
    NominationStatus.accepted: "Accept",
    NominationStatus.waitlisted: "Waitlist",
    NominationStatus.withdrawn: "Withdraw",
}


def _optional_name(field: str):
    return RuleValidator(lambda value: clean_name(value, field, required=False))


class DeclineForm(FlaskForm):
    decline_reason = TextAreaField(
        "Reason for declining",
        description="Stored in the nomination's history. The family does not receive this text.",
    )


class NominationView(AdminModelView):
    """Nominations: review them, accept them into Students, and correct their details."""

    route_base = "/nominationview"
    datamodel = AdminInterface(Nomination, list_load_options=[joinedload(Nomination.school)])
    class_permission_name = "Nominations"
    exclude_route_methods = {"add", "delete", "download", "action", "action_post"}
    show_template = "admin/nomination_show.html"

    list_title = "Nominations"
    show_title = "Nomination"
    edit_title = "Correct nomination"
    edit_row_message = "Nomination updated."
    list_columns = [
        "reference",
        "submitted_at",
        "status",
        "nominator_kind",
        "student_last_name",
        "student_first_name",
        "student_grade",
        "school",
        "possible_duplicate",
    ]
    order_columns = [
        "reference",
        "submitted_at",
        "status",
        "nominator_kind",
        "student_last_name",
        "student_first_name",
        "student_grade",
    ]
    base_order = ("submitted_at", "desc")
    search_columns = [
        "student_last_name",
        "student_first_name",
        "reference",
        "nominator_last_name",
        "nominator_first_name",
        "status",
        "school",
        "student_grade",
        "nominator_kind",
        "submitted_at",
    ]
    label_columns = {
        "submitted_at": "Submitted (Boston time)",
        "status_changed_at": "Status changed (Boston time)",
        "student_grade": "Grade",
        "possible_duplicate": "Possible duplicate",
        "student_date_of_birth": "Student date of birth",
        "needs_other": "Other need",
        "needs_description": "Description of needs",
        "language": "Language for messages",
        "consent_privacy": "Privacy notice accepted",
        "consent_online_sessions": "Consent to proctored online sessions",
        "attest_relationship": "Nominator attests relationship",
    }
    formatters_columns = {
        "submitted_at": boston_time,
        "status_changed_at": boston_time,
        "possible_duplicate": lambda flag: "Yes" if flag else "",
        "needs": code_labels(Need),
        "availability": availability_labels,
        "language": staff_language_label,
    }
    show_fieldsets = [
        (
            "Nomination",
            {
                "fields": [
                    "reference",
                    "status",
                    "submitted_at",
                    "status_changed_at",
                    "language",
                    "decline_reason",
                    "coordinator_notes",
                ]
            },
        ),
        (
            "Student",
            {
                "fields": [
                    "student_first_name",
                    "student_last_name",
                    "student_preferred_name",
                    "student_date_of_birth",
                    "student_grade",
                    "school",
                    "student_email",
                    "home_languages",
                    "needs",
                    "needs_other",
                    "needs_description",
                    "availability",
                ]
            },
        ),
        (
            "Nominator and guardian",
            {
                "fields": [
                    "nominator_kind",
                    "nominator_first_name",
                    "nominator_last_name",
                    "nominator_email",
                    "nominator_phone",
                    "staff_role",
                    "guardian_first_name",
                    "guardian_last_name",
                    "guardian_email",
                    "guardian_phone",
                    "consent_privacy",
                    "consent_online_sessions",
                    "attest_relationship",
                ]
            },
        ),
    ]
    edit_columns = [
        "coordinator_notes",
        "student_preferred_name",
        "student_grade",
        "school",
        "student_email",
        "home_languages",
        "language",
        "nominator_email",
        "nominator_phone",
        "staff_role",
        "guardian_first_name",
        "guardian_last_name",
        "guardian_email",
        "guardian_phone",
    ]
    edit_form_extra_fields = {
        "school": school_select(),
        "language": SelectField(
            "Language for messages",
            choices=[(code, staff_language_label(code)) for code in LANGUAGES],
        ),
    }
    validators_columns = {
        "student_grade": [RuleValidator(parse_grade)],
        "student_preferred_name": [_optional_name("student_preferred_name")],
        "guardian_first_name": [_optional_name("guardian_first_name")],
        "guardian_last_name": [_optional_name("guardian_last_name")],
        "nominator_email": [RuleValidator(lambda v: clean_email(v, "nominator_email", True))],
        "student_email": [RuleValidator(lambda v: clean_email(v, "student_email", False))],
        "guardian_email": [RuleValidator(lambda v: clean_email(v, "guardian_email", False))],
        "nominator_phone": [RuleValidator(lambda v: clean_phone(v, "nominator_phone"))],
        "guardian_phone": [RuleValidator(lambda v: clean_phone(v, "guardian_phone"))],
        "coordinator_notes": [RuleValidator(lambda v: clean_text(v, "coordinator_notes"))],
    }

    def check_item(self, item: Nomination, is_created: bool) -> None:
        clean_nomination_edit(item, program_date())

    field_aliases = {"student_date_of_birth": "student_grade"}

    def show_extra(self, item: Nomination) -> dict[str, object]:
        allowed = ALLOWED_TRANSITIONS[item.status]
        return {
            "buttons": [(s.name, BUTTON_LABELS[s]) for s in BUTTON_STATUSES if s in allowed],
            "can_decline": NominationStatus.declined in allowed,
            "history": item.status_changes,
            "boston_time": boston_time,
        }

    @expose("/status/<int:pk>/<target>", methods=["POST"])
    @has_access
    @permission_name("review")
    def change_status(self, pk: int, target: str):
        """Move the nomination to ``target`` (a button on the show page)."""
        status = NominationStatus.__members__.get(target)
        if status not in BUTTON_STATUSES:
            abort(404)
        self._apply(pk, status, reason=None)
        return redirect(url_for(".show", pk=pk))

    @expose("/decline/<int:pk>", methods=["GET", "POST"])
    @has_access
    @permission_name("review")
    def decline(self, pk: int):
        """Ask for the reason, then decline. An empty reason re-renders the form with the error."""
        nomination = self.datamodel.get(pk)
        if nomination is None:
            abort(404)
        form = DeclineForm()
        if request.method == "POST" and form.validate():
            try:
                change_nomination_status(
                    pk,
                    NominationStatus.declined,
                    user_id=current_user_id(),
                    reason=clean_text(form.decline_reason.data, "decline_reason"),
                )
            except RuleViolation as violation:
                show_violation(form, violation, {"status": ""})
            else:
                flash(f"Nomination {nomination.reference} declined.", "success")
                return redirect(url_for(".show", pk=pk))
        return self.render_template(
            "admin/decline.html", title="Decline nomination", form=form, nomination=nomination
        )

    def _apply(self, pk: int, status: NominationStatus, reason: str | None) -> None:
        try:
            nomination = change_nomination_status(
                pk, status, user_id=current_user_id(), reason=reason
            )
        except RuleViolation as violation:
            logger.warning("nomination %s: change to %s rejected", pk, status.name)
            flash(violation.render(), "danger")
            return
        flash(f"Nomination {nomination.reference} is now {status.value.lower()}.", "success")
