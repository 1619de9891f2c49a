"""The demo program behind ``flask ils demo-data``: fictional families, mentors and sessions.

About 60 nominations, 25 mentors, 20 matches and a few hundred sessions around
today, with demo logins for each role. Everyone in it is fictional.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from app.demo.loader import DEMO_LOGINS, DemoSummary, load_demo_program, program_has_data
from app.rules.choices import MatchStatus

DEFAULT_SEED = 2025


@click.command("demo-data")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Do nothing, and succeed, when any nomination or mentor already exists.",
)
@click.option(
    "--seed",
    type=int,
    default=DEFAULT_SEED,
    show_default=True,
    help="Seed of the random choices; the same seed on the same day loads the same data.",
)
@click.option(
    "--force-in-production",
    is_flag=True,
    help="Load even when ILS_ENV is production. Demo logins then get random passwords.",
)
@with_appcontext
def demo_data_command(if_empty: bool, seed: int, force_in_production: bool) -> None:
    """Load a fictional demo program into an empty database (after `flask ils setup`)."""
    env = current_app.config["ILS_ENV"]
    if env == "production" and not force_in_production:
        raise click.ClickException(
            "ILS_ENV is production, and demo data would mix fictional people with real "
            "ones. Add --force-in-production to load it anyway."
        )
    if program_has_data():
        if if_empty:
            click.echo("Demo data already loaded or real data present: nothing was added.")
            _echo_existing_logins(env)
            return
        raise click.ClickException(
            "The database already has nominations or mentors, and demo data loads only "
            "into an empty program. Use --if-empty to skip without an error."
        )
    summary = load_demo_program(seed, known_passwords=env != "production")
    _echo_summary(summary)
    _echo_logins(env, summary)


def _echo_existing_logins(env: str) -> None:
    """Print the demo logins again in development when an earlier load created them."""
    security = current_app.appbuilder.sm
    if env != "development" or security.find_user(username=DEMO_LOGINS[0].username) is None:
        return
    click.echo("Demo logins (development only; unless someone changed their passwords):")
    for login in DEMO_LOGINS:
        click.echo(f"  {login.username:<12} {login.password:<22} {login.role}")


def _echo_summary(summary: DemoSummary) -> None:
    matches = ", ".join(
        f"{summary.matches[status]} {status.value.lower()}"
        for status in MatchStatus
        if status in summary.matches
    )
    click.echo(
        f"Loaded the demo program: {summary.nominations} nominations, {summary.mentors} "
        f"mentors, {sum(summary.matches.values())} matches ({matches}), "
        f"{summary.sessions} sessions."
    )


def _echo_logins(env: str, summary: DemoSummary) -> None:
    """Print the demo logins; passwords only in development, where they are the README's."""
    if env == "development":
        click.echo("Demo logins (development only):")
        for login in DEMO_LOGINS:
            note = (
                "  (existing user, password unchanged)"
                if login.username in summary.existing_logins
                else ""
            )
            click.echo(f"  {login.username:<12} {login.password:<22} {login.role}{note}")
        return
    names = ", ".join(login.username for login in DEMO_LOGINS)
    if env == "production":
        click.echo(
            f"Demo logins {names} have random passwords. Set one with "
            "`flask fab reset-password --username NAME`."
        )
    else:
        click.echo(f"Demo logins: {names}. Passwords are printed in development only.")
