"""CSV download of a coordinator list: the rows the list shows, under its current filters.

The list's own filter and sort arguments are parsed by Flask-AppBuilder
(``get_filter_args``, ``get_order_args``) after the same checks as the list
(nonsense gives 400), and the rows are streamed with ``yield_per``, never paged
with OFFSET. Mentor portal views are not AdminModelViews, so they have no download.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable, Iterator

from flask import Response, stream_with_context
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access, permission_name
from flask_appbuilder.urltools import get_filter_args, get_order_args

logger = logging.getLogger(__name__)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection)."""
STREAM_BATCH = 500


def neutralize_formula(value: object) -> str:
    """Return the cell as text, with a leading apostrophe if a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """Yield CSV text line by line, every cell passed through ``neutralize_formula``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralize_formula(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralize_formula(cell) for cell in row])
        if buffer.tell() > 8192:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(filename: str, lines: Iterator[str]) -> Response:
    return Response(
        stream_with_context(lines),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


class CsvExportMixin:
    """Adds ``/csv/`` to a ModelView: its list columns, as labelled on screen."""

    csv_columns: list[str] | None = None
    """Columns to export, or the list columns when None."""

    @expose("/csv/")
    @has_access
    @permission_name("export_csv")
    def csv(self):
        self._check_list_args()
        get_filter_args(self._filters)
        filters = self._base_filters.get_joined_filters(self._filters)
        order_column, order_direction = get_order_args().get(
            self.__class__.__name__, self.base_order or ("", "")
        )
        datamodel = self.datamodel
        query = datamodel.apply_all(
            datamodel.session.query(datamodel.obj), filters, order_column, order_direction
        )
        if datamodel.list_load_options:
            query = query.options(*datamodel.list_load_options)
        columns = self.csv_columns or self.list_columns
        header = [self.label_columns.get(column, column) for column in columns]
        logger.info("%s CSV export started", self.__class__.__name__)
        return csv_response(
            f"{self.class_permission_name.lower()}.csv",
            csv_lines(header, self._csv_rows(query.yield_per(STREAM_BATCH), columns)),
        )

    def _csv_rows(self, items, columns) -> Iterator[list[object]]:
        for item in items:
            row = []
            for column in columns:
                value = self.datamodel._get_attr_value(item, column)
                formatter = self.formatters_columns.get(column)
                row.append(formatter(value) if formatter else value)
            yield row
