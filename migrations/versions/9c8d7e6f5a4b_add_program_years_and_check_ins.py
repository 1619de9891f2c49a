"""Add program years, their weeks without school, and match check-ins.

Also add match_year_figures, the per-match facts of each program year that
app.services.figures keeps current on write, and index what the dashboard and
the funder report read: a year of sessions, nominations by submission time and
changes to "matched".

Revision ID: 9c8d7e6f5a4b
Revises: 4f1a2b3c5d6e
Create Date: 2026-12-04 23:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "9c8d7e6f5a4b"
down_revision = "4f1a2b3c5d6e"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "program_year",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.CheckConstraint("first_day < last_day", name="ck_program_year_order"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_index("ix_program_year_days", "program_year", ["first_day", "last_day"])
    op.create_table(
        "program_year_break",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_year_id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["program_year_id"], ["program_year.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("program_year_id", "week_start", name="uq_program_year_break_week"),
    )
    op.create_table(
        "match_check_in",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column(
            "contact_with",
            sa.Enum(
                "mentor",
                "family",
                "student",
                name="ck_contact_with",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "channel",
            sa.Enum(
                "phone",
                "email",
                "video_call",
                "in_person",
                "text_message",
                name="ck_channel",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["ab_user.id"]),
        sa.ForeignKeyConstraint(["match_id"], ["match.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_match_check_in_match_date", "match_check_in", ["match_id", "checked_on"]
    )
    op.create_table(
        "match_year_figures",
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("program_year_id", sa.Integer(), nullable=False),
        sa.Column("held_minutes", sa.Integer(), nullable=False),
        sa.Column("held_sessions", sa.Integer(), nullable=False),
        sa.Column("sessions_logged", sa.Integer(), nullable=False),
        sa.Column("proctor_absent", sa.Integer(), nullable=False),
        sa.Column("last_proctor_absent", sa.Date(), nullable=True),
        sa.Column("last_session", sa.Date(), nullable=True),
        sa.Column("last_held", sa.Date(), nullable=True),
        sa.Column("full_weeks_on_target", sa.Integer(), nullable=False),
        sa.Column("partial_weeks_on_target", sa.Integer(), nullable=False),
        sa.Column("last_on_target", sa.Date(), nullable=True),
        sa.Column("full_week_first", sa.Integer(), nullable=False),
        sa.Column("full_week_end", sa.Integer(), nullable=False),
        sa.Column("on_target_through", sa.Integer(), nullable=False),
        sa.Column("held_through", sa.Integer(), nullable=False),
        sa.Column("check_ins", sa.Integer(), nullable=False),
        sa.Column("last_check_in", sa.Date(), nullable=True),
        sa.Column("check_in_due", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["match_id"], ["match.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["program_year_id"], ["program_year.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("match_id", "program_year_id"),
    )
    op.create_index(
        "ix_match_year_figures_year", "match_year_figures", ["program_year_id", "match_id"]
    )
    op.create_index(
        "ix_session_date_match_figures",
        "mentoring_session",
        ["session_date", "match_id", "outcome", "duration_minutes", "proctor_present"],
    )
    op.create_index("ix_nomination_submitted", "nomination", ["submitted_at"])
    op.create_index(
        "ix_status_change_to_status_at", "nomination_status_change", ["to_status", "changed_at"]
    )


def downgrade():
    op.drop_index("ix_status_change_to_status_at", table_name="nomination_status_change")
    op.drop_index("ix_nomination_submitted", table_name="nomination")
    op.drop_index("ix_session_date_match_figures", table_name="mentoring_session")
    op.drop_index("ix_match_year_figures_year", table_name="match_year_figures")
    op.drop_table("match_year_figures")
    op.drop_index("ix_match_check_in_match_date", table_name="match_check_in")
    op.drop_table("match_check_in")
    op.drop_table("program_year_break")
    op.drop_index("ix_program_year_days", table_name="program_year")
    op.drop_table("program_year")
