"""Logged sessions: every session for coordinators, a mentor's own for mentors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from flask_appbuilder.models.sqla.filters import FilterInFunction
from sqlalchemy import select

from app.api.base import ApiInterface, ProgramApi, current_user_id, program_today_now
from app.api.errors import NotFound
from app.extensions import db
from app.models import Match, MentoringSession
from app.rules.choices import MatchStatus
from app.rules.errors import N_, RuleViolation
from app.rules.nomination import clean_text
from app.rules.sessions import check_mentor_edit_window, clean_topics
from app.security import current_mentor_id
from app.services.sessions import check_session

SESSION_COLUMNS = [
    "match_id",
    "session_date",
    "start_time",
    "duration_minutes",
    "outcome",
    "proctor_present",
    "topics",
    "notes",
]
SESSION_LIST_COLUMNS = ["id", *SESSION_COLUMNS[:-1]]
SESSION_SHOW_COLUMNS = ["id", *SESSION_COLUMNS, "created_at", "updated_at"]


def _check_and_clean(
    item: MentoringSession, match: Match | None, *, by_mentor: bool, original_date=None
) -> None:
    """Run the session rules shared with the screens and clean the free text in place."""
    check_session(
        match,
        session_date=item.session_date,
        start_time=item.start_time,
        duration_minutes=item.duration_minutes,
        today=program_today_now(),
        by_mentor=by_mentor,
        original_date=original_date,
    )
    item.topics = clean_topics(item.topics)
    item.notes = clean_text(item.notes, "notes")


def _match(match_id: int | None) -> Match | None:
    return db.session.get(Match, match_id) if match_id is not None else None


class SessionApi(ProgramApi):
    """Every logged session. Coordinators may add and edit sessions of any date."""

    resource_name = "sessions"
    class_permission_name = "Sessions"
    datamodel = ApiInterface(MentoringSession)
    rule_fields = {"match": "match_id"}

    list_columns = [*SESSION_LIST_COLUMNS, "match.student_id", "match.mentor_id"]
    show_columns = [*SESSION_SHOW_COLUMNS, "created_by_id"]
    add_columns = SESSION_COLUMNS
    edit_columns = SESSION_COLUMNS
    search_columns = ["match", "session_date", "duration_minutes", "outcome"]
    order_columns = ["id", "session_date", "start_time", "duration_minutes"]
    base_order = ("session_date", "desc")

    def pre_add(self, item: MentoringSession) -> None:
        _check_and_clean(item, _match(item.match_id), by_mentor=False)
        item.created_by_id = current_user_id()

    def check_update(self, item: MentoringSession, original: dict[str, Any]) -> None:
        _check_and_clean(item, _match(item.match_id), by_mentor=False)


def own_match_ids():
    """Return a subquery of the logged-in mentor's match ids, for a base filter."""
    return select(Match.id).where(Match.mentor_id == current_mentor_id())


def own_active_match(match_id: int | None) -> Match:
    """Return the logged-in mentor's match ``match_id`` if it is active.

    Raises NotFound for another mentor's match or a missing one, so the response
    does not reveal which ids exist. Raises RuleViolation on ``match_id`` for a
    proposed or closed match, where the portal does not log sessions either.
    """
    match = _match(match_id)
    if match is None or match.mentor_id != current_mentor_id():
        raise NotFound()
    if match.status is not MatchStatus.active:
        raise RuleViolation("match_id", N_("Sessions can be logged only for an active match."))
    return match


class MySessionsApi(ProgramApi):
    """The logged-in mentor's sessions, within the mentor edit window.

    The base filter limits list, get, put and delete to sessions of the mentor's
    own matches. Writes also check the target match, because the body may name
    another mentor's match.
    """

    resource_name = "my_sessions"
    class_permission_name = "MySessions"
    datamodel = ApiInterface(MentoringSession)
    base_filters = [["match_id", FilterInFunction, own_match_ids]]
    include_route_methods = {"get", "get_list", "post", "put", "delete"}
    rule_fields = {"match": "match_id"}

    list_columns = SESSION_LIST_COLUMNS
    show_columns = SESSION_SHOW_COLUMNS
    add_columns = SESSION_COLUMNS
    edit_columns = SESSION_COLUMNS
    search_columns = ["match", "session_date", "outcome"]
    order_columns = ["id", "session_date", "start_time"]
    base_order = ("session_date", "desc")

    def pre_add(self, item: MentoringSession) -> None:
        match = own_active_match(item.match_id)
        _check_and_clean(item, match, by_mentor=True)
        item.created_by_id = current_user_id()

    def check_update(self, item: MentoringSession, original: dict[str, Any]) -> None:
        match = own_active_match(item.match_id)
        original_date = dt.date.fromisoformat(original["session_date"])
        _check_and_clean(item, match, by_mentor=True, original_date=original_date)

    def pre_delete(self, item: MentoringSession) -> None:
        days = current_app.config["ILS_MENTOR_EDIT_DAYS"]
        check_mentor_edit_window(item.session_date, program_today_now(), days)
