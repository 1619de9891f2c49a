"""The matching and review services: every rule with its allowed twin."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.extensions import db
from app.models import Match, Nomination, Student
from app.rules.choices import (
    CheckStatus,
    CloseReason,
    MatchStatus,
    MentorStatus,
    NominationStatus,
    Weekday,
)
from app.rules.errors import RuleViolation
from app.rules.timezone import program_today
from app.services.matching import MatchDetails, activate_match, close_match, propose_match
from app.services.review import change_nomination_status

TODAY = program_today(dt.datetime.now(dt.UTC))


def details(proctor, **overrides) -> MatchDetails:
    values = dict(
        start_date=TODAY,
        slot_weekday=Weekday.thu,
        slot_time=dt.time(16, 30),
        meet_link="https://meet.google.com/abc-defg-hij",
        proctor_id=proctor.id,
        subjects=["reading"],
    )
    values.update(overrides)
    return MatchDetails(**values)


def propose(factory, student=None, mentor=None, **overrides) -> Match:
    student = student or factory.student()
    mentor = mentor or factory.mentor(with_login=False)
    proctor = factory.coordinator()
    return propose_match(
        student.id, mentor.id, details(proctor, **overrides), user_id=proctor.id, today=TODAY
    )


def test_propose_ready_mentor_saves_proposed_match(factory):
    match = propose(factory)
    assert match.status is MatchStatus.proposed
    assert match.meet_link == "https://meet.google.com/abc-defg-hij"


@pytest.mark.parametrize(
    ("mentor_overrides", "fragment"),
    [
        ({"cori_status": CheckStatus.submitted, "cori_cleared_on": None}, "CORI"),
        ({"sori_status": CheckStatus.not_cleared}, "SORI"),
        ({"cori_cleared_on": TODAY - dt.timedelta(days=4 * 365)}, "CORI"),
        ({"training_completed_on": None}, "training"),
        ({"training_hours": Decimal("1.5")}, "training"),
        ({"status": MentorStatus.inactive}, "inactive"),
    ],
)
def test_propose_rejects_mentor_not_ready(factory, mentor_overrides, fragment):
    mentor = factory.mentor(with_login=False, **mentor_overrides)
    with pytest.raises(RuleViolation) as raised:
        propose(factory, mentor=mentor)
    assert raised.value.field == "mentor"
    assert fragment.lower() in raised.value.render().lower()
    assert db.session.query(Match).count() == 0


def test_propose_rejects_mentor_over_capacity(factory):
    mentor = factory.mentor(with_login=False, capacity=1)
    propose(factory, mentor=mentor)
    with pytest.raises(RuleViolation) as raised:
        propose(factory, mentor=mentor)
    assert raised.value.field == "mentor"
    assert "capacity" in raised.value.render()


def test_propose_allows_second_match_within_capacity(factory):
    mentor = factory.mentor(with_login=False, capacity=2)
    propose(factory, mentor=mentor)
    second = propose(factory, mentor=mentor, slot_time=dt.time(17, 30))
    assert second.status is MatchStatus.proposed


@pytest.mark.parametrize(
    ("weekday", "slot_time"),
    [(Weekday.thu, dt.time(17, 30)), (Weekday.fri, dt.time(16, 30))],
)
def test_propose_second_slot_apart_allowed(factory, weekday, slot_time):
    mentor = factory.mentor(with_login=False, capacity=2)
    propose(factory, mentor=mentor)
    second = propose(factory, mentor=mentor, slot_weekday=weekday, slot_time=slot_time)
    assert second.slot_time == slot_time


@pytest.mark.parametrize("slot_time", [dt.time(16, 30), dt.time(17, 0), dt.time(15, 35)])
def test_propose_overlapping_slot_rejected(factory, slot_time):
    mentor = factory.mentor(with_login=False, capacity=2)
    propose(factory, mentor=mentor)
    with pytest.raises(RuleViolation) as raised:
        propose(factory, mentor=mentor, slot_time=slot_time)
    assert raised.value.field == "slot_time"
    assert "already meets another student on Thursday at 16:30" in raised.value.render()


def test_propose_slot_of_closed_match_allowed(factory):
    mentor = factory.mentor(with_login=False, capacity=2)
    first = propose(factory, mentor=mentor)
    close_match(
        first.id,
        closed_on=TODAY,
        reason=CloseReason.goals_met,
        note=None,
        user_id=None,
        today=TODAY,
    )
    assert propose(factory, mentor=mentor).slot_time == dt.time(16, 30)


@pytest.mark.parametrize(
    ("subjects", "fragment"),
    [([], "Choose at least one subject"), (["cooking"], "cooking is not one of the options")],
)
def test_propose_without_subjects_rejected(factory, subjects, fragment):
    with pytest.raises(RuleViolation) as raised:
        propose(factory, subjects=subjects)
    assert raised.value.field == "subjects"
    assert fragment in raised.value.render()
    assert db.session.query(Match).count() == 0


def test_propose_rejects_second_open_match_for_student(factory):
    student = factory.student()
    propose(factory, student=student)
    with pytest.raises(RuleViolation) as raised:
        propose(factory, student=student)
    assert raised.value.field == "student"


def test_propose_allows_new_match_after_close(factory):
    student = factory.student()
    first = propose(factory, student=student)
    close_match(
        first.id,
        closed_on=TODAY,
        reason=CloseReason.scheduling,
        note=None,
        user_id=None,
        today=TODAY,
    )
    assert propose(factory, student=student).status is MatchStatus.proposed


def test_propose_rejects_student_not_accepted(factory):
    student = factory.student(accepted=False)
    with pytest.raises(RuleViolation) as raised:
        propose(factory, student=student)
    assert raised.value.field == "student"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"meet_link": "https://zoom.us/j/123"}, "meet_link"),
        ({"meet_link": "https://meet.google.com/abc-defg-hi"}, "meet_link"),
        ({"slot_time": dt.time(23, 0)}, "slot_time"),
        ({"start_date": TODAY + dt.timedelta(days=400)}, "start_date"),
    ],
)
def test_propose_rejects_invalid_details(factory, overrides, field):
    with pytest.raises(RuleViolation) as raised:
        propose(factory, **overrides)
    assert raised.value.field == field


def test_activate_marks_nomination_matched_and_mentor_matched(factory):
    match = propose(factory)
    activated = activate_match(match.id, user_id=None)
    assert activated.status is MatchStatus.active
    assert activated.mentor.status is MentorStatus.matched
    statuses = {n.status for n in activated.student.nominations}
    assert statuses == {NominationStatus.matched}


def test_activate_rejects_active_match(factory):
    match = propose(factory)
    activate_match(match.id, user_id=None)
    with pytest.raises(RuleViolation) as raised:
        activate_match(match.id, user_id=None)
    assert raised.value.field == "status"


@pytest.mark.parametrize(
    ("closed_offset", "reason", "note", "field"),
    [
        (-1, CloseReason.goals_met, None, "closed_on"),
        (0, None, None, "close_reason"),
        (0, CloseReason.other, None, "close_note"),
    ],
)
def test_close_rejects_invalid_input(factory, closed_offset, reason, note, field):
    match = propose(factory)
    with pytest.raises(RuleViolation) as raised:
        close_match(
            match.id,
            closed_on=match.start_date + dt.timedelta(days=closed_offset),
            reason=reason,
            note=note,
            user_id=None,
            today=TODAY,
        )
    assert raised.value.field == field
    db.session.rollback()
    assert db.session.get(Match, match.id).status is MatchStatus.proposed


def close_on(match, closed_on):
    return close_match(
        match.id,
        closed_on=closed_on,
        reason=CloseReason.goals_met,
        note=None,
        user_id=None,
        today=TODAY,
    )


def test_close_future_start_on_start_date_allowed(factory):
    start = TODAY + dt.timedelta(days=20)
    match = propose(factory, start_date=start)
    assert close_on(match, start).closed_on == start


@pytest.mark.parametrize("closed_on", [TODAY, TODAY + dt.timedelta(days=21)])
def test_close_future_start_other_date_rejected(factory, closed_on):
    start = TODAY + dt.timedelta(days=20)
    match = propose(factory, start_date=start)
    with pytest.raises(RuleViolation) as raised:
        close_on(match, closed_on)
    assert raised.value.field == "closed_on"
    assert f"closes on its start date. Enter {start.isoformat()}." in raised.value.render()


def test_close_on_latest_session_date_allowed(factory):
    match = factory.match()
    session = factory.session(match=match, session_date=TODAY - dt.timedelta(days=3))
    assert close_on(match, session.session_date).status is MatchStatus.closed


def test_close_before_latest_session_rejected(factory):
    match = factory.match()
    factory.session(match=match, session_date=TODAY - dt.timedelta(days=10))
    latest = factory.session(match=match, session_date=TODAY - dt.timedelta(days=3))
    with pytest.raises(RuleViolation) as raised:
        close_on(match, latest.session_date - dt.timedelta(days=1))
    assert raised.value.field == "closed_on"
    assert f"Enter {latest.session_date.isoformat()} or a later close date" in (
        raised.value.render()
    )
    db.session.rollback()
    assert db.session.get(Match, match.id).status is MatchStatus.active


def test_close_other_with_note_frees_mentor(factory):
    match = propose(factory)
    activate_match(match.id, user_id=None)
    closed = close_match(
        match.id,
        closed_on=TODAY,
        reason=CloseReason.other,
        note="Family moved out of Boston",
        user_id=None,
        today=TODAY,
    )
    assert closed.status is MatchStatus.closed
    assert closed.mentor.status is MentorStatus.ready


def test_accept_creates_student_then_links_same_student(factory):
    coordinator = factory.coordinator()
    first = factory.nomination(student_first_name="José", student_last_name="Núñez")
    second = factory.nomination(student_first_name="jose", student_last_name="NUNEZ")
    for nomination in (first, second):
        change_nomination_status(nomination.id, NominationStatus.in_review, user_id=coordinator.id)
        change_nomination_status(nomination.id, NominationStatus.accepted, user_id=coordinator.id)
    assert db.session.query(Student).count() == 1
    linked = {n.student_id for n in db.session.query(Nomination)}
    assert len(linked) == 1


def test_status_change_records_user_and_time(factory):
    coordinator = factory.coordinator()
    nomination = factory.nomination()
    change_nomination_status(nomination.id, NominationStatus.in_review, user_id=coordinator.id)
    history = nomination.status_changes
    assert history[-1].to_status is NominationStatus.in_review
    assert history[-1].changed_by_id == coordinator.id
    assert history[-1].changed_at is not None


@pytest.mark.parametrize(
    ("start", "target", "reason", "field"),
    [
        (NominationStatus.new, NominationStatus.accepted, None, "status"),
        (NominationStatus.in_review, NominationStatus.declined, None, "decline_reason"),
        (NominationStatus.in_review, NominationStatus.declined, "   ", "decline_reason"),
        (NominationStatus.declined, NominationStatus.in_review, None, "status"),
        (NominationStatus.accepted, NominationStatus.matched, None, "status"),
    ],
)
def test_status_change_rejects_forbidden(factory, start, target, reason, field):
    nomination = factory.nomination(status=start)
    with pytest.raises(RuleViolation) as raised:
        change_nomination_status(nomination.id, target, user_id=None, reason=reason)
    assert raised.value.field == field
    db.session.rollback()
    assert db.session.get(Nomination, nomination.id).status is start


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (NominationStatus.new, NominationStatus.in_review),
        (NominationStatus.new, NominationStatus.withdrawn),
        (NominationStatus.in_review, NominationStatus.waitlisted),
        (NominationStatus.waitlisted, NominationStatus.accepted),
        (NominationStatus.waitlisted, NominationStatus.in_review),
    ],
)
def test_status_change_allows_lifecycle_step(factory, start, target):
    nomination = factory.nomination(status=start)
    assert change_nomination_status(nomination.id, target, user_id=None).status is target


def test_decline_stores_reason(factory):
    nomination = factory.nomination(status=NominationStatus.in_review)
    declined = change_nomination_status(
        nomination.id, NominationStatus.declined, user_id=None, reason="Outside BPS"
    )
    assert declined.decline_reason == "Outside BPS"


@pytest.mark.parametrize("proctor_kind", ["mentor", "inactive", "missing"])
def test_propose_rejects_proctor_not_staff(factory, proctor_kind):
    student = factory.student()
    mentor = factory.mentor(with_login=False)
    if proctor_kind == "mentor":
        proctor_id = factory.mentor().user_id
    elif proctor_kind == "inactive":
        user = factory.coordinator()
        user.active = False
        db.session.commit()
        proctor_id = user.id
    else:
        proctor_id = 999_999
    match_details = MatchDetails(
        start_date=TODAY,
        slot_weekday=Weekday.thu,
        slot_time=dt.time(16, 30),
        meet_link="https://meet.google.com/abc-defg-hij",
        proctor_id=proctor_id,
        subjects=["math"],
    )
    with pytest.raises(RuleViolation) as raised:
        propose_match(student.id, mentor.id, match_details, user_id=None, today=TODAY)
    assert raised.value.field == "proctor"
    assert db.session.query(Match).count() == 0
