""" "My students": the logged-in mentor's open matches, one card per student.

A card shows only what a mentor may see: the student's name, grade, school,
areas of need and availability, the meeting slot and Meet link, and the minutes
held this school week. Date of birth, family contacts, the nominator and
coordinator notes never reach the template.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_appbuilder.models.sqla.filters import FilterEqualFunction, FilterInFunction
from flask_appbuilder.widgets import RenderTemplateWidget
from sqlalchemy.orm import joinedload

from app.admin.base import in_week_order
from app.models import Match, Student
from app.models.types import utcnow
from app.portal.scope import UNSCOPED_ROUTES, open_match_statuses
from app.portal.weekly import SchoolWeek, held_minutes_by_match
from app.rules.choices import MatchStatus, Need, TimeBand, Weekday
from app.security import current_mentor_id
from app.viewkit import GuardedModelView, ProgramInterface

MEET_LINK_PREFIX = "https://meet.google.com/"


@dataclass(frozen=True)
class StudentCard:
    """The fields of one match and its student that a mentor may see."""

    match_id: int
    student_name: str
    grade: int
    school: str
    needs: list[str]
    availability: list[str]
    slot: str
    meet_link: str
    meet_link_is_safe: bool
    status: str
    is_active: bool
    start_date: dt.date
    minutes_held: int
    target_minutes: int | None
    """None in a week without a weekly target (no school, or outside every program year)."""
    no_target_reason: str | None = None

    @property
    def target_met(self) -> bool:
        return self.target_minutes is not None and self.minutes_held >= self.target_minutes


def display_name(student: Student) -> str:
    """Return the preferred name (or first name) and the last name."""
    return f"{student.preferred_name or student.first_name} {student.last_name}"


def need_labels(student: Student) -> list[str]:
    labels = []
    for code in student.needs:
        if code == Need.other.name and student.needs_other:
            labels.append(f"{Need.other.value}: {student.needs_other}")
        elif code in Need.__members__:
            labels.append(Need[code].value)
    return labels


def availability_labels(codes: list[str]) -> list[str]:
    """Return labels such as "Tuesday, After school (3-5 pm)" for codes like ``tue_afternoon``.

    The labels follow the week (Monday first), then the time of day, whatever the stored order.
    """
    labels = []
    for code in in_week_order(codes):
        day, _, band = code.partition("_")
        if day in Weekday.__members__ and band in TimeBand.__members__:
            labels.append(f"{Weekday[day].value}, {TimeBand[band].value}")
    return labels


def build_card(match: Match, minutes_held: int, week: SchoolWeek) -> StudentCard:
    student = match.student
    return StudentCard(
        match_id=match.id,
        student_name=display_name(student),
        grade=student.grade,
        school=student.school.name,
        needs=need_labels(student),
        availability=availability_labels(student.availability),
        slot=f"{match.slot_weekday.value} {match.slot_time:%H:%M}",
        meet_link=match.meet_link,
        meet_link_is_safe=match.meet_link.startswith(MEET_LINK_PREFIX),
        status=match.status.value,
        is_active=match.status is MatchStatus.active,
        start_date=match.start_date,
        minutes_held=minutes_held,
        target_minutes=week.target_minutes,
        no_target_reason=week.no_target_reason,
    )


def build_cards(matches: list[Match], week: SchoolWeek) -> list[StudentCard]:
    """Build one card per match, with the week's minutes from one aggregate query."""
    minutes = held_minutes_by_match([match.id for match in matches], week)
    return [build_card(match, minutes.get(match.id, 0), week) for match in matches]


class StudentCardsWidget(RenderTemplateWidget):
    template = "portal/student_cards.html"


class MyStudentsView(GuardedModelView):
    """The mentor's proposed and active matches, read only.

    Only ``list`` and ``show`` are routed: add, edit, delete, list actions and
    download are not registered, so they return 404 like a row of another mentor.
    """

    datamodel = ProgramInterface(
        Match, list_load_options=[joinedload(Match.student).joinedload(Student.school)]
    )
    class_permission_name = "MyStudents"
    base_permissions = ["can_list", "can_show"]
    exclude_route_methods = UNSCOPED_ROUTES | {"add", "edit", "delete"}
    base_filters = [
        ["mentor_id", FilterEqualFunction, current_mentor_id],
        ["status", FilterInFunction, open_match_statuses],
    ]
    base_order = ("start_date", "asc")
    list_columns = ["student", "start_date", "status"]
    show_columns = list_columns
    # FAB builds add and edit forms even when their routes are excluded, so keep them small.
    add_columns = ["start_date"]
    edit_columns = ["start_date"]
    order_columns = ["start_date"]
    # The search form is not shown. Naming the columns keeps FAB from building
    # filters and dropdowns for every column, students and users included.
    search_columns = ["start_date"]
    list_title = "My students"
    show_title = "My student"
    list_template = "portal/my_students.html"
    show_template = "portal/my_student.html"

    def _get_list_widget(
        self,
        filters,
        actions=None,
        order_column="",
        order_direction="",
        page=None,
        page_size=None,
        widgets=None,
        **kwargs,
    ):
        widgets = widgets or {}
        page_size = page_size or self.page_size
        if not order_column and self.base_order:
            order_column, order_direction = self.base_order
        count, matches = self.datamodel.query(
            filters.get_joined_filters(self._base_filters),
            order_column,
            order_direction,
            page=page,
            page_size=page_size,
        )
        week = SchoolWeek.containing(utcnow())
        widgets["list"] = StudentCardsWidget(
            cards=build_cards(matches, week),
            week=week,
            count=count,
            page=page,
            page_size=page_size,
            modelview_name=self.__class__.__name__,
            show_links=True,
        )
        return widgets

    def _get_show_widget(self, pk, item, widgets=None, actions=None, show_fieldsets=None):
        widgets = widgets or {}
        week = SchoolWeek.containing(utcnow())
        widgets["show"] = StudentCardsWidget(
            cards=build_cards([item], week),
            week=week,
            count=1,
            page=None,
            page_size=self.page_size,
            modelview_name=self.__class__.__name__,
            show_links=False,
        )
        return widgets
