"""Time the public pages: landing page, nomination form, its errors, confirmation and 404.

Usage (from the repository root)::

    .venv/bin/python benchmarks/public_pages.py
    .venv/bin/python benchmarks/public_pages.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/ils_bench_public

The public pages read no program data, so the script builds none. It empties the
database it is given (it drops the public schema, or deletes the SQLite file).
Then it runs the migrations and the ``flask ils setup`` steps (roles, permissions
and the school list), and compiles the translation catalogs that are missing.
``--scale`` is accepted but ignored.

Each page is requested anonymously through the Flask test client with the
measuring code of benchmarks/list_screens.py: 3 warm-up requests, then
``--repeat`` timed ones, with the SQL statements of each request counted. The
rejected form is a POST with several invalid fields, and the script checks that
it stored nothing. Two rows send an 8,190-byte Accept-Language header of one tag
repeated. The baseline (one indexed query on the empty session table and a
trivial template) is measured at the start and the end of the run. The script
exits with an error when a page returns an unexpected HTTP status or language.
Results are recorded in BENCHMARKS.md.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.cli import seed_schools, sync_roles  # noqa: E402 (needs the path above)
from app.extensions import db  # noqa: E402
from app.models import Nomination, School  # noqa: E402
from app.models.types import utcnow  # noqa: E402
from app.rules.timezone import program_today, school_year_start  # noqa: E402
from benchmarks.build_data import reset_schema  # noqa: E402
from benchmarks.list_screens import (  # noqa: E402
    BASELINE_URL,
    Result,
    StatementCounter,
    add_baseline_route,
    build_parser,
    format_table,
    measure,
)
from tests.conftest import _compile_translations, make_app  # noqa: E402

PAGE_LANGUAGES = ["en", "es", "ar", "zh_Hant", "ht"]
FORM_URL = "/nominate/"
CONFIRMATION_URL = "/nominate/thanks"
MISSING_URL = "/nominate/no-such-page"

HEADER_BYTES = 8_190
"""Size of the padded Accept-Language header value."""

BROWSER_HEADER = "es-US,es;q=0.9,en;q=0.8"
"""Accept-Language of a Spanish browser in the US, the reference for the padded rows."""

HTML_LANG = re.compile(r'<html lang="([^"]*)"')


@dataclass
class Page:
    """A page to time, with its expected status and language and the request to send."""

    label: str
    url: str
    status: int = 200
    lang: str = "en"
    headers: dict[str, str] = field(default_factory=dict)
    form: dict[str, str | list[str]] | None = None


class FormPoster:
    """Test client whose ``get`` posts ``form``, so list_screens.measure() times a POST."""

    def __init__(self, client, form: dict[str, str | list[str]]) -> None:
        self.client = client
        self.form = form

    def get(self, url, headers=None):
        return self.client.post(url, data=self.form, headers=headers)


def padded_header(tag: str) -> str:
    """Return ``tag,`` repeated and cut to HEADER_BYTES (1,365 tags for a 5-letter tag)."""
    repeats = HEADER_BYTES // (len(tag) + 1) + 1
    return (f"{tag}," * repeats)[:HEADER_BYTES]


def valid_form(school_code: str) -> dict[str, str | list[str]]:
    """Return a parent's nomination for a sixth grader that the service accepts."""
    born = dt.date(school_year_start(program_today(utcnow())).year - 12, 3, 15)
    return {
        "nominator_kind": "parent_guardian",
        "nominator_first_name": "Ana",
        "nominator_last_name": "Example",
        "nominator_email": "ana.example@example.org",
        "nominator_phone": "617 555 0123",
        "student_first_name": "Leo",
        "student_last_name": "Example",
        "student_date_of_birth_day": str(born.day),
        "student_date_of_birth_month": str(born.month),
        "student_date_of_birth_year": str(born.year),
        "student_grade": "6",
        "student_school": school_code,
        "language": "es",
        "home_languages": "Spanish, English",
        "needs": ["math", "reading"],
        "needs_description": "Fractions.",
        "availability": ["mon_afternoon", "wed_early_evening"],
        "consent_privacy": "y",
        "consent_online_sessions": "y",
        "attest_relationship": "y",
        "website": "",
    }


def invalid_form(school_code: str) -> dict[str, str | list[str]]:
    """Return the valid form with five fields made invalid, so the service rejects it."""
    form = valid_form(school_code)
    form.update(
        {
            "nominator_first_name": "",
            "nominator_email": "not-an-address",
            "student_date_of_birth_day": "31",
            "student_date_of_birth_month": "2",
            "student_grade": "14",
        }
    )
    del form["consent_privacy"]
    return form


