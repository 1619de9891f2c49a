"""Mail transports: SMTP through Flask-Mail with a socket timeout, or .eml files.

``ILS_MAIL_BACKEND`` picks one. ``files`` (the development default) writes each
message to ``instance/mail/`` and counts it as sent. ``smtp`` sends with
Flask-Mail. Flask-Mail 0.10 opens ``smtplib.SMTP(server, port)`` without a
timeout, so ``TimeoutConnection`` opens it with ``ILS_MAIL_TIMEOUT`` seconds.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_mail import Connection, Message

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
            message.attach(
                CALENDAR_FILENAME,
                "text/calendar",
                self.calendar.encode("utf-8"),
                disposition="attachment",
            )
        return message


@dataclass(frozen=True)
class Outcome:
    """The result of one delivery attempt. ``error`` is our text plus the SMTP code only."""

    sent: bool
    permanent: bool = False
    error: str | None = None


SENT = Outcome(sent=True)


class TimeoutConnection(Connection):
    """Flask-Mail's connection, opened with a socket timeout."""

    def __init__(self, timeout: float) -> None:
        super().__init__(current_app.extensions["mail"])
        self.timeout = timeout

    def configure_host(self) -> smtplib.SMTP:
        """Open and log in to the server named in the app's current config."""
        config = current_app.config
        host_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        host = host_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=self.timeout)
        if config["MAIL_USE_TLS"]:
            host.starttls()
        if config["MAIL_USERNAME"] and config["MAIL_PASSWORD"]:
            host.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        return host


class SmtpTransport:
    """Send over one SMTP connection, opened on the first message.

    After a connection failure (refused, timed out, dropped) every later message of
    the batch gets the same temporary failure without another try, so a server
    that is down costs at most one timeout per batch.
    """

    def __init__(self) -> None:
        self.connection: TimeoutConnection | None = None
        self.broken: Outcome | None = None

    def send(self, message: OutgoingMessage) -> Outcome:
        if self.broken is not None:
            return self.broken
        try:
            mail_message = message.to_mail_message()
            if self.connection is None:
                connection = TimeoutConnection(current_app.config["ILS_MAIL_TIMEOUT"])
                connection.host = connection.configure_host()
                self.connection = connection
            self.connection.send(mail_message)
        except MailHeaderInvalid as error:
            return Outcome(sent=False, permanent=True, error=f"unsafe header value ({error.field})")
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
            kind = "timed out" if isinstance(error, socket.timeout | TimeoutError) else "failed"
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

    def close(self) -> None:
        if self.connection is None or self.connection.host is None:
            return
        try:
            self.connection.host.quit()
        except (smtplib.SMTPException, OSError):
            logger.warning("SMTP connection did not close cleanly")
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
def open_transport() -> Iterator[SmtpTransport | FileTransport]:
    """Yield the transport chosen by ``ILS_MAIL_BACKEND`` and close it afterwards."""
    config = current_app.config
    if config["ILS_MAIL_BACKEND"] == "files":
        transport: SmtpTransport | FileTransport = FileTransport(Path(config["ILS_MAIL_DIR"]))
    else:
        transport = SmtpTransport()
    try:
        yield transport
    finally:
        transport.close()
