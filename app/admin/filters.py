"""Search filters that find rows through a related table by typed text.

Flask-AppBuilder's filter for a relation is a dropdown of every related row. For
students, mentors, matches and nominations that table grows without bound, so the
coordinator screens search those by name or reference instead.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.filters import SQLAFilterConverter
from sqlalchemy import Time, or_
from sqlalchemy.sql import ColumnElement

from app.models import Match, Mentor, Nomination, School, Student


def contains_pattern(value: str) -> str:
    """Return a LIKE pattern that finds ``value`` anywhere, with its wildcards escaped."""
    escaped = value.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _name_condition(model, pattern: str) -> ColumnElement[bool]:
    return or_(
        model.first_name.ilike(pattern, escape="\\"),
        model.last_name.ilike(pattern, escape="\\"),
    )


def text_filter(label: str, condition: Callable[[str], ColumnElement[bool]]) -> type[BaseFilter]:
    """Return a filter class named ``label`` that keeps rows where ``condition(value)`` holds."""

    def apply(self, query, value):
        if not isinstance(value, str) or not value.strip():
            return query
        return query.filter(condition(value))

    return type(f"TextFilter_{abs(hash(label))}", (BaseFilter,), {"name": label, "apply": apply})


StudentNameFilter = text_filter(
    "Student name contains",
    lambda value: Match.student.has(_name_condition(Student, contains_pattern(value))),
)
StudentSchoolFilter = text_filter(
    "Student's school name contains",
    lambda value: Match.student.has(
        Student.school.has(School.name.ilike(contains_pattern(value), escape="\\"))
    ),
)
MentorNameFilter = text_filter(
    "Mentor name contains",
    lambda value: Match.mentor.has(_name_condition(Mentor, contains_pattern(value))),
)


def _match_person_condition(value: str) -> ColumnElement[bool]:
    pattern = contains_pattern(value)
    return or_(
        Match.student.has(_name_condition(Student, pattern)),
        Match.mentor.has(_name_condition(Mentor, pattern)),
    )


def session_match_filter() -> type[BaseFilter]:
    """Return the filter that finds sessions by the student's or mentor's name."""
    from app.models import MentoringSession

    return text_filter(
        "Student or mentor name contains",
        lambda value: MentoringSession.match.has(_match_person_condition(value)),
    )


def nomination_reference_filter() -> type[BaseFilter]:
    """Return the filter that finds status changes by the nomination's reference code."""
    from app.models import NominationStatusChange

    return text_filter(
        "Reference is",
        lambda value: NominationStatusChange.nomination.has(
            Nomination.reference == value.strip().upper()
        ),
    )


class AdminFilterConverter(SQLAFilterConverter):
    """FAB's filter converter, except for the columns listed in the interface's ``text_filters``."""

    def convert(self, col_name):
        custom = getattr(self.datamodel, "text_filters", {}).get(col_name)
        if custom:
            return [filter_class(col_name, self.datamodel) for filter_class in custom]
        column = self.datamodel.list_columns.get(col_name)
        if column is not None and isinstance(column.type, Time):
            # FAB has no time filters, and no screen searches by time of day.
            return []
        return super().convert(col_name)
