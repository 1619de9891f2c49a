"""Matching under concurrent requests: the database lets exactly the allowed number through."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from flask import current_app

from app.extensions import db
from app.models import Match
from app.rules.choices import MatchStatus, Weekday
from app.rules.errors import RuleViolation
from app.rules.timezone import program_today
from app.services.matching import MatchDetails, propose_match

PARALLEL_REQUESTS = 8
TODAY = program_today(dt.datetime.now(dt.UTC))


def _details(proctor_id: int, index: int) -> MatchDetails:
    """Return match details whose weekly slot differs for each ``index``, so no two overlap."""
    return MatchDetails(
        start_date=TODAY,
        slot_weekday=list(Weekday)[index % 7],
        slot_time=dt.time(15 + 2 * (index // 7), 0),
        meet_link="https://meet.google.com/abc-defg-hij",
        proctor_id=proctor_id,
        subjects=["math"],
    )


def _propose_in_parallel(pairs: list[tuple[int, int]], proctor_id: int) -> list[object]:
    """Call propose_match for each (student, mentor) pair at once, each in its own context."""
    application = current_app._get_current_object()
    barrier = threading.Barrier(len(pairs))
    outcomes: list[object] = [None] * len(pairs)

    def worker(index: int, student_id: int, mentor_id: int) -> None:
        with application.app_context():
            barrier.wait()
            try:
                match = propose_match(
                    student_id, mentor_id, _details(proctor_id, index), user_id=None, today=TODAY
                )
                outcomes[index] = match.id
            except RuleViolation as violation:
                outcomes[index] = violation
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=worker, args=(index, student_id, mentor_id))
        for index, (student_id, mentor_id) in enumerate(pairs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _open_matches(**criteria) -> int:
    return (
        db.session.query(Match)
        .filter_by(**criteria)
        .filter(Match.status.in_([MatchStatus.proposed, MatchStatus.active]))
        .count()
    )


def test_mentor_capacity_holds_under_parallel_matching(factory):
    mentor = factory.mentor(capacity=2)
    proctor = factory.coordinator()
    students = [factory.student() for _ in range(PARALLEL_REQUESTS)]

    outcomes = _propose_in_parallel([(s.id, mentor.id) for s in students], proctor.id)

    saved = [o for o in outcomes if isinstance(o, int)]
    rejected = [o for o in outcomes if isinstance(o, RuleViolation)]
    assert len(saved) == 2
    assert len(rejected) == PARALLEL_REQUESTS - 2
    assert {violation.field for violation in rejected} == {"mentor"}
    assert all("capacity" in violation.render() for violation in rejected)
    db.session.rollback()  # end the read snapshot taken before the threads wrote
    assert _open_matches(mentor_id=mentor.id) == 2


def test_one_open_match_per_student_under_parallel_matching(factory):
    student = factory.student()
    proctor = factory.coordinator()
    mentors = [factory.mentor(capacity=3, with_login=False) for _ in range(PARALLEL_REQUESTS)]

    outcomes = _propose_in_parallel([(student.id, m.id) for m in mentors], proctor.id)

    saved = [o for o in outcomes if isinstance(o, int)]
    rejected = [o for o in outcomes if isinstance(o, RuleViolation)]
    assert len(saved) == 1
    assert len(rejected) == PARALLEL_REQUESTS - 1
    assert {violation.field for violation in rejected} == {"student"}
    assert all("already has a proposed or active match" in v.render() for v in rejected)
    db.session.rollback()  # end the read snapshot taken before the threads wrote
    assert _open_matches(student_id=student.id) == 1


@pytest.mark.parametrize("capacity", [1, 3])
def test_capacity_filled_exactly(factory, capacity):
    mentor = factory.mentor(capacity=capacity, with_login=False)
    proctor = factory.coordinator()
    students = [factory.student() for _ in range(capacity + 2)]

    outcomes = _propose_in_parallel([(s.id, mentor.id) for s in students], proctor.id)

    assert sum(isinstance(o, int) for o in outcomes) == capacity
