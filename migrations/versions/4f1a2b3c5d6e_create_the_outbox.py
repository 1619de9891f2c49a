"""Create the outbox of e-mail messages.

Revision ID: 4f1a2b3c5d6e
Revises: 83c13751e38d
Create Date: 2026-12-04 23:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "4f1a2b3c5d6e"
down_revision = "83c13751e38d"
branch_labels = None
depends_on = None


def _enum(name, values):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "event",
            _enum("ck_event", ("nomination_received", "match_activated", "match_closed")),
            nullable=False,
        ),
        sa.Column(
            "recipient_role",
            _enum("ck_recipient_role", ("nominator", "mentor", "family", "student", "proctor")),
            nullable=False,
        ),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("calendar", sa.Text(), nullable=True),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("dedupe_key", sa.String(length=120), nullable=False),
        sa.Column(
            "status", _enum("ck_status", ("pending", "sent", "failed", "cancelled")), nullable=False
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("nomination_id", sa.Integer(), nullable=True),
        sa.Column("match_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("attempts >= 0", name="ck_outbox_attempts"),
        sa.ForeignKeyConstraint(["match_id"], ["match.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["nomination_id"], ["nomination.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key"),
        sa.UniqueConstraint("message_id"),
    )
    with op.batch_alter_table("outbox_message") as batch:
        batch.create_index("ix_outbox_status_next_attempt", ["status", "next_attempt_at"])
        batch.create_index("ix_outbox_created_id", ["created_at", "id"])
        batch.create_index("ix_outbox_message_match_id", ["match_id"])
        batch.create_index("ix_outbox_message_nomination_id", ["nomination_id"])


def downgrade():
    op.drop_table("outbox_message")
