"""Parallel HTTP requests to the match API: the database lets exactly the allowed number through.

A threaded server handles each request in its own thread, app context and
database session, as gunicorn workers would.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import threading
from collections import Counter
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from app.extensions import db
from app.models import Match
from app.rules.choices import MatchStatus, Weekday
from app.rules.timezone import program_today
from tests.integration.test_api_auth import bearer

PARALLEL_REQUESTS = 8


@pytest.fixture
def live_server(app) -> Iterator[tuple[str, int]]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.host, server.port
    server.shutdown()
    thread.join(timeout=10)


def _post_in_parallel(address, headers, bodies: list[dict]) -> list[tuple[int, dict]]:
    host, port = address
    barrier = threading.Barrier(len(bodies))
    results: list[tuple[int, dict]] = [(0, {})] * len(bodies)

    def send(index: int, body: dict) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=60)
        # The test app's SERVER_NAME is "localhost", so requests name that host.
        request_headers = {**headers, "Host": "localhost", "Content-Type": "application/json"}
        barrier.wait()
        connection.request("POST", "/api/v1/matches/", json.dumps(body), request_headers)
        response = connection.getresponse()
        results[index] = (response.status, json.loads(response.read() or b"{}"))
        connection.close()

    threads = [threading.Thread(target=send, args=(i, b)) for i, b in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return results


def _body(student_id: int, mentor_id: int, proctor_id: int, index: int = 0) -> dict:
    """Return a proposal whose weekly slot differs for each ``index``, so no two overlap."""
    return {
        "student_id": student_id,
        "mentor_id": mentor_id,
        "proctor_id": proctor_id,
        "start_date": program_today(dt.datetime.now(dt.UTC)).isoformat(),
        "slot_weekday": list(Weekday)[index % 7].name,
        "slot_time": f"{15 + 2 * (index // 7)}:00",
        "meet_link": "https://meet.google.com/abc-defg-hij",
        "subjects": ["math"],
    }


def _open_matches(**criteria) -> int:
    db.session.rollback()  # end the read snapshot taken before the server wrote
    return (
        db.session.query(Match)
        .filter_by(**criteria)
        .filter(Match.status.in_([MatchStatus.proposed, MatchStatus.active]))
        .count()
    )


def test_parallel_requests_fill_mentor_exactly(client, factory, live_server):
    coordinator = factory.coordinator()
    headers = bearer(client, coordinator)
    mentor = factory.mentor(capacity=2, with_login=False)
    students = [factory.student() for _ in range(PARALLEL_REQUESTS)]
    db.session.commit()

    bodies = [
        _body(student.id, mentor.id, coordinator.id, index)
        for index, student in enumerate(students)
    ]
    results = _post_in_parallel(live_server, headers, bodies)

    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 2, 409: PARALLEL_REQUESTS - 2}
    messages = [body["message"] for status, body in results if status == 409]
    assert all("mentor_id" in message for message in messages)
    assert _open_matches(mentor_id=mentor.id) == 2


def test_parallel_requests_match_student_once(client, factory, live_server):
    coordinator = factory.coordinator()
    headers = bearer(client, coordinator)
    student = factory.student()
    mentors = [factory.mentor(with_login=False) for _ in range(PARALLEL_REQUESTS)]
    db.session.commit()

    results = _post_in_parallel(
        live_server, headers, [_body(student.id, m.id, coordinator.id) for m in mentors]
    )

    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 1, 409: PARALLEL_REQUESTS - 1}
    messages = [body["message"] for status, body in results if status == 409]
    assert all("student_id" in message for message in messages)
    assert _open_matches(student_id=student.id) == 1
