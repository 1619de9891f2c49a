"""Rules for the public nomination form: grade, age, who may nominate, and clean field values.

Every check raises RuleViolation with the form field it belongs to. The ``clean_*``
functions also return the value in the form the database stores.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

from app.rules.choices import NominatorKind
from app.rules.errors import N_, RuleViolation
from app.rules.timezone import age_on, school_year_start

MAX_TEXT_LENGTH = 2000
MAX_NAME_LENGTH = 100

MIN_GRADE = 1
MAX_GRADE = 12
TYPICAL_AGE_OVER_GRADE = 5
"""A first grader is normally 6 on 1 September, so the typical age is grade + 5."""
EARLY_ENTRY_YEARS = 1
"""One year of early entry is allowed, so the youngest student is grade + 4."""
MAX_AGE = 21
"""BPS serves students up to age 22, so a student is at most 21 on 1 September."""
ADULT_AGE = 18

_GRADE_PATTERN = re.compile(r"[1-9]|1[0-2]")
MESSAGE_NAME_CONTROL = N_("The name contains a line break or a hidden character. Retype the name.")

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embedding, override and isolate marks, which can make a name display as other text."""


def ascii_digits(text: str) -> str:
    """Replace the decimal digits of any script (Arabic-Indic, full-width) with 0-9."""
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text)


def parse_grade(raw: str | int | None) -> int:
    """Return the grade as an int from 1 to 12, accepting the digits with optional spaces.

    Kindergarten, pre-K, "0", "13", "12th", "01" and "1.0" are rejected, and so are
    booleans, which Python would otherwise treat as 0 and 1.
    """
    grade: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        grade = raw
    elif isinstance(raw, str) and _GRADE_PATTERN.fullmatch(ascii_digits(raw.strip())):
        grade = int(ascii_digits(raw.strip()))
    if grade is None or not MIN_GRADE <= grade <= MAX_GRADE:
        raise RuleViolation(
            "student_grade",
            N_("The program serves grades 1 to 12. Enter the grade as a number from 1 to 12."),
        )
    return grade


def check_birth_date(birth: date, today: date, field: str = "student_date_of_birth") -> None:
    """Raise RuleViolation on ``field`` when the date of birth is after ``today``."""
    if birth > today:
        raise RuleViolation(
            field, N_("The date of birth is in the future. Check the date and enter it again.")
        )


def min_age_for_grade(grade: int) -> int:
    """Return the youngest allowed age on 1 September for a student in ``grade``."""
    return grade + TYPICAL_AGE_OVER_GRADE - EARLY_ENTRY_YEARS


def check_age_for_grade(birth: date, grade: int, today: date) -> None:
    """Raise RuleViolation when the student's age on 1 September does not fit the grade.

    The age counts on 1 September of the current school year (see school_year_start)
    and must be from grade + 4 to 21 years.
    """
    first_day = school_year_start(today)
    age = age_on(birth, first_day)
    min_age = min_age_for_grade(grade)
    if not min_age <= age <= MAX_AGE:
        raise RuleViolation(
            "student_date_of_birth",
            N_(
                "The grade and the date of birth do not fit together. On 1 September "
                "%(year)s, a student in grade %(grade)s is from %(min_age)s to %(max_age)s "
                "years old. Check both the grade and the date of birth."
            ),
            year=first_day.year,
            grade=grade,
            min_age=min_age,
            max_age=MAX_AGE,
        )


def _require_kind(kind: NominatorKind) -> None:
    # A code string such as "self" would never equal the member and let a minor through.
    if not isinstance(kind, NominatorKind):
        raise TypeError(f"expected a NominatorKind member, got {kind!r}")


def check_nominator(kind: NominatorKind, student_birth: date, today: date) -> None:
    """Raise RuleViolation when a student under 18 on ``today`` nominates themselves.

    ``today`` is the submission day in Boston. Raises TypeError when ``kind`` is not
    a NominatorKind member.
    """
    _require_kind(kind)
    if kind is NominatorKind.self and age_on(student_birth, today) < ADULT_AGE:
        raise RuleViolation(
            "nominator_kind",
            N_(
                "Students under 18 cannot nominate themselves. A parent or guardian, or a "
                "BPS school staff member, must submit the nomination."
            ),
        )


def guardian_required(kind: NominatorKind, student_birth: date, today: date) -> bool:
    """Return whether the nominator must give a parent or guardian contact.

    True for school staff nominating a student under 18. The staff member must then
    also attest that the family is aware of the nomination. Raises TypeError when ``kind``
    is not a NominatorKind member.
    """
    _require_kind(kind)
    return kind is NominatorKind.school_staff and age_on(student_birth, today) < ADULT_AGE


