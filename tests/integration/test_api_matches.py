"""Coordinator matches API: propose, activate and close through the service."""

from __future__ import annotations

import datetime as dt

import pytest

from app.extensions import db
from app.models import Match
from app.models.types import utcnow
from app.rules.choices import MatchStatus, Weekday
from app.rules.timezone import program_today
from tests.integration.test_api_auth import bearer

URL = "/api/v1/matches/"


def today() -> dt.date:
    return program_today(utcnow())


@pytest.fixture
def coordinator(factory):
    return factory.coordinator()


@pytest.fixture
def headers(client, coordinator):
    return bearer(client, coordinator)


def proposal(student, mentor, proctor, **overrides) -> dict:
    body = {
        "student_id": student.id,
        "mentor_id": mentor.id,
        "start_date": today().isoformat(),
        "slot_weekday": "wed",
        "slot_time": "16:30",
        "meet_link": "https://meet.google.com/abc-defg-hij",
        "subjects": ["math"],
        "proctor_id": proctor.id,
    }
    body.update(overrides)
    return body


def test_propose_match(client, factory, coordinator, headers):
    student, mentor = factory.student(), factory.mentor()
    response = client.post(URL, json=proposal(student, mentor, coordinator), headers=headers)
    assert response.status_code == 201, response.json
    result = response.json["result"]
    assert result["status"] == "proposed"
    assert result["slot_weekday"] == "wed"
    assert result["slot_time"] == "16:30"
    assert result["subjects"] == ["math"]
    assert result["student"]["first_name"] == student.first_name


# (field changed, value, field named in the response, part of the message)
PROPOSAL_RULE_CASES = [
    ("meet_link", "https://meet.google.com/ABC-defg-hij", "meet_link", "lower-case letters"),
    ("meet_link", "https://zoom.us/j/123", "meet_link", "https://meet.google.com/abc-defg-hij"),
    ("meet_link", "", "meet_link", "Enter the Google Meet link"),
    ("slot_time", "22:00", "slot_time", "from 14:30 to 20:30 Monday to Friday"),
    ("slot_time", "16:07", "slot_time", "steps of 5 minutes"),
    ("slot_time", "16:30:00", "slot_time", "Not a valid time"),
    ("slot_weekday", "Wednesday", "slot_weekday", "Must be one of"),
    ("start_date", "2099-01-01", "start_date", "more than a year ahead"),
    ("subjects", ["cooking"], "subjects", "not one of the options"),
    ("subjects", "math", "subjects", "Send a list of codes"),
    ("subjects", [], "subjects", "Choose at least one subject"),
    ("slot_time", "10:00", "slot_time", "outside school hours"),
    ("student_id", None, "student_id", "Field may not be null"),
    ("student_id", 999999, "student_id", "no longer exists"),
    ("mentor_id", 999999, "mentor_id", "no longer exists"),
]


@pytest.mark.parametrize(("field", "value", "named", "message"), PROPOSAL_RULE_CASES)
def test_proposal_rule_422(client, factory, coordinator, headers, field, value, named, message):
    body = proposal(factory.student(), factory.mentor(), coordinator, **{field: value})
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 422, response.json
    assert list(response.json["message"]) == [named]
    assert message in response.json["message"][named][0]
    assert db.session.query(Match).count() == 0


def test_proposal_missing_field_422(client, factory, coordinator, headers):
    body = proposal(factory.student(), factory.mentor(), coordinator)
    del body["meet_link"]
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 422
    assert response.json["message"] == {"meet_link": ["Missing data for required field."]}


def test_proctor_must_be_staff(client, factory, coordinator, headers):
    mentor = factory.mentor()
    body = proposal(factory.student(), factory.mentor(), mentor.user)
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 422
    assert "coordinator or administrator" in response.json["message"]["proctor_id"][0]


def test_student_not_accepted_422(client, factory, coordinator, headers):
    body = proposal(factory.student(accepted=False), factory.mentor(), coordinator)
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 422
    assert "accepted student" in response.json["message"]["student_id"][0]


def test_mentor_not_ready_422(client, factory, coordinator, headers):
    body = proposal(factory.student(), factory.mentor(ready=False), coordinator)
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 422
    assert "not ready to match" in response.json["message"]["mentor_id"][0]


def test_second_open_match_409(client, factory, coordinator, headers):
    student = factory.student()
    first = client.post(URL, json=proposal(student, factory.mentor(), coordinator), headers=headers)
    second = client.post(
        URL, json=proposal(student, factory.mentor(), coordinator), headers=headers
    )
    assert first.status_code == 201
    assert second.status_code == 409
    assert "already has a proposed or active match" in second.json["message"]["student_id"][0]


def test_mentor_at_capacity_409(client, factory, coordinator, headers):
    mentor = factory.mentor()
    factory.match(mentor=mentor)
    response = client.post(
        URL, json=proposal(factory.student(), mentor, coordinator), headers=headers
    )
    assert response.status_code == 409
    assert "capacity" in response.json["message"]["mentor_id"][0]


def test_activate_then_again(client, factory, headers):
    match = factory.match(status=MatchStatus.proposed)
    first = client.post(f"{URL}{match.id}/activate", headers=headers)
    second = client.post(f"{URL}{match.id}/activate", headers=headers)
    assert first.status_code == 200, first.json
    assert first.json["result"]["status"] == "active"
    assert second.status_code == 422
    assert "Only a proposed match" in second.json["message"]["status"][0]


