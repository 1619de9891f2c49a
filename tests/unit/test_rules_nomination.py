from datetime import UTC, date, datetime

import pytest

from app.rules.choices import Need, NominatorKind
from app.rules.email import clean_email
from app.rules.errors import RuleViolation
from app.rules.nomination import (
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    check_age_for_grade,
    check_birth_date,
    check_nominator,
    clean_codes,
    clean_line,
    clean_name,
    clean_phone,
    clean_text,
    guardian_required,
    normalize_name,
    parse_grade,
)
from app.rules.timezone import program_today

TODAY = date(2026, 10, 15)  # school year starting 1 September 2026


def assert_violation(excinfo, field, fragment):
    assert excinfo.value.field == field
    assert fragment in excinfo.value.render()


# Grade


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("12", 12),
        (" 7 ", 7),
        ("\t3\n", 3),
        (1, 1),
        (12, 12),
        ("\u0661", 1),
        ("\u0661\u0662", 12),
        ("\uff14", 4),
    ],
)
def test_parse_grade_accepts(raw, expected):
    assert parse_grade(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "K",
        "PK",
        "k",
        "0",
        "13",
        "12th",
        "1st",
        "1.0",
        "01",
        "+1",
        "-1",
        "1 2",
        "",
        "   ",
        None,
        0,
        13,
        -1,
        True,
        False,
        1.0,
        "\u0660\u0661",
        "\u0661\u0663",
        "\u00b9",
    ],
)
def test_parse_grade_rejects(raw):
    with pytest.raises(RuleViolation) as excinfo:
        parse_grade(raw)
    assert_violation(excinfo, "student_grade", "serves grades 1 to 12")


# Date of birth and age against grade


def test_birth_date_today_allowed():
    check_birth_date(TODAY, TODAY)


@pytest.mark.parametrize("field", ["student_date_of_birth", "other_date"])
def test_birth_date_tomorrow_rejected(field):
    with pytest.raises(RuleViolation) as excinfo:
        check_birth_date(date(2026, 10, 16), TODAY, field)
    assert_violation(excinfo, field, "in the future")


@pytest.mark.parametrize(
    ("birth", "grade", "today"),
    [
        (date(2021, 9, 1), 1, TODAY),  # grade 1, age 5 on 1 September: one year early
        (date(2020, 9, 2), 1, TODAY),  # grade 1, age 5, turns 6 the next day
        (date(2020, 9, 1), 1, TODAY),  # grade 1, age 6
        (date(2013, 9, 1), 8, TODAY),  # grade 8, age 13
        (date(2005, 9, 1), 12, TODAY),  # age 21 on 1 September
        (date(2004, 9, 2), 12, TODAY),  # still 21 on 1 September, 22 the next day
        # In July and August the coming school year counts: 5 on 1 September 2026.
        (date(2021, 9, 1), 1, date(2026, 7, 1)),
        (date(2021, 9, 1), 1, date(2026, 8, 31)),
    ],
)
def test_age_for_grade_allowed(birth, grade, today):
    check_age_for_grade(birth, grade, today)


@pytest.mark.parametrize(
    ("birth", "grade", "today"),
    [
        (date(2021, 9, 2), 1, TODAY),  # grade 1, age 4 on 1 September
        (date(2022, 9, 1), 1, TODAY),  # grade 1, age 4 on its birthday
        (date(2014, 9, 2), 8, TODAY),  # grade 8, age 11
        (date(2004, 9, 1), 12, TODAY),  # age 22 on 1 September
        (date(2004, 9, 1), 9, TODAY),  # age 22 in any grade
        # In June the school year that started last September counts: age 4 then.
        (date(2021, 9, 1), 1, date(2026, 6, 30)),
    ],
)
def test_age_for_grade_rejected(birth, grade, today):
    with pytest.raises(RuleViolation) as excinfo:
        check_age_for_grade(birth, grade, today)
    assert_violation(excinfo, "student_date_of_birth", "grade and the date of birth do not fit")


