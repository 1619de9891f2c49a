"""The "Needs attention" screen: active matches ranked by urgency, with the reasons shown."""

from __future__ import annotations

from flask import abort, request
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.admin.base import program_date, render_without_year
from app.extensions import db
from app.models import Match
from app.services.attention import AttentionReason, attention_page
from app.services.program_years import span_of, year_on
from app.url_values import parse_whole_number

PAGE_SIZE = 25
MAX_PAGE = 10_000


def page_argument() -> int:
    """Return the ``page`` argument (from 0), or abort with 400 when it is not a small number."""
    page = parse_whole_number(request.args.get("page", "0"))
    if page is None or page > MAX_PAGE:
        abort(400, description=f"Invalid page number: use a whole number from 0 to {MAX_PAGE}.")
    return page


def reason_argument() -> AttentionReason | None:
    raw = request.args.get("reason", "")
    if not raw:
        return None
    reason = AttentionReason.__members__.get(raw)
    if reason is None:
        choices = ", ".join(AttentionReason.__members__)
        abort(400, description=f"Invalid reason: use one of {choices}.")
    return reason


class NeedsAttentionView(BaseView):
    """Active matches that need a coordinator, paged and filterable by reason."""

    route_base = "/needs-attention"
    default_view = "index"
    class_permission_name = "NeedsAttention"

    @expose("/")
    @has_access
    def index(self):
        page = page_argument()
        reason = reason_argument()
        today = program_date()
        year = year_on(today)
        if year is None:
            return render_without_year(self, "Needs attention", today)
        page_items, total = attention_page(
            span_of(year), today, reason, offset=page * PAGE_SIZE, limit=PAGE_SIZE
        )
        matches = {}
        if page_items:
            ids = [item.health.match_id for item in page_items]
            matches = {
                match.id: match
                for match in db.session.execute(
                    select(Match)
                    .where(Match.id.in_(ids))
                    .options(joinedload(Match.student), joinedload(Match.mentor))
                ).scalars()
            }
        return self.render_template(
            "admin/needs_attention.html",
            title="Needs attention",
            year=year,
            items=page_items,
            matches=matches,
            total=total,
            page=page,
            page_size=PAGE_SIZE,
            reason=reason,
            reasons=list(AttentionReason),
        )
