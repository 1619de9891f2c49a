"""Schools through the coordinator screens: add with a DESE code, rename, retire, delete."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import delete, select

from app.extensions import db
from app.models import Nomination, School


@pytest.fixture
def coordinator(client, factory, login_as):
    user = factory.coordinator()
    login_as(client, user)
    return user


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def school_with_code(code: str) -> School | None:
    db.session.expire_all()
    return db.session.execute(select(School).where(School.dese_code == code)).scalar_one_or_none()


@pytest.fixture
def new_school(app):
    """A school added for one test and removed afterwards (schools survive the table reset)."""
    school = School(dese_code="99990001", name="Test Academy", retired=False)
    db.session.add(school)
    db.session.commit()
    school_id = school.id
    yield school
    db.session.rollback()
    db.session.execute(delete(Nomination).where(Nomination.school_id == school_id))
    db.session.execute(delete(School).where(School.id == school_id))
    db.session.commit()


@pytest.fixture
def cleanup_codes(app):
    codes: list[str] = []
    yield codes
    for code in codes:
        school = school_with_code(code)
        if school is not None:
            db.session.delete(school)
    db.session.commit()


def test_add_school_with_dese_code(client, coordinator, cleanup_codes):
    cleanup_codes.append("99990002")

    response = client.post(
        "/schoolview/add", data={"dese_code": "99990002", "name": "  New   Pilot School "}
    )

    assert response.status_code == 302
    assert school_with_code("99990002").name == "New Pilot School"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9999001", "Enter the 8-digit DESE school code"),
        ("999900012", "Enter the 8-digit DESE school code"),
        ("9999000A", "Enter the 8-digit DESE school code"),
        ("", "Enter the DESE code."),
    ],
)
def test_add_school_bad_code_rejected(client, coordinator, code, message):
    response = client.post("/schoolview/add", data={"dese_code": code, "name": "Kept Name"})

    text = page_text(response)
    assert response.status_code == 200
    assert message in text
    assert "Kept Name" in text


def test_add_school_duplicate_code_rejected(client, coordinator, new_school):
    response = client.post(
        "/schoolview/add", data={"dese_code": new_school.dese_code, "name": "Copy"}
    )

    assert response.status_code == 200
    assert "Already exists" in page_text(response) or "already exists" in page_text(response)


def test_rename_and_retire_school(client, coordinator, new_school):
    response = client.post(
        f"/schoolview/edit/{new_school.id}", data={"name": "Renamed Academy", "retired": "y"}
    )

    assert response.status_code == 302
    school = school_with_code(new_school.dese_code)
    assert school.name == "Renamed Academy"
    assert school.retired is True


def test_unticking_retired_allowed(client, coordinator, new_school):
    new_school.retired = True
    db.session.commit()

    response = client.post(f"/schoolview/edit/{new_school.id}", data={"name": "Test Academy"})

    assert response.status_code == 302
    assert school_with_code(new_school.dese_code).retired is False


def test_rename_rejects_line_break(client, coordinator, new_school):
    response = client.post(f"/schoolview/edit/{new_school.id}", data={"name": "Bad\nName"})

    assert "The name contains a line break or a hidden character." in page_text(response)
    assert school_with_code(new_school.dese_code).name == "Test Academy"


def test_delete_school_in_use_rejected(client, factory, coordinator, new_school):
    factory.nomination(school_id=new_school.id)

    response = client.post(f"/schoolview/delete/{new_school.id}", follow_redirects=True)

    assert "cannot be deleted. Retire it instead." in page_text(response)
    assert school_with_code(new_school.dese_code) is not None


def test_delete_unused_school(client, coordinator, new_school):
    response = client.post(f"/schoolview/delete/{new_school.id}")

    assert response.status_code == 302
    assert school_with_code(new_school.dese_code) is None


def test_search_by_name(client, coordinator, new_school):
    text = page_text(client.get("/schoolview/list/?_flt_2_name=test acad"))

    assert f"/schoolview/show/{new_school.id}" in text
