"""Validation of the portal's session forms: program rules, match ownership and duplicates.

Errors are attached to the field they concern, so the form re-renders with the
mentor's input kept (an exception in a view hook would lose it).
"""

from __future__ import annotations

import logging

from flask_babel import gettext
from sqlalchemy import select

from app.extensions import db
from app.models import MentoringSession
from app.models.types import utcnow
from app.portal.scope import is_own_match
from app.rules.errors import RuleViolation
from app.rules.timezone import program_today
from app.security import current_mentor_id
from app.services.sessions import check_session
from app.viewkit import CONSTRAINT_MESSAGES

logger = logging.getLogger(__name__)

NOT_OWN_MATCH_MESSAGE = "Choose one of your own active matches."
RULE_FIELDS = ("match", "session_date", "start_time", "duration_minutes")


class SessionRulesMixin:
    """Session rules for a generated session form, checked after its field validators.

    Flask-AppBuilder's edit view sets ``_id`` to the session's primary key before
    validating (for its unique validator). A form with ``_id`` is an edit, and the
    stored session gives the original date for the mentor edit window.
    """

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        original = self._original_session()
        match = self.match.data

        if match is not None and not is_own_match(match):
            self._add_error("match", NOT_OWN_MATCH_MESSAGE)
            return False
        if match is None and self._match_submitted():
            # An id outside the dropdown: WTForms reports it as a missing value.
            logger.warning(
                "mentor id=%s submitted a match outside their active matches", current_mentor_id()
            )
            self.match.errors[:] = [NOT_OWN_MATCH_MESSAGE]
            return False
        if any(self[name].errors for name in RULE_FIELDS):
            return False
        try:
            check_session(
                match,
                session_date=self.session_date.data,
                start_time=self.start_time.data,
                duration_minutes=self.duration_minutes.data,
                today=program_today(utcnow()),
                by_mentor=True,
                original_date=original.session_date if original is not None else None,
            )
        except RuleViolation as violation:
            self._add_error(violation.field, violation.render(gettext))
            return False
        if valid and self._duplicates_another_session(original):
            self._add_error("start_time", CONSTRAINT_MESSAGES["uq_session_match_date_time"])
            return False
        return valid

    def _match_submitted(self) -> bool:
        raw = self.match.raw_data
        return bool(raw) and raw[0] not in ("", "__None")

    def _original_session(self) -> MentoringSession | None:
        session_id = getattr(self, "_id", None)
        if session_id is None:
            return None
        # The view loaded this row through its base filters, so the identity map
        # returns it with the stored values (the form has not been applied yet).
        return db.session.get(MentoringSession, session_id)

    def _duplicates_another_session(self, original: MentoringSession | None) -> bool:
        query = select(MentoringSession.id).where(
            MentoringSession.match_id == self.match.data.id,
            MentoringSession.session_date == self.session_date.data,
            MentoringSession.start_time == self.start_time.data,
        )
        if original is not None:
            query = query.where(MentoringSession.id != original.id)
        return db.session.execute(query.limit(1)).first() is not None

    def _add_error(self, field_name: str, message: str) -> None:
        field = self._fields.get(field_name)
        if field is None:
            self.form_errors.append(message)
        else:
            field.errors.append(message)


def with_session_rules(form_class: type) -> type:
    """Return a subclass of the generated ``form_class`` that also runs ``SessionRulesMixin``."""
    return type(form_class.__name__, (SessionRulesMixin, form_class), {})
