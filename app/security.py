"""Roles defined in code, the security manager, and the current mentor's identity.

Flask-AppBuilder checks roles listed in ``FAB_ROLES`` against these patterns in
code (no permission rows needed), so the roles below are the single source of
truth and cannot drift in the database. Patterns go through ``re.match``, which
anchors only at the start, so each one ends with ``$``.
"""

from __future__ import annotations

from flask import g
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.sqla.manager import SecurityManager

from config import COORDINATOR_ROLE, MENTOR_ROLE, PUBLIC_ROLE

# Permission names (``class_permission_name``) of the coordinator screens and APIs.
# A screen and its API share one name, so one role rule covers both.
COORDINATOR_PERMISSION_NAMES = (
    "Nominations",
    "NominationHistory",
    "Students",
    "Mentors",
    "Matches",
    "Sessions",
    "Schools",
    "Outbox",
    "CheckIns",
    "ProgramYears",
    "ProgramYearBreaks",
    "NeedsAttention",
    "Dashboard",
    "FunderReport",
)
# The mentor portal's screens and APIs. Row scope is enforced by the views.
MENTOR_PERMISSION_NAMES = ("MyStudents", "MySessions")

# Menu entries are checked as ``menu_access`` on their menu name.
COORDINATOR_MENUS = ("Program", "Reports", "Reference data", *COORDINATOR_PERMISSION_NAMES)
MENTOR_MENUS = ("My students", "My sessions", *MENTOR_PERMISSION_NAMES)

# Every logged-in user may see and edit their own user information and password.
SELF_SERVICE_RULES = [
    ("UserInfoEditView$", "can_this_form_(get|post)$"),
    ("ResetMyPasswordView$", "can_this_form_(get|post)$"),
    ("UserDBModelView$", "can_userinfo$|resetmypassword$|userinfoedit$"),
]


def _alternatives(names: tuple[str, ...]) -> str:
    return "(" + "|".join(names) + ")$"


FAB_ROLES: dict[str, list[tuple[str, str]]] = {
    COORDINATOR_ROLE: [
        (_alternatives(COORDINATOR_PERMISSION_NAMES), ".*$"),
        (_alternatives(COORDINATOR_MENUS), "menu_access$"),
        *SELF_SERVICE_RULES,
    ],
    MENTOR_ROLE: [
        (_alternatives(MENTOR_PERMISSION_NAMES), ".*$"),
        (_alternatives(MENTOR_MENUS), "menu_access$"),
        *SELF_SERVICE_RULES,
    ],
    PUBLIC_ROLE: [],
}


class IlsSecurityManager(SecurityManager):
    """FAB's SQLAlchemy security manager with the JWT login API rate limited too.

    FAB limits only the HTML login form; ``POST /api/v1/security/login`` would
    otherwise allow unlimited password guessing.
    """

    def register_views(self) -> None:
        super().register_views()
        if not self.is_auth_limited:
            return
        for view in self.appbuilder.baseviews:
            if isinstance(view, SecurityApi):
                self.limiter.limit(self.auth_rate_limit, methods=["POST"])(view.blueprint)


MIN_PASSWORD_LENGTH = 12


def check_password_strength(password: str) -> None:
    """Reject a password shorter than 12 characters or made of one repeated character.

    Length protects better than rules about character classes, which push people
    toward guessable patterns. Flask-AppBuilder calls this on every password form
    (``FAB_PASSWORD_COMPLEXITY_VALIDATOR``).
    """
    if len(password) < MIN_PASSWORD_LENGTH or len(set(password)) < 4:
        raise PasswordComplexityValidationError(
            f"Use at least {MIN_PASSWORD_LENGTH} characters, for example a few words "
            "with spaces or dashes between them."
        )


NO_MENTOR_ID = -1
"""Stand-in id for users without a mentor record; no row has it, so filters match nothing."""


def current_mentor_id() -> int:
    """Return the mentor id of the logged-in user, or ``NO_MENTOR_ID``.

    Used as a FAB base filter function, so it must never return None: a filter on
    ``None`` becomes ``IS NULL`` and would match rows without a mentor.
    """
    user = getattr(g, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_MENTOR_ID
    cached = getattr(g, "_ils_mentor_id", None)
    if cached is not None:
        return cached
    from app.extensions import db
    from app.models import Mentor

    mentor_id = db.session.query(Mentor.id).filter(Mentor.user_id == user.id).scalar()
    g._ils_mentor_id = mentor_id if mentor_id is not None else NO_MENTOR_ID
    return g._ils_mentor_id
