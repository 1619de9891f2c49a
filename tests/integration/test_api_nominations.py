"""Coordinator nominations API: submit like the public form, review through the service."""

from __future__ import annotations

import datetime as dt

import pytest

from app.api.nominations import NOT_SAVED_MESSAGE
from app.extensions import db
from app.models import Nomination, NominationStatusChange, School
from app.models.types import utcnow
from app.rules.choices import NominationStatus
from app.rules.timezone import program_today
from app.services.nominations import NominationNotSaved
from tests.integration.test_api_auth import bearer

URL = "/api/v1/nominations/"


def today() -> dt.date:
    return program_today(utcnow())


def submission(**overrides) -> dict:
    school = db.session.query(School).order_by(School.id).first()
    body = {
        "nominator_kind": "parent_guardian",
        "nominator_first_name": "Ana",
        "nominator_last_name": "Pereira",
        "nominator_email": "ana@example.org",
        "student_first_name": "Lia",
        "student_last_name": "Pereira",
        "student_date_of_birth": dt.date(today().year - 12, 3, 15).isoformat(),
        "student_grade": 6,
        "student_school": school.dese_code,
        "language": "pt",
        "needs": ["math", "reading"],
        "availability": ["mon_afternoon"],
        "consent_privacy": True,
        "consent_online_sessions": True,
        "attest_relationship": True,
    }
    body.update(overrides)
    return body


@pytest.fixture
def headers(client, factory):
    return bearer(client, factory.coordinator())


def test_submit_nomination(client, headers):
    response = client.post(URL, json=submission(), headers=headers)
    assert response.status_code == 201, response.json
    result = response.json["result"]
    assert result["reference"].startswith("ILS-")
    assert result["status"] == "new"
    assert result["nominator_kind"] == "parent_guardian"
    assert result["needs"] == ["math", "reading"]
    assert result["student_date_of_birth"] == submission()["student_date_of_birth"]


def test_submit_database_failure_503(client, headers, monkeypatch):
    def fail(raw, *, now):
        raise NominationNotSaved("the database did not store the nomination")

    monkeypatch.setattr("app.api.nominations.submit_nomination", fail)
    response = client.post(URL, json=submission(), headers=headers)
    assert response.status_code == 503
    assert response.json["message"] == NOT_SAVED_MESSAGE


def test_list_nominations(client, factory, headers):
    nomination = factory.nomination()
    response = client.get(URL, headers=headers)
    assert response.status_code == 200
    row = response.json["result"][0]
    assert row["reference"] == nomination.reference
    assert row["status"] == "new"
    assert row["school"] == {"name": nomination.school.name}


def _adult_birth() -> str:
    return dt.date(today().year - 19, 1, 1).isoformat()


# (body change, field named in the response, part of the message)
SUBMISSION_RULE_CASES = [
    ({"student_grade": 13}, "student_grade", "grades 1 to 12"),
    ({"student_grade": "12th"}, "student_grade", "grades 1 to 12"),
    ({"student_grade": 0}, "student_grade", "grades 1 to 12"),
    ({"nominator_kind": "self", "student_email": "lia@example.org"}, "nominator_kind", "under 18"),
    ({"nominator_kind": "uncle"}, "nominator_kind", "Must be one of: parent_guardian"),
    ({"student_school": "99999999"}, "student_school", "Choose the student's school"),
    ({"student_date_of_birth": "2099-01-01"}, "student_date_of_birth", "in the future"),
    ({"needs": ["cooking"]}, "needs", "not one of the options"),
    ({"consent_privacy": False}, "consent_privacy", "privacy notice"),
    ({"nominator_first_name": 5}, "nominator_first_name", "Not a valid string"),
    ({"needs": "math"}, "needs", "Send a list of codes"),
    ({"consent_privacy": "maybe"}, "consent_privacy", "Not a valid boolean"),
    ({"nominator_first_name": ""}, "nominator_first_name", "Enter a name"),
    ({"favourite_colour": "blue"}, "favourite_colour", "Unknown field"),
]


