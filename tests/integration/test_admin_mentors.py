"""Mentor records through the coordinator screens: validation, readiness, giving a login."""

from __future__ import annotations

import datetime as dt
import html
import logging
import re

import pytest
from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Mentor
from app.rules.choices import CheckStatus, MatchStatus, MentorStatus
from app.rules.timezone import program_today
from config import MENTOR_ROLE

TODAY = program_today(dt.datetime.now(dt.UTC))
PAST = (TODAY - dt.timedelta(days=30)).isoformat()
FUTURE = (TODAY + dt.timedelta(days=1)).isoformat()


@pytest.fixture
def coordinator(client, factory, login_as):
    user = factory.coordinator()
    login_as(client, user)
    return user


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def mentor_form(**overrides) -> dict[str, object]:
    form = {
        "first_name": "Grace",
        "last_name": "Hopper",
        "email": "grace.hopper@Example.ORG",
        "phone": "617 555 0199",
        "status": "ready",
        "languages": "English, Spanish",
        "subjects": ["math", "science"],
        "grade_band_min": "6",
        "grade_band_max": "12",
        "availability": ["tue_afternoon"],
        "capacity": "2",
        "application_date": PAST,
        "interview_date": PAST,
        "references_checked": "y",
        "cori_status": "cleared",
        "cori_cleared_on": PAST,
        "sori_status": "cleared",
        "sori_cleared_on": PAST,
        "training_completed_on": PAST,
        "training_hours": "3",
        "notes": "",
    }
    form.update(overrides)
    return form


def list_row(text: str, show_url: str) -> str:
    """Return the table row of the list page that links to ``show_url``."""
    for row in re.findall(r"<tr.*?</tr>", text, re.S):
        if show_url in row:
            return row
    raise AssertionError(f"no row links to {show_url}")


def mentors_named(last_name: str) -> list[Mentor]:
    db.session.expire_all()
    return list(db.session.execute(select(Mentor).where(Mentor.last_name == last_name)).scalars())


def test_add_mentor_saves_clean_values(client, coordinator):
    response = client.post("/mentorview/add", data=mentor_form())

    assert response.status_code == 302
    (mentor,) = mentors_named("Hopper")
    assert mentor.email == "grace.hopper@example.org"
    assert mentor.phone == "(617) 555-0199"
    assert mentor.subjects == ["math", "science"]
    assert mentor.cori_status is CheckStatus.cleared
    assert mentor.capacity == 2


def test_add_mentor_in_screening_without_dates(client, coordinator):
    form = mentor_form(
        status="screening",
        cori_status="submitted",
        cori_cleared_on="",
        sori_status="not_started",
        sori_cleared_on="",
        training_completed_on="",
        training_hours="",
        phone="",
    )
    del form["references_checked"]

    response = client.post("/mentorview/add", data=form)

    assert response.status_code == 302
    (mentor,) = mentors_named("Hopper")
    assert mentor.references_checked is False
    assert mentor.phone is None
    assert mentor.cori_status is CheckStatus.submitted


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"capacity": "0"}, "Enter a capacity from 1 to 10 open matches."),
        ({"capacity": "11"}, "Enter a capacity from 1 to 10 open matches."),
        ({"phone": "555-0199"}, "Enter a US phone number with its area code"),
        ({"email": "grace@"}, "Enter a valid e-mail address"),
        ({"first_name": "  "}, "Enter a name."),
        (
            {"grade_band_min": "9", "grade_band_max": "3"},
            "The highest grade is below the lowest grade.",
        ),
        ({"grade_band_max": "13"}, "Enter a grade from 1 to 12."),
        ({"application_date": FUTURE}, "The application date is in the future."),
        ({"training_completed_on": FUTURE}, "The training completion date is in the future."),
        ({"cori_cleared_on": ""}, "Enter the date the check cleared"),
        ({"sori_cleared_on": FUTURE}, "The SORI date cleared is in the future."),
        ({"training_hours": "-1"}, "Enter the training hours as a number from 0 to 9999.9."),
        ({"training_hours": "10000"}, "Enter the training hours as a number from 0 to 9999.9."),
        ({"subjects": ["math", "chess"]}, "chess is not one of the options."),
        ({"status": "retired"}, "Not a valid choice"),
    ],
)
def test_add_mentor_rejects_bad_value(client, coordinator, overrides, message):
    response = client.post("/mentorview/add", data=mentor_form(**overrides))

    text = page_text(response)
    assert response.status_code == 200
    assert message in text
    assert 'value="Hopper"' in text
    assert mentors_named("Hopper") == []


