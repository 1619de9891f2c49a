"""The funder report of a program year: a printable page, CSV and XLSX downloads.

The report contains counts only. A list of matches with names is added only when
the coordinator requests it (``detail=1``).
"""

from __future__ import annotations

import io
import logging

import xlsxwriter
from flask import Response, abort, request
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access, permission_name
from sqlalchemy import select

from app.admin.base import program_date
from app.admin.csv_export import csv_lines, csv_response
from app.extensions import db
from app.models import ProgramYear
from app.services.program_years import span_of, year_by_id
from app.services.reports import DetailRow, FunderReport, funder_detail, funder_report

logger = logging.getLogger(__name__)

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DEFINITIONS = [
    (
        "students_nominated",
        "Students nominated",
        "Distinct students (normalized name and date of birth) with a nomination submitted "
        "between the first and last day, Boston time. A duplicate nomination counts once.",
    ),
    (
        "students_matched",
        "Students matched",
        "Distinct students with a match that was active at some point during the year.",
    ),
    (
        "students_served",
        "Students served",
        "Distinct students with at least one session with the outcome held in the year.",
    ),
    (
        "hours_held",
        "Hours held",
        "Minutes of sessions with the outcome held, dated inside the year, divided by 60.",
    ),
    (
        "weeks_on_target",
        "Share of weeks on target",
        "Weeks with 60 held minutes or more, over counted weeks, summed over the matches that "
        "ran in the year. Weeks without school do not count, and a partial week counts only "
        "when on target.",
    ),
    ("matches_ran", "Matches that ran", "Matches active at some point during the year."),
    (
        "matches_to_year_end",
        "Matches lasting to the end of the year",
        "Matches that ran in the year and were open on its last day or closed on that day. "
        "Before the last day, the report counts the matches open so far.",
    ),
    (
        "closures",
        "Closures by reason",
        "Matches that ran and were closed between the first and last day, by reason.",
    ),
    (
        "proposals_closed",
        "Proposed matches closed without starting",
        "Matches closed between the first and last day before they were ever active.",
    ),
]
DETAIL_HEADER = [
    "Match id",
    "Student",
    "Mentor",
    "School",
    "Grade",
    "Start date",
    "Closed on",
    "Close reason",
    "Hours held",
    "Weeks on target",
    "Weeks counted",
]


def detail_argument() -> bool:
    raw = request.args.get("detail", "")
    if raw not in ("", "0", "1"):
        abort(400, description="Invalid detail argument: use 0 or 1.")
    return raw == "1"


PROPOSALS_CLOSED_LABEL = "Proposed matches closed without starting"


def summary_rows(report: FunderReport) -> list[tuple[str, object]]:
    """Return (figure, value) pairs in the order of DEFINITIONS, closures last."""
    share = report.weeks_on_target
    ratio = f"{share.ratio * 100:.1f} %" if share.ratio is not None else "no weeks counted"
    rows = [
        ("Students nominated", report.students_nominated),
        ("Students matched", report.students_matched),
        ("Students served", report.students_served),
        ("Hours held", f"{report.hours_held:.1f}"),
        ("Share of weeks on target", f"{ratio} ({share.on_target} of {share.counted})"),
        ("Matches that ran", report.matches_ran),
        (year_end_label(report), report.matches_to_year_end),
    ]
    rows.extend((f"Closed: {reason}", count) for reason, count in report.closures_by_reason)
    rows.append((PROPOSALS_CLOSED_LABEL, report.proposals_closed))
    return rows


def year_end_label(report: FunderReport) -> str:
    """Return the label of the year-end figure, which counts open matches so far mid-year."""
    if report.year_over:
        return "Matches lasting to the end of the year"
    return "Matches open so far (the year has not ended)"


HOURS_FORMAT = "0.0"
SHARE_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"
"""Excel number format of the date cells, the ISO order the CSV and the page use."""


def sheet_summary_rows(report: FunderReport) -> list[tuple[str, object, str | None]]:
    """Return (figure, value, number format) for the XLSX summary, numbers as numbers.

    The page and CSV show the share as one text, such as "85.0 % (17 of 20)". A sheet
    gets the ratio as a percentage cell and the two week counts on rows of their own.
    """
    share = report.weeks_on_target
    ratio = share.ratio if share.ratio is not None else "no weeks counted"
    rows: list[tuple[str, object, str | None]] = [
        ("Students nominated", report.students_nominated, None),
        ("Students matched", report.students_matched, None),
        ("Students served", report.students_served, None),
        ("Hours held", report.hours_held, HOURS_FORMAT),
        ("Share of weeks on target", ratio, SHARE_FORMAT),
        ("Weeks on target", share.on_target, None),
        ("Weeks counted", share.counted, None),
        ("Matches that ran", report.matches_ran, None),
        (year_end_label(report), report.matches_to_year_end, None),
    ]
    rows.extend((f"Closed: {reason}", count, None) for reason, count in report.closures_by_reason)
    rows.append((PROPOSALS_CLOSED_LABEL, report.proposals_closed, None))
    return rows


