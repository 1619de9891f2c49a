"""Each program event queues the right messages, to the right people, in the right language."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date
from icalendar import Calendar
from sqlalchemy import select

from app.extensions import db
from app.mail.calendar import first_session_date, program_year_end
from app.mail.queue import queue_match_activated
from app.models import OutboxMessage
from app.rules.choices import (
    LANGUAGES,
    CloseReason,
    MailEvent,
    MatchStatus,
    OutboxStatus,
    RecipientRole,
    Weekday,
)
from app.rules.timezone import PROGRAM_TZ, program_today
from app.services.matching import activate_match, close_match
from app.services.nominations import submit_nomination
from tests.integration.test_public_nomination_service import raw_parent

TODAY = program_today(dt.datetime.now(dt.UTC))
NOW = dt.datetime.now(dt.UTC)
MEET_LINK = "https://meet.google.com/abc-defg-hij"


def outbox(event: MailEvent | None = None) -> dict[RecipientRole, OutboxMessage]:
    db.session.expire_all()
    query = select(OutboxMessage)
    if event is not None:
        query = query.where(OutboxMessage.event == event)
    return {row.recipient_role: row for row in db.session.execute(query).scalars()}


def proposed_match(factory, *, student=None, mentor=None, start_date=None):
    student = student or factory.student(language="es")
    mentor = mentor or factory.mentor(first_name="Dana", last_name="Okafor", phone="617-555-0123")
    return factory.match(
        student=student,
        mentor=mentor,
        status=MatchStatus.proposed,
        start_date=start_date or TODAY + dt.timedelta(days=3),
        slot_weekday=Weekday.tue,
        slot_time=dt.time(16, 0),
        meet_link=MEET_LINK,
    )


def test_nomination_confirmation_in_nominator_language(app):
    nomination = submit_nomination(raw_parent(language="es"), now=NOW)

    messages = outbox()
    assert list(messages) == [RecipientRole.nominator]
    message = messages[RecipientRole.nominator]
    assert message.event is MailEvent.nomination_received
    assert message.to_address == nomination.nominator_email
    assert message.language == "es"
    assert message.subject == "Recibimos su nominación"
    assert nomination.reference in message.text_body
    assert nomination.reference in message.html_body
    assert "Hola, Maria:" in message.text_body
    assert message.nomination_id == nomination.id
    assert message.dedupe_key == f"nomination_received:{nomination.id}:nominator"


def test_activation_queues_mentor_family_proctor(app, factory):
    match = proposed_match(factory)

    activate_match(match.id, user_id=None)

    messages = outbox(MailEvent.match_activated)
    assert set(messages) == {RecipientRole.mentor, RecipientRole.family, RecipientRole.proctor}
    assert messages[RecipientRole.mentor].to_address == match.mentor.email
    assert messages[RecipientRole.family].to_address == match.student.guardian_email
    assert messages[RecipientRole.proctor].to_address == match.proctor.email
    assert messages[RecipientRole.mentor].language == "en"
    assert messages[RecipientRole.proctor].language == "en"
    assert messages[RecipientRole.family].language == "es"


def test_activation_family_message_in_spanish(app, factory):
    match = proposed_match(factory)

    activate_match(match.id, user_id=None)

    family = outbox(MailEvent.match_activated)[RecipientRole.family]
    first_day = first_session_date(match.start_date, Weekday.tue)
    assert family.subject == "Mentoría ILS: sus sesiones semanales están programadas"
    for body in (family.text_body, family.html_body):
        assert "Dana" in body
        assert "martes" in body
        assert "16:00" in body
        assert MEET_LINK in body
        assert format_date(first_day, format="long", locale="es") in body
    assert f'<a href="{MEET_LINK}">{MEET_LINK}</a>' in family.html_body
    assert family.calendar is None


def test_family_message_leaves_out_mentor_contact(app, factory):
    match = proposed_match(factory)

    activate_match(match.id, user_id=None)

    family = outbox(MailEvent.match_activated)[RecipientRole.family]
    for body in (family.text_body, family.html_body):
        assert "Okafor" not in body
        assert match.mentor.email not in body
        assert "555-0123" not in body


def test_staff_messages_carry_invitation(app, factory):
    match = proposed_match(factory)

    activate_match(match.id, user_id=None)

    messages = outbox(MailEvent.match_activated)
    assert messages[RecipientRole.mentor].calendar is not None
    assert messages[RecipientRole.proctor].calendar is not None
    assert "Tuesday at 4:00" in messages[RecipientRole.mentor].text_body
    assert MEET_LINK in messages[RecipientRole.proctor].text_body


def test_invitation_parses_back(app, factory):
    match = proposed_match(factory)

    activate_match(match.id, user_id=None)

    text = outbox(MailEvent.match_activated)[RecipientRole.mentor].calendar
    calendar = Calendar.from_ical(text)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    event = calendar.walk("VEVENT")[0]
    start = event.decoded("DTSTART")
    assert start == dt.datetime.combine(
        first_session_date(match.start_date, Weekday.tue), dt.time(16, 0), tzinfo=PROGRAM_TZ
    )
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["BYDAY"] == ["TU"]
    year_end = dt.datetime.combine(program_year_end(match.start_date), dt.time(23, 59, 59))
    assert rule["UNTIL"] == [year_end.replace(tzinfo=PROGRAM_TZ).astimezone(dt.UTC)]
    assert str(event["UID"]) == f"ils-match-{match.id}@{app.config['ILS_MAIL_DOMAIN']}"
    assert str(event["LOCATION"]) == MEET_LINK
    assert match.student.last_name not in text
    assert match.student.guardian_email not in text


def test_invitation_follows_program_year(app, factory):
    match = proposed_match(factory)
    first = first_session_date(match.start_date, Weekday.tue)
    break_monday = first + dt.timedelta(days=13)  # the Monday two weeks after the first session
    year = factory.program_year(
        match.start_date - dt.timedelta(days=30),
        match.start_date + dt.timedelta(days=120),
        breaks=[break_monday],
    )

    activate_match(match.id, user_id=None)

    text = outbox(MailEvent.match_activated)[RecipientRole.mentor].calendar
    event = Calendar.from_ical(text).walk("VEVENT")[0]
    year_end = dt.datetime.combine(year.last_day, dt.time(23, 59, 59), tzinfo=PROGRAM_TZ)
    assert event["RRULE"]["UNTIL"] == [year_end.astimezone(dt.UTC)]
    skipped = [item.dt for item in event["EXDATE"].dts]
    expected = dt.datetime.combine(break_monday + dt.timedelta(days=1), dt.time(16, 0))
    assert skipped == [expected.replace(tzinfo=PROGRAM_TZ)]


def test_adult_student_gets_own_message(app, factory):
    student = factory.student(
        language="pt",
        date_of_birth=dt.date(TODAY.year - 19, 1, 1),
        email="student-adult@example.org",
    )
    match = proposed_match(factory, student=student)

    activate_match(match.id, user_id=None)

    messages = outbox(MailEvent.match_activated)
    adult = messages[RecipientRole.student]
    assert adult.to_address == "student-adult@example.org"
    assert adult.language == "pt"
    assert "você tem um mentor voluntário, Dana" in adult.text_body


def test_minor_student_gets_no_message(app, factory):
    student = factory.student(email="student-minor@example.org")
    match = proposed_match(factory, student=student)

    activate_match(match.id, user_id=None)

    assert RecipientRole.student not in outbox(MailEvent.match_activated)


def test_family_without_address_skipped(app, factory):
    match = proposed_match(factory, student=factory.student(guardian_email=None))

    activate_match(match.id, user_id=None)

    assert set(outbox(MailEvent.match_activated)) == {RecipientRole.mentor, RecipientRole.proctor}


def close(match, *, closed_on: dt.date, today: dt.date) -> None:
    close_match(
        match.id,
        closed_on=closed_on,
        reason=CloseReason.goals_met,
        note=None,
        user_id=None,
        today=today,
    )


def test_close_queues_staff_and_family(app, factory):
    match = proposed_match(factory)
    activate_match(match.id, user_id=None)
    closed_on = match.start_date + dt.timedelta(days=7)

    close(match, closed_on=closed_on, today=closed_on)

    messages = outbox(MailEvent.match_closed)
    assert set(messages) == {RecipientRole.mentor, RecipientRole.proctor, RecipientRole.family}
    family = messages[RecipientRole.family]
    assert family.subject == "Mentoría ILS: las sesiones han terminado"
    assert format_date(closed_on, format="long", locale="es") in family.text_body
    assert "terminaron el" in family.text_body
    assert "Okafor" not in family.text_body
    proctor = messages[RecipientRole.proctor]
    assert proctor.language == "en"
    assert proctor.to_address == match.proctor.email
    assert "which you proctor, ended on" in proctor.text_body
    assert proctor.dedupe_key == f"match_closed:{match.id}:proctor"
    assert messages[RecipientRole.mentor].dedupe_key == f"match_closed:{match.id}:mentor"
    assert family.calendar is None


def next_wednesday() -> dt.date:
    """Return the first Wednesday after today: its Tuesday slot comes six days later."""
    return TODAY + dt.timedelta(days=(1 - TODAY.weekday()) % 7 + 1)


def test_close_in_future_worded_by_date(app, factory):
    # A match that has not started closes on its start date, which is after today.
    match = proposed_match(factory)
    activate_match(match.id, user_id=None)

    close(match, closed_on=match.start_date, today=TODAY)

    messages = outbox(MailEvent.match_closed)
    family = messages[RecipientRole.family]
    assert family.subject == "Mentoría ILS: las sesiones están terminando"
    assert "terminan el" in family.text_body
    assert "terminaron" not in family.text_body
    mentor = messages[RecipientRole.mentor]
    assert "Your ILS match with" in mentor.text_body
    assert " ends on " in mentor.text_body
    assert " ended on " not in mentor.text_body


def test_close_ends_calendar_event(app, factory):
    match = proposed_match(factory)
    activate_match(match.id, user_id=None)
    closed_on = match.start_date + dt.timedelta(days=14)

    close(match, closed_on=closed_on, today=closed_on)

    activated = Calendar.from_ical(outbox(MailEvent.match_activated)[RecipientRole.mentor].calendar)
    closed = outbox(MailEvent.match_closed)
    for role in (RecipientRole.mentor, RecipientRole.proctor):
        calendar = Calendar.from_ical(closed[role].calendar)
        event = calendar.walk("VEVENT")[0]
        first_event = activated.walk("VEVENT")[0]
        assert str(calendar["METHOD"]) == "PUBLISH"
        assert str(event["UID"]) == str(first_event["UID"])
        assert event["SEQUENCE"] > first_event["SEQUENCE"]
        last = dt.datetime.combine(closed_on, dt.time(23, 59, 59), tzinfo=PROGRAM_TZ)
        assert event["RRULE"]["UNTIL"] == [last.astimezone(dt.UTC)]
        assert "STATUS" not in event


def test_close_before_first_session_cancels_event(app, factory):
    match = proposed_match(factory, start_date=next_wednesday())
    activate_match(match.id, user_id=None)

    close(match, closed_on=match.start_date, today=TODAY)

    calendar = Calendar.from_ical(outbox(MailEvent.match_closed)[RecipientRole.proctor].calendar)
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_staff_nominator_gets_english(app):
    raw = raw_parent(
        nominator_kind="school_staff",
        nominator_email="dana.teacher@bostonpublicschools.org",
        staff_role="Math teacher",
        guardian_first_name="Kim",
        guardian_last_name="Nguyen",
        guardian_phone="(857) 555-0199",
        language="es",
    )

    submit_nomination(raw, now=NOW)

    message = outbox()[RecipientRole.nominator]
    assert message.language == "en"
    assert message.subject == "We received your nomination"


def test_close_proposed_match_queues_nothing(app, factory):
    match = proposed_match(factory)

    close_match(
        match.id,
        closed_on=match.start_date,
        reason=CloseReason.scheduling,
        note=None,
        user_id=None,
        today=match.start_date,
    )

    assert outbox() == {}


def test_event_queued_once(app, factory):
    match = proposed_match(factory)
    activate_match(match.id, user_id=None)

    again = queue_match_activated(match, today=TODAY)
    db.session.commit()

    assert again == []
    assert len(outbox(MailEvent.match_activated)) == 3


def test_haitian_creole_uses_numeric_date(app, factory):
    match = proposed_match(factory, student=factory.student(language="ht"))

    activate_match(match.id, user_id=None)

    family = outbox(MailEvent.match_activated)[RecipientRole.family]
    first_day = first_session_date(match.start_date, Weekday.tue)
    assert first_day.isoformat() in family.text_body
    assert "Chak madi a 16:00" in family.text_body
    assert "décembre" not in family.text_body
    assert 'lang="ht"' in family.html_body


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_family_message_translated(app, factory, language):
    match = proposed_match(factory, student=factory.student(language=language))

    activate_match(match.id, user_id=None)

    family = outbox(MailEvent.match_activated)[RecipientRole.family]
    assert family.language == language
    assert family.subject != "ILS mentoring: your weekly sessions are set"
    assert "Google Meet" in family.text_body
    assert "%(" not in family.text_body
    assert "Hello" not in family.text_body


def test_html_body_escapes_names(app, factory):
    student = factory.student(preferred_name="<b>Ana</b>")
    match = proposed_match(factory, student=student)

    activate_match(match.id, user_id=None)

    family = outbox(MailEvent.match_activated)[RecipientRole.family]
    assert "&lt;b&gt;Ana&lt;/b&gt;" in family.html_body
    assert "<b>Ana</b>" not in family.html_body
    assert "<b>Ana</b>" in family.text_body


def test_demo_data_queues_nothing(app):
    from app.demo.loader import load_demo_program

    load_demo_program(7, known_passwords=False)

    assert db.session.execute(select(OutboxMessage.id).limit(1)).first() is None


def test_statuses_start_pending(app, factory):
    match = proposed_match(factory)
    db.session.execute(select(OutboxMessage.id)).all()
    app.config["ILS_MAIL_SEND_NOW_MAX"], limit = 0, app.config["ILS_MAIL_SEND_NOW_MAX"]
    try:
        activate_match(match.id, user_id=None)
    finally:
        app.config["ILS_MAIL_SEND_NOW_MAX"] = limit

    assert {row.status for row in outbox().values()} == {OutboxStatus.pending}
    assert {row.attempts for row in outbox().values()} == {0}
