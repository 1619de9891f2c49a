"""Time the dashboard, needs-attention list, match page and funder report at program scale.

Usage (from the repository root)::

    .venv/bin/python benchmarks/health_screens.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/ils_bench_health --scale 1.0

``--reuse-data`` skips the build and times the pages on the rows already there.

The script reuses the measuring code of benchmarks/list_screens.py. Like that
script, it empties the database and builds the synthetic program, which includes a
program year containing today, two weeks without school, check-ins and "matched"
status changes. It then requests each page through the Flask test client as a
coordinator. The baseline (one indexed query for 25 sessions and a trivial
template) is measured at the start and the end of the run, and each page's
median is given as a ratio to it.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.extensions import db  # noqa: E402
from benchmarks.build_data import (  # noqa: E402 (needs the path above)
    COORDINATOR_USERNAME,
    build_database,
    reset_schema,
)
from benchmarks.list_screens import (  # noqa: E402
    BASELINE_URL,
    StatementCounter,
    add_baseline_route,
    build_parser,
    format_table,
    log_in,
    measure,
)
from tests.conftest import make_app  # noqa: E402

PAGES = [
    ("Dashboard", "/dashboard/"),
    ("Needs attention", "/needs-attention/"),
    ("Needs attention, check-in overdue", "/needs-attention/?reason=check_in_overdue"),
    ("Needs attention, page 5", "/needs-attention/?page=4"),
    ("Match show with health", "/matchview/show/1"),
    ("Funder report page", "/funderreport/1/"),
    ("Funder report CSV", "/funderreport/1/csv"),
    ("Funder report XLSX", "/funderreport/1/xlsx"),
    ("Funder report XLSX with the match list", "/funderreport/1/xlsx?detail=1"),
    ("Year end preview", "/programyearview/yearend/1"),
    ("Check-ins list", "/checkinview/list/"),
    ("Matches CSV, active", "/matchview/csv/?_flt_0_status=active"),
]


def run_all(app, repeat: int):
    with app.app_context():
        counter = StatementCounter(db.engine)
    client = app.test_client()
    results = [measure(client, counter, "Baseline, first", BASELINE_URL, repeat)]
    log_in(client, COORDINATOR_USERNAME)
    for label, url in PAGES:
        results.append(measure(client, counter, label, url, repeat))
    results.append(measure(app.test_client(), counter, "Baseline, last", BASELINE_URL, repeat))
    return results


def main(argv: list[str] | None = None) -> None:
    parser = build_parser()
    parser.add_argument(
        "--reuse-data",
        action="store_true",
        help="time the pages on the data already in the database, ignoring --scale. "
        "Run `flask ils refresh-figures` on it first if its rows were changed outside the app.",
    )
    args = parser.parse_args(argv)
    logging.getLogger("flask_appbuilder").setLevel(logging.ERROR)
    if not args.reuse_data:
        reset_schema(args.database_url)
    app = make_app(args.database_url)
    add_baseline_route(app)
    if not args.reuse_data:
        started = time.perf_counter()
        counts = build_database(app, args.scale)
        print(f"Built in {time.perf_counter() - started:.0f} s: {counts}")
    results = run_all(app, args.repeat)
    print(format_table(results))
    failed = [result.label for result in results if result.status != 200]
    if failed:
        raise SystemExit(f"Pages that did not return 200: {', '.join(failed)}")


if __name__ == "__main__":
    main()
