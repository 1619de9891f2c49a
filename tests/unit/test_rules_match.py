from datetime import date, time

import pytest

from app.rules.choices import CloseReason, MatchStatus, Weekday
from app.rules.errors import RuleViolation
from app.rules.match import (
    MEET_LINK_PATTERN,
    check_close,
    check_slot,
    check_slot_free,
    check_start_date,
    clean_meet_link,
    clean_meeting_details,
    clean_subjects,
    default_close_date,
)

TODAY = date(2026, 3, 15)


def assert_violation(excinfo, field, fragment):
    assert excinfo.value.field == field
    assert fragment in excinfo.value.render()


# Google Meet link


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://meet.google.com/abc-defg-hij", "https://meet.google.com/abc-defg-hij"),
        ("  https://meet.google.com/xyz-abcd-efg\n", "https://meet.google.com/xyz-abcd-efg"),
    ],
)
def test_meet_link_accepted(value, expected):
    assert clean_meet_link(value) == expected


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (None, "Enter the Google Meet link for this match"),
        ("   ", "Enter the Google Meet link for this match"),
        ("http://meet.google.com/abc-defg-hij", "in the form"),
        ("meet.google.com/abc-defg-hij", "in the form"),
        ("https://meet.google.com/abc-defg-hij?authuser=0", "in the form"),
        ("https://meet.google.com/abc-defg-hij/", "in the form"),
        ("https://meet.google.com/abc-defg-hij#x", "in the form"),
        ("https://meet.google.com/ABC-DEFG-HIJ", "in the form"),
        ("https://meet.google.com/ab-defg-hij", "in the form"),
        ("https://meet.google.com/abcd-defg-hij", "in the form"),
        ("https://meet.google.com/abc-def-hij", "in the form"),
        ("https://meet.google.com/abc-defg-hi1", "in the form"),
        ("https://meet.google.com/abcdefghij", "in the form"),
        ("https://meet.google.com.example.org/abc-defg-hij", "in the form"),
        ("https://meetxgoogle.com/abc-defg-hij", "in the form"),
        ("https://zoom.us/j/123456789", "in the form"),
        ("https://meet.google.com/abc-defg-hij https://example.org", "in the form"),
        ("https://meet.google.com/abc-defg-hij\nhttps://example.org", "in the form"),
        ("https://meet.google.com/\u00e1bc-defg-hij", "in the form"),
    ],
)
def test_meet_link_rejected(value, fragment):
    with pytest.raises(RuleViolation) as excinfo:
        clean_meet_link(value)
    assert_violation(excinfo, "meet_link", fragment)


def test_meet_link_pattern_rejects_trailing_newline():
    assert MEET_LINK_PATTERN.match("https://meet.google.com/abc-defg-hij\n") is None


# Start date


@pytest.mark.parametrize(
    "start",
    [TODAY, date(2025, 3, 15), date(2027, 3, 15), date(2025, 9, 1)],
)
def test_start_date_allowed(start):
    check_start_date(start, TODAY)


@pytest.mark.parametrize(
    ("start", "fragment"),
    [
        (date(2025, 3, 14), "on or after 2025-03-15"),
        (date(2027, 3, 16), "on or before 2027-03-15"),
        (date(2020, 1, 1), "more than a year ago"),
    ],
)
def test_start_date_rejected(start, fragment):
    with pytest.raises(RuleViolation) as excinfo:
        check_start_date(start, TODAY)
    assert_violation(excinfo, "start_date", fragment)


def test_start_date_range_from_29_february():
    leap_day = date(2028, 2, 29)
    check_start_date(date(2027, 2, 28), leap_day)
    check_start_date(date(2029, 2, 28), leap_day)
    with pytest.raises(RuleViolation):
        check_start_date(date(2029, 3, 1), leap_day)


# Weekly slot


SLOT_HOURS = "from 14:30 to 20:30 Monday to Friday, or from 09:00 to 20:30 on weekends"


@pytest.mark.parametrize(
    ("weekday", "start_time"),
    [
        (Weekday.tue, time(14, 30)),
        (Weekday.tue, time(16, 5)),
        (Weekday.fri, time(20, 30)),
        (Weekday.sat, time(9, 0)),
        (Weekday.sun, time(20, 30)),
    ],
)
def test_slot_allowed(weekday, start_time):
    check_slot(weekday, start_time)


@pytest.mark.parametrize(
    ("weekday", "start_time"),
    [
        (Weekday.mon, time(10, 0)),  # school hours
        (Weekday.tue, time(14, 25)),  # before school ends
        (Weekday.fri, time(20, 35)),
        (Weekday.sat, time(8, 55)),
        (Weekday.sun, time(20, 35)),
        (Weekday.tue, time(23, 0)),
        (Weekday.tue, time(0, 0)),
        (Weekday.tue, time(16, 7)),
        (Weekday.tue, time(16, 30, 15)),
        (Weekday.tue, time(16, 30, 0, 1)),
    ],
)
def test_slot_time_rejected(weekday, start_time):
    with pytest.raises(RuleViolation) as excinfo:
        check_slot(weekday, start_time)
    assert_violation(excinfo, "slot_time", SLOT_HOURS)


