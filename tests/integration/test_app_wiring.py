"""App-wide behaviour: security headers, the login rate-limit page and log hygiene."""

from __future__ import annotations

import logging

import pytest

from app import QueryStringFilter
from tests.conftest import make_app


@pytest.mark.parametrize("url", ["/nominate/", "/login/"])
def test_pages_forbid_framing(client, url):
    response = client.get(url)

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_login_rate_limit_page_explains(database_url, app):
    limited = make_app(database_url, RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT="2 per minute")
    client = limited.test_client()
    form = {"username": "nobody", "password": "wrong-password-123"}

    statuses = [client.post("/login/", data=form).status_code for _ in range(3)]

    assert statuses[:2] == [302, 302]  # back to the login form with a message
    assert statuses[2] == 429
    page = client.post("/login/", data=form).get_data(as_text=True)
    assert "Too many attempts" in page
    assert "try again" in page


def test_access_log_drops_query_string():
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '127.0.0.1 - - [date] "%s" %s %s',
        ("GET /studentview/list/?_flt_0_last_name=Rivera HTTP/1.1", "200", "-"),
        None,
    )

    QueryStringFilter().filter(record)

    assert "Rivera" not in record.getMessage()
    assert '"GET /studentview/list/ HTTP/1.1" 200' in record.getMessage()


def test_conflict_logged_as_one_warning(app, caplog):
    from app.extensions import db
    from app.models import School
    from app.viewkit import ProgramInterface, RecordConflict

    existing = db.session.query(School).first()
    interface = ProgramInterface(School, session=db.session)

    with pytest.raises(RecordConflict, match="DESE code already exists"):
        interface.add(School(dese_code=existing.dese_code, name="Copy", retired=False))

    assert [r.levelname for r in caplog.records if r.name.startswith(("app", "flask"))] == [
        "WARNING"
    ]
