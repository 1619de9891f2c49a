"""Shared fixtures: a migrated test database, the app, clients and login helpers.

The database comes from ``TEST_DATABASE_URL`` (for example
``postgresql://postgres@127.0.0.1:5432/ils_test``), or a fresh SQLite file in a
temporary folder. It is rebuilt from the migrations once per test run, and every
test starts with the program tables and users empty (roles, permissions and
schools stay).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from config import BASE_DIR

TRANSLATIONS_DIR = BASE_DIR / "translations"

# Tables emptied after each test, children first.
PROGRAM_TABLES = (
    "outbox_message",
    "match_year_figures",
    "nomination_status_count",
    "match_check_in",
    "program_year_break",
    "program_year",
    "mentoring_session",
    "match",
    "nomination_status_change",
    "nomination",
    "student",
    "mentor",
    "ab_user_role",
    "ab_user_group",
    "ab_api_key",
    "ab_user",
)


def _reset_database(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    _reset_database(url)
    return url


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


UNUSED_PORT = _free_port()


def make_app(database_url: str, **overrides) -> Flask:
    """Create an app on the test database; ``overrides`` replace config values."""
    settings = {
        "ILS_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-of-at-least-32-bytes-long",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "FAB_UPDATE_PERMS": False,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "ILS_SHOW_DEMO_LOGINS": False,
        "SERVER_NAME": "localhost",
        # Tests create hundreds of logins; scrypt (the production default) would take
        # most of the suite's time. A weak hash is fine for throwaway test passwords.
        "FAB_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # Mail goes to the test SMTP server (tests/mail_server.py) when a test starts it.
        # Otherwise nothing listens on this port, so delivery fails fast, as when SMTP is down.
        "ILS_MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": UNUSED_PORT,
        "ILS_MAIL_TIMEOUT": 2,
    }
    settings.update(overrides)
    return create_app(settings)


def _compile_translations() -> None:
    """Compile the catalogs when a .mo file is missing or older than its .po (as make test does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)


@pytest.fixture(scope="session")
def app(database_url) -> Iterator[Flask]:
    from app.cli import seed_schools, sync_roles

    _compile_translations()
    application = make_app(database_url)
    with application.app_context():
        upgrade()
        sync_roles()
        application.appbuilder.add_permissions(update_perms=True)
        seed_schools()
    yield application


@pytest.fixture(autouse=True)
def _app_context(request) -> Iterator[None]:
    """Give tests that use the app an app context, and empty the tables afterwards."""
    if "app" not in request.fixturenames:
        yield
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        with db.engine.begin() as connection:
            for table in PROGRAM_TABLES:
                connection.execute(sa.text(f'DELETE FROM "{table}"'))  # noqa: S608 (fixed names)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def factory(app):
    from tests.factories import Factory

    return Factory()


@pytest.fixture
def login_as(app):
    """Return a function that logs a client in as a given user (created by ``factory``)."""

    def login(client, user) -> None:
        response = client.post(
            "/login/",
            data={"username": user.username, "password": "password-for-tests"},
        )
        assert response.status_code == 302, "login failed"

    return login


@pytest.fixture
def smtp_server(app):
    """Start a recording SMTP server and point the app's mail settings at it."""
    from tests.mail_server import MailServer

    server = MailServer()
    server.start()
    previous = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = server.port
    try:
        yield server
    finally:
        server.stop()
        app.config["MAIL_PORT"] = previous
