"""Index the list sort orders.

Lists sort by the chosen column and then by id, so each default sort gets an
index on both: students newest first, matches by start date, sessions by date.

Revision ID: 83c13751e38d
Revises: 36361470035b
Create Date: 2026-12-04 22:28:08.440632
"""

from alembic import op

revision = "83c13751e38d"
down_revision = "36361470035b"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_match_start_date_id", "match", ["start_date", "id"])
    op.drop_index("ix_session_date", table_name="mentoring_session")
    op.create_index("ix_session_date_id", "mentoring_session", ["session_date", "id"])
    op.create_index("ix_student_created_id", "student", ["created_at", "id"])


def downgrade():
    op.drop_index("ix_student_created_id", table_name="student")
    op.drop_index("ix_session_date_id", table_name="mentoring_session")
    op.create_index("ix_session_date", "mentoring_session", ["session_date"])
    op.drop_index("ix_match_start_date_id", table_name="match")
