"""The "My sessions" screen: a mentor logs, edits and deletes their own sessions."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import MentoringSession
from app.models.types import utcnow
from app.rules.choices import SessionOutcome
from app.rules.timezone import program_today

ADD_URL = "/mysessionsview/add"
WINDOW_MESSAGE = "Mentors can add or change a session only up to 14 days after its date."
FUTURE_MESSAGE = "The session date is in the future."
BEFORE_START_MESSAGE = "The session date is before the match started."
DURATION_MESSAGE = "Enter a session length from 15 to 180 minutes."
DUPLICATE_MESSAGE = "A session for this match on this date at this start time is already logged."


@pytest.fixture
def today() -> dt.date:
    return program_today(utcnow())


@pytest.fixture
def mentor(factory):
    return factory.mentor(capacity=2)


@pytest.fixture
def match(factory, mentor, today):
    return factory.match(mentor=mentor, start_date=today - dt.timedelta(days=30))


@pytest.fixture
def logged_in(client, login_as, mentor):
    login_as(client, mentor.user)
    return client


def _form(match, day: dt.date, minutes: int = 60, **over) -> dict[str, str]:
    data = {
        "match": str(match.id),
        "session_date": day.isoformat(),
        "start_time": "16:00",
        "duration_minutes": str(minutes),
        "outcome": "held",
        "proctor_present": "y",
        "topics": "Long division practice",
        "notes": "Worked through three problems.",
    }
    data.update(over)
    return data


def _field_row(html: str, field_id: str) -> str:
    """Return the form row of ``field_id``: its input, help text and error messages."""
    start = html.index(f'id="{field_id}"')
    return html[start : html.index("</tr>", start)]


def _sessions() -> list[MentoringSession]:
    return list(db.session.scalars(select(MentoringSession)))


@pytest.mark.parametrize(
    ("days_ago", "minutes"),
    [(0, 60), (14, 60), (3, 15), (3, 180)],
    ids=["today", "14-days-ago", "15-minutes", "180-minutes"],
)
def test_add_allowed(logged_in, match, today, mentor, days_ago, minutes):
    day = today - dt.timedelta(days=days_ago)

    response = logged_in.post(ADD_URL, data=_form(match, day, minutes))

    assert response.status_code == 302
    (session,) = _sessions()
    assert session.session_date == day
    assert session.duration_minutes == minutes
    assert session.created_by_id == mentor.user_id


@pytest.mark.parametrize(
    ("days_ago", "minutes", "field", "message"),
    [
        (15, 60, "session_date", WINDOW_MESSAGE),
        (-1, 60, "session_date", FUTURE_MESSAGE),
        (31, 60, "session_date", BEFORE_START_MESSAGE),
        (3, 14, "duration_minutes", DURATION_MESSAGE),
        (3, 181, "duration_minutes", DURATION_MESSAGE),
    ],
    ids=["15-days-ago", "future", "before-match-start", "14-minutes", "181-minutes"],
)
def test_add_rejected(logged_in, match, today, days_ago, minutes, field, message):
    day = today - dt.timedelta(days=days_ago)

    response = logged_in.post(ADD_URL, data=_form(match, day, minutes))

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in _field_row(html, field)
    assert 'value="Long division practice"' in html
    assert _sessions() == []


def test_add_window_uses_config(app, logged_in, match, today):
    day = today - dt.timedelta(days=8)
    app.config["ILS_MENTOR_EDIT_DAYS"] = 7
    try:
        response = logged_in.post(ADD_URL, data=_form(match, day))
    finally:
        app.config["ILS_MENTOR_EDIT_DAYS"] = 14

    assert "only up to 7 days after its date" in _field_row(
        response.get_data(as_text=True), "session_date"
    )


def test_add_duplicate_rejected_at_start_time(logged_in, factory, match, today):
    day = today - dt.timedelta(days=2)
    factory.session(match=match, session_date=day, start_time=dt.time(16, 0))

    response = logged_in.post(ADD_URL, data=_form(match, day))

    assert DUPLICATE_MESSAGE in _field_row(response.get_data(as_text=True), "start_time")
    assert len(_sessions()) == 1


def test_add_other_start_time_allowed(logged_in, factory, match, today):
    day = today - dt.timedelta(days=2)
    factory.session(match=match, session_date=day, start_time=dt.time(16, 0))

    response = logged_in.post(ADD_URL, data=_form(match, day, start_time="17:30"))

    assert response.status_code == 302
    assert len(_sessions()) == 2


@pytest.mark.parametrize(
    ("stored_days_ago", "new_days_ago"),
    [(14, 14), (3, 14), (3, 0)],
    ids=["stored-14-days-ago", "moved-to-14-days-ago", "moved-to-today"],
)
def test_edit_allowed(logged_in, factory, match, today, stored_days_ago, new_days_ago):
    session = factory.session(match=match, session_date=today - dt.timedelta(stored_days_ago))
    new_day = today - dt.timedelta(days=new_days_ago)

    response = logged_in.post(
        f"/mysessionsview/edit/{session.id}", data=_form(match, new_day, topics="Edited")
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(MentoringSession, session.id).session_date == new_day
    assert db.session.get(MentoringSession, session.id).topics == "Edited"


@pytest.mark.parametrize(
    ("stored_days_ago", "new_days_ago"),
    [(15, 15), (15, 3), (3, 15)],
    ids=["stored-15-days-ago", "moved-from-15-days-ago", "moved-to-15-days-ago"],
)
def test_edit_rejected_outside_window(
    logged_in, factory, match, today, stored_days_ago, new_days_ago
):
    stored_day = today - dt.timedelta(days=stored_days_ago)
    session = factory.session(match=match, session_date=stored_day, topics="Original")

    response = logged_in.post(
        f"/mysessionsview/edit/{session.id}",
        data=_form(match, today - dt.timedelta(days=new_days_ago), topics="Edited"),
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert WINDOW_MESSAGE in _field_row(html, "session_date")
    assert 'value="Edited"' in html
    db.session.expire_all()
    assert db.session.get(MentoringSession, session.id).topics == "Original"


def test_edit_form_shows_stored_values(logged_in, factory, match, today):
    session = factory.session(match=match, session_date=today, start_time=dt.time(17, 45))

    html = logged_in.get(f"/mysessionsview/edit/{session.id}").get_data(as_text=True)

    assert f'value="{today.isoformat()}"' in _field_row(html, "session_date")
    assert 'value="17:45"' in _field_row(html, "start_time")


def test_delete_within_window(logged_in, factory, match, today):
    session = factory.session(match=match, session_date=today - dt.timedelta(days=14))

    response = logged_in.post(f"/mysessionsview/delete/{session.id}")

    assert response.status_code == 302
    assert _sessions() == []


def test_delete_outside_window_rejected(logged_in, factory, match, today):
    session = factory.session(match=match, session_date=today - dt.timedelta(days=15))

    response = logged_in.post(f"/mysessionsview/delete/{session.id}", follow_redirects=True)

    assert WINDOW_MESSAGE in response.get_data(as_text=True)
    assert [row.id for row in _sessions()] == [session.id]


def test_list_shows_own_sessions(logged_in, factory, match, today):
    factory.session(match=match, session_date=today, topics="Fractions and decimals")

    response = logged_in.get("/mysessionsview/list/")

    assert response.status_code == 200
    assert "Fractions and decimals" in response.get_data(as_text=True)
    assert match.student.last_name in response.get_data(as_text=True)


@pytest.mark.parametrize("column", ["session_date", "start_time", "duration_minutes", "outcome"])
def test_list_sorts_by_column(logged_in, factory, match, today, column):
    factory.session(match=match, session_date=today)

    response = logged_in.get(
        f"/mysessionsview/list/?_oc_MySessionsView={column}&_od_MySessionsView=asc"
    )

    assert response.status_code == 200


def test_list_rejects_unknown_sort_column(logged_in):
    response = logged_in.get(
        "/mysessionsview/list/?_oc_MySessionsView=notes&_od_MySessionsView=asc"
    )

    assert response.status_code == 400


def test_add_proctor_absent_allowed(logged_in, match, today):
    data = _form(match, today)
    del data["proctor_present"]

    response = logged_in.post(ADD_URL, data=data)

    assert response.status_code == 302
    (session,) = _sessions()
    assert session.proctor_present is False


@pytest.mark.parametrize("outcome", ["", "bogus"], ids=["empty", "unknown"])
def test_add_invalid_outcome_rejected(logged_in, match, today, outcome):
    response = logged_in.post(ADD_URL, data=_form(match, today, outcome=outcome))

    assert response.status_code == 200
    assert 'id="outcome"' in response.get_data(as_text=True)
    assert _sessions() == []


@pytest.mark.parametrize("page", ["list", "show"])
@pytest.mark.parametrize("proctor_present", [True, False], ids=["proctor", "no-proctor"])
def test_page_formats_values(logged_in, factory, match, today, page, proctor_present):
    session = factory.session(
        match=match,
        session_date=today,
        start_time=dt.time(16, 0),
        outcome=SessionOutcome.student_no_show,
        proctor_present=proctor_present,
        topics=None,
    )
    url = "/mysessionsview/list/" if page == "list" else f"/mysessionsview/show/{session.id}"

    page_html = logged_in.get(url).get_data(as_text=True)
    # The last table holds the values. The list page's search form lists every outcome.
    text = page_html[page_html.rindex("<table") : page_html.rindex("</table>")]

    assert "16:00" in text
    assert ":00:00" not in text
    assert "Student no-show" in text
    assert "student_no_show" not in text
    assert ("Yes" if proctor_present else "No") in text
    assert "True" not in text
    assert "False" not in text
    assert "None" not in text


@pytest.mark.parametrize(
    ("action", "message"),
    [("add", "Session logged."), ("edit", "Session updated."), ("delete", "Session deleted.")],
)
def test_change_flashes_plain_message(logged_in, factory, match, today, action, message):
    session = factory.session(match=match, session_date=today - dt.timedelta(days=1))
    if action == "add":
        response = logged_in.post(ADD_URL, data=_form(match, today), follow_redirects=True)
    elif action == "edit":
        url = f"/mysessionsview/edit/{session.id}"
        response = logged_in.post(url, data=_form(match, today), follow_redirects=True)
    else:
        url = f"/mysessionsview/delete/{session.id}"
        response = logged_in.post(url, follow_redirects=True)

    text = response.get_data(as_text=True)
    assert message in text
    assert "Row" not in text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("topics", "x" * 501, "Shorten the text to at most 500 characters."),
        ("notes", "Line one\x07 hidden", "The text contains a hidden control character."),
    ],
    ids=["long-topics", "bell-in-notes"],
)
def test_add_invalid_text_rejected_once(logged_in, match, today, field, value, message):
    response = logged_in.post(ADD_URL, data=_form(match, today, **{field: value}))

    row = _field_row(response.get_data(as_text=True), field)
    assert response.status_code == 200
    assert row.count(message) == 1
    assert _sessions() == []


def test_add_text_with_line_breaks_allowed(logged_in, match, today):
    response = logged_in.post(ADD_URL, data=_form(match, today, notes="First.\r\nSecond."))

    assert response.status_code == 302
    (session,) = _sessions()
    assert session.notes.splitlines() == ["First.", "Second."]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("duration_minutes", "abc", "Enter the session length in minutes as a whole number"),
        ("session_date", "abc", "Enter the session date as YYYY-MM-DD"),
    ],
    ids=["minutes-abc", "date-abc"],
)
def test_add_unparsable_value_named(logged_in, match, today, field, value, message):
    response = logged_in.post(ADD_URL, data=_form(match, today, **{field: value}))

    row = _field_row(response.get_data(as_text=True), field)
    assert response.status_code == 200
    assert message in row
    assert f'value="{value}"' in row
    assert _sessions() == []


def test_add_date_with_spaces_accepted(logged_in, match, today):
    response = logged_in.post(ADD_URL, data=_form(match, today, session_date=f"  {today}  "))

    assert response.status_code == 302
    (session,) = _sessions()
    assert session.session_date == today
