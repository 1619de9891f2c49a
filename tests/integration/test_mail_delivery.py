"""Delivery against a real SMTP server: outages, temporary and permanent failures, leases."""

from __future__ import annotations

import datetime as dt
import ssl
import subprocess
import threading
from email.message import EmailMessage

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.mail.deliver import claim, send_due
from app.mail.worker import SEND_NOW_USED_KEY, drain
from app.models import Match, OutboxMessage
from app.models.types import utcnow
from app.rules.choices import MatchStatus, OutboxStatus, RecipientRole
from app.services.matching import activate_match
from app.services.nominations import submit_nomination
from tests.integration.test_mail_events import proposed_match
from tests.integration.test_public_nomination_service import raw_parent

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture(autouse=True)
def fresh_send_budget(app):
    """Tests share one app context, so reset the per-request budget of immediate sends."""
    from flask import g

    g.pop(SEND_NOW_USED_KEY, None)
    yield


def rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())


def make_all_due() -> None:
    past = utcnow() - dt.timedelta(seconds=1)
    db.session.execute(update(OutboxMessage).values(next_attempt_at=past))
    db.session.commit()


def run_worker(app) -> str:
    result = app.test_cli_runner().invoke(args=["ils", "send-mail", "--once"])
    assert result.exit_code == 0, result.output
    return result.output


def message_ids(messages: list[EmailMessage]) -> list[str]:
    return [message["Message-ID"] for message in messages]


def test_nomination_delivered_right_after_commit(app, smtp_server):
    nomination = submit_nomination(raw_parent(language="es"), now=NOW)

    [row] = rows()
    [received] = smtp_server.messages
    assert row.status is OutboxStatus.sent
    assert row.attempts == 1
    assert received["Message-ID"] == row.message_id
    assert received["To"] == nomination.nominator_email
    assert received["Subject"] == "Recibimos su nominación"
    assert nomination.reference in received.get_body(("plain",)).get_content()
    assert nomination.reference in received.get_body(("html",)).get_content()