def test_activate_missing_404(client, headers):
    assert client.post(f"{URL}999999/activate", headers=headers).status_code == 404


def test_close_match(client, factory, headers):
    match = factory.match()
    body = {"closed_on": today().isoformat(), "close_reason": "goals_met"}
    response = client.post(f"{URL}{match.id}/close", json=body, headers=headers)
    assert response.status_code == 200, response.json
    assert response.json["result"]["status"] == "closed"
    assert response.json["result"]["close_reason"] == "goals_met"


# (body change, field named in the response, part of the message)
CLOSE_RULE_CASES = [
    ({"close_reason": None}, "close_reason", "Choose the reason"),
    ({"close_reason": "bored"}, "close_reason", "Must be one of"),
    ({"close_reason": "other"}, "close_note", "Describe in the note"),
    ({"closed_on": "2000-01-01"}, "closed_on", "before the match started"),
    ({"closed_on": "2099-01-01"}, "closed_on", "in the future"),
    ({"closed_on": None}, "closed_on", "Field may not be null"),
]


@pytest.mark.parametrize(("change", "named", "message"), CLOSE_RULE_CASES)
def test_close_rule_422(client, factory, headers, change, named, message):
    match = factory.match()
    body = {"closed_on": today().isoformat(), "close_reason": "goals_met", **change}
    response = client.post(f"{URL}{match.id}/close", json=body, headers=headers)
    assert response.status_code == 422, response.json
    assert list(response.json["message"]) == [named]
    assert message in response.json["message"][named][0]


def test_close_twice_422(client, factory, headers):
    match = factory.match()
    body = {"closed_on": today().isoformat(), "close_reason": "goals_met"}
    client.post(f"{URL}{match.id}/close", json=body, headers=headers)
    response = client.post(f"{URL}{match.id}/close", json=body, headers=headers)
    assert response.status_code == 422
    assert "already closed" in response.json["message"]["status"][0]


def test_put_meeting_details(client, factory, headers):
    match = factory.match()
    body = {
        "slot_weekday": "thu",
        "slot_time": "18:00",
        "meet_link": "https://meet.google.com/xyz-abcd-efg",
    }
    response = client.put(f"{URL}{match.id}", json=body, headers=headers)
    assert response.status_code == 200, response.json
    assert response.json["result"]["slot_weekday"] == "thu"


@pytest.mark.parametrize(
    ("body", "named", "message"),
    [
        ({"status": "active"}, "status", "Unknown field"),
        ({"student_id": 1}, "student_id", "Unknown field"),
        ({"mentor_id": 1}, "mentor_id", "Unknown field"),
        ({"meet_link": "meet.google.com/abc-defg-hij"}, "meet_link", "lower-case letters"),
        ({"slot_time": "06:00"}, "slot_time", "from 14:30 to 20:30 Monday to Friday"),
        ({"subjects": []}, "subjects", "Choose at least one subject"),
    ],
)
def test_put_rejected_422(client, factory, headers, body, named, message):
    match = factory.match()
    response = client.put(f"{URL}{match.id}", json=body, headers=headers)
    assert response.status_code == 422, response.json
    assert message in response.json["message"][named][0]
    db.session.expire_all()
    assert db.session.get(Match, match.id).status is MatchStatus.active


def test_put_closed_match_422(client, factory, headers):
    match = factory.match()
    client.post(
        f"{URL}{match.id}/close",
        json={"closed_on": today().isoformat(), "close_reason": "goals_met"},
        headers=headers,
    )
    response = client.put(f"{URL}{match.id}", json={"slot_time": "18:00"}, headers=headers)
    assert response.status_code == 422
    assert "closed match cannot be changed" in response.json["message"]["status"][0]


def test_delete_not_routed(client, factory, headers):
    match = factory.match()
    assert client.delete(f"{URL}{match.id}", headers=headers).status_code == 405


@pytest.mark.parametrize(
    ("slot", "status"),
    [
        ({"slot_weekday": "tue", "slot_time": "16:30"}, 422),
        ({"slot_weekday": "tue", "slot_time": "17:00"}, 200),
        ({"slot_weekday": "wed", "slot_time": "16:00"}, 200),
    ],
)
def test_put_slot_overlap(client, factory, headers, slot, status):
    mentor = factory.mentor(capacity=2)
    factory.match(mentor=mentor)  # Tuesday 16:00
    match = factory.match(mentor=mentor, slot_weekday=Weekday.fri)
    response = client.put(f"{URL}{match.id}", json=slot, headers=headers)
    assert response.status_code == status, response.json
    if status == 422:
        assert (
            "already meets another student on Tuesday at 16:00"
            in (response.json["message"]["slot_time"][0])
        )


@pytest.mark.parametrize(("start_offset", "closed_offset", "status"), [(5, 5, 200), (5, 0, 422)])
def test_close_future_start(client, factory, headers, start_offset, closed_offset, status):
    match = factory.match(
        status=MatchStatus.proposed, start_date=today() + dt.timedelta(days=start_offset)
    )
    body = {
        "closed_on": (today() + dt.timedelta(days=closed_offset)).isoformat(),
        "close_reason": "mentor_withdrew",
    }
    response = client.post(f"{URL}{match.id}/close", json=body, headers=headers)
    assert response.status_code == status, response.json
