"""Create the PostgreSQL database a URL names, if it is missing (used by make test-postgres).

Usage: python tests/create_database.py postgresql://postgres@127.0.0.1:5432/ils_test
It connects to the server's "postgres" database with the same user and host.
"""

from __future__ import annotations

import sys

import sqlalchemy as sa


def create_database(url: str) -> None:
    target = sa.engine.make_url(url)
    if not target.drivername.startswith("postgresql") or not target.database:
        raise SystemExit(f"not a PostgreSQL URL with a database name: {target!r}")
    server = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        exists = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        )
        if not exists:
            quoted = '"' + target.database.replace('"', '""') + '"'
            connection.execute(sa.text(f"CREATE DATABASE {quoted}"))
            print(f"created database {target.database}")
    server.dispose()


if __name__ == "__main__":
    create_database(sys.argv[1])
