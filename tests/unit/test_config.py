"""Configuration from the environment: safe defaults, no default secret in production."""

from pathlib import Path

import pytest

from config import ConfigError, load_config, normalize_database_url


def test_development_defaults_to_sqlite_under_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = load_config("development")
    assert config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert config["SQLALCHEMY_DATABASE_URI"].endswith("instance/ils.sqlite3")
    assert len(config["SECRET_KEY"]) >= 32


PRODUCTION_SETTINGS = {
    "SECRET_KEY": "a-real-secret",
    "DATABASE_URL": "postgres://db.invalid/ils",
    "MAIL_SERVER": "smtp.invalid",
    "MAIL_DEFAULT_SENDER": "ILS Mentoring <no-reply@ils.invalid>",
}


def set_production_settings(monkeypatch) -> None:
    monkeypatch.delenv("ILS_MAIL_BACKEND", raising=False)
    for name, value in PRODUCTION_SETTINGS.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize("missing", list(PRODUCTION_SETTINGS))
def test_production_requires_setting(monkeypatch, missing):
    set_production_settings(monkeypatch)
    monkeypatch.delenv(missing)
    with pytest.raises(ConfigError, match=missing):
        load_config("production")


def test_production_with_settings_uses_secure_cookies(monkeypatch):
    set_production_settings(monkeypatch)
    config = load_config("production")
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["FAB_UPDATE_PERMS"] is False
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql://db.invalid/ils"


def test_unknown_profile_rejected():
    with pytest.raises(ConfigError, match="ILS_ENV"):
        load_config("staging")


def test_whole_number_setting_rejects_text(monkeypatch):
    monkeypatch.setenv("ILS_MENTOR_EDIT_DAYS", "two weeks")
    with pytest.raises(ConfigError, match="ILS_MENTOR_EDIT_DAYS"):
        load_config("development")


def test_postgres_scheme_renamed():
    assert normalize_database_url("postgres://h/d") == "postgresql://h/d"
    assert normalize_database_url("sqlite:///x") == "sqlite:///x"


def test_development_mail_goes_to_files(monkeypatch):
    monkeypatch.delenv("ILS_MAIL_BACKEND", raising=False)
    config = load_config("development")
    assert config["ILS_MAIL_BACKEND"] == "files"
    assert config["ILS_MAIL_DIR"].endswith("instance/mail")


def test_production_mail_uses_smtp(monkeypatch):
    set_production_settings(monkeypatch)
    config = load_config("production")
    assert config["ILS_MAIL_BACKEND"] == "smtp"
    assert config["ILS_MAIL_DOMAIN"] == "ils.invalid"


def test_unknown_mail_backend_rejected(monkeypatch):
    monkeypatch.setenv("ILS_MAIL_BACKEND", "console")
    with pytest.raises(ConfigError, match="ILS_MAIL_BACKEND"):
        load_config("development")


def test_mail_tls_and_ssl_rejected(monkeypatch):
    monkeypatch.setenv("MAIL_USE_TLS", "true")
    monkeypatch.setenv("MAIL_USE_SSL", "true")
    with pytest.raises(ConfigError, match="MAIL_USE_TLS and MAIL_USE_SSL are both set"):
        load_config("development")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ILS_MAIL_TIMEOUT", "-3"),
        ("ILS_MAIL_TIMEOUT", "0"),
        ("ILS_MAIL_MAX_ATTEMPTS", "0"),
        ("ILS_MAIL_SEND_NOW_MAX", "-1"),
        ("ILS_MAIL_SEND_NOW_SECONDS", "0"),
        ("MAIL_PORT", "0"),
    ],
)
def test_mail_setting_below_minimum_rejected(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=f"{name} must be at least"):
        load_config("development")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ILS_MAIL_TIMEOUT", "1"),
        ("ILS_MAIL_MAX_ATTEMPTS", "1"),
        ("ILS_MAIL_SEND_NOW_MAX", "0"),
        ("ILS_MAIL_SEND_NOW_SECONDS", "1"),
        ("MAIL_PORT", "1"),
    ],
)
def test_mail_setting_at_minimum_accepted(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    assert load_config("development")[name] == int(value)


def test_mail_send_now_seconds_default(monkeypatch):
    monkeypatch.delenv("ILS_MAIL_SEND_NOW_SECONDS", raising=False)
    assert load_config("development")["ILS_MAIL_SEND_NOW_SECONDS"] == 3


def test_procfile_web_sets_worker_timeout():
    procfile = (Path(__file__).parents[2] / "Procfile").read_text()
    [web] = [line for line in procfile.splitlines() if line.startswith("web:")]
    assert "--timeout ${WEB_TIMEOUT:-30}" in web
