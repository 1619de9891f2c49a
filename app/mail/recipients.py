"""The record field behind each recipient's address, and its check before a message is queued.

Queueing an event and "Send again" on the outbox screen both read the address from
the recipient's record as it is now, through ``current_address``, so a record the
coordinator corrected is used on the next send.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.mail.headers import check_address
from app.models import Match, Nomination
from app.rules.choices import RecipientRole


@dataclass(frozen=True)
class AddressSource:
    """The error field of a recipient's address and the English label a coordinator reads."""

    field: str
    label: str


ADDRESS_SOURCES = {
    RecipientRole.nominator: AddressSource(
        "nominator_email", "The nominator's e-mail on the nomination"
    ),
    RecipientRole.mentor: AddressSource("mentor", "The e-mail on the mentor's record"),
    RecipientRole.proctor: AddressSource("proctor", "The e-mail of the proctor's login"),
    RecipientRole.family: AddressSource(
        "student", "The parent/guardian e-mail on the student's record"
    ),
    RecipientRole.student: AddressSource("student", "The student's e-mail on the student's record"),
}


def recorded_address(
    role: RecipientRole, *, match: Match | None = None, nomination: Nomination | None = None
) -> str | None:
    """Return the address stored now for ``role`` on the match or nomination, unchecked."""
    if role is RecipientRole.nominator:
        return nomination.nominator_email if nomination is not None else None
    if match is None:
        return None
    if role is RecipientRole.mentor:
        return match.mentor.email
    if role is RecipientRole.proctor:
        return match.proctor.email
    if role is RecipientRole.family:
        return match.student.guardian_email
    return match.student.email


def current_address(
    role: RecipientRole, *, match: Match | None = None, nomination: Nomination | None = None
) -> str | None:
    """Return the checked address for ``role``, or None when the record has none.

    Raises MailHeaderInvalid naming the field and record when the stored value
    breaks the e-mail rule or contains a line break.
    """
    address = recorded_address(role, match=match, nomination=nomination)
    if not address:
        return None
    source = ADDRESS_SOURCES[role]
    return check_address(address, source.field, source.label)
