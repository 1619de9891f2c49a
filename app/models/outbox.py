"""The outbox: every e-mail the program sends, written with the event that causes it."""

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.types import enum_column_type, utcnow
from app.rules.choices import MailEvent, OutboxStatus, RecipientRole


class OutboxMessage(Model):
    """One rendered e-mail to one recipient, and its delivery state.

    The row is written in the event's transaction, so the event and its messages
    are saved together or not at all. Subject and bodies are rendered at that
    moment in the recipient's language and never change. ``message_id`` stays the
    same across retries, so a recipient's mail server can recognize a message
    delivered twice after an unclear failure. ``dedupe_key`` (event, record id and
    role) keeps an event from queueing the same message twice.

    A sender owns a row while ``claimed_until`` is in the future (its lease).
    ``last_error`` contains the SMTP reply code and our own short text only, because
    SMTP replies often repeat the recipient's address.

    NOTE: sent messages keep their address and text until the nomination or match
    is deleted; nothing purges old messages yet.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (
        # The sender's query: pending rows that are due, oldest first.
        Index("ix_outbox_status_next_attempt", "status", "next_attempt_at"),
        # The outbox list shows the newest first, then sorts by id.
        Index("ix_outbox_created_id", "created_at", "id"),
        CheckConstraint("attempts >= 0", name="ck_outbox_attempts"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event: Mapped[MailEvent] = mapped_column(enum_column_type(MailEvent, "event"), nullable=False)
    recipient_role: Mapped[RecipientRole] = mapped_column(
        enum_column_type(RecipientRole, "recipient_role"), nullable=False
    )
    to_address: Mapped[str] = mapped_column(String(254), nullable=False)
    language: Mapped[str] = mapped_column(String(10), nullable=False)
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    text_body: Mapped[str] = mapped_column(Text, nullable=False)
    html_body: Mapped[str] = mapped_column(Text, nullable=False)
    calendar: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    dedupe_key: Mapped[str] = mapped_column(String(120), nullable=False, unique=True)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column_type(OutboxStatus, "status"), nullable=False, default=OutboxStatus.pending
    )
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )
    claimed_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Deleting a nomination or match deletes its messages, which contain personal data.
    nomination_id: Mapped[int | None] = mapped_column(
        ForeignKey("nomination.id", ondelete="CASCADE"), index=True
    )
    match_id: Mapped[int | None] = mapped_column(
        ForeignKey("match.id", ondelete="CASCADE"), index=True
    )

    def __str__(self) -> str:
        return f"{self.event} to {self.recipient_role}"
