"""REST API login and access: JWT only, coordinators on program data, mentors on their own."""

from __future__ import annotations

import pytest

from tests.factories import TEST_PASSWORD

LOGIN_URL = "/api/v1/security/login"

COORDINATOR_RESOURCES = ["nominations", "students", "mentors", "matches", "sessions", "schools"]
MENTOR_RESOURCES = ["my_students", "my_sessions"]

# Every coordinator endpoint, with an id that need not exist: access is checked first.
COORDINATOR_ENDPOINTS = [
    *[("GET", f"/api/v1/{name}/") for name in COORDINATOR_RESOURCES],
    *[("GET", f"/api/v1/{name}/1") for name in COORDINATOR_RESOURCES],
    *[("GET", f"/api/v1/{name}/_info") for name in COORDINATOR_RESOURCES],
    *[("PUT", f"/api/v1/{name}/1") for name in COORDINATOR_RESOURCES],
    ("POST", "/api/v1/nominations/"),
    ("POST", "/api/v1/nominations/1/status"),
    ("POST", "/api/v1/mentors/"),
    ("DELETE", "/api/v1/mentors/1"),
    ("POST", "/api/v1/matches/"),
    ("POST", "/api/v1/matches/1/activate"),
    ("POST", "/api/v1/matches/1/close"),
    ("POST", "/api/v1/sessions/"),
    ("DELETE", "/api/v1/sessions/1"),
    ("POST", "/api/v1/schools/"),
]
MENTOR_ENDPOINTS = [
    ("GET", "/api/v1/my_students/"),
    ("GET", "/api/v1/my_students/1"),
    ("GET", "/api/v1/my_sessions/"),
    ("GET", "/api/v1/my_sessions/1"),
    ("POST", "/api/v1/my_sessions/"),
    ("PUT", "/api/v1/my_sessions/1"),
    ("DELETE", "/api/v1/my_sessions/1"),
]


def bearer(client, user) -> dict[str, str]:
    """Log ``user`` in through the API and return the Authorization header."""
    response = client.post(
        LOGIN_URL,
        json={"username": user.username, "password": TEST_PASSWORD, "provider": "db"},
    )
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def call(client, method: str, url: str, headers=None):
    return client.open(url, method=method, headers=headers or {}, json={})


def test_login_returns_token(client, factory):
    user = factory.coordinator()
    response = client.post(
        LOGIN_URL, json={"username": user.username, "password": TEST_PASSWORD, "provider": "db"}
    )
    assert response.status_code == 200
    assert response.json["access_token"]


def test_login_wrong_password(client, factory):
    user = factory.coordinator()
    response = client.post(
        LOGIN_URL, json={"username": user.username, "password": "wrong", "provider": "db"}
    )
    assert response.status_code == 401


@pytest.mark.parametrize(("method", "url"), COORDINATOR_ENDPOINTS + MENTOR_ENDPOINTS)
def test_anonymous_gets_401(client, method, url):
    response = call(client, method, url)
    assert response.status_code == 401


@pytest.mark.parametrize(("method", "url"), COORDINATOR_ENDPOINTS + MENTOR_ENDPOINTS)
def test_bad_token_gets_401(client, method, url):
    response = call(client, method, url, {"Authorization": "Bearer not-a-token"})
    assert response.status_code in (401, 422)
    assert response.status_code != 200


@pytest.mark.parametrize(("method", "url"), COORDINATOR_ENDPOINTS)
def test_mentor_denied_coordinator_endpoint(client, factory, method, url):
    headers = bearer(client, factory.mentor().user)
    response = call(client, method, url, headers)
    assert response.status_code == 403


@pytest.mark.parametrize("resource", COORDINATOR_RESOURCES)
def test_coordinator_lists_resource(client, factory, resource):
    headers = bearer(client, factory.coordinator())
    response = client.get(f"/api/v1/{resource}/", headers=headers)
    assert response.status_code == 200
    assert "result" in response.json


@pytest.mark.parametrize(("method", "url"), MENTOR_ENDPOINTS)
def test_coordinator_denied_mentor_endpoint(client, factory, method, url):
    headers = bearer(client, factory.coordinator())
    response = call(client, method, url, headers)
    assert response.status_code == 403


@pytest.mark.parametrize("resource", MENTOR_RESOURCES)
def test_mentor_lists_own_resource(client, factory, resource):
    headers = bearer(client, factory.mentor().user)
    response = client.get(f"/api/v1/{resource}/", headers=headers)
    assert response.status_code == 200
    assert response.json["result"] == []


def test_browser_session_not_accepted(client, factory, login_as):
    """A logged-in browser cookie must not authorize API writes, which skip CSRF."""
    login_as(client, factory.coordinator())
    response = client.post("/api/v1/schools/", json={"dese_code": "99999999", "name": "New"})
    assert response.status_code == 401


def test_openapi_lists_resources(client, factory):
    headers = bearer(client, factory.admin())
    response = client.get("/api/v1/_openapi", headers=headers)
    assert response.status_code == 200
    paths = response.json["paths"]
    for resource in COORDINATOR_RESOURCES + MENTOR_RESOURCES:
        assert f"/api/v1/{resource}/" in paths, resource
    assert "/api/v1/matches/{pk}/close" in paths
    assert "/api/v1/nominations/{pk}/status" in paths


def test_openapi_exchanges_codes(client, factory):
    headers = bearer(client, factory.admin())
    schemas = client.get("/api/v1/_openapi", headers=headers).json["components"]["schemas"]
    outcome = schemas["SessionApi.post"]["properties"]["outcome"]
    assert outcome["enum"] == [
        "held",
        "student_no_show",
        "cancelled_by_student",
        "cancelled_by_mentor",
    ]


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_openapi_refs_resolve(client, factory):
    headers = bearer(client, factory.admin())
    spec = client.get("/api/v1/_openapi", headers=headers).json
    for ref in set(_refs(spec)):
        section, name = ref.removeprefix("#/components/").split("/", 1)
        assert name in spec["components"][section], ref


@pytest.mark.parametrize("resource", COORDINATOR_RESOURCES)
def test_info_lists_fields(client, factory, resource):
    headers = bearer(client, factory.coordinator())
    query = "(keys:!(add_columns,edit_columns,filters,permissions))"
    response = client.get(f"/api/v1/{resource}/_info", query_string={"q": query}, headers=headers)
    assert response.status_code == 200, response.json
    assert "can_get" in response.json["permissions"]
    assert response.json["edit_columns"]
