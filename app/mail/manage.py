"""Coordinator actions on outbox messages: send again, or cancel."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.mail.headers import MailHeaderInvalid
from app.mail.recipients import ADDRESS_SOURCES, current_address
from app.models import Match, Nomination, OutboxMessage
from app.models.types import utcnow
from app.rules.choices import OutboxStatus

logger = logging.getLogger(__name__)

RESENDABLE = (OutboxStatus.failed, OutboxStatus.cancelled)
CANCELLABLE = (OutboxStatus.pending, OutboxStatus.failed)


@dataclass
class ResendReport:
    """The result of "Send again": how many were queued, and why others were not."""

    requested: int
    queued: int = 0
    rejected: list[str] = field(default_factory=list)


def resend_messages(ids: Iterable[int]) -> ResendReport:
    """Put failed or cancelled messages back in the queue, to the recipient's current address.

    Each message takes the checked address now on its recipient's record, so a
    corrected record is used. A message without a usable address, or in another
    state, is left as it is, and the reason for the first is reported. Attempts are
    reset. The Message-ID stays, so the recipient can recognize the same message.
    """
    ids = list(ids)
    report = ResendReport(requested=len(ids))
    rows = list(
        db.session.execute(
            select(OutboxMessage).where(
                OutboxMessage.id.in_(ids), OutboxMessage.status.in_(RESENDABLE)
            )
        ).scalars()
    )
    matches, nominations = _load_records(rows)
    now = utcnow()
    for row in rows:
        address = _address_for(row, matches, nominations, report)
        if address is None:
            continue
        result = db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row.id, OutboxMessage.status.in_(RESENDABLE))
            .values(
                status=OutboxStatus.pending,
                to_address=address,
                attempts=0,
                next_attempt_at=now,
                claimed_until=None,
                last_error=None,
            )
        )
        report.queued += result.rowcount
    db.session.commit()
    logger.info(
        "outbox: %s of %s messages queued again, %s without a usable address",
        report.queued,
        report.requested,
        len(report.rejected),
    )
    return report


def _load_records(
    rows: list[OutboxMessage],
) -> tuple[dict[int, Match], dict[int, Nomination]]:
    """Load the matches (with mentor, student, proctor) and nominations of ``rows`` at once."""
    match_ids = {row.match_id for row in rows if row.match_id is not None}
    nomination_ids = {row.nomination_id for row in rows if row.nomination_id is not None}
    matches = {}
    if match_ids:
        query = (
            select(Match)
            .where(Match.id.in_(match_ids))
            .options(joinedload(Match.mentor), joinedload(Match.student), joinedload(Match.proctor))
        )
        matches = {match.id: match for match in db.session.execute(query).scalars()}
    nominations = {}
    if nomination_ids:
        query = select(Nomination).where(Nomination.id.in_(nomination_ids))
        nominations = {item.id: item for item in db.session.execute(query).scalars()}
    return matches, nominations


def _address_for(
    row: OutboxMessage,
    matches: dict[int, Match],
    nominations: dict[int, Nomination],
    report: ResendReport,
) -> str | None:
    """Return the checked current address for ``row``, or record in ``report`` why there is none."""
    source = ADDRESS_SOURCES[row.recipient_role]
    try:
        address = current_address(
            row.recipient_role,
            match=matches.get(row.match_id),
            nomination=nominations.get(row.nomination_id),
        )
    except MailHeaderInvalid as invalid:
        logger.warning("outbox %s: not queued again, invalid address in %s", row.id, invalid.field)
        report.rejected.append(f"Message {row.id}: {invalid.render()}")
        return None
    if address is None:
        logger.info("outbox %s: not queued again, no %s address", row.id, row.recipient_role.name)
        report.rejected.append(
            f"Message {row.id}: {source.label} is missing. Add it, then send the message again."
        )
    return address


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
