"""Building blocks shared by the coordinator screens and the mentor portal.

``GuardedModelView`` rejects malformed list parameters with 400 instead of letting
Flask-AppBuilder fail with 500, and ``ProgramInterface`` turns database
constraint errors into plain messages and keeps list queries bounded.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from flask import abort, current_app, request
from flask_appbuilder import ModelView
from flask_appbuilder.models.filters import FilterRelation
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from wtforms.validators import StopValidation

from app.rules.errors import RuleViolation
from app.url_values import parse_record_id, parse_whole_number

logger = logging.getLogger(__name__)

COUNT_CAP = 1000
"""Lists count at most this many matching rows and page no deeper, so the cost of
COUNT and OFFSET stays fixed however long the program's history grows. Users
narrow a longer result with filters or a sort order."""

# Constraint name -> message shown when the database rejects a write.
CONSTRAINT_MESSAGES = {
    "uq_match_open_per_student": "This student already has a proposed or active match.",
    "uq_session_match_date_time": (
        "A session for this match on this date at this start time is already logged."
    ),
    "uq_student_identity": "A student with this name and date of birth already exists.",
    "school_dese_code_key": "A school with this DESE code already exists.",
    "mentor_email_key": "A mentor with this e-mail address already exists.",
    "mentor_user_id_key": "This login already belongs to another mentor.",
    "program_year_name_key": "A program year with this name already exists.",
    "uq_program_year_break_week": "This week is already a week without school in that year.",
}
GENERIC_CONFLICT_MESSAGE = (
    "The record was not saved because it conflicts with existing data. "
    "Check the values and try again."
)


DATABASE_ERROR_MESSAGE = "The record was not saved because of a database error. Please try again."


class RecordConflict(Exception):
    """A write the database rejected, with a message fit to show to the user."""


def conflict_message(error: IntegrityError) -> str:
    """Return the plain message for a constraint error, never the raw SQL."""
    text = str(error.orig)
    for name, message in CONSTRAINT_MESSAGES.items():
        if name in text:
            return message
    if "UNIQUE constraint failed: school.dese_code" in text:
        return CONSTRAINT_MESSAGES["school_dese_code_key"]
    if "UNIQUE constraint failed: mentor.email" in text:
        return CONSTRAINT_MESSAGES["mentor_email_key"]
    if "UNIQUE constraint failed: mentor.user_id" in text:
        return CONSTRAINT_MESSAGES["mentor_user_id_key"]
    if "UNIQUE constraint failed: match.student_id" in text:
        return CONSTRAINT_MESSAGES["uq_match_open_per_student"]
    if "UNIQUE constraint failed: student.normalized_name" in text:
        return CONSTRAINT_MESSAGES["uq_student_identity"]
    if "UNIQUE constraint failed: program_year.name" in text:
        return CONSTRAINT_MESSAGES["program_year_name_key"]
    if "UNIQUE constraint failed: program_year_break" in text:
        return CONSTRAINT_MESSAGES["uq_program_year_break_week"]
    if "UNIQUE constraint failed: mentoring_session" in text:
        return CONSTRAINT_MESSAGES["uq_session_match_date_time"]
    return GENERIC_CONFLICT_MESSAGE


class ProgramInterface(SQLAInterface):
    """FAB's SQLAlchemy interface with plain conflict messages and bounded list queries.

    ``list_load_options`` are SQLAlchemy loader options (``joinedload(...)``) applied
    to list queries, so listing related columns costs no query per row.
    """

    def __init__(self, obj, session=None, list_load_options=()):
        super().__init__(obj, session=session)
        self.list_load_options = tuple(list_load_options)

    def _write(self, operation, item, commit: bool) -> None:
        """Run a write; a constraint error becomes RecordConflict with a plain message.

        FAB's own add, edit and delete log every database error with a traceback at
        ERROR, so these do the session work themselves: a conflict is a user's
        mistake, logged as one WARNING line with the record type only.
        """
        try:
            operation(item)
            if commit:
                self.session.commit()
        except IntegrityError as exc:
            self.session.rollback()
            logger.warning(
                "%s not saved: constraint conflict (%s)",
                self.obj.__name__,
                exc.orig.__class__.__name__,
            )
            raise RecordConflict(conflict_message(exc)) from None
        except SQLAlchemyError:
            self.session.rollback()
            logger.exception("%s not saved: database error", self.obj.__name__)
            # The raw error text would show SQL to the user.
            raise RecordConflict(DATABASE_ERROR_MESSAGE) from None

    def add(self, item, commit: bool = True) -> None:
        self._write(self.session.add, item, commit)

    def edit(self, item, commit: bool = True) -> None:
        self._write(self.session.merge, item, commit)

    def delete(self, item, commit: bool = True) -> None:
        self._delete_files(item)
        self._write(self.session.delete, item, commit)

    def query_count(self, query, filters=None, select_columns=None) -> int:
        bounded = self._apply_inner_all(
            query, filters, select_columns=select_columns, aliases_mapping={}
        )
        return bounded.limit(COUNT_CAP + 1).count()

    def query(
        self,
        filters=None,
        order_column="",
        order_direction="",
        page=None,
        page_size=None,
        select_columns=None,
        outer_default_load=False,
    ):
        base = self.session.query(self.obj)
        count = self.query_count(base, filters, select_columns)
        query = self.apply_all(
            base,
            filters,
            order_column,
            order_direction,
            page,
            page_size,
            select_columns,
            outer_default_load,
        )
        if self.list_load_options and not select_columns:
            query = query.options(*self.list_load_options)
        return count, query.all()


_PAGE_ARG = re.compile(r"^page_(.+)$")
_PAGE_SIZE_ARG = re.compile(r"^psize_(.+)$")
_ORDER_ARG = re.compile(r"^_oc_(.+)$")
_FILTER_ARG = re.compile(r"^_flt_(\d+)_(.+)$")


def _whole_number(raw: str) -> int | None:
    return parse_whole_number(raw)


class FreshValidatorLists(dict):
    """``validators_columns`` that hands FAB a new list for each form it builds.

    FAB 5.3 appends its own validators (Length, InputRequired or Optional, Unique)
    to the list it gets from ``validators_columns``, so with one shared list the
    edit form ran the add form's validators a second time and showed each message twice.
    """

    def get(self, key, default=None):
        value = super().get(key, default)
        return list(value) if isinstance(value, list) else value


class GuardedModelView(ModelView):
    """A ModelView whose list, show, edit and delete reject malformed parameters.

    Flask-AppBuilder parses every ``page_*``/``psize_*`` argument with ``int()`` and
    trusts sort columns, filter indexes and primary keys, so nonsense in a URL
    would raise a 500. Here it gets a 400 (or a 404 for an unknown key).
    """

    datamodel: ProgramInterface
    page_size = 25

    def __init__(self, **kwargs):
        self.validators_columns = FreshValidatorLists(self.validators_columns or {})
        super().__init__(**kwargs)

    def _check_list_args(self, with_filters: bool = True) -> None:
        """Abort with 400 on a malformed page, page size, sort or (``with_filters``) filter.

        Show and edit pages check without filters, because their ``_flt_`` arguments
        pre-fill fields rather than search, and their related lists read only paging
        and sorting.
        """
        max_size = current_app.config["ILS_LIST_PAGE_SIZE_MAX"]
        name = self.__class__.__name__
        # This list and the related lists a show or edit page embeds, by class name.
        sortable = {type(view).__name__: view for view in [self, *(self._related_views or [])]}
        for arg, values in request.args.lists():
            value = values[0] if values else ""
            if match := _PAGE_ARG.match(arg):
                page = _whole_number(value)
                if page is None:
                    abort(400, description=f"Invalid page number in {arg}.")
                if match.group(1) == name and page * self._requested_page_size() >= COUNT_CAP:
                    abort(400, description=f"Lists page no deeper than {COUNT_CAP} rows.")
            elif _PAGE_SIZE_ARG.match(arg):
                size = _whole_number(value)
                if size is None or not 1 <= size <= max_size:
                    abort(400, description=f"Page size must be from 1 to {max_size}.")
            elif (match := _ORDER_ARG.match(arg)) and match.group(1) in sortable:
                if value not in sortable[match.group(1)].order_columns:
                    abort(400, description="Unknown sort column.")
                if request.args.get(f"_od_{match.group(1)}") not in ("asc", "desc"):
                    abort(400, description="Sort direction must be asc or desc.")
            elif with_filters and (match := _FILTER_ARG.match(arg)):
                self._check_filter(int(match.group(1)), match.group(2), values)

    def _requested_page_size(self) -> int:
        size = _whole_number(request.args.get(f"psize_{self.__class__.__name__}", ""))
        return size if size else self.page_size

    def _check_filter(
        self, index: int, column: str, values: list[str], searchable_only: bool = True
    ) -> None:
        if searchable_only:
            filters = self._filters.get_search_filters().get(column)
        else:
            # Add and edit pre-fill fields from filters on any column, as FAB does.
            filters = self._filters._all_filters.get(column)
        if filters is None:
            if searchable_only:
                abort(400, description="Unknown filter column.")
            return
        if index >= len(filters):
            abort(400, description="Unknown filter.")
        for value in values:
            self._check_filter_value(column, value, filters[index])

    def _check_filter_value(self, column: str, value: str, flt=None) -> None:
        if len(value) > 200:
            abort(400, description="Filter value is too long.")
        if self.datamodel.is_date(column) or self.datamodel.is_datetime(column):
            try:
                dt.date.fromisoformat(value.strip()[:10])
            except ValueError:
                abort(400, description="Dates in filters are written YYYY-MM-DD.")
        elif self.datamodel.is_integer(column) and _whole_number(value.lstrip("-")) is None:
            abort(400, description="This filter needs a whole number.")
        elif self.datamodel.is_enum(column) and value not in self._enum_codes(column):
            abort(400, description="Unknown value for this filter.")
        elif isinstance(flt, FilterRelation) and _whole_number(value) is None:
            # Only FAB's relation filters take a record id. A view's own filter on a
            # relation column (a name search, for example) takes text.
            abort(400, description="This filter needs a record id.")

    def _enum_codes(self, column: str) -> list[str]:
        return list(self.datamodel.list_columns[column].type.enums)

    def _check_prefill_args(self) -> None:
        """Check the ``_flt_`` arguments that FAB's add and edit use to pre-fill fields."""
        for arg, values in request.args.lists():
            if match := _FILTER_ARG.match(arg):
                self._check_filter(
                    int(match.group(1)), match.group(2), values, searchable_only=False
                )

    def _add(self):
        self._check_prefill_args()
        return super()._add()

    def _list(self, **kwargs):
        self._check_list_args()
        return super()._list(**kwargs)

    def _check_pk(self, pk) -> None:
        if parse_record_id(str(pk)) is None:
            abort(404)

    def _show(self, pk):
        self._check_pk(pk)
        self._check_list_args(with_filters=False)
        return super()._show(pk)

    def _edit(self, pk):
        self._check_pk(pk)
        self._check_prefill_args()
        return super()._edit(pk)

    def _delete(self, pk):
        self._check_pk(pk)
        return super()._delete(pk)


class RuleValidator:
    """A WTForms validator that runs a program rule on the field's data.

    ``check`` receives the field data and raises RuleViolation; its message becomes
    the field's error, so the form re-renders with the input kept. The error stops
    the field's later validators, so the field shows that one message.
    """

    def __init__(self, check) -> None:
        self.check = check

    def __call__(self, form, field) -> None:
        if field.data is None or field.data == "":
            return
        try:
            self.check(field.data)
        except RuleViolation as violation:
            raise StopValidation(violation.render()) from None
