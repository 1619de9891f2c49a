"""The match_year_figures rows stay equal to a rebuild from scratch, whatever the write path.

Each test changes sessions, matches, check-ins or program years through one
path (coordinator screens, mentor portal, API, ORM) and compares every stored
row with rows computed again from the sessions. The random program also checks
the figures derived for today against the week-by-week rules.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import delete, literal, select

from app.extensions import db
from app.models import (
    Match,
    MatchYearFigures,
    MentoringSession,
    ProgramYear,
    ProgramYearBreak,
)
from app.rules.choices import CloseReason, MatchStatus, SessionOutcome
from app.rules.timezone import program_today, week_start
from app.rules.weekly_target import MatchDays, held_minutes_by_week, summarize_match
from app.services.attention import (
    AttentionItem,
    AttentionReason,
    attention_page,
    needs_attention,
    reasons_for,
)
from app.services.figures import compute_rows, stored_years
from app.services.health import active_condition, derived_columns, health_of_matches, read_day
from app.services.program_years import span_of
from tests.integration.test_api_auth import bearer
from tests.writers import run_writers_at_once

TODAY = program_today(dt.datetime.now(dt.UTC))
FIGURES = MatchYearFigures.__table__


def _key(row) -> tuple[int, int]:
    return row["match_id"], row["program_year_id"]


def stored_rows() -> list[dict]:
    db.session.rollback()
    rows = db.session.execute(select(*FIGURES.columns)).mappings()
    return sorted((dict(row) for row in rows), key=_key)


def rebuilt_rows() -> list[dict]:
    connection = db.session.connection()
    rows = []
    for year in stored_years(connection):
        rows.extend(compute_rows(connection, year, literal(True)))
    db.session.rollback()
    return sorted(rows, key=_key)


def assert_current() -> list[dict]:
    stored = stored_rows()
    assert stored == rebuilt_rows()
    return stored


def row_of(match_id: int) -> dict:
    rows = [row for row in stored_rows() if row["match_id"] == match_id]
    assert len(rows) == 1, rows
    return rows[0]


@pytest.fixture
def year(factory):
    return factory.program_year(TODAY - dt.timedelta(days=120), TODAY + dt.timedelta(days=160))


@pytest.fixture
def coordinator(client, factory, login_as):
    user = factory.coordinator()
    login_as(client, user)
    return user


def session_form(match, day: dt.date, minutes: int = 60) -> dict[str, str]:
    return {
        "match": str(match.id),
        "session_date": day.isoformat(),
        "start_time": "16:00",
        "duration_minutes": str(minutes),
        "outcome": "held",
        "proctor_present": "y",
        "topics": "Fractions",
        "notes": "",
    }


def only_session(match) -> MentoringSession:
    db.session.rollback()
    return db.session.execute(
        select(MentoringSession).where(MentoringSession.match_id == match.id)
    ).scalar_one()


def test_figures_follow_coordinator_screens(client, factory, year, coordinator):
    match = factory.match(start_date=TODAY - dt.timedelta(days=60))
    assert row_of(match.id)["sessions_logged"] == 0

    added = client.post("/sessionview/add", data=session_form(match, TODAY - dt.timedelta(30)))
    assert added.status_code == 302
    assert assert_current()
    assert row_of(match.id)["held_minutes"] == 60

    session = only_session(match)
    form = session_form(match, TODAY - dt.timedelta(days=20), minutes=45)
    del form["match"]
    edited = client.post(f"/sessionview/edit/{session.id}", data=form)
    assert edited.status_code == 302
    assert_current()
    assert row_of(match.id)["held_minutes"] == 45
    assert row_of(match.id)["last_session"] == TODAY - dt.timedelta(days=20)

    deleted = client.post(f"/sessionview/delete/{session.id}")
    assert deleted.status_code == 302
    assert_current()
    assert row_of(match.id)["sessions_logged"] == 0


def test_figures_follow_portal(client, factory, login_as, year):
    mentor = factory.mentor(capacity=2)
    match = factory.match(mentor=mentor, start_date=TODAY - dt.timedelta(days=30))
    login_as(client, mentor.user)

    added = client.post("/mysessionsview/add", data=session_form(match, TODAY - dt.timedelta(3)))
    assert added.status_code == 302
    assert_current()
    assert row_of(match.id)["last_session"] == TODAY - dt.timedelta(days=3)

    session = only_session(match)
    moved = client.post(
        f"/mysessionsview/edit/{session.id}",
        data=session_form(match, TODAY - dt.timedelta(days=1), minutes=90),
    )
    assert moved.status_code == 302
    assert_current()
    assert row_of(match.id)["last_session"] == TODAY - dt.timedelta(days=1)
    assert row_of(match.id)["held_minutes"] == 90

    deleted = client.post(f"/mysessionsview/delete/{session.id}")
    assert deleted.status_code == 302
    assert_current()
    assert row_of(match.id)["held_minutes"] == 0


def test_figures_follow_api_move_to_other_match(client, factory, year):
    headers = bearer(client, factory.coordinator())
    first = factory.match(start_date=TODAY - dt.timedelta(days=60))
    second = factory.match(start_date=TODAY - dt.timedelta(days=60))
    body = {
        "match_id": first.id,
        "session_date": (TODAY - dt.timedelta(days=10)).isoformat(),
        "start_time": "17:00",
        "duration_minutes": 60,
        "outcome": "held",
        "proctor_present": False,
        "topics": "Fractions",
    }
    created = client.post("/api/v1/sessions/", json=body, headers=headers)
    assert created.status_code == 201, created.json
    session_id = created.json["id"]
    assert_current()
    assert row_of(first.id)["proctor_absent"] == 1

    moved = client.put(
        f"/api/v1/sessions/{session_id}",
        json={"match_id": second.id, "session_date": (TODAY - dt.timedelta(days=5)).isoformat()},
        headers=headers,
    )
    assert moved.status_code == 200, moved.json
    assert_current()
    assert row_of(first.id)["proctor_absent"] == 0
    assert row_of(second.id)["last_proctor_absent"] == TODAY - dt.timedelta(days=5)

    deleted = client.delete(f"/api/v1/sessions/{session_id}", headers=headers)
    assert deleted.status_code == 200
    assert_current()
    assert row_of(second.id)["sessions_logged"] == 0


def test_figures_follow_match_close(client, factory, year, coordinator):
    match = factory.match(start_date=TODAY - dt.timedelta(days=90))
    for days_ago in (80, 60, 40):
        factory.session(match, session_date=TODAY - dt.timedelta(days=days_ago))
    open_end = row_of(match.id)["full_week_end"]

    response = client.post(
        f"/matchview/close/{match.id}",
        data={
            "closed_on": (TODAY - dt.timedelta(days=30)).isoformat(),
            "close_reason": "goals_met",
            "close_note": "",
        },
    )

    assert response.status_code == 302
    assert db.session.get(Match, match.id).status is MatchStatus.closed
    assert_current()
    assert row_of(match.id)["full_week_end"] < open_end


def test_figures_follow_break_weeks(client, factory, year, coordinator):
    match = factory.match(start_date=TODAY - dt.timedelta(days=100))
    monday = week_start(TODAY - dt.timedelta(days=50))
    factory.session(match, session_date=monday + dt.timedelta(days=1), duration_minutes=60)
    factory.session(match, session_date=TODAY - dt.timedelta(days=5), duration_minutes=60)
    before = row_of(match.id)

    added = client.post(
        "/programyearbreakview/add",
        data={"program_year": str(year.id), "week_start": monday.isoformat(), "label": "Break"},
    )
    assert added.status_code == 302
    assert_current()
    during = row_of(match.id)
    assert during["full_weeks_on_target"] == before["full_weeks_on_target"] - 1
    assert during["on_target_through"] == before["on_target_through"] - 1

    break_id = db.session.execute(select(ProgramYearBreak.id)).scalar_one()
    removed = client.post(f"/programyearbreakview/delete/{break_id}")
    assert removed.status_code == 302
    assert_current()
    assert row_of(match.id) == before


def test_figures_follow_year_days_and_check_ins(factory, year):
    match = factory.match(start_date=TODAY - dt.timedelta(days=100))
    factory.session(match, session_date=TODAY - dt.timedelta(days=90))
    factory.check_in(match, checked_on=TODAY - dt.timedelta(days=2))
    assert row_of(match.id)["check_ins"] == 1

    stored = db.session.get(ProgramYear, year.id)
    stored.first_day = TODAY - dt.timedelta(days=80)
    db.session.commit()

    assert_current()
    assert row_of(match.id)["sessions_logged"] == 0


def test_refresh_figures_command_rebuilds(app, factory, year):
    match = factory.match(start_date=TODAY - dt.timedelta(days=40))
    factory.session(match, session_date=TODAY - dt.timedelta(days=3))
    expected = stored_rows()
    db.session.execute(delete(FIGURES))
    db.session.commit()
    assert stored_rows() == []

    result = app.test_cli_runner().invoke(args=["ils", "refresh-figures"])

    assert result.exit_code == 0, result.output
    assert "Rebuilt 1 figures rows" in result.output
    assert stored_rows() == expected


def _random_session(rng: random.Random, match: Match, today: dt.date) -> MentoringSession:
    last = min(today, match.closed_on or today)
    span = (last - match.start_date).days
    return MentoringSession(
        match_id=match.id,
        session_date=match.start_date + dt.timedelta(days=rng.randint(0, span)),
        start_time=dt.time(rng.randint(7, 20), rng.choice((0, 15, 30, 45))),
        duration_minutes=rng.choice((15, 30, 45, 60, 60, 90)),
        outcome=rng.choice((SessionOutcome.held,) * 4 + tuple(SessionOutcome)),
        proctor_present=rng.random() > 0.1,
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_program_equals_rebuild_and_rules(factory, seed):
    rng = random.Random(seed)
    first_day = week_start(TODAY - dt.timedelta(days=150)) + dt.timedelta(days=rng.randint(0, 6))
    breaks = sorted({week_start(TODAY - dt.timedelta(days=rng.randint(7, 140))) for _ in range(2)})
    year = factory.program_year(first_day, TODAY + dt.timedelta(days=100), breaks=breaks)
    matches = []
    for _ in range(10):
        start = TODAY - dt.timedelta(days=rng.randint(0, 170))
        values = {"start_date": start}
        if rng.random() < 0.3:
            values.update(
                status=MatchStatus.closed,
                closed_on=start + dt.timedelta(days=rng.randint(0, (TODAY - start).days)),
                close_reason=CloseReason.goals_met,
                activated_at=dt.datetime.combine(start, dt.time(12), dt.UTC),
            )
        matches.append(factory.match(**values))
    sessions = []
    for _ in range(120):
        session = _random_session(rng, rng.choice(matches), TODAY)
        db.session.add(session)
        try:
            db.session.commit()
        except Exception:  # a duplicate date and start time: try another
            db.session.rollback()
        else:
            sessions.append(session)
    for session in rng.sample(sessions, 30):
        action = rng.choice(("minutes", "outcome", "move", "delete"))
        if action == "minutes":
            session.duration_minutes = rng.choice((15, 60, 120))
        elif action == "outcome":
            session.outcome = rng.choice(tuple(SessionOutcome))
        elif action == "move":
            target = rng.choice([match for match in matches if match.closed_on is None])
            moved = _random_session(rng, target, TODAY)
            session.match_id, session.session_date = target.id, moved.session_date
        else:
            db.session.delete(session)
        try:
            db.session.commit()
        except Exception:  # a move onto a taken date and start time
            db.session.rollback()

    assert_current()
    span = span_of(db.session.get(ProgramYear, year.id))
    for today in (TODAY, TODAY + dt.timedelta(days=9)):
        _assert_derived_equal_rules(span, today)
        _assert_attention_equals_python_ranking(span, today)


def _assert_attention_equals_python_ranking(span, today: dt.date) -> None:
    """The SQL ranking, filter and paging give what the Python rules give on the same rows."""
    health = health_of_matches(active_condition(), span, today)
    ranked = sorted(
        (AttentionItem(figures, reasons_for(figures)) for figures in health.values()),
        key=lambda item: (
            -item.urgency,
            -item.health.target.weeks_without_session,
            -item.health.target.missed_run,
            item.health.check_in_due,
            item.health.match_id,
        ),
    )
    expected = [item for item in ranked if item.reasons]
    assert expected, "the random program should list some matches"

    assert needs_attention(span, today) == expected
    page, total = attention_page(span, today, offset=2, limit=3)
    assert page == expected[2:5]
    assert total == len(expected)
    for reason in AttentionReason:
        listed = [item for item in expected if reason in item.reasons]
        assert needs_attention(span, today, reason) == listed, reason


def _assert_derived_equal_rules(span, today: dt.date) -> None:
    health = health_of_matches(literal(True), span, today)
    derived = derived_columns(read_day(span, today))
    in_sql = {
        row.match_id: row
        for row in db.session.execute(
            select(
                MatchYearFigures.match_id,
                *(value.label(name) for name, value in derived.items()),
            ).where(MatchYearFigures.program_year_id == span.id)
        )
    }
    db.session.expire_all()
    for match in db.session.execute(select(Match)).scalars():
        minutes = held_minutes_by_week(
            [
                (s.session_date, s.duration_minutes, s.outcome is SessionOutcome.held)
                for s in match.sessions
            ],
            span,
        )
        expected = summarize_match(
            minutes, span, MatchDays(match.start_date, match.closed_on), today
        )
        assert health[match.id].target == expected, (match.id, today)
        row = in_sql[match.id]
        assert row.on_target_weeks == expected.on_target_weeks, (match.id, today)
        assert row.counted_weeks == expected.counted_weeks, (match.id, today)
        assert row.missed_run == expected.missed_run, (match.id, today)
        assert row.weeks_without_session == expected.weeks_without_session, (match.id, today)


def test_figures_follow_expired_objects(factory, year):
    """After a commit every attribute is expired, so the old parent comes from the database."""
    first = factory.match(start_date=TODAY - dt.timedelta(days=40))
    second = factory.match(start_date=TODAY - dt.timedelta(days=40))
    session = factory.session(first, session_date=TODAY - dt.timedelta(days=3))
    check_in = factory.check_in(first, checked_on=TODAY - dt.timedelta(days=1))

    session.match_id = second.id
    check_in.match_id = second.id
    db.session.commit()
    assert_current()
    assert row_of(second.id)["sessions_logged"] == 1
    assert row_of(second.id)["check_ins"] == 1

    match = db.session.get(Match, second.id)
    db.session.commit()
    match.start_date = TODAY - dt.timedelta(days=20)
    db.session.commit()
    assert_current()

    db.session.delete(db.session.get(MentoringSession, session.id))
    db.session.commit()
    assert_current()
    assert row_of(second.id)["sessions_logged"] == 0


def test_parallel_sessions_keep_figures(app, factory, year):
    """Writers to one match wait for each other's figures, so none is lost or duplicated."""
    match = factory.match(start_date=TODAY - dt.timedelta(days=60))
    match_id = match.id
    writers = 6

    def add_session(index: int) -> None:
        db.session.add(
            MentoringSession(
                match_id=match_id,
                session_date=TODAY - dt.timedelta(days=index + 1),
                start_time=dt.time(16, 0),
                duration_minutes=30,
                outcome=SessionOutcome.held,
                proctor_present=True,
            )
        )
        db.session.commit()

    errors = run_writers_at_once(app, writers, add_session)

    assert errors == []
    assert_current()
    assert row_of(match_id)["sessions_logged"] == writers
    assert row_of(match_id)["held_minutes"] == 30 * writers


