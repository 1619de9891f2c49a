"""Configuration read from environment variables, with safe defaults for development.

``ILS_ENV`` picks the profile: ``development`` (the default), ``testing`` or
``production``. Production refuses to start without ``SECRET_KEY`` and
``DATABASE_URL``; development and testing fall back to a random key and a SQLite
file under ``instance/``. Every variable is listed in the README.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask_appbuilder.const import AUTH_DB

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

ADMIN_ROLE = "Admin"
COORDINATOR_ROLE = "Coordinator"
MENTOR_ROLE = "Mentor"
PUBLIC_ROLE = "Public"


class ConfigError(RuntimeError):
    """A required setting is missing or invalid."""


def _int_setting(name: str, default: int, minimum: int | None = None) -> int:
    """Read a whole number; raise ConfigError when it is not one or is below ``minimum``."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def _bool_setting(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _default_database_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'ils.sqlite3'}"


def normalize_database_url(url: str) -> str:
    """Return ``url`` with the ``postgres://`` scheme some hosts hand out renamed."""
    if url.startswith("postgres://"):
        return "postgresql://" + url[len("postgres://") :]
    return url


def check_password_strength_lazily(password: str) -> None:
    """Call the app's password policy; imported on use, since config loads before the app."""
    from app.security import check_password_strength

    check_password_strength(password)


def load_config(env: str | None = None) -> dict[str, object]:
    """Build the Flask config dict for profile ``env`` from the environment."""
    env = env or os.environ.get("ILS_ENV", "development")
    if env not in {"development", "testing", "production"}:
        raise ConfigError(f"ILS_ENV must be development, testing or production, got {env!r}")
    production = env == "production"

    secret_key = os.environ.get("SECRET_KEY")
    if not secret_key:
        if production:
            raise ConfigError("SECRET_KEY must be set in production")
        secret_key = secrets.token_hex(32)

    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        if production:
            raise ConfigError("DATABASE_URL must be set in production")
        database_url = _default_database_url()

    config: dict[str, object] = {
        "ILS_ENV": env,
        "TESTING": env == "testing",
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": normalize_database_url(database_url),
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        # hide_parameters keeps submitted personal data out of logged database errors.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        # Flask-AppBuilder
        "APP_NAME": "ILS Mentoring",
        "AUTH_TYPE": AUTH_DB,
        "AUTH_ROLE_ADMIN": ADMIN_ROLE,
        "AUTH_ROLE_PUBLIC": PUBLIC_ROLE,
        "AUTH_USER_REGISTRATION": False,
        "AUTH_RATE_LIMITED": True,
        "AUTH_RATE_LIMIT": os.environ.get("ILS_LOGIN_RATE_LIMIT", "10 per 5 minutes"),
        "RATELIMIT_ENABLED": _bool_setting("RATELIMIT_ENABLED", True),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Permissions are created once by ``flask ils setup`` (the release step), not at
        # boot: workers starting together would race on them, and the app must boot on
        # an empty database for ``flask db upgrade`` to run.
        "FAB_UPDATE_PERMS": _bool_setting("FAB_UPDATE_PERMS", False),
        "FAB_ADD_SECURITY_API": False,
        # The schema belongs to the migrations; FAB would otherwise create_all() on boot.
        "FAB_CREATE_DB": False,
        "FAB_PASSWORD_COMPLEXITY_ENABLED": True,
        "FAB_PASSWORD_COMPLEXITY_VALIDATOR": check_password_strength_lazily,
        "FAB_API_SWAGGER_UI": not production,
        "FAB_API_MAX_PAGE_SIZE": 100,
        "FAB_SECURITY_MANAGER_CLASS": "app.security.IlsSecurityManager",
        "FAB_INDEX_VIEW": "app.admin.home.HomeView",
        "LANGUAGES": {"en": {"flag": "us", "name": "English"}},
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(BASE_DIR / "translations"),
        # No screen or API call takes files, and the longest public form is a few KB,
        # so larger request bodies get a 413 before anything reads them.
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Flask-WTF: tokens last an hour; an expired token is reported on the form.
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": 3600,
        # Cookies
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        # Program settings
        "ILS_CLEARANCE_YEARS": _int_setting("ILS_CLEARANCE_YEARS", 3),
        "ILS_MIN_TRAINING_HOURS": _int_setting("ILS_MIN_TRAINING_HOURS", 2),
        "ILS_MENTOR_EDIT_DAYS": _int_setting("ILS_MENTOR_EDIT_DAYS", 14),
        "ILS_MAX_MENTOR_CAPACITY": 10,
        "ILS_NOMINATION_RATE_LIMIT": os.environ.get(
            "ILS_NOMINATION_RATE_LIMIT", "5 per hour;20 per day"
        ),
        "ILS_LIST_PAGE_SIZE_MAX": 100,
        # Number of reverse proxies in front of the app whose X-Forwarded-* headers to trust.
        "ILS_TRUSTED_PROXIES": _int_setting("ILS_TRUSTED_PROXIES", 0),
        "ILS_SHOW_DEMO_LOGINS": env == "development",
        **_mail_settings(env),
    }
    return config


