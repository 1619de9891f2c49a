"""The base of every coordinator screen: rule errors next to fields, plain conflict messages.

Flask-AppBuilder's add and edit flash any error raised while saving and redirect,
so the coordinator loses what they typed. ``AdminModelView`` re-renders the form
instead: a RuleViolation from ``check_item`` goes under its field, and a database
conflict (RecordConflict) is flashed above the form, with the input kept in both cases.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from flask import abort, flash, g, request
from flask_appbuilder.urltools import (
    get_filter_args,
    get_order_args,
    get_page_args,
    get_page_size_args,
)
from wtforms import Form

from app.admin.csv_export import CsvExportMixin
from app.admin.filters import AdminFilterConverter
from app.models.types import utcnow
from app.rules.choices import AVAILABILITY_CODES, TimeBand, Weekday
from app.rules.errors import RuleViolation
from app.rules.timezone import PROGRAM_TZ, program_today
from app.services.program_years import years_around
from app.viewkit import GuardedModelView, ProgramInterface, RecordConflict

logger = logging.getLogger(__name__)


def program_date() -> dt.date:
    """Return today's date in Boston, the program's time zone."""
    return program_today(utcnow())


def render_without_year(view, title: str, today: dt.date, **context):
    """Render the page shown when no program year contains ``today``, naming the years around it."""
    previous_year, next_year = years_around(today)
    return view.render_template(
        "admin/no_program_year.html",
        title=title,
        previous_year=previous_year,
        next_year=next_year,
        **context,
    )


def current_user_id() -> int | None:
    user = getattr(g, "user", None)
    return user.id if user is not None and user.is_authenticated else None


def boston_time(value: dt.datetime | None) -> str:
    """Format a stored UTC timestamp in Boston time. SQLite returns naive values, which are UTC."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(PROGRAM_TZ).strftime("%Y-%m-%d %H:%M")


def code_labels(enum_class) -> Callable[[Iterable[str]], str]:
    """Return a formatter that shows a list of codes as their labels, comma-separated."""

    def format_codes(codes: Iterable[str] | None) -> str:
        labels = []
        for code in codes or []:
            member = enum_class.__members__.get(code)
            labels.append(member.value if member is not None else code)
        return ", ".join(labels)

    return format_codes


def clock_time(value: dt.time | None) -> str:
    """Format a time of day as hours and minutes (16:00), without seconds."""
    return value.strftime("%H:%M") if value is not None else ""


_WEEK_POSITION = {code: position for position, code in enumerate(AVAILABILITY_CODES)}


def in_week_order(codes: Iterable[str] | None) -> list[str]:
    """Return availability codes by weekday, then time band. Unknown codes go last, as stored."""
    return sorted(codes or [], key=lambda code: _WEEK_POSITION.get(code, len(_WEEK_POSITION)))


def availability_labels(codes: Iterable[str] | None) -> str:
    """Show availability codes such as ``mon_afternoon`` as "Monday after school (3-5 pm)".

    The labels follow the week (Monday first), then the time of day, whatever the stored order.
    """
    labels = []
    for code in in_week_order(codes):
        day, _, band = code.partition("_")
        weekday = Weekday.__members__.get(day)
        time_band = TimeBand.__members__.get(band)
        if weekday is None or time_band is None:
            labels.append(code)
        else:
            labels.append(f"{weekday.value} {time_band.value[0].lower()}{time_band.value[1:]}")
    return ", ".join(labels)


def display_value(value: object) -> object:
    """Show a missing value as blank and a boolean as Yes or No. Other values pass unchanged."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return value


def show_violation(form: Form, violation: RuleViolation, aliases: dict[str, str]) -> None:
    """Put the rule's message under its form field, or flash it when the form has no such field."""
    name = aliases.get(violation.field, violation.field)
    field = form._fields.get(name) if name else None
    if field is None:
        flash(violation.render(), "danger")
        return
    field.errors = [*field.errors, violation.render()]


class AdminInterface(ProgramInterface):
    """ProgramInterface with name-search filters on relations and computed list columns.

    ``text_filters`` maps a column to filter classes that replace the default ones.
    They let a coordinator search a large related table by typing a name, so the
    search form never lists every row of it. ``computed_columns`` maps a column
    name to a function of the row, for list and show columns the model does not have.
    """

    def __init__(self, obj, session=None, list_load_options=(), text_filters=None, computed=None):
        self.filter_converter_class = AdminFilterConverter
        self.text_filters = dict(text_filters or {})
        self.computed_columns = dict(computed or {})
        super().__init__(obj, session=session, list_load_options=list_load_options)

    def _get_attr_value(self, item, col):
        compute = self.computed_columns.get(col)
        if compute is not None:
            return compute(item)
        return super()._get_attr_value(item, col)


