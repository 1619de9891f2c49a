"""List and item arguments: nonsense in ``q``, ids or bodies gives 400 or 404, never 500."""

from __future__ import annotations

import pytest

from tests.integration.test_api_auth import COORDINATOR_RESOURCES, bearer

# (q, expected message fragment) for the sessions list, each wrong in one way.
BAD_SESSION_QUERIES = [
    ("(((", "Not a valid rison"),
    ("!", "Not a valid rison"),
    ("((a:1):2)", "Not a valid rison"),
    ("(" * 5000, "longer than 4000"),
    ("5", "Not a valid rison schema"),
    ("(page_size:101)", "page_size must be from 1 to 100"),
    ("(page_size:100000)", "page_size must be from 1 to 100"),
    ("(page_size:0)", "page_size must be from 1 to 100"),
    ("(page_size:-1)", "page_size must be from 1 to 100"),
    ("(page_size:50.0)", "page_size must be from 1 to 100"),
    ("(page:-1)", "page must be a whole number, 0 or more"),
    ("(page:1.0)", "page must be a whole number, 0 or more"),
    ("(page:100000,page_size:25)", "page is too deep"),
    ("(page:x)", "Not a valid rison schema"),
    ("(order_column:bogus)", "Invalid order by column"),
    ("(order_column:id,order_direction:up)", "Not a valid rison schema"),
    ("(columns:!(bogus))", "Unknown column in columns"),
    ("(columns:!(notes))", "Unknown column in columns"),
    ("(select_columns:!(bogus))", "Unknown column in select_columns"),
    ("(filters:!((col:bogus,opr:eq,value:1)))", "Filtering on bogus is not supported"),
    ("(filters:!((col:proctor_present,opr:eq,value:!t)))", "Filtering on proctor_present"),
    ("(filters:!((col:outcome,opr:bogus,value:held)))", "bogus is not allowed on outcome"),
    ("(filters:!((col:outcome,opr:gt,value:held)))", "gt is not allowed on outcome"),
    ("(filters:!((col:outcome,opr:eq,value:nonsense)))", "use one of held"),
    ("(filters:!((col:outcome,opr:eq,value:1)))", "use one of held"),
    ("(filters:!((col:session_date,opr:gt,value:notadate)))", "write dates as YYYY-MM-DD"),
    ("(filters:!((col:session_date,opr:gt,value:'2024-13-45')))", "write dates as YYYY-MM-DD"),
    ("(filters:!((col:duration_minutes,opr:gt,value:abc)))", "use a whole number"),
    ("(filters:!((col:duration_minutes,opr:gt,value:99999999999)))", "use a whole number"),
    ("(filters:!((col:duration_minutes,opr:ct,value:'6')))", "ct is not allowed"),
    ("(filters:!((col:match,opr:rel_o_m,value:abc)))", "needs a record id"),
    ("(filters:!((col:match,opr:rel_o_m,value:-4)))", "needs a record id"),
    ("(filters:!((col:duration_minutes,opr:in,value:60)))", "needs a list"),
    ("(filters:!((col:duration_minutes,opr:in,value:!())))", "needs a list"),
]
GOOD_SESSION_QUERIES = [
    "(page_size:100)",
    "(page_size:1,page:3)",
    "(order_column:session_date,order_direction:asc)",
    "(columns:!(id,session_date))",
    "(filters:!((col:outcome,opr:eq,value:held)))",
    "(filters:!((col:duration_minutes,opr:in,value:!(30,60))))",
    "(filters:!((col:session_date,opr:gt,value:'2020-01-01')))",
    "(filters:!((col:duration_minutes,opr:gt,value:30)))",
    "(filters:!((col:match,opr:rel_o_m,value:1)))",
]
GENERIC_BAD_QUERIES = [
    "(((",
    "(page_size:1000)",
    "(page:-2)",
    "(order_column:bogus)",
    "(columns:!(bogus))",
    "(filters:!((col:bogus,opr:eq,value:1)))",
]


