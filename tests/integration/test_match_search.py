"""The match search behind the coordinator forms' match field: results, limits, access."""

from __future__ import annotations

import datetime as dt
import html
import logging
import re

import pytest
from sqlalchemy import select

from app import QueryStringFilter
from app.admin.match_search import MAX_PAGES, PAGE_SIZE
from app.extensions import db
from app.models import MentoringSession
from app.rules.choices import CloseReason, MatchStatus
from app.rules.timezone import program_today

TODAY = program_today(dt.datetime.now(dt.UTC))


@pytest.fixture
def coordinator(client, factory, login_as):
    user = factory.coordinator()
    login_as(client, user)
    return user


def search(client, **params):
    return client.get("/matchsearch/", query_string=params)


def result_ids(response) -> list[int]:
    assert response.status_code == 200
    return [row["id"] for row in response.get_json()["results"]]


def test_search_finds_by_each_name(client, factory, coordinator):
    student = factory.student(first_name="Zuleika", last_name="Okonkwo")
    mentor = factory.mentor(first_name="Ingrid", last_name="Vasquez")
    match = factory.match(student=student, mentor=mentor)
    factory.match()

    for typed in ["Zul", "zuleika", "OKON", "ing", "Vasq", "  vasquez  "]:
        assert result_ids(search(client, q=typed)) == [match.id], typed


def test_search_matches_name_start_only(client, factory, coordinator):
    student = factory.student(first_name="Zuleika", last_name="Okonkwo")
    factory.match(student=student)

    assert result_ids(search(client, q="leika")) == []
    assert result_ids(search(client, q="konk")) == []


def test_search_result_text(client, factory, coordinator):
    student = factory.student(first_name="Zuleika", last_name="Okonkwo")
    mentor = factory.mentor(first_name="Ingrid", last_name="Vasquez")
    match = factory.match(student=student, mentor=mentor)

    body = search(client, q="Zul").get_json()

    assert body == {
        "results": [{"id": match.id, "text": "Zuleika Okonkwo — Ingrid Vasquez (Tuesday 16:00)"}],
        "pagination": {"more": False},
    }


def test_search_lists_active_matches_only(client, factory, coordinator):
    active = factory.match(student=factory.student(last_name="Quorra1"))
    factory.match(
        student=factory.student(last_name="Quorra2"), status=MatchStatus.proposed, start_date=TODAY
    )
    factory.match(
        student=factory.student(last_name="Quorra3"),
        status=MatchStatus.closed,
        closed_on=TODAY - dt.timedelta(days=3),
        close_reason=CloseReason.goals_met,
    )

    assert result_ids(search(client, q="quorra")) == [active.id]


def test_search_non_ascii_and_wildcards(client, factory, coordinator):
    student = factory.student(first_name="Émile", last_name="Ødegård")
    match = factory.match(student=student)
    factory.match(student=factory.student(first_name="E_mile"))

    assert result_ids(search(client, q="Émi")) == [match.id]
    assert result_ids(search(client, q="Øde")) == [match.id]
    assert result_ids(search(client, q="%")) == []
    assert result_ids(search(client, q="_mile")) == []


def test_search_pages_of_twenty_up_to_cap(client, factory, coordinator):
    total = PAGE_SIZE * MAX_PAGES + 3
    mentor = factory.mentor(capacity=10)
    for number in range(total):
        factory.match(student=factory.student(last_name=f"Yarrow{number:03d}"), mentor=mentor)

    seen = []
    for page in range(1, MAX_PAGES + 1):
        body = search(client, q="yarrow", page=page).get_json()
        assert len(body["results"]) == PAGE_SIZE
        assert body["pagination"]["more"] is (page < MAX_PAGES)
        seen.extend(row["id"] for row in body["results"])

    assert len(set(seen)) == PAGE_SIZE * MAX_PAGES
    assert result_ids(search(client, q="yarrow", page=MAX_PAGES + 1)) == []