def _normalize_name_part(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    characters: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue
        # Punctuation, symbols, separators and control characters split words.
        characters.append(" " if unicodedata.category(char)[0] in "PSZC" else char)
    return " ".join("".join(characters).split())


def normalize_name(first: str, last: str) -> str:
    """Return ``first|last`` in the form used to detect duplicate nominations.

    Both parts are case-folded and lose their accents (NFKD without combining marks).
    Runs of whitespace, hyphens, apostrophes, other punctuation and symbols become one
    space, so "José Díaz-O'Neil" and "jose diaz o neil" compare equal. The separator
    ``|`` is a symbol, so it never occurs inside a part.
    """
    return f"{_normalize_name_part(first)}|{_normalize_name_part(last)}"


def has_control_character(value: str, allowed: str = "") -> bool:
    """Return whether ``value`` has a control character, surrogate or bidi mark.

    Characters in ``allowed`` do not count.
    """
    for char in value:
        if char in allowed:
            continue
        if unicodedata.category(char) in ("Cc", "Cs") or char in _BIDI_CONTROLS:
            return True
    return False


def clean_name(value: str | None, field: str, required: bool = True) -> str | None:
    """Return the name stripped, in NFC form, with inner whitespace collapsed to one space.

    Returns None for a blank optional name. Raises RuleViolation on ``field`` for a
    missing required name, control characters (including CR, LF and NUL), more than
    100 characters, or a name with no letter.
    """
    text = (value or "").strip()
    if not text:
        if required:
            raise RuleViolation(field, N_("Enter a name."))
        return None
    if has_control_character(text):
        raise RuleViolation(field, MESSAGE_NAME_CONTROL)
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    if len(text) > MAX_NAME_LENGTH:
        raise RuleViolation(
            field, N_("Enter a name of at most %(max)s characters."), max=MAX_NAME_LENGTH
        )
    if not any(char.isalpha() for char in text):
        raise RuleViolation(field, N_("Enter a name that contains at least one letter."))
    return text


def _phone_digits(text: str) -> str | None:
    """Return the 10 national digits of a US phone number, or None if it is not one."""
    compact = re.sub(r"[ \-.()]", "", text)
    international = compact.startswith("+")
    if international:
        compact = compact[1:]
    digits: list[str] = []
    for char in compact:
        digit = unicodedata.decimal(char, None)
        if digit is None:
            return None
        digits.append(str(digit))
    number = "".join(digits)
    if len(number) == 11 and number.startswith("1"):
        return number[1:]
    if len(number) == 10 and not international:
        return number
    return None


def clean_phone(value: str | None, field: str) -> str | None:
    """Return an optional US phone number formatted as ``(617) 555-0123``, or None if blank.

    Spaces, dashes, dots, parentheses and a leading +1 or 1 are removed. Digits from
    any script count, so Arabic-Indic and full-width digits work. The area code and
    the exchange must not start with 0 or 1.
    """
    text = (value or "").strip()
    if not text:
        return None
    digits = _phone_digits(text)
    if digits is None or digits[0] in "01" or digits[3] in "01":
        raise RuleViolation(
            field, N_("Enter a US phone number with its area code, such as (617) 555-0123.")
        )
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


def clean_text(value: str | None, field: str, max_length: int = MAX_TEXT_LENGTH) -> str | None:
    """Return free text stripped, with line breaks as ``\\n``, or None if blank.

    Browsers send textarea line breaks as CR LF, so CR LF and a lone CR become LF
    before the check. Other control characters except tab are rejected, and so is
    text longer than ``max_length`` characters.
    """
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return None
    if has_control_character(text, allowed="\n\t"):
        raise RuleViolation(
            field,
            N_(
                "The text contains a hidden control character. Retype it or paste it as plain text."
            ),
        )
    if len(text) > max_length:
        raise RuleViolation(
            field,
            N_("Shorten the text to at most %(max)s characters. It has %(length)s characters now."),
            max=max_length,
            length=len(text),
        )
    return text


def clean_line(value: str | None, field: str, max_length: int) -> str | None:
    """Return one line of short text with whitespace runs collapsed, or None if blank.

    The text is checked as ``clean_text`` checks it, so line breaks and tabs pass
    and become single spaces.
    """
    text = clean_text(value, field, max_length=max_length)
    return " ".join(text.split()) if text else None


def clean_codes(
    values: list[str], allowed: Iterable[str], field: str, required: bool = False
) -> list[str]:
    """Return the chosen codes without repeats, in the order given.

    Blank entries are skipped. Raises RuleViolation on ``field`` for a code not in
    ``allowed`` or a value that is not a string (a JSON client may send one), and
    for an empty choice when ``required``.
    """
    allowed_codes = set(allowed)
    codes: list[str] = []
    for value in values:
        code = value.strip() if isinstance(value, str) else value
        if code == "":
            continue
        if not isinstance(code, str) or code not in allowed_codes:
            raise RuleViolation(
                field,
                N_("%(code)s is not one of the options. Choose from the options listed."),
                code=str(code)[:40],
            )
        if code not in codes:
            codes.append(code)
    if required and not codes:
        raise RuleViolation(field, N_("Choose at least one option."))
    return codes
