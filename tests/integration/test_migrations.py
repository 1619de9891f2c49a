"""The migrations build exactly the schema the models describe."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_appbuilder import Model
from flask_migrate import downgrade, upgrade

from app.cli import seed_schools, sync_roles
from app.extensions import db

# SQLAlchemy cannot reflect SQLite's expression indexes (the name-prefix indexes), so
# on SQLite they are left out of the comparison. PostgreSQL reflects and compares them.
SKIPPED_EXPRESSION_INDEXES = [
    "ignore:Skipped unsupported reflection of expression-based index:sqlalchemy.exc.SAWarning",
    "ignore:autogenerate skipping metadata-specified expression-based index:UserWarning",
]


@pytest.mark.filterwarnings(*SKIPPED_EXPRESSION_INDEXES)
def test_migrated_schema_matches_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Model.metadata)
    assert differences == []


@pytest.mark.filterwarnings(*SKIPPED_EXPRESSION_INDEXES)
def test_migrations_downgrade_and_upgrade_again(app):
    downgrade(revision="base")
    upgrade()
    # The rest of the suite needs the set-up rows that the downgrade removed.
    sync_roles()
    app.appbuilder.add_permissions(update_perms=True)
    seed_schools()

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Model.metadata) == []
