"""CSV downloads of the coordinator lists: same rows as the list, formulas neutralized."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import sqlalchemy as sa

from app.admin.csv_export import neutralize_formula
from app.extensions import db
from app.models import School
from app.rules.choices import SessionOutcome
from app.rules.timezone import program_today

TODAY = program_today(dt.datetime.now(dt.UTC))
LIST_URLS = [
    "/nominationview",
    "/studentview",
    "/mentorview",
    "/matchview",
    "/sessionview",
    "/schoolview",
    "/checkinview",
    "/programyearview",
    "/nominationhistoryview",
]


@pytest.fixture
def coordinator(client, factory, login_as):
    user = factory.coordinator()
    login_as(client, user)
    return user


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tindent", "'\tindent"),
        ("\rreturn", "'\rreturn"),
        ("Plain", "Plain"),
        ("a=b", "a=b"),
        (None, ""),
        (42, "42"),
    ],
)
def test_neutralize_formula(value, expected):
    assert neutralize_formula(value) == expected


@pytest.mark.parametrize("base", LIST_URLS)
def test_every_list_has_csv(client, coordinator, base):
    rows = rows_of(client.get(f"{base}/csv/"))
    assert rows, base
    page = client.get(f"{base}/list/").get_data(as_text=True)
    assert 'id="csv-export"' in page


def test_csv_respects_list_filters(client, coordinator, factory):
    match = factory.match()
    factory.session(match, session_date=TODAY - dt.timedelta(days=1), outcome=SessionOutcome.held)
    factory.session(
        match, session_date=TODAY - dt.timedelta(days=2), outcome=SessionOutcome.student_no_show
    )
    every = rows_of(client.get("/sessionview/csv/"))
    held = rows_of(client.get("/sessionview/csv/?_flt_0_outcome=held"))
    assert len(every) == 3
    assert len(held) == 2
    assert held[0][:2] == ["Date", "Start time"]
    assert held[1][4] == "Held"


def test_csv_follows_list_sort(client, coordinator, factory):
    match = factory.match()
    older = TODAY - dt.timedelta(days=5)
    newer = TODAY - dt.timedelta(days=1)
    factory.session(match, session_date=older)
    factory.session(match, session_date=newer)
    rows = rows_of(client.get("/sessionview/csv/?_oc_SessionView=session_date&_od_SessionView=asc"))
    assert [row[0] for row in rows[1:]] == [older.isoformat(), newer.isoformat()]


def test_csv_button_keeps_filters(client, coordinator):
    page = client.get("/sessionview/list/?_flt_0_outcome=held").get_data(as_text=True)
    assert "/sessionview/csv/?_flt_0_outcome=held" in page


@pytest.fixture
def risky_schools(app):
    """Add two schools whose names read as formulas, and delete them after the test.

    Schools are reference data, so the per-test cleanup leaves them.
    """
    db.session.add_all(
        [
            School(dese_code="97970001", name='=HYPERLINK("x")'),
            School(dese_code="97970002", name="@Risky school"),
        ]
    )
    db.session.commit()
    yield
    db.session.rollback()
    db.session.execute(sa.delete(School).where(School.dese_code.like("9797%")))
    db.session.commit()


def test_csv_neutralizes_formulas_in_cells(client, coordinator, risky_schools):
    rows = rows_of(client.get("/schoolview/csv/?_flt_0_dese_code=9797"))
    names = sorted(row[0] for row in rows[1:])
    assert names == ['\'=HYPERLINK("x")', "'@Risky school"]


@pytest.mark.parametrize(
    "query",
    [
        "?_flt_0_outcome=bogus",
        "?_flt_9_outcome=held",
        "?_flt_0_nosuchcolumn=1",
        "?_oc_SessionView=nope&_od_SessionView=asc",
        "?_oc_SessionView=session_date&_od_SessionView=sideways",
        "?_flt_0_session_date=yesterday",
    ],
)
def test_csv_nonsense_arguments_400(client, coordinator, query):
    assert client.get(f"/sessionview/csv/{query}").status_code == 400
