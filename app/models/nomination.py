"""Nominations from the public form and the record of every status change."""

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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.school import School
from app.models.types import CodeList, enum_column_type, utcnow
from app.rules.choices import NominationStatus, NominatorKind


class Nomination(Model):
    """One submission of the public nomination form.

    Field names match the public form and the REST API. ``reference`` is the random
    code shown to the nominator; ``normalized_name`` with the date of birth finds
    possible duplicates and the existing Student on acceptance.
    """

    __tablename__ = "nomination"
    __table_args__ = (
        CheckConstraint("student_grade BETWEEN 1 AND 12", name="ck_nomination_grade"),
        Index("ix_nomination_student_identity", "normalized_name", "student_date_of_birth"),
        Index("ix_nomination_status_submitted", "status", "submitted_at"),
        # The dashboard and funder report count nominations submitted in a program year.
        Index("ix_nomination_submitted", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True, nullable=False)
    status: Mapped[NominationStatus] = mapped_column(
        enum_column_type(NominationStatus, "status"), nullable=False, default=NominationStatus.new
    )
    submitted_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow, index=True
    )
    language: Mapped[str] = mapped_column(String(10), nullable=False, default="en")

    nominator_kind: Mapped[NominatorKind] = mapped_column(
        enum_column_type(NominatorKind, "nominator_kind"), nullable=False
    )
    nominator_first_name: Mapped[str] = mapped_column(String(100), nullable=False)
    nominator_last_name: Mapped[str] = mapped_column(String(100), nullable=False)
    nominator_email: Mapped[str] = mapped_column(String(254), nullable=False)
    nominator_phone: Mapped[str | None] = mapped_column(String(20))
    staff_role: Mapped[str | None] = mapped_column(String(100))

    guardian_first_name: Mapped[str | None] = mapped_column(String(100))
    guardian_last_name: Mapped[str | None] = mapped_column(String(100))
    guardian_email: Mapped[str | None] = mapped_column(String(254))
    guardian_phone: Mapped[str | None] = mapped_column(String(20))

    student_first_name: Mapped[str] = mapped_column(String(100), nullable=False)
    student_last_name: Mapped[str] = mapped_column(String(100), nullable=False)
    student_preferred_name: Mapped[str | None] = mapped_column(String(100))
    student_date_of_birth: Mapped[dt.date] = mapped_column(Date, nullable=False)
    student_grade: Mapped[int] = mapped_column(Integer, nullable=False)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), nullable=False, index=True)
    student_email: Mapped[str | None] = mapped_column(String(254))
    home_languages: Mapped[str | None] = mapped_column(String(200))

    needs: Mapped[list[str]] = mapped_column(CodeList, nullable=False, default=list)
    needs_other: Mapped[str | None] = mapped_column(String(200))
    needs_description: Mapped[str | None] = mapped_column(Text)
    availability: Mapped[list[str]] = mapped_column(CodeList, nullable=False, default=list)

    consent_privacy: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    consent_online_sessions: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    attest_relationship: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    normalized_name: Mapped[str] = mapped_column(String(210), nullable=False)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("nomination.id"), index=True)
    student_id: Mapped[int | None] = mapped_column(ForeignKey("student.id"), index=True)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    coordinator_notes: Mapped[str | None] = mapped_column(Text)
    status_changed_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )

    school: Mapped[School] = relationship(School)
    duplicate_of: Mapped[Nomination | None] = relationship(
        "Nomination", remote_side=[id], foreign_keys=[duplicate_of_id]
    )
    student = relationship("Student", back_populates="nominations")
    status_changes = relationship(
        "NominationStatusChange",
        back_populates="nomination",
        order_by="NominationStatusChange.changed_at",
        cascade="all, delete-orphan",
    )

    @property
    def possible_duplicate(self) -> bool:
        return self.duplicate_of_id is not None

    @property
    def student_name(self) -> str:
        return f"{self.student_first_name} {self.student_last_name}"

    @property
    def nominator_name(self) -> str:
        return f"{self.nominator_first_name} {self.nominator_last_name}"

    def __str__(self) -> str:
        return self.reference


class NominationStatusChange(Model):
    """One status change of a nomination: the user who made it and the time (UTC)."""

    __tablename__ = "nomination_status_change"
    # The dashboard finds the changes to "matched" made during a program year.
    __table_args__ = (Index("ix_status_change_to_status_at", "to_status", "changed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nomination.id", ondelete="CASCADE"), nullable=False, index=True
    )
    from_status: Mapped[NominationStatus | None] = mapped_column(
        enum_column_type(NominationStatus, "from_status")
    )
    to_status: Mapped[NominationStatus] = mapped_column(
        enum_column_type(NominationStatus, "to_status"), nullable=False
    )
    changed_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )
    # NULL for the public submission, which has no logged-in user.
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    note: Mapped[str | None] = mapped_column(Text)

    nomination = relationship(Nomination, back_populates="status_changes")
    changed_by = relationship(User)

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


class NominationStatusCount(Model):
    """The number of nominations in one status, kept current on write.

    app.services.status_counts adds each flush's changes in the same transaction,
    so the dashboard reads at most one row per status instead of counting every
    nomination. Rows written outside the ORM need ``flask ils refresh-figures``.
    """

    __tablename__ = "nomination_status_count"
    __table_args__ = (CheckConstraint("count >= 0", name="ck_nomination_status_count_count"),)

    status: Mapped[NominationStatus] = mapped_column(
        enum_column_type(NominationStatus, "status"), primary_key=True
    )
    count: Mapped[int] = mapped_column(Integer, nullable=False)