def test_add_mentor_duplicate_email_plain_message(client, factory, coordinator):
    factory.mentor(email="grace.hopper@example.org")

    response = client.post("/mentorview/add", data=mentor_form())

    assert response.status_code == 200
    assert "Already exists" in page_text(response) or "already exists" in page_text(response)
    assert mentors_named("Hopper") == []


def test_edit_mentor_rejects_future_interview(client, factory, coordinator):
    mentor = factory.mentor(last_name="Hopper")

    response = client.post(
        f"/mentorview/edit/{mentor.id}",
        data=mentor_form(email=mentor.email, interview_date=FUTURE),
    )

    assert "The interview date is in the future." in page_text(response)
    (unchanged,) = mentors_named("Hopper")
    assert unchanged.interview_date is None


def test_readiness_column_shows_reasons(client, factory, coordinator):
    ready = factory.mentor(last_name="Ready")
    pending = factory.mentor(ready=False, last_name="Pending")

    text = page_text(client.get("/mentorview/list/"))

    ready_row = list_row(text, f"/mentorview/show/{ready.id}")
    pending_row = list_row(text, f"/mentorview/show/{pending.id}")
    assert re.search(r">\s*Ready\s*<", ready_row)
    assert "not cleared" not in ready_row
    assert "The CORI check is not cleared." in pending_row
    assert "Training is not completed." in pending_row


def test_list_filters_by_status(client, factory, coordinator):
    kept = factory.mentor(status=MentorStatus.inactive)
    filtered_out = factory.mentor()

    text = page_text(client.get("/mentorview/list/?_flt_0_status=inactive"))

    assert f"/mentorview/show/{kept.id}" in text
    assert f"/mentorview/show/{filtered_out.id}" not in text


def test_give_login_creates_mentor_user(app, client, factory, coordinator, caplog):
    mentor = factory.mentor(with_login=False, email="ada@example.org")
    caplog.set_level(logging.DEBUG)

    response = client.post(f"/mentorview/give-login/{mentor.id}")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    password = re.search(r'<code id="temporary-password">([^<]+)</code>', page_text(response))
    assert password, "temporary password not kept"
    security = current_app.appbuilder.sm
    user = security.find_user(username="ada@example.org")
    assert [role.name for role in user.roles] == [MENTOR_ROLE]
    db.session.expire_all()
    assert db.session.get(Mentor, mentor.id).user_id == user.id
    assert security.auth_user_db("ada@example.org", password.group(1)) is not None
    assert password.group(1) not in caplog.text


def test_give_login_twice_rejected(client, factory, coordinator):
    mentor = factory.mentor(with_login=True)

    response = client.post(f"/mentorview/give-login/{mentor.id}", follow_redirects=True)

    assert "This mentor already has a login." in page_text(response)


def test_give_login_existing_user_email_rejected(client, factory, coordinator):
    factory.user(MENTOR_ROLE, username="taken@example.org", email="taken@example.org")
    mentor = factory.mentor(with_login=False, email="taken@example.org")

    response = client.post(f"/mentorview/give-login/{mentor.id}", follow_redirects=True)

    assert "a user with this e-mail address already exists" in page_text(response)
    db.session.expire_all()
    assert db.session.get(Mentor, mentor.id).user_id is None


def test_give_login_rejects_get(client, factory, coordinator):
    mentor = factory.mentor(with_login=False)

    assert client.get(f"/mentorview/give-login/{mentor.id}").status_code == 405


# Capacity and status against the mentor's matches and screening

LONG_AGO = (TODAY - dt.timedelta(days=4 * 365)).isoformat()


def mentor_with_matches(factory, open_matches: int, status=MatchStatus.active) -> Mentor:
    mentor = factory.mentor(last_name="Hopper", capacity=2)
    for _ in range(open_matches):
        factory.match(mentor=mentor, status=status)
    return mentor


def edit_mentor(client, mentor, **overrides):
    return client.post(
        f"/mentorview/edit/{mentor.id}", data=mentor_form(**{"email": mentor.email, **overrides})
    )


