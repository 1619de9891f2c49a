"""Marshmallow schemas for the REST API, built from the models with codes instead of labels.

Flask-AppBuilder's own converter sends enum labels ("Parent or guardian") rather
than codes, renders the comma-separated code lists as one string, and drops
foreign key columns from the schema. ``ProgramSchemaConverter`` builds plain
schemas instead: enums travel as member names (``parent_guardian``), code lists
as JSON lists of codes, times as ``HH:MM``, dates in ISO form. Dotted columns
(``student.first_name``) are dumped as nested objects, read-only.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from flask_appbuilder.api.convert import BaseModel2SchemaConverter
from flask_appbuilder.api.schemas import BaseModelSchema
from marshmallow import Schema, ValidationError, fields, validate

from app.models.types import CodeList
from app.rules.choices import AVAILABILITY_CODES, Need
from app.rules.errors import RuleViolation
from app.rules.nomination import clean_codes

TIME_FORMAT = "%H:%M"


class StrictInteger(fields.Integer):
    """A whole number sent as a JSON number; true and false are rejected."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class Text(fields.String):
    """A string without NUL characters, which PostgreSQL cannot store."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ValidationError("The text contains a NUL character. Remove it and try again.")
        return text


class CodeListField(fields.Field):
    """A JSON list of codes from a fixed vocabulary, such as ``["math", "reading"]``.

    Loading runs the same check as the public form (``clean_codes``): unknown
    codes are rejected, repeats dropped, blanks skipped.
    """

    def __init__(self, allowed: Iterable[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.allowed = tuple(allowed)

    def _serialize(self, value, attr, obj, **kwargs):
        return list(value) if value is not None else []

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list):
            raise ValidationError('Send a list of codes, such as ["math"].')
        try:
            return clean_codes(value, self.allowed, field=self.name or "")
        except RuleViolation as violation:
            raise ValidationError(violation.render()) from None


def code_field(enum_class: type[enum.Enum], **kwargs: Any) -> fields.Enum:
    """Return a field that exchanges ``enum_class`` members by name (their code)."""
    return fields.Enum(enum_class, by_value=False, **kwargs)


def time_field(**kwargs: Any) -> fields.Time:
    return fields.Time(format=TIME_FORMAT, **kwargs)


def _column_field(column: sa.Column, code_lists: Mapping[str, Iterable[str]]) -> fields.Field:
    """Return the field for one table column, without required/dump-only flags."""
    column_type = column.type
    allow_none = bool(column.nullable)
    if isinstance(column_type, CodeList):
        if column.key not in code_lists:
            raise KeyError(f"no vocabulary given for code list column {column.key!r}")
        return CodeListField(code_lists[column.key])
    if isinstance(column_type, sa.Enum) and column_type.enum_class is not None:
        return code_field(column_type.enum_class, allow_none=allow_none)
    if isinstance(column_type, sa.Boolean):
        return fields.Boolean(allow_none=allow_none)
    if isinstance(column_type, sa.Integer):
        return StrictInteger(allow_none=allow_none)
    if isinstance(column_type, sa.Numeric):
        return fields.Decimal(as_string=True, allow_none=allow_none)
    if isinstance(column_type, sa.DateTime):
        return fields.DateTime(allow_none=allow_none)
    if isinstance(column_type, sa.Date):
        return fields.Date(allow_none=allow_none)
    if isinstance(column_type, sa.Time):
        return time_field(allow_none=allow_none)
    if isinstance(column_type, sa.String) and column_type.length:
        return Text(allow_none=allow_none, validate=validate.Length(max=column_type.length))
    if isinstance(column_type, sa.String):
        return Text(allow_none=allow_none)
    raise TypeError(f"no API field for column {column.key!r} of type {column_type!r}")


def _is_required(column: sa.Column) -> bool:
    return not column.nullable and column.default is None and not column.primary_key


class ProgramSchemaConverter(BaseModel2SchemaConverter):
    """Build API schemas for one model.

    ``code_lists`` gives the vocabulary of each CodeList column by column name,
    and ``extra_fields`` adds read-only fields that no plain column provides
    (for example a school name two relations away).
    """

    def __init__(
        self,
        datamodel,
        code_lists: Mapping[str, Iterable[str]],
        extra_fields: Mapping[str, fields.Field] | None = None,
    ) -> None:
        super().__init__(datamodel, {})
        self.code_lists = dict(code_lists)
        self.extra_fields = dict(extra_fields or {})

    def convert(self, columns, model=None, nested=True, parent_schema_name=None):
        model = model or self.datamodel.obj
        name = (parent_schema_name or model.__name__).replace(".", "_")
        schema_fields: dict[str, fields.Field] = {}
        nested_columns: dict[str, list[str]] = {}
        for column in columns:
            if "." in column:
                root, leaf = column.split(".", 1)
                nested_columns.setdefault(root, []).append(leaf)
            else:
                schema_fields[column] = self._field(model, column)
        for root, leaves in nested_columns.items():
            schema_fields[root] = self._nested(model, root, leaves, f"{name}_{root}")
        for key, field in self.extra_fields.items():
            schema_fields[key] = field
        schema_class = BaseModelSchema.from_dict(schema_fields, name=name)
        schema_class.model_cls = model
        return schema_class()

    def _field(self, model, column_name: str) -> fields.Field:
        attribute = getattr(model, column_name, None)
        if isinstance(attribute, property):
            return fields.String(dump_only=True)
        column = sa.inspect(model).columns.get(column_name)
        if column is None:
            raise KeyError(f"{model.__name__} has no column {column_name!r}")
        field = _column_field(column, self.code_lists)
        if column.primary_key:
            field.dump_only = True
        field.required = _is_required(column)
        default = column.default
        if default is not None and default.is_scalar:
            # The model applies it only at INSERT; pre_add checks need the value before.
            field.load_default = default.arg
        elif isinstance(column.type, CodeList):
            field.load_default = list
        return field

    def _nested(self, model, root: str, leaves: list[str], name: str) -> fields.Nested:
        related = sa.inspect(model).relationships[root].mapper.class_
        inner = {leaf: self._field(related, leaf) for leaf in leaves}
        for field in inner.values():
            field.dump_only = True
            field.required = False
        return fields.Nested(Schema.from_dict(inner, name=name), dump_only=True, allow_none=True)


CODE_LISTS: dict[str, tuple[str, ...]] = {
    "needs": tuple(Need.codes()),
    "availability": AVAILABILITY_CODES,
    "subjects": tuple(Need.codes()),
}
"""Vocabulary of each CodeList column, by column name. Subjects use the areas of need."""
