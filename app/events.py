"""Signals raised after a change is committed, for notifications and reports to hook into.

Receivers get the sender ``None`` and keyword ``match_id`` (or ``nomination_id``).
They run in the request, after the commit, so a failing receiver cannot undo the
change; receivers must catch their own errors. The mailer's receiver
(``app.mail.worker.send_queued_now``) sends the messages the event queued.
"""

from blinker import Namespace

signals = Namespace()

nomination_received = signals.signal("nomination-received")
match_activated = signals.signal("match-activated")
match_closed = signals.signal("match-closed")