@pytest.mark.parametrize(
    ("open_matches", "overrides"),
    [
        (2, {"capacity": "2"}),
        (1, {"capacity": "1"}),
        (0, {"status": "inactive"}),
        (1, {"status": "matched"}),
        (0, {"status": "ready"}),
    ],
)
def test_edit_mentor_fits_matches_allowed(client, factory, coordinator, open_matches, overrides):
    mentor = mentor_with_matches(factory, open_matches)

    response = edit_mentor(client, mentor, **overrides)

    assert response.status_code == 302, page_text(response)
    db.session.expire_all()
    assert db.session.get(Mentor, mentor.id).status.name == overrides.get("status", "ready")


@pytest.mark.parametrize(
    ("open_matches", "overrides", "message"),
    [
        (
            2,
            {"capacity": "1"},
            "This mentor has 2 open matches; close or move some before lowering the "
            "capacity below 2.",
        ),
        (1, {"status": "inactive"}, "Close them before setting the status to Inactive."),
        (0, {"status": "matched"}, "this mentor has no active match"),
        (0, {"cori_cleared_on": LONG_AGO}, "The CORI clearance has expired."),
        (0, {"training_completed_on": ""}, "Keep the status Screening"),
    ],
)
def test_edit_mentor_contradiction_rejected(
    client, factory, coordinator, open_matches, overrides, message
):
    mentor = mentor_with_matches(factory, open_matches)

    response = edit_mentor(client, mentor, **overrides)

    assert response.status_code == 200
    assert message in page_text(response)
    db.session.expire_all()
    unchanged = db.session.get(Mentor, mentor.id)
    assert unchanged.capacity == 2
    assert unchanged.status is MentorStatus.ready


def test_edit_mentor_proposed_match_not_matched(client, factory, coordinator):
    mentor = mentor_with_matches(factory, 1, status=MatchStatus.proposed)

    response = edit_mentor(client, mentor, status="matched")

    assert "this mentor has no active match" in page_text(response)


def test_mentor_show_formats_codes_and_flags(client, factory, coordinator):
    mentor = factory.mentor(availability=["mon_afternoon"], references_checked=True, phone=None)

    text = page_text(client.get(f"/mentorview/show/{mentor.id}"))

    assert "Monday after school (3-5 pm)" in text
    assert "mon_afternoon" not in text
    assert "Math" in text
    assert "Yes" in text
    assert "None" not in text
    assert "True" not in text


def test_edit_mentor_duplicate_email_one_message(client, factory, coordinator):
    factory.mentor(email="grace.hopper@example.org")
    mentor = factory.mentor(last_name="Hopper")

    response = edit_mentor(client, mentor, email="grace.hopper@example.org")

    assert page_text(response).count("Already exists") == 1


# A Ready status that went stale when a clearance expired (cleared more than 3 years ago)


def stale_ready_mentor(factory) -> Mentor:
    return factory.mentor(last_name="Hopper", cori_cleared_on=TODAY - dt.timedelta(days=4 * 365))


def test_edit_stale_ready_mentor_phone_allowed(client, factory, coordinator):
    mentor = stale_ready_mentor(factory)

    response = edit_mentor(
        client, mentor, cori_cleared_on=LONG_AGO, phone="617 555 0100", status="ready"
    )

    assert response.status_code == 302, page_text(response)
    db.session.expire_all()
    saved = db.session.get(Mentor, mentor.id)
    assert saved.phone == "(617) 555-0100"
    assert saved.status is MentorStatus.ready


def test_edit_stale_mentor_to_ready_rejected(client, factory, coordinator):
    mentor = stale_ready_mentor(factory)
    mentor.status = MentorStatus.screening
    db.session.commit()

    response = edit_mentor(client, mentor, cori_cleared_on=LONG_AGO, status="ready")

    assert response.status_code == 200
    assert "The status cannot be Ready" in page_text(response)
    assert "The CORI clearance has expired." in page_text(response)
    db.session.expire_all()
    assert db.session.get(Mentor, mentor.id).status is MentorStatus.screening


def test_mentor_show_availability_in_week_order(client, factory, coordinator):
    mentor = factory.mentor(availability=["fri_afternoon", "mon_evening", "mon_afternoon"])

    text = page_text(client.get(f"/mentorview/show/{mentor.id}"))

    assert (
        "Monday after school (3-5 pm), Monday evening (7-9 pm), Friday after school (3-5 pm)"
        in text
    )
