"""Row scope of the mentor portal: every query and write is limited to the logged-in mentor.

Flask-AppBuilder's ``base_filters`` cover list, show, edit and delete. The pieces
here cover what they do not: dropdowns, the routes that load rows by id without
filters (list actions, file download), and values written on add and edit.
"""

from __future__ import annotations

import logging

from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.filters import FilterEqual, FilterEqualFunction
from sqlalchemy import select

from app.models import Match
from app.rules.choices import MatchStatus
from app.security import current_mentor_id

logger = logging.getLogger(__name__)

OPEN_MATCH_STATUSES = (MatchStatus.proposed, MatchStatus.active)

# Routes that ModelView exposes but the portal must not: ``action`` and
# ``action_post`` load rows by id without base filters, and ``download`` serves
# files from UPLOAD_FOLDER. Excluded routes are never registered, so they return 404.
UNSCOPED_ROUTES = frozenset({"action", "action_post", "download"})


def open_match_statuses() -> tuple[MatchStatus, ...]:
    return OPEN_MATCH_STATUSES


class FilterMatchOfMentor(BaseFilter):
    """Keep rows whose ``match_id`` belongs to a match of the mentor ``func()`` returns.

    It uses a subquery instead of a join, so it combines with eager loading and
    with FAB's own joins for sorting. It has no ``arg_name``, so FAB does not
    register it as a search operator for the REST API.
    """

    name = "Match of the current mentor"

    def apply(self, query, func):
        own_matches = select(Match.id).where(Match.mentor_id == func())
        return query.filter(getattr(self.model, self.column_name).in_(own_matches))


MENTOR_MATCHES = [["mentor_id", FilterEqualFunction, current_mentor_id]]
"""Filter list for Match queries: the logged-in mentor's matches in any status."""

MENTOR_ACTIVE_MATCHES = [
    ["mentor_id", FilterEqualFunction, current_mentor_id],
    ["status", FilterEqual, MatchStatus.active],
]
"""Filter list for Match queries: the logged-in mentor's active matches.

Only active matches take new sessions, so the add and edit dropdowns use this list.
"""


def is_own_match(match: Match | None) -> bool:
    """Return whether ``match`` belongs to the logged-in mentor, logging a warning if not."""
    if match is None:
        return False
    mentor_id = current_mentor_id()
    if match.mentor_id == mentor_id:
        return True
    logger.warning("match id=%s rejected for mentor id=%s: not their match", match.id, mentor_id)
    return False
