"""Unsafe names and addresses, written straight into the database, stop the event whole.

Forms and the API reject line breaks in names and addresses, so these rows are
written directly. The mailer must raise before it queues anything, and the event's
other changes must roll back with it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.mail.headers import MailHeaderInvalid
from app.mail.queue import queue_nomination_received
from app.models import Match, Mentor, Nomination, OutboxMessage, Student
from app.rules.choices import MatchStatus, MentorStatus, NominationStatus
from app.services.matching import activate_match
from tests.integration.test_mail_events import proposed_match

INJECTED_ADDRESS = "parent@example.org\r\nBcc: attacker@example.net"


def outbox_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def force(model, row_id: int, **values) -> None:
    """Write values the forms would reject, bypassing every check."""
    db.session.execute(update(model).where(model.id == row_id).values(**values))
    db.session.commit()


@pytest.mark.parametrize(
    ("model", "values", "field", "message"),
    [
        (Student, {"guardian_email": INJECTED_ADDRESS}, "student", "contains a line break"),
        (Student, {"guardian_email": "not an address"}, "student", "is not a valid e-mail"),
        (Student, {"email": INJECTED_ADDRESS}, "student", "contains a line break"),
        (Mentor, {"email": "mentor@example.org\nBcc: x@example.net"}, "mentor", "line break"),
        (Mentor, {"first_name": "Dana\r\nBcc: x@example.net"}, "mentor", "A name on"),
        (Student, {"preferred_name": "Ana\nSubject: hi"}, "student", "A name on"),
    ],
)
def test_unsafe_value_stops_activation(app, factory, model, values, field, message):
    student = factory.student(date_of_birth=factory.student().date_of_birth.replace(year=1990))
    match = proposed_match(factory, student=student)
    row_id = match.student_id if model is Student else match.mentor_id
    force(model, row_id, **values)

    with pytest.raises(MailHeaderInvalid) as raised:
        activate_match(match.id, user_id=None)

    assert raised.value.field == field
    assert message in raised.value.render()
    assert "example" not in raised.value.render()
    assert outbox_count() == 0
    assert db.session.get(Match, match.id).status is MatchStatus.proposed
    assert db.session.get(Mentor, match.mentor_id).status is MentorStatus.ready
    nominations = db.session.execute(
        select(Nomination.status).where(Nomination.student_id == match.student_id)
    ).scalars()
    assert set(nominations) == {NominationStatus.accepted}


def test_unsafe_proctor_address_stops_activation(app, factory):
    match = proposed_match(factory)
    from flask_appbuilder.security.sqla.models import User

    force(User, match.proctor_id, email="staff@example.org\r\nBcc: x@example.net")

    with pytest.raises(MailHeaderInvalid) as raised:
        activate_match(match.id, user_id=None)

    assert raised.value.field == "proctor"
    assert outbox_count() == 0
    assert db.session.get(Match, match.id).status is MatchStatus.proposed


def test_coordinator_sees_why_activation_failed(client, factory, login_as):
    login_as(client, factory.coordinator())
    match = proposed_match(factory)
    force(Student, match.student_id, guardian_email=INJECTED_ADDRESS)

    response = client.post(f"/matchview/activate/{match.id}", follow_redirects=True)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The parent/guardian e-mail on the student&#39;s record contains a line break" in page
    assert "attacker" not in page
    assert db.session.get(Match, match.id).status is MatchStatus.proposed
    assert outbox_count() == 0


def test_unsafe_nominator_address_queues_nothing(app, factory):
    nomination = factory.nomination(nominator_email=INJECTED_ADDRESS)

    with pytest.raises(MailHeaderInvalid) as raised:
        queue_nomination_received(nomination)

    assert raised.value.field == "nominator_email"
    assert outbox_count() == 0


def test_names_stay_out_of_headers(app, factory, smtp_server):
    student = factory.student(preferred_name="Ana")
    match = proposed_match(factory, student=student)

    activate_match(match.id, user_id=None)

    for message in smtp_server.messages:
        headers = "\n".join(f"{name}: {value}" for name, value in message.items())
        assert "Ana" not in headers
        assert "Dana" not in headers
        assert "Bcc" not in headers
