"""Index students' and mentors' lowercased names for search by name prefix.

The coordinator forms find an active match by typing the start of a student's
or mentor's first or last name. On PostgreSQL ``text_pattern_ops`` lets
``lower(name) LIKE 'abc%'`` use these indexes whatever the database collation.

Revision ID: b7e4c2a9d1f3
Revises: b3e5a7c9d1f2
Create Date: 2026-12-05 02:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "b7e4c2a9d1f3"
down_revision = "b3e5a7c9d1f2"
branch_labels = None
depends_on = None

INDEXED_NAMES = [
    (table, column) for table in ("student", "mentor") for column in ("first_name", "last_name")
]


def upgrade():
    for table, column in INDEXED_NAMES:
        label = f"{column}_lower"
        op.create_index(
            f"ix_{table}_{label}",
            table,
            [sa.func.lower(sa.column(column)).label(label)],
            postgresql_ops={label: "text_pattern_ops"},
        )


def downgrade():
    for table, column in reversed(INDEXED_NAMES):
        op.drop_index(f"ix_{table}_{column}_lower", table_name=table)
