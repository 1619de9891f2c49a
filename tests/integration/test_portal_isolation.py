"""Mentor isolation in the portal: mentor A never reads, changes or learns of mentor B's rows.

Every denied case sits next to its allowed twin on A's own rows. Rows of another
mentor return 404, like rows that do not exist.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from flask import g
from sqlalchemy import select

from app.extensions import db
from app.models import Match, Mentor, MentoringSession, Student
from app.models.types import utcnow
from app.portal.sessions import ChangeRejected, MySessionsView
from app.rules.choices import CloseReason, MatchStatus
from app.rules.timezone import program_today
from config import MENTOR_ROLE

NOT_OWN_MATCH = "Choose one of your own active matches."


@dataclass
class Side:
    """One mentor with one student, their active match and one session."""

    mentor: Mentor
    student: Student
    match: Match
    session: MentoringSession


def _side(factory, today: dt.date, prefix: str, first: str, last: str) -> Side:
    mentor = factory.mentor(capacity=3, first_name=f"{prefix}Mentor", last_name=f"{prefix}Lastname")
    student = factory.student(
        first_name=first,
        last_name=last,
        date_of_birth=dt.date(2013, 4, 17),
        email=f"{first.lower()}.student@example.org",
        guardian_first_name=f"{prefix}Gwendolyn",
        guardian_last_name=f"{prefix}Guardianson",
        guardian_email=f"{prefix.lower()}.guardian@example.org",
        guardian_phone="617-555-0199",
        needs_description=f"{prefix} family context told in confidence",
        coordinator_notes=f"{prefix} coordinator remark",
    )
    match = factory.match(mentor=mentor, student=student, start_date=today - dt.timedelta(30))
    session = factory.session(
        match=match, session_date=today - dt.timedelta(days=2), topics=f"{prefix}-only topic"
    )
    return Side(mentor, student, match, session)


@pytest.fixture
def today() -> dt.date:
    return program_today(utcnow())


@pytest.fixture
def side_a(factory, today) -> Side:
    return _side(factory, today, "A", "Amara", "Okafor")


@pytest.fixture
def side_b(factory, today) -> Side:
    return _side(factory, today, "B", "Bilal", "Haddad")


@pytest.fixture
def client_a(client, login_as, side_a, side_b):
    login_as(client, side_a.mentor.user)
    return client


def _private_strings(side: Side) -> list[str]:
    """Return what a mentor must never see of a student, even their own."""
    student = side.student
    nomination = student.nominations[0]
    return [
        student.date_of_birth.isoformat(),
        f"{student.date_of_birth:%m/%d/%Y}",
        student.email,
        student.guardian_first_name,
        student.guardian_last_name,
        student.guardian_email,
        student.guardian_phone,
        student.needs_description,
        student.coordinator_notes,
        nomination.nominator_last_name,
        nomination.nominator_email,
        nomination.reference,
    ]


def _other_mentor_strings(side: Side) -> list[str]:
    return [
        side.student.first_name,
        side.student.last_name,
        side.mentor.last_name,
        side.session.topics,
        *_private_strings(side),
    ]


def _form(match_id: int, day: dt.date, **over) -> dict[str, str]:
    data = {
        "match": str(match_id),
        "session_date": day.isoformat(),
        "start_time": "18:15",
        "duration_minutes": "60",
        "outcome": "held",
        "proctor_present": "y",
        "topics": "Forged topic",
    }
    data.update(over)
    return data


def _field_row(html: str, field_id: str) -> str:
    start = html.index(f'id="{field_id}"')
    return html[start : html.index("</tr>", start)]


def _match_options(html: str) -> set[int]:
    select_start = html.index('id="match"')
    select_html = html[select_start : html.index("</select>", select_start)]
    return {int(value) for value in re.findall(r'option[^>]*value="(\d+)"', select_html)}


def _session_count(match: Match) -> int:
    return len(
        db.session.scalars(select(MentoringSession).where(MentoringSession.match == match)).all()
    )


PORTAL_PAGES = [
    "/mystudentsview/list/",
    "/mystudentsview/show/{a.match.id}",
    "/mysessionsview/list/",
    "/mysessionsview/list/?_flt_0_match={b.match.id}",
    "/mysessionsview/list/?_flt_0_topics=B-only",
    "/mysessionsview/show/{a.session.id}",
    "/mysessionsview/add",
    "/mysessionsview/edit/{a.session.id}",
    "/users/userinfo/",
]


@pytest.mark.parametrize("page", PORTAL_PAGES)
def test_page_hides_private_and_other_rows(client_a, side_a, side_b, page):
    response = client_a.get(page.format(a=side_a, b=side_b))

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in _private_strings(side_a):
        assert text not in html, f"private value shown on {page}"
    for text in _other_mentor_strings(side_b):
        assert text not in html, f"another mentor's value shown on {page}"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/mystudentsview/show/{side.match.id}"),
        ("get", "/mysessionsview/show/{side.session.id}"),
        ("get", "/mysessionsview/edit/{side.session.id}"),
    ],
)
def test_other_mentor_row_not_found(client_a, side_a, side_b, method, url):
    own = getattr(client_a, method)(url.format(side=side_a))
    other = getattr(client_a, method)(url.format(side=side_b))

    assert own.status_code == 200
    assert other.status_code == 404


def test_edit_other_mentor_session_not_found(client_a, side_a, side_b, today):
    response = client_a.post(
        f"/mysessionsview/edit/{side_b.session.id}", data=_form(side_b.match.id, today)
    )

    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(MentoringSession, side_b.session.id).topics == "B-only topic"


def test_delete_other_mentor_session_not_found(client_a, side_a, side_b):
    own = client_a.post(f"/mysessionsview/delete/{side_a.session.id}")
    other = client_a.post(f"/mysessionsview/delete/{side_b.session.id}")

    assert own.status_code == 302
    assert _session_count(side_a.match) == 0
    assert other.status_code == 404
    assert _session_count(side_b.match) == 1


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/mystudentsview/add"),
        ("post", "/mystudentsview/add"),
        ("get", "/mystudentsview/edit/{side.match.id}"),
        ("post", "/mystudentsview/delete/{side.match.id}"),
    ],
)
def test_match_changes_not_routed(client_a, side_a, side_b, method, url):
    for side in (side_a, side_b):
        response = getattr(client_a, method)(url.format(side=side))

        assert response.status_code == 404


def test_add_to_other_mentor_match_rejected(client_a, side_a, side_b, today):
    own = client_a.post("/mysessionsview/add", data=_form(side_a.match.id, today))
    forged = client_a.post("/mysessionsview/add", data=_form(side_b.match.id, today))

    assert own.status_code == 302
    assert _session_count(side_a.match) == 2
    assert forged.status_code == 200
    assert NOT_OWN_MATCH in _field_row(forged.get_data(as_text=True), "match")
    assert _session_count(side_b.match) == 1


def test_add_prefilled_other_match_rejected(client_a, side_a, side_b, today):
    """FAB fills a field named in a ``_flt_`` argument by id without the dropdown's filters."""
    own = client_a.post(
        f"/mysessionsview/add?_flt_0_match={side_a.match.id}",
        data=_form(side_a.match.id, today),
    )
    forged = client_a.post(
        f"/mysessionsview/add?_flt_0_match={side_b.match.id}",
        data=_form(side_b.match.id, today),
    )

    assert own.status_code == 302
    assert forged.status_code == 200
    assert _session_count(side_b.match) == 1


