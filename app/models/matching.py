"""Matches between a student and a mentor, and the sessions they hold."""

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.people import Mentor, Student
from app.models.types import CodeList, enum_column_type, utcnow
from app.rules.choices import CloseReason, MatchStatus, SessionOutcome, Weekday

OPEN_MATCH_CONDITION = text("status IN ('proposed', 'active')")


class Match(Model):
    """One student with one mentor: proposed, then active, then closed.

    The partial unique index allows one proposed-or-active match per student on
    both SQLite and PostgreSQL. Mentor capacity spans several rows, so it is held
    by a row lock in the matching service instead.
    """

    __tablename__ = "match"
    __table_args__ = (
        Index(
            "uq_match_open_per_student",
            "student_id",
            unique=True,
            sqlite_where=OPEN_MATCH_CONDITION,
            postgresql_where=OPEN_MATCH_CONDITION,
        ),
        Index("ix_match_mentor_status", "mentor_id", "status"),
        # The match list sorts by start date, then by id.
        Index("ix_match_start_date_id", "start_date", "id"),
        CheckConstraint(
            "closed_on IS NULL OR closed_on >= start_date", name="ck_match_closed_after_start"
        ),
        CheckConstraint(
            "(status = 'closed') = (closed_on IS NOT NULL AND close_reason IS NOT NULL)",
            name="ck_match_closed_fields",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id"), nullable=False)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentor.id"), nullable=False)
    status: Mapped[MatchStatus] = mapped_column(
        enum_column_type(MatchStatus, "status"), nullable=False, default=MatchStatus.proposed
    )
    start_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    slot_weekday: Mapped[Weekday] = mapped_column(
        enum_column_type(Weekday, "slot_weekday"), nullable=False
    )
    slot_time: Mapped[dt.time] = mapped_column(Time, nullable=False)
    meet_link: Mapped[str] = mapped_column(String(64), nullable=False)
    subjects: Mapped[list[str]] = mapped_column(CodeList, nullable=False, default=list)
    proctor_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"), nullable=False)
    activated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    close_reason: Mapped[CloseReason | None] = mapped_column(
        enum_column_type(CloseReason, "close_reason")
    )
    close_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))

    student: Mapped[Student] = relationship(Student, back_populates="matches")
    mentor: Mapped[Mentor] = relationship(Mentor, back_populates="matches")
    proctor = relationship(User, foreign_keys=[proctor_id])
    created_by = relationship(User, foreign_keys=[created_by_id])
    sessions = relationship("MentoringSession", back_populates="match")

    @property
    def is_open(self) -> bool:
        return self.status in (MatchStatus.proposed, MatchStatus.active)

    @property
    def slot(self) -> str:
        return f"{self.slot_weekday} {self.slot_time:%H:%M}"

    def __str__(self) -> str:
        return f"{self.student} with {self.mentor}"


class MentoringSession(Model):
    """One meeting of a match on Google Meet (shown to users as a "Session")."""

    __tablename__ = "mentoring_session"
    __table_args__ = (
        UniqueConstraint(
            "match_id", "session_date", "start_time", name="uq_session_match_date_time"
        ),
        CheckConstraint("duration_minutes BETWEEN 15 AND 180", name="ck_session_duration"),
        # Lists sort by the chosen column, then by id.
        Index("ix_session_date_id", "session_date", "id"),
        # Covers the weekly-target aggregates (app.services.health): a year of sessions is
        # read from this index alone, without visiting the table.
        Index(
            "ix_session_date_match_figures",
            "session_date",
            "match_id",
            "outcome",
            "duration_minutes",
            "proctor_present",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("match.id"), nullable=False)
    session_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    start_time: Mapped[dt.time] = mapped_column(Time, nullable=False)
    duration_minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    outcome: Mapped[SessionOutcome] = mapped_column(
        enum_column_type(SessionOutcome, "outcome"), nullable=False, default=SessionOutcome.held
    )
    proctor_present: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    topics: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), onupdate=utcnow)

    match: Mapped[Match] = relationship(Match, back_populates="sessions")
    created_by = relationship(User, foreign_keys=[created_by_id])

    def __str__(self) -> str:
        return f"{self.session_date:%Y-%m-%d} {self.start_time:%H:%M}"
