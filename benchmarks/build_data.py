"""Build a benchmark database: migrated schema, roles, schools and synthetic program rows.

The rows come from benchmarks/synthetic_rows.py and are inserted with SQLAlchemy
Core in batches, which works on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app
from flask_migrate import upgrade

from app.cli import seed_schools, sync_roles
from app.extensions import db
from app.models import (
    Match,
    MatchCheckIn,
    MatchYearFigures,
    Mentor,
    MentoringSession,
    Nomination,
    NominationStatusChange,
    ProgramYear,
    ProgramYearBreak,
    School,
    Student,
)
from app.models.types import utcnow
from app.rules.timezone import program_today
from app.services.figures import rebuild_all
from app.services.status_counts import rebuild_counts
from benchmarks.synthetic_rows import (
    check_in_rows,
    match_rows,
    matched_change_rows,
    mentor_rows,
    nomination_rows,
    program_year_rows,
    session_rows,
    sizes_at,
    student_rows,
)
from config import COORDINATOR_ROLE, MENTOR_ROLE

BATCH_SIZE = 5_000
PASSWORD = "benchmark-password-only"  # noqa: S105 (throwaway login on a scratch database)
COORDINATOR_USERNAME = "bench-coordinator"
MENTOR_USERNAME = "bench-mentor"


def reset_schema(url: str) -> None:
    """Drop every table: the public schema on PostgreSQL, the file on SQLite."""
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        path = Path(engine.url.database or "")
        engine.dispose()
        path.unlink(missing_ok=True)
        return
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def insert_batches(table: sa.Table, rows: Iterable[dict]) -> int:
    """Insert ``rows`` into ``table``, one transaction per BATCH_SIZE rows, and return the count."""
    batch: list[dict] = []
    total = 0
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH_SIZE:
            total += _insert(table, batch)
            batch = []
    if batch:
        total += _insert(table, batch)
    return total


def _insert(table: sa.Table, batch: list[dict]) -> int:
    with db.engine.begin() as connection:
        connection.execute(table.insert(), batch)
    return len(batch)


def create_logins() -> tuple[int, int]:
    """Create the coordinator and mentor logins and return their user ids."""
    security = current_app.appbuilder.sm
    ids = []
    for username, role in (
        (COORDINATOR_USERNAME, COORDINATOR_ROLE),
        (MENTOR_USERNAME, MENTOR_ROLE),
    ):
        user = security.add_user(
            username=username,
            first_name="Benchmark",
            last_name=role,
            email=f"{username}@example.org",
            role=security.find_role(role),
            password=PASSWORD,
        )
        if not user:
            raise RuntimeError(f"failed to create the {role} login; is the database empty?")
        ids.append(user.id)
    return ids[0], ids[1]


def _reset_sequences() -> None:
    """Move PostgreSQL id sequences past the explicit ids, so later inserts still work."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.begin() as connection:
        for table in (
            "nomination",
            "student",
            "mentor",
            "match",
            "mentoring_session",
            "program_year",
            "match_check_in",
        ):
            statement = (
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"  # noqa: S608, E501 (fixed names)
            )
            connection.execute(sa.text(statement))


def analyze() -> None:
    """Refresh planner statistics (VACUUM ANALYZE on PostgreSQL, ANALYZE on SQLite)."""
    statement = "VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text(statement))


def build_database(app: Flask, scale: float) -> dict[str, int]:
    """Migrate, set up roles and schools, and insert rows at ``scale``.

    Returns the row count of each program table.
    """
    sizes = sizes_at(scale)
    with app.app_context():
        upgrade()
        sync_roles()
        app.appbuilder.add_permissions(update_perms=True)
        seed_schools()
        coordinator_id, mentor_user_id = create_logins()
        school_ids = list(db.session.execute(sa.select(School.id).order_by(School.id)).scalars())
        db.session.commit()

        now = utcnow()
        today = program_today(now)
        insert_batches(Student.__table__, student_rows(sizes, school_ids, now))
        insert_batches(Nomination.__table__, nomination_rows(sizes, school_ids, now))
        insert_batches(Mentor.__table__, mentor_rows(sizes, today, mentor_user_id))
        matches = match_rows(sizes, today, coordinator_id)
        insert_batches(Match.__table__, matches)
        insert_batches(MentoringSession.__table__, session_rows(matches, sizes["sessions"], today))
        year, breaks = program_year_rows(today)
        insert_batches(ProgramYear.__table__, [year])
        insert_batches(ProgramYearBreak.__table__, breaks)
        insert_batches(MatchCheckIn.__table__, check_in_rows(matches, today, coordinator_id))
        insert_batches(NominationStatusChange.__table__, matched_change_rows(matches))
        # Core inserts bypass the ORM flush that keeps the figures current.
        with db.engine.begin() as connection:
            rebuild_all(connection)
            rebuild_counts(connection)
        _reset_sequences()
        analyze()
        tables = (
            Nomination,
            Student,
            Mentor,
            Match,
            MentoringSession,
            School,
            MatchCheckIn,
            MatchYearFigures,
        )
        return {
            model.__tablename__: db.session.execute(
                sa.select(sa.func.count()).select_from(model)
            ).scalar_one()
            for model in tables
        }
