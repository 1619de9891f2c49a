"""Parsing ids and whole numbers from URLs, so nonsense gives 400 or 404 and never 500.

``str.isdigit`` accepts characters such as "²" that ``int`` rejects, and ``int``
accepts numbers far beyond the database's integer columns, so every id or page
number read from a URL goes through these.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_RECORD_ID = 2**31 - 1
"""The largest value of an INTEGER column on PostgreSQL, and so of any primary key."""


def parse_whole_number(raw: str | None, max_digits: int = 6) -> int | None:
    """Return ``raw`` as a whole number of at most ``max_digits`` ASCII digits, else None."""
    text = (raw or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > max_digits:
        return None
    return int(text)


def parse_record_id(raw: str | None) -> int | None:
    """Return ``raw`` as a primary key (1 to MAX_RECORD_ID), or None when no row can have it."""
    value = parse_whole_number(raw, max_digits=len(str(MAX_RECORD_ID)))
    return value if value is not None and 0 < value <= MAX_RECORD_ID else None


class RecordIdConverter(IntegerConverter):
    """Werkzeug's ``int`` converter bounded to the database integer range.

    The app factory registers it as ``int``, so a route such as ``/<int:pk>``
    returns 404 for a 20-digit number instead of passing it to the database, where
    SQLite raises OverflowError and PostgreSQL rejects the parameter.
    """

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 (Werkzeug's name)
        kwargs.setdefault("max", MAX_RECORD_ID)
        super().__init__(map, *args, **kwargs)
