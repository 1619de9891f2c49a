"""Match support check-ins that coordinators log. Mentors have no route to them.

The match field finds active matches by name. A closed match takes check-ins up to its
close date, logged from the match's page, and a proposed match takes none.
"""

from __future__ import annotations

from flask import request
from sqlalchemy.orm import joinedload
from wtforms import TextAreaField

from app.admin.base import (
    AdminInterface,
    AdminModelView,
    boston_time,
    current_user_id,
    program_date,
)
from app.admin.fields import date_field, enum_select
from app.admin.match_search import match_search_field
from app.extensions import db
from app.models import Match, MatchCheckIn
from app.rules.check_ins import (
    check_check_in_date,
    check_check_in_match,
    clean_check_in_notes,
)
from app.rules.choices import CheckInChannel, CheckInContact, MatchStatus
from app.rules.errors import N_, RuleViolation
from app.url_values import parse_record_id
from app.viewkit import RuleValidator


class CheckInView(AdminModelView):
    """Check-ins: who was contacted about a match, when, how, and short notes."""

    route_base = "/checkinview"
    datamodel = AdminInterface(
        MatchCheckIn,
        list_load_options=[
            joinedload(MatchCheckIn.match).joinedload(Match.student),
            joinedload(MatchCheckIn.match).joinedload(Match.mentor),
            joinedload(MatchCheckIn.created_by),
        ],
    )
    class_permission_name = "CheckIns"
    exclude_route_methods = {"download", "action", "action_post"}
    list_title = "Check-ins"
    show_title = "Check-in"
    add_title = "Log a check-in"
    edit_title = "Edit check-in"
    add_row_message = "Check-in logged."
    edit_row_message = "Check-in updated."
    delete_row_message = "Check-in deleted."

    list_columns = ["checked_on", "match", "contact_with", "channel", "created_by"]
    order_columns = ["checked_on", "contact_with", "channel"]
    base_order = ("checked_on", "desc")
    search_columns = ["checked_on", "contact_with", "channel"]
    label_columns = {
        "checked_on": "Date",
        "contact_with": "Contact with",
        "created_by": "Logged by",
        "created_at": "Logged (Boston time)",
    }
    formatters_columns = {"created_at": boston_time}
    add_columns = ["match", "checked_on", "contact_with", "channel", "notes"]
    edit_columns = add_columns[1:]
    show_columns = [*add_columns, "created_by", "created_at"]
    edit_form_extra_fields = {
        "checked_on": date_field("Date", "the date of the check-in"),
        "contact_with": enum_select("Contact with", CheckInContact),
        "channel": enum_select("Channel", CheckInChannel),
        "notes": TextAreaField(
            "Notes",
            validators=[RuleValidator(clean_check_in_notes)],
            description="Up to 500 characters. Keep to what the program needs to follow up.",
        ),
    }
    add_form_extra_fields = {
        "match": match_search_field(),
        **edit_form_extra_fields,
    }

    def prefill_add_form(self, form) -> None:
        match_id = parse_record_id(request.args.get("match"))
        if match_id is not None:
            form.match.data = db.session.get(Match, match_id)

    def check_item(self, item: MatchCheckIn, is_created: bool) -> None:
        match = item.match
        if match is None:
            raise RuleViolation("match", N_("Choose the match."))
        check_check_in_match(match.status)
        check_check_in_date(
            item.checked_on,
            match_start=match.start_date,
            today=program_date(),
            closed_on=match.closed_on if match.status is MatchStatus.closed else None,
        )
        item.notes = clean_check_in_notes(item.notes)

    def pre_add(self, item: MatchCheckIn) -> None:
        item.created_by_id = current_user_id()
