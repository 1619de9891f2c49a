"""Keep the number of nominations in each status.

The dashboard reads nomination_status_count instead of counting every
nomination. app.services.status_counts keeps it current on write, and this
migration fills it from the nominations already stored.

Revision ID: b3e5a7c9d1f2
Revises: 9c8d7e6f5a4b
Create Date: 2026-12-05 02:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "b3e5a7c9d1f2"
down_revision = "9c8d7e6f5a4b"
branch_labels = None
depends_on = None

STATUSES = ("new", "in_review", "accepted", "matched", "waitlisted", "declined", "withdrawn")


def upgrade():
    op.create_table(
        "nomination_status_count",
        sa.Column(
            "status",
            sa.Enum(
                *STATUSES,
                name="ck_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.CheckConstraint("count >= 0", name="ck_nomination_status_count_count"),
        sa.PrimaryKeyConstraint("status"),
    )
    op.execute(
        "INSERT INTO nomination_status_count (status, count) "
        "SELECT status, count(*) FROM nomination GROUP BY status"
    )


def downgrade():
    op.drop_table("nomination_status_count")
