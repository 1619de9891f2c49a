"""The "My students" page: the mentor's open matches and this week's minutes against the target."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.portal import students as students_module
from app.rules.choices import CloseReason, MatchStatus, SessionOutcome
from app.rules.timezone import program_today
from config import MENTOR_ROLE

# 03:30 UTC on Monday 10 March 2025 is 23:30 on Sunday 9 March in Boston (EDT,
# UTC-4), so the Boston school week is 3-9 March while the UTC week is 10-16 March.
SUNDAY_NIGHT_IN_BOSTON = dt.datetime(2025, 3, 10, 3, 30, tzinfo=dt.UTC)
MATCH_START = dt.date(2025, 1, 6)
LIST_URL = "/mystudentsview/list/"


@pytest.fixture
def frozen_now(monkeypatch, factory):
    """Freeze the clock in the school week of 3-9 March 2025, inside a program year."""
    monkeypatch.setattr(students_module, "utcnow", lambda: SUNDAY_NIGHT_IN_BOSTON)
    return factory.program_year(dt.date(2024, 9, 4), dt.date(2025, 6, 13))


@pytest.fixture
def mentor_a(factory):
    return factory.mentor(capacity=3)


@pytest.fixture
def match_a(factory, mentor_a):
    return factory.match(
        mentor=mentor_a,
        student=factory.student(first_name="Amara", last_name="Okafor", preferred_name="Ami"),
        start_date=MATCH_START,
    )


def _log(factory, match, day: dt.date, minutes: int, outcome=SessionOutcome.held):
    return factory.session(match=match, session_date=day, duration_minutes=minutes, outcome=outcome)


def _card(html: str, match_id: int) -> str:
    start = html.index(f'id="match-{match_id}"')
    end = html.find('class="panel panel-default student-card"', start)
    return html[start : end if end != -1 else len(html)]


def _weekly_text(card: str) -> str:
    start = card.index(">", card.index('class="weekly-minutes"')) + 1
    return " ".join(card[start : card.index("</dd>", start)].split())


def test_list_shows_card_fields(client, login_as, mentor_a, match_a):
    login_as(client, mentor_a.user)

    html = client.get(LIST_URL).get_data(as_text=True)

    card = _card(html, match_a.id)
    assert "Ami Okafor" in card
    assert "<dt>Grade</dt><dd>6</dd>" in card
    assert match_a.student.school.name in card
    assert "Math, Reading" in card
    assert "Tuesday, After school (3-5 pm)" in card
    assert "Tuesday 16:00" in card
    assert f'href="{match_a.meet_link}"' in card


def test_home_redirects_mentor_to_list(client, login_as, mentor_a):
    login_as(client, mentor_a.user)

    response = client.get("/")

    assert response.status_code == 302
    assert response.location.endswith(LIST_URL)


def test_week_counts_boston_week_only(client, login_as, factory, frozen_now, mentor_a, match_a):
    _log(factory, match_a, dt.date(2025, 3, 3), 45)  # Monday, this Boston week
    _log(factory, match_a, dt.date(2025, 3, 9), 30)  # Sunday, this Boston week
    _log(factory, match_a, dt.date(2025, 3, 5), 60, SessionOutcome.student_no_show)
    _log(factory, match_a, dt.date(2025, 3, 2), 60)  # Sunday of last week
    _log(factory, match_a, dt.date(2025, 3, 10), 60)  # Monday of the UTC week
    login_as(client, mentor_a.user)

    html = client.get(LIST_URL).get_data(as_text=True)

    assert "Monday 2025-03-03" in html
    assert "Sunday 2025-03-09" in html
    assert _weekly_text(_card(html, match_a.id)).startswith("75 of 60 minutes held")
    assert "Target met" in _card(html, match_a.id)


def test_week_below_target_not_marked_met(client, login_as, factory, frozen_now, mentor_a, match_a):
    _log(factory, match_a, dt.date(2025, 3, 4), 45)
    _log(factory, match_a, dt.date(2025, 3, 6), 30, SessionOutcome.cancelled_by_mentor)
    login_as(client, mentor_a.user)

    card = _card(client.get(LIST_URL).get_data(as_text=True), match_a.id)

    assert _weekly_text(card) == "45 of 60 minutes held"
    assert "Target met" not in card


def test_week_without_sessions_shows_zero(client, login_as, frozen_now, mentor_a, match_a):
    login_as(client, mentor_a.user)

    card = _card(client.get(LIST_URL).get_data(as_text=True), match_a.id)

    assert _weekly_text(card) == "0 of 60 minutes held"


def test_list_shows_open_matches_only(client, login_as, factory, mentor_a, match_a):
    proposed = factory.match(mentor=mentor_a, status=MatchStatus.proposed)
    closed = factory.match(
        mentor=mentor_a,
        status=MatchStatus.closed,
        closed_on=program_today(dt.datetime.now(dt.UTC)),
        close_reason=CloseReason.goals_met,
    )
    login_as(client, mentor_a.user)

    html = client.get(LIST_URL).get_data(as_text=True)

    assert f'id="match-{match_a.id}"' in html
    assert f'id="match-{proposed.id}"' in html
    assert "Sessions start once the match is active." in _card(html, proposed.id)
    assert f'id="match-{closed.id}"' not in html
    assert closed.student.last_name not in html


def test_list_minutes_use_one_query(client, login_as, factory, frozen_now, mentor_a, match_a):
    others = [factory.match(mentor=mentor_a, start_date=MATCH_START) for _ in range(2)]
    for match in [match_a, *others]:
        _log(factory, match, dt.date(2025, 3, 4), 60)
    login_as(client, mentor_a.user)
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        html = client.get(LIST_URL).get_data(as_text=True)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)

    assert html.count("60 of 60 minutes held") == 3
    session_queries = [s for s in statements if "FROM mentoring_session" in s]
    assert len(session_queries) == 1
    student_queries = [s for s in statements if "FROM student" in s]
    assert len(student_queries) == 0, "students should load with the matches"


def test_list_empty_without_mentor_record(client, login_as, factory):
    factory.match()
    login_as(client, factory.user(MENTOR_ROLE))

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert "You have no proposed or active matches." in response.get_data(as_text=True)
    assert "student-card" not in response.get_data(as_text=True)


def test_show_own_match(client, login_as, mentor_a, match_a):
    login_as(client, mentor_a.user)

    response = client.get(f"/mystudentsview/show/{match_a.id}")

    assert response.status_code == 200
    assert "Ami Okafor" in response.get_data(as_text=True)


def test_show_closed_own_match_not_found(client, login_as, factory, mentor_a):
    closed = factory.match(
        mentor=mentor_a,
        status=MatchStatus.closed,
        closed_on=program_today(dt.datetime.now(dt.UTC)),
        close_reason=CloseReason.goals_met,
    )
    login_as(client, mentor_a.user)

    response = client.get(f"/mystudentsview/show/{closed.id}")

    assert response.status_code == 404


def test_card_availability_in_week_order(client, login_as, factory, mentor_a):
    student = factory.student(availability=["fri_afternoon", "mon_evening", "mon_afternoon"])
    match = factory.match(mentor=mentor_a, student=student)
    login_as(client, mentor_a.user)

    card = _card(client.get(LIST_URL).get_data(as_text=True), match.id)

    assert (
        "Monday, After school (3-5 pm); Monday, Evening (7-9 pm); Friday, After school (3-5 pm)"
        in card
    )


def test_week_without_school_has_no_target(
    client, login_as, factory, monkeypatch, mentor_a, match_a
):
    monkeypatch.setattr(students_module, "utcnow", lambda: SUNDAY_NIGHT_IN_BOSTON)
    factory.program_year(dt.date(2024, 9, 4), dt.date(2025, 6, 13), breaks=[dt.date(2025, 3, 3)])
    _log(factory, match_a, dt.date(2025, 3, 4), 30)
    login_as(client, mentor_a.user)

    card = _card(client.get(LIST_URL).get_data(as_text=True), match_a.id)

    text = _weekly_text(card)
    assert text.startswith("30 minutes held.")
    assert "week without school" in text
    assert "so it has no weekly target" in text
    assert "of 60" not in text
    assert "Target met" not in card


def test_week_outside_program_year_has_no_target(client, login_as, monkeypatch, mentor_a, match_a):
    monkeypatch.setattr(students_module, "utcnow", lambda: SUNDAY_NIGHT_IN_BOSTON)
    login_as(client, mentor_a.user)

    card = _card(client.get(LIST_URL).get_data(as_text=True), match_a.id)

    text = _weekly_text(card)
    assert text == (
        "0 minutes held. No program year includes this week, so it has no weekly target."
    )
