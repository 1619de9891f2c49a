"""The funder report's XLSX: figures are number cells with number formats, not text."""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest

from app.rules.timezone import program_today

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
TODAY = program_today(dt.datetime.now(dt.UTC))


@pytest.fixture
def coordinator(client, factory, login_as):
    user = factory.coordinator()
    login_as(client, user)
    return user


def parse_part(archive: zipfile.ZipFile, name: str) -> ET.Element:
    # The workbook comes from the app under test, not from an untrusted source.
    return ET.fromstring(archive.read(name))  # noqa: S314


def sheet_cells(data: bytes, sheet: str) -> dict[str, tuple[str, str, int]]:
    """Return cell reference -> (type, value, style index) of one worksheet, strings resolved."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        strings = [
            "".join(item.itertext())
            for item in parse_part(archive, "xl/sharedStrings.xml").iter(f"{MAIN}si")
        ]
        root = parse_part(archive, f"xl/worksheets/{sheet}.xml")
    cells = {}
    for cell in root.iter(f"{MAIN}c"):
        kind = cell.get("t", "n")
        value = cell.findtext(f"{MAIN}v") or ""
        if kind == "s":
            value = strings[int(value)]
        cells[cell.get("r")] = (kind, value, int(cell.get("s", "0")))
    return cells


def number_formats(data: bytes) -> list[str]:
    """Return the number format code of each cell style (index = style index)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = parse_part(archive, "xl/styles.xml")
    codes = {"0": "General"}
    for item in styles.iter(f"{MAIN}numFmt"):
        codes[item.get("numFmtId")] = item.get("formatCode")
    return [
        codes.get(xf.get("numFmtId"), xf.get("numFmtId"))
        for xf in styles.find(f"{MAIN}cellXfs").iter(f"{MAIN}xf")
    ]


def value_beside(cells, label: str) -> tuple[str, str, int]:
    row = next(
        re.sub(r"\D", "", ref) for ref, cell in cells.items() if ref[0] == "A" and cell[1] == label
    )
    return cells[f"B{row}"]


def test_xlsx_summary_figures_are_numbers(client, coordinator, factory):
    year = factory.program_year()
    match = factory.match(start_date=year.first_day + dt.timedelta(days=7))
    factory.session(match, session_date=TODAY - dt.timedelta(days=3), duration_minutes=90)
    data = client.get(f"/funderreport/{year.id}/xlsx").data
    cells = sheet_cells(data, "sheet1")
    formats = number_formats(data)

    kind, value, style = value_beside(cells, "Hours held")
    assert kind == "n"
    assert float(value) == pytest.approx(1.5)
    assert formats[style] == "0.0"

    kind, value, style = value_beside(cells, "Share of weeks on target")
    assert kind == "n"
    assert 0 <= float(value) <= 1
    assert formats[style] == "0.0%"

    assert value_beside(cells, "Weeks counted")[0] == "n"
    assert value_beside(cells, "Students served")[1] == "1"


def test_xlsx_detail_hours_are_numbers(client, coordinator, factory):
    year = factory.program_year()
    match = factory.match(start_date=year.first_day + dt.timedelta(days=7))
    factory.session(match, session_date=TODAY - dt.timedelta(days=3), duration_minutes=45)
    data = client.get(f"/funderreport/{year.id}/xlsx?detail=1").data
    cells = sheet_cells(data, "sheet3")
    header = {cell[1]: ref[0] for ref, cell in cells.items() if ref.endswith("1") and len(ref) == 2}
    kind, value, style = cells[f"{header['Hours held']}2"]
    assert kind == "n"
    assert float(value) == pytest.approx(0.75)
    assert number_formats(data)[style] == "0.0"


def excel_serial(day: dt.date) -> str:
    return str((day - dt.date(1899, 12, 30)).days)


def test_xlsx_detail_dates_are_dates(client, coordinator, factory):
    from app.rules.choices import CloseReason, MatchStatus

    year = factory.program_year()
    start = year.first_day + dt.timedelta(days=7)
    closed_on = TODAY - dt.timedelta(days=2)
    factory.match(
        start_date=start,
        status=MatchStatus.closed,
        activated_at=dt.datetime.now(dt.UTC),
        closed_on=closed_on,
        close_reason=CloseReason.other,
        close_note="Moved away.",
    )
    open_match = factory.match(start_date=start)
    data = client.get(f"/funderreport/{year.id}/xlsx?detail=1").data
    cells = sheet_cells(data, "sheet3")
    formats = number_formats(data)
    header = {cell[1]: ref[0] for ref, cell in cells.items() if ref.endswith("1") and len(ref) == 2}
    ids = {cells[f"A{row}"][1]: row for row in (2, 3)}
    closed_row = next(row for match_id, row in ids.items() if match_id != str(open_match.id))

    for label, day in (("Start date", start), ("Closed on", closed_on)):
        kind, value, style = cells[f"{header[label]}{closed_row}"]
        assert kind == "n", label
        assert value == excel_serial(day), label
        assert formats[style] == "yyyy-mm-dd", label
    assert f"{header['Closed on']}{ids[str(open_match.id)]}" not in cells
