"""Student records through the coordinator screens: edit rules, conflicts, the show page."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from app.extensions import db
from app.models import Student
from app.rules.nomination import normalize_name
from app.rules.timezone import program_today

TODAY = program_today(dt.datetime.now(dt.UTC))


@pytest.fixture
def coordinator(client, factory, login_as):
    user = factory.coordinator()
    login_as(client, user)
    return user


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def student_form(student, **overrides) -> dict[str, object]:
    form = {
        "first_name": student.first_name,
        "last_name": student.last_name,
        "preferred_name": "",
        "date_of_birth": student.date_of_birth.isoformat(),
        "grade": str(student.grade),
        "school": str(student.school_id),
        "email": "",
        "language": "en",
        "home_languages": "",
        "guardian_first_name": "Guardian",
        "guardian_last_name": "Learner",
        "guardian_email": "guardian@example.org",
        "guardian_phone": "",
        "needs": ["math"],
        "needs_other": "",
        "needs_description": "",
        "availability": ["tue_afternoon"],
        "coordinator_notes": "",
    }
    form.update(overrides)
    return form


def reloaded(student) -> Student:
    db.session.expire_all()
    return db.session.get(Student, student.id)


def test_edit_student_renames_and_renormalizes(client, factory, coordinator):
    student = factory.student()

    response = client.post(
        f"/studentview/edit/{student.id}",
        data=student_form(student, first_name="Zoë", last_name="Ruiz-Ortega"),
    )

    assert response.status_code == 302
    edited = reloaded(student)
    assert edited.name == "Zoë Ruiz-Ortega"
    assert edited.normalized_name == normalize_name("Zoe", "Ruiz Ortega")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"grade": "0"}, "The program serves grades 1 to 12."),
        ({"grade": "12"}, "The grade and the date of birth do not fit together."),
        (
            {"date_of_birth": (TODAY + dt.timedelta(days=1)).isoformat()},
            "The date of birth is in the future.",
        ),
        ({"guardian_email": "guardian@@example.org"}, "Enter a valid e-mail address"),
        ({"guardian_email": "ana..perez@example.org"}, "Enter a valid e-mail address"),
        ({"email": "josé@example.org"}, "before the @ of the e-mail address"),
        ({"guardian_first_name": "Ana\x00"}, "The name contains a line break"),
        ({"home_languages": "Spanish\x1b"}, "The text contains a hidden control character."),
        ({"needs": ["math", "juggling"]}, "juggling is not one of the options."),
    ],
)
def test_edit_student_rejects_bad_value(client, factory, coordinator, overrides, message):
    student = factory.student()

    response = client.post(
        f"/studentview/edit/{student.id}",
        data=student_form(student, coordinator_notes="Kept note", **overrides),
    )

    text = page_text(response)
    assert response.status_code == 200
    assert message in text
    assert "Kept note" in text
    assert reloaded(student).coordinator_notes is None


def test_edit_student_into_existing_identity_shows_plain_message(client, factory, coordinator):
    other = factory.student(first_name="Maya", last_name="Chen")
    student = factory.student(date_of_birth=other.date_of_birth)

    response = client.post(
        f"/studentview/edit/{student.id}",
        data=student_form(student, first_name="Maya", last_name="Chen", coordinator_notes="Kept"),
    )

    text = page_text(response)
    assert response.status_code == 200
    assert "A student with this name and date of birth already exists." in text
    assert "Kept" in text
    assert "UNIQUE" not in text
    assert reloaded(student).last_name != "Chen"


def test_show_lists_matches_and_make_match_button(client, factory, coordinator):
    student = factory.student()
    free = page_text(client.get(f"/studentview/show/{student.id}"))
    match = factory.match(student=student)

    matched = page_text(client.get(f"/studentview/show/{student.id}"))

    assert f"/studentview/match/{student.id}" in free
    assert f"/studentview/match/{student.id}" not in matched
    assert f"/matchview/show/{match.id}" in matched


def test_list_search_by_last_name(client, factory, coordinator):
    kept = factory.student(last_name="Abernathy")
    filtered_out = factory.student(last_name="Zimmer")

    text = page_text(client.get("/studentview/list/?_flt_0_last_name=aber"))

    assert f"/studentview/show/{kept.id}" in text
    assert f"/studentview/show/{filtered_out.id}" not in text


def test_add_route_absent(client, coordinator):
    assert client.get("/studentview/add").status_code == 404


def test_student_show_availability_in_week_order(client, factory, coordinator):
    student = factory.student(availability=["fri_afternoon", "mon_evening", "mon_afternoon"])

    text = page_text(client.get(f"/studentview/show/{student.id}"))

    assert (
        "Monday after school (3-5 pm), Monday evening (7-9 pm), Friday after school (3-5 pm)"
        in text
    )
