"""Flask CLI commands under ``flask ils``: set-up, reference data, demo data and the mail worker."""

from __future__ import annotations

import csv
import logging
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select, text

from app.extensions import db
from app.models import School
from config import ADMIN_ROLE, PUBLIC_ROLE

logger = logging.getLogger(__name__)

SCHOOLS_CSV = Path(__file__).resolve().parent / "data" / "bps_schools.csv"

ils = AppGroup("ils", help="ILS Mentoring set-up and data commands.")


def sync_roles() -> None:
    """Create every role defined in code; FAB checks their permissions from FAB_ROLES."""
    security = current_app.appbuilder.sm
    for name in (ADMIN_ROLE, PUBLIC_ROLE, *current_app.config["FAB_ROLES"]):
        security.add_role(name)


def seed_schools(path: Path = SCHOOLS_CSV) -> int:
    """Add the schools in ``path`` that are missing; return how many were added.

    Existing rows keep their name and retired flag, so a coordinator's renames
    survive a re-run.
    """
    known = set(db.session.execute(select(School.dese_code)).scalars())
    added = 0
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["dese_code"].strip()
            if code in known:
                continue
            db.session.add(School(dese_code=code, name=row["name"].strip(), retired=False))
            known.add(code)
            added += 1
    db.session.commit()
    return added


@ils.command("sync-roles")
def sync_roles_command() -> None:
    """Create the Admin, Coordinator, Mentor and Public roles."""
    sync_roles()
    click.echo("Roles are in place.")


@ils.command("seed-schools")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(exists=True, path_type=Path),
    default=SCHOOLS_CSV,
    show_default=True,
    help="CSV file with dese_code and name columns.",
)
def seed_schools_command(csv_path: Path) -> None:
    """Add missing BPS schools from the DESE directory list."""
    added = seed_schools(csv_path)
    click.echo(f"Added {added} schools.")


@ils.command("setup")
def setup_command() -> None:
    """Prepare a migrated database: roles, permissions and schools (the release step)."""
    sync_roles()
    current_app.appbuilder.add_permissions(update_perms=True)
    added = seed_schools()
    click.echo(f"Roles and permissions are in place; added {added} schools.")


@ils.command("refresh-figures")
def refresh_figures_command() -> None:
    """Rebuild the kept figures: per-match figures of every year and nominations per status.

    Needed after rows were written without the ORM: a database restore, a bulk
    load or a manual SQL fix. The app keeps the figures current on its own writes.
    """
    from app.services.figures import rebuild_all
    from app.services.status_counts import rebuild_counts

    started = time.perf_counter()
    with db.engine.begin() as connection:
        rows = rebuild_all(connection)
        statuses = rebuild_counts(connection)
        if connection.dialect.name == "postgresql":
            # Planner statistics for the new rows, so the pages' joins get good plans at once.
            connection.execute(text("ANALYZE match_year_figures"))
    seconds = time.perf_counter() - started
    logger.info(
        "refresh-figures: %s figures rows and %s status counts rebuilt in %.1f s",
        rows,
        statuses,
        seconds,
    )
    click.echo(f"Rebuilt {rows} figures rows and {statuses} status counts in {seconds:.1f} s.")


def register_commands(app: Flask) -> None:
    """Add the ``ils`` command group to ``app``."""
    # Imported here because app.demo imports this module's set-up functions.
    from app.demo import demo_data_command
    from app.mail.worker import send_mail_command

    ils.add_command(demo_data_command)
    ils.add_command(send_mail_command)
    app.cli.add_command(ils)
