"""Coordinator sessions API: CRUD, the session rules with the field named, and conflicts."""

from __future__ import annotations

import datetime as dt

import pytest

from app.extensions import db
from app.models import MentoringSession
from app.models.types import utcnow
from app.rules.choices import MatchStatus
from app.rules.timezone import program_today
from tests.integration.test_api_auth import bearer

URL = "/api/v1/sessions/"


def today() -> dt.date:
    return program_today(utcnow())


def session_body(match, **overrides) -> dict:
    body = {
        "match_id": match.id,
        "session_date": (today() - dt.timedelta(days=1)).isoformat(),
        "start_time": "17:00",
        "duration_minutes": 60,
        "outcome": "held",
        "proctor_present": True,
        "topics": "Fractions",
    }
    body.update(overrides)
    return body


@pytest.fixture
def headers(client, factory):
    return bearer(client, factory.coordinator())


def test_session_crud(client, factory, headers):
    match = factory.match()

    created = client.post(URL, json=session_body(match, notes="Went well"), headers=headers)
    assert created.status_code == 201, created.json
    session_id = created.json["id"]
    assert created.json["result"]["outcome"] == "held"
    assert created.json["result"]["start_time"] == "17:00"

    shown = client.get(f"{URL}{session_id}", headers=headers)
    assert shown.status_code == 200
    assert shown.json["result"]["notes"] == "Went well"

    edited = client.put(f"{URL}{session_id}", json={"duration_minutes": 90}, headers=headers)
    assert edited.status_code == 200, edited.json
    assert edited.json["result"]["duration_minutes"] == 90
    assert edited.json["result"]["topics"] == "Fractions"

    deleted = client.delete(f"{URL}{session_id}", headers=headers)
    assert deleted.status_code == 200
    assert client.get(f"{URL}{session_id}", headers=headers).status_code == 404


def test_session_list_shows_codes(client, factory, headers):
    session = factory.session()
    response = client.get(URL, headers=headers)
    assert response.status_code == 200
    row = response.json["result"][0]
    assert row["id"] == session.id
    assert row["outcome"] == "held"
    assert row["match"] == {
        "student_id": session.match.student_id,
        "mentor_id": session.match.mentor_id,
    }


def _days_ago(days: int) -> str:
    return (today() - dt.timedelta(days=days)).isoformat()


# (field changed, value, field named in the response, part of the message)
SESSION_RULE_CASES = [
    ("duration_minutes", 200, "duration_minutes", "from 15 to 180 minutes"),
    ("duration_minutes", 10, "duration_minutes", "from 15 to 180 minutes"),
    ("duration_minutes", True, "duration_minutes", "Not a valid integer"),
    ("duration_minutes", "60", "duration_minutes", "Not a valid integer"),
    ("session_date", _days_ago(-1), "session_date", "in the future"),
    ("session_date", _days_ago(90), "session_date", "before the match started"),
    ("session_date", "2024-02-30", "session_date", "Not a valid date"),
    ("start_time", "5pm", "start_time", "Not a valid time"),
    ("start_time", "03:00", "start_time", "from 07:00 to 21:30"),
    ("start_time", "23:59", "start_time", "from 07:00 to 21:30"),
    ("outcome", "Held", "outcome", "Must be one of"),
    ("match_id", 999999, "match_id", "Choose the match"),
    ("topics", "line\x00break", "topics", "NUL character"),
    ("notes", "x" * 2001, "notes", "at most 2000 characters"),
]


@pytest.mark.parametrize(("field", "value", "named", "message"), SESSION_RULE_CASES)
def test_session_rule_422(client, factory, headers, field, value, named, message):
    match = factory.match()
    response = client.post(URL, json=session_body(match, **{field: value}), headers=headers)
    assert response.status_code == 422, response.json
    assert list(response.json["message"]) == [named]
    assert message in response.json["message"][named][0]


@pytest.mark.parametrize("start_time", ["07:00", "21:30"])
def test_session_start_time_edge_allowed(client, factory, headers, start_time):
    match = factory.match()
    body = session_body(match, start_time=start_time)
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 201, response.json


def test_session_on_start_date_allowed(client, factory, headers):
    match = factory.match()
    body = session_body(match, session_date=match.start_date.isoformat())
    assert client.post(URL, json=body, headers=headers).status_code == 201


def test_session_on_proposed_match_422(client, factory, headers):
    match = factory.match(status=MatchStatus.proposed)
    response = client.post(URL, json=session_body(match), headers=headers)
    assert response.status_code == 422
    assert "once the match is active" in response.json["message"]["match_id"][0]


def test_coordinator_edits_old_session(client, factory, headers):
    """Coordinators are not held to the mentors' edit window."""
    session = factory.session(session_date=today() - dt.timedelta(days=40))
    response = client.put(f"{URL}{session.id}", json={"duration_minutes": 45}, headers=headers)
    assert response.status_code == 200, response.json


def test_put_rule_violation_keeps_row(client, factory, headers):
    session = factory.session()
    response = client.put(f"{URL}{session.id}", json={"duration_minutes": 200}, headers=headers)
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(MentoringSession, session.id).duration_minutes == 60


def test_duplicate_session_409(client, factory, headers):
    match = factory.match()
    body = session_body(match)
    assert client.post(URL, json=body, headers=headers).status_code == 201
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 409
    assert response.json["message"] == (
        "A session for this match on this date at this start time is already logged."
    )


def test_duplicate_session_by_edit_409(client, factory, headers):
    match = factory.match()
    first = factory.session(match=match)
    second = factory.session(match=match)
    body = {
        "session_date": first.session_date.isoformat(),
        "start_time": f"{first.start_time:%H:%M}",
    }
    response = client.put(f"{URL}{second.id}", json=body, headers=headers)
    assert response.status_code == 409
    assert "already logged" in response.json["message"]
    assert "INSERT" not in response.json["message"]
    assert "UPDATE" not in response.json["message"]