@pytest.mark.parametrize("weekday", [None, "tue"])
def test_slot_weekday_rejected(weekday):
    with pytest.raises(RuleViolation) as excinfo:
        check_slot(weekday, time(16, 0))
    assert_violation(excinfo, "slot_weekday", "Choose the weekday")


# Slot overlap with the mentor's other open matches

TAKEN = [(Weekday.tue, time(16, 0))]


@pytest.mark.parametrize(
    ("weekday", "start_time"),
    [
        (Weekday.tue, time(17, 0)),  # back to back
        (Weekday.tue, time(15, 0)),
        (Weekday.wed, time(16, 0)),  # another weekday
    ],
)
def test_slot_free_allowed(weekday, start_time):
    check_slot_free(weekday, start_time, TAKEN)


@pytest.mark.parametrize("start_time", [time(16, 0), time(16, 55), time(15, 5)])
def test_slot_free_overlap_rejected(start_time):
    with pytest.raises(RuleViolation) as excinfo:
        check_slot_free(Weekday.tue, start_time, TAKEN)
    assert_violation(excinfo, "slot_time", "already meets another student on Tuesday at 16:00")


# Subjects


def test_subjects_cleaned():
    assert clean_subjects(["math", " reading", "math"]) == ["math", "reading"]


@pytest.mark.parametrize(
    ("subjects", "fragment"),
    [
        ([], "Choose at least one subject"),
        (None, "Choose at least one subject"),
        ([""], "Choose at least one subject"),
        (["cooking"], "cooking is not one of the options"),
    ],
)
def test_subjects_rejected(subjects, fragment):
    with pytest.raises(RuleViolation) as excinfo:
        clean_subjects(subjects)
    assert_violation(excinfo, "subjects", fragment)


# Closing


def close(**changes):
    arguments = {
        "start": date(2025, 10, 1),
        "closed_on": TODAY,
        "reason": CloseReason.goals_met,
        "note": None,
        "today": TODAY,
    }
    arguments.update(changes)
    check_close(**arguments)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"closed_on": date(2025, 10, 1)},  # on the start date
        {"start": TODAY, "closed_on": TODAY},
        {"start": date(2026, 4, 1), "closed_on": date(2026, 4, 1)},  # not started yet
        {"reason": CloseReason.other, "note": "Family moved out of state."},
    ],
)
def test_close_allowed(changes):
    close(**changes)


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"closed_on": date(2025, 9, 30)}, "closed_on", "Enter 2025-10-01 or a later date"),
        ({"closed_on": date(2026, 3, 16)}, "closed_on", "in the future"),
        (
            {"start": date(2026, 4, 1), "closed_on": TODAY},
            "closed_on",
            "has not started yet, so it closes on its start date. Enter 2026-04-01.",
        ),
        (
            {"start": date(2026, 4, 1), "closed_on": date(2026, 4, 2)},
            "closed_on",
            "Enter 2026-04-01.",
        ),
        ({"reason": None}, "close_reason", "Choose the reason"),
        ({"reason": "goals_met"}, "close_reason", "Choose the reason"),
        ({"reason": CloseReason.other}, "close_note", "Describe in the note"),
        ({"reason": CloseReason.other, "note": "  \n "}, "close_note", "Describe in the note"),
    ],
)
def test_close_rejected(changes, field, fragment):
    with pytest.raises(RuleViolation) as excinfo:
        close(**changes)
    assert_violation(excinfo, field, fragment)


@pytest.mark.parametrize(
    ("start", "expected"),
    [(date(2025, 10, 1), TODAY), (TODAY, TODAY), (date(2026, 4, 1), date(2026, 4, 1))],
)
def test_default_close_date(start, expected):
    assert default_close_date(start, TODAY) == expected


# Changes to the weekly meeting

LINK = "https://meet.google.com/abc-defg-hij"


@pytest.mark.parametrize("status", [MatchStatus.proposed, MatchStatus.active])
def test_meeting_details_open_match_allowed(status):
    cleaned = clean_meeting_details(status, Weekday.tue, time(16, 30), f" {LINK} ", ["math"])
    assert cleaned == (LINK, ["math"])


@pytest.mark.parametrize(
    ("status", "start_time", "link", "subjects", "field", "fragment"),
    [
        (MatchStatus.closed, time(16, 30), LINK, ["math"], "status", "cannot be changed."),
        (MatchStatus.active, time(22, 0), LINK, ["math"], "slot_time", SLOT_HOURS),
        (MatchStatus.active, time(16, 30), "", ["math"], "meet_link", "Enter the Google Meet"),
        (MatchStatus.active, time(16, 30), LINK, [], "subjects", "Choose at least one subject"),
    ],
)
def test_meeting_details_rejected(status, start_time, link, subjects, field, fragment):
    with pytest.raises(RuleViolation) as excinfo:
        clean_meeting_details(status, Weekday.tue, start_time, link, subjects)
    assert_violation(excinfo, field, fragment)