@pytest.fixture
def coordinator_headers(client, factory):
    return bearer(client, factory.coordinator())


@pytest.mark.parametrize(("query", "message"), BAD_SESSION_QUERIES)
def test_bad_list_query_400(client, factory, coordinator_headers, query, message):
    factory.session()
    response = client.get(
        "/api/v1/sessions/", query_string={"q": query}, headers=coordinator_headers
    )
    assert response.status_code == 400, response.json
    assert message in str(response.json["message"])


@pytest.mark.parametrize("query", GOOD_SESSION_QUERIES)
def test_good_list_query_200(client, factory, coordinator_headers, query):
    factory.session()
    response = client.get(
        "/api/v1/sessions/", query_string={"q": query}, headers=coordinator_headers
    )
    assert response.status_code == 200, response.json


@pytest.mark.parametrize("resource", COORDINATOR_RESOURCES)
@pytest.mark.parametrize("query", GENERIC_BAD_QUERIES)
def test_bad_query_every_list(client, coordinator_headers, resource, query):
    response = client.get(
        f"/api/v1/{resource}/", query_string={"q": query}, headers=coordinator_headers
    )
    assert response.status_code == 400, response.json


@pytest.mark.parametrize("query", ["(((", "(page_size:1000)", "(columns:!(guardian_email))"])
def test_bad_query_mentor_list(client, factory, query):
    headers = bearer(client, factory.mentor().user)
    for resource in ("my_students", "my_sessions"):
        response = client.get(f"/api/v1/{resource}/", query_string={"q": query}, headers=headers)
        assert response.status_code == 400, (resource, response.json)


def test_default_page_size_25(client, factory, coordinator_headers):
    match = factory.match()
    for _ in range(30):
        factory.session(match=match)
    response = client.get("/api/v1/sessions/", headers=coordinator_headers)
    assert response.json["count"] == 30
    assert len(response.json["result"]) == 25


def test_item_query_unknown_column(client, factory, coordinator_headers):
    session = factory.session()
    response = client.get(
        f"/api/v1/sessions/{session.id}",
        query_string={"q": "(columns:!(bogus))"},
        headers=coordinator_headers,
    )
    assert response.status_code == 400


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
@pytest.mark.parametrize("key", ["0", "99999999999", "2147483648"])
def test_impossible_id_404(client, coordinator_headers, method, key):
    response = client.open(
        f"/api/v1/sessions/{key}", method=method, headers=coordinator_headers, json={}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
@pytest.mark.parametrize("key", ["abc", "-1", "1.5", "1e3"])
def test_non_numeric_id_404(client, coordinator_headers, method, key):
    response = client.open(
        f"/api/v1/sessions/{key}", method=method, headers=coordinator_headers, json={}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("key", ["abc", "-1", "1.5"])
def test_non_numeric_id_get_not_routed(client, coordinator_headers, key):
    """GET routes take only whole numbers, so Flask returns 405 (PUT and DELETE match)."""
    response = client.get(f"/api/v1/sessions/{key}", headers=coordinator_headers)
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"data": "duration=60"}, "Send the request body as JSON"),
        ({"data": "{not json", "content_type": "application/json"}, "as one JSON object"),
        ({"json": [1, 2]}, "as one JSON object"),
        ({"json": "text"}, "as one JSON object"),
    ],
)
def test_body_not_object_400(client, coordinator_headers, options, message):
    response = client.post("/api/v1/sessions/", headers=coordinator_headers, **options)
    assert response.status_code == 400
    assert message in response.json["message"]


def test_unknown_body_field_422(client, factory, coordinator_headers):
    session = factory.session()
    response = client.put(
        f"/api/v1/sessions/{session.id}", headers=coordinator_headers, json={"bogus": 1}
    )
    assert response.status_code == 422
    assert response.json["message"] == {"bogus": ["Unknown field."]}
