""" "My sessions": the logged-in mentor logs, corrects and removes their own sessions.

Mentors may add, edit and delete a session only within the edit window after
its date (``ILS_MENTOR_EDIT_DAYS``, 14 by default). Coordinators change older
sessions on their own screens.
"""

from __future__ import annotations

import logging

from flask import current_app, g
from flask_babel import gettext
from sqlalchemy.orm import joinedload
from wtforms import TimeField
from wtforms.validators import InputRequired

from app.admin.base import clock_time, display_value
from app.admin.fields import checkbox, enum_select
from app.admin.sessions import (
    SESSION_FORM_COLUMNS,
    SESSION_TEXT_VALIDATORS,
    session_date_field,
    session_minutes_field,
)
from app.models import Match, MentoringSession
from app.models.types import utcnow
from app.portal.forms import NOT_OWN_MATCH_MESSAGE, with_session_rules
from app.portal.scope import (
    MENTOR_ACTIVE_MATCHES,
    MENTOR_MATCHES,
    UNSCOPED_ROUTES,
    FilterMatchOfMentor,
    is_own_match,
)
from app.portal.students import display_name
from app.rules import sessions as session_rules
from app.rules.choices import SessionOutcome
from app.rules.errors import RuleViolation
from app.rules.timezone import program_today
from app.security import current_mentor_id
from app.viewkit import GuardedModelView, ProgramInterface

logger = logging.getLogger(__name__)


class ChangeRejected(Exception):
    """A change the view hooks reject. Flask-AppBuilder flashes the message and redirects."""


def _start_time_field() -> TimeField:
    return TimeField(
        "Start time",
        format="%H:%M",
        validators=[InputRequired(message="Enter the start time, for example 16:00.")],
        description="Boston time, 24-hour clock.",
        render_kw={"class": "form-control"},
    )


def _student_of(match: Match | None) -> str:
    return display_name(match.student) if match is not None else ""


class MySessionsView(GuardedModelView):
    """The mentor's own sessions, scoped in SQL through the match's mentor.

    The ``match`` dropdowns list only the mentor's matches, the form rejects a
    match of another mentor, and ``pre_add``/``pre_update`` check the owner again
    before anything is written.
    """

    datamodel = ProgramInterface(
        MentoringSession,
        list_load_options=[joinedload(MentoringSession.match).joinedload(Match.student)],
    )
    class_permission_name = "MySessions"
    base_permissions = ["can_list", "can_show", "can_add", "can_edit", "can_delete"]
    exclude_route_methods = UNSCOPED_ROUTES
    base_filters = [["match_id", FilterMatchOfMentor, current_mentor_id]]
    base_order = ("session_date", "desc")

    list_columns = [
        "session_date",
        "start_time",
        "match",
        "duration_minutes",
        "outcome",
        "proctor_present",
        "topics",
    ]
    show_columns = [*list_columns, "notes"]
    add_columns = SESSION_FORM_COLUMNS
    edit_columns = SESSION_FORM_COLUMNS
    order_columns = ["session_date", "start_time", "duration_minutes", "outcome"]
    search_columns = ["match", "session_date", "outcome", "topics"]
    label_columns = {
        "match": "Student",
        "session_date": "Date",
        "start_time": "Start time",
        "duration_minutes": "Minutes",
        "proctor_present": "Proctor present",
    }
    description_columns = {
        "duration_minutes": "From 15 to 180 minutes.",
        "session_date": "The day the session took place (Boston time).",
    }
    formatters_columns = {
        **dict.fromkeys(show_columns, display_value),
        "match": _student_of,
        "start_time": clock_time,
    }
    validators_columns = SESSION_TEXT_VALIDATORS
    # FAB's own fields would mark the NOT NULL checkbox required (so "proctor absent"
    # could not be saved) and raise KeyError on an unknown outcome code.
    add_form_extra_fields = {
        "session_date": session_date_field("The day the session took place (Boston time)."),
        "start_time": _start_time_field(),
        "duration_minutes": session_minutes_field(),
        "outcome": enum_select("Outcome", SessionOutcome),
        "proctor_present": checkbox("Proctor present", session_rules.PROCTOR_PRESENT_HELP),
    }
    edit_form_extra_fields = add_form_extra_fields
    search_form_query_rel_fields = {"match": MENTOR_MATCHES}
    add_form_query_rel_fields = {"match": MENTOR_ACTIVE_MATCHES}
    edit_form_query_rel_fields = {"match": MENTOR_ACTIVE_MATCHES}

    list_title = "My sessions"
    show_title = "Session"
    add_title = "Log a session"
    edit_title = "Edit session"
    add_row_message = "Session logged."
    edit_row_message = "Session updated."
    delete_row_message = "Session deleted."

    def _init_forms(self) -> None:
        super()._init_forms()
        self.add_form = with_session_rules(self.add_form)
        self.edit_form = with_session_rules(self.edit_form)

    # FAB's add and edit fill a form field from a ``_flt_`` argument with an
    # unchecked id (an invalid one fails in the database), so those arguments get
    # the same checks as on the list.
    def _add(self):
        self._check_list_args()
        return super()._add()

    def _edit(self, pk):
        self._check_list_args()
        return super()._edit(pk)

    def pre_add(self, item: MentoringSession) -> None:
        self._check_owner(item)
        item.created_by_id = g.user.id

    def pre_update(self, item: MentoringSession) -> None:
        self._check_owner(item)

    def pre_delete(self, item: MentoringSession) -> None:
        try:
            session_rules.check_mentor_edit_window(
                item.session_date,
                program_today(utcnow()),
                current_app.config["ILS_MENTOR_EDIT_DAYS"],
            )
        except RuleViolation as violation:
            raise ChangeRejected(violation.render(gettext)) from None

    def post_add(self, item: MentoringSession) -> None:
        logger.info("session id=%s logged by mentor id=%s", item.id, current_mentor_id())

    def post_update(self, item: MentoringSession) -> None:
        logger.info("session id=%s changed by mentor id=%s", item.id, current_mentor_id())

    def post_delete(self, item: MentoringSession) -> None:
        logger.info("session id=%s deleted by mentor id=%s", item.id, current_mentor_id())

    @staticmethod
    def _check_owner(item: MentoringSession) -> None:
        """Raise ChangeRejected unless the session's match is the mentor's own.

        The form already rejects such a match; this check holds for any other path
        that fills the row.
        """
        if not is_own_match(item.match):
            raise ChangeRejected(NOT_OWN_MATCH_MESSAGE)