def test_age_for_grade_message_names_limits():
    with pytest.raises(RuleViolation) as excinfo:
        check_age_for_grade(date(2021, 9, 2), 1, TODAY)
    message = excinfo.value.render()
    assert "1 September 2026" in message
    assert "grade 1 is from 5 to 21 years old" in message


# Who may nominate


@pytest.mark.parametrize(
    ("kind", "birth", "today"),
    [
        (NominatorKind.self, date(2008, 5, 10), date(2026, 5, 10)),  # 18th birthday
        (NominatorKind.self, date(2000, 1, 1), TODAY),
        (NominatorKind.self, date(2008, 2, 29), date(2026, 3, 1)),
        (NominatorKind.parent_guardian, date(2015, 1, 1), TODAY),
        (NominatorKind.school_staff, date(2015, 1, 1), TODAY),
    ],
)
def test_nominator_allowed(kind, birth, today):
    check_nominator(kind, birth, today)


@pytest.mark.parametrize(
    ("birth", "today"),
    [
        (date(2008, 5, 10), date(2026, 5, 9)),  # 17, a day before turning 18
        (date(2008, 2, 29), date(2026, 2, 28)),  # 29 February: 18 only on 1 March
        (date(2015, 1, 1), TODAY),
    ],
)
def test_self_nomination_under_18_rejected(birth, today):
    with pytest.raises(RuleViolation) as excinfo:
        check_nominator(NominatorKind.self, birth, today)
    assert_violation(excinfo, "nominator_kind", "parent or guardian, or a BPS school staff member")


def test_self_nomination_judged_on_boston_date():
    # 04:30 UTC on the 18th birthday is still the evening before in Boston.
    submitted = datetime(2026, 3, 1, 4, 30, tzinfo=UTC)
    with pytest.raises(RuleViolation):
        check_nominator(NominatorKind.self, date(2008, 3, 1), program_today(submitted))
    later = datetime(2026, 3, 1, 5, 0, tzinfo=UTC)
    check_nominator(NominatorKind.self, date(2008, 3, 1), program_today(later))


@pytest.mark.parametrize("call", [check_nominator, guardian_required])
def test_nominator_kind_code_string_raises(call):
    with pytest.raises(TypeError):
        call("self", date(2015, 1, 1), TODAY)


@pytest.mark.parametrize(
    ("kind", "birth", "today", "expected"),
    [
        (NominatorKind.school_staff, date(2008, 5, 10), date(2026, 5, 9), True),
        (NominatorKind.school_staff, date(2008, 5, 10), date(2026, 5, 10), False),
        (NominatorKind.parent_guardian, date(2015, 1, 1), TODAY, False),
        (NominatorKind.self, date(2000, 1, 1), TODAY, False),
    ],
)
def test_guardian_required(kind, birth, today, expected):
    assert guardian_required(kind, birth, today) is expected


# Names


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("Ana", "Silva", "ana|silva"),
        ("  ANA ", " SILVA  ", "ana|silva"),
        ("José", "Díaz", "jose|diaz"),
        ("Jose\u0301", "Di\u0301az", "jose|diaz"),  # decomposed accents
        ("Mary-Jane", "O'Neil", "mary jane|o neil"),
        ("Mary  Jane", "O\u2019Neil", "mary jane|o neil"),
        ("Nguyễn", "Thị", "nguyen|thi"),
        ("Straße", "X", "strasse|x"),
        ("Ana|Maria", "Silva", "ana maria|silva"),
        ("陳", "大文", "陳|大文"),
    ],
)
def test_normalize_name(first, last, expected):
    assert normalize_name(first, last) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Ana", "Ana"),
        ("  Ana   Maria ", "Ana Maria"),
        ("O'Neil-Díaz", "O'Neil-Díaz"),
        ("Jose\u0301", "José"),  # stored in NFC
        ("陳大文", "陳大文"),
        ("a" * MAX_NAME_LENGTH, "a" * MAX_NAME_LENGTH),
    ],
)
def test_clean_name_accepts(value, expected):
    assert clean_name(value, "student_first_name") == expected


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (None, "Enter a name"),
        ("   ", "Enter a name"),
        ("Ana\nBcc: x@example.com", "line break"),
        ("Ana\rMaria", "line break"),
        ("Ana\x00", "hidden character"),
        ("Ana\tMaria", "hidden character"),
        ("Ana\u202eairaM", "hidden character"),
        ("a" * (MAX_NAME_LENGTH + 1), "at most 100 characters"),
        ("12345", "at least one letter"),
        ("--", "at least one letter"),
    ],
)
def test_clean_name_rejects(value, fragment):
    with pytest.raises(RuleViolation) as excinfo:
        clean_name(value, "student_first_name")
    assert_violation(excinfo, "student_first_name", fragment)


