"""Who may open which coordinator screen, and 400 for malformed list parameters."""

from __future__ import annotations

import pytest

from app.rules.choices import MatchStatus
from config import ADMIN_ROLE, COORDINATOR_ROLE, MENTOR_ROLE

COORDINATOR_PAGES = [
    "/nominationview/list/",
    "/nominationhistoryview/list/",
    "/studentview/list/",
    "/mentorview/list/",
    "/mentorview/add",
    "/matchview/list/",
    "/sessionview/list/",
    "/sessionview/add",
    "/schoolview/list/",
    "/schoolview/add",
    "/outboxview/list/",
]
ADMIN_ONLY_PAGES = ["/users/list/", "/roles/list/"]


def record_pages(factory) -> list[str]:
    """Return show, edit and form pages of freshly made rows."""
    match = factory.match()
    session = factory.session(match=match)
    nomination = factory.nomination()
    message = factory.outbox_message()
    return [
        f"/outboxview/show/{message.id}",
        f"/nominationview/show/{nomination.id}",
        f"/nominationview/edit/{nomination.id}",
        f"/nominationview/decline/{nomination.id}",
        f"/studentview/show/{match.student_id}",
        f"/studentview/edit/{match.student_id}",
        f"/studentview/match/{match.student_id}",
        f"/mentorview/show/{match.mentor_id}",
        f"/mentorview/edit/{match.mentor_id}",
        f"/matchview/show/{match.id}",
        f"/matchview/edit/{match.id}",
        f"/matchview/close/{match.id}",
        f"/sessionview/show/{session.id}",
        f"/sessionview/edit/{session.id}",
        f"/sessionview/add?match={match.id}",
    ]


def record_posts(factory) -> list[str]:
    match = factory.match(status=MatchStatus.proposed)
    nomination = factory.nomination()
    mentor = factory.mentor(with_login=False)
    message = factory.outbox_message()
    return [
        f"/outboxview/cancel/{message.id}",
        f"/outboxview/resend/{message.id}",
        f"/nominationview/status/{nomination.id}/in_review",
        f"/matchview/activate/{match.id}",
        f"/mentorview/give-login/{mentor.id}",
        f"/sessionview/delete/{factory.session().id}",
    ]


def test_anonymous_redirected_to_login(client, factory):
    for page in COORDINATOR_PAGES + record_pages(factory):
        response = client.get(page)
        assert response.status_code == 302, page
        assert "/login/" in response.headers["Location"], page


def test_anonymous_post_redirected_to_login(client, factory):
    for url in record_posts(factory):
        response = client.post(url)
        assert response.status_code == 302, url
        assert "/login/" in response.headers["Location"], url


@pytest.mark.parametrize("role", [COORDINATOR_ROLE, ADMIN_ROLE])
def test_staff_opens_every_coordinator_page(client, factory, login_as, role):
    login_as(client, factory.user(role))

    for page in COORDINATOR_PAGES + record_pages(factory):
        assert client.get(page).status_code == 200, page
    menu = client.get("/nominationview/list/").get_data(as_text=True)
    for entry in ("Nominations", "Students", "Mentors", "Matches", "Sessions", "Schools", "Outbox"):
        assert f"{entry}</a>" in menu or f"{entry}\n" in menu, entry


def test_mentor_forbidden_on_every_coordinator_page(client, factory, login_as):
    login_as(client, factory.user(MENTOR_ROLE))

    for page in COORDINATOR_PAGES + record_pages(factory):
        assert client.get(page).status_code == 403, page
    for url in record_posts(factory):
        assert client.post(url).status_code == 403, url


@pytest.mark.parametrize(("role", "status"), [(COORDINATOR_ROLE, 403), (ADMIN_ROLE, 200)])
def test_users_and_roles_admin_only(client, factory, login_as, role, status):
    login_as(client, factory.user(role))

    for page in ADMIN_ONLY_PAGES:
        assert client.get(page).status_code == status, page


BAD_LIST_URLS = [
    "/nominationview/list/?psize_NominationView=abc",
    "/nominationview/list/?psize_NominationView=0",
    "/nominationview/list/?psize_NominationView=100000",
    "/nominationview/list/?page_NominationView=-1",
    "/nominationview/list/?page_NominationView=abc",
    "/nominationview/list/?page_NominationView=40",
    "/sessionview/list/?psize_SessionView=100&page_SessionView=10",
    "/nominationview/list/?_oc_NominationView=unknown&_od_NominationView=asc",
    "/nominationview/list/?_oc_NominationView=possible_duplicate&_od_NominationView=asc",
    "/nominationview/list/?_oc_NominationView=reference&_od_NominationView=sideways",
    "/nominationview/list/?_flt_9_status=new",
    "/nominationview/list/?_flt_0_status=bogus",
    "/nominationview/list/?_flt_0_unknown=1",
    "/nominationview/list/?_flt_0_school=abc",
    "/nominationview/list/?_flt_0_student_grade=six",
    "/nominationview/list/?_flt_1_submitted_at=yesterday",
    "/sessionview/list/?_flt_0_session_date=2024-02-30",
    "/matchview/list/?_flt_0_start_date=not-a-date",
    "/matchview/list/?_flt_5_mentor=x",
    "/mentorview/list/?_oc_MentorView=readiness&_od_MentorView=asc",
]


def test_bad_list_params_rejected(client, factory, login_as):
    login_as(client, factory.coordinator())

    for url in BAD_LIST_URLS:
        assert client.get(url).status_code == 400, url


GOOD_LIST_URLS = [
    "/nominationview/list/?psize_NominationView=100",
    "/nominationview/list/?page_NominationView=2",
    "/nominationview/list/?page_NominationView=39",
    "/sessionview/list/?psize_SessionView=100&page_SessionView=9",
    "/nominationview/list/?_oc_NominationView=reference&_od_NominationView=asc",
    "/nominationview/list/?_flt_0_status=new",
    "/nominationview/list/?_flt_0_school=1",
    "/nominationview/list/?_flt_0_student_grade=6",
    "/nominationview/list/?_flt_1_submitted_at=2024-01-31",
    "/sessionview/list/?_flt_0_session_date=2024-02-29",
    "/matchview/list/?_flt_0_start_date=2024-09-01",
    "/matchview/list/?_flt_1_student=Latin",
    "/mentorview/list/?_oc_MentorView=last_name&_od_MentorView=desc",
]


def test_good_list_params_accepted(client, factory, login_as):
    login_as(client, factory.coordinator())

    for url in GOOD_LIST_URLS:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "url", ["/nominationview/show/abc", "/nominationview/show/99999999", "/matchview/close/99999"]
)
def test_bad_record_id_not_found(client, factory, login_as, url):
    login_as(client, factory.coordinator())

    assert client.get(url).status_code == 404