MAIL_BACKENDS = ("files", "smtp")


def _mail_settings(env: str) -> dict[str, object]:
    """Read the mail settings. Production with SMTP needs a server and a sender address.

    Development writes messages as .eml files under instance/mail/ by default, so a
    fresh clone needs no mail server.
    """
    backend = os.environ.get("ILS_MAIL_BACKEND") or ("files" if env == "development" else "smtp")
    if backend not in MAIL_BACKENDS:
        raise ConfigError(f"ILS_MAIL_BACKEND must be files or smtp, got {backend!r}")
    server = os.environ.get("MAIL_SERVER")
    sender = os.environ.get("MAIL_DEFAULT_SENDER")
    if env == "production" and backend == "smtp" and not (server and sender):
        raise ConfigError("MAIL_SERVER and MAIL_DEFAULT_SENDER must be set in production")
    sender = sender or "ILS Mentoring <no-reply@ils-mentoring.example.org>"
    use_tls = _bool_setting("MAIL_USE_TLS", False)
    use_ssl = _bool_setting("MAIL_USE_SSL", False)
    if use_tls and use_ssl:
        raise ConfigError(
            "MAIL_USE_TLS and MAIL_USE_SSL are both set: set MAIL_USE_SSL for TLS from the "
            "start (usually port 465) or MAIL_USE_TLS for STARTTLS (usually port 587)"
        )
    return {
        "ILS_MAIL_BACKEND": backend,
        "MAIL_SERVER": server or "127.0.0.1",
        "MAIL_PORT": _int_setting("MAIL_PORT", 25, minimum=1),
        "MAIL_USE_TLS": use_tls,
        "MAIL_USE_SSL": use_ssl,
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": sender,
        # Sending is decided by ILS_MAIL_BACKEND, not by Flask-Mail's TESTING default.
        "MAIL_SUPPRESS_SEND": False,
        "ILS_MAIL_DOMAIN": os.environ.get("ILS_MAIL_DOMAIN") or _address_domain(sender),
        # Seconds per SMTP step. smtplib rejects 0 (a non-blocking socket), hence the minimum 1.
        "ILS_MAIL_TIMEOUT": _int_setting("ILS_MAIL_TIMEOUT", 5, minimum=1),
        "ILS_MAIL_MAX_ATTEMPTS": _int_setting("ILS_MAIL_MAX_ATTEMPTS", 12, minimum=1),
        # 0 leaves every message to the worker.
        "ILS_MAIL_SEND_NOW_MAX": _int_setting("ILS_MAIL_SEND_NOW_MAX", 5, minimum=0),
        "ILS_MAIL_SEND_NOW_SECONDS": _int_setting("ILS_MAIL_SEND_NOW_SECONDS", 3, minimum=1),
        "ILS_MAIL_DIR": str(INSTANCE_DIR / "mail"),
    }


def _address_domain(sender: str) -> str:
    """Return the domain of a sender such as ``Name <user@example.org>``."""
    return sender.rstrip(">").rpartition("@")[2] or "localhost"
