"""Coordinator actions on outbox messages: send again, or cancel."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import or_, update

from app.extensions import db
from app.models import OutboxMessage
from app.models.types import utcnow
from app.rules.choices import OutboxStatus

logger = logging.getLogger(__name__)

RESENDABLE = (OutboxStatus.failed, OutboxStatus.cancelled)
CANCELLABLE = (OutboxStatus.pending, OutboxStatus.failed)


def resend_messages(ids: Iterable[int]) -> int:
    """Put failed or cancelled messages back in the queue with their attempts reset.

    Returns how many changed; messages in other states are left as they are. The
    Message-ID stays the same, so the message is recognisable as the same one.
    """
    ids = list(ids)
    now = utcnow()
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status.in_(RESENDABLE))
        .values(
            status=OutboxStatus.pending,
            attempts=0,
            next_attempt_at=now,
            claimed_until=None,
            last_error=None,
        )
    )
    db.session.commit()
    logger.info("outbox: %s of %s messages queued again", result.rowcount, len(ids))
    return result.rowcount


def cancel_messages(ids: Iterable[int]) -> int:
    """Cancel pending or failed messages that no sender has claimed; return how many.

    A message being sent right now (its lease runs) is left alone, because its
    result may already be on the way.
    """
    ids = list(ids)
    now = utcnow()
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(ids),
            OutboxMessage.status.in_(CANCELLABLE),
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .values(status=OutboxStatus.cancelled, claimed_until=None)
    )
    db.session.commit()
    logger.info("outbox: %s of %s messages cancelled", result.rowcount, len(ids))
    return result.rowcount
