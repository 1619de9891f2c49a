"""Public nominations: check a submission against the program rules, then store it.

The public page and the REST API both call ``submit_nomination``, so a nomination
is checked the same way whichever path it arrives by. ``raw`` uses the public
form's field names (see ``clean_nomination``).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from app import events
from app.database import write_transaction
from app.extensions import db
from app.mail.headers import MailHeaderInvalid
from app.mail.queue import queue_nomination_received
from app.models import Nomination
from app.rules.choices import NominationStatus
from app.rules.email import MESSAGE_INVALID
from app.rules.errors import RuleViolation
from app.rules.nomination import MESSAGE_NAME_CONTROL
from app.rules.timezone import program_today
from app.services.nomination_cleaning import NominationInvalid, clean_nomination
from app.services.review import record_status

__all__ = [
    "NominationInvalid",
    "NominationNotSaved",
    "clean_nomination",
    "new_reference",
    "submit_nomination",
]

logger = logging.getLogger(__name__)

REFERENCE_PREFIX = "ILS-"
REFERENCE_LENGTH = 8
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Letters and digits without 0, O, 1, I and L, which are easy to misread over the phone."""
REFERENCE_ATTEMPTS = 5

CLOSED_STATUSES = (NominationStatus.declined, NominationStatus.withdrawn)


class NominationNotSaved(Exception):
    """The database failed while storing a valid nomination; nothing was stored."""


def new_reference() -> str:
    """Return a random reference code such as ``ILS-7KQ2M9XD`` (about 40 bits)."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return REFERENCE_PREFIX + code


def submit_nomination(raw: Mapping[str, Any], *, now: dt.datetime) -> Nomination:
    """Check and store a public nomination with status new, then send ``nomination_received``.

    ``now`` is timezone-aware. A second open nomination for the same student (same
    normalized name and date of birth) is stored with ``duplicate_of_id`` set to
    the earliest open one. Raises NominationInvalid when a rule fails and
    NominationNotSaved when the database fails; in both cases nothing is stored.
    The confirmation e-mail is queued in the same transaction.
    """
    values = clean_nomination(raw, today=program_today(now))
    try:
        # On SQLite the write lock is taken up front: a transaction that has read
        # and then writes fails at once, without waiting, when another writer won.
        with write_transaction(db.session):
            nomination = _store_with_new_reference(values, now)
            nomination_id = nomination.id
    except MailHeaderInvalid as violation:
        # The form applies the same rules, so this input bypassed them. The mailer's
        # message is worded for staff, so the form gets the form's own message.
        db.session.rollback()
        logger.warning("nomination not saved: unsafe value for e-mail in %s", violation.field)
        raise NominationInvalid({violation.field: _form_violation(violation.field)}) from None
    except SQLAlchemyError as error:
        db.session.rollback()
        logger.exception("nomination not saved: database error")
        raise NominationNotSaved("the database did not store the nomination") from error
    logger.info("nomination received id=%s", nomination_id)
    _announce(nomination_id)
    return nomination


def _form_violation(field: str) -> RuleViolation:
    """Return the public form's message for a value the mailer rejected in ``field``."""
    if field.endswith("email"):
        return RuleViolation(field, MESSAGE_INVALID)
    return RuleViolation(field, MESSAGE_NAME_CONTROL)


def _store_with_new_reference(values: Mapping[str, Any], now: dt.datetime) -> Nomination:
    """Insert the nomination, drawing another reference when the drawn one is taken."""
    attempt = 1
    while True:
        reference = new_reference()
        try:
            return _store(values, reference, now)
        except IntegrityError:
            db.session.rollback()
            if attempt >= REFERENCE_ATTEMPTS or not _reference_taken(reference):
                raise
        logger.warning("nomination reference taken, drawing another (attempt %s)", attempt)
        attempt += 1


def _store(values: Mapping[str, Any], reference: str, now: dt.datetime) -> Nomination:
    nomination = Nomination(
        **values,
        reference=reference,
        submitted_at=now,
        duplicate_of_id=_earliest_open_duplicate(values),
    )
    record_status(nomination, NominationStatus.new, user_id=None, now=now)
    db.session.add(nomination)
    db.session.flush()
    queue_nomination_received(nomination)
    db.session.commit()
    return nomination


def _earliest_open_duplicate(values: Mapping[str, Any]) -> int | None:
    """Return the id of the earliest nomination, not declined or withdrawn, for the same student.

    NOTE: two nominations for the same student submitted at the same moment may
    both miss each other, because nothing locks the lookup. Neither is then flagged.
    """
    return db.session.execute(
        select(Nomination.id)
        .where(
            Nomination.normalized_name == values["normalized_name"],
            Nomination.student_date_of_birth == values["student_date_of_birth"],
            Nomination.status.not_in(CLOSED_STATUSES),
        )
        .order_by(Nomination.submitted_at, Nomination.id)
        .limit(1)
    ).scalar_one_or_none()


def _reference_taken(reference: str) -> bool:
    found = db.session.execute(select(Nomination.id).where(Nomination.reference == reference))
    return found.first() is not None


def _announce(nomination_id: int) -> None:
    try:
        events.nomination_received.send(None, nomination_id=nomination_id)
    except Exception:
        # The nomination is stored: a failing receiver must not make the nominator resubmit.
        logger.exception("nomination_received receiver failed id=%s", nomination_id)