def detail_values(row: DetailRow) -> list[object]:
    return [
        row.match_id,
        row.student,
        row.mentor,
        row.school,
        row.grade,
        row.start.isoformat(),
        row.closed_on.isoformat() if row.closed_on else "",
        row.close_reason,
        f"{row.hours_held:.1f}",
        row.weeks_on_target,
        row.weeks_counted,
    ]


def xlsx_bytes(year: ProgramYear, report: FunderReport, detail: list[DetailRow] | None) -> bytes:
    """Build the workbook: Summary, Definitions and, when asked for, Matches.

    Text goes through ``write_string``, because ``write`` would turn text starting
    with "=" into a formula.
    """
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    formats = {
        HOURS_FORMAT: workbook.add_format({"num_format": HOURS_FORMAT}),
        SHARE_FORMAT: workbook.add_format({"num_format": SHARE_FORMAT}),
        DATE_FORMAT: workbook.add_format({"num_format": DATE_FORMAT}),
    }
    summary = workbook.add_worksheet("Summary")
    summary.write_string(0, 0, f"Funder report {year.name}", bold)
    summary.write_string(1, 0, f"{year.first_day} to {year.last_day}")
    for index, (label, value, number_format) in enumerate(sheet_summary_rows(report), start=3):
        summary.write_string(index, 0, label)
        _write_cell(summary, index, 1, value, formats.get(number_format))
    summary.set_column(0, 0, 42)
    definitions = workbook.add_worksheet("Definitions")
    for index, (_, label, text) in enumerate(DEFINITIONS):
        definitions.write_string(index, 0, label, bold)
        definitions.write_string(index, 1, text)
    if detail is not None:
        sheet = workbook.add_worksheet("Matches")
        for column, label in enumerate(DETAIL_HEADER):
            sheet.write_string(0, column, label, bold)
        hours_column = DETAIL_HEADER.index("Hours held")
        date_columns = {
            DETAIL_HEADER.index("Start date"): lambda row: row.start,
            DETAIL_HEADER.index("Closed on"): lambda row: row.closed_on,
        }
        for index, row in enumerate(detail, start=1):
            for column, value in enumerate(detail_values(row)):
                if column == hours_column:
                    sheet.write_number(index, column, row.hours_held, formats[HOURS_FORMAT])
                elif column in date_columns:
                    day = date_columns[column](row)
                    if day is not None:
                        sheet.write_datetime(index, column, day, formats[DATE_FORMAT])
                else:
                    _write_cell(sheet, index, column, value)
        for column in date_columns:
            sheet.set_column(column, column, 11)
    workbook.close()
    return output.getvalue()


def _write_cell(sheet, row: int, column: int, value: object, cell_format=None) -> None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        sheet.write_number(row, column, value, cell_format)
    else:
        sheet.write_string(row, column, str(value))


class FunderReportView(BaseView):
    """The yearly report for funders: counts on a printable page and as CSV and XLSX."""

    route_base = "/funderreport"
    default_view = "index"
    class_permission_name = "FunderReport"

    @expose("/")
    @has_access
    def index(self):
        years = db.session.execute(
            select(ProgramYear).order_by(ProgramYear.first_day.desc())
        ).scalars()
        return self.render_template(
            "admin/funder_years.html", title="Funder report", years=list(years)
        )

    def _load(self, year_id: int):
        year = year_by_id(year_id)
        if year is None:
            abort(404, description=f"Program year {year_id} not found.")
        with_detail = detail_argument()
        today = program_date()
        span = span_of(year)
        report = funder_report(span, today)
        detail = list(funder_detail(span, today)) if with_detail else None
        return year, report, detail

    @expose("/<int:year_id>/")
    @has_access
    @permission_name("report")
    def report(self, year_id: int):
        year, report, detail = self._load(year_id)
        return self.render_template(
            "admin/funder_report.html",
            title=f"Funder report {year.name}",
            year=year,
            report=report,
            rows=summary_rows(report),
            detail=detail,
            detail_header=DETAIL_HEADER,
            detail_values=detail_values,
            definitions=DEFINITIONS,
            today=program_date(),
        )

    @expose("/<int:year_id>/csv")
    @has_access
    @permission_name("report")
    def csv(self, year_id: int):
        year, report, detail = self._load(year_id)
        logger.info("funder report %s: CSV download (detail %s)", year_id, detail is not None)
        rows: list[list[object]] = [list(row) for row in summary_rows(report)]
        if detail is not None:
            rows.append([])
            rows.append(DETAIL_HEADER)
            rows.extend(detail_values(row) for row in detail)
        return csv_response(f"funder-report-{year.id}.csv", csv_lines(["Figure", "Value"], rows))

    @expose("/<int:year_id>/xlsx")
    @has_access
    @permission_name("report")
    def xlsx(self, year_id: int):
        year, report, detail = self._load(year_id)
        logger.info("funder report %s: XLSX download (detail %s)", year_id, detail is not None)
        return Response(
            xlsx_bytes(year, report, detail),
            mimetype=XLSX_MIMETYPE,
            headers={"Content-Disposition": f'attachment; filename="funder-report-{year.id}.xlsx"'},
        )
