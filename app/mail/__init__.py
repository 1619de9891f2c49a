"""E-mail notifications: an outbox written with each event, then delivered once.

- ``queue``: the services call ``queue_*`` before their commit.
- ``render`` and ``calendar``: subject, bodies and .ics, fixed when queued.
- ``deliver`` and ``transport``: claim due rows, send (SMTP or .eml files), record.
- ``worker``: delivery right after the commit, and ``flask ils send-mail``.
"""

from __future__ import annotations

from flask import Flask


def init_mail(app: Flask) -> None:
    """Send queued messages after each program event's commit."""
    from app import events
    from app.mail.worker import send_queued_now

    for signal in (events.nomination_received, events.match_activated, events.match_closed):
        signal.connect(send_queued_now, weak=False)
