"""Claim due messages, hand them to the mail transport, and record each result.

Claiming is a short transaction of its own: it selects due pending rows (with
``FOR UPDATE SKIP LOCKED`` on PostgreSQL, under the write lock on SQLite), sets
``claimed_until`` to the end of a lease and commits. No database lock is held
while talking to SMTP. A sender that crashes leaves its lease to expire, and the
message is then claimed again and resent with the same Message-ID. The worker
and the after-commit delivery both claim this way, so they never send the same
message twice while a lease runs.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import or_, select, update

from app.database import is_sqlite, write_transaction
from app.extensions import db
from app.mail.transport import Outcome, OutgoingMessage, open_transport
from app.models import OutboxMessage
from app.models.types import utcnow
from app.rules.choices import OutboxStatus

logger = logging.getLogger(__name__)

FIRST_RETRY_DELAY = dt.timedelta(minutes=1)
MAX_RETRY_DELAY = dt.timedelta(hours=6)
MIN_LEASE = dt.timedelta(minutes=2)
SMTP_COMMANDS_PER_MESSAGE = 6
"""Maximum SMTP round trips per message (MAIL, RCPT, DATA, body, RSET, spare).
Each may take up to ILS_MAIL_TIMEOUT seconds, and the lease covers them all."""


@dataclass(frozen=True)
class Claim:
    ids: list[int]
    lease_until: dt.datetime


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.retried + self.failed


def retry_delay(attempts: int) -> dt.timedelta:
    """Return the wait after ``attempts`` tries: 1, 2, 4 ... minutes, at most 6 hours."""
    return min(FIRST_RETRY_DELAY * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY)


def lease_for(count: int) -> dt.timedelta:
    """Return the lease for ``count`` messages plus connecting, at least ``MIN_LEASE``."""
    timeout = current_app.config["ILS_MAIL_TIMEOUT"]
    lease = dt.timedelta(seconds=timeout * SMTP_COMMANDS_PER_MESSAGE * (count + 1))
    return max(lease, MIN_LEASE)


def claim(limit: int, *, ids: list[int] | None = None, now: dt.datetime | None = None) -> Claim:
    """Claim up to ``limit`` due pending messages (only among ``ids`` when given) and commit."""
    now = now or utcnow()
    lease_until = now + lease_for(limit)
    query = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status == OutboxStatus.pending,
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(ids))
    with write_transaction(db.session):
        try:
            if not is_sqlite(db.session):
                query = query.with_for_update(skip_locked=True)
            claimed = list(db.session.execute(query).scalars())
            if claimed:
                db.session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id.in_(claimed))
                    .values(claimed_until=lease_until)
                )
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    return Claim(ids=claimed, lease_until=lease_until)


def deliver(
    claim_: Claim, *, timeout: float | None = None, deadline: float | None = None
) -> DeliveryReport:
    """Send the claimed messages through the configured transport and record each result.

    ``timeout`` and ``deadline`` go to ``open_transport``. Messages not started
    when the deadline passes are released for the worker, with no attempt counted.
    """
    report = DeliveryReport()
    if not claim_.ids:
        return report
    rows = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.id.in_(claim_.ids)).order_by(OutboxMessage.id)
    ).scalars()
    outgoing = [OutgoingMessage.from_row(row) for row in rows]
    # End the read transaction, so nothing is held open while the SMTP server replies.
    db.session.commit()
    with open_transport(timeout=timeout, deadline=deadline) as transport:
        for position, message in enumerate(outgoing):
            if deadline is not None and time.monotonic() >= deadline:
                _release([later.outbox_id for later in outgoing[position:]], claim_.lease_until)
                break
            outcome = transport.send(message)
            _record(message.outbox_id, outcome, claim_.lease_until, report)
    return report


def send_due(
    limit: int,
    *,
    ids: list[int] | None = None,
    timeout: float | None = None,
    deadline: float | None = None,
) -> DeliveryReport:
    """Claim and deliver up to ``limit`` due messages: one batch of the worker's loop."""
    return deliver(claim(limit, ids=ids), timeout=timeout, deadline=deadline)


def _release(ids: list[int], lease_until: dt.datetime) -> None:
    """Give up the claim on messages not tried, so the worker may send them at once."""
    with write_transaction(db.session):
        try:
            db.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_until == lease_until)
                .values(claimed_until=None)
            )
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    logger.info("outbox: %s messages released for the worker, the send deadline passed", len(ids))


def _record(
    outbox_id: int, outcome: Outcome, lease_until: dt.datetime, report: DeliveryReport
) -> None:
    """Store one result, unless the lease ran out and another sender owns the row now."""
    with write_transaction(db.session):
        try:
            _store_outcome(outbox_id, outcome, lease_until, report)
        except Exception:
            db.session.rollback()
            raise


def _store_outcome(
    outbox_id: int, outcome: Outcome, lease_until: dt.datetime, report: DeliveryReport
) -> None:
    now = utcnow()
    row = db.session.execute(
        select(OutboxMessage).where(
            OutboxMessage.id == outbox_id, OutboxMessage.claimed_until == lease_until
        )
    ).scalar_one_or_none()
    if row is None:
        db.session.rollback()
        logger.warning(
            "outbox %s: lease expired before the result (%s) was stored",
            outbox_id,
            "sent" if outcome.sent else outcome.error,
        )
        return
    row.attempts += 1
    row.claimed_until = None
    if outcome.sent:
        row.status = OutboxStatus.sent
        row.sent_at = now
        row.last_error = None
        report.sent += 1
        logger.info("outbox %s sent (attempt %s)", outbox_id, row.attempts)
    elif outcome.permanent or row.attempts >= current_app.config["ILS_MAIL_MAX_ATTEMPTS"]:
        row.status = OutboxStatus.failed
        row.last_error = outcome.error
        report.failed += 1
        logger.warning(
            "outbox %s failed after %s attempts: %s", outbox_id, row.attempts, outcome.error
        )
    else:
        row.next_attempt_at = now + retry_delay(row.attempts)
        row.last_error = outcome.error
        report.retried += 1
        logger.warning(
            "outbox %s will be retried (attempt %s): %s", outbox_id, row.attempts, outcome.error
        )
    db.session.commit()
