"""The base class of every REST API: JSON errors naming the field, guarded arguments.

``ProgramApi`` returns 422 with ``{"message": {field: [message]}}`` for a rule
violation, 409 with a plain message for a conflict with another row, 400 for a
malformed ``q`` argument or body, and 404 for an impossible primary key. So no
request reaches Flask-AppBuilder's generic 500 or shows SQL to the client.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import current_app, g, request
from flask_appbuilder.api import ModelRestApi
from flask_appbuilder.exceptions import ApplyFilterException, DatabaseException
from flask_appbuilder.hooks import before_request
from flask_babel import gettext
from marshmallow import ValidationError, fields
from sqlalchemy.exc import IntegrityError, StatementError
from werkzeug.wrappers import Response

from app.api.errors import (
    INVALID_VALUE_MESSAGE,
    InvalidBody,
    NotFound,
    bad_list_arguments,
    is_bad_value,
)
from app.api.query_args import (
    QueryArgError,
    check_columns,
    check_filters,
    check_paging,
    check_rison_parses,
    parse_pk,
)
from app.api.schemas import ProgramSchemaConverter
from app.extensions import db
from app.models.types import utcnow
from app.rules.errors import RuleViolation
from app.rules.timezone import program_today
from app.services.errors import ConflictError
from app.viewkit import ProgramInterface, RecordConflict, conflict_message

logger = logging.getLogger(__name__)


def program_today_now():
    """Return today's date in Boston, the day every program rule is judged on."""
    return program_today(utcnow())


def current_user_id() -> int | None:
    user = getattr(g, "user", None)
    return getattr(user, "id", None)


def json_body() -> dict[str, Any]:
    """Return the request's JSON object, or raise InvalidBody when the body is not one."""
    if not request.is_json:
        raise InvalidBody("Send the request body as JSON (Content-Type: application/json).")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidBody("Send the request body as one JSON object.")
    return body


class ApiInterface(ProgramInterface):
    """ProgramInterface for the API, whose list queries may select related columns.

    With dotted select columns (``student.first_name``) Flask-AppBuilder adds the
    related entity to the query, so rows come back as tuples. This interface
    returns the model objects instead, as Flask-AppBuilder's own interface does.
    """

    def query(self, *args: Any, **kwargs: Any):
        count, rows = super().query(*args, **kwargs)
        name = self.obj.__name__
        items = [getattr(row, name) if hasattr(row, name) else row for row in rows]
        if items and self.list_load_options and kwargs.get("select_columns"):
            # FAB's select-column query cannot take loader options, so one more query
            # loads the listed relationships for the whole page instead of one per row.
            ids = [item.id for item in items]
            self.session.query(self.obj).filter(self.obj.id.in_(ids)).options(
                *self.list_load_options
            ).all()
        return count, items


