"""Checks a public nomination field by field and returns the values to store.

``raw`` uses the public form's field names, with repeated fields (``needs``,
``availability``) as lists. Every rule comes from ``app.rules``. This module
applies each rule to its fields and collects every violation, so the form can
show them all at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import School
from app.rules.choices import AVAILABILITY_CODES, LANGUAGES, Need, NominatorKind
from app.rules.email import clean_email
from app.rules.errors import N_, RuleViolation
from app.rules.nomination import (
    ADULT_AGE,
    check_age_for_grade,
    check_birth_date,
    check_nominator,
    clean_codes,
    clean_line,
    clean_name,
    clean_phone,
    clean_text,
    guardian_required,
    normalize_name,
    parse_grade,
)
from app.rules.timezone import age_on

SHORT_TEXT_LENGTH = 100
"""Staff role: the width of its column."""
LIST_TEXT_LENGTH = 200
"""Home languages and the "other" need: the width of their columns."""

GUARDIAN_FIELDS = ("guardian_first_name", "guardian_last_name", "guardian_email", "guardian_phone")
TRUE_STRINGS = frozenset({"y", "yes", "on", "true", "1"})
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DESE_CODE = re.compile(r"\d{8}")


class NominationInvalid(Exception):
    """The submission broke one or more rules; ``errors`` maps each field to its first violation."""

    def __init__(self, errors: dict[str, RuleViolation]) -> None:
        self.errors = errors
        super().__init__("invalid fields: " + ", ".join(errors))


class _Cleaner:
    """Reader of the raw fields that collects the first violation of each field."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw
        self.errors: dict[str, RuleViolation] = {}

    def run(self, check, *args, **kwargs):
        """Return ``check(*args, **kwargs)``, or None after recording its violation."""
        try:
            return check(*args, **kwargs)
        except RuleViolation as violation:
            self.errors.setdefault(violation.field, violation)
            return None

    def field(self, clean, name: str, *args, **kwargs):
        """Return ``clean(text of name, name, ...)``, or None after recording its violation."""
        return self.run(clean, self.text(name), name, *args, **kwargs)

    def fail(self, field: str, message: str) -> None:
        self.errors.setdefault(field, RuleViolation(field, message))

    def text(self, name: str) -> str | None:
        value = self.raw.get(name)
        if isinstance(value, list | tuple):
            value = value[-1] if value else None
        if value is None or isinstance(value, str):
            return value
        return str(value)

    def codes(self, name: str) -> list[Any]:
        value = self.raw.get(name)
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        return list(value) if isinstance(value, list | tuple) else [value]

    def flag(self, name: str) -> bool:
        value = self.raw.get(name)
        if isinstance(value, bool):
            return value
        return isinstance(value, str) and value.strip().lower() in TRUE_STRINGS


def clean_nomination(raw: Mapping[str, Any], *, today: dt.date) -> dict[str, Any]:
    """Return the Nomination column values for ``raw``, checked and normalized.

    ``today`` is the submission day in Boston. Every field is checked, and the
    first violation of each field is collected. Raises NominationInvalid with all
    of them when any rule fails.
    """
    cleaner = _Cleaner(raw)
    kind = cleaner.run(_parse_kind, cleaner.text("nominator_kind"))
    values: dict[str, Any] = {"nominator_kind": kind}
    values.update(_clean_nominator(cleaner, kind))
    values.update(_clean_student(cleaner, kind, today))
    values.update(_clean_needs(cleaner))

    birth = values["student_date_of_birth"]
    if kind is not None and birth is not None:
        cleaner.run(check_nominator, kind, birth, today)
    values.update(_clean_family(cleaner, kind, values, birth, today))
    minor = birth is not None and age_on(birth, today) < ADULT_AGE
    values.update(_clean_consent(cleaner, minor))

    if cleaner.errors:
        raise NominationInvalid(cleaner.errors)
    values["normalized_name"] = normalize_name(
        values["student_first_name"], values["student_last_name"]
    )
    return values


def _parse_kind(code: str | None) -> NominatorKind:
    code = (code or "").strip()
    if code not in NominatorKind.codes():
        raise RuleViolation("nominator_kind", N_("Choose who is making the nomination."))
    return NominatorKind[code]


def _clean_nominator(cleaner: _Cleaner, kind: NominatorKind | None) -> dict[str, Any]:
    staff_role = None
    if kind is NominatorKind.school_staff:
        staff_role = cleaner.field(clean_line, "staff_role", SHORT_TEXT_LENGTH)
        if staff_role is None:
            cleaner.fail("staff_role", N_("Enter your role at the school, such as teacher."))
    return {
        "nominator_first_name": cleaner.field(clean_name, "nominator_first_name"),
        "nominator_last_name": cleaner.field(clean_name, "nominator_last_name"),
        "nominator_email": cleaner.field(clean_email, "nominator_email", required=True),
        "nominator_phone": cleaner.field(clean_phone, "nominator_phone"),
        "staff_role": staff_role,
    }


