"""Mentor APIs: mentor A reads and changes only A's rows, on every path, without private fields."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from app.extensions import db
from app.models import MentoringSession
from app.models.types import utcnow
from app.rules.choices import CloseReason, MatchStatus
from app.rules.timezone import program_today
from config import MENTOR_ROLE
from tests.integration.test_api_auth import bearer

STUDENTS_URL = "/api/v1/my_students/"
SESSIONS_URL = "/api/v1/my_sessions/"

PRIVATE_KEYS = {
    "date_of_birth",
    "student_date_of_birth",
    "guardian_first_name",
    "guardian_last_name",
    "guardian_email",
    "guardian_phone",
    "nominator_first_name",
    "nominator_last_name",
    "nominator_email",
    "coordinator_notes",
    "notes",
    "close_note",
    "email",
    "needs_description",
}


def today() -> dt.date:
    return program_today(utcnow())


def days_ago(days: int) -> str:
    return (today() - dt.timedelta(days=days)).isoformat()


def session_body(match, **overrides) -> dict:
    body = {
        "match_id": match.id,
        "session_date": days_ago(1),
        "start_time": "17:30",
        "duration_minutes": 60,
        "outcome": "held",
        "proctor_present": True,
    }
    body.update(overrides)
    return body


def all_keys(node) -> set[str]:
    if isinstance(node, dict):
        keys = set(node)
        for value in node.values():
            keys |= all_keys(value)
        return keys
    if isinstance(node, list):
        return set().union(*(all_keys(value) for value in node)) if node else set()
    return set()


@pytest.fixture
def world(client, factory):
    """Mentors A and B, each with an active match and one session, and A logged in."""
    mentor_a, mentor_b = factory.mentor(), factory.mentor()
    match_a = factory.match(mentor=mentor_a)
    match_b = factory.match(mentor=mentor_b)
    return SimpleNamespace(
        match_a=match_a,
        match_b=match_b,
        session_a=factory.session(match=match_a, session_date=today() - dt.timedelta(days=2)),
        session_b=factory.session(match=match_b, session_date=today() - dt.timedelta(days=2)),
        headers=bearer(client, mentor_a.user),
    )


def test_my_students_lists_own(client, world):
    response = client.get(STUDENTS_URL, headers=world.headers)
    assert response.status_code == 200
    assert response.json["ids"] == [world.match_a.id]
    row = response.json["result"][0]
    student = world.match_a.student
    assert row["student"]["first_name"] == student.first_name
    assert row["student"]["grade"] == student.grade
    assert row["student"]["needs"] == ["math", "reading"]
    assert row["student"]["availability"] == ["tue_afternoon"]
    assert row["school"] == student.school.name
    assert row["slot_weekday"] == "tue"
    assert row["slot_time"] == "16:00"
    assert row["meet_link"] == "https://meet.google.com/abc-defg-hij"


def test_my_students_hides_private_fields(client, world):
    listed = client.get(STUDENTS_URL, headers=world.headers)
    shown = client.get(f"{STUDENTS_URL}{world.match_a.id}", headers=world.headers)
    assert shown.status_code == 200
    assert not all_keys(listed.json["result"]) & PRIVATE_KEYS
    assert not all_keys(shown.json["result"]) & PRIVATE_KEYS
    assert world.match_a.student.guardian_email not in listed.get_data(as_text=True)


@pytest.mark.parametrize(
    "columns", ["student.date_of_birth", "student.guardian_email", "close_note", "mentor_id"]
)
def test_my_students_private_column_400(client, world, columns):
    response = client.get(
        STUDENTS_URL, query_string={"q": f"(columns:!({columns}))"}, headers=world.headers
    )
    assert response.status_code == 400


def test_my_students_other_mentor_404(client, world):
    response = client.get(f"{STUDENTS_URL}{world.match_b.id}", headers=world.headers)
    assert response.status_code == 404


def test_my_students_skips_closed_match(client, factory, world):
    world.match_a.status = MatchStatus.closed
    world.match_a.closed_on = today()
    world.match_a.close_reason = CloseReason.goals_met
    db.session.commit()
    listed = client.get(STUDENTS_URL, headers=world.headers)
    assert listed.json["result"] == []
    assert client.get(f"{STUDENTS_URL}{world.match_a.id}", headers=world.headers).status_code == 404


def test_my_students_write_not_routed(client, world):
    assert client.post(STUDENTS_URL, json={}, headers=world.headers).status_code == 405
    url = f"{STUDENTS_URL}{world.match_a.id}"
    assert client.put(url, json={}, headers=world.headers).status_code == 405
    assert client.delete(url, headers=world.headers).status_code == 405


def test_my_sessions_lists_own(client, world):
    response = client.get(SESSIONS_URL, headers=world.headers)
    assert response.status_code == 200
    assert response.json["ids"] == [world.session_a.id]


def test_my_sessions_filter_cannot_widen(client, world):
    query = f"(filters:!((col:match,opr:rel_o_m,value:{world.match_b.id})))"
    response = client.get(SESSIONS_URL, query_string={"q": query}, headers=world.headers)
    assert response.status_code == 200
    assert response.json["result"] == []


def test_my_session_get_own_and_other(client, world):
    own = client.get(f"{SESSIONS_URL}{world.session_a.id}", headers=world.headers)
    other = client.get(f"{SESSIONS_URL}{world.session_b.id}", headers=world.headers)
    assert own.status_code == 200
    assert other.status_code == 404


def test_my_session_put_own_and_other(client, world):
    own = client.put(
        f"{SESSIONS_URL}{world.session_a.id}", json={"duration_minutes": 45}, headers=world.headers
    )
    other = client.put(
        f"{SESSIONS_URL}{world.session_b.id}", json={"duration_minutes": 45}, headers=world.headers
    )
    assert own.status_code == 200, own.json
    assert other.status_code == 404
    db.session.expire_all()
    assert db.session.get(MentoringSession, world.session_b.id).duration_minutes == 60


def test_my_session_delete_own_and_other(client, world):
    other = client.delete(f"{SESSIONS_URL}{world.session_b.id}", headers=world.headers)
    own = client.delete(f"{SESSIONS_URL}{world.session_a.id}", headers=world.headers)
    assert other.status_code == 404
    assert own.status_code == 200
    db.session.expire_all()
    assert db.session.get(MentoringSession, world.session_b.id) is not None
    assert db.session.get(MentoringSession, world.session_a.id) is None


def test_my_session_post_own_and_other_match(client, world):
    own = client.post(SESSIONS_URL, json=session_body(world.match_a), headers=world.headers)
    other = client.post(SESSIONS_URL, json=session_body(world.match_b), headers=world.headers)
    assert own.status_code == 201, own.json
    assert other.status_code == 404
    assert db.session.query(MentoringSession).filter_by(match_id=world.match_b.id).count() == 1


def test_my_session_move_to_other_match(client, world):
    url = f"{SESSIONS_URL}{world.session_a.id}"
    response = client.put(url, json={"match_id": world.match_b.id}, headers=world.headers)
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(MentoringSession, world.session_a.id).match_id == world.match_a.id


def test_my_session_move_to_own_match(client, factory, world):
    second = factory.match(mentor=world.match_a.mentor)
    url = f"{SESSIONS_URL}{world.session_a.id}"
    response = client.put(url, json={"match_id": second.id}, headers=world.headers)
    assert response.status_code == 200, response.json


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (MatchStatus.proposed, "only for an active match"),
        (MatchStatus.closed, "only for an active match"),
    ],
)
def test_my_session_inactive_match_422(client, world, status, message):
    world.match_a.status = status
    if status is MatchStatus.closed:
        world.match_a.closed_on = today()
        world.match_a.close_reason = CloseReason.goals_met
    db.session.commit()
    response = client.post(SESSIONS_URL, json=session_body(world.match_a), headers=world.headers)
    assert response.status_code == 422
    assert message in response.json["message"]["match_id"][0]


@pytest.mark.parametrize(("days", "status"), [(14, 201), (15, 422)])
def test_my_session_edit_window_post(client, world, days, status):
    body = session_body(world.match_a, session_date=days_ago(days))
    response = client.post(SESSIONS_URL, json=body, headers=world.headers)
    assert response.status_code == status, response.json
    if status == 422:
        assert "up to 14 days" in response.json["message"]["session_date"][0]


def test_my_session_old_row_locked(client, factory, world):
    old = factory.session(match=world.match_a, session_date=today() - dt.timedelta(days=20))
    url = f"{SESSIONS_URL}{old.id}"
    edited = client.put(url, json={"session_date": days_ago(3)}, headers=world.headers)
    deleted = client.delete(url, headers=world.headers)
    assert edited.status_code == 422
    assert "up to 14 days" in edited.json["message"]["session_date"][0]
    assert deleted.status_code == 422


def test_my_session_rule_names_field(client, world):
    body = session_body(world.match_a, duration_minutes=200)
    response = client.post(SESSIONS_URL, json=body, headers=world.headers)
    assert response.status_code == 422
    assert list(response.json["message"]) == ["duration_minutes"]


def test_mentor_role_without_record_sees_nothing(client, factory, world):
    headers = bearer(client, factory.user(MENTOR_ROLE))
    assert client.get(STUDENTS_URL, headers=headers).json["result"] == []
    assert client.get(SESSIONS_URL, headers=headers).json["result"] == []
    response = client.post(SESSIONS_URL, json=session_body(world.match_a), headers=headers)
    assert response.status_code == 404


def _statements_for(client, url: str, headers) -> int:
    from flask import g
    from sqlalchemy import event

    statements = []
    # The test's app context (and so ``g``) outlives requests: drop the cached mentor id.
    g.pop("_ils_mentor_id", None)

    def count(_connection, _cursor, statement, *_args) -> None:
        # Only SELECTs: SQLite's BEGIN depends on whether a transaction was already open.
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url, headers=headers).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_my_students_queries_do_not_grow_per_row(client, factory, world):
    from app.models import Mentor

    mentor_id = world.match_a.mentor_id
    # Requests in a test share the test's session: start each from an empty identity
    # map, as a request in production does.
    db.session.expunge_all()
    one_row = _statements_for(client, STUDENTS_URL, world.headers)
    mentor = db.session.get(Mentor, mentor_id)
    mentor.capacity = 4
    db.session.commit()
    for hour in (17, 18, 19):
        factory.match(mentor=mentor, slot_time=dt.time(hour, 0))
    db.session.expunge_all()

    four_rows = _statements_for(client, STUDENTS_URL, world.headers)

    assert four_rows == one_row
