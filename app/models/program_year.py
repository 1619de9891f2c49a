"""Program years with their weeks without school, and coordinators' match check-ins."""

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.matching import Match
from app.models.types import enum_column_type, utcnow
from app.rules.choices import CheckInChannel, CheckInContact


class ProgramYear(Model):
    """A school year as BPS publishes it: the first and last day of school.

    The database checks only that the first day comes before the last. The length
    limit and "no overlap with another year" are checked by app.rules.program_year
    when a coordinator saves the year.
    """

    __tablename__ = "program_year"
    __table_args__ = (
        CheckConstraint("first_day < last_day", name="ck_program_year_order"),
        Index("ix_program_year_days", "first_day", "last_day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    first_day: Mapped[dt.date] = mapped_column(Date, nullable=False)
    last_day: Mapped[dt.date] = mapped_column(Date, nullable=False)

    breaks = relationship(
        "ProgramYearBreak",
        back_populates="program_year",
        cascade="all, delete-orphan",
        order_by="ProgramYearBreak.week_start",
    )

    def __str__(self) -> str:
        return self.name


class ProgramYearBreak(Model):
    """A week without school (Monday to Sunday) inside a program year, such as a vacation."""

    __tablename__ = "program_year_break"
    __table_args__ = (
        UniqueConstraint("program_year_id", "week_start", name="uq_program_year_break_week"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_year_id: Mapped[int] = mapped_column(
        ForeignKey("program_year.id", ondelete="CASCADE"), nullable=False
    )
    week_start: Mapped[dt.date] = mapped_column(Date, nullable=False)
    label: Mapped[str] = mapped_column(String(100), nullable=False)

    program_year: Mapped[ProgramYear] = relationship(ProgramYear, back_populates="breaks")

    def __str__(self) -> str:
        return f"{self.week_start:%Y-%m-%d} {self.label}"


class MatchCheckIn(Model):
    """A coordinator's support contact about a match. Mentors never see these."""

    __tablename__ = "match_check_in"
    __table_args__ = (Index("ix_match_check_in_match_date", "match_id", "checked_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("match.id"), nullable=False)
    checked_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    contact_with: Mapped[CheckInContact] = mapped_column(
        enum_column_type(CheckInContact, "contact_with"), nullable=False
    )
    channel: Mapped[CheckInChannel] = mapped_column(
        enum_column_type(CheckInChannel, "channel"), nullable=False
    )
    notes: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))

    match: Mapped[Match] = relationship(Match)
    created_by = relationship(User, foreign_keys=[created_by_id])

    def __str__(self) -> str:
        return f"{self.checked_on:%Y-%m-%d} {self.contact_with} ({self.channel})"


class MatchYearFigures(Model):
    """One match's session and check-in facts in one program year, kept current on write.

    app.services.figures rewrites a match's rows in the same flush as any change
    to its sessions, its check-ins or its days, and a year's rows when the year's
    days or weeks without school change. Only facts that do not depend on today
    are stored: the pages derive weeks elapsed, the current run of missed weeks
    and overdue check-ins from them at read time. Rows written outside the ORM
    (a restore, a bulk load) need ``flask ils refresh-figures``.

    The ``*_through`` and ``full_week_*`` columns are positions in the year's list
    of school weeks (``app.rules.program_year.school_weeks``), so they are only
    valid for the weeks without school they were computed with.
    """

    __tablename__ = "match_year_figures"
    __table_args__ = (Index("ix_match_year_figures_year", "program_year_id", "match_id"),)

    match_id: Mapped[int] = mapped_column(
        ForeignKey("match.id", ondelete="CASCADE"), primary_key=True
    )
    program_year_id: Mapped[int] = mapped_column(
        ForeignKey("program_year.id", ondelete="CASCADE"), primary_key=True
    )
    held_minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    held_sessions: Mapped[int] = mapped_column(Integer, nullable=False)
    sessions_logged: Mapped[int] = mapped_column(Integer, nullable=False)
    proctor_absent: Mapped[int] = mapped_column(Integer, nullable=False)
    """Held sessions dated in the year and logged without the proctor present."""
    last_proctor_absent: Mapped[dt.date | None] = mapped_column(Date)
    last_session: Mapped[dt.date | None] = mapped_column(Date)
    last_held: Mapped[dt.date | None] = mapped_column(Date)
    full_weeks_on_target: Mapped[int] = mapped_column(Integer, nullable=False)
    """On-target school weeks that the match runs from Monday to Sunday inside the year."""
    partial_weeks_on_target: Mapped[int] = mapped_column(Integer, nullable=False)
    last_on_target: Mapped[dt.date | None] = mapped_column(Date)
    """Monday of the latest on-target school week."""
    full_week_first: Mapped[int] = mapped_column(Integer, nullable=False)
    """Position of the match's first full school week."""
    full_week_end: Mapped[int] = mapped_column(Integer, nullable=False)
    """Position after the match's last full school week, ignoring today."""
    on_target_through: Mapped[int] = mapped_column(Integer, nullable=False)
    """School weeks up to and including the latest on-target week (0 without one)."""
    held_through: Mapped[int] = mapped_column(Integer, nullable=False)
    """School weeks up to and including the week of the latest held session (0 without one)."""
    check_ins: Mapped[int] = mapped_column(Integer, nullable=False)
    last_check_in: Mapped[dt.date | None] = mapped_column(Date)
    check_in_due: Mapped[dt.date] = mapped_column(Date, nullable=False)