def test_edit_to_other_match_rejected(client_a, factory, side_a, side_b, today):
    second_own = factory.match(mentor=side_a.mentor, start_date=today - dt.timedelta(30))
    moved = client_a.post(
        f"/mysessionsview/edit/{side_a.session.id}", data=_form(second_own.id, today)
    )
    forged = client_a.post(
        f"/mysessionsview/edit/{side_a.session.id}", data=_form(side_b.match.id, today)
    )

    assert moved.status_code == 302
    assert forged.status_code == 200
    assert NOT_OWN_MATCH in _field_row(forged.get_data(as_text=True), "match")
    db.session.expire_all()
    assert db.session.get(MentoringSession, side_a.session.id).match_id == second_own.id


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("post", "/mysessionsview/action_post", {"action": "muldelete", "rowid": "{b}"}),
        ("post", "/mysessionsview/action/muldelete/{b}", {}),
        ("get", "/mysessionsview/action/muldelete/{b}", {}),
        ("post", "/mystudentsview/action_post", {"action": "muldelete", "rowid": "{m}"}),
        ("post", "/mystudentsview/action/muldelete/{m}", {}),
    ],
)
def test_list_actions_not_routed(client_a, side_a, side_b, method, url, data):
    ids = {"b": side_b.session.id, "m": side_b.match.id}
    form = {key: value.format(**ids) for key, value in data.items()}

    response = getattr(client_a, method)(url.format(**ids), data=form)

    assert response.status_code == 404
    assert _session_count(side_b.match) == 1