@pytest.mark.parametrize("value", [None, "", "  "])
def test_clean_name_optional_blank_is_none(value):
    assert clean_name(value, "student_preferred_name", required=False) is None


# E-mail

# 254 characters: a 64-character local part and a domain of three 61-character labels.
LONGEST_ADDRESS = "a" * 64 + "@" + ".".join(["b" * 61] * 3) + ".com"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ana@example.com", "ana@example.com"),
        ("  Ana.Silva@Example.COM ", "Ana.Silva@example.com"),
        ("ana+ils@mail.example.org", "ana+ils@mail.example.org"),
        ("ana@example.com\r\n", "ana@example.com"),  # outer whitespace is stripped
        (LONGEST_ADDRESS, LONGEST_ADDRESS),
    ],
)
def test_clean_email_accepts(value, expected):
    assert clean_email(value, "nominator_email", required=True) == expected


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (None, "Enter an e-mail address"),
        ("  ", "Enter an e-mail address"),
        ("ana@example.com\r\nBcc: x@example.org", "line break"),
        ("ana@example.com\nBcc: x@example.org", "line break"),
        ("ana\x00@example.com", "line break"),
        ("ana", "valid e-mail address"),
        ("ana@example", "valid e-mail address"),
        ("ana@@example.com", "valid e-mail address"),
        ("ana@b@example.com", "valid e-mail address"),
        ("@example.com", "valid e-mail address"),
        ("ana@.com", "valid e-mail address"),
        ("ana@example.", "valid e-mail address"),
        ("ana@example..com", "valid e-mail address"),
        ("ana silva@example.com", "valid e-mail address"),
        ("ana,bob@example.com", "valid e-mail address"),
        ("Ana <ana@example.com>", "valid e-mail address"),
        ("a" * 65 + "@example.com", "valid e-mail address"),
        (LONGEST_ADDRESS + "m", "valid e-mail address"),  # 255 characters
    ],
)
def test_clean_email_rejects(value, fragment):
    with pytest.raises(RuleViolation) as excinfo:
        clean_email(value, "nominator_email", required=True)
    assert_violation(excinfo, "nominator_email", fragment)


def test_clean_email_optional_blank_is_none():
    assert clean_email("  ", "student_email", required=False) is None


# Phone


@pytest.mark.parametrize(
    "value",
    [
        "6175550123",
        "617-555-0123",
        "617.555.0123",
        "(617) 555-0123",
        " (617)555-0123 ",
        "1 617 555 0123",
        "+1 (617) 555-0123",
        "+16175550123",
        "\u0666\u0661\u0667\u0665\u0665\u0665\u0660\u0661\u0662\u0663",  # Arabic-Indic digits
        "\uff16\uff11\uff17\uff15\uff15\uff15\uff10\uff11\uff12\uff13",  # full-width digits
    ],
)
def test_clean_phone_formats(value):
    assert clean_phone(value, "nominator_phone") == "(617) 555-0123"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_clean_phone_blank_is_none(value):
    assert clean_phone(value, "nominator_phone") is None


