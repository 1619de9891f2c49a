"""Students accepted into the program and the volunteer mentors who work with them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.school import School
from app.models.types import CodeList, enum_column_type, utcnow
from app.rules.choices import CheckStatus, MentorStatus


class Student(Model):
    """A student accepted from a nomination.

    One row per person: accepting a second nomination with the same normalized name
    and date of birth links it to this row (the unique constraint makes that safe
    under concurrent acceptance).
    """

    __tablename__ = "student"
    __table_args__ = (
        CheckConstraint("grade BETWEEN 1 AND 12", name="ck_student_grade"),
        UniqueConstraint("normalized_name", "date_of_birth", name="uq_student_identity"),
        # The student list shows the newest first, then sorts by id.
        Index("ix_student_created_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100), nullable=False)
    last_name: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    preferred_name: Mapped[str | None] = mapped_column(String(100))
    date_of_birth: Mapped[dt.date] = mapped_column(Date, nullable=False)
    grade: Mapped[int] = mapped_column(Integer, nullable=False)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), nullable=False, index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(10), nullable=False, default="en")
    home_languages: Mapped[str | None] = mapped_column(String(200))

    guardian_first_name: Mapped[str | None] = mapped_column(String(100))
    guardian_last_name: Mapped[str | None] = mapped_column(String(100))
    guardian_email: Mapped[str | None] = mapped_column(String(254))
    guardian_phone: Mapped[str | None] = mapped_column(String(20))

    needs: Mapped[list[str]] = mapped_column(CodeList, nullable=False, default=list)
    needs_other: Mapped[str | None] = mapped_column(String(200))
    needs_description: Mapped[str | None] = mapped_column(Text)
    availability: Mapped[list[str]] = mapped_column(CodeList, nullable=False, default=list)

    normalized_name: Mapped[str] = mapped_column(String(210), nullable=False)
    coordinator_notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )

    school: Mapped[School] = relationship(School)
    nominations = relationship("Nomination", back_populates="student")
    matches = relationship("Match", back_populates="student")

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def __str__(self) -> str:
        return self.name


class Mentor(Model):
    """A volunteer mentor with screening recorded as statuses and dates only.

    CORI and SORI reports are never stored, only whether and when they cleared.
    """

    __tablename__ = "mentor"
    __table_args__ = (
        CheckConstraint("capacity BETWEEN 1 AND 10", name="ck_mentor_capacity"),
        CheckConstraint(
            "grade_band_min BETWEEN 1 AND 12 AND grade_band_max BETWEEN 1 AND 12"
            " AND grade_band_min <= grade_band_max",
            name="ck_mentor_grade_band",
        ),
        CheckConstraint("training_hours >= 0", name="ck_mentor_training_hours"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100), nullable=False)
    last_name: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    email: Mapped[str] = mapped_column(String(254), nullable=False, unique=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"), unique=True)
    status: Mapped[MentorStatus] = mapped_column(
        enum_column_type(MentorStatus, "status"), nullable=False, default=MentorStatus.applicant
    )
    languages: Mapped[str | None] = mapped_column(String(200))
    subjects: Mapped[list[str]] = mapped_column(CodeList, nullable=False, default=list)
    grade_band_min: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    grade_band_max: Mapped[int] = mapped_column(Integer, nullable=False, default=12)
    availability: Mapped[list[str]] = mapped_column(CodeList, nullable=False, default=list)
    capacity: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    application_date: Mapped[dt.date | None] = mapped_column(Date)
    interview_date: Mapped[dt.date | None] = mapped_column(Date)
    references_checked: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    cori_status: Mapped[CheckStatus] = mapped_column(
        enum_column_type(CheckStatus, "cori_status"),
        nullable=False,
        default=CheckStatus.not_started,
    )
    cori_cleared_on: Mapped[dt.date | None] = mapped_column(Date)
    sori_status: Mapped[CheckStatus] = mapped_column(
        enum_column_type(CheckStatus, "sori_status"),
        nullable=False,
        default=CheckStatus.not_started,
    )
    sori_cleared_on: Mapped[dt.date | None] = mapped_column(Date)
    training_completed_on: Mapped[dt.date | None] = mapped_column(Date)
    training_hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )

    user = relationship(User)
    matches = relationship("Match", back_populates="mentor")

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def __str__(self) -> str:
        return self.name


def name_prefix_indexes(model) -> list[Index]:
    """Return indexes on the lowercased first and last names, for search by name prefix.

    On PostgreSQL ``text_pattern_ops`` lets ``lower(name) LIKE 'abc%'`` use the index
    whatever the database collation. SQLite uses the plain expression index for the
    range comparison that app.admin.match_search writes for it.
    """
    table = model.__tablename__
    indexes = []
    for column in ("first_name", "last_name"):
        label = f"{column}_lower"
        indexes.append(
            Index(
                f"ix_{table}_{label}",
                func.lower(getattr(model, column)).label(label),
                postgresql_ops={label: "text_pattern_ops"},
            )
        )
    return indexes


name_prefix_indexes(Student)
name_prefix_indexes(Mentor)
