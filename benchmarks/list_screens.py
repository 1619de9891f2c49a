"""Time the list, show and form screens and the API lists on a database at program scale.

Usage (from the repository root)::

    .venv/bin/python benchmarks/list_screens.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/ils_bench --scale 1.0

The database must exist, and the script empties it first: it drops the public
schema (or deletes the SQLite file), runs the migrations and the ``flask ils
setup`` steps, and inserts synthetic rows with benchmarks/build_data.py. Scale
1.0 is 50,000 students, 5,000 mentors and 500,000 sessions. The default scale, 0.1, builds in
well under a minute for a quick run.

Each URL is requested through the Flask test client, logged in as a coordinator,
as a mentor, or with a JWT for the API: 3 warm-up requests, then ``--repeat``
timed ones. The table gives the median and 90th percentile in milliseconds and
the number of SQL statements per request, counted with a ``before_cursor_execute``
listener. It also gives the median as a ratio to a baseline, measured the same
way at the start and at the end of the run: one indexed query for 25 sessions,
rendered by a trivial Jinja template. Times cover the app and the database, not a
network or a WSGI server. Results are recorded in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, render_template_string

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.extensions import db  # noqa: E402
from benchmarks.build_data import (  # noqa: E402 (needs the path above)
    COORDINATOR_USERNAME,
    MENTOR_USERNAME,
    PASSWORD,
    build_database,
    reset_schema,
)
from benchmarks.synthetic_rows import sizes_at  # noqa: E402
from tests.conftest import make_app  # noqa: E402

WARM_UPS = 3
BASELINE_URL = "/benchmark-baseline"
BASELINE_TEMPLATE = (
    "<ul>{% for row in rows %}<li>{{ row.id }} {{ row.session_date }}</li>{% endfor %}</ul>"
)
LAST_PAGE = 39
"""Deepest page (numbered from 0) that ends within the 1,000-row cap at 25 rows a page."""


@dataclass
class Result:
    label: str
    url: str
    status: int
    median_ms: float
    p90_ms: float
    statements: int
    samples: list[float]


def add_baseline_route(app: Flask) -> None:
    """Add the baseline page: 25 sessions by primary key, rendered by a trivial template."""

    def baseline():
        rows = db.session.execute(
            sa.text("SELECT id, session_date FROM mentoring_session ORDER BY id DESC LIMIT 25")
        ).all()
        return render_template_string(BASELINE_TEMPLATE, rows=rows)

    app.add_url_rule(BASELINE_URL, "benchmark_baseline", baseline)


class StatementCounter:
    """Counter of the SQL statements sent through the app's engine."""

    def __init__(self, engine: sa.Engine) -> None:
        self.count = 0
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args) -> None:
        self.count += 1


def _fetch(client, url, headers):
    """Request ``url`` and read the whole body, so streamed responses are timed to the end."""
    response = client.get(url, headers=headers)
    response.get_data()
    response.close()
    return response


def measure(client, counter, label, url, repeat, headers=None) -> Result:
    """Request ``url`` WARM_UPS times, then ``repeat`` times with timing and statement counts."""
    status = 0
    for _ in range(WARM_UPS):
        status = _fetch(client, url, headers).status_code
    times, counts = [], []
    for _ in range(repeat):
        counter.count = 0
        started = time.perf_counter()
        response = _fetch(client, url, headers)
        times.append((time.perf_counter() - started) * 1000)
        counts.append(counter.count)
        status = response.status_code
    p90 = statistics.quantiles(times, n=10)[-1] if len(times) > 1 else times[0]
    return Result(label, url, status, statistics.median(times), p90, max(counts), times)


def coordinator_pages(ids: dict[str, int]) -> list[tuple[str, str]]:
    sessions = "/sessionview/list/"
    return [
        ("Nominations", "/nominationview/list/"),
        ("Nominations, status new", "/nominationview/list/?_flt_0_status=new"),
        ("Students", "/studentview/list/"),
        ("Students, one school", f"/studentview/list/?_flt_0_school={ids['school']}"),
        (
            "Students, newest first",
            "/studentview/list/?_oc_StudentView=created_at&_od_StudentView=desc",
        ),
        ("Mentors", "/mentorview/list/"),
        ("Matches", "/matchview/list/"),
        ("Matches, active", "/matchview/list/?_flt_0_status=active"),
        ("Sessions", sessions),
        ("Sessions, date desc", f"{sessions}?_oc_SessionView=session_date&_od_SessionView=desc"),
        ("Sessions, outcome no-show", f"{sessions}?_flt_0_outcome=student_no_show"),
        ("Sessions, page 40 (last)", f"{sessions}?page_SessionView={LAST_PAGE}"),
        ("Sessions, 10 a page", f"{sessions}?psize_SessionView=10"),
        ("Sessions, 100 a page", f"{sessions}?psize_SessionView=100"),
        ("Student show", f"/studentview/show/{ids['student']}"),
        ("Match show", f"/matchview/show/{ids['match']}"),
        ("Make a match form", f"/studentview/match/{ids['unmatched_student']}"),
    ]


