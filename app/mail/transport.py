"""Mail transports: SMTP through Flask-Mail with a socket timeout, or .eml files.

``ILS_MAIL_BACKEND`` picks one. ``files`` (the development default) writes each
message to ``instance/mail/`` and counts it as sent. ``smtp`` sends with
Flask-Mail. Flask-Mail 0.10 opens ``smtplib.SMTP(server, port)`` without a
timeout, so ``TimeoutConnection`` opens a ``DeadlineSMTP`` instead: each step
has a timeout, and the after-commit send also has a deadline for all of them.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_mail import Connection, Message

from app.mail.calendar import calendar_method
from app.mail.headers import MailHeaderInvalid, check_header_value

logger = logging.getLogger(__name__)

CALENDAR_FILENAME = "invitation.ics"


@dataclass(frozen=True)
class OutgoingMessage:
    """The parts of an outbox row needed to send it, read before the transaction ends."""

    outbox_id: int
    to_address: str
    subject: str
    text_body: str
    html_body: str
    calendar: str | None
    message_id: str

    @classmethod
    def from_row(cls, row) -> OutgoingMessage:
        return cls(
            outbox_id=row.id,
            to_address=row.to_address,
            subject=row.subject,
            text_body=row.text_body,
            html_body=row.html_body,
            calendar=row.calendar,
            message_id=row.message_id,
        )

    def to_mail_message(self) -> Message:
        """Build the Flask-Mail message; raises MailHeaderInvalid for an unsafe header value."""
        config = current_app.config
        sender = check_header_value(config["MAIL_DEFAULT_SENDER"], "MAIL_DEFAULT_SENDER")
        message = Message(
            subject=check_header_value(self.subject, "subject"),
            recipients=[check_header_value(self.to_address, "to_address")],
            body=self.text_body,
            html=self.html_body,
            sender=sender,
        )
        message.msgId = check_header_value(self.message_id, "message_id")
        if self.calendar:
            # Flask-Mail 0.10 builds the part as MIMEBase(*content_type.split("/")), so
            # parameters after the subtype reach the Content-Type header as written.
            method = calendar_method(self.calendar)
            message.attach(
                CALENDAR_FILENAME,
                f"text/calendar; charset=utf-8; method={method}",
                self.calendar.encode("utf-8"),
                disposition="attachment",
            )
        return message


@dataclass(frozen=True)
class Outcome:
    """The result of one delivery attempt.

    ``error`` contains this module's text and the SMTP code, never the server's reply,
    which often repeats the recipient's address.
    """

    sent: bool
    permanent: bool = False
    error: str | None = None


SENT = Outcome(sent=True)


class DeadlineSMTP(smtplib.SMTP):
    """An SMTP client that limits each step to ``step_timeout`` seconds and all to ``deadline``.

    ``deadline`` is a ``time.monotonic()`` value, or None for no overall limit. Each
    command and the message body set the socket timeout to what is left before
    they are sent, so the reply waits no longer than that either. A step that would
    start after the deadline raises TimeoutError.
    """

    def __init__(
        self, host: str, port: int, *, step_timeout: float, deadline: float | None, **options
    ):
        self.step_timeout = step_timeout
        self.deadline = deadline
        super().__init__(host, port, timeout=self.next_timeout(), **options)

    def next_timeout(self) -> float:
        if self.deadline is None:
            return self.step_timeout
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("sending timed out: the send deadline passed")
        return min(self.step_timeout, left)

    def send(self, s) -> None:
        if self.sock is not None:
            self.sock.settimeout(self.next_timeout())
        super().send(s)


class DeadlineSMTPSSL(DeadlineSMTP, smtplib.SMTP_SSL):
    """DeadlineSMTP over TLS from the start (``MAIL_USE_SSL``)."""


class TimeoutConnection(Connection):
    """Flask-Mail's connection, opened with a per-step timeout and an optional deadline."""

    def __init__(self, timeout: float, deadline: float | None = None) -> None:
        super().__init__(current_app.extensions["mail"])
        self.timeout = timeout
        self.deadline = deadline

    def configure_host(self) -> smtplib.SMTP:
        """Open and log in to the server named in the app's current config."""
        config = current_app.config
        # Without a context, Python 3.11's smtplib encrypts but checks no certificate,
        # and Flask-Mail 0.10 passes none. This one checks the certificate and host name.
        context = ssl.create_default_context()
        if config["MAIL_USE_SSL"]:
            host = DeadlineSMTPSSL(
                config["MAIL_SERVER"],
                config["MAIL_PORT"],
                step_timeout=self.timeout,
                deadline=self.deadline,
                context=context,
            )
        else:
            host = DeadlineSMTP(
                config["MAIL_SERVER"],
                config["MAIL_PORT"],
                step_timeout=self.timeout,
                deadline=self.deadline,
            )
        if config["MAIL_USE_TLS"]:
            host.starttls(context=context)
        if config["MAIL_USERNAME"] and config["MAIL_PASSWORD"]:
            host.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        return host


