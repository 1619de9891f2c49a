"""Coordinator students, mentors and schools APIs: the screens' rules, conflicts as 409."""

from __future__ import annotations

import datetime as dt

import pytest

from app.extensions import db
from app.models import Mentor, School
from app.rules.choices import MentorStatus
from config import MENTOR_ROLE
from tests.integration.test_api_auth import bearer

STUDENTS = "/api/v1/students/"
MENTORS = "/api/v1/mentors/"
SCHOOLS = "/api/v1/schools/"


@pytest.fixture
def headers(client, factory):
    return bearer(client, factory.coordinator())


def test_student_get_codes(client, factory, headers):
    student = factory.student()
    response = client.get(f"{STUDENTS}{student.id}", headers=headers)
    assert response.status_code == 200
    result = response.json["result"]
    assert result["needs"] == ["math", "reading"]
    assert result["school"] == {"name": student.school.name}
    assert result["date_of_birth"] == student.date_of_birth.isoformat()


def test_student_list(client, factory, headers):
    student = factory.student()
    response = client.get(STUDENTS, headers=headers)
    assert response.status_code == 200
    assert response.json["ids"] == [student.id]
    assert response.json["result"][0]["school"] == {"name": student.school.name}


def test_student_put(client, factory, headers):
    student = factory.student()
    body = {"grade": 7, "needs": ["writing", "writing"], "guardian_phone": "617 555 0123"}
    response = client.put(f"{STUDENTS}{student.id}", json=body, headers=headers)
    assert response.status_code == 200, response.json
    assert response.json["result"]["grade"] == 7
    assert response.json["result"]["needs"] == ["writing"]
    assert response.json["result"]["guardian_phone"] == "(617) 555-0123"


# (body, field named in the response, part of the message)
STUDENT_RULE_CASES = [
    ({"grade": 13}, "grade", "grades 1 to 12"),
    ({"grade": 12}, "date_of_birth", "do not fit together"),
    ({"date_of_birth": "2099-01-01"}, "date_of_birth", "in the future"),
    ({"first_name": "  "}, "first_name", "Enter a name"),
    ({"needs": ["cooking"]}, "needs", "not one of the options"),
    ({"availability": "mon_afternoon"}, "availability", "Send a list of codes"),
    ({"email": "a@b"}, "email", "valid e-mail"),
    ({"guardian_email": "ana..perez@example.org"}, "guardian_email", "valid e-mail"),
    ({"guardian_email": "josé@example.org"}, "guardian_email", "before the @"),
    ({"language": "xx"}, "language", "not a language of the program"),
    ({"school_id": 999999}, "school_id", "Choose a school"),
    ({"coordinator_notes": "x" * 2001}, "coordinator_notes", "at most 2000"),
]


@pytest.mark.parametrize(("body", "named", "message"), STUDENT_RULE_CASES)
def test_student_rule_422(client, factory, headers, body, named, message):
    student = factory.student()
    response = client.put(f"{STUDENTS}{student.id}", json=body, headers=headers)
    assert response.status_code == 422, response.json
    assert list(response.json["message"]) == [named]
    assert message in response.json["message"][named][0]


def test_student_identity_conflict_409(client, factory, headers):
    first = factory.student()
    second = factory.student(date_of_birth=first.date_of_birth)
    body = {"first_name": first.first_name, "last_name": first.last_name}
    response = client.put(f"{STUDENTS}{second.id}", json=body, headers=headers)
    assert response.status_code == 409
    assert response.json["message"] == "A student with this name and date of birth already exists."


def test_student_post_and_delete_not_routed(client, factory, headers):
    student = factory.student()
    assert client.post(STUDENTS, json={}, headers=headers).status_code == 405
    assert client.delete(f"{STUDENTS}{student.id}", headers=headers).status_code == 405


def mentor_body(**overrides) -> dict:
    body = {"first_name": "Rosa", "last_name": "Lima", "email": "rosa@example.org"}
    body.update(overrides)
    return body


