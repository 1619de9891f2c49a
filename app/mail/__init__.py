"""E-mail notifications: an outbox written with each event, then delivered once.

- ``queue``: the services call ``queue_*`` before their commit.
- ``render`` and ``calendar``: subject, bodies and .ics, fixed when queued.
- ``deliver`` and ``transport``: claim due rows, send (SMTP or .eml files), record.
- ``worker``: delivery right after the commit, and ``flask ils send-mail``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

logger = logging.getLogger(__name__)


def init_mail(app: Flask) -> None:
    """Send queued messages after each program event's commit, and check the catalogs."""
    from app import events
    from app.mail.worker import send_queued_now

    for signal in (events.nomination_received, events.match_activated, events.match_closed):
        signal.connect(send_queued_now, weak=False)
    _warn_if_not_compiled(Path(app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[-1]))


def _warn_if_not_compiled(directory: Path) -> None:
    """Log when a catalog has no compiled .mo file: its family e-mails would be in English."""
    missing = [
        po.parts[-3]
        for po in directory.glob("*/LC_MESSAGES/messages.po")
        if not po.with_suffix(".mo").exists()
    ]
    if missing:
        logger.warning(
            "translations not compiled for %s: run 'make compile-translations' "
            "(pybabel compile -d translations) before sending e-mail",
            ", ".join(sorted(missing)),
        )
