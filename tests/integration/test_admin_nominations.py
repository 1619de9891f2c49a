"""Nomination review through the coordinator screens: buttons, decline form, history, edit."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Nomination, NominationStatusChange, Student
from app.rules.choices import NominationStatus


@pytest.fixture
def coordinator(client, factory, login_as):
    user = factory.coordinator()
    login_as(client, user)
    return user


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def record_count(listing: str) -> int:
    found = re.search(r"Record Count:</strong>\s*(\d+)", listing)
    assert found, "no record count on the page"
    return int(found.group(1))


def press(client, nomination, target: str):
    return client.post(f"/nominationview/status/{nomination.id}/{target}", follow_redirects=True)


def reloaded(nomination) -> Nomination:
    db.session.expire_all()
    return db.session.get(Nomination, nomination.id)


def test_review_in_review_then_accept_creates_student(client, factory, coordinator):
    nomination = factory.nomination()

    response = press(client, nomination, "in_review")
    assert response.status_code == 200
    assert "is now in review" in page_text(response)
    response = press(client, nomination, "accepted")
    assert "is now accepted" in page_text(response)

    nomination = reloaded(nomination)
    assert nomination.status is NominationStatus.accepted
    student = db.session.get(Student, nomination.student_id)
    assert student.last_name == nomination.student_last_name
    assert student.date_of_birth == nomination.student_date_of_birth
    show = client.get(f"/nominationview/show/{nomination.id}")
    assert f"/studentview/show/{student.id}" in page_text(show)


def test_accept_second_nomination_links_same_student(client, factory, coordinator):
    first = factory.nomination(student_first_name="José", student_last_name="Díaz-O'Neil")
    second = factory.nomination(
        student_first_name="jose", student_last_name="DIAZ O NEIL", duplicate_of_id=first.id
    )
    for nomination in (first, second):
        press(client, nomination, "in_review")
        press(client, nomination, "accepted")

    assert reloaded(first).student_id is not None
    assert reloaded(second).student_id == reloaded(first).student_id
    assert db.session.execute(select(Student)).scalars().all().__len__() == 1


def test_show_links_earlier_nomination_when_duplicate(client, factory, coordinator):
    first = factory.nomination()
    second = factory.nomination(duplicate_of_id=first.id)

    text = page_text(client.get(f"/nominationview/show/{second.id}"))

    assert "Possible duplicate" in text
    assert f"/nominationview/show/{first.id}" in text
    assert first.reference in text


@pytest.mark.parametrize(
    ("status", "target", "message"),
    [
        ("new", "accepted", "A nomination that is new cannot be marked accepted."),
        ("accepted", "withdrawn", "A nomination that is accepted cannot be marked withdrawn."),
        ("declined", "in_review", "A nomination that is declined cannot be marked in review."),
    ],
)
def test_forbidden_transition_flashes_message(
    client, factory, coordinator, status, target, message
):
    nomination = factory.nomination(status=NominationStatus[status])

    response = press(client, nomination, target)

    assert message in page_text(response)
    assert reloaded(nomination).status is NominationStatus[status]


@pytest.mark.parametrize(("status", "target"), [("new", "in_review"), ("waitlisted", "accepted")])
def test_allowed_transition_changes_status(client, factory, coordinator, status, target):
    nomination = factory.nomination(status=NominationStatus[status])

    press(client, nomination, target)

    assert reloaded(nomination).status is NominationStatus[target]


def test_status_unknown_target_not_found(client, factory, coordinator):
    nomination = factory.nomination()

    assert client.post(f"/nominationview/status/{nomination.id}/matched").status_code == 404
    assert client.post(f"/nominationview/status/{nomination.id}/bogus").status_code == 404


def test_status_change_rejects_get(client, factory, coordinator):
    nomination = factory.nomination()

    assert client.get(f"/nominationview/status/{nomination.id}/in_review").status_code == 405


@pytest.mark.parametrize("reason", ["", "   \r\n "])
def test_decline_without_reason_rerenders_form(client, factory, coordinator, reason):
    nomination = factory.nomination()

    response = client.post(
        f"/nominationview/decline/{nomination.id}", data={"decline_reason": reason}
    )

    assert response.status_code == 200
    assert "Enter the reason for declining." in page_text(response)
    assert reloaded(nomination).status is NominationStatus.new


def test_decline_keeps_input_on_error(client, factory, coordinator):
    nomination = factory.nomination()
    reason = "Out of area\x00"

    response = client.post(
        f"/nominationview/decline/{nomination.id}", data={"decline_reason": reason}
    )

    assert "hidden control character" in page_text(response)
    assert "Out of area" in page_text(response)


def test_decline_with_reason_records_it(client, factory, coordinator):
    nomination = factory.nomination()

    response = client.post(
        f"/nominationview/decline/{nomination.id}",
        data={"decline_reason": "  Student moved out of Boston. "},
        follow_redirects=True,
    )

    assert f"Nomination {nomination.reference} declined." in page_text(response)
    nomination = reloaded(nomination)
    assert nomination.status is NominationStatus.declined
    assert nomination.decline_reason == "Student moved out of Boston."
    assert nomination.status_changes[-1].note == "Student moved out of Boston."


def test_decline_accepted_nomination_rejected(client, factory, coordinator):
    nomination = factory.nomination(status=NominationStatus.accepted)

    response = client.post(
        f"/nominationview/decline/{nomination.id}", data={"decline_reason": "Too late"}
    )

    assert "A nomination that is accepted cannot be marked declined." in page_text(response)
    assert reloaded(nomination).status is NominationStatus.accepted


def test_history_records_user_and_time(client, factory, coordinator):
    nomination = factory.nomination()
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)

    press(client, nomination, "in_review")
    press(client, nomination, "waitlisted")

    changes = (
        db.session.execute(
            select(NominationStatusChange)
            .where(NominationStatusChange.nomination_id == nomination.id)
            .order_by(NominationStatusChange.id)
        )
        .scalars()
        .all()
    )
    assert [change.to_status for change in changes] == [
        NominationStatus.in_review,
        NominationStatus.waitlisted,
    ]
    assert [change.changed_by_id for change in changes] == [coordinator.id, coordinator.id]
    changed_at = changes[0].changed_at
    if changed_at.tzinfo is None:
        changed_at = changed_at.replace(tzinfo=dt.UTC)
    assert changed_at >= before
    show = page_text(client.get(f"/nominationview/show/{nomination.id}"))
    assert coordinator.username in show
    listing = page_text(
        client.get(f"/nominationhistoryview/list/?_flt_0_nomination={nomination.reference}")
    )
    assert record_count(listing) == 2


def test_history_filter_by_reference_excludes_others(client, factory, coordinator):
    kept = factory.nomination()
    filtered_out = factory.nomination()
    press(client, kept, "in_review")
    press(client, filtered_out, "in_review")

    listing = page_text(
        client.get(f"/nominationhistoryview/list/?_flt_0_nomination={kept.reference.lower()}")
    )

    assert kept.reference in listing
    assert filtered_out.reference not in listing


def test_list_search_by_student_last_name(client, factory, coordinator):
    found = factory.nomination(student_last_name="Okafor")
    other = factory.nomination(student_last_name="Nguyen")

    listing = page_text(client.get("/nominationview/list/?_flt_2_student_last_name=okaf"))

    assert found.reference in listing
    assert other.reference not in listing


def test_edit_corrects_phone_and_notes(client, factory, coordinator):
    nomination = factory.nomination()
    form = {
        "coordinator_notes": "Called the family.",
        "student_grade": "6",
        "school": str(nomination.school_id),
        "language": "es",
        "nominator_email": "Parent@Example.ORG",
        "nominator_phone": "617.555.0123",
    }

    response = client.post(f"/nominationview/edit/{nomination.id}", data=form)

    assert response.status_code == 302
    nomination = reloaded(nomination)
    assert nomination.nominator_phone == "(617) 555-0123"
    assert nomination.nominator_email == "Parent@example.org"
    assert nomination.language == "es"
    assert nomination.coordinator_notes == "Called the family."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("student_grade", "13", "The program serves grades 1 to 12."),
        ("student_grade", "12", "The grade and the date of birth do not fit together."),
        ("nominator_phone", "555-0123", "Enter a US phone number with its area code"),
        ("nominator_email", "not-an-address", "Enter a valid e-mail address"),
        ("staff_role", "Teacher\x1b", "The text contains a hidden control character."),
    ],
)
def test_edit_rejects_bad_value_and_keeps_input(
    client, factory, coordinator, field, value, message
):
    nomination = factory.nomination()
    form = {
        "coordinator_notes": "Keep this note",
        "student_grade": "6",
        "school": str(nomination.school_id),
        "language": "en",
        "nominator_email": "parent@example.org",
    }
    form[field] = value

    response = client.post(f"/nominationview/edit/{nomination.id}", data=form)

    assert response.status_code == 200
    text = page_text(response)
    assert message in text
    assert "Keep this note" in text
    assert reloaded(nomination).coordinator_notes is None


def test_add_route_absent(client, coordinator):
    assert client.get("/nominationview/add").status_code == 404