def test_mentor_crud(client, headers):
    created = client.post(MENTORS, json=mentor_body(subjects=["math"]), headers=headers)
    assert created.status_code == 201, created.json
    result = created.json["result"]
    assert result["status"] == "applicant"
    assert result["cori_status"] == "not_started"
    assert result["subjects"] == ["math"]
    url = f"{MENTORS}{created.json['id']}"

    edited = client.put(url, json={"status": "inactive", "training_hours": "2.5"}, headers=headers)
    assert edited.status_code == 200, edited.json
    assert edited.json["result"]["status"] == "inactive"
    assert edited.json["result"]["training_hours"] == "2.5"

    assert client.delete(url, headers=headers).status_code == 200
    assert client.get(url, headers=headers).status_code == 404


# (body change, field named in the response, part of the message)
MENTOR_RULE_CASES = [
    ({"capacity": 11}, "capacity", "from 1 to 10"),
    ({"capacity": 0}, "capacity", "from 1 to 10"),
    ({"grade_band_min": 9, "grade_band_max": 6}, "grade_band_max", "below the lowest grade"),
    ({"grade_band_min": 0}, "grade_band_min", "from 1 to 12"),
    ({"email": "rosa"}, "email", "valid e-mail"),
    ({"first_name": "Ro\nsa"}, "first_name", "line break"),
    ({"training_hours": -1}, "training_hours", "from 0 to 9999.9"),
    ({"training_hours": "10000"}, "training_hours", "from 0 to 9999.9"),
    ({"interview_date": "2099-01-01"}, "interview_date", "The interview date is in the future"),
    ({"cori_status": "cleared"}, "cori_cleared_on", "Enter the date the check cleared"),
    ({"training_hours": "lots"}, "training_hours", "Not a valid number"),
    ({"cori_status": "passed"}, "cori_status", "Must be one of"),
    ({"cori_cleared_on": "yesterday"}, "cori_cleared_on", "Not a valid date"),
    ({"last_name": "x" * 101}, "last_name", "Longer than maximum length 100"),
]


@pytest.mark.parametrize(("change", "named", "message"), MENTOR_RULE_CASES)
def test_mentor_rule_422(client, headers, change, named, message):
    response = client.post(MENTORS, json=mentor_body(**change), headers=headers)
    assert response.status_code == 422, response.json
    assert list(response.json["message"]) == [named]
    assert message in response.json["message"][named][0]
    assert db.session.query(Mentor).count() == 0


@pytest.mark.parametrize(
    ("open_matches", "change", "named", "message"),
    [
        (2, {"capacity": 1}, "capacity", "has 2 open matches; close or move some"),
        (1, {"status": "inactive"}, "status", "Close them before setting the status"),
        (0, {"status": "matched"}, "status", "has no active match"),
        (0, {"cori_cleared_on": "2020-01-01"}, "status", "The CORI clearance has expired."),
    ],
)
def test_mentor_put_contradiction_422(
    client, factory, headers, open_matches, change, named, message
):
    mentor = factory.mentor(capacity=2)
    for _ in range(open_matches):
        factory.match(mentor=mentor)
    response = client.put(f"{MENTORS}{mentor.id}", json=change, headers=headers)
    assert response.status_code == 422, response.json
    assert list(response.json["message"]) == [named]
    assert message in response.json["message"][named][0]


@pytest.mark.parametrize(
    ("open_matches", "change"),
    [(2, {"capacity": 2}), (0, {"status": "inactive"}), (1, {"status": "matched"})],
)
def test_mentor_put_fits_matches_200(client, factory, headers, open_matches, change):
    mentor = factory.mentor(capacity=2)
    for _ in range(open_matches):
        factory.match(mentor=mentor)
    response = client.put(f"{MENTORS}{mentor.id}", json=change, headers=headers)
    assert response.status_code == 200, response.json


@pytest.mark.parametrize(("status", "code"), [("screening", 201), ("ready", 422)])
def test_mentor_post_ready_needs_screening(client, headers, status, code):
    response = client.post(MENTORS, json=mentor_body(status=status), headers=headers)
    assert response.status_code == code, response.json
    if code == 422:
        assert "Keep the status Screening" in response.json["message"]["status"][0]


