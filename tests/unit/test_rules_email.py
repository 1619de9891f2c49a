"""The shared e-mail address rule: what every form, API schema and the mailer accept."""

from __future__ import annotations

import pytest

from app.rules.email import (
    MESSAGE_CONTROL,
    MESSAGE_INVALID,
    MESSAGE_NON_ASCII,
    InvalidEmail,
    clean_email,
    normalize_email,
)
from app.rules.errors import RuleViolation


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("maria..lopez@example.org", MESSAGE_INVALID),
        (".maria@example.org", MESSAGE_INVALID),
        ("maria.@example.org", MESSAGE_INVALID),
        ("maria@example.test", MESSAGE_INVALID),
        ("maria@localhost", MESSAGE_INVALID),
        ("maria@-bad.example.org", MESSAGE_INVALID),
        ("maria@exa_mple.org", MESSAGE_INVALID),
        ("maria@example.123", MESSAGE_INVALID),
        ("maria@[127.0.0.1]", MESSAGE_INVALID),
        ('"maria lopez"@example.org', MESSAGE_INVALID),
        ("Maria <maria@example.org>", MESSAGE_INVALID),
        ("josé@example.org", MESSAGE_NON_ASCII),
        ("maria@example.org\r\nBcc: x@example.org", MESSAGE_CONTROL),
        ("maria\u2028@example.org", MESSAGE_CONTROL),
    ],
)
def test_normalize_email_rejects(address, message):
    with pytest.raises(InvalidEmail) as excinfo:
        normalize_email(address)
    assert excinfo.value.message == message


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("maria.lopez@example.org", "maria.lopez@example.org"),
        ("Maria@Example.ORG", "Maria@example.org"),
        ("maria+ils@mail.example.com", "maria+ils@mail.example.com"),
        ("maria@bücher.example.de", "maria@bücher.example.de"),
    ],
)
def test_normalize_email_accepts(address, expected):
    assert normalize_email(address) == expected


def test_clean_email_non_ascii_field():
    with pytest.raises(RuleViolation) as excinfo:
        clean_email("josé@example.org", "guardian_email", required=False)
    assert excinfo.value.field == "guardian_email"
    assert excinfo.value.message == MESSAGE_NON_ASCII
    assert "e-mail address" in excinfo.value.message
