import pytest

from app.rules.errors import RuleViolation
from app.rules.school import MAX_SCHOOL_NAME_LENGTH, clean_dese_code, clean_school_name


def assert_violation(excinfo, field, message):
    assert excinfo.value.field == field
    assert excinfo.value.render() == message


@pytest.mark.parametrize(
    ("code", "expected"), [("00350001", "00350001"), (" 00350001 ", "00350001")]
)
def test_dese_code_accepted(code, expected):
    assert clean_dese_code(code) == expected


@pytest.mark.parametrize("code", [None, "", "0035001", "003500012", "0035000A", "0035 0001"])
def test_dese_code_rejected(code):
    with pytest.raises(RuleViolation) as excinfo:
        clean_dese_code(code)
    assert_violation(excinfo, "dese_code", "Enter the 8-digit DESE school code, such as 00350001.")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("  New   Pilot School ", "New Pilot School"),
        ("x" * MAX_SCHOOL_NAME_LENGTH, "x" * MAX_SCHOOL_NAME_LENGTH),
    ],
)
def test_school_name_accepted(name, expected):
    assert clean_school_name(name) == expected


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (None, "Enter the school's name."),
        ("   ", "Enter the school's name."),
        ("Bad\nName", "The name contains a line break or a hidden character. Retype the name."),
        ("Bad\tName", "The name contains a line break or a hidden character. Retype the name."),
        ("Bad\x00Name", "The name contains a line break or a hidden character. Retype the name."),
        ("x" * (MAX_SCHOOL_NAME_LENGTH + 1), "Enter a name of at most 200 characters."),
    ],
)
def test_school_name_rejected(name, message):
    with pytest.raises(RuleViolation) as excinfo:
        clean_school_name(name)
    assert_violation(excinfo, "name", message)
