"""Checks on the ``q`` (Rison) argument of list and item requests.

Flask-AppBuilder validates only the shape of ``q``. It ignores unknown column
names, caps a page size silently and passes a negative page to the database,
which PostgreSQL rejects. It also hands filter values to SQLAlchemy unchecked, so
a bad date or code either fails with a 500 or silently becomes ``IS NULL``. The
functions here raise ``QueryArgError`` first, and the API returns 400 for it.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import prison
import sqlalchemy as sa

from app.models.types import CodeList
from app.url_values import MAX_RECORD_ID
from app.viewkit import COUNT_CAP

MAX_QUERY_LENGTH = 4000
MAX_FILTER_TEXT = 200
MAX_FILTER_ITEMS = 100
MAX_ID = MAX_RECORD_ID
"""Largest value of an INTEGER column on PostgreSQL, so no row has a larger id."""

LIST_OPERATORS = ("in", "not_in")


class QueryArgError(ValueError):
    """A ``q`` argument the API cannot run; the message names the argument."""


def check_rison_parses(value: str) -> None:
    """Raise QueryArgError when ``q`` is too long or crashes the Rison parser.

    prison 0.2.1 raises RecursionError, IndexError or TypeError on some malformed
    input (``(((``, ``!``) instead of its ParserException, and Flask-AppBuilder
    turns those into a 500. A ParserException is left to Flask-AppBuilder, which
    then tries the value as JSON.
    """
    if len(value) > MAX_QUERY_LENGTH:
        raise QueryArgError(f"The q argument is longer than {MAX_QUERY_LENGTH} characters.")
    try:
        prison.loads(value)
    except prison.decoder.ParserException:
        return
    except Exception:
        raise QueryArgError("Not a valid rison argument.") from None


def check_columns(args: dict[str, Any], allowed: list[str]) -> None:
    """Raise QueryArgError for a requested column the endpoint does not return."""
    for key in ("columns", "select_columns"):
        for column in args.get(key) or []:
            if column not in allowed:
                raise QueryArgError(f"Unknown column in {key}: {str(column)[:60]}.")


def check_paging(args: dict[str, Any], max_page_size: int) -> None:
    """Raise QueryArgError unless page_size is 1..max and the page is within the count cap.

    Lists count and page no further than ``COUNT_CAP`` rows, so a deeper page is
    rejected instead of scanning the table.
    """
    page_size = args.get("page_size", 1)
    page = args.get("page", 0)
    # JSON Schema counts 50.0 as an integer, but the database wants a whole number.
    if not isinstance(page_size, int) or not 1 <= page_size <= max_page_size:
        raise QueryArgError(f"page_size must be from 1 to {max_page_size}.")
    if not isinstance(page, int) or page < 0:
        raise QueryArgError("page must be a whole number, 0 or more.")
    if page * page_size >= COUNT_CAP:
        raise QueryArgError(
            f"page is too deep: lists go no further than {COUNT_CAP} rows. Add a filter."
        )


def check_filters(args: dict[str, Any], datamodel, search_filters: dict[str, list]) -> None:
    """Raise QueryArgError for a filter the column does not offer or a value of the wrong type.

    ``search_filters`` maps each searchable column to its filter objects, whose
    ``arg_name`` is the ``opr`` a client sends. Flask-AppBuilder skips an unknown
    operator on a searchable column without a word, which would return the whole list.
    """
    for item in args.get("filters") or []:
        column, operator, value = item["col"], item["opr"], item["value"]
        if column not in search_filters:
            raise QueryArgError(f"Filtering on {str(column)[:60]} is not supported.")
        operators = [flt.arg_name for flt in search_filters[column]]
        if operator not in operators:
            raise QueryArgError(
                f"The filter operation {str(operator)[:20]} is not allowed on {column}. "
                f"Use one of: {', '.join(operators)}."
            )
        if operator in LIST_OPERATORS:
            if not isinstance(value, list) or not 1 <= len(value) <= MAX_FILTER_ITEMS:
                raise QueryArgError(
                    f"The {operator} filter on {column} needs a list of 1 to "
                    f"{MAX_FILTER_ITEMS} values."
                )
            for element in value:
                _check_value(datamodel, column, element)
        else:
            _check_value(datamodel, column, value)


def _check_value(datamodel, column: str, value: Any) -> None:
    if datamodel.is_relation(column):
        if not _is_id(value):
            raise QueryArgError(f"The filter on {column} needs a record id.")
        return
    column_type = sa.inspect(datamodel.obj).columns[column].type
    if not _value_fits(column_type, value):
        raise QueryArgError(f"The filter value for {column} is not valid: {_describe(column_type)}")


def _value_fits(column_type, value: Any) -> bool:
    if isinstance(column_type, sa.Enum) and column_type.enum_class is not None:
        return isinstance(value, str) and value in column_type.enum_class.__members__
    if isinstance(column_type, sa.Integer):
        return _is_int(value)
    if isinstance(column_type, sa.Numeric):
        return _is_number(value)
    if isinstance(column_type, sa.DateTime):
        return _parses(dt.datetime.fromisoformat, value)
    if isinstance(column_type, sa.Date):
        return _parses(dt.date.fromisoformat, value)
    if isinstance(column_type, (CodeList, sa.String)):
        return isinstance(value, str) and len(value) <= MAX_FILTER_TEXT and "\x00" not in value
    return False


def _describe(column_type) -> str:
    if isinstance(column_type, sa.Enum) and column_type.enum_class is not None:
        return "use one of " + ", ".join(column_type.enum_class.__members__) + "."
    if isinstance(column_type, sa.Integer):
        return "use a whole number."
    if isinstance(column_type, sa.Numeric):
        return "use a number."
    if isinstance(column_type, (sa.Date, sa.DateTime)):
        return "write dates as YYYY-MM-DD."
    if isinstance(column_type, sa.String):
        return f"use text of at most {MAX_FILTER_TEXT} characters."
    return "this column cannot be filtered."


def _is_int(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, str) and value.strip().lstrip("-").isascii():
        digits = value.strip().lstrip("-")
        return digits.isdigit() and len(digits) <= 10 and abs(int(value)) <= MAX_ID
    return isinstance(value, int) and abs(value) <= MAX_ID


def _is_id(value: Any) -> bool:
    return _is_int(value) and int(value) > 0


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) <= MAX_ID
    return isinstance(value, float) and math.isfinite(value)


def _parses(parse, value: Any) -> bool:
    if not isinstance(value, str) or len(value) > 40:
        return False
    try:
        parse(value.strip())
    except ValueError:
        return False
    return True


def parse_pk(raw: Any) -> int | None:
    """Return ``raw`` as a primary key, or None when no row can have it."""
    text = str(raw)
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
