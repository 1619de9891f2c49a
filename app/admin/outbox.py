"""The outbox screen: every queued e-mail with its delivery state, resend and cancel.

Read-only apart from the two actions, which are POST forms with a CSRF token. The
list shows no address or text. The show page has the address and a preview of both
bodies, the HTML one in a sandboxed frame so that its links and scripts do nothing.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder._compat import as_unicode
from flask_appbuilder.actions import action
from flask_appbuilder.const import FLAMSG_ERR_SEC_ACCESS_DENIED
from flask_appbuilder.security.decorators import has_access, permission_name

from app.admin.base import AdminInterface, AdminModelView, boston_time
from app.extensions import db
from app.mail.manage import (
    CANCELLABLE,
    RESENDABLE,
    ResendReport,
    cancel_messages,
    resend_messages,
)
from app.models import OutboxMessage

MAX_ROW_ID = 2**31 - 1
"""Largest value of the INTEGER primary key on PostgreSQL."""


def _row_ids(values: list[str]) -> list[int]:
    """Return the selected row ids as integers, or abort with 400 for any other value."""
    ids = []
    for value in values:
        if not (value.isascii() and value.isdigit()) or int(value) > MAX_ROW_ID:
            message = f"Invalid row id {value[:20]!r}. Tick the rows on the outbox list instead."
            abort(400, description=message)
        ids.append(int(value))
    return ids


def _report_resend(report: ResendReport) -> None:
    """Flash how many messages were queued again, and why the others were not."""
    if report.queued:
        flash(
            f"{report.queued} message(s) queued again, each to the address now on its "
            "recipient's record.",
            "success",
        )
    for reason in report.rejected:
        flash(reason, "danger")
    others = report.requested - report.queued - len(report.rejected)
    if others:
        flash(
            f"{others} of {report.requested} message(s) were not failed or cancelled, "
            "so they were left as they are.",
            "warning",
        )


def _report(changed: int, requested: int, verb: str) -> None:
    if changed == requested:
        flash(f"{changed} message(s) {verb}.", "success")
    else:
        flash(
            f"{changed} of {requested} message(s) {verb}. "
            "The others were not in a state that allows it.",
            "warning",
        )


class OutboxView(AdminModelView):
    """Queued e-mail, newest first: status, attempts and the last error of each message."""

    route_base = "/outboxview"
    datamodel = AdminInterface(OutboxMessage)
    class_permission_name = "Outbox"
    exclude_route_methods = {"add", "edit", "delete", "download", "action"}
    show_template = "admin/outbox_show.html"
    list_title = "Outbox"
    show_title = "Outbox message"

    list_columns = [
        "created_at",
        "event",
        "recipient_role",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
    ]
    show_columns = [
        "created_at",
        "event",
        "recipient_role",
        "to_address",
        "language",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "message_id",
    ]
    order_columns = ["created_at", "status", "attempts", "next_attempt_at"]
    base_order = ("created_at", "desc")
    search_columns = ["status", "event", "recipient_role", "to_address", "created_at"]
    label_columns = {
        "created_at": "Queued (Boston time)",
        "recipient_role": "Recipient",
        "to_address": "To",
        "next_attempt_at": "Next attempt (Boston time)",
        "sent_at": "Sent (Boston time)",
        "last_error": "Last error",
        "message_id": "Message-ID",
    }
    formatters_columns = {
        "created_at": boston_time,
        "next_attempt_at": boston_time,
        "sent_at": boston_time,
    }

    def show_extra(self, item: OutboxMessage) -> dict[str, object]:
        return {
            "can_resend": item.status in RESENDABLE,
            "can_cancel": item.status in CANCELLABLE,
        }

    @action(
        "resend",
        "Send again",
        "Send the selected failed or cancelled messages again, each to the address now on "
        "its recipient's record?",
        "fa-repeat",
        single=False,
    )
    def resend_selected(self, ids: list[int]):
        """Send the selected messages again. Called by ``action_post`` with ids, not rows."""
        _report_resend(resend_messages(ids))
        return redirect(url_for(".list"))

    @action(
        "cancel",
        "Cancel",
        "Cancel the selected pending or failed messages?",
        "fa-ban",
        single=False,
    )
    def cancel_selected(self, ids: list[int]):
        """Cancel the selected messages. Called by ``action_post`` with ids, not rows."""
        _report(cancel_messages(ids), len(ids), "cancelled")
        return redirect(url_for(".list"))

    @expose("/action_post", methods=["POST"])
    @has_access
    @permission_name("list")
    def action_post(self):
        """Run a bulk action from the list on the selected ids, guarded unlike FAB's own route.

        FAB 5.3's ``action_post`` checks no login before looking the action up, so an
        unknown name raised AttributeError (500) for anyone. It also loads the rows one
        query each, although the actions need only their ids. Here an anonymous user is
        sent to the login page, a user without the outbox list permission gets 403, an
        unknown action gets 404 and a row id that is not a database id gets 400. The
        action's own permission is then checked as FAB checks it.
        """
        name = request.form.get("action")
        if name not in self.actions:
            abort(404)
        ids = _row_ids(request.form.getlist("rowid"))
        if not self.appbuilder.sm.has_access(
            self.get_action_permission_name(name), self.class_permission_name
        ):
            flash(as_unicode(FLAMSG_ERR_SEC_ACCESS_DENIED), "danger")
            return redirect(".")
        return self.actions[name].func(ids)

    @expose("/resend/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("resend")
    def resend(self, pk: int):
        """Queue one failed or cancelled message again to the current address, attempts reset."""
        self._get_or_404(pk)
        _report_resend(resend_messages([pk]))
        return redirect(url_for(".show", pk=pk))

    @expose("/cancel/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("cancel")
    def cancel(self, pk: int):
        """Cancel one pending or failed message."""
        self._get_or_404(pk)
        _report(cancel_messages([pk]), 1, "cancelled")
        return redirect(url_for(".show", pk=pk))

    def _get_or_404(self, pk: int) -> OutboxMessage:
        message = db.session.get(OutboxMessage, pk)
        if message is None:
            abort(404)
        return message
