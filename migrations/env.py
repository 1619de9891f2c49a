"""Alembic environment: migrates FAB's metadata, which holds our tables and FAB's own."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from flask_appbuilder import Model

import app.models  # noqa: F401  (registers the tables on Model.metadata)

if context.config.config_file_name and not logging.getLogger().handlers:
    fileConfig(context.config.config_file_name)

target_metadata = Model.metadata


def run_migrations_offline() -> None:
    """Write the SQL to standard output instead of running it (``flask db upgrade --sql``)."""
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = current_app.extensions["migrate"].db.engine
    options = current_app.extensions["migrate"].configure_args
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            **options,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