class SmtpTransport:
    """Send over one SMTP connection, opened on the first message.

    After a connection failure (refused, timed out, dropped) every later message of
    the batch gets the same temporary failure without another try, so a server
    that is down costs at most one timeout per batch.
    """

    def __init__(self, timeout: float, deadline: float | None = None) -> None:
        self.timeout = timeout
        self.deadline = deadline
        self.connection: TimeoutConnection | None = None
        self.broken: Outcome | None = None

    def send(self, message: OutgoingMessage) -> Outcome:
        if self.broken is not None:
            return self.broken
        try:
            mail_message = message.to_mail_message()
            if self.connection is None:
                connection = TimeoutConnection(self.timeout, self.deadline)
                connection.host = connection.configure_host()
                self.connection = connection
            self.connection.send(mail_message)
        except MailHeaderInvalid as error:
            return Outcome(sent=False, permanent=True, error=f"unsafe header value ({error.field})")
        except UnicodeError as error:
            # A non-ASCII address or header cannot go over plain SMTP, and retrying
            # changes nothing. The error's text would contain the address.
            self._reset_transaction()
            return Outcome(
                sent=False, permanent=True, error=f"cannot encode for SMTP ({type(error).__name__})"
            )
        except smtplib.SMTPRecipientsRefused as error:
            code = next(iter(error.recipients.values()))[0]
            return _reply_outcome(code, "recipient refused")
        except smtplib.SMTPAuthenticationError as error:
            # A wrong password is fixed in the settings, so later tries may succeed.
            self.broken = Outcome(sent=False, error=f"SMTP {error.smtp_code}: login failed")
            return self.broken
        except smtplib.SMTPConnectError as error:
            self.broken = Outcome(sent=False, error=f"SMTP {error.smtp_code}: connection refused")
            return self.broken
        except smtplib.SMTPResponseException as error:
            return _reply_outcome(error.smtp_code, "server rejected the message")
        except OSError as error:
            # Also smtplib.SMTPServerDisconnected, a subclass of OSError.
            # smtplib reports a reply that timed out as SMTPServerDisconnected,
            # raised while handling the socket's TimeoutError.
            timed_out = isinstance(error, TimeoutError) or isinstance(
                error.__context__, TimeoutError
            )
            kind = "timed out" if timed_out else "failed"
            self.broken = Outcome(sent=False, error=f"connection {kind} ({type(error).__name__})")
            self.connection = None
            return self.broken
        except Exception as error:
            # Only the type is logged: the text of an encoding error can contain the address.
            logger.error(
                "outbox %s: unexpected %s while sending", message.outbox_id, type(error).__name__
            )
            return Outcome(sent=False, error=f"unexpected error ({type(error).__name__})")
        return SENT

    def _reset_transaction(self) -> None:
        """End a half-sent SMTP transaction, or drop the connection when that fails."""
        if self.connection is None or self.connection.host is None:
            return
        try:
            self.connection.host.rset()
        except (smtplib.SMTPException, OSError) as error:
            logger.warning(
                "SMTP reset failed (%s), so the next message opens a new connection",
                type(error).__name__,
            )
            self.connection = None

    def close(self) -> None:
        if self.connection is None or self.connection.host is None:
            return
        try:
            self.connection.host.quit()
        except (smtplib.SMTPException, OSError) as error:
            logger.warning("SMTP connection did not close cleanly (%s)", type(error).__name__)
        self.connection = None


def _reply_outcome(code: int, text: str) -> Outcome:
    """Classify an SMTP reply: 5xx is permanent, anything else is retried."""
    permanent = 500 <= code < 600
    return Outcome(sent=False, permanent=permanent, error=f"SMTP {code}: {text}")


class FileTransport:
    """Write each message as ``<time>-<outbox id>.eml`` under ``ILS_MAIL_DIR``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def send(self, message: OutgoingMessage) -> Outcome:
        try:
            mail_message = message.to_mail_message()
        except MailHeaderInvalid as error:
            return Outcome(sent=False, permanent=True, error=f"unsafe header value ({error.field})")
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        path = self.directory / f"{stamp}-{message.outbox_id}.eml"
        path.write_bytes(mail_message.as_bytes())
        return SENT

    def close(self) -> None:
        pass


@contextmanager
def open_transport(
    *, timeout: float | None = None, deadline: float | None = None
) -> Iterator[SmtpTransport | FileTransport]:
    """Yield the transport chosen by ``ILS_MAIL_BACKEND`` and close it afterwards.

    ``timeout`` limits each SMTP step in seconds (default ``ILS_MAIL_TIMEOUT``);
    ``deadline`` (a ``time.monotonic()`` value) limits them all together.
    """
    config = current_app.config
    if config["ILS_MAIL_BACKEND"] == "files":
        transport: SmtpTransport | FileTransport = FileTransport(Path(config["ILS_MAIL_DIR"]))
    else:
        transport = SmtpTransport(timeout or config["ILS_MAIL_TIMEOUT"], deadline)
    try:
        yield transport
    finally:
        transport.close()