def test_search_last_page_has_no_more(client, factory, coordinator):
    for number in range(PAGE_SIZE + 1):
        factory.match(student=factory.student(last_name=f"Xenia{number:02d}"))

    first = search(client, q="xenia", page=1).get_json()
    second = search(client, q="xenia", page=2).get_json()

    assert first["pagination"]["more"] is True
    assert len(second["results"]) == 1
    assert second["pagination"]["more"] is False


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "a" * 101},
        {"q": "Stu\x00dent"},
        {"q": "Student", "page": str(MAX_PAGES + 1)},
        {"q": "Student", "page": "999999"},
    ],
)
def test_search_odd_params_find_nothing(client, factory, coordinator, params):
    factory.match()

    response = search(client, **params)

    assert result_ids(response) == []
    assert response.get_json()["pagination"] == {"more": False}


def test_search_ignores_select2_extra_params(client, factory, coordinator):
    match = factory.match(student=factory.student(last_name="Sandoval"))

    response = search(client, q="sand", term="sand", _type="query:append", page="1")

    assert result_ids(response) == [match.id]


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "", "١", "9" * 40])
def test_search_invalid_page_rejected(client, factory, coordinator, page):
    response = search(client, q="Student", page=page)

    assert response.status_code == 400
    assert "Invalid page" in response.get_json()["message"]


def test_search_admin_allowed(client, factory, login_as):
    match = factory.match(student=factory.student(last_name="Wendeline"))
    login_as(client, factory.admin())

    assert result_ids(search(client, q="wende")) == [match.id]


def test_search_mentor_forbidden(client, factory, login_as):
    match = factory.match(student=factory.student(last_name="Vereker"))
    login_as(client, match.mentor.user)

    response = search(client, q="vere")

    assert response.status_code == 403
    assert "Vereker" not in response.get_data(as_text=True)


def test_search_anonymous_redirected_without_name(client, factory):
    factory.match(student=factory.student(last_name="Umbrage"))

    response = search(client, q="Umbr")

    assert response.status_code == 302
    location = response.headers["Location"]
    assert "/login/" in location
    assert "Umbr" not in location


@pytest.mark.parametrize("path", ["/sessionview/add", "/checkinview/add"])
def test_add_form_renders_search_field(client, factory, coordinator, path):
    factory.match()

    text = html.unescape(client.get(path).get_data(as_text=True))
    select_tag = re.search(r'<select[^>]*name="match"[^>]*>(.*?)</select>', text, re.S)

    assert select_tag is not None
    assert 'data-ajax--url="/matchsearch/"' in select_tag.group(0)
    assert "data-minimum-input-length" in select_tag.group(0)
    assert "<option" not in select_tag.group(1)


def test_session_saved_with_searched_match(client, factory, coordinator):
    student = factory.student(first_name="Tamsin", last_name="Achterberg")
    factory.match()
    match = factory.match(student=student)
    [found] = search(client, q="tams").get_json()["results"]

    response = client.post(
        "/sessionview/add",
        data={
            "match": str(found["id"]),
            "session_date": (TODAY - dt.timedelta(days=7)).isoformat(),
            "start_time": "16:00",
            "duration_minutes": "60",
            "outcome": "held",
            "topics": "Fractions",
            "notes": "",
        },
    )

    assert response.status_code == 302
    saved = db.session.execute(select(MentoringSession)).scalars().one()
    assert saved.match_id == match.id


def test_search_access_log_drops_name():
    request_line = "GET /matchsearch/?term=Okonkwo&q=Okonkwo&_type=query&page=2 HTTP/1.1"
    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1, '"%s" %s %s', (request_line, "200", "-"), None
    )

    QueryStringFilter().filter(record)

    assert "Okonkwo" not in record.getMessage()
    assert record.getMessage() == '"GET /matchsearch/ HTTP/1.1" 200 -'
