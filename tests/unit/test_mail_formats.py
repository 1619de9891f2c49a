"""Mail formatting rules that need no app: retry delays, program year, invitations."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import get_day_names
from icalendar import Calendar

from app.languages import NUMERIC_DATE_LANGUAGES
from app.mail.calendar import (
    build_invitation,
    calendar_method,
    first_session_date,
    program_year_end,
)
from app.mail.deliver import retry_delay
from app.rules.choices import Weekday


@pytest.mark.parametrize(
    ("attempts", "minutes"), [(1, 1), (2, 2), (3, 4), (4, 8), (9, 256), (10, 360), (30, 360)]
)
def test_retry_delay_doubles_to_maximum(attempts, minutes):
    assert retry_delay(attempts) == dt.timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2026, 9, 14), dt.date(2027, 6, 30)),
        (dt.date(2027, 6, 30), dt.date(2027, 6, 30)),
        (dt.date(2027, 7, 1), dt.date(2028, 6, 30)),
        (dt.date(2027, 1, 5), dt.date(2027, 6, 30)),
    ],
)
def test_program_year_end_is_june_30(start, end):
    assert program_year_end(start) == end


@pytest.mark.parametrize(
    ("start", "weekday", "first"),
    [
        (dt.date(2026, 12, 8), Weekday.tue, dt.date(2026, 12, 8)),
        (dt.date(2026, 12, 9), Weekday.tue, dt.date(2026, 12, 15)),
        (dt.date(2026, 12, 7), Weekday.sun, dt.date(2026, 12, 13)),
    ],
)
def test_first_session_on_or_after_start(start, weekday, first):
    assert first_session_date(start, weekday) == first


def test_numeric_dates_only_for_haitian_creole():
    # Babel 2.18 names Haitian Creole days in French. When it has its own, drop "ht".
    for language in NUMERIC_DATE_LANGUAGES:
        assert get_day_names("wide", locale=language) == get_day_names("wide", locale="fr")


def invitation(start: dt.date, **options) -> Calendar:
    text = build_invitation(
        match_id=7,
        domain="example.org",
        start_date=start,
        weekday=Weekday.fri,
        slot_time=dt.time(16, 0),
        meet_link="https://meet.google.com/abc-defg-hij",
        summary="ILS mentoring: Ana with Dana",
        now=dt.datetime(2027, 6, 28, 12, 0, tzinfo=dt.UTC),
        **options,
    )
    return Calendar.from_ical(text)


def test_invitation_after_year_end_contains_session():
    # 29 June 2027 is a Tuesday: the Friday slot falls on 2 July, after the year ends.
    calendar = invitation(dt.date(2027, 6, 29))

    event = calendar.walk("VEVENT")[0]
    starts = event.decoded("DTSTART")
    [until] = event["RRULE"]["UNTIL"]
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert starts.date() == dt.date(2027, 7, 2)
    assert until >= starts
    assert until < starts + dt.timedelta(days=7)


def test_calendar_method_read_back():
    start = dt.date(2027, 6, 1)
    published = invitation(start).to_ical().decode()
    cancelled = invitation(start, last_date=start, sequence=1).to_ical().decode()

    assert calendar_method(published) == "PUBLISH"
    assert calendar_method(cancelled) == "CANCEL"
