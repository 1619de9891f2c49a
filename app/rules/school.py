"""Rules for a school record: its DESE code and its name."""

from __future__ import annotations

import re

from app.rules.errors import N_, RuleViolation
from app.rules.nomination import has_control_character

DESE_CODE_PATTERN = re.compile(r"\d{8}")
"""A school code in the Massachusetts DESE school directory, such as 00350001."""
MAX_SCHOOL_NAME_LENGTH = 200
"""The width of the ``name`` column."""


def clean_dese_code(code: str | None) -> str:
    """Return the DESE school code without surrounding spaces.

    Raises RuleViolation on ``dese_code`` unless the code is 8 digits.
    """
    text = (code or "").strip()
    if not DESE_CODE_PATTERN.fullmatch(text):
        raise RuleViolation(
            "dese_code", N_("Enter the 8-digit DESE school code, such as 00350001.")
        )
    return text


def clean_school_name(value: str | None) -> str:
    """Return the school name stripped, with inner whitespace runs collapsed to one space.

    Raises RuleViolation on ``name`` for a blank name, a control character (a line
    break, tab or NUL, for example) or a name longer than 200 characters.
    """
    text = (value or "").strip()
    if not text:
        raise RuleViolation("name", N_("Enter the school's name."))
    if has_control_character(text):
        raise RuleViolation(
            "name", N_("The name contains a line break or a hidden character. Retype the name.")
        )
    text = " ".join(text.split())
    if len(text) > MAX_SCHOOL_NAME_LENGTH:
        raise RuleViolation(
            "name",
            N_("Enter a name of at most %(max)s characters."),
            max=MAX_SCHOOL_NAME_LENGTH,
        )
    return text