def _clean_student(cleaner: _Cleaner, kind: NominatorKind | None, today: dt.date) -> dict[str, Any]:
    birth = cleaner.run(_birth_date, cleaner.raw.get("student_date_of_birth"), today)
    grade = cleaner.run(parse_grade, cleaner.raw.get("student_grade"))
    if birth is not None and grade is not None:
        cleaner.run(check_age_for_grade, birth, grade, today)
    school = cleaner.run(_find_school, cleaner.text("student_school"))
    return {
        "student_first_name": cleaner.field(clean_name, "student_first_name"),
        "student_last_name": cleaner.field(clean_name, "student_last_name"),
        "student_preferred_name": cleaner.field(
            clean_name, "student_preferred_name", required=False
        ),
        "student_date_of_birth": birth,
        "student_grade": grade,
        "school_id": school.id if school is not None else None,
        "student_email": cleaner.field(
            clean_email, "student_email", required=kind is NominatorKind.self
        ),
        "language": cleaner.run(_parse_language, cleaner.text("language")),
        "home_languages": cleaner.field(clean_line, "home_languages", LIST_TEXT_LENGTH),
    }


def _birth_date(value: Any, today: dt.date) -> dt.date:
    """Return the date of birth from ``YYYY-MM-DD`` (or a date), not after ``today``."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        birth = value
    else:
        birth = _parse_iso_date(value.strip() if isinstance(value, str) else "")
    check_birth_date(birth, today)
    return birth


def _parse_iso_date(text: str) -> dt.date:
    if not text:
        raise RuleViolation("student_date_of_birth", N_("Enter the student's date of birth."))
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RuleViolation(
            "student_date_of_birth",
            N_("Enter the date of birth as year, month and day, such as 2012-03-15."),
        ) from None


def _find_school(code: str | None) -> School:
    """Return the school with DESE code ``code``, rejecting unknown and retired schools."""
    code = (code or "").strip()
    school = None
    if _DESE_CODE.fullmatch(code):
        school = db.session.execute(
            select(School).where(School.dese_code == code)
        ).scalar_one_or_none()
    if school is None:
        raise RuleViolation("student_school", N_("Choose the student's school from the list."))
    if school.retired:
        raise RuleViolation(
            "student_school",
            N_("This school is no longer open. Choose the school the student attends now."),
        )
    return school


def _parse_language(code: str | None) -> str:
    code = (code or "").strip()
    if code not in LANGUAGES:
        raise RuleViolation("language", N_("Choose a language from the list."))
    return code


def _clean_needs(cleaner: _Cleaner) -> dict[str, Any]:
    needs = cleaner.run(clean_codes, cleaner.codes("needs"), Need.codes(), "needs", required=True)
    needs_other = None
    if needs and Need.other.name in needs:
        needs_other = cleaner.field(clean_line, "needs_other", LIST_TEXT_LENGTH)
        if needs_other is None:
            cleaner.fail("needs_other", N_("Describe the other area of need."))
    availability = cleaner.run(
        clean_codes, cleaner.codes("availability"), AVAILABILITY_CODES, "availability"
    )
    return {
        "needs": needs or [],
        "needs_other": needs_other,
        "needs_description": cleaner.field(clean_text, "needs_description"),
        "availability": availability or [],
    }


def _clean_family(
    cleaner: _Cleaner,
    kind: NominatorKind | None,
    values: Mapping[str, Any],
    birth: dt.date | None,
    today: dt.date,
) -> dict[str, Any]:
    """Return the family contact and the relationship attestation for ``kind``.

    A parent is the family contact. School staff give one for a student under 18
    and attest that the family is aware of the nomination. An adult nominating
    themselves gives none.
    """
    attested = cleaner.flag("attest_relationship")
    if kind is NominatorKind.parent_guardian:
        if not attested:
            cleaner.fail(
                "attest_relationship",
                N_("Confirm that you are the student's parent or legal guardian."),
            )
        return {
            "guardian_first_name": values["nominator_first_name"],
            "guardian_last_name": values["nominator_last_name"],
            "guardian_email": values["nominator_email"],
            "guardian_phone": values["nominator_phone"],
            "attest_relationship": attested,
        }
    if kind is NominatorKind.school_staff:
        required = birth is not None and guardian_required(kind, birth, today)
        contact = _clean_guardian(cleaner, required)
        if required and not attested:
            cleaner.fail(
                "attest_relationship",
                N_("Confirm that the student's family knows about this nomination."),
            )
        return {**contact, "attest_relationship": attested}
    return {name: None for name in GUARDIAN_FIELDS} | {"attest_relationship": False}


def _clean_guardian(cleaner: _Cleaner, required: bool) -> dict[str, Any]:
    """Return the guardian contact a staff member gave.

    When ``required``, both names and an e-mail address or a phone number must be given.
    """
    contact = {
        "guardian_first_name": cleaner.field(clean_name, "guardian_first_name", required),
        "guardian_last_name": cleaner.field(clean_name, "guardian_last_name", required),
        "guardian_email": cleaner.field(clean_email, "guardian_email", required=False),
        "guardian_phone": cleaner.field(clean_phone, "guardian_phone"),
    }
    reachable = contact["guardian_email"] or contact["guardian_phone"]
    if required and not reachable:
        cleaner.fail(
            "guardian_email",
            N_("Enter the parent or guardian's e-mail address or phone number."),
        )
    return contact


def _clean_consent(cleaner: _Cleaner, minor: bool) -> dict[str, Any]:
    """Return the consents. Online sessions need consent only for a student under 18."""
    privacy = cleaner.flag("consent_privacy")
    online = cleaner.flag("consent_online_sessions")
    if not privacy:
        cleaner.fail("consent_privacy", N_("Agree to the privacy notice to send the nomination."))
    if minor and not online:
        cleaner.fail(
            "consent_online_sessions",
            N_(
                "Agree to online sessions with a program proctor present. "
                "Students under 18 need this consent."
            ),
        )
    return {"consent_privacy": privacy, "consent_online_sessions": online}
