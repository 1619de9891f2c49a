from datetime import date
from decimal import Decimal

import pytest

from app.rules.choices import CheckStatus, MentorStatus
from app.rules.errors import RuleViolation
from app.rules.mentor import (
    SCREENING_DATE_LABELS,
    check_against_matches,
    check_capacity,
    check_capacity_value,
    check_clearance_date,
    check_grade_band,
    check_ready,
    check_screening_date,
    check_training_hours,
    clearance_expires_on,
    readiness_problems,
)

TODAY = date(2026, 3, 15)
CLEARED = CheckStatus.cleared


def ready_mentor(**changes):
    """Return readiness arguments for a mentor who is ready, with ``changes`` applied."""
    arguments = {
        "cori_status": CLEARED,
        "cori_cleared_on": date(2025, 1, 10),
        "sori_status": CLEARED,
        "sori_cleared_on": date(2025, 1, 10),
        "training_completed_on": date(2025, 2, 1),
        "training_hours": Decimal("2"),
        "today": TODAY,
    }
    arguments.update(changes)
    return arguments


@pytest.mark.parametrize(
    ("cleared_on", "years", "expected"),
    [
        (date(2023, 3, 15), 3, date(2026, 3, 15)),
        (date(2023, 3, 15), 1, date(2024, 3, 15)),
        # 29 February expires on the last day of February in a common year.
        (date(2024, 2, 29), 3, date(2027, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
    ],
)
def test_clearance_expires_on(cleared_on, years, expected):
    assert clearance_expires_on(cleared_on, years) == expected


@pytest.mark.parametrize(
    "changes",
    [
        {},
        # Cleared 3 years ago tomorrow: the last valid day is today.
        {"cori_cleared_on": date(2023, 3, 16), "sori_cleared_on": date(2023, 3, 16)},
        {"cori_cleared_on": TODAY, "sori_cleared_on": TODAY},
        {"cori_cleared_on": date(2024, 3, 15), "clearance_years": 3},
        {"training_completed_on": TODAY},
        {"training_hours": 2.0},
        {"training_hours": Decimal("2.5")},
        {"training_hours": 1.5, "min_training_hours": 1.5},
    ],
)
def test_mentor_ready(changes):
    assert readiness_problems(**ready_mentor(**changes)) == []
    check_ready(**ready_mentor(**changes))


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"cori_status": CheckStatus.not_started}, "The CORI check is not cleared."),
        ({"cori_status": CheckStatus.submitted}, "The CORI check is not cleared."),
        ({"cori_status": CheckStatus.not_cleared}, "The CORI check is not cleared."),
        ({"sori_status": CheckStatus.submitted}, "The SORI check is not cleared."),
        ({"cori_cleared_on": None}, "The CORI check has no date cleared."),
        ({"sori_cleared_on": None}, "The SORI check has no date cleared."),
        ({"cori_cleared_on": date(2026, 3, 16)}, "The CORI date cleared is in the future."),
        # Cleared exactly 3 years ago: today is the expiry date, so it has expired.
        ({"cori_cleared_on": date(2023, 3, 15)}, "The CORI clearance has expired."),
        ({"sori_cleared_on": date(2023, 3, 15)}, "The SORI clearance has expired."),
        (
            {
                "cori_cleared_on": date(2025, 3, 15),
                "sori_cleared_on": date(2025, 3, 16),
                "clearance_years": 1,
            },
            "The CORI clearance has expired.",
        ),
        ({"training_completed_on": None}, "Training is not completed."),
        (
            {"training_completed_on": date(2026, 3, 16)},
            "The training completion date is in the future.",
        ),
        ({"training_hours": None}, "Training hours are fewer than the minimum required."),
        (
            {"training_hours": Decimal("1.99")},
            "Training hours are fewer than the minimum required.",
        ),
        ({"training_hours": 1.5}, "Training hours are fewer than the minimum required."),
        (
            {"training_hours": Decimal("2.5"), "min_training_hours": 3},
            "Training hours are fewer than the minimum required.",
        ),
    ],
)
def test_mentor_not_ready(changes, reason):
    assert readiness_problems(**ready_mentor(**changes)) == [reason]
    with pytest.raises(RuleViolation) as excinfo:
        check_ready(**ready_mentor(**changes))
    assert excinfo.value.field == "mentor"
    assert excinfo.value.render() == f"This mentor is not ready to match. {reason}"


def test_mentor_not_ready_lists_every_reason():
    arguments = ready_mentor(
        cori_status=CheckStatus.submitted,
        sori_cleared_on=date(2020, 1, 1),
        training_completed_on=None,
        training_hours=None,
    )
    assert readiness_problems(**arguments) == [
        "The CORI check is not cleared.",
        "The SORI clearance has expired.",
        "Training is not completed.",
        "Training hours are fewer than the minimum required.",
    ]


@pytest.mark.parametrize(
    ("open_matches", "capacity"),
    [(0, 1), (1, 2), (2, 3), (0, 10), (9, 10)],
)
def test_capacity_has_room(open_matches, capacity):
    check_capacity(open_matches, capacity)