@pytest.mark.parametrize(
    "value",
    [
        "555-0123",  # no area code
        "617555012",  # 9 digits
        "61755501234",  # 11 digits not starting with 1
        "2 617 555 0123",
        "+44 20 7946 0958",
        "+6175550123",  # + without country code 1
        "017-555-0123",  # area code starts with 0
        "117-555-0123",  # area code starts with 1
        "617-055-0123",  # exchange starts with 0
        "617-155-0123",  # exchange starts with 1
        "617-555-0123 x12",
        "617-555-0123\r\nBcc: x@example.org",
        "617\n555\n0123",
        "617-555-O123",  # letter O
        "1-800-FLOWERS",
    ],
)
def test_clean_phone_rejects(value):
    with pytest.raises(RuleViolation) as excinfo:
        clean_phone(value, "nominator_phone")
    assert_violation(excinfo, "nominator_phone", "US phone number with its area code")


# Free text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("   ", None),
        ("  Needs help with fractions. ", "Needs help with fractions."),
        ("line one\r\nline two\rline three", "line one\nline two\nline three"),
        ("a\tb", "a\tb"),
        ("x" * MAX_TEXT_LENGTH, "x" * MAX_TEXT_LENGTH),
        # A CR LF pair counts as one character once it becomes LF.
        ("x" * (MAX_TEXT_LENGTH - 2) + "\r\n" + "x", "x" * (MAX_TEXT_LENGTH - 2) + "\nx"),
    ],
)
def test_clean_text_accepts(value, expected):
    assert clean_text(value, "description") == expected


@pytest.mark.parametrize(
    ("value", "max_length", "fragment"),
    [
        ("a\x00b", MAX_TEXT_LENGTH, "hidden control character"),
        ("a\x1bb", MAX_TEXT_LENGTH, "hidden control character"),
        ("a\x7fb", MAX_TEXT_LENGTH, "hidden control character"),
        ("x" * (MAX_TEXT_LENGTH + 1), MAX_TEXT_LENGTH, "at most 2000 characters"),
        ("x" * 11, 10, "at most 10 characters. It has 11"),
    ],
)
def test_clean_text_rejects(value, max_length, fragment):
    with pytest.raises(RuleViolation) as excinfo:
        clean_text(value, "description", max_length)
    assert_violation(excinfo, "description", fragment)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("  \n ", None),
        ("  Spanish,   Haitian Creole ", "Spanish, Haitian Creole"),
        ("English\r\nSpanish\tFrench", "English Spanish French"),
    ],
)
def test_clean_line_accepts(value, expected):
    assert clean_line(value, "home_languages", 200) == expected


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("Spanish\x00", "hidden control character"),
        ("x" * 201, "at most 200 characters"),
    ],
)
def test_clean_line_rejects(value, fragment):
    with pytest.raises(RuleViolation) as excinfo:
        clean_line(value, "home_languages", 200)
    assert_violation(excinfo, "home_languages", fragment)


# Codes from checkbox and select fields

NEEDS = Need.codes()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], []),
        (["math"], ["math"]),
        (["reading", "math", "reading"], ["reading", "math"]),
        ([" math ", "", "science"], ["math", "science"]),
    ],
)
def test_clean_codes_accepts(values, expected):
    assert clean_codes(values, NEEDS, "needs") == expected


def test_clean_codes_allowed_may_be_generator():
    assert clean_codes(["math"], (code for code in NEEDS), "needs") == ["math"]


@pytest.mark.parametrize(
    ("values", "required", "fragment"),
    [
        (["math", "cooking"], False, "cooking is not one of the options"),
        (["Math"], False, "Math is not one of the options"),
        ([3], False, "3 is not one of the options"),
        ([], True, "Choose at least one option"),
        (["", "  "], True, "Choose at least one option"),
    ],
)
def test_clean_codes_rejects(values, required, fragment):
    with pytest.raises(RuleViolation) as excinfo:
        clean_codes(values, NEEDS, "needs", required=required)
    assert_violation(excinfo, "needs", fragment)