MENTOR_PAGES = [
    ("My students", "/mystudentsview/list/"),
    ("My sessions", "/mysessionsview/list/"),
]


def api_lists(prefix: str, names: list[str]) -> list[tuple[str, str]]:
    return [(f"API {name}", f"{prefix}{name}/?q=(page_size:25)") for name in names]


COORDINATOR_API = [
    *api_lists("/api/v1/", ["nominations", "students", "mentors", "matches", "sessions"]),
    ("API sessions, 10 a page", "/api/v1/sessions/?q=(page_size:10)"),
    ("API sessions, 100 a page", "/api/v1/sessions/?q=(page_size:100)"),
    (
        "API sessions, date desc",
        "/api/v1/sessions/?q=(order_column:session_date,order_direction:desc,page_size:25)",
    ),
    ("API sessions, page 40 (last)", f"/api/v1/sessions/?q=(page:{LAST_PAGE},page_size:25)"),
]
MENTOR_API = api_lists("/api/v1/", ["my_students", "my_sessions"])


def log_in(client, username: str) -> None:
    response = client.post("/login/", data={"username": username, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"login failed for {username}: HTTP {response.status_code}")


def bearer(client, username: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/security/login",
        json={"username": username, "password": PASSWORD, "provider": "db"},
    )
    if response.status_code != 200:
        raise RuntimeError(f"API login failed for {username}: HTTP {response.status_code}")
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def run_all(app: Flask, ids: dict[str, int], repeat: int) -> list[Result]:
    with app.app_context():
        counter = StatementCounter(db.engine)
    results = []
    client = app.test_client()
    results.append(measure(client, counter, "Baseline, first", BASELINE_URL, repeat))
    log_in(client, COORDINATOR_USERNAME)
    for label, url in coordinator_pages(ids):
        results.append(measure(client, counter, label, url, repeat))
    headers = bearer(app.test_client(), COORDINATOR_USERNAME)
    api_client = app.test_client()
    for label, url in COORDINATOR_API:
        results.append(measure(api_client, counter, label, url, repeat, headers))

    mentor_client = app.test_client()
    log_in(mentor_client, MENTOR_USERNAME)
    for label, url in MENTOR_PAGES:
        results.append(measure(mentor_client, counter, label, url, repeat))
    headers = bearer(app.test_client(), MENTOR_USERNAME)
    for label, url in MENTOR_API:
        results.append(measure(api_client, counter, label, url, repeat, headers))
    results.append(measure(app.test_client(), counter, "Baseline, last", BASELINE_URL, repeat))
    return results


def format_table(results: list[Result]) -> str:
    """Format the results as a Markdown table, with ratios to both baseline runs pooled.

    Pooling the first and the last baseline evens out a slow spell of the machine
    during one of them.
    """
    baseline = statistics.median(results[0].samples + results[-1].samples)
    lines = [
        f"Baseline median of both runs: {baseline:.2f} ms",
        "",
        "| Screen | HTTP | Median ms | p90 ms | Ratio to baseline | SQL statements |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        lines.append(
            f"| {result.label} | {result.status} | {result.median_ms:.1f} | {result.p90_ms:.1f}"
            f" | {result.median_ms / baseline:.1f} | {result.statements} |"
        )
    return "\n".join(lines)


def sample_ids(app: Flask, scale: float) -> dict[str, int]:
    """Return the ids that the show and form pages open, as build_data creates them."""
    sizes = sizes_at(scale)
    with app.app_context():
        school = db.session.execute(sa.text("SELECT school_id FROM student WHERE id = 1")).scalar()
    return {
        "school": school,
        "student": 1,
        "match": 1,
        "unmatched_student": sizes["active_matches"] + 1,
    }


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/ils_bench.sqlite3"),
        help="database to empty and fill (default: a SQLite file in /tmp)",
    )
    parser.add_argument(
        "--scale", type=float, default=0.1, help="fraction of program size (1.0 = 500,000 sessions)"
    )
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per URL")
    return parser


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    # FAB logs one line per column it cannot filter, on every start.
    logging.getLogger("flask_appbuilder").setLevel(logging.ERROR)
    reset_schema(args.database_url)
    app = make_app(args.database_url)
    add_baseline_route(app)

    started = time.perf_counter()
    counts = build_database(app, args.scale)
    print(f"Built in {time.perf_counter() - started:.0f} s: {counts}")
    results = run_all(app, sample_ids(app, args.scale), args.repeat)
    print(format_table(results))
    failed = [result.label for result in results if result.status != 200]
    if failed:
        raise SystemExit(f"Screens that did not return 200: {', '.join(failed)}")


if __name__ == "__main__":
    main()
