"""The app starts on a migrated database and serves its public and login pages."""


def test_login_page_served(client):
    response = client.get("/login/")
    assert response.status_code == 200


def test_factory_builds_match(factory):
    match = factory.match()
    assert match.id is not None
    assert match.student.name.startswith("Student")