@pytest.mark.parametrize(("role_login", "status"), [("coordinator", 422), ("mentor", 201)])
def test_mentor_login_role(client, factory, headers, role_login, status):
    user = factory.coordinator() if role_login == "coordinator" else factory.user(MENTOR_ROLE)
    response = client.post(MENTORS, json=mentor_body(user_id=user.id), headers=headers)
    assert response.status_code == status, response.json
    if status == 422:
        assert "Mentor role" in response.json["message"]["user_id"][0]


def test_mentor_duplicate_email_409(client, factory, headers):
    existing = factory.mentor()
    response = client.post(MENTORS, json=mentor_body(email=existing.email), headers=headers)
    assert response.status_code == 409
    assert response.json["message"] == "A mentor with this e-mail address already exists."


def test_mentor_login_taken_409(client, factory, headers):
    existing = factory.mentor()
    response = client.post(MENTORS, json=mentor_body(user_id=existing.user_id), headers=headers)
    assert response.status_code == 409
    assert response.json["message"] == "This login already belongs to another mentor."


def test_mentor_with_match_delete_409(client, factory, headers):
    match = factory.match()
    response = client.delete(f"{MENTORS}{match.mentor_id}", headers=headers)
    assert response.status_code == 409
    assert "conflicts with existing data" in response.json["message"]
    db.session.expire_all()
    assert db.session.get(Mentor, match.mentor_id) is not None


def test_school_add_and_retire(client, headers):
    created = client.post(
        SCHOOLS, json={"dese_code": "99990001", "name": " New  School "}, headers=headers
    )
    assert created.status_code == 201, created.json
    assert created.json["result"]["name"] == "New School"
    url = f"{SCHOOLS}{created.json['id']}"
    retired = client.put(url, json={"retired": True}, headers=headers)
    assert retired.status_code == 200
    assert retired.json["result"]["retired"] is True


@pytest.mark.parametrize(
    ("body", "named", "message"),
    [
        ({"dese_code": "123", "name": "A"}, "dese_code", "8-digit DESE school code"),
        ({"dese_code": "9999000a", "name": "A"}, "dese_code", "8-digit DESE school code"),
        ({"dese_code": "99990002", "name": "   "}, "name", "Enter the school's name"),
        ({"dese_code": "99990002", "name": "New\nSchool"}, "name", "contains a line break"),
        ({"dese_code": "99990002"}, "name", "Missing data"),
    ],
)
def test_school_rule_422(client, headers, body, named, message):
    response = client.post(SCHOOLS, json=body, headers=headers)
    assert response.status_code == 422, response.json
    assert message in response.json["message"][named][0]


def test_school_duplicate_code_409(client, headers):
    existing = db.session.query(School).order_by(School.id).first()
    body = {"dese_code": existing.dese_code, "name": "Copy"}
    response = client.post(SCHOOLS, json=body, headers=headers)
    assert response.status_code == 409
    assert response.json["message"] == "A school with this DESE code already exists."


def test_school_delete_not_routed(client, headers):
    existing = db.session.query(School).order_by(School.id).first()
    assert client.delete(f"{SCHOOLS}{existing.id}", headers=headers).status_code == 405


def test_mentor_put_stale_ready_phone_200(client, factory, headers):
    mentor = factory.mentor(cori_cleared_on=dt.date(2020, 1, 1))

    response = client.put(f"{MENTORS}{mentor.id}", json={"phone": "6175550100"}, headers=headers)

    assert response.status_code == 200, response.json
    assert response.json["result"]["phone"] == "(617) 555-0100"
    assert response.json["result"]["status"] == "ready"


def test_mentor_put_stale_to_ready_422(client, factory, headers):
    mentor = factory.mentor(cori_cleared_on=dt.date(2020, 1, 1), status=MentorStatus.screening)

    response = client.put(f"{MENTORS}{mentor.id}", json={"status": "ready"}, headers=headers)

    assert response.status_code == 422, response.json
    assert list(response.json["message"]) == ["status"]
    assert "The CORI clearance has expired." in response.json["message"]["status"][0]
