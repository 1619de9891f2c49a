"""Delivery right after an event's commit, and the worker command ``flask ils send-mail``.

After the commit, the request tries the messages it queued itself: at most
``ILS_MAIL_SEND_NOW_MAX`` per request, and at most ``ILS_MAIL_SEND_NOW_SECONDS``
for all SMTP steps of one event together, each step also bounded by
``ILS_MAIL_TIMEOUT``. Nothing more is tried in that request after a connection
failure. Messages not started when the time runs out are released at once, so
the worker sends them on its next check. Errors are logged and never reach the
page.
"""

from __future__ import annotations

import logging
import time

import click
from flask import current_app, g
from flask.cli import with_appcontext

from app.mail.deliver import send_due
from app.mail.queue import take_queued_ids

logger = logging.getLogger(__name__)

SEND_NOW_USED_KEY = "_ils_mail_sent_now"


def send_queued_now(_sender=None, **_ids) -> None:
    """Try the messages queued in this request, within the per-request budget.

    Connected to the program event signals, which are sent after the commit.
    """
    queued = take_queued_ids()
    limit = current_app.config["ILS_MAIL_SEND_NOW_MAX"]
    used = g.get(SEND_NOW_USED_KEY, 0)
    if not queued or used >= limit:
        return
    config = current_app.config
    budget = config["ILS_MAIL_SEND_NOW_SECONDS"]
    try:
        report = send_due(
            limit - used,
            ids=queued[: limit - used],
            timeout=min(config["ILS_MAIL_TIMEOUT"], budget),
            deadline=time.monotonic() + budget,
        )
    except Exception:
        # The event is committed. The worker sends what this attempt did not.
        logger.exception("sending right after the commit failed, so the worker will retry")
        setattr(g, SEND_NOW_USED_KEY, limit)
        return
    # After a rejection or a connection failure, this request tries no more messages.
    server_failed = report.retried or report.failed
    setattr(g, SEND_NOW_USED_KEY, limit if server_failed else used + report.attempted)


def drain(batch_size: int) -> int:
    """Send due messages in batches until none is due; return how many were attempted."""
    total = 0
    while True:
        report = send_due(batch_size)
        total += report.attempted
        if report.attempted < batch_size:
            return total


@click.command("send-mail")
@click.option("--once", is_flag=True, help="Send every due message, then exit.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds to wait between checks when no message is due.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1, max=500),
    default=20,
    show_default=True,
    help="Messages claimed at a time.",
)
@with_appcontext
def send_mail_command(once: bool, interval: float, batch_size: int) -> None:
    """Send pending e-mail from the outbox, retrying temporary failures with back-off."""
    logger.info("mail worker started (backend %s)", current_app.config["ILS_MAIL_BACKEND"])
    if once:
        count = drain(batch_size)
        click.echo(f"Attempted {count} messages.")
        return
    try:
        while True:
            try:
                drain(batch_size)
            except Exception:
                logger.exception("mail worker batch failed, retrying in %s seconds", interval)
            time.sleep(interval)
    except KeyboardInterrupt:
        logger.info("mail worker stopped")