@pytest.mark.parametrize(
    "url", ["/mysessionsview/download/report.csv", "/mystudentsview/download/report.csv"]
)
def test_download_not_routed(client_a, url):
    assert client_a.get(url).status_code == 404


def test_add_dropdown_lists_own_active_matches(client_a, factory, side_a, side_b, today):
    proposed = factory.match(mentor=side_a.mentor, status=MatchStatus.proposed)
    closed = factory.match(
        mentor=side_a.mentor,
        status=MatchStatus.closed,
        start_date=today - dt.timedelta(days=30),
        closed_on=today,
        close_reason=CloseReason.goals_met,
    )

    add_options = _match_options(client_a.get("/mysessionsview/add").get_data(as_text=True))
    edit_html = client_a.get(f"/mysessionsview/edit/{side_a.session.id}").get_data(as_text=True)

    assert add_options == {side_a.match.id}
    assert _match_options(edit_html) == {side_a.match.id}
    assert proposed.id not in add_options
    assert closed.id not in add_options


def test_search_dropdown_lists_own_matches(client_a, side_a, side_b):
    html = client_a.get("/mysessionsview/list/").get_data(as_text=True)

    assert "Amara Okafor with AMentor ALastname" in html
    assert "Bilal" not in html


@pytest.mark.parametrize(
    ("query", "own_found"),
    [
        ("_flt_0_match={a.match.id}", True),
        ("_flt_0_match={b.match.id}", False),
        ("_flt_0_topics=A-only", True),
        ("_flt_0_topics=B-only", False),
        ("_flt_0_topics=Bilal", False),
    ],
)
def test_search_finds_own_sessions_only(client_a, side_a, side_b, query, own_found):
    response = client_a.get("/mysessionsview/list/?" + query.format(a=side_a, b=side_b))

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ("A-only topic" in html) is own_found
    assert "B-only topic" not in html


COORDINATOR_SCREENS = [
    "/nominationview/list/",
    "/studentview/list/",
    "/mentorview/list/",
    "/matchview/list/",
    "/sessionview/list/",
    "/schoolview/list/",
    "/users/list/",
    "/roles/list/",
]


@pytest.mark.parametrize("url", COORDINATOR_SCREENS)
def test_coordinator_screens_denied(client_a, url):
    response = client_a.get(url)

    # 404 only while a coordinator screen is not registered under this address.
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("url", ["/mystudentsview/list/", "/mysessionsview/list/"])
def test_portal_denied_to_coordinator(client, login_as, factory, url):
    login_as(client, factory.coordinator())

    assert client.get(url).status_code == 403


def test_user_without_mentor_sees_nothing(client, login_as, factory, side_a, today):
    login_as(client, factory.user(MENTOR_ROLE))

    students = client.get("/mystudentsview/list/")
    sessions = client.get("/mysessionsview/list/")
    add_form = client.get("/mysessionsview/add")
    forged = client.post("/mysessionsview/add", data=_form(side_a.match.id, today))

    assert students.status_code == 200
    assert "student-card" not in students.get_data(as_text=True)
    assert sessions.status_code == 200
    assert "A-only topic" not in sessions.get_data(as_text=True)
    assert _match_options(add_form.get_data(as_text=True)) == set()
    assert forged.status_code == 200
    assert _session_count(side_a.match) == 1
    assert client.get(f"/mysessionsview/show/{side_a.session.id}").status_code == 404


@pytest.mark.parametrize("hook", ["pre_add", "pre_update"])
def test_hooks_reject_other_match(app, side_a, side_b, hook):
    """The hooks hold even if a form let another mentor's match through."""
    view = next(v for v in app.appbuilder.baseviews if isinstance(v, MySessionsView))
    own = SimpleNamespace(match=side_a.match, created_by_id=None)
    other = SimpleNamespace(match=side_b.match, created_by_id=None)

    with app.test_request_context():
        g.user = side_a.mentor.user
        getattr(view, hook)(own)
        with pytest.raises(ChangeRejected, match=NOT_OWN_MATCH):
            getattr(view, hook)(other)


@pytest.mark.parametrize(
    "query", ["_flt_0_match=abc", "_flt_0_created_by=1", "_flt_0_match=99999999999999999999"]
)
@pytest.mark.parametrize("form", ["add", "edit"])
def test_form_rejects_invalid_prefill(client_a, side_a, today, query, form):
    url = "/mysessionsview/add" if form == "add" else f"/mysessionsview/edit/{side_a.session.id}"

    response = client_a.post(f"{url}?{query}", data=_form(side_a.match.id, today))

    assert response.status_code == 400
