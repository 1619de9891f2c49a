"""Checks the API runs on values that point at other rows or at a fixed list.

Each raises RuleViolation on the API field it is given, like the rule functions.
"""

from __future__ import annotations

from flask_appbuilder.security.sqla.models import Role, User
from sqlalchemy import select

from app.extensions import db
from app.models import School
from app.rules.choices import LANGUAGES
from app.rules.errors import N_, RuleViolation
from config import MENTOR_ROLE


def check_language(code: str | None, field: str = "language") -> None:
    if code not in LANGUAGES:
        raise RuleViolation(
            field,
            N_("%(code)s is not a language of the program. Use one of: %(codes)s."),
            code=str(code)[:20],
            codes=", ".join(LANGUAGES),
        )


def check_school(school_id: int | None, field: str = "school_id") -> None:
    """Raise RuleViolation unless ``school_id`` is a school, retired or not."""
    if school_id is None or db.session.get(School, school_id) is None:
        raise RuleViolation(field, N_("Choose a school from the list of schools."))


def _has_role(user_id: int | None, roles: tuple[str, ...]) -> bool:
    if user_id is None:
        return False
    found = db.session.execute(
        select(User.id)
        .join(User.roles)
        .where(User.id == user_id, User.active.is_(True), Role.name.in_(roles))
        .limit(1)
    ).first()
    return found is not None


def check_mentor_login(user_id: int | None, field: str = "user_id") -> None:
    """Raise RuleViolation unless ``user_id`` is empty or an active login with the Mentor role."""
    if user_id is not None and not _has_role(user_id, (MENTOR_ROLE,)):
        raise RuleViolation(field, N_("The login must be an active user with the Mentor role."))
