"""Checks on every value that reaches a mail header, and on names written into messages.

Flask-Mail 0.10 checks only the subject, sender, reply-to and recipients for line
breaks, and not ``extra_headers`` or the Message-ID. Input forms already reject
line breaks in names and addresses, so one found here means the data bypassed
them. The mailer then raises before anything is queued.
"""

from __future__ import annotations

import re

from app.rules.email import InvalidEmail, normalize_email
from app.rules.errors import N_
from app.services.errors import ServiceError

# Carriage return, line feed and every other control character.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


class MailHeaderInvalid(ServiceError):
    """A header or body value that is unsafe, so the message is not queued or not sent.

    ``field`` names the form field or record to correct (``student``, ``mentor``,
    ``proctor``, ``nominator_email``). The message never contains the value itself.
    """


def has_control_characters(value: str) -> bool:
    return _CONTROL.search(value) is not None


def check_header_value(value: str, field: str) -> str:
    """Return ``value`` when it can go into a header, or raise MailHeaderInvalid."""
    if has_control_characters(value):
        raise MailHeaderInvalid(
            field, N_("A value for an e-mail header contains a line break or control character.")
        )
    return value


def check_address(address: str, field: str, label: str) -> str:
    """Return the normalized ``address`` or raise MailHeaderInvalid naming what to correct.

    ``label`` names the field and the record in English for the coordinator, such as
    "The parent/guardian e-mail on the student's record". The address is checked with
    the rule every form uses (``app.rules.email``) and is never part of the message.
    """
    if has_control_characters(address):
        raise MailHeaderInvalid(
            field, N_("%(label)s contains a line break. Correct it and try again."), label=label
        )
    try:
        return normalize_email(address)
    except InvalidEmail:
        raise MailHeaderInvalid(
            field,
            N_("%(label)s is not a valid e-mail address. Correct it and try again."),
            label=label,
        ) from None


def check_name(name: str | None, field: str, record: str) -> str:
    """Return ``name``, blank for None. Raise when it contains a line break or control character."""
    name = name or ""
    if has_control_characters(name):
        raise MailHeaderInvalid(
            field,
            N_("A name on %(record)s contains a line break. Correct it and try again."),
            record=record,
        )
    return name
