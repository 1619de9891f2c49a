"""The nomination service on its own: cleaning, references, the event and failures."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app import events
from app.extensions import db
from app.models import Nomination, School
from app.rules.choices import NominatorKind
from app.services import nominations
from app.services.nominations import (
    NominationInvalid,
    NominationNotSaved,
    clean_nomination,
    submit_nomination,
)

NOW = dt.datetime(2025, 10, 15, 16, 0, tzinfo=dt.UTC)
TODAY = dt.date(2025, 10, 15)


def school_code() -> str:
    return db.session.execute(
        select(School.dese_code).where(School.retired.is_(False)).order_by(School.id).limit(1)
    ).scalar_one()


def raw_parent(**overrides) -> dict:
    raw = {
        "nominator_kind": "parent_guardian",
        "nominator_first_name": "Maria",
        "nominator_last_name": "Rivera",
        "nominator_email": "Maria@Example.ORG",
        "student_first_name": "José",
        "student_last_name": "Díaz-O'Neil",
        "student_date_of_birth": "2013-03-15",
        "student_grade": "6",
        "student_school": school_code(),
        "language": "pt",
        "needs": ["math"],
        "availability": [],
        "consent_privacy": "on",
        "consent_online_sessions": "true",
        "attest_relationship": True,
    }
    raw.update(overrides)
    return raw


def count_nominations() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Nomination))


def test_clean_returns_columns(app):
    values = clean_nomination(raw_parent(), today=TODAY)

    assert values["nominator_kind"] is NominatorKind.parent_guardian
    assert values["nominator_email"] == "Maria@example.org"
    assert values["normalized_name"] == "jose|diaz o neil"
    assert values["student_date_of_birth"] == dt.date(2013, 3, 15)
    assert values["student_grade"] == 6
    assert isinstance(values["school_id"], int)
    assert values["consent_privacy"] is True
    assert values["consent_online_sessions"] is True
    assert values["guardian_email"] == "Maria@example.org"
    assert "student_school" not in values


def test_clean_accepts_api_types(app):
    raw = raw_parent(student_grade=6, student_date_of_birth=dt.date(2013, 3, 15), needs="math")

    values = clean_nomination(raw, today=TODAY)

    assert values["student_grade"] == 6
    assert values["needs"] == ["math"]


def test_clean_collects_every_field(app):
    raw = raw_parent(
        nominator_kind="teacher",
        student_grade="12th",
        nominator_email="",
        needs=[],
        consent_privacy="no",
    )

    with pytest.raises(NominationInvalid) as raised:
        clean_nomination(raw, today=TODAY)

    errors = raised.value.errors
    assert set(errors) == {
        "nominator_kind",
        "student_grade",
        "nominator_email",
        "needs",
        "consent_privacy",
    }
    assert errors["nominator_kind"].render() == "Choose who is making the nomination."
    assert all(violation.field == field for field, violation in errors.items())


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2013-3-15", "Enter the date of birth as year, month and day, such as 2012-03-15."),
        ("20130315", "Enter the date of birth as year, month and day, such as 2012-03-15."),
        ("2013-02-30", "Enter the date of birth as year, month and day, such as 2012-03-15."),
        ("", "Enter the student's date of birth."),
        ("2025-10-16", "The date of birth is in the future. Check the date and enter it again."),
    ],
)
def test_birth_date_rejected(app, value, message):
    with pytest.raises(NominationInvalid) as raised:
        clean_nomination(raw_parent(student_date_of_birth=value), today=TODAY)

    assert raised.value.errors["student_date_of_birth"].render() == message


def test_birth_date_accepted(app):
    values = clean_nomination(raw_parent(student_date_of_birth="2013-02-28"), today=TODAY)

    assert values["student_date_of_birth"] == dt.date(2013, 2, 28)


@pytest.mark.parametrize(("value", "expected"), [("on", True), ("1", True), ("", False)])
def test_consent_flag_values(app, value, expected):
    raw = raw_parent(
        nominator_kind="self",
        student_date_of_birth="2006-03-15",
        student_grade="12",
        student_email="jose@example.org",
        consent_online_sessions=value,
    )

    values = clean_nomination(raw, today=TODAY)

    assert values["consent_online_sessions"] is expected


def test_age_judged_in_boston(app):
    # 02:00 UTC on 15 June is still 14 June in Boston, the day before the 18th birthday.
    raw = raw_parent(
        nominator_kind="self",
        student_date_of_birth="2007-06-15",
        student_grade="12",
        student_email="jose@example.org",
    )

    with pytest.raises(NominationInvalid) as raised:
        submit_nomination(raw, now=dt.datetime(2025, 6, 15, 2, 0, tzinfo=dt.UTC))
    accepted = submit_nomination(raw, now=dt.datetime(2025, 6, 15, 4, 0, tzinfo=dt.UTC))

    assert set(raised.value.errors) == {"nominator_kind"}
    assert accepted.nominator_kind is NominatorKind.self


def test_submit_sends_event(app):
    received = []

    def receiver(sender, **kwargs):
        received.append((sender, kwargs))

    with events.nomination_received.connected_to(receiver):
        nomination = submit_nomination(raw_parent(), now=NOW)

    assert received == [(None, {"nomination_id": nomination.id})]
    submitted_at = nomination.submitted_at
    if submitted_at.tzinfo is None:  # SQLite returns the stored UTC time without a zone
        submitted_at = submitted_at.replace(tzinfo=dt.UTC)
    assert submitted_at == NOW


def test_failing_receiver_keeps_nomination(app, caplog):
    def receiver(sender, **kwargs):
        raise RuntimeError("mail server down")

    with events.nomination_received.connected_to(receiver):
        nomination = submit_nomination(raw_parent(), now=NOW)

    assert count_nominations() == 1
    assert f"receiver failed id={nomination.id}" in caplog.text


def test_taken_reference_redrawn(app, factory, monkeypatch, caplog):
    existing = factory.nomination(reference="ILS-AAAAAAAA")
    drawn = iter(["ILS-AAAAAAAA", "ILS-BBBBBBBB"])
    monkeypatch.setattr(nominations, "new_reference", lambda: next(drawn))

    with caplog.at_level(logging.WARNING):
        nomination = submit_nomination(raw_parent(), now=NOW)

    assert nomination.reference == "ILS-BBBBBBBB"
    assert nomination.id != existing.id
    assert "nomination reference taken" in caplog.text


def test_database_failure_raises_not_saved(app, monkeypatch, caplog):
    def failing_commit():
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(db.session, "commit", failing_commit)

    with pytest.raises(NominationNotSaved):
        submit_nomination(raw_parent(), now=NOW)

    monkeypatch.undo()
    assert count_nominations() == 0
    assert "Maria" not in caplog.text
    assert "example.org" not in caplog.text


def test_log_holds_no_personal_data(app, caplog):
    with caplog.at_level(logging.INFO):
        nomination = submit_nomination(raw_parent(), now=NOW)

    assert f"nomination received id={nomination.id}" in caplog.text
    for personal in ("Maria", "Rivera", "José", "2013-03-15", "example.org"):
        assert personal not in caplog.text