@pytest.mark.parametrize(("change", "named", "message"), SUBMISSION_RULE_CASES)
def test_submission_rule_422(client, headers, change, named, message):
    response = client.post(URL, json=submission(**change), headers=headers)
    assert response.status_code == 422, response.json
    assert named in response.json["message"]
    assert message in response.json["message"][named][0]
    assert db.session.query(Nomination).count() == 0


def test_self_nomination_adult_allowed(client, headers):
    """The allowed twin of the under-18 self-nomination: an 18-year-old student (grade 12)."""
    body = submission(
        nominator_kind="self",
        student_email="lia@example.org",
        student_date_of_birth=_adult_birth(),
        student_grade=12,
    )
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 201, response.json


def test_status_review_to_accepted(client, factory, headers):
    nomination = factory.nomination()
    url = f"{URL}{nomination.id}/status"
    in_review = client.post(url, json={"status": "in_review"}, headers=headers)
    accepted = client.post(url, json={"status": "accepted"}, headers=headers)
    assert in_review.status_code == 200, in_review.json
    assert accepted.status_code == 200, accepted.json
    assert accepted.json["result"]["status"] == "accepted"
    assert accepted.json["result"]["student_id"] is not None
    changes = db.session.query(NominationStatusChange).filter_by(nomination_id=nomination.id)
    assert changes.count() == 2


@pytest.mark.parametrize(
    ("body", "named", "message"),
    [
        ({"status": "declined"}, "reason", "reason for declining"),
        ({"status": "declined", "reason": "   "}, "reason", "reason for declining"),
        ({"status": "matched"}, "status", "cannot be marked matched"),
        ({"status": "Accepted"}, "status", "Must be one of"),
        ({}, "status", "Missing data"),
    ],
)
def test_status_rejected_422(client, factory, headers, body, named, message):
    nomination = factory.nomination()
    response = client.post(f"{URL}{nomination.id}/status", json=body, headers=headers)
    assert response.status_code == 422, response.json
    assert message in response.json["message"][named][0]
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).status is NominationStatus.new


def test_decline_with_reason(client, factory, headers):
    nomination = factory.nomination()
    body = {"status": "declined", "reason": "Outside the program's area"}
    response = client.post(f"{URL}{nomination.id}/status", json=body, headers=headers)
    assert response.status_code == 200
    assert response.json["result"]["decline_reason"] == "Outside the program's area"


def test_status_missing_nomination_404(client, headers):
    response = client.post(f"{URL}999999/status", json={"status": "in_review"}, headers=headers)
    assert response.status_code == 404


def test_put_notes(client, factory, headers):
    nomination = factory.nomination()
    response = client.put(
        f"{URL}{nomination.id}", json={"coordinator_notes": "Called the family"}, headers=headers
    )
    assert response.status_code == 200, response.json
    assert response.json["result"]["coordinator_notes"] == "Called the family"


@pytest.mark.parametrize(
    ("body", "named", "message"),
    [
        ({"status": "accepted"}, "status", "Unknown field"),
        ({"student_date_of_birth": "2010-01-01"}, "student_date_of_birth", "Unknown field"),
        ({"student_grade": 13}, "student_grade", "grades 1 to 12"),
        ({"student_grade": 12}, "student_grade", "do not fit together"),
        ({"nominator_email": "not-an-address"}, "nominator_email", "valid e-mail"),
        ({"guardian_phone": "12"}, "guardian_phone", "US phone number"),
        ({"language": "xx"}, "language", "not a language of the program"),
        ({"school_id": 999999}, "school_id", "Choose a school"),
    ],
)
def test_put_rejected_422(client, factory, headers, body, named, message):
    nomination = factory.nomination()
    response = client.put(f"{URL}{nomination.id}", json=body, headers=headers)
    assert response.status_code == 422, response.json
    assert message in response.json["message"][named][0]


def test_delete_not_routed(client, factory, headers):
    nomination = factory.nomination()
    assert client.delete(f"{URL}{nomination.id}", headers=headers).status_code == 405
