"""Search for an active match by name, for the match field of the coordinator forms.

The "Log a session" and "Log a check-in" forms render the match field empty, apart
from the current value, and Select2 fills it from ``GET /matchsearch/?q=<text>``
as the coordinator types. The endpoint carries the "Matches" permission, so
mentors get 403 and never see other mentors' matches. The names typed are sent
by XHR in the query string, which the access logs drop (app.QueryStringFilter for
the development server, ``%(U)s`` in the Procfile's gunicorn log format).
"""

from __future__ import annotations

import functools

from flask import jsonify, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_login import current_user
from sqlalchemy import ColumnElement, String, and_, func, literal, or_, select
from sqlalchemy.orm import contains_eager

from app.admin.fields import BoundedSelectField, SearchSelectWidget
from app.extensions import db
from app.models import Match, Mentor, Student
from app.rules.choices import MatchStatus

PAGE_SIZE = 20
"""Matches returned by one search request."""

MAX_PAGES = 5
"""Pages one search can reach. Past them the coordinator types more of the name,
which keeps the OFFSET of each query at most (MAX_PAGES - 1) * PAGE_SIZE rows."""

MAX_QUERY_LENGTH = 100
"""The maximum length of a name column, in characters. A longer search text matches no name."""

LAST_CODE_POINT = "\U0010ffff"
"""The upper bound of SQLite's prefix range: every text that starts with the prefix sorts
below prefix + this, unless it continues with this code point (a private-use character)."""


def match_label(match: Match) -> str:
    """Return the text a match shows in the match field: student, mentor and weekly slot."""
    return f"{match.student} — {match.mentor} ({match.slot})"


def _name_starts_with(column, text: str) -> ColumnElement[bool]:
    """Return a condition true when ``column`` starts with ``text``, ignoring case.

    Both sides go through the database's ``lower()``, so they fold case the same way.
    The conditions fit the indexes on ``lower(name)`` (app.models.people): PostgreSQL
    uses a ``text_pattern_ops`` index for a LIKE prefix, and SQLite, whose LIKE uses
    no expression index, uses one for a range of the binary (code point) order.

    NOTE: SQLite's ``lower()`` folds ASCII letters only, so there "émi" does not find
    "Émile" (PostgreSQL folds both). Typing the name's own case finds it on both.
    """
    lowered = func.lower(column)
    if db.engine.dialect.name == "postgresql":
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return lowered.like(func.lower(literal(escaped, String)) + "%", escape="\\")
    start = func.lower(literal(text, String))
    return and_(lowered >= start, lowered < start + LAST_CODE_POINT)


def _person_ids(model, text: str):
    return select(model.id).where(
        or_(_name_starts_with(model.first_name, text), _name_starts_with(model.last_name, text))
    )


def search_active_matches(text: str, page: int) -> tuple[list[Match], bool]:
    """Return one page of active matches whose student's or mentor's first or last name
    starts with ``text``, and whether a further page exists.

    Matches are ordered by the student's last and first name, then by id. An empty
    text, a text longer than any name and a page past ``MAX_PAGES`` find nothing.
    """
    text = text.strip()
    if not text or len(text) > MAX_QUERY_LENGTH or not 1 <= page <= MAX_PAGES:
        return [], False
    if "\x00" in text:
        # No name contains NUL, and PostgreSQL rejects it in a text parameter.
        return [], False
    query = (
        select(Match)
        .join(Match.student)
        .join(Match.mentor)
        .where(
            Match.status == MatchStatus.active,
            or_(
                Match.student_id.in_(_person_ids(Student, text)),
                Match.mentor_id.in_(_person_ids(Mentor, text)),
            ),
        )
        .options(contains_eager(Match.student), contains_eager(Match.mentor))
        .order_by(Student.last_name, Student.first_name, Match.id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    )
    rows = list(db.session.execute(query).scalars())
    more = len(rows) > PAGE_SIZE and page < MAX_PAGES
    return rows[:PAGE_SIZE], more


def login_first(view_method):
    """Send an anonymous user to the login page with no ``next`` URL.

    FAB's ``has_access`` passes the whole request URL as ``next``, which would put
    the typed name into the login page's URL.
    """

    @functools.wraps(view_method)
    def wrapper(self, *args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for(self.appbuilder.sm.auth_view.__class__.__name__ + ".login"))
        return view_method(self, *args, **kwargs)

    return wrapper


def _parse_page(text: str) -> int | None:
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        return None
    page = int(text)
    return page if page >= 1 else None


class MatchSearchView(BaseView):
    """Return active matches by name in Select2's format, for coordinators and admins."""

    route_base = "/matchsearch"
    default_view = "search"
    class_permission_name = "Matches"

    @expose("/")
    @login_first
    @has_access
    def search(self):
        page = _parse_page(request.args.get("page", "1"))
        if page is None:
            return jsonify(message="Invalid page: use a whole number from 1."), 400
        matches, more = search_active_matches(request.args.get("q", ""), page)
        return jsonify(
            results=[{"id": match.id, "text": match_label(match)} for match in matches],
            pagination={"more": more},
        )


def match_search_field(label: str = "Match") -> BoundedSelectField:
    """Return the match field of the coordinator forms, filled by search as the user types.

    It renders no options apart from the current value (an edit, a form sent back with
    errors, or ``?match=<id>`` from the match page). Any existing match may be
    submitted by id, and the rules that run on save check that it fits. Without
    JavaScript the field can only keep that current value, so a session or check-in
    is then logged from the match's page, whose link fills the field in.
    """
    return BoundedSelectField(
        label,
        model=Match,
        choices_query=list,
        get_label=match_label,
        widget=SearchSelectWidget("MatchSearchView.search"),
    )
