"""Sessions as coordinators see them: every match's sessions, with no edit window.

Mentors may change a session only up to ``ILS_MENTOR_EDIT_DAYS`` after its date.
Coordinators may add, correct and delete any session, within the other session
rules: the date is not in the future and inside the match, and the length is 15
to 180 minutes. A session's match is chosen when it is logged and cannot change
later, so delete the session and log it again under the right match.
"""

from __future__ import annotations

from flask import request
from sqlalchemy.orm import joinedload
from wtforms import DateField, IntegerField, StringField

from app.admin.base import (
    AdminInterface,
    AdminModelView,
    boston_time,
    clock_time,
    current_user_id,
    program_date,
)
from app.admin.fields import (
    checkbox,
    date_field,
    enum_select,
    integer_field,
    time_field,
)
from app.admin.filters import session_match_filter
from app.admin.match_search import match_search_field
from app.extensions import db
from app.models import Match, MentoringSession
from app.rules.choices import SessionOutcome
from app.rules.nomination import clean_text
from app.rules.sessions import PROCTOR_PRESENT_HELP, clean_topics
from app.services.sessions import check_session
from app.url_values import parse_record_id
from app.viewkit import RuleValidator

SESSION_FORM_COLUMNS = [
    "match",
    "session_date",
    "start_time",
    "duration_minutes",
    "outcome",
    "proctor_present",
    "topics",
    "notes",
]
"""The fields of a session form, for coordinators and mentors alike."""

SESSION_TEXT_VALIDATORS = {
    "topics": [RuleValidator(clean_topics)],
    "notes": [RuleValidator(lambda text: clean_text(text, "notes"))],
}


def session_date_field(description: str = "") -> DateField:
    return date_field(
        "Date", "the session date", description, required_message="Enter the session date."
    )


def session_minutes_field() -> IntegerField:
    return integer_field("Minutes", "the session length in minutes", "From 15 to 180 minutes.")


class SessionView(AdminModelView):
    """Sessions: list and search them, log a missing one, correct or delete any."""

    route_base = "/sessionview"
    datamodel = AdminInterface(
        MentoringSession,
        list_load_options=[
            joinedload(MentoringSession.match).joinedload(Match.student),
            joinedload(MentoringSession.match).joinedload(Match.mentor),
        ],
        text_filters={"match": [session_match_filter()]},
    )
    class_permission_name = "Sessions"
    exclude_route_methods = {"download", "action", "action_post"}
    list_title = "Sessions"
    show_title = "Session"
    add_title = "Log a session"
    edit_title = "Edit session"
    add_row_message = "Session logged."
    edit_row_message = "Session updated."
    delete_row_message = "Session deleted."

    list_columns = [
        "session_date",
        "start_time",
        "match",
        "duration_minutes",
        "outcome",
        "proctor_present",
    ]
    order_columns = ["session_date", "duration_minutes", "outcome", "proctor_present"]
    base_order = ("session_date", "desc")
    search_columns = ["match", "session_date", "outcome", "proctor_present"]
    search_form_extra_fields = {"match": StringField("Student or mentor name")}
    label_columns = {
        "session_date": "Date",
        "start_time": "Start time",
        "duration_minutes": "Minutes",
        "proctor_present": "Proctor present",
        "created_at": "Logged (Boston time)",
        "updated_at": "Changed (Boston time)",
        "created_by": "Logged by",
    }
    formatters_columns = {
        "start_time": clock_time,
        "created_at": boston_time,
        "updated_at": boston_time,
    }
    add_columns = SESSION_FORM_COLUMNS
    edit_columns = add_columns[1:]
    show_columns = [*add_columns, "created_at", "created_by", "updated_at"]
    edit_form_extra_fields = {
        "session_date": session_date_field(),
        "start_time": time_field("Start time (Boston time)"),
        "duration_minutes": session_minutes_field(),
        "outcome": enum_select("Outcome", SessionOutcome),
        "proctor_present": checkbox("Proctor present", PROCTOR_PRESENT_HELP),
    }
    add_form_extra_fields = {
        "match": match_search_field(),
        **edit_form_extra_fields,
    }
    validators_columns = SESSION_TEXT_VALIDATORS

    def prefill_add_form(self, form) -> None:
        match_id = parse_record_id(request.args.get("match"))
        if match_id is not None:
            form.match.data = db.session.get(Match, match_id)

    def check_item(self, item: MentoringSession, is_created: bool) -> None:
        check_session(
            item.match,
            session_date=item.session_date,
            start_time=item.start_time,
            duration_minutes=item.duration_minutes,
            today=program_date(),
            by_mentor=False,
        )
        item.topics = clean_topics(item.topics)
        item.notes = clean_text(item.notes, "notes")

    def pre_add(self, item: MentoringSession) -> None:
        item.created_by_id = current_user_id()