@pytest.mark.parametrize(
    ("open_matches", "capacity"),
    [(1, 1), (2, 2), (3, 2), (10, 10)],
)
def test_capacity_full(open_matches, capacity):
    with pytest.raises(RuleViolation) as excinfo:
        check_capacity(open_matches, capacity)
    assert excinfo.value.field == "mentor"
    assert f"are {open_matches} and the capacity is {capacity}" in excinfo.value.render()


@pytest.mark.parametrize("capacity", [1, 2, 10])
def test_capacity_value_allowed(capacity):
    check_capacity_value(capacity)


@pytest.mark.parametrize("capacity", [0, 11, -1, True, 1.5, None, "2"])
def test_capacity_value_rejected(capacity):
    with pytest.raises(RuleViolation) as excinfo:
        check_capacity_value(capacity)
    assert excinfo.value.field == "capacity"
    assert "from 1 to 10 open matches" in excinfo.value.render()


@pytest.mark.parametrize("field", list(SCREENING_DATE_LABELS))
@pytest.mark.parametrize("day", [None, date(2020, 1, 1), TODAY])
def test_screening_date_allowed(field, day):
    check_screening_date(day, TODAY, field)


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("application_date", "The application date is in the future."),
        ("interview_date", "The interview date is in the future."),
        ("cori_cleared_on", "The CORI date cleared is in the future."),
        ("sori_cleared_on", "The SORI date cleared is in the future."),
        ("training_completed_on", "The training completion date is in the future."),
    ],
)
def test_screening_date_tomorrow_rejected(field, message):
    with pytest.raises(RuleViolation) as excinfo:
        check_screening_date(date(2026, 3, 16), TODAY, field)
    assert excinfo.value.field == field
    assert excinfo.value.render() == f"{message} Enter today's date or an earlier one."


@pytest.mark.parametrize(("low", "high"), [(1, 12), (1, 1), (12, 12), (3, 8)])
def test_grade_band_allowed(low, high):
    check_grade_band(low, high)


@pytest.mark.parametrize(
    ("low", "high", "field", "message"),
    [
        (0, 12, "grade_band_min", "Enter a grade from 1 to 12."),
        (None, 12, "grade_band_min", "Enter a grade from 1 to 12."),
        (1, 13, "grade_band_max", "Enter a grade from 1 to 12."),
        (1, None, "grade_band_max", "Enter a grade from 1 to 12."),
        (
            9,
            3,
            "grade_band_max",
            "The highest grade is below the lowest grade. Enter a band such as 3 to 8.",
        ),
    ],
)
def test_grade_band_rejected(low, high, field, message):
    with pytest.raises(RuleViolation) as excinfo:
        check_grade_band(low, high)
    assert excinfo.value.field == field
    assert excinfo.value.render() == message


@pytest.mark.parametrize(
    ("status", "cleared_on"),
    [
        (CLEARED, date(2025, 1, 10)),
        (CheckStatus.submitted, None),
        (CheckStatus.not_started, None),
        (CheckStatus.not_cleared, None),
        (None, None),
    ],
)
def test_clearance_date_allowed(status, cleared_on):
    check_clearance_date(status, cleared_on, "cori_cleared_on")


def test_clearance_date_missing_rejected():
    with pytest.raises(RuleViolation) as excinfo:
        check_clearance_date(CLEARED, None, "sori_cleared_on")
    assert excinfo.value.field == "sori_cleared_on"
    assert excinfo.value.render() == (
        "Enter the date the check cleared. A cleared check needs it to count as valid."
    )


@pytest.mark.parametrize("hours", [None, Decimal("0"), Decimal("2.5"), Decimal("9999.9")])
def test_training_hours_allowed(hours):
    check_training_hours(hours)


@pytest.mark.parametrize("hours", [Decimal("-0.1"), Decimal("10000"), Decimal("9999.95")])
def test_training_hours_rejected(hours):
    with pytest.raises(RuleViolation) as excinfo:
        check_training_hours(hours)
    assert excinfo.value.field == "training_hours"
    assert excinfo.value.render() == "Enter the training hours as a number from 0 to 9999.9."


# Capacity and status against the mentor's matches


@pytest.mark.parametrize(
    ("status", "capacity", "open_matches", "active_matches"),
    [
        (MentorStatus.ready, 2, 2, 0),  # capacity equal to the open matches
        (MentorStatus.inactive, 1, 0, 0),
        (MentorStatus.matched, 1, 1, 1),
        (MentorStatus.screening, 1, 0, 0),
    ],
)
def test_against_matches_allowed(status, capacity, open_matches, active_matches):
    check_against_matches(status, capacity, open_matches, active_matches)


@pytest.mark.parametrize(
    ("status", "capacity", "open_matches", "active_matches", "field", "fragment"),
    [
        (
            MentorStatus.ready,
            1,
            2,
            0,
            "capacity",
            "This mentor has 2 open matches; close or move some before lowering the "
            "capacity below 2.",
        ),
        (MentorStatus.inactive, 1, 1, 0, "status", "Close them before setting the status"),
        (MentorStatus.matched, 1, 1, 0, "status", "has no active match"),
    ],
)
def test_against_matches_rejected(status, capacity, open_matches, active_matches, field, fragment):
    with pytest.raises(RuleViolation) as excinfo:
        check_against_matches(status, capacity, open_matches, active_matches)
    assert excinfo.value.field == field
    assert fragment in excinfo.value.render()
