"""The outbox screen: list, filters, preview, resend and cancel, and who may use them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models import OutboxMessage, Student
from app.rules.choices import MailEvent, OutboxStatus, RecipientRole
from config import MENTOR_ROLE
from tests.conftest import make_app


@pytest.fixture
def coordinator(client, factory, login_as):
    login_as(client, factory.coordinator())


def status_of(message: OutboxMessage) -> OutboxStatus:
    message_id = message.id
    # Rolling back ends the session's read transaction, which on SQLite would keep an old view.
    db.session.rollback()
    return db.session.get(OutboxMessage, message_id).status


def test_list_shows_delivery_state(client, factory, coordinator):
    factory.outbox_message(
        status=OutboxStatus.failed, attempts=3, last_error="SMTP 550: server rejected the message"
    )

    page = client.get("/outboxview/list/").get_data(as_text=True)

    assert "Nomination received" in page
    assert "Nominator" in page
    assert "Failed" in page
    assert "SMTP 550: server rejected the message" in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("_flt_0_status=failed", "Match closed", "Match activated"),
        ("_flt_0_event=match_activated", "Match activated", "Match closed"),
    ],
)
def test_list_filters(client, factory, coordinator, query, shown, hidden):
    factory.outbox_message(
        event=MailEvent.match_closed, status=OutboxStatus.failed, last_error="Match closed"
    )
    factory.outbox_message(
        event=MailEvent.match_activated, status=OutboxStatus.sent, last_error="Match activated"
    )

    page = client.get(f"/outboxview/list/?{query}").get_data(as_text=True)

    # The search form lists every event once. Each listed row adds its event twice
    # (event and last error columns).
    assert page.count(shown) == page.count(hidden) + 2


def test_list_searches_address(client, factory, coordinator):
    factory.outbox_message(to_address="family.one@example.org", last_error="first row")
    factory.outbox_message(to_address="family.two@example.org", last_error="second row")

    page = client.get("/outboxview/list/?_flt_2_to_address=one@").get_data(as_text=True)

    assert "first row" in page
    assert "second row" not in page


@pytest.mark.parametrize(
    "query",
    ["_flt_0_status=bogus", "_oc_OutboxView=text_body&_od_OutboxView=asc", "psize_OutboxView=x"],
)
def test_list_rejects_nonsense_parameters(client, coordinator, query):
    assert client.get(f"/outboxview/list/?{query}").status_code == 400


def test_list_sorts_by_attempts(client, factory, coordinator):
    factory.outbox_message(attempts=7, last_error="SMTP 451: first")
    factory.outbox_message(attempts=2, last_error="SMTP 451: second")

    page = client.get("/outboxview/list/?_oc_OutboxView=attempts&_od_OutboxView=asc")

    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert text.index("SMTP 451: second") < text.index("SMTP 451: first")


def test_show_previews_bodies_escaped(client, factory, coordinator):
    message = factory.outbox_message(html_body='<p onclick="x()">Hi <script>alert(1)</script></p>')

    page = client.get(f"/outboxview/show/{message.id}").get_data(as_text=True)

    assert 'sandbox=""' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page
    assert message.text_body in page
    assert message.to_address in page


def test_resend_failed_message(client, factory, coordinator):
    message = factory.outbox_message(
        status=OutboxStatus.failed, attempts=10, last_error="SMTP 451: server rejected the message"
    )

    response = client.post(f"/outboxview/resend/{message.id}")

    assert response.status_code == 302
    db.session.expire_all()
    row = db.session.get(OutboxMessage, message.id)
    assert row.status is OutboxStatus.pending
    assert row.attempts == 0
    assert row.last_error is None
    assert row.message_id == message.message_id


def test_resend_sent_message_unchanged(client, factory, coordinator):
    message = factory.outbox_message(status=OutboxStatus.sent, attempts=1)

    page = client.post(f"/outboxview/resend/{message.id}", follow_redirects=True)

    assert "1 of 1 message(s) were not failed or cancelled" in page.get_data(as_text=True)
    assert status_of(message) is OutboxStatus.sent


def test_resend_uses_corrected_address(client, factory, coordinator):
    nomination = factory.nomination(nominator_email="ana.perez@example.org")
    message = factory.outbox_message(
        nomination_id=nomination.id, to_address="ana..perez@example.org", status=OutboxStatus.failed
    )

    page = client.post(f"/outboxview/resend/{message.id}", follow_redirects=True)

    assert "to the address now on its recipient&#39;s record" in page.get_data(as_text=True)
    db.session.rollback()
    row = db.session.get(OutboxMessage, message.id)
    assert row.status is OutboxStatus.pending
    assert row.to_address == "ana.perez@example.org"


@pytest.mark.parametrize(
    ("role", "record_values", "expected"),
    [
        (
            RecipientRole.family,
            {"guardian_email": None},
            "The parent/guardian e-mail on the student&#39;s record is missing.",
        ),
        (
            RecipientRole.family,
            {"guardian_email": "ana..perez@example.org"},
            "The parent/guardian e-mail on the student&#39;s record is not a valid e-mail",
        ),
        (
            RecipientRole.student,
            {"email": None},
            "The student&#39;s e-mail on the student&#39;s record is missing.",
        ),
    ],
)
def test_resend_rejected_without_address(
    client, factory, coordinator, role, record_values, expected
):
    match = factory.match()
    message = factory.outbox_message(
        match_id=match.id,
        event=MailEvent.match_activated,
        recipient_role=role,
        status=OutboxStatus.failed,
    )
    db.session.execute(
        update(Student).where(Student.id == match.student_id).values(**record_values)
    )
    db.session.commit()

    page = client.post(f"/outboxview/resend/{message.id}", follow_redirects=True)

    assert f"Message {message.id}: {expected}" in page.get_data(as_text=True)
    assert status_of(message) is OutboxStatus.failed


@pytest.mark.parametrize(
    ("role", "current"),
    [
        (RecipientRole.mentor, lambda match: match.mentor.email),
        (RecipientRole.proctor, lambda match: match.proctor.email),
        (RecipientRole.family, lambda match: match.student.guardian_email),
    ],
)
def test_resend_takes_each_role_address(client, factory, coordinator, role, current):
    match = factory.match()
    message = factory.outbox_message(
        match_id=match.id,
        event=MailEvent.match_activated,
        recipient_role=role,
        to_address="old.address@example.org",
        status=OutboxStatus.cancelled,
    )
    expected = current(match)

    client.post("/outboxview/action_post", data={"action": "resend", "rowid": [str(message.id)]})

    db.session.rollback()
    row = db.session.get(OutboxMessage, message.id)
    assert row.status is OutboxStatus.pending
    assert row.to_address == expected


@pytest.mark.parametrize(
    ("status", "after"),
    [
        (OutboxStatus.pending, OutboxStatus.cancelled),
        (OutboxStatus.failed, OutboxStatus.cancelled),
        (OutboxStatus.sent, OutboxStatus.sent),
    ],
)
def test_cancel_message(client, factory, coordinator, status, after):
    message = factory.outbox_message(status=status)

    client.post(f"/outboxview/cancel/{message.id}")

    assert status_of(message) is after


def test_bulk_actions_post(client, factory, coordinator):
    failed = [factory.outbox_message(status=OutboxStatus.failed) for _ in range(2)]
    pending = factory.outbox_message()

    client.post(
        "/outboxview/action_post",
        data={"action": "resend", "rowid": [str(message.id) for message in failed]},
    )
    client.post("/outboxview/action_post", data={"action": "cancel", "rowid": [str(pending.id)]})

    assert [status_of(message) for message in failed] == [OutboxStatus.pending] * 2
    assert status_of(pending) is OutboxStatus.cancelled


@pytest.mark.parametrize("form", [{"action": "nosuch"}, {}, {"action": ""}])
def test_bulk_unknown_action_not_found(client, factory, coordinator, form):
    message = factory.outbox_message(status=OutboxStatus.failed)

    response = client.post("/outboxview/action_post", data={**form, "rowid": [str(message.id)]})

    assert response.status_code == 404
    assert status_of(message) is OutboxStatus.failed


def test_bulk_action_anonymous_sent_to_login(client, factory):
    message = factory.outbox_message(status=OutboxStatus.failed)

    for action in ("nosuch", "resend"):
        response = client.post(
            "/outboxview/action_post", data={"action": action, "rowid": [str(message.id)]}
        )
        assert response.status_code == 302
        assert "/login/" in response.headers["Location"]
    assert status_of(message) is OutboxStatus.failed


def test_bulk_unknown_action_with_csrf_token(app, database_url, factory):
    guarded = make_app(database_url, WTF_CSRF_ENABLED=True)
    user = factory.coordinator()
    with guarded.app_context():
        client = guarded.test_client()
        page = client.get("/login/").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

        anonymous = client.post(
            "/outboxview/action_post", data={"action": "nosuch", "csrf_token": token}
        )
        client.post(
            "/login/",
            data={"username": user.username, "password": "password-for-tests", "csrf_token": token},
        )
        logged_in = client.post(
            "/outboxview/action_post", data={"action": "nosuch", "csrf_token": token}
        )

    assert anonymous.status_code == 302
    assert logged_in.status_code == 404


def test_action_by_get_not_routed(client, factory, coordinator):
    message = factory.outbox_message(status=OutboxStatus.failed)

    assert client.get(f"/outboxview/action/resend/{message.id}").status_code == 404
    assert client.get(f"/outboxview/resend/{message.id}").status_code == 405
    assert status_of(message) is OutboxStatus.failed


def test_mentor_denied(client, factory, login_as):
    login_as(client, factory.user(MENTOR_ROLE))
    message = factory.outbox_message(status=OutboxStatus.failed)

    assert client.get("/outboxview/list/").status_code == 403
    assert client.get(f"/outboxview/show/{message.id}").status_code == 403
    assert client.post(f"/outboxview/resend/{message.id}").status_code == 403
    for action in ("resend", "nosuch"):
        response = client.post(
            "/outboxview/action_post", data={"action": action, "rowid": [str(message.id)]}
        )
        assert response.status_code == 403
    assert status_of(message) is OutboxStatus.failed
    menu = client.get("/mystudentsview/list/").get_data(as_text=True)
    assert "Outbox" not in menu


def test_resend_without_csrf_token_rejected(app, database_url, factory):
    guarded = make_app(database_url, WTF_CSRF_ENABLED=True)
    message = factory.outbox_message(status=OutboxStatus.failed)
    user = factory.coordinator()
    with guarded.app_context():
        client = guarded.test_client()
        page = client.get("/login/").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post(
            "/login/",
            data={"username": user.username, "password": "password-for-tests", "csrf_token": token},
        )

        client.post(f"/outboxview/resend/{message.id}")
        assert status_of(message) is OutboxStatus.failed

        show = client.get(f"/outboxview/show/{message.id}").get_data(as_text=True)
        form_token = re.search(r'name="csrf_token" value="([^"]+)"', show).group(1)
        client.post(f"/outboxview/resend/{message.id}", data={"csrf_token": form_token})
    assert status_of(message) is OutboxStatus.pending


@pytest.mark.parametrize("rowid", ["abc", "1.5", "-1", "\u00b2", "99999999999999999999", ""])
def test_bulk_action_invalid_row_id(client, factory, coordinator, rowid):
    message = factory.outbox_message(status=OutboxStatus.failed)

    response = client.post(
        "/outboxview/action_post", data={"action": "resend", "rowid": [str(message.id), rowid]}
    )

    assert response.status_code == 400
    assert status_of(message) is OutboxStatus.failed
