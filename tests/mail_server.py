"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1) that records what it receives.

``reply`` makes it reply to every DATA command with that reply instead of accepting
(for example ``"451 4.3.0 Try again later"``). ``delay`` makes it wait that many
seconds before replying to DATA, like a slow server. ``stop()`` and ``start()``
simulate an outage on the same port. ``tls_context`` offers STARTTLS with its certificate.
"""

from __future__ import annotations

import asyncio
import email
import socket
import ssl
import threading
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingHandler:
    """Keep every accepted message, parsed, with its envelope recipients."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.reply: str | None = None
        self.delay: float = 0.0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.reply is not None:
            return self.reply
        parsed = email.message_from_bytes(envelope.content, policy=default)
        with self._lock:
            self.messages.append(parsed)
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


class MailServer:
    """An aiosmtpd controller on a free local port."""

    def __init__(self, tls_context: ssl.SSLContext | None = None) -> None:
        self.port = free_port()
        self.handler = RecordingHandler()
        self.tls_context = tls_context
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def answer(self, reply: str | None) -> None:
        self.handler.reply = reply

    def start(self) -> None:
        options = {} if self.tls_context is None else {"tls_context": self.tls_context}
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **options)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
