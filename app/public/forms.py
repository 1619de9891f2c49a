"""The nomination form: field names, labels and the CSRF token.

The form does no checking of its own. The view passes ``submission()`` to the
nomination service, whose rules are shared with the REST API, and shows each
violation next to its field with ``show_violations``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value

from app.extensions import db
from app.languages import DATE_PARTS
from app.models import School
from app.rules.choices import AVAILABILITY_CODES, LANGUAGES, Need, NominatorKind
from app.rules.errors import N_, RuleViolation

NOT_SUBMITTED = frozenset({"csrf_token", "website"})
"""Fields that never reach the service: the CSRF token and the honeypot."""


DATE_PARTS_MESSAGE = N_(
    "Enter the date of birth as a real date, with the day, month and year as numbers."
)
YEAR_DIGITS_MESSAGE = N_("Enter the year with 4 digits, such as 2012.")


class DatePartsField(StringField):
    """A date typed in three boxes (day, month, year); ``data`` is the ISO 8601 text.

    The form posts ``<name>_day``, ``<name>_month`` and ``<name>_year``. Digits of any
    script are joined into ``YYYY-MM-DD`` for the service, which checks the date like
    any other. Anything else is passed on as typed, so the service rejects it, and
    the form then shows ``parts_problem``, which speaks of the boxes.
    A post with the plain ``<name>`` field (the API's format) is read as it is.
    """

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        self.parts = {part: "" for part in DATE_PARTS}
        self.parts_problem: str | None = None
        part_names = {part: f"{self.name}_{part}" for part in DATE_PARTS}
        if formdata is not None and any(name in formdata for name in part_names.values()):
            self.parts = {part: formdata.get(name, "").strip() for part, name in part_names.items()}
            self.data = self._join_parts()
        elif isinstance(self.data, str):
            self.parts = self._split_iso(self.data)

    def _join_parts(self) -> str:
        year, month, day = (self.parts[part] for part in DATE_PARTS)
        if not (year or month or day):
            return ""
        # isdecimal() admits the digits of every script (Arabic-Indic ones too) but
        # not the signs, spaces and underscores that int() would also accept.
        if all(part.isdecimal() for part in (year, month, day)):
            if len(year) != 4:
                self.parts_problem = YEAR_DIGITS_MESSAGE
                return f"{year}-{month}-{day}"
            try:
                return dt.date(int(year), int(month), int(day)).isoformat()
            except ValueError:
                pass
        self.parts_problem = DATE_PARTS_MESSAGE
        return f"{year}-{month}-{day}"

    @staticmethod
    def _split_iso(text: str) -> dict[str, str]:
        try:
            day = dt.date.fromisoformat(text.strip())
        except ValueError:
            return {part: "" for part in DATE_PARTS}
        return {"year": f"{day.year:04d}", "month": str(day.month), "day": str(day.day)}


def _translated(choices: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(code, _l(label)) for code, label in choices]


FALSE_VALUES = ("", "false", "no", "n", "off", "0")


class NominationForm(FlaskForm):
    """Every field of the public nomination, named as the service and the REST API name it."""

    nominator_kind = RadioField(
        _l("Who is making this nomination?"),
        choices=_translated(NominatorKind.choices()),
        validate_choice=False,
    )
    nominator_first_name = StringField(_l("Your first name"))
    nominator_last_name = StringField(_l("Your last name"))
    nominator_email = StringField(_l("Your e-mail address"))
    nominator_phone = StringField(_l("Your phone number"))
    staff_role = StringField(_l("Your role at the school"))

    guardian_first_name = StringField(_l("Parent or guardian's first name"))
    guardian_last_name = StringField(_l("Parent or guardian's last name"))
    guardian_email = StringField(_l("Parent or guardian's e-mail address"))
    guardian_phone = StringField(_l("Parent or guardian's phone number"))

    student_first_name = StringField(_l("Student's first name"))
    student_last_name = StringField(_l("Student's last name"))
    student_preferred_name = StringField(_l("Name the student likes to be called"))
    student_date_of_birth = DatePartsField(_l("Student's date of birth"))
    student_grade = StringField(_l("Student's grade"))
    student_school = SelectField(_l("Student's school"), choices=[], validate_choice=False)
    student_email = StringField(_l("Student's e-mail address"))
    language = SelectField(
        _l("Language for messages to the family"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
        default="en",
        validate_choice=False,
    )
    home_languages = StringField(_l("Languages spoken at home"))

    needs = SelectMultipleField(
        _l("Where does the student need help?"),
        choices=_translated(Need.choices()),
        validate_choice=False,
    )
    needs_other = StringField(_l("Other area of need"))
    needs_description = TextAreaField(_l("Tell us a little about the student's needs"))
    availability = SelectMultipleField(
        _l("When can the student meet each week?"),
        choices=[SelectChoice(code) for code in AVAILABILITY_CODES],
        validate_choice=False,
    )

    # A checkbox's label is a whole sentence, so the error summary names it by its description.
    # Browsers send "y" for a ticked box; anything that reads as "no" is not consent.
    consent_privacy = BooleanField(
        _l("I have read the privacy notice and agree to it."),
        description=_l("Privacy notice"),
        false_values=FALSE_VALUES,
    )
    consent_online_sessions = BooleanField(
        _l(
            "I agree that the student meets the mentor online, on Google Meet, "
            "with a program proctor present at every session."
        ),
        description=_l("Online sessions"),
        false_values=FALSE_VALUES,
    )
    attest_relationship = BooleanField(
        _l("Relationship to the student"),
        description=_l("Relationship to the student"),
        false_values=FALSE_VALUES,
    )

    website = StringField(_l("Leave this field empty"))

    def load_schools(self) -> None:
        """Offer the open schools by name; the submitted value is the DESE code."""
        schools = db.session.execute(
            select(School.dese_code, School.name)
            .where(School.retired.is_(False))
            .order_by(School.name)
        ).all()
        self.student_school.choices = [SelectChoice("", gettext("Choose a school"))] + [
            SelectChoice(code, name) for code, name in schools
        ]

    def submission(self) -> dict[str, Any]:
        """Return what was posted, under the public field names, repeated fields as lists."""
        return {field.name: field.data for field in self if field.name not in NOT_SUBMITTED}

    def show_violations(self, errors: Mapping[str, RuleViolation]) -> None:
        """Put each violation's translated message on its field (or on the form if unknown)."""
        for name, violation in errors.items():
            message = violation.render(gettext)
            field = self._fields.get(name)
            if field is None or name in NOT_SUBMITTED:
                self.form_errors.append(message)
            elif getattr(field, "parts_problem", None):
                field.errors = [gettext(field.parts_problem)]
            else:
                field.errors = [message]

    def fields_with_errors(self) -> list[Any]:
        """Return the fields that have an error, in the order they appear on the page."""
        return [field for field in self if field.errors]
