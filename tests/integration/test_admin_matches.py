"""Making, activating, closing and adjusting matches through the coordinator screens."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.admin.match_forms import eligible_mentors, last_expired_clearance_day
from app.extensions import db
from app.models import Match, Nomination
from app.rules.choices import CheckStatus, MatchStatus, MentorStatus, NominationStatus, Weekday
from app.rules.mentor import clearance_expires_on
from app.rules.timezone import program_today
from app.services.matching import readiness_problems

TODAY = program_today(dt.datetime.now(dt.UTC))


@pytest.fixture
def coordinator(client, factory, login_as):
    user = factory.coordinator()
    login_as(client, user)
    return user


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def match_form(chosen_mentor, chosen_proctor, **overrides) -> dict[str, object]:
    form = {
        "mentor": str(chosen_mentor.id),
        "start_date": TODAY.isoformat(),
        "slot_weekday": "tue",
        "slot_time": "16:30",
        "meet_link": "https://meet.google.com/abc-defg-hij",
        "subjects": ["math"],
        "proctor": str(chosen_proctor.id),
    }
    form.update(overrides)
    return form


def select_options(text: str, name: str) -> str:
    """Return the HTML of the select named ``name``, so option checks look at it alone."""
    found = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', text, re.S)
    assert found, f"no select named {name}"
    return found.group(1)


def open_matches(student) -> list[Match]:
    db.session.expire_all()
    return list(
        db.session.execute(
            select(Match).where(
                Match.student_id == student.id,
                Match.status.in_((MatchStatus.proposed, MatchStatus.active)),
            )
        ).scalars()
    )


def test_dropdown_lists_only_ready_mentors_with_room(client, factory, coordinator):
    student = factory.student()
    ready = factory.mentor(last_name="Ready")
    full = factory.mentor(last_name="Full")
    factory.match(mentor=full)
    roomy = factory.mentor(last_name="Roomy", capacity=2)
    factory.match(mentor=roomy)
    expired = TODAY - dt.timedelta(days=3 * 366)
    filtered_out = [
        full,
        factory.mentor(ready=False, last_name="Screening"),
        factory.mentor(last_name="Inactive", status=MentorStatus.inactive),
        factory.mentor(last_name="Expired", cori_cleared_on=expired),
        factory.mentor(last_name="Untrained", training_hours=Decimal("1.5")),
        factory.mentor(last_name="Future", sori_cleared_on=TODAY + dt.timedelta(days=1)),
        factory.mentor(last_name="Pending", sori_status=CheckStatus.submitted),
    ]

    text = select_options(page_text(client.get(f"/studentview/match/{student.id}")), "mentor")

    assert f'<option value="{ready.id}">' in text
    assert f'<option value="{roomy.id}">' in text
    for mentor in filtered_out:
        assert f'<option value="{mentor.id}">' not in text, mentor.last_name


def test_dropdown_query_agrees_with_rule(app, factory):
    mentors = [
        factory.mentor(),
        factory.mentor(ready=False),
        factory.mentor(cori_cleared_on=TODAY - dt.timedelta(days=3 * 365 + 1)),
        factory.mentor(training_completed_on=None),
        factory.mentor(training_hours=Decimal("2.0")),
    ]

    listed = {mentor.id for mentor in eligible_mentors(TODAY)}

    for mentor in mentors:
        ready = not readiness_problems(mentor, TODAY)
        assert (mentor.id in listed) == ready, mentor.id


@pytest.mark.parametrize(
    "today",
    [dt.date(2027, 2, 28), dt.date(2028, 2, 29), dt.date(2028, 3, 1), dt.date(2026, 7, 15)],
)
def test_last_expired_clearance_day_matches_rule(today):
    boundary = last_expired_clearance_day(today, 3)

    assert clearance_expires_on(boundary, 3) <= today
    assert clearance_expires_on(boundary + dt.timedelta(days=1), 3) > today


def test_make_match_proposes_and_redirects(client, factory, coordinator):
    student = factory.student()
    mentor = factory.mentor()

    response = client.post(f"/studentview/match/{student.id}", data=match_form(mentor, coordinator))

    assert response.status_code == 302
    (match,) = open_matches(student)
    assert response.headers["Location"].endswith(f"/matchview/show/{match.id}")
    assert match.status is MatchStatus.proposed
    assert match.mentor_id == mentor.id
    assert match.slot_time == dt.time(16, 30)
    assert match.subjects == ["math"]
    assert match.proctor_id == coordinator.id
    assert match.created_by_id == coordinator.id


def test_make_match_not_ready_mentor_rejected(client, factory, coordinator):
    student = factory.student()
    mentor = factory.mentor(ready=False)

    response = client.post(
        f"/studentview/match/{student.id}",
        data=match_form(mentor, coordinator, meet_link="https://meet.google.com/xyz-wxyz-xyz"),
    )

    text = page_text(response)
    assert response.status_code == 200
    assert "This mentor is not ready to match. The CORI check is not cleared." in text
    assert "https://meet.google.com/xyz-wxyz-xyz" in text
    assert open_matches(student) == []


def test_make_match_over_capacity_rejected(client, factory, coordinator):
    mentor = factory.mentor(capacity=1)
    factory.match(mentor=mentor)
    student = factory.student()

    response = client.post(f"/studentview/match/{student.id}", data=match_form(mentor, coordinator))

    assert "This mentor already has 1 open matches, the mentor's capacity." in page_text(response)
    assert open_matches(student) == []


def test_make_match_second_open_match_rejected(client, factory, coordinator):
    existing = factory.match(status=MatchStatus.proposed)
    mentor = factory.mentor()

    response = client.post(
        f"/studentview/match/{existing.student_id}", data=match_form(mentor, coordinator)
    )

    assert "This student already has a proposed or active match." in page_text(response)
    assert [match.id for match in open_matches(existing.student)] == [existing.id]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("meet_link", "https://zoom.us/j/123", "Enter the Google Meet link in the form"),
        ("meet_link", "", "Enter the Google Meet link for this match."),
        ("slot_time", "22:00", "from 14:30 to 20:30 Monday to Friday"),
        ("slot_weekday", "", "Choose an option."),
        ("start_date", (TODAY + dt.timedelta(days=400)).isoformat(), "more than a year ahead"),
        ("mentor", "", "Choose a mentor."),
        ("proctor", "", "Choose a proctor."),
        ("subjects", ["math", "astrology"], "astrology is not one of the options."),
    ],
)
def test_make_match_bad_field_rejected(client, factory, coordinator, field, value, message):
    student = factory.student()
    mentor = factory.mentor()

    response = client.post(
        f"/studentview/match/{student.id}",
        data=match_form(mentor, coordinator, **{field: value}),
    )

    assert response.status_code == 200
    assert message in page_text(response)
    assert open_matches(student) == []


def test_activate_sets_nomination_matched(client, factory, coordinator):
    match = factory.match(status=MatchStatus.proposed)

    response = client.post(f"/matchview/activate/{match.id}", follow_redirects=True)

    assert "Match activated." in page_text(response)
    db.session.expire_all()
    assert db.session.get(Match, match.id).status is MatchStatus.active
    nomination = db.session.execute(
        select(Nomination).where(Nomination.student_id == match.student_id)
    ).scalar_one()
    assert nomination.status is NominationStatus.matched


def test_activate_active_match_rejected(client, factory, coordinator):
    match = factory.match(status=MatchStatus.active)

    response = client.post(f"/matchview/activate/{match.id}", follow_redirects=True)

    assert "Only a proposed match can be activated." in page_text(response)


def close_form(match, **overrides) -> dict[str, str]:
    form = {
        "closed_on": TODAY.isoformat(),
        "close_reason": "goals_met",
        "close_note": "",
    }
    form.update(overrides)
    return form


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"closed_on": "START_MINUS_ONE"}, "The close date is before the match started."),
        (
            {"closed_on": (TODAY + dt.timedelta(days=1)).isoformat()},
            "The close date is in the future.",
        ),
        ({"close_reason": ""}, "Choose an option."),
        ({"closed_on": "abc"}, "Enter the close date as YYYY-MM-DD"),
        ({"closed_on": ""}, "Enter the close date."),
        ({"close_reason": "other"}, "Describe in the note why the match is closing."),
        ({"close_note": "Bad\x00note"}, "hidden control character"),
    ],
)
def test_close_rejects_bad_input(client, factory, coordinator, overrides, message):
    match = factory.match()
    if overrides.get("closed_on") == "START_MINUS_ONE":
        overrides = {"closed_on": (match.start_date - dt.timedelta(days=1)).isoformat()}

    response = client.post(f"/matchview/close/{match.id}", data=close_form(match, **overrides))

    assert response.status_code == 200
    assert message in page_text(response)
    db.session.expire_all()
    assert db.session.get(Match, match.id).status is MatchStatus.active


@pytest.mark.parametrize(
    "overrides",
    [{"closed_on": "START"}, {"close_reason": "other", "close_note": "Family moved."}],
)
def test_close_accepts_valid_input(client, factory, coordinator, overrides):
    match = factory.match()
    if overrides.get("closed_on") == "START":
        overrides = {"closed_on": match.start_date.isoformat()}

    response = client.post(f"/matchview/close/{match.id}", data=close_form(match, **overrides))

    assert response.status_code == 302
    db.session.expire_all()
    closed = db.session.get(Match, match.id)
    assert closed.status is MatchStatus.closed
    assert closed.close_reason is not None


def edit_form(match, **overrides) -> dict[str, object]:
    form = {
        "slot_weekday": "wed",
        "slot_time": "17:00",
        "meet_link": "https://meet.google.com/new-link-abc",
        "subjects": ["reading"],
        "proctor": str(match.proctor_id),
    }
    form.update(overrides)
    return form


def test_edit_changes_slot(client, factory, coordinator):
    match = factory.match()

    response = client.post(f"/matchview/edit/{match.id}", data=edit_form(match))

    assert response.status_code == 302
    db.session.expire_all()
    edited = db.session.get(Match, match.id)
    assert edited.slot == "Wednesday 17:00"
    assert edited.subjects == ["reading"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("slot_time", "06:55", "from 14:30 to 20:30 Monday to Friday"),
        ("meet_link", "meet.google.com/abc", "Enter the Google Meet link in the form"),
        ("proctor", "999999", "Not a valid choice"),
    ],
)
def test_edit_rejects_bad_value(client, factory, coordinator, field, value, message):
    match = factory.match()

    response = client.post(f"/matchview/edit/{match.id}", data=edit_form(match, **{field: value}))

    assert response.status_code == 200
    assert message in page_text(response)
    db.session.expire_all()
    assert db.session.get(Match, match.id).slot == "Tuesday 16:00"


def test_edit_proctor_must_be_staff(client, factory, coordinator):
    match = factory.match()
    mentor_user = factory.user("Mentor")

    response = client.post(
        f"/matchview/edit/{match.id}", data=edit_form(match, proctor=str(mentor_user.id))
    )

    assert "Not a valid choice" in page_text(response)


def test_match_list_filters_by_mentor_name(client, factory, coordinator):
    kept = factory.match(mentor=factory.mentor(last_name="Zabriskie"))
    filtered_out = factory.match()

    text = page_text(client.get("/matchview/list/?_flt_0_mentor=zabr"))

    assert f"/matchview/show/{kept.id}" in text
    assert f"/matchview/show/{filtered_out.id}" not in text


@pytest.mark.parametrize(
    ("status", "start_offset", "expected_offset"),
    [(MatchStatus.active, -60, 0), (MatchStatus.proposed, 10, 10)],
)
def test_close_form_default_date(
    client, factory, coordinator, status, start_offset, expected_offset
):
    match = factory.match(status=status, start_date=TODAY + dt.timedelta(days=start_offset))

    text = page_text(client.get(f"/matchview/close/{match.id}"))

    expected = (TODAY + dt.timedelta(days=expected_offset)).isoformat()
    assert f'value="{expected}"' in text


@pytest.mark.parametrize(("closed_offset", "status_code"), [(10, 302), (0, 200)])
def test_close_not_started_match(client, factory, coordinator, closed_offset, status_code):
    match = factory.match(status=MatchStatus.proposed, start_date=TODAY + dt.timedelta(days=10))
    closed_on = (TODAY + dt.timedelta(days=closed_offset)).isoformat()

    response = client.post(
        f"/matchview/close/{match.id}", data=close_form(match, closed_on=closed_on)
    )

    assert response.status_code == status_code
    if status_code == 200:
        assert "closes on its start date" in page_text(response)


@pytest.mark.parametrize(("slot_time", "status_code"), [("17:00", 302), ("16:30", 200)])
def test_edit_slot_overlap(client, factory, coordinator, slot_time, status_code):
    mentor = factory.mentor(capacity=2)
    factory.match(mentor=mentor)  # Tuesday 16:00
    match = factory.match(mentor=mentor, slot_weekday=Weekday.fri)

    response = client.post(
        f"/matchview/edit/{match.id}",
        data=edit_form(match, slot_weekday="tue", slot_time=slot_time),
    )

    assert response.status_code == status_code
    if status_code == 200:
        assert "already meets another student on Tuesday at 16:00" in page_text(response)


@pytest.mark.parametrize(("subjects", "status_code"), [(["math"], 302), ([], 200)])
def test_edit_subjects_required(client, factory, coordinator, subjects, status_code):
    match = factory.match()

    response = client.post(f"/matchview/edit/{match.id}", data=edit_form(match, subjects=subjects))

    assert response.status_code == status_code
    if status_code == 200:
        assert "Choose at least one subject in focus" in page_text(response)


def test_match_show_formats_values(client, factory, coordinator):
    match = factory.match(subjects=["math", "social_studies"])

    text = page_text(client.get(f"/matchview/show/{match.id}"))

    assert "Math, Social studies and history" in text
    assert "social_studies" not in text
    assert "None" not in text


def test_dropdown_filters_by_name_literally(client, factory, coordinator):
    student = factory.student()
    kept = factory.mentor(last_name="Okafor")
    other = factory.mentor(last_name="Nguyen")
    wildcard = factory.mentor(last_name="O_Brien")

    page = page_text(client.get(f"/studentview/match/{student.id}?mentor_name=oka"))
    text = select_options(page, "mentor")
    literal = select_options(
        page_text(client.get(f"/studentview/match/{student.id}?mentor_name=o_")), "mentor"
    )

    assert f'<option value="{kept.id}">' in text
    assert f'<option value="{other.id}">' not in text
    assert f'<option value="{wildcard.id}">' not in text
    assert 'value="oka"' in page
    assert f'<option value="{wildcard.id}">' in literal
    assert f'<option value="{kept.id}">' not in literal


def test_dropdown_lists_grade_band_fit_first(app, factory):
    outside = factory.mentor(last_name="Aaron", grade_band_min=9, grade_band_max=12)
    inside = factory.mentor(last_name="Zeller", grade_band_min=4, grade_band_max=8)

    listed = [mentor.id for mentor in eligible_mentors(TODAY, grade=6)]

    assert listed.index(inside.id) < listed.index(outside.id)
