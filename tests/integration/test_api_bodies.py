"""Odd values in every body field and random ``q`` strings: a 4xx response, never a 500."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from app.extensions import db
from app.models import School
from app.models.types import utcnow
from app.rules.timezone import program_today
from tests.integration.test_api_auth import bearer

ODD_VALUES = [
    None,
    "",
    "x" * 5000,
    "a\x00b",
    -1,
    2**40,
    1.5,
    float("inf"),
    True,
    [],
    ["x"],
    {},
    "2024-02-30",
    "25:61",
]


def _yesterday() -> str:
    return (program_today(utcnow()) - dt.timedelta(days=1)).isoformat()


def _bodies(factory, coordinator) -> dict[str, tuple[str, str, dict]]:
    """Return a valid body per write endpoint, keyed by a short name."""
    match = factory.match()
    school = db.session.query(School).order_by(School.id).first()
    session = {
        "match_id": match.id,
        "session_date": _yesterday(),
        "start_time": "17:00",
        "duration_minutes": 60,
        "outcome": "held",
        "proctor_present": True,
        "topics": "Fractions",
        "notes": "Fine",
    }
    return {
        "sessions": ("POST", "/api/v1/sessions/", session),
        "mentors": (
            "POST",
            "/api/v1/mentors/",
            {
                "first_name": "Rosa",
                "last_name": "Lima",
                "email": "rosa@example.org",
                "capacity": 2,
                "subjects": ["math"],
                "training_hours": "3",
                "cori_status": "cleared",
                "cori_cleared_on": _yesterday(),
            },
        ),
        "matches": (
            "POST",
            "/api/v1/matches/",
            {
                "student_id": factory.student().id,
                "mentor_id": factory.mentor().id,
                "start_date": _yesterday(),
                "slot_weekday": "wed",
                "slot_time": "16:30",
                "meet_link": "https://meet.google.com/abc-defg-hij",
                "subjects": ["math"],
                "proctor_id": coordinator.id,
            },
        ),
        "match_put": (
            "PUT",
            f"/api/v1/matches/{match.id}",
            {"slot_weekday": "thu", "slot_time": "18:00", "proctor_id": coordinator.id},
        ),
        "nominations": (
            "POST",
            "/api/v1/nominations/",
            {
                "nominator_kind": "parent_guardian",
                "nominator_first_name": "Ana",
                "nominator_last_name": "Pereira",
                "nominator_email": "ana@example.org",
                "student_first_name": "Lia",
                "student_last_name": "Pereira",
                "student_date_of_birth": "2014-03-15",
                "student_grade": 6,
                "student_school": school.dese_code,
                "language": "pt",
                "needs": ["math"],
                "consent_privacy": True,
                "consent_online_sessions": True,
                "attest_relationship": True,
            },
        ),
        "student_put": (
            "PUT",
            f"/api/v1/students/{match.student_id}",
            {"grade": 6, "needs": ["math"], "guardian_phone": "6175550123", "language": "en"},
        ),
        "schools": ("POST", "/api/v1/schools/", {"dese_code": "99990009", "name": "New"}),
        "close": ("POST", f"/api/v1/matches/{match.id}/close", {"closed_on": _yesterday()}),
    }


@pytest.mark.parametrize(
    "endpoint",
    [
        "sessions",
        "mentors",
        "matches",
        "match_put",
        "nominations",
        "student_put",
        "schools",
        "close",
    ],
)
def test_odd_field_values_never_500(client, factory, endpoint):
    coordinator = factory.coordinator()
    headers = bearer(client, coordinator)
    method, url, body = _bodies(factory, coordinator)[endpoint]
    for field in body:
        for value in ODD_VALUES:
            response = client.open(url, method=method, json={**body, field: value}, headers=headers)
            assert response.status_code < 500, (field, value, response.json)
            db.session.rollback()


def test_odd_mentor_session_values_never_500(client, factory):
    mentor = factory.mentor()
    match = factory.match(mentor=mentor)
    headers = bearer(client, mentor.user)
    body = {
        "match_id": match.id,
        "session_date": _yesterday(),
        "start_time": "17:00",
        "duration_minutes": 60,
        "outcome": "held",
    }
    for field in body:
        for value in ODD_VALUES:
            response = client.post(
                "/api/v1/my_sessions/", json={**body, field: value}, headers=headers
            )
            assert response.status_code in (400, 404, 422), (field, value, response.json)


RISON_PIECES = [
    "(",
    ")",
    "!",
    ":",
    ",",
    "'",
    "page",
    "page_size",
    "filters",
    "col",
    "opr",
    "value",
    "eq",
    "in",
    "id",
    "-1",
    "0",
    "99999999999",
    "1.5",
    "!t",
    "!n",
    "session_date",
    "outcome",
    "match",
    "columns",
    "order_column",
    "x",
]


def test_random_q_never_500(client, factory):
    factory.session()
    headers = bearer(client, factory.coordinator())
    generator = random.Random(20240901)
    for _ in range(300):
        query = "".join(generator.choice(RISON_PIECES) for _ in range(generator.randint(1, 12)))
        response = client.get("/api/v1/sessions/", query_string={"q": query}, headers=headers)
        assert response.status_code in (200, 400), (query, response.json)
