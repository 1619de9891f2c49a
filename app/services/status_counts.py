"""The nomination_status_count table: nominations per status, kept current on write.

Two SQLAlchemy session listeners keep the counts exact. ``before_flush`` locks
the nominations about to change status or be deleted (``SELECT ... FOR UPDATE``
on PostgreSQL) and reads their stored status. ``after_flush`` then adds each
status's change in one statement per status, ``count = count + delta``, on the
flush's own connection. So the counts commit or roll back with the change,
whatever the path (public form, coordinator screens, API, services, demo loader).

The lock matters on PostgreSQL. Without it, two transactions could both read
"new" as the old status of one nomination and both subtract it. With it, the
second waits for the first to commit and then reads the first one's status.
Every flush changes the count rows in status order (``apply_deltas``), so two
transactions that flush once each lock those rows in the same order and cannot
deadlock on them.
NOTE: a transaction that flushes several times can still deadlock with another
on the count rows, and PostgreSQL then aborts one of the two.

Statements that bypass the ORM flush (Core inserts, ``session.execute(update(...))``,
a database restore) do not update the counts: run ``flask ils refresh-figures``
afterwards.
"""

from __future__ import annotations

import logging
from collections import Counter
from itertools import chain

from sqlalchemy import Connection, delete, event, func, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.models import Nomination, NominationStatusCount
from app.rules.choices import NominationStatus
from app.services.figures import CHUNK

logger = logging.getLogger(__name__)

COUNTS = NominationStatusCount.__table__

PENDING_KEY = "nomination_status_count_before_flush"
"""``session.info`` key of the stored statuses read by ``_before_flush``."""


def _status_changed(obj: Nomination) -> bool:
    return inspect(obj).attrs.status.history.has_changes()


def _stored_statuses(session: Session) -> dict[int, NominationStatus]:
    """Lock the nominations whose status the flush changes or removes and read it from the database.

    The loaded value is not enough: it can be expired after a commit, or stale
    when another transaction changed the row since it was loaded.
    """
    ids = [
        inspect(obj).identity[0]
        for obj in chain(session.dirty, session.deleted)
        if isinstance(obj, Nomination)
        and inspect(obj).identity is not None
        and (obj in session.deleted or _status_changed(obj))
    ]
    if not ids:
        return {}
    connection = session.connection()
    stored: dict[int, NominationStatus] = {}
    ids.sort()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = connection.execute(
            select(Nomination.id, Nomination.status)
            .where(Nomination.id.in_(chunk))
            .order_by(Nomination.id)
            .with_for_update()
        )
        stored.update(rows.all())
    return stored


def _current_status(obj: Nomination) -> NominationStatus:
    """Return the status the flush wrote: the value set, or the column default."""
    status = inspect(obj).dict.get("status")
    return NominationStatus.new if status is None else status


def status_deltas(session: Session) -> Counter[NominationStatus]:
    """Return how much the flush moved each status's count. Call it from ``after_flush``."""
    stored: dict[int, NominationStatus] = session.info.pop(PENDING_KEY, {})
    deltas: Counter[NominationStatus] = Counter()
    for obj in session.new:
        if isinstance(obj, Nomination):
            deltas[_current_status(obj)] += 1
    for obj in chain(session.dirty, session.deleted):
        if not isinstance(obj, Nomination):
            continue
        identity = inspect(obj).identity
        old = stored.get(identity[0]) if identity is not None else None
        if old is None:
            continue
        deltas[old] -= 1
        if obj not in session.deleted:
            deltas[_current_status(obj)] += 1
    return deltas


def _add(connection: Connection, status: NominationStatus, delta: int) -> None:
    """Add ``delta`` to the status's count in one statement.

    A positive delta is an upsert, so the first nomination of a status inserts its
    row. A negative delta is a plain UPDATE: an upsert would check the CHECK
    constraint on the row it proposes to insert, with the negative count, before
    it finds the conflict. A missing row then means that the table no longer
    matches the nominations, which ``flask ils refresh-figures`` repairs.
    """
    if delta < 0:
        updated = connection.execute(
            update(COUNTS).where(COUNTS.c.status == status).values(count=COUNTS.c.count + delta)
        )
        if updated.rowcount == 0:
            logger.error(
                "nomination_status_count has no %s row to subtract %s from. "
                "Run `flask ils refresh-figures` to rebuild it.",
                status.name,
                -delta,
            )
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(COUNTS).values(status=status, count=delta)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[COUNTS.c.status], set_={"count": COUNTS.c.count + delta}
        )
    )


def apply_deltas(connection: Connection, deltas: Counter[NominationStatus]) -> None:
    """Add the deltas to the stored counts, locking the rows in status order."""
    for status in sorted(deltas, key=lambda member: member.name):
        if deltas[status]:
            _add(connection, status, deltas[status])


def rebuild_counts(connection: Connection) -> int:
    """Empty the counts table, count the nominations again and return the number of rows."""
    connection.execute(delete(COUNTS))
    rows = [
        {"status": status, "count": count}
        for status, count in connection.execute(
            select(Nomination.status, func.count()).group_by(Nomination.status)
        )
    ]
    if rows:
        connection.execute(COUNTS.insert(), rows)
    return len(rows)


def stored_counts(session: Session) -> dict[NominationStatus, int]:
    """Return the kept count of each status that has a row."""
    return dict(session.execute(select(COUNTS.c.status, COUNTS.c.count)).all())


def _before_flush(session: Session, flush_context, instances) -> None:
    session.info[PENDING_KEY] = _stored_statuses(session)


def _after_flush(session: Session, flush_context) -> None:
    deltas = status_deltas(session)
    if any(deltas.values()):
        apply_deltas(session.connection(), deltas)


def register_listener() -> None:
    """Keep the counts current on every ORM flush (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