def test_mentor_message_carries_ics_attachment(app, factory, smtp_server):
    match = proposed_match(factory)

    activate_match(match.id, user_id=None)

    by_address = {message["To"]: message for message in smtp_server.messages}
    mentor_mail = by_address[match.mentor.email]
    family_mail = by_address[match.student.guardian_email]
    [attachment] = list(mentor_mail.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "invitation.ics"
    assert b"RRULE:FREQ=WEEKLY" in attachment.get_payload(decode=True)
    assert list(family_mail.iter_attachments()) == []


def test_calendar_part_declares_charset_and_method(app, factory, smtp_server):
    student = factory.student(first_name="José", preferred_name="Zoë")
    match = proposed_match(factory, student=student)

    activate_match(match.id, user_id=None)

    mentor_mail = next(m for m in smtp_server.messages if m["To"] == match.mentor.email)
    [attachment] = list(mentor_mail.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("charset") == "utf-8"
    assert attachment.get_param("method") == "PUBLISH"
    assert "SUMMARY:ILS mentoring: Zoë with Dana" in attachment.get_content()


def test_non_ascii_address_fails_at_once(app, factory, smtp_server):
    bad = factory.outbox_message(to_address="josé@example.org")
    good = factory.outbox_message()

    report = send_due(10)

    by_id = {row.id: row for row in rows()}
    assert report.failed == 1
    assert by_id[bad.id].status is OutboxStatus.failed
    assert by_id[bad.id].attempts == 1
    assert by_id[bad.id].last_error == "cannot encode for SMTP (UnicodeEncodeError)"
    assert by_id[good.id].status is OutboxStatus.sent
    assert len(smtp_server.messages) == 1


def test_slow_server_capped_by_send_budget(app, factory, smtp_server):
    match = proposed_match(factory)
    smtp_server.handler.delay = 1.5
    app.config["ILS_MAIL_SEND_NOW_SECONDS"], budget = 1, app.config["ILS_MAIL_SEND_NOW_SECONDS"]
    try:
        activate_match(match.id, user_id=None)
    finally:
        app.config["ILS_MAIL_SEND_NOW_SECONDS"] = budget

    first, *rest = rows()
    assert first.attempts == 1
    assert first.status is OutboxStatus.pending
    assert first.last_error.startswith("connection timed out")
    assert len(rest) == 2
    assert {row.attempts for row in rest} == {0}
    assert {row.claimed_until for row in rest} == {None}

    run_worker(app)

    assert [row.status for row in rows()[1:]] == [OutboxStatus.sent] * 2


def test_smtp_down_worker_delivers_later(app, factory):
    from tests.mail_server import MailServer

    match = proposed_match(factory)

    activate_match(match.id, user_id=None)

    assert db.session.get(Match, match.id).status is MatchStatus.active
    pending = rows()
    assert len(pending) == 3
    assert {row.status for row in pending} == {OutboxStatus.pending}
    assert {row.last_error for row in pending} == {"connection failed (ConnectionRefusedError)"}

    server = MailServer()
    server.start()
    app.config["MAIL_PORT"], previous_port = server.port, app.config["MAIL_PORT"]
    try:
        make_all_due()
        run_worker(app)
        make_all_due()
        run_worker(app)
    finally:
        server.stop()
        app.config["MAIL_PORT"] = previous_port

    assert sorted(message_ids(server.messages)) == sorted(row.message_id for row in pending)
    assert {row.status for row in rows()} == {OutboxStatus.sent}


def test_temporary_failure_retried_with_backoff(app, smtp_server):
    smtp_server.answer("451 4.3.0 Try again later")
    before = utcnow()

    submit_nomination(raw_parent(), now=NOW)

    [row] = rows()
    assert row.status is OutboxStatus.pending
    assert row.attempts == 1
    assert row.last_error == "SMTP 451: server rejected the message"
    next_attempt = row.next_attempt_at.replace(tzinfo=dt.UTC)
    assert next_attempt >= before + dt.timedelta(minutes=1)
    assert run_worker(app) == "Attempted 0 messages.\n"

    make_all_due()
    run_worker(app)
    [row] = rows()
    assert row.attempts == 2
    assert row.next_attempt_at.replace(tzinfo=dt.UTC) >= utcnow() + dt.timedelta(seconds=110)

    smtp_server.answer(None)
    make_all_due()
    run_worker(app)
    [row] = rows()
    assert row.status is OutboxStatus.sent
    assert row.attempts == 3
    assert row.last_error is None
    assert len(smtp_server.messages) == 1


def test_permanent_failure_fails_at_once(app, client, factory, login_as, smtp_server):
    smtp_server.answer("550 5.1.1 <someone@example.org>: mailbox unavailable")

    submit_nomination(raw_parent(), now=NOW)

    [row] = rows()
    assert row.status is OutboxStatus.failed
    assert row.attempts == 1
    assert row.last_error == "SMTP 550: server rejected the message"
    assert "example.org" not in row.last_error
    login_as(client, factory.coordinator())
    page = client.get("/outboxview/list/?_flt_0_status=failed").get_data(as_text=True)
    assert "SMTP 550: server rejected the message" in page


def test_max_attempts_ends_failed(app, smtp_server):
    smtp_server.answer("421 4.7.0 Busy")
    app.config["ILS_MAIL_MAX_ATTEMPTS"], previous = 2, app.config["ILS_MAIL_MAX_ATTEMPTS"]
    try:
        submit_nomination(raw_parent(), now=NOW)
        make_all_due()
        run_worker(app)
    finally:
        app.config["ILS_MAIL_MAX_ATTEMPTS"] = previous

    [row] = rows()
    assert row.status is OutboxStatus.failed
    assert row.attempts == 2


def test_send_now_limited_per_request(app, factory, smtp_server):
    app.config["ILS_MAIL_SEND_NOW_MAX"], previous = 2, app.config["ILS_MAIL_SEND_NOW_MAX"]
    try:
        match = proposed_match(factory)
        activate_match(match.id, user_id=None)
    finally:
        app.config["ILS_MAIL_SEND_NOW_MAX"] = previous

    statuses = [row.status for row in rows()]
    assert statuses.count(OutboxStatus.sent) == 2
    assert statuses.count(OutboxStatus.pending) == 1
    run_worker(app)
    assert len(smtp_server.messages) == 3


def test_claimed_message_not_claimed_twice(app, factory):
    message = factory.outbox_message()

    first = claim(10)
    second = claim(10)

    assert first.ids == [message.id]
    assert second.ids == []


def test_expired_lease_keeps_message_id(app, factory, smtp_server):
    message = factory.outbox_message()
    claim(10)  # a worker that then crashes before sending
    assert send_due(10).attempted == 0

    db.session.execute(
        update(OutboxMessage).values(claimed_until=utcnow() - dt.timedelta(seconds=1))
    )
    db.session.commit()
    run_worker(app)

    assert message_ids(smtp_server.messages) == [message.message_id]
    assert rows()[0].status is OutboxStatus.sent


def test_late_result_after_lease_not_stored(app, factory, smtp_server):
    message = factory.outbox_message()
    stale = claim(10)
    # The lease runs out and another sender claims the row before the first one reports.
    db.session.execute(
        update(OutboxMessage).values(claimed_until=utcnow() - dt.timedelta(seconds=1))
    )
    db.session.commit()
    fresh = claim(10)
    assert fresh.ids == [message.id]

    from app.mail.deliver import deliver

    deliver(stale)

    [row] = rows()
    assert row.status is OutboxStatus.pending
    assert row.claimed_until.replace(tzinfo=dt.UTC) == fresh.lease_until


def test_files_backend_writes_eml(app, tmp_path):
    overrides = {"ILS_MAIL_BACKEND": "files", "ILS_MAIL_DIR": str(tmp_path)}
    previous = {key: app.config[key] for key in overrides}
    app.config.update(overrides)
    try:
        nomination = submit_nomination(raw_parent(), now=NOW)
    finally:
        app.config.update(previous)

    [row] = rows()
    [path] = tmp_path.glob("*.eml")
    assert row.status is OutboxStatus.sent
    assert path.name.endswith(f"-{row.id}.eml")
    text = path.read_text(encoding="utf-8")
    assert f"Message-ID: {row.message_id}" in text
    assert f"To: {nomination.nominator_email}" in text


def test_unsafe_sender_setting_fails_message(app, factory, smtp_server):
    factory.outbox_message()
    sender = app.config["MAIL_DEFAULT_SENDER"]
    app.config["MAIL_DEFAULT_SENDER"] = "ILS <no-reply@example.org>\r\nBcc: x@example.org"
    try:
        run_worker(app)
    finally:
        app.config["MAIL_DEFAULT_SENDER"] = sender

    [row] = rows()
    assert row.status is OutboxStatus.failed
    assert row.last_error == "unsafe header value (MAIL_DEFAULT_SENDER)"
    assert smtp_server.messages == []


@pytest.mark.parametrize("workers", [4])
def test_parallel_workers_send_each_once(app, factory, smtp_server, workers):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("parallel workers need PostgreSQL, because SQLite allows one writer")
    queued = [factory.outbox_message() for _ in range(60)]
    errors: list[BaseException] = []

    def work() -> None:
        with app.app_context():
            try:
                drain(batch_size=3)
            except BaseException as error:  # reported by the assert below
                errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    received = message_ids(smtp_server.messages)
    assert sorted(received) == sorted(message.message_id for message in queued)
    assert {row.status for row in rows()} == {OutboxStatus.sent}
    assert {row.attempts for row in rows()} == {1}


def test_roles_of_delivered_activation(app, factory, smtp_server):
    match = proposed_match(factory)

    activate_match(match.id, user_id=None)

    sent = {row.recipient_role for row in rows() if row.status is OutboxStatus.sent}
    assert sent == {RecipientRole.mentor, RecipientRole.family, RecipientRole.proctor}
    assert len(smtp_server.messages) == 3


@pytest.fixture
def tls_server(app, tmp_path):
    """Start an SMTP server that offers STARTTLS with a self-signed certificate."""
    from tests.mail_server import MailServer

    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    command += ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
    command += ["-keyout", str(key), "-out", str(certificate)]
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603 (fixed arguments)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, key)
    server = MailServer(tls_context=context)
    server.start()
    previous = app.config["MAIL_PORT"], app.config["MAIL_USE_TLS"]
    app.config["MAIL_PORT"], app.config["MAIL_USE_TLS"] = server.port, True
    try:
        yield server, certificate
    finally:
        server.stop()
        app.config["MAIL_PORT"], app.config["MAIL_USE_TLS"] = previous


def test_starttls_rejects_untrusted_certificate(app, tls_server):
    server, _certificate = tls_server

    submit_nomination(raw_parent(), now=NOW)

    [row] = rows()
    assert row.status is OutboxStatus.pending
    assert row.last_error == "connection failed (SSLCertVerificationError)"
    assert server.messages == []


def test_starttls_sends_to_trusted_certificate(app, tls_server, monkeypatch):
    server, certificate = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))

    submit_nomination(raw_parent(), now=NOW)

    [row] = rows()
    assert row.status is OutboxStatus.sent
    assert len(server.messages) == 1
