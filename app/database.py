"""Engine set-up for SQLite and the write lock that serializes matching.

SQLite: foreign keys are switched on for every connection and transactions are
started by us, so a transaction that must not interleave with another writer can
begin with ``BEGIN IMMEDIATE``. PostgreSQL: the same call takes ``SELECT ... FOR
UPDATE`` row locks instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

_immediate_transaction: ContextVar[bool] = ContextVar("ils_immediate_transaction", default=False)

SQLITE_BUSY_TIMEOUT_MS = 30_000


def configure_sqlite_engine(engine: Engine) -> None:
    """Install the connection and transaction hooks on a SQLite engine."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own
        # transaction handling would defer it and ignore IMMEDIATE).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        # WAL lets readers carry on while one writer holds the lock; in the default
        # rollback journal an open read transaction would block every commit.
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        if _immediate_transaction.get():
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


@contextmanager
def write_transaction(session) -> Iterator[None]:
    """Run the block in a new transaction that holds the database write lock on SQLite.

    Commits whatever the session has read so far first, so the locked transaction
    starts fresh. On PostgreSQL the block must lock its rows with
    ``with_for_update()``; the flag only affects SQLite. The caller commits or rolls
    back inside the block.
    """
    session.commit()
    token = _immediate_transaction.set(True)
    try:
        yield
    finally:
        _immediate_transaction.reset(token)


def is_sqlite(session) -> bool:
    return session.get_bind().dialect.name == "sqlite"
