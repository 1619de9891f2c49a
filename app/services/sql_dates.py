"""Date and scalar expressions that SQLite and PostgreSQL spell differently."""

from __future__ import annotations

from sqlalchemy import Date, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class week_monday(FunctionElement):  # noqa: N801 (used like a SQL function)
    """The Monday of the Monday-to-Sunday week containing a DATE column's value.

    Sessions store their local date (America/New_York), so no time zone enters here.
    """

    type = Date()
    inherit_cache = True
    name = "week_monday"


@compiles(week_monday)
def _week_monday_default(element, compiler, **kw) -> str:
    # PostgreSQL: a date minus an integer is a date, and ISODOW counts Monday as 1. Unlike
    # date_trunc, this never converts the date to a timestamp in the session's time zone.
    day = compiler.process(element.clauses, **kw)
    return f"({day} - (CAST(EXTRACT(ISODOW FROM {day}) AS INTEGER) - 1))"


@compiles(week_monday, "sqlite")
def _week_monday_sqlite(element, compiler, **kw) -> str:
    # 'weekday 0' moves forward to the next Sunday (or stays on a Sunday). 6 days back is Monday.
    return f"date({compiler.process(element.clauses, **kw)}, 'weekday 0', '-6 days')"


class greatest(FunctionElement):  # noqa: N801 (used like a SQL function)
    """The largest of two or more non-null integer expressions."""

    type = Integer()
    inherit_cache = True
    name = "greatest"


class least(FunctionElement):  # noqa: N801 (used like a SQL function)
    """The smallest of two or more non-null integer expressions."""

    type = Integer()
    inherit_cache = True
    name = "least"


@compiles(greatest)
def _greatest_default(element, compiler, **kw) -> str:
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


@compiles(least)
def _least_default(element, compiler, **kw) -> str:
    return f"LEAST({compiler.process(element.clauses, **kw)})"


# SQLite's max() and min() with two or more arguments are scalar functions. Unlike
# GREATEST and LEAST they return NULL when an argument is NULL, hence "non-null" above.
@compiles(greatest, "sqlite")
def _greatest_sqlite(element, compiler, **kw) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"


@compiles(least, "sqlite")
def _least_sqlite(element, compiler, **kw) -> str:
    return f"min({compiler.process(element.clauses, **kw)})"
