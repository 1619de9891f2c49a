"""Checks for logging a mentoring session, shared by the portal, admin screens and API."""

from __future__ import annotations

import datetime as dt

from flask import current_app

from app.models import Match
from app.rules import sessions as session_rules
from app.rules.choices import MatchStatus
from app.rules.errors import N_, RuleViolation


def check_session(
    match: Match | None,
    *,
    session_date: dt.date | None,
    start_time: dt.time | None,
    duration_minutes: int | None,
    today: dt.date,
    by_mentor: bool,
    original_date: dt.date | None = None,
) -> None:
    """Raise RuleViolation if this session may not be saved.

    Mentors may add or edit a session only within the edit window after its date
    (``ILS_MENTOR_EDIT_DAYS``), which applies to both the stored date
    (``original_date``) and the new one. Coordinators may edit any session.
    """
    if match is None:
        raise RuleViolation("match", N_("Choose the match this session belongs to."))
    if match.status is MatchStatus.proposed:
        raise RuleViolation("match", N_("Sessions can be logged once the match is active."))
    if session_date is None:
        raise RuleViolation("session_date", N_("Enter the date of the session."))
    session_rules.check_start_time(start_time)
    session_rules.check_duration(duration_minutes)
    session_rules.check_session_date(
        session_date, match_start=match.start_date, match_closed_on=match.closed_on, today=today
    )
    if by_mentor:
        days = current_app.config["ILS_MENTOR_EDIT_DAYS"]
        if original_date is not None:
            session_rules.check_mentor_edit_window(original_date, today, days)
        session_rules.check_mentor_edit_window(session_date, today, days)
