"""The one e-mail address rule that every form, API schema and the mailer apply.

An address is valid when email_validator 2.4 accepts it with these options:

- ``check_deliverability=False``: no DNS lookup, so the result never depends on the network;
- ``test_environment=False``: reserved names such as ``example.test`` and ``localhost``
  are rejected, because no mail can reach them;
- ``allow_smtputf8=False``: the part before the ``@`` is ASCII, because many mail servers
  cannot deliver to ``josé@...``. A domain in another script is accepted and stored in
  Unicode. Flask-Mail 0.10 converts it to IDNA when sending.
- no display names, quoted local parts or IP-address domains (the library's defaults);
- at most 254 characters in all and 64 before the ``@`` (RFC 5321).

Control characters (CR, LF, NUL and the like) are rejected before the syntax check with
their own message. Valid addresses are stored as the library normalizes them: the local
part as typed, the domain in lower case.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from app.rules.errors import N_, RuleViolation
from app.rules.nomination import has_control_character

MAX_EMAIL_LENGTH = 254
MAX_LOCAL_PART_LENGTH = 64
"""Limits from RFC 5321. email_validator 2.4 checks the local part's length only in strict mode."""


class InvalidEmail(ValueError):
    """An address that breaks the rule, with ``message`` for the person who typed it."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


MESSAGE_CONTROL = N_("The e-mail address contains a line break or a hidden character. Retype it.")
MESSAGE_NON_ASCII = N_(
    "Use only the letters a to z, digits and . _ - + before the @ of the e-mail address."
)
MESSAGE_INVALID = N_("Enter a valid e-mail address, such as name@example.com.")


def normalize_email(address: str) -> str:
    """Return ``address`` normalized, or raise InvalidEmail with the message for its problem."""
    # Line and paragraph separators are not control characters in Unicode, but some
    # mail software breaks lines at them.
    if has_control_character(address) or "\u2028" in address or "\u2029" in address:
        raise InvalidEmail(MESSAGE_CONTROL)
    local = address.rpartition("@")[0]
    if not local.isascii():
        raise InvalidEmail(MESSAGE_NON_ASCII)
    if len(address) > MAX_EMAIL_LENGTH or len(local) > MAX_LOCAL_PART_LENGTH:
        raise InvalidEmail(MESSAGE_INVALID)
    try:
        checked = validate_email(
            address, check_deliverability=False, test_environment=False, allow_smtputf8=False
        )
    except EmailNotValidError:
        raise InvalidEmail(MESSAGE_INVALID) from None
    return checked.normalized


def clean_email(value: str | None, field: str, required: bool) -> str | None:
    """Return the stripped, normalized address, or None when blank and not ``required``.

    Raises RuleViolation on ``field`` for a missing required address or one that
    breaks the rule in this module's docstring.
    """
    text = (value or "").strip()
    if not text:
        if required:
            raise RuleViolation(field, N_("Enter an e-mail address."))
        return None
    try:
        return normalize_email(text)
    except InvalidEmail as invalid:
        raise RuleViolation(field, invalid.message) from None