class AdminModelView(CsvExportMixin, GuardedModelView):
    """A coordinator screen whose add and edit keep the input on every error.

    Its list has a CSV download of the rows it shows (CsvExportMixin).

    Subclasses raise RuleViolation from ``check_item`` for rules that span fields or
    need the database. ``field_aliases`` maps a rule's field name (``student_grade``)
    to the form field it belongs to (``grade``).
    """

    datamodel: AdminInterface
    field_aliases: dict[str, str] = {}
    list_template = "admin/list.html"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        displayed_columns = {*self.list_columns, *self.show_columns}
        self.formatters_columns = {
            **{column: display_value for column in displayed_columns},
            **self.formatters_columns,
        }

    def check_item(self, item, is_created: bool) -> None:
        """Raise RuleViolation when ``item``, filled from the form, breaks a program rule."""

    def show_extra(self, item) -> dict[str, object]:
        """Return the values the show template needs beyond the fields (history, links)."""
        return {}

    def _get_show_widget(self, pk, item, widgets=None, actions=None, show_fieldsets=None):
        widgets = super()._get_show_widget(
            pk, item, widgets=widgets, actions=actions, show_fieldsets=show_fieldsets
        )
        widgets["extra"] = {"item": item, **self.show_extra(item)}
        return widgets

    def _save(self, form, item, is_created: bool) -> bool:
        """Write ``item`` from ``form``. Return False, with the error shown, when that failed."""
        self.process_form(form, is_created)
        form.populate_obj(item)
        session = self.datamodel.session
        try:
            with session.no_autoflush:
                self.check_item(item, is_created)
                if is_created:
                    self.pre_add(item)
                else:
                    self.pre_update(item)
            if is_created:
                self.datamodel.add(item)
            else:
                self.datamodel.edit(item)
        except RuleViolation as violation:
            session.rollback()
            show_violation(form, violation, self.field_aliases)
            return False
        except RecordConflict as conflict:
            logger.warning("%s save rejected by a constraint", self.__class__.__name__)
            flash(str(conflict), "danger")
            return False
        if is_created:
            self.post_add(item)
            flash(self.add_row_message, "success")
        else:
            self.post_update(item)
            flash(self.edit_row_message, "success")
        return True

    def _add(self):
        self._check_prefill_args()
        get_filter_args(self._filters, disallow_if_not_in_search=False)
        exclude_cols = self._filters.get_relation_cols()
        form = self.add_form.refresh()
        if request.method == "POST":
            self._fill_form_exclude_cols(exclude_cols, form)
            if form.validate() and self._save(form, self.datamodel.obj(), is_created=True):
                return None
        else:
            self.prefill_add_form(form)
            self.update_redirect()
        return self._get_add_widget(form=form, exclude_cols=exclude_cols)

    def prefill_add_form(self, form) -> None:
        """Fill add form defaults from the request (a GET), such as the match to log for."""

    def _edit(self, pk):
        self._check_pk(pk)
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        if request.method == "POST":
            form = self.edit_form.refresh(request.form)
            form._id = item.id
            if form.validate() and self._save(form, item, is_created=False):
                return None
        else:
            form = self.edit_form.refresh(obj=item)
            self.prefill_form(form, pk)
            self.update_redirect()
        return self._edit_widgets(form, item)

    def _edit_widgets(self, form, item) -> dict:
        """Return the edit form's widgets with the related lists FAB's edit.html shows.

        The template indexes ``widgets["related_views"]`` for every view named in
        ``related_views``, so leaving them out makes the page fail to render.
        """
        self._check_list_args(with_filters=False)
        widgets = self._get_edit_widget(form=form)
        return self._get_related_views_widgets(
            item,
            orders=get_order_args(),
            pages=get_page_args(),
            page_sizes=get_page_size_args(),
            widgets=widgets,
        )

    def _delete(self, pk):
        self._check_pk(pk)
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        try:
            self.pre_delete(item)
        except RuleViolation as violation:
            flash(violation.render(), "danger")
            return
        try:
            self.datamodel.delete(item)
        except RecordConflict as conflict:
            flash(str(conflict), "danger")
        else:
            self.post_delete(item)
            flash(self.delete_row_message, "success")
        self.update_redirect()
