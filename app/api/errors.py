"""Exceptions the API turns into responses, and checks that separate bad values from failures."""

from __future__ import annotations

from flask_appbuilder.exceptions import ApplyFilterException
from sqlalchemy.exc import DataError, DBAPIError, ProgrammingError, StatementError

INVALID_VALUE_MESSAGE = "A value could not be stored. Check the values and try again."


class NotFound(Exception):
    """A row the current user may not see, or that does not exist (HTTP 404)."""


class InvalidBody(ValueError):
    """A request body that is not one JSON object (HTTP 400)."""


def is_bad_value(error: BaseException | None) -> bool:
    """Return whether the database rejected a value or a query rather than failed itself.

    A StatementError that is not a DBAPIError comes from SQLAlchemy converting a
    value before sending it, such as an unknown enum name.
    """
    if isinstance(error, DataError):
        return True
    return isinstance(error, StatementError) and not isinstance(error, DBAPIError)


def bad_list_arguments(error: Exception) -> bool:
    """Return whether a failed list query is the client's arguments' fault.

    A ProgrammingError there comes from SQL built from the arguments, such as a
    type mismatch in a filter that the argument checks let through.
    """
    if isinstance(error, ApplyFilterException):
        return True
    return is_bad_value(error) or isinstance(error, ProgrammingError)
