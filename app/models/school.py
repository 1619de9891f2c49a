"""BPS schools, seeded from the DESE directory and edited by coordinators."""

from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import Boolean, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column


class School(Model):
    """A Boston Public School. Retired schools stay for history but leave the public form."""

    __tablename__ = "school"
    __table_args__ = (CheckConstraint("length(dese_code) = 8", name="ck_school_dese_code_length"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dese_code: Mapped[str] = mapped_column(String(8), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    retired: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    def __str__(self) -> str:
        return self.name
