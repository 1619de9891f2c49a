"""Coordinators log, correct, search and delete sessions, within the session rules."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import MentoringSession
from app.rules.choices import MatchStatus, SessionOutcome
from app.rules.timezone import program_today

TODAY = program_today(dt.datetime.now(dt.UTC))


@pytest.fixture
def coordinator(client, factory, login_as):
    user = factory.coordinator()
    login_as(client, user)
    return user


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def session_form(for_match, **overrides) -> dict[str, object]:
    form = {
        "match": str(for_match.id),
        "session_date": (TODAY - dt.timedelta(days=30)).isoformat(),
        "start_time": "16:00",
        "duration_minutes": "60",
        "outcome": "held",
        "proctor_present": "y",
        "topics": "Fractions",
        "notes": "",
    }
    form.update(overrides)
    return form


def sessions_of(match) -> list[MentoringSession]:
    db.session.expire_all()
    return list(
        db.session.execute(
            select(MentoringSession).where(MentoringSession.match_id == match.id)
        ).scalars()
    )


def test_add_session_saves_with_author(client, factory, coordinator):
    match = factory.match()

    response = client.post("/sessionview/add", data=session_form(match))

    assert response.status_code == 302
    (saved,) = sessions_of(match)
    assert saved.duration_minutes == 60
    assert saved.outcome is SessionOutcome.held
    assert saved.created_by_id == coordinator.id


def test_add_session_without_proctor_present(client, factory, coordinator):
    match = factory.match()
    form = session_form(match, outcome="student_no_show")
    del form["proctor_present"]

    response = client.post("/sessionview/add", data=form)

    assert response.status_code == 302
    (saved,) = sessions_of(match)
    assert saved.proctor_present is False
    assert saved.outcome is SessionOutcome.student_no_show


def test_add_session_older_than_mentor_window_allowed(client, factory, coordinator):
    match = factory.match(start_date=TODAY - dt.timedelta(days=200))
    old_date = (TODAY - dt.timedelta(days=100)).isoformat()

    response = client.post("/sessionview/add", data=session_form(match, session_date=old_date))

    assert response.status_code == 302
    assert len(sessions_of(match)) == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"duration_minutes": "10"}, "Enter a session length from 15 to 180 minutes."),
        ({"duration_minutes": "181"}, "Enter a session length from 15 to 180 minutes."),
        ({"duration_minutes": "abc"}, "Enter the session length in minutes as a whole number"),
        ({"duration_minutes": ""}, "Enter the session length in minutes."),
        ({"session_date": "abc"}, "Enter the session date as YYYY-MM-DD"),
        ({"session_date": ""}, "Enter the session date."),
        (
            {"session_date": (TODAY + dt.timedelta(days=1)).isoformat()},
            "The session date is in the future.",
        ),
        (
            {"session_date": (TODAY - dt.timedelta(days=61)).isoformat()},
            "The session date is before the match started.",
        ),
        ({"start_time": ""}, "Enter a time such as 16:30."),
        ({"start_time": "03:00"}, "Enter a start time from 07:00 to 21:30"),
        ({"start_time": "23:59"}, "Enter a start time from 07:00 to 21:30"),
        ({"outcome": "partied"}, "Not a valid choice"),
        ({"match": "99999999"}, "Choose an option from the list."),
        ({"notes": "x" * 2001}, "Shorten the text to at most 2000 characters."),
    ],
)
def test_add_session_rejects_bad_value(client, factory, coordinator, overrides, message):
    match = factory.match()

    response = client.post("/sessionview/add", data=session_form(match, **overrides))

    assert response.status_code == 200
    assert message in page_text(response)
    assert sessions_of(match) == []


def test_add_session_proposed_match_rejected(client, factory, coordinator):
    match = factory.match(status=MatchStatus.proposed)

    response = client.post("/sessionview/add", data=session_form(match))

    assert "Sessions can be logged once the match is active." in page_text(response)


def test_add_session_after_close_rejected(client, factory, coordinator):
    closed_on = TODAY - dt.timedelta(days=40)
    match = factory.match(status=MatchStatus.closed, closed_on=closed_on, close_reason="goals_met")

    response = client.post("/sessionview/add", data=session_form(match))

    assert "The session date is after the match closed." in page_text(response)


def test_add_session_duplicate_time_shows_plain_message(client, factory, coordinator):
    match = factory.match()
    day = TODAY - dt.timedelta(days=5)
    factory.session(match=match, session_date=day, start_time=dt.time(16, 0))

    response = client.post(
        "/sessionview/add", data=session_form(match, session_date=day.isoformat(), topics="Kept")
    )

    text = page_text(response)
    assert response.status_code == 200
    assert "A session for this match on this date at this start time is already logged." in text
    assert "Kept" in text
    assert "INSERT" not in text


def test_add_form_preselects_match_from_link(client, factory, coordinator):
    match = factory.match(
        status=MatchStatus.closed, closed_on=TODAY - dt.timedelta(days=1), close_reason="goals_met"
    )

    text = page_text(client.get(f"/sessionview/add?match={match.id}"))

    assert re.search(
        rf'<option selected value="{match.id}">|<option value="{match.id}" selected', text
    )


def test_edit_session_corrects_duration(client, factory, coordinator):
    match = factory.match(start_date=TODAY - dt.timedelta(days=200))
    session = factory.session(match=match, session_date=TODAY - dt.timedelta(days=90))
    form = session_form(session.match, session_date=session.session_date.isoformat())
    del form["match"]
    form["duration_minutes"] = "45"

    response = client.post(f"/sessionview/edit/{session.id}", data=form)

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(MentoringSession, session.id).duration_minutes == 45


def test_edit_session_future_date_rejected(client, factory, coordinator):
    session = factory.session()
    form = session_form(session.match, session_date=(TODAY + dt.timedelta(days=2)).isoformat())
    del form["match"]

    response = client.post(f"/sessionview/edit/{session.id}", data=form)

    assert response.status_code == 200
    assert "The session date is in the future." in page_text(response)
    db.session.expire_all()
    assert db.session.get(MentoringSession, session.id).session_date == session.session_date


def test_delete_session(client, factory, coordinator):
    match = factory.match()
    session = factory.session(match=match)

    response = client.post(f"/sessionview/delete/{session.id}")

    assert response.status_code == 302
    assert sessions_of(match) == []


def test_list_filters_by_student_name(client, factory, coordinator):
    kept = factory.session(match=factory.match(student=factory.student(last_name="Quispe")))
    filtered_out = factory.session()

    text = page_text(client.get("/sessionview/list/?_flt_0_match=quis"))

    assert f"/sessionview/show/{kept.id}" in text
    assert f"/sessionview/show/{filtered_out.id}" not in text


@pytest.mark.parametrize(("topics", "errors"), [("x" * 500, 0), ("x" * 501, 1)])
def test_edit_session_topics_one_message(client, factory, coordinator, topics, errors):
    session = factory.session()

    response = client.post(
        f"/sessionview/edit/{session.id}",
        data=session_form(
            session.match, session_date=session.session_date.isoformat(), topics=topics
        ),
    )

    assert response.status_code == (200 if errors else 302)
    text = page_text(response)
    assert text.count("500 characters") == errors
    assert text.count("cannot be longer than") == 0


@pytest.mark.parametrize(
    ("action", "message"),
    [("add", "Session logged."), ("edit", "Session updated."), ("delete", "Session deleted.")],
)
def test_change_flashes_plain_message(client, factory, coordinator, action, message):
    match = factory.match()
    session = factory.session(match=match)
    if action == "add":
        response = client.post("/sessionview/add", data=session_form(match), follow_redirects=True)
    elif action == "edit":
        form = session_form(match, session_date=session.session_date.isoformat())
        del form["match"]
        response = client.post(f"/sessionview/edit/{session.id}", data=form, follow_redirects=True)
    else:
        response = client.post(f"/sessionview/delete/{session.id}", follow_redirects=True)

    text = page_text(response)
    assert message in text
    assert "Row" not in text
