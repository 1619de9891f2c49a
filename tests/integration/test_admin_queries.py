"""List pages cost the same number of queries for 2 rows as for 8 (no query per row)."""

from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import event

from app.extensions import db


@contextlib.contextmanager
def counted_queries():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def add_rows(factory, how_many: int) -> None:
    for _ in range(how_many):
        match = factory.match()
        factory.session(match=match)
        factory.nomination()


LIST_PAGES = [
    "/nominationview/list/",
    "/nominationhistoryview/list/",
    "/studentview/list/",
    "/mentorview/list/",
    "/matchview/list/",
    "/sessionview/list/",
]


@pytest.mark.parametrize("page", LIST_PAGES)
def test_list_queries_do_not_grow_with_rows(client, factory, login_as, page):
    login_as(client, factory.coordinator())
    add_rows(factory, 2)
    client.get(page)  # loads the user and the menu once, like every later request
    with counted_queries() as few:
        assert client.get(page).status_code == 200
    add_rows(factory, 6)
    client.get(page)
    with counted_queries() as many:
        assert client.get(page).status_code == 200

    assert len(many) == len(few), page