def test_proctor_absent_counts_only_held(factory, year):
    match = factory.match(start_date=TODAY - dt.timedelta(days=60))
    held_day = TODAY - dt.timedelta(days=20)
    factory.session(match, session_date=held_day, proctor_present=False)
    for days_ago, outcome in [
        (3, SessionOutcome.student_no_show),
        (4, SessionOutcome.cancelled_by_student),
        (5, SessionOutcome.cancelled_by_mentor),
    ]:
        factory.session(
            match,
            session_date=TODAY - dt.timedelta(days=days_ago),
            outcome=outcome,
            proctor_present=False,
        )

    row = assert_current()[0]
    assert row["proctor_absent"] == 1
    assert row["last_proctor_absent"] == held_day


def test_not_held_without_proctor_not_flagged(factory, year):
    match = factory.match(start_date=TODAY - dt.timedelta(days=60))
    for days_ago in range(1, 15):
        factory.session(
            match,
            session_date=TODAY - dt.timedelta(days=days_ago),
            outcome=SessionOutcome.cancelled_by_mentor,
            proctor_present=False,
        )
    span = span_of(db.session.get(ProgramYear, year.id))

    health = health_of_matches(Match.id == match.id, span, TODAY)[match.id]
    assert health.proctor_absent == 0
    assert not health.proctor_absent_recent
    assert needs_attention(span, TODAY, AttentionReason.proctor_absent) == []


@pytest.mark.parametrize(("days_ago", "recent"), [(0, True), (27, True), (28, False)])
def test_proctor_window_is_28_days(factory, year, days_ago, recent):
    match = factory.match(start_date=TODAY - dt.timedelta(days=60))
    factory.session(match, session_date=TODAY - dt.timedelta(days=days_ago), proctor_present=False)
    span = span_of(db.session.get(ProgramYear, year.id))

    health = health_of_matches(Match.id == match.id, span, TODAY)[match.id]
    assert health.proctor_absent_recent is recent
    listed = needs_attention(span, TODAY, AttentionReason.proctor_absent)
    assert [item.health.match_id for item in listed] == ([match.id] if recent else [])