def public_pages() -> list[Page]:
    pages = []
    for language in PAGE_LANGUAGES:
        tag = language.replace("_", "-")
        pages.append(Page(f"Landing page, {language}", f"/?lang={language}", lang=tag))
        pages.append(Page(f"Nomination form, {language}", f"{FORM_URL}?lang={language}", lang=tag))
    pages.append(
        Page(
            f"Nomination form, Accept-Language {BROWSER_HEADER}",
            FORM_URL,
            lang="es",
            headers={"Accept-Language": BROWSER_HEADER},
        )
    )
    for tag, lang in (("xx-US", "en"), ("ar-US", "ar")):
        pages.append(
            Page(
                f"Nomination form, {HEADER_BYTES:,}-byte header of {tag}",
                FORM_URL,
                lang=lang,
                headers={"Accept-Language": padded_header(tag)},
            )
        )
    pages.append(Page("Not found under /nominate/, es", f"{MISSING_URL}?lang=es", 404, "es"))
    return pages


def prepare_database(app: Flask) -> str:
    """Migrate the empty database, add roles, permissions and schools, and return a school code."""
    with app.app_context():
        upgrade()
        sync_roles()
        app.appbuilder.add_permissions(update_perms=True)
        seed_schools()
        return db.session.scalars(
            select(School.dese_code).where(School.retired.is_(False)).order_by(School.name)
        ).first()


def count_nominations(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Nomination))


def page_language(client, page: Page) -> str | None:
    """Request ``page`` once, untimed, and return its ``<html lang>``."""
    if page.form is None:
        response = client.get(page.url, headers=page.headers)
    else:
        response = client.post(page.url, data=page.form, headers=page.headers)
    found = HTML_LANG.search(response.get_data(as_text=True))
    return found.group(1) if found else None


def time_page(client, counter, page: Page, repeat: int, problems: list[str]) -> Result:
    """Check the language of ``page`` with one untimed request, then time it."""
    language = page_language(client, page)
    if language != page.lang:
        problems.append(f"{page.label}: language {language}, expected {page.lang}")
    timed = client if page.form is None else FormPoster(client, page.form)
    return measure(timed, counter, page.label, page.url, repeat, page.headers)


def send_valid_nomination(client, school_code: str) -> None:
    """Send one valid nomination in Spanish, so ``client`` may open the confirmation page."""
    response = client.post(f"{FORM_URL}?lang=es", data=valid_form(school_code))
    if response.status_code != 302:
        raise SystemExit(
            f"The valid nomination failed: HTTP {response.status_code}, expected a 302 redirect"
        )


def run_all(app: Flask, school_code: str, repeat: int) -> tuple[list[Result], list[str]]:
    """Time every page, each in a client of its own so no language choice carries over.

    Returns the results, baselines first and last, and the unexpected statuses,
    languages and stored rows.
    """
    with app.app_context():
        counter = StatementCounter(db.engine)
    problems: list[str] = []
    results = [measure(app.test_client(), counter, "Baseline, first", BASELINE_URL, repeat)]
    pages = public_pages()
    for page in pages:
        results.append(time_page(app.test_client(), counter, page, repeat, problems))

    rejected = Page(
        "Nomination form rejected with 5 errors, es",
        f"{FORM_URL}?lang=es",
        lang="es",
        form=invalid_form(school_code),
    )
    pages.append(rejected)
    results.append(time_page(app.test_client(), counter, rejected, repeat, problems))
    stored = count_nominations(app)
    if stored:
        problems.append(f"{rejected.label}: {stored} nominations stored, expected none")

    confirmation = Page("Confirmation, es", CONFIRMATION_URL, lang="es")
    pages.append(confirmation)
    client = app.test_client()
    send_valid_nomination(client, school_code)
    results.append(time_page(client, counter, confirmation, repeat, problems))
    results.append(measure(app.test_client(), counter, "Baseline, last", BASELINE_URL, repeat))

    for page, result in zip(pages, results[1:-1], strict=True):
        if result.status != page.status:
            problems.append(f"{page.label}: HTTP {result.status}, expected {page.status}")
    return results, problems


def main(argv: list[str] | None = None) -> None:
    parser = build_parser()
    parser.description = (
        f"{__doc__.splitlines()[0]} --scale is ignored, because these pages read no program data."
    )
    # A file of its own, so a run does not delete the database of benchmarks/list_screens.py.
    parser.set_defaults(
        database_url=os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/ils_bench_public.sqlite3")
    )
    args = parser.parse_args(argv)
    logging.getLogger("flask_appbuilder").setLevel(logging.ERROR)
    _compile_translations()
    reset_schema(args.database_url)
    app = make_app(args.database_url)
    add_baseline_route(app)
    school_code = prepare_database(app)

    results, problems = run_all(app, school_code, args.repeat)
    print(format_table(results))
    if problems:
        raise SystemExit("Pages with an unexpected result:\n" + "\n".join(problems))


if __name__ == "__main__":
    main()