class ProgramApi(ModelRestApi):
    """A ModelRestApi with the program's schemas, error responses and argument checks.

    Subclasses call rule functions and services from the ``pre_*`` hooks or their
    own endpoints and let RuleViolation, ServiceError and NotFound propagate.
    ``rule_fields`` renames a rule's field to the API field (``student`` to
    ``student_id``). JWT only: ``allow_browser_login`` stays False, because
    cookie-authenticated API writes would skip the CSRF check.
    """

    allow_browser_login = False
    page_size = 25
    code_lists: Mapping[str, Iterable[str]] = {}
    extra_fields: Mapping[str, fields.Field] = {}
    rule_fields: Mapping[str, str] = {}

    def __init__(self) -> None:
        super().__init__()
        self.model2schemaconverter = ProgramSchemaConverter(
            self.datamodel, self.code_lists, self.extra_fields
        )

    def _routed(self, method: str) -> bool:
        included = self.include_route_methods is None or method in self.include_route_methods
        return included and method not in self.exclude_route_methods

    def _init_model_schemas(self) -> None:
        # FAB fills unset add and edit columns with every column, relations included,
        # so an API without POST or PUT gets an id-only schema for them instead.
        if not self._routed("post"):
            self.add_columns = ["id"]
        if not self._routed("put"):
            self.edit_columns = ["id"]
        super()._init_model_schemas()

    # Responses

    def field_errors(self, status: int, field: str, message: str) -> Response:
        return self.response(status, message={self.rule_fields.get(field, field): [message]})

    def respond(self, action: Callable[[], Response]) -> Response:
        """Run ``action`` and turn the program's exceptions into JSON responses."""
        try:
            return action()
        except (QueryArgError, InvalidBody) as error:
            db.session.rollback()
            return self.response_400(message=str(error))
        except ValidationError as error:
            db.session.rollback()
            return self.response_422(message=error.messages)
        except NotFound:
            db.session.rollback()
            logger.warning(
                "%s: row not found or not visible to user %s", self.resource_name, current_user_id()
            )
            return self.response_404()
        except ConflictError as error:
            db.session.rollback()
            logger.warning("%s: conflict on %s rejected", self.resource_name, error.field)
            return self.field_errors(409, error.field, error.render(gettext))
        except RuleViolation as error:
            db.session.rollback()
            logger.info("%s: rule on %s rejected the request", self.resource_name, error.field)
            return self.field_errors(422, error.field, error.render(gettext))
        except RecordConflict as error:
            db.session.rollback()
            return self.response(409, message=str(error))
        except (IntegrityError, DatabaseException, StatementError) as error:
            return self._database_error(error)

    def _database_error(self, error: Exception) -> Response:
        db.session.rollback()
        cause = error.__cause__ if isinstance(error, DatabaseException) else error
        if isinstance(cause, IntegrityError):
            logger.warning("%s write rejected by a constraint", self.resource_name)
            return self.response(409, message=conflict_message(cause))
        if is_bad_value(cause):
            logger.warning(
                "%s write rejected by the database: %s",
                self.resource_name,
                type(getattr(cause, "orig", cause)).__name__,
            )
            return self.response_422(message=INVALID_VALUE_MESSAGE)
        # A lost connection or a similar failure of the server itself stays a 500.
        raise error

    # Reads

    @before_request(only=["get_list", "get", "info"])
    def check_query_parses(self) -> Response | None:
        """Return 400 for a ``q`` that crashes the Rison parser.

        Flask-AppBuilder runs this hook before the login check, so an anonymous
        request with such a ``q`` gets 400 rather than 401. It reads no data either way.
        """
        value = request.args.get("q")
        if value is None:
            return None
        try:
            check_rison_parses(value)
        except QueryArgError as error:
            return self.response_400(message=str(error))
        return None

    def get_list_headless(self, **kwargs: Any) -> Response:
        # NOTE: Flask-AppBuilder keeps the client's filters on the API instance, so
        # threads of one worker serving lists at once could mix them. The base
        # filters are joined per request, so the row scope still applies.
        args = kwargs.get("rison", {})

        def run() -> Response:
            check_columns(args, self.list_columns)
            check_paging(args, self.max_page_size or current_app.config["FAB_API_MAX_PAGE_SIZE"])
            check_filters(args, self.datamodel, self._filters.get_search_filters())
            try:
                return super(ProgramApi, self).get_list_headless(**kwargs)
            except (StatementError, ApplyFilterException) as error:
                if not bad_list_arguments(error):
                    raise
                db.session.rollback()
                logger.warning("%s list query failed: %s", self.resource_name, type(error).__name__)
                raise QueryArgError("The list arguments could not be applied.") from None

        return self.respond(run)

    def get_headless(self, pk, **kwargs: Any) -> Response:
        key = parse_pk(pk)
        if key is None:
            return self.response_404()

        def run() -> Response:
            check_columns(kwargs.get("rison", {}), self.show_columns)
            return super(ProgramApi, self).get_headless(key, **kwargs)

        return self.respond(run)

    def get_visible(self, pk: Any):
        """Return the row with ``pk`` through the base filters, or raise NotFound."""
        key = parse_pk(pk)
        item = self.datamodel.get(key, self._base_filters) if key is not None else None
        if item is None:
            raise NotFound()
        return item

    # Writes

    def post_headless(self) -> Response:
        return self.respond(self.add_from_request)

    def add_from_request(self) -> Response:
        """Load the body with the add schema, run ``pre_add``, insert, and return 201."""
        item = self.add_model_schema.load(json_body())
        self.pre_add(item)
        self.datamodel.add(item)
        self.post_add(item)
        return self.response(
            201,
            id=self.datamodel.get_pk_value(item),
            result=self.show_model_schema.dump(item),
        )

    def put_headless(self, pk) -> Response:
        return self.respond(lambda: self.edit_from_request(pk))

    def edit_from_request(self, pk) -> Response:
        """Load the body over the visible row, run ``check_update``, save, and return 200."""
        body = json_body()
        item = self.get_visible(pk)
        original = self.edit_model_schema.dump(item)
        data = {**original, **body}
        with db.session.no_autoflush:
            item = self.edit_model_schema.load(data, instance=item)
            self.check_update(item, original)
        self.datamodel.edit(item)
        self.post_update(item)
        return self.response(200, result=self.show_model_schema.dump(item))

    def check_update(self, item, original: dict[str, Any]) -> None:
        """Override this: raise RuleViolation or NotFound to reject an edit.

        ``original`` contains the edit columns as stored, dumped by the edit schema.
        Runs with autoflush off, so queries here do not write the half-edited row.
        """
        self.pre_update(item)

    def delete_headless(self, pk) -> Response:
        def run() -> Response:
            item = self.get_visible(pk)
            self.pre_delete(item)
            self.datamodel.delete(item)
            self.post_delete(item)
            return self.response(200, message="OK")

        return self.respond(run)
