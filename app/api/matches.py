"""Matches for coordinators: proposed, activated and closed only through the matching service.

POST proposes a match (``propose_match``); ``/<id>/activate`` and ``/<id>/close``
call the service for those steps. PUT may change only the meeting details of an
open match, so no request can set the status, the student or the mentor directly.
"""

from __future__ import annotations

from typing import Any

from flask_appbuilder.api import expose, safe
from flask_appbuilder.security.decorators import permission_name, protect
from marshmallow import Schema, fields
from werkzeug.wrappers import Response

from app.api.base import ApiInterface, ProgramApi, current_user_id, json_body, program_today_now
from app.api.schemas import (
    CODE_LISTS,
    CodeListField,
    StrictInteger,
    Text,
    code_field,
    time_field,
)
from app.models import Match
from app.rules.choices import CloseReason, Weekday
from app.services.matching import (
    MatchDetails,
    activate_match,
    check_meeting_change,
    check_proctor,
    close_match,
    propose_match,
)

MATCH_DETAIL_COLUMNS = ["slot_weekday", "slot_time", "meet_link", "subjects", "proctor_id"]


class MatchProposalSchema(Schema):
    """The body of ``POST /api/v1/matches/``."""

    student_id = StrictInteger(required=True)
    mentor_id = StrictInteger(required=True)
    start_date = fields.Date(required=True)
    slot_weekday = code_field(Weekday, required=True)
    slot_time = time_field(required=True)
    meet_link = Text(required=True)
    subjects = CodeListField(CODE_LISTS["subjects"], load_default=list)
    proctor_id = StrictInteger(required=True)


class MatchCloseSchema(Schema):
    """The body of ``POST /api/v1/matches/<id>/close``. The rules check the reason and note."""

    closed_on = fields.Date(required=True)
    close_reason = code_field(CloseReason, load_default=None, allow_none=True)
    close_note = Text(load_default=None, allow_none=True)


class MatchApi(ProgramApi):
    """Every match. Coordinators propose, activate, close and adjust meeting details."""

    resource_name = "matches"
    class_permission_name = "Matches"
    datamodel = ApiInterface(Match)
    exclude_route_methods = {"delete"}
    code_lists = CODE_LISTS
    rule_fields = {"student": "student_id", "mentor": "mentor_id", "proctor": "proctor_id"}
    openapi_spec_component_schemas = (MatchCloseSchema,)

    list_columns = [
        "id",
        "status",
        "student_id",
        "student.first_name",
        "student.last_name",
        "mentor_id",
        "mentor.first_name",
        "mentor.last_name",
        "start_date",
        "slot_weekday",
        "slot_time",
        "closed_on",
    ]
    show_columns = [
        "id",
        "status",
        "student_id",
        "mentor_id",
        "start_date",
        *MATCH_DETAIL_COLUMNS,
        "activated_at",
        "closed_on",
        "close_reason",
        "close_note",
        "created_at",
        "created_by_id",
        "student.first_name",
        "student.last_name",
        "mentor.first_name",
        "mentor.last_name",
    ]
    add_model_schema = MatchProposalSchema()
    add_columns = list(MatchProposalSchema._declared_fields)
    edit_columns = MATCH_DETAIL_COLUMNS
    search_columns = ["status", "student", "mentor", "start_date", "slot_weekday", "closed_on"]
    order_columns = ["id", "start_date", "status", "closed_on"]
    base_order = ("start_date", "desc")

    def add_from_request(self) -> Response:
        data = self.add_model_schema.load(json_body())
        check_proctor(data["proctor_id"], field="proctor_id")
        details = MatchDetails(
            start_date=data["start_date"],
            slot_weekday=data["slot_weekday"],
            slot_time=data["slot_time"],
            meet_link=data["meet_link"],
            proctor_id=data["proctor_id"],
            subjects=data["subjects"],
        )
        match = propose_match(
            data["student_id"],
            data["mentor_id"],
            details,
            user_id=current_user_id(),
            today=program_today_now(),
        )
        return self.response(201, id=match.id, result=self.show_model_schema.dump(match))

    def check_update(self, item: Match, original: dict[str, Any]) -> None:
        check_meeting_change(item)
        check_proctor(item.proctor_id, field="proctor_id")

    @expose("/<int:pk>/activate", methods=["POST"])
    @protect()
    @safe
    @permission_name("put")
    def activate(self, pk: int) -> Response:
        """Activate a proposed match and send the match notification.
        ---
        post:
          parameters:
          - in: path
            schema:
              type: integer
            name: pk
          responses:
            200:
              description: The match is active
            401:
              $ref: '#/components/responses/401'
            404:
              $ref: '#/components/responses/404'
            422:
              $ref: '#/components/responses/422'
        """

        def run() -> Response:
            self.get_visible(pk)
            match = activate_match(pk, user_id=current_user_id())
            return self.response(200, id=match.id, result=self.show_model_schema.dump(match))

        return self.respond(run)

    @expose("/<int:pk>/close", methods=["POST"])
    @protect()
    @safe
    @permission_name("put")
    def close(self, pk: int) -> Response:
        """Close a proposed or active match with a date and a reason.
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
                  $ref: '#/components/schemas/MatchCloseSchema'
          responses:
            200:
              description: The match is closed
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
            data = MatchCloseSchema().load(json_body())
            match = close_match(
                pk,
                closed_on=data["closed_on"],
                reason=data["close_reason"],
                note=data["close_note"],
                user_id=current_user_id(),
                today=program_today_now(),
            )
            return self.response(200, id=match.id, result=self.show_model_schema.dump(match))

        return self.respond(run)
