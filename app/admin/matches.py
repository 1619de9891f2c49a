"""Matches: the list, activation, closing, and changes to the weekly slot.

A match is made only through a student's "Make a match" form and changes status
only through the matching service, which holds the capacity and one-open-match
rules under a lock. The edit form changes the slot, Meet link, subjects and
proctor of an open match, nothing that decides who is matched.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.security.decorators import has_access, permission_name
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import StringField
from wtforms.validators import InputRequired

from app.admin.base import (
    AdminInterface,
    AdminModelView,
    boston_time,
    code_labels,
    current_user_id,
    program_date,
    show_violation,
)
from app.admin.fields import CodeCheckboxField, enum_select, time_field
from app.admin.filters import MentorNameFilter, StudentNameFilter, StudentSchoolFilter
from app.admin.match_forms import CloseMatchForm, _proctor_label, proctors
from app.extensions import db
from app.models import Match, MatchCheckIn, ProgramYear, Student
from app.rules.choices import MatchStatus, Need, Weekday
from app.rules.errors import RuleViolation
from app.rules.match import default_close_date
from app.services.health import health_of_matches
from app.services.matching import activate_match, check_meeting_change, close_match
from app.services.program_years import latest_year_started_by, span_of, year_on, years_around

logger = logging.getLogger(__name__)


def health_year(
    match: Match, current_year: ProgramYear | None, today: dt.date
) -> ProgramYear | None:
    """Return the program year whose health the match page shows.

    That is the year containing today, unless the match closed before that year
    started or no year contains today. Then it is the last year that started by the
    close date (by today for an open match), so a match of an earlier year shows that year.
    """
    last_day = match.closed_on or today
    if current_year is not None and current_year.first_day <= last_day:
        return current_year
    year = latest_year_started_by(last_day)
    if year is None or year.last_day < match.start_date:
        return None
    return year


class MatchView(AdminModelView):
    """Matches: activate proposed ones, close open ones, adjust the weekly meeting."""

    route_base = "/matchview"
    datamodel = AdminInterface(
        Match,
        list_load_options=[
            joinedload(Match.student).joinedload(Student.school),
            joinedload(Match.mentor),
            joinedload(Match.proctor),
        ],
        text_filters={
            "student": [StudentNameFilter, StudentSchoolFilter],
            "mentor": [MentorNameFilter],
        },
    )
    class_permission_name = "Matches"
    exclude_route_methods = {"add", "delete", "download", "action", "action_post"}
    show_template = "admin/match_show.html"
    list_title = "Matches"
    show_title = "Match"
    edit_title = "Change the weekly meeting"
    edit_row_message = "Weekly meeting updated."

    list_columns = ["student", "mentor", "status", "start_date", "slot", "proctor"]
    order_columns = ["status", "start_date"]
    base_order = ("start_date", "desc")
    search_columns = ["student", "mentor", "status", "start_date"]
    search_form_extra_fields = {
        "student": StringField("Student (name or school)"),
        "mentor": StringField("Mentor name"),
    }
    label_columns = {
        "slot": "Weekly slot",
        "slot_weekday": "Weekday",
        "slot_time": "Meeting time",
        "meet_link": "Google Meet link",
        "activated_at": "Activated (Boston time)",
        "created_at": "Proposed (Boston time)",
        "closed_on": "Closed on",
    }
    formatters_columns = {
        "activated_at": boston_time,
        "created_at": boston_time,
        "subjects": code_labels(Need),
    }
    show_columns = [
        "student",
        "mentor",
        "status",
        "start_date",
        "slot",
        "meet_link",
        "subjects",
        "proctor",
        "created_at",
        "created_by",
        "activated_at",
        "closed_on",
        "close_reason",
        "close_note",
    ]
    edit_columns = ["slot_weekday", "slot_time", "meet_link", "subjects", "proctor"]
    add_columns = edit_columns  # no add route; FAB still builds the form
    add_form_extra_fields = edit_form_extra_fields = {
        "slot_weekday": enum_select("Weekday", Weekday),
        "slot_time": time_field("Meeting time (Boston time)"),
        "meet_link": StringField("Google Meet link", validators=[InputRequired()]),
        "subjects": CodeCheckboxField("Subjects in focus", Need),
        "proctor": QuerySelectField(
            "Proctor",
            query_func=proctors,
            get_pk_func=lambda user: user.id,
            get_label=_proctor_label,
            validators=[InputRequired(message="Choose a proctor.")],
            widget=Select2Widget(),
        ),
    }

    def check_item(self, item: Match, is_created: bool) -> None:
        check_meeting_change(item)

    def show_extra(self, item: Match) -> dict[str, object]:
        today = program_date()
        current_year = year_on(today)
        previous_year = next_year = None
        if current_year is None:
            previous_year, next_year = years_around(today)
        year = health_year(item, current_year, today)
        health = None
        # A proposed match has no sessions yet, so it has no weekly target to judge.
        if year is not None and item.status is not MatchStatus.proposed:
            health = health_of_matches(Match.id == item.id, span_of(year), today).get(item.id)
        check_ins = db.session.execute(
            select(MatchCheckIn)
            .where(MatchCheckIn.match_id == item.id)
            .order_by(MatchCheckIn.checked_on.desc(), MatchCheckIn.id.desc())
        ).scalars()
        return {
            "sessions": sorted(item.sessions, key=lambda s: (s.session_date, s.start_time)),
            "year": year,
            "current_year": current_year,
            "previous_year": previous_year,
            "next_year": next_year,
            "health": health,
            "check_ins": list(check_ins),
        }

    @expose("/activate/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("activate")
    def activate(self, pk: int):
        """Make a proposed match active, which marks the student's nomination matched."""
        try:
            activate_match(pk, user_id=current_user_id())
        except RuleViolation as violation:
            logger.warning("match %s: activation rejected", pk)
            flash(violation.render(), "danger")
        else:
            flash(
                "Match activated. The mentor, the family and the proctor are notified by "
                "e-mail; the Outbox screen shows each message's delivery.",
                "success",
            )
        return redirect(url_for(".show", pk=pk))

    @expose("/close/<int:pk>", methods=["GET", "POST"])
    @has_access
    @permission_name("close")
    def close(self, pk: int):
        """Close an open match with a date and reason. Errors appear next to their field."""
        match = db.session.get(Match, pk)
        if match is None:
            abort(404)
        form = CloseMatchForm()
        if request.method == "GET":
            form.closed_on.data = default_close_date(match.start_date, program_date())
        elif form.validate():
            try:
                close_match(
                    pk,
                    closed_on=form.closed_on.data,
                    reason=form.close_reason.data,
                    note=form.close_note.data,
                    user_id=current_user_id(),
                    today=program_date(),
                )
            except RuleViolation as violation:
                logger.warning("match %s: closing rejected on %s", pk, violation.field)
                show_violation(form, violation, {"status": "", "match": ""})
            else:
                flash("Match closed.", "success")
                return redirect(url_for(".show", pk=pk))
            match = db.session.get(Match, pk)
        return self.render_template(
            "admin/close_match.html", title="Close match", form=form, match=match
        )
