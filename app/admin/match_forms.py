"""Forms for making and closing a match, and the queries behind their dropdowns."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_appbuilder.security.sqla.models import Role, User
from flask_wtf import FlaskForm
from sqlalchemy import and_, case, func, literal, or_, select
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from app.admin.fields import CodeCheckboxField, date_field, enum_select, time_field
from app.extensions import db
from app.models import Match, Mentor
from app.rules.choices import CheckStatus, CloseReason, MentorStatus, Need, Weekday
from app.rules.mentor import clearance_expires_on
from app.rules.nomination import clean_text
from app.rules.timezone import add_years
from app.services.matching import OPEN_STATUSES, readiness_problems
from app.viewkit import RuleValidator
from config import ADMIN_ROLE, COORDINATOR_ROLE

MAX_MENTOR_CHOICES = 200
"""Upper bound on the mentor dropdown. Mentors whose grade band fits the student come
first. When more mentors are eligible, the coordinator narrows the list by name with
the search box above the form."""


def last_expired_clearance_day(today: dt.date, years: int) -> dt.date:
    """Return the latest clearance date that has expired by ``today``.

    A clearance is valid while today is before ``clearance_expires_on(cleared, years)``,
    so it is valid exactly when its date is after this day. Across 29 February the day
    after the plain year shift can have expired too, so it is checked with the rule itself.
    """
    candidate = add_years(today, -years)
    next_day = candidate + dt.timedelta(days=1)
    if clearance_expires_on(next_day, years) <= today:
        return next_day
    return candidate


def eligible_mentors(
    today: dt.date, grade: int | None = None, name: str | None = None
) -> list[Mentor]:
    """Return the mentors ready to match today who have a free place.

    The readiness rules (both checks cleared and unexpired, training done with the
    minimum hours, not inactive) and the capacity are conditions in one SQL query.
    Mentors whose grade band contains ``grade`` come first, then by name; ``name``
    keeps mentors whose first or last name starts with it. The rows it returns are
    checked again with ``readiness_problems``, the rule itself.
    """
    config = current_app.config
    expired_by = last_expired_clearance_day(today, config["ILS_CLEARANCE_YEARS"])
    open_matches = (
        select(func.count(Match.id))
        .where(Match.mentor_id == Mentor.id, Match.status.in_(OPEN_STATUSES))
        .correlate(Mentor)
        .scalar_subquery()
    )
    conditions = [
        Mentor.status != MentorStatus.inactive,
        Mentor.training_completed_on <= today,
        Mentor.training_hours >= config["ILS_MIN_TRAINING_HOURS"],
        open_matches < Mentor.capacity,
    ]
    for status, cleared_on in (
        (Mentor.cori_status, Mentor.cori_cleared_on),
        (Mentor.sori_status, Mentor.sori_cleared_on),
    ):
        conditions.append(
            and_(status == CheckStatus.cleared, cleared_on > expired_by, cleared_on <= today)
        )
    if name:
        prefix = _like_prefix(name)
        conditions.append(
            or_(
                Mentor.last_name.ilike(prefix, escape="\\"),
                Mentor.first_name.ilike(prefix, escape="\\"),
            )
        )
    fits_grade = (
        case((and_(Mentor.grade_band_min <= grade, Mentor.grade_band_max >= grade), 0), else_=1)
        if grade is not None
        else literal(0)
    )
    query = (
        select(Mentor)
        .where(*conditions)
        .order_by(fits_grade, Mentor.last_name, Mentor.first_name, Mentor.id)
        .limit(MAX_MENTOR_CHOICES)
    )
    mentors = db.session.execute(query).scalars().all()
    return [mentor for mentor in mentors if not readiness_problems(mentor, today)]


def _like_prefix(text: str) -> str:
    """Return a LIKE pattern matching values that start with ``text`` taken literally."""
    escaped = text.strip()[:100].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def proctors() -> list[User]:
    """Return the active users who may proctor: coordinators and administrators, by name."""
    query = (
        select(User)
        .join(User.roles)
        .where(Role.name.in_((COORDINATOR_ROLE, ADMIN_ROLE)), User.active.is_(True))
        .order_by(User.last_name, User.first_name, User.id)
        .distinct()
    )
    return list(db.session.execute(query).scalars())


def optional_int(value) -> int | None:
    """Coerce a select's value to an int, or None for the blank option."""
    if value is None or value == "":
        return None
    return int(value)


def _mentor_label(mentor: Mentor, grade: int) -> str:
    fits = mentor.grade_band_min <= grade <= mentor.grade_band_max
    band = f"grades {mentor.grade_band_min}-{mentor.grade_band_max}"
    return f"{mentor.last_name}, {mentor.first_name} ({band}{'' if fits else ', outside band'})"


def _proctor_label(user: User) -> str:
    return f"{user.first_name} {user.last_name} ({user.username})"


class MakeMatchForm(FlaskForm):
    """A coordinator's proposal of a match for one student."""

    mentor = SelectField(
        "Mentor",
        coerce=optional_int,
        validate_choice=False,
        validators=[InputRequired(message="Choose a mentor.")],
        description="Only mentors ready to match today with a free place are listed.",
    )
    start_date = date_field(
        "Start date", "the start date", required_message="Enter the start date.", picker=False
    )
    slot_weekday = enum_select("Weekday of the weekly meeting", Weekday)
    slot_time = time_field("Meeting time (Boston time)")
    meet_link = StringField(
        "Google Meet link", description="Such as https://meet.google.com/abc-defg-hij"
    )
    subjects = CodeCheckboxField("Subjects in focus", Need)
    proctor = SelectField(
        "Proctor", coerce=optional_int, validators=[InputRequired(message="Choose a proctor.")]
    )

    def fill_choices(self, today: dt.date, grade: int, mentor_name: str | None = None) -> None:
        self.mentor.choices = [("", "")] + [
            (mentor.id, _mentor_label(mentor, grade))
            for mentor in eligible_mentors(today, grade, mentor_name)
        ]
        self.proctor.choices = [("", "")] + [(user.id, _proctor_label(user)) for user in proctors()]


class CloseMatchForm(FlaskForm):
    closed_on = date_field(
        "Close date", "the close date", required_message="Enter the close date.", picker=False
    )
    close_reason = enum_select("Reason", CloseReason)
    close_note = TextAreaField(
        "Note",
        validators=[Optional(), RuleValidator(lambda text: clean_text(text, "close_note"))],
        description="Required when the reason is Other.",
    )
