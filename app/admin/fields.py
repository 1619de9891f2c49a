"""Form fields the generated forms lack: code checkboxes, times, typed dates, bounded selects."""

from __future__ import annotations

from collections.abc import Callable

from flask import url_for
from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.fieldwidgets import DatePickerWidget, Select2Widget
from markupsafe import Markup
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    TimeField,
)
from wtforms.validators import InputRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, DateInput, ListWidget, html_params

from app.extensions import db
from app.models import School
from app.rules.choices import LabeledEnum
from app.rules.dates import DATE_FORMAT_HINT
from app.rules.errors import RuleViolation
from app.rules.nomination import clean_codes
from app.url_values import parse_record_id


class CodeCheckboxField(SelectMultipleField):
    """Checkboxes for a list of codes (a CodeList column), checked with ``clean_codes``."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label: str, enum_class: type[LabeledEnum], required: bool = False, **kw):
        super().__init__(label, choices=enum_class.choices(), validate_choice=False, **kw)
        self.allowed = enum_class.codes()
        self.required = required

    def pre_validate(self, form) -> None:
        try:
            self.data = clean_codes(self.data or [], self.allowed, self.name, self.required)
        except RuleViolation as violation:
            raise ValidationError(violation.render()) from None


def enum_select(label: str, enum_class: type[LabeledEnum], required: bool = True) -> SelectField:
    """Return a select of the enum's labels whose data is the member (None when left blank)."""

    def coerce(value):
        if value is None or value == "" or isinstance(value, LabeledEnum):
            return value or None
        # An unknown code stays a string, which matches no choice ("Not a valid choice").
        return enum_class.__members__.get(value, value)

    choices = [("", "")] + enum_class.choices()
    validators = [InputRequired(message="Choose an option.")] if required else [Optional()]
    return SelectField(label, choices=choices, coerce=coerce, validators=validators)


def checkbox(label: str, description: str = "") -> BooleanField:
    """Return a checkbox that may be left unticked.

    FAB gives a NOT NULL boolean column an InputRequired validator, which rejects
    every unticked box, so boolean columns use this field instead.
    """
    return BooleanField(label, description=description)


def time_field(label: str, required: bool = True) -> TimeField:
    validators = [InputRequired(message="Enter a time such as 16:30.")] if required else []
    return TimeField(label, format="%H:%M", validators=validators)


class TypedDatePickerWidget(DatePickerWidget):
    """FAB's date picker showing what the user typed when it was not a valid date.

    FAB's widget renders ``field.data``, which is None after a failed parse, so the
    field came back empty.
    """

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        kwargs.setdefault("name", field.name)
        params = html_params(type="text", value=field._value(), **kwargs)
        # html_params escapes every value, so the typed text cannot inject markup.
        return Markup(self.data_template % {"text": params})  # noqa: S704


class TrimmedDateField(DateField):
    """A date field that accepts the date with spaces around it, as pasted text often has."""

    def process_formdata(self, valuelist):
        super().process_formdata([" ".join(valuelist).strip()] if valuelist else valuelist)


def date_field(
    label: str,
    message_name: str,
    description: str = "",
    *,
    required_message: str | None = None,
    picker: bool = True,
) -> DateField:
    """Return a YYYY-MM-DD date field that keeps invalid input and names the field in its error.

    ``message_name`` is the field as a message names it ("the first day of school").
    Without ``required_message`` a blank field passes here (Optional), so the rule
    that runs on save reports it with its own message. ``picker=False`` renders the
    browser's own date input, for plain Flask-WTF forms outside FAB's pages.
    """
    required = InputRequired(message=required_message) if required_message else Optional()
    return TrimmedDateField(
        label,
        format="%Y-%m-%d",
        widget=TypedDatePickerWidget() if picker else DateInput(),
        validators=[required],
        invalid_value_message=f"Enter {message_name} as {DATE_FORMAT_HINT}.",
        description=description or f"Format {DATE_FORMAT_HINT}.",
    )


def integer_field(label: str, message_name: str, description: str = "") -> IntegerField:
    """Return a whole-number field that keeps invalid input and names the field in its error.

    A blank field passes here (Optional), so the rule that runs on save reports it.
    Python's ``int`` accepts spaces around the digits.
    """
    return IntegerField(
        label,
        validators=[Optional()],
        invalid_value_message=f"Enter {message_name} as a whole number, such as 60.",
        description=description,
    )


class SearchSelectWidget(Select2Widget):
    """FAB's Select2 select, filled by Select2's AJAX search from the endpoint ``endpoint``.

    Select2 4 (bundled with FAB 5) reads ``data-ajax--*`` and ``data-minimum-input-length``
    from the element when FAB's ab.js initializes every ``.my_select2``. The endpoint
    takes ``q`` and ``page`` and returns ``{"results": [...], "pagination": {"more": ...}}``.
    """

    def __init__(self, endpoint: str, delay_ms: int = 250, minimum_input_length: int = 1):
        super().__init__()
        self.endpoint = endpoint
        self.delay_ms = delay_ms
        self.minimum_input_length = minimum_input_length

    def __call__(self, field, **kwargs):
        kwargs["data-ajax--url"] = url_for(self.endpoint)
        kwargs["data-ajax--delay"] = self.delay_ms
        kwargs["data-minimum-input-length"] = self.minimum_input_length
        return super().__call__(field, **kwargs)


class BoundedSelectField(QuerySelectField):
    """A select over a bounded query, plus the current value, for a large related table.

    The dropdown lists only ``choices_query()``, so it never loads the whole table.
    With a ``SearchSelectWidget`` the query may return nothing, and the user finds
    rows by typing. Any existing row submitted by id is accepted, and
    the rules that run on save decide whether it fits. ``message``, when given, replaces
    both errors (blank and unknown id), so they can name the field.
    """

    def __init__(
        self,
        label,
        *,
        model,
        choices_query: Callable[[], list],
        required=True,
        message: str | None = None,
        **kw,
    ):
        required_message = message or "Choose an option."
        validators = [InputRequired(message=required_message)] if required else [Optional()]
        super().__init__(
            label,
            validators=validators,
            query_func=choices_query,
            get_pk_func=lambda row: row.id,
            allow_blank=not required,
            **{"widget": Select2Widget(), **kw},
        )
        self.model = model
        self.missing_message = message or "Choose an option from the list."

    def _get_object_list(self):
        if self._object_list is None:
            rows = list(self.query_func())
            current = self._data
            if current is not None and all(row.id != current.id for row in rows):
                rows.insert(0, current)
            self._object_list = [(str(row.id), row) for row in rows]
        return self._object_list

    def _get_data(self):
        if self._formdata is not None:
            row_id = parse_record_id(self._formdata)
            row = db.session.get(self.model, row_id) if row_id is not None else None
            self._set_data(row)
            if row is None:
                self._missing = True
        return self._data

    data = property(_get_data, QuerySelectField._set_data)

    def pre_validate(self, form) -> None:
        if self.data is None and (getattr(self, "_missing", False) or not self.allow_blank):
            raise ValidationError(self.missing_message)


def _schools_by_name() -> list[School]:
    return list(db.session.execute(select(School).order_by(School.name)).scalars())


def school_select(label: str = "School") -> QuerySelectField:
    """Return a select of every school by name, marking retired ones. Schools are few."""
    return QuerySelectField(
        label,
        query_func=_schools_by_name,
        get_pk_func=lambda school: school.id,
        get_label=lambda school: f"{school.name} (retired)" if school.retired else school.name,
        validators=[InputRequired(message="Choose a school.")],
        widget=Select2Widget(),
    )
