"""Review buttons and forms carry a CSRF token, and a POST without one changes nothing."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Nomination
from app.rules.choices import NominationStatus
from tests.conftest import make_app


@pytest.fixture
def csrf_client(app, database_url):
    guarded = make_app(database_url, WTF_CSRF_ENABLED=True)
    with guarded.app_context():
        yield guarded.test_client()


def login(client, user) -> None:
    page = client.get("/login/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login/",
        data={"username": user.username, "password": "password-for-tests", "csrf_token": token},
    )
    assert response.status_code == 302, "login failed"


def status_of(nomination) -> NominationStatus:
    db.session.expire_all()
    return db.session.get(Nomination, nomination.id).status


def test_status_button_without_token_rejected(csrf_client, factory):
    login(csrf_client, factory.coordinator())
    nomination = factory.nomination()

    show_url = f"http://localhost/nominationview/show/{nomination.id}"

    response = csrf_client.post(
        f"/nominationview/status/{nomination.id}/in_review", headers={"Referer": show_url}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == show_url
    assert status_of(nomination) is NominationStatus.new
    page = csrf_client.get(show_url).get_data(as_text=True)
    assert "nothing was saved" in page


def test_form_without_token_from_elsewhere_goes_home(csrf_client, factory):
    login(csrf_client, factory.coordinator())
    nomination = factory.nomination()

    response = csrf_client.post(
        f"/nominationview/status/{nomination.id}/in_review",
        headers={"Referer": "https://attacker.example/page"},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "http://localhost/"
    assert status_of(nomination) is NominationStatus.new


def test_status_button_with_token_from_show_page(csrf_client, factory):
    login(csrf_client, factory.coordinator())
    nomination = factory.nomination()
    show = csrf_client.get(f"/nominationview/show/{nomination.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', show).group(1)

    response = csrf_client.post(
        f"/nominationview/status/{nomination.id}/in_review", data={"csrf_token": token}
    )

    assert response.status_code == 302
    assert status_of(nomination) is NominationStatus.in_review


def test_expired_login_without_referrer_explained(csrf_client):
    """The landing page shows no flashed messages, so a visitor is sent to the login page."""
    csrf_client.get("/login/")

    response = csrf_client.post("/login/", data={"username": "someone", "password": "x"})

    assert response.status_code == 302
    page = csrf_client.get(response.headers["Location"], follow_redirects=True)
    assert "nothing was saved" in page.get_data(as_text=True)
