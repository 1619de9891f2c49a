"""Nominations for coordinators: submit like the public form, review through the service.

POST takes the public form's field names and runs ``submit_nomination``, so a
nomination is checked the same way on both paths. Status changes go through
``POST /api/v1/nominations/<id>/status`` (``change_nomination_status``), which
records who and when; PUT may only correct contact details, grade and notes.
"""

from __future__ import annotations

import logging
from typing import Any

from flask_appbuilder.api import expose, safe
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import gettext
from marshmallow import Schema, fields
from werkzeug.wrappers import Response

from app.api.base import ApiInterface, ProgramApi, current_user_id, json_body, program_today_now
from app.api.checks import check_language, check_school
from app.api.schemas import CODE_LISTS, CodeListField, Text, code_field
from app.models import Nomination
from app.models.types import utcnow
from app.rules.choices import NominationStatus, NominatorKind
from app.rules.nomination import clean_text
from app.services.nominations import NominationInvalid, NominationNotSaved, submit_nomination
from app.services.record_edits import clean_nomination_edit
from app.services.review import change_nomination_status

logger = logging.getLogger(__name__)

NOT_SAVED_MESSAGE = "The nomination was not saved because of a database error. Try again later."

EDIT_COLUMNS = [
    "coordinator_notes",
    "student_preferred_name",
    "student_grade",
    "school_id",
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


class NominationSubmissionSchema(Schema):
    """The body of ``POST /api/v1/nominations/``: the public form's fields.

    The API checks only the JSON types with it (a name must be a string, not a
    number). ``submit_nomination`` then checks the raw body with the public form's
    rules and messages, including missing fields.
    """

    nominator_kind = code_field(NominatorKind, required=True)
    nominator_first_name = fields.String(required=True)
    nominator_last_name = fields.String(required=True)
    nominator_email = fields.String(required=True)
    nominator_phone = fields.String()
    staff_role = fields.String()
    guardian_first_name = fields.String()
    guardian_last_name = fields.String()
    guardian_email = fields.String()
    guardian_phone = fields.String()
    student_first_name = fields.String(required=True)
    student_last_name = fields.String(required=True)
    student_preferred_name = fields.String()
    student_date_of_birth = fields.Date(required=True)
    student_grade = fields.Raw(
        required=True, metadata={"description": "a whole number from 1 to 12"}
    )
    student_school = fields.String(required=True, metadata={"description": "DESE code"})
    student_email = fields.String()
    language = fields.String(required=True, metadata={"description": "such as en, es, ht"})
    home_languages = fields.String()
    needs = CodeListField(CODE_LISTS["needs"], required=True)
    needs_other = fields.String()
    needs_description = fields.String()
    availability = CodeListField(CODE_LISTS["availability"])
    consent_privacy = fields.Boolean(required=True)
    consent_online_sessions = fields.Boolean()
    attest_relationship = fields.Boolean()


class StatusChangeSchema(Schema):
    """The body of ``POST /api/v1/nominations/<id>/status``."""

    status = code_field(NominationStatus, required=True)
    reason = Text(load_default=None, allow_none=True)


class NominationApi(ProgramApi):
    """Every nomination. Coordinators review nominations and correct their details."""

    resource_name = "nominations"
    class_permission_name = "Nominations"
    datamodel = ApiInterface(Nomination)
    exclude_route_methods = {"delete"}
    code_lists = CODE_LISTS
    # PUT cannot change the date of birth, so an age-for-grade violation names the grade.
    rule_fields = {"student_date_of_birth": "student_grade", "decline_reason": "reason"}
    openapi_spec_component_schemas = (StatusChangeSchema,)

    list_columns = [
        "id",
        "reference",
        "status",
        "submitted_at",
        "nominator_kind",
        "student_first_name",
        "student_last_name",
        "student_grade",
        "school_id",
        "school.name",
        "duplicate_of_id",
        "student_id",
    ]
    show_columns = [
        "id",
        "reference",
        "status",
        "submitted_at",
        "status_changed_at",
        "language",
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
        "student_first_name",
        "student_last_name",
        "student_preferred_name",
        "student_date_of_birth",
        "student_grade",
        "school_id",
        "student_email",
        "home_languages",
        "needs",
        "needs_other",
        "needs_description",
        "availability",
        "consent_privacy",
        "consent_online_sessions",
        "attest_relationship",
        "duplicate_of_id",
        "student_id",
        "decline_reason",
        "coordinator_notes",
        "school.name",
    ]
    add_model_schema = NominationSubmissionSchema()
    add_columns = list(NominationSubmissionSchema._declared_fields)
    edit_columns = EDIT_COLUMNS
    search_columns = [
        "status",
        "reference",
        "nominator_kind",
        "student_first_name",
        "student_last_name",
        "student_grade",
        "school",
        "submitted_at",
    ]
    order_columns = ["id", "submitted_at", "status", "student_last_name", "student_grade"]
    base_order = ("submitted_at", "desc")

    def add_from_request(self) -> Response:
        body = json_body()
        type_errors = self.add_model_schema.validate(body, partial=True)
        if type_errors:
            return self.response_422(message=type_errors)
        try:
            nomination = submit_nomination(body, now=utcnow())
        except NominationInvalid as invalid:
            logger.info("nomination rejected on %s", ", ".join(sorted(invalid.errors)))
            messages = {
                field: [violation.render(gettext)] for field, violation in invalid.errors.items()
            }
            return self.response_422(message=messages)
        except NominationNotSaved:
            logger.warning("nomination not saved, returning 503")
            return self.response(503, message=NOT_SAVED_MESSAGE)
        return self.response(201, id=nomination.id, result=self.show_model_schema.dump(nomination))

    def check_update(self, item: Nomination, original: dict[str, Any]) -> None:
        clean_nomination_edit(item, program_today_now())
        check_school(item.school_id)
        check_language(item.language)

    @expose("/<int:pk>/status", methods=["POST"])
    @protect()
    @safe
    @permission_name("put")
    def change_status(self, pk: int) -> Response:
        """Move a nomination to another status; declining needs a reason.
        ---
        post:
          parameters:
          - in: path
            schema:
              type: integer
            name: pk
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StatusChangeSchema'
          responses:
            200:
              description: The nomination has the new status
            400:
              $ref: '#/components/responses/400'
            401:
              $ref: '#/components/responses/401'
            404:
              $ref: '#/components/responses/404'
            422:
              $ref: '#/components/responses/422'
        """

        def run() -> Response:
            self.get_visible(pk)
            data = StatusChangeSchema().load(json_body())
            reason = clean_text(data["reason"], "reason")
            nomination = change_nomination_status(
                pk, data["status"], user_id=current_user_id(), reason=reason
            )
            return self.response(
                200, id=nomination.id, result=self.show_model_schema.dump(nomination)
            )

        return self.respond(run)
