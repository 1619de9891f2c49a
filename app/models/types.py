"""Column types and helpers shared by the models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Enum, String
from sqlalchemy.types import TypeDecorator

from app.rules.choices import LabeledEnum


def utcnow() -> dt.datetime:
    """Return the current time in UTC; every stored timestamp is UTC."""
    return dt.datetime.now(dt.UTC)


def enum_column_type(enum_class: type[LabeledEnum], column_name: str) -> Enum:
    """Return a portable Enum type: VARCHAR plus a CHECK constraint, storing member names.

    PostgreSQL needs CHECK constraint names unique within a table, so the constraint
    is named after the column.
    """
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=32,
        name=f"ck_{column_name}",
    )


class CodeList(TypeDecorator):
    """A list of short codes stored as one comma-separated string (``"math,reading"``).

    Lists are small (at most a few dozen codes from a fixed vocabulary), so a string
    keeps them searchable with LIKE in admin filters on both SQLite and PostgreSQL.
    """

    impl = String(400)
    cache_ok = True

    def process_bind_param(self, value: Iterable[str] | str | None, dialect) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            value = [part for part in value.split(",")]
        codes = [code.strip() for code in value if code and code.strip()]
        if any("," in code for code in codes):
            raise ValueError("a code may not contain a comma")
        return ",".join(codes)

    def process_result_value(self, value: str | None, dialect) -> list[str]:
        if not value:
            return []
        return value.split(",")
