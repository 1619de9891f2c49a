"""Configuration from the environment: safe defaults, no default secret in production."""

import pytest

from config import ConfigError, load_config, normalize_database_url


def test_development_defaults_to_sqlite_under_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = load_config("development")
    assert config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert config["SQLALCHEMY_DATABASE_URI"].endswith("instance/ils.sqlite3")
    assert len(config["SECRET_KEY"]) >= 32


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_production_requires_setting(monkeypatch, missing):
    monkeypatch.setenv("SECRET_KEY", "a-real-secret")
    monkeypatch.setenv("DATABASE_URL", "postgresql://db.invalid/ils")
    monkeypatch.delenv(missing)
    with pytest.raises(ConfigError, match=missing):
        load_config("production")


def test_production_with_settings_uses_secure_cookies(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-real-secret")
    monkeypatch.setenv("DATABASE_URL", "postgres://db.invalid/ils")
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
