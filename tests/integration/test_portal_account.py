"""A mentor reaches their own user information and changes their password, with CSRF on."""

from __future__ import annotations

import re

import pytest

from tests.conftest import make_app
from tests.factories import TEST_PASSWORD

NEW_PASSWORD = "a-new-password-for-tests"


@pytest.fixture
def csrf_app(app, database_url):
    """Return an app with CSRF checks on, over the test database.

    Its requests run outside the test's app context, so each gets its own ``g``
    and its own CSRF token, as in production.
    """
    return make_app(database_url, WTF_CSRF_ENABLED=True)


def _csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def _login(client, username: str, password: str) -> bool:
    """Log in and return whether it succeeded (FAB redirects to the login page on failure)."""
    token = _csrf_token(client.get("/login/").get_data(as_text=True))
    response = client.post(
        "/login/", data={"username": username, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302
    return "/login/" not in response.location


def test_menu_links_to_profile(client, login_as, factory):
    mentor = factory.mentor()
    login_as(client, mentor.user)

    html = client.get("/mystudentsview/list/").get_data(as_text=True)

    assert 'href="/users/userinfo/"' in html
    assert 'href="/mystudentsview/list/"' in html
    assert 'href="/mysessionsview/list/"' in html


def test_userinfo_shows_own_account(client, login_as, factory):
    mentor = factory.mentor()
    login_as(client, mentor.user)

    response = client.get("/users/userinfo/")

    assert response.status_code == 200
    assert mentor.user.username in response.get_data(as_text=True)
    assert "/users/action/resetmypassword/" in response.get_data(as_text=True)
    assert "/users/action/userinfoedit/" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/users/list/", "/users/show/{other}", "/users/edit/{other}"])
def test_other_accounts_denied(client, login_as, factory, url):
    mentor = factory.mentor()
    other = factory.coordinator()
    login_as(client, mentor.user)

    response = client.get(url.format(other=other.id))

    assert response.status_code == 403


def test_password_change_with_csrf(csrf_app, factory):
    mentor = factory.mentor()
    client = csrf_app.test_client()
    assert _login(client, mentor.user.username, TEST_PASSWORD)

    userinfo = client.get("/users/userinfo/").get_data(as_text=True)
    to_form = client.post(
        f"/users/action/resetmypassword/{mentor.user_id}",
        data={"csrf_token": _csrf_token(userinfo)},
    )
    form_page = client.get("/resetmypassword/form")
    changed = client.post(
        "/resetmypassword/form",
        data={
            "password": NEW_PASSWORD,
            "conf_password": NEW_PASSWORD,
            "csrf_token": _csrf_token(form_page.get_data(as_text=True)),
        },
    )

    assert to_form.status_code == 302
    assert to_form.location.endswith("/resetmypassword/form")
    assert form_page.status_code == 200
    assert changed.status_code == 302
    assert not _login(csrf_app.test_client(), mentor.user.username, TEST_PASSWORD)
    fresh = csrf_app.test_client()
    assert _login(fresh, mentor.user.username, NEW_PASSWORD)
    assert fresh.get("/mystudentsview/list/").status_code == 200


def test_user_info_edit_form_served(csrf_app, factory):
    mentor = factory.mentor()
    client = csrf_app.test_client()
    _login(client, mentor.user.username, TEST_PASSWORD)

    response = client.get("/userinfoeditview/form")

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("abc", False),
        ("aaaaaaaaaaaaaaa", False),
        ("short-pass1", False),
        ("purple-kettle-rain", True),
    ],
)
def test_password_policy(app, password, accepted):
    from flask_appbuilder.exceptions import PasswordComplexityValidationError

    from app.security import check_password_strength

    if accepted:
        check_password_strength(password)
    else:
        with pytest.raises(PasswordComplexityValidationError):
            check_password_strength(password)


def test_weak_password_change_rejected(csrf_app, factory):
    mentor = factory.mentor()
    client = csrf_app.test_client()
    assert _login(client, mentor.user.username, "password-for-tests")
    form_page = client.get("/resetmypassword/form").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form_page).group(1)

    response = client.post(
        "/resetmypassword/form",
        data={"password": "abc", "conf_password": "abc", "csrf_token": token},
    )

    assert response.status_code == 200
    assert "at least 12 characters" in response.get_data(as_text=True)
    assert _login(csrf_app.test_client(), mentor.user.username, "password-for-tests")
