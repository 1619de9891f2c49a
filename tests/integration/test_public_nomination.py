"""The public nomination page: who may nominate, each rejection, and refused POSTs."""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import time
import uuid

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.models import Nomination, NominationStatusChange, School
from app.models.types import utcnow
from app.rules.choices import NominationStatus, NominatorKind
from app.rules.timezone import program_today, school_year_start
from tests.conftest import make_app

FORM_URL = "/nominate/"
CONFIRMATION_URL = "/nominate/thanks"
REFERENCE_PATTERN = re.compile(r"ILS-[A-HJKMNP-Z2-9]{8}")

TODAY = program_today(utcnow())
SEPTEMBER_YEAR = school_year_start(TODAY).year


def born_aged(age_on_1_september: int) -> str:
    """Return a date of birth (YYYY-MM-DD) for a student of that age on 1 September."""
    return dt.date(SEPTEMBER_YEAR - age_on_1_september, 3, 15).isoformat()


def open_school_code() -> str:
    return db.session.execute(
        select(School.dese_code).where(School.retired.is_(False)).order_by(School.name).limit(1)
    ).scalar_one()


def parent_form(**overrides) -> dict:
    """Return a valid parent's nomination for a sixth grader; overrides replace fields."""
    form = {
        "nominator_kind": "parent_guardian",
        "nominator_first_name": "Maria",
        "nominator_last_name": "Rivera",
        "nominator_email": "maria.rivera@example.org",
        "nominator_phone": "617 555 0123",
        "student_first_name": "Lucas",
        "student_last_name": "Rivera",
        "student_date_of_birth": born_aged(12),
        "student_grade": "6",
        "student_school": open_school_code(),
        "language": "es",
        "home_languages": "Spanish, English",
        "needs": ["math", "reading"],
        "needs_description": "Fractions are hard.",
        "availability": ["mon_afternoon", "wed_early_evening"],
        "consent_privacy": "y",
        "consent_online_sessions": "y",
        "attest_relationship": "y",
        "website": "",
    }
    form.update(overrides)
    return {name: value for name, value in form.items() if value is not None}


def staff_form(**overrides) -> dict:
    """Return a valid staff nomination for a minor, with the guardian contact."""
    values = {
        "nominator_kind": "school_staff",
        "nominator_first_name": "Dana",
        "nominator_last_name": "Teacher",
        "nominator_email": "dana.teacher@bostonpublicschools.org",
        "staff_role": "Math teacher",
        "guardian_first_name": "Kim",
        "guardian_last_name": "Nguyen",
        "guardian_phone": "(857) 555-0199",
        "student_first_name": "Bao",
        "student_last_name": "Nguyen",
        "language": "vi",
    }
    values.update(overrides)
    return parent_form(**values)


def self_form(**overrides) -> dict:
    """Return a valid self-nomination by a 19-year-old in grade 12."""
    values = {
        "nominator_kind": "self",
        "nominator_first_name": "Sam",
        "nominator_last_name": "Okafor",
        "nominator_email": "sam.okafor@example.org",
        "student_first_name": "Sam",
        "student_last_name": "Okafor",
        "student_date_of_birth": born_aged(19),
        "student_grade": "12",
        "student_email": "sam.okafor@example.org",
        "language": "en",
        "consent_online_sessions": None,
        "attest_relationship": None,
    }
    values.update(overrides)
    return parent_form(**values)


def count_rows(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def field_error(page: str, field: str) -> str | None:
    """Return the error message shown next to ``field``, or None."""
    found = re.search(
        rf'id="{field}-error">\s*<span class="visually-hidden">Error:</span>\s*(.*?)\s*</p>',
        page,
        re.S,
    )
    return html.unescape(found.group(1)) if found else None


def field_value(page: str, field: str) -> str | None:
    """Return the value the text input ``field`` shows, or None."""
    found = re.search(rf'<input[^>]*\bname="{field}"[^>]*?\bvalue="([^"]*)"', page, re.S)
    return html.unescape(found.group(1)) if found else None


def submit(client, form: dict):
    return client.post(FORM_URL, data=form)


# Accepted nominations


@pytest.mark.parametrize(
    ("case", "form_builder", "kind"),
    [
        ("parent", parent_form, NominatorKind.parent_guardian),
        ("staff with guardian", staff_form, NominatorKind.school_staff),
        ("self aged 19", self_form, NominatorKind.self),
    ],
)
def test_nomination_accepted(client, case, form_builder, kind):
    form = form_builder()

    response = submit(client, form)

    assert response.status_code == 302, case
    assert response.location.endswith(CONFIRMATION_URL)
    nomination = db.session.execute(select(Nomination)).scalar_one()
    assert REFERENCE_PATTERN.fullmatch(nomination.reference)
    assert nomination.nominator_kind is kind
    assert nomination.status is NominationStatus.new
    assert nomination.language == form["language"]
    assert nomination.student_date_of_birth.isoformat() == form["student_date_of_birth"]
    assert nomination.school.dese_code == form["student_school"]
    assert nomination.duplicate_of_id is None
    [change] = nomination.status_changes
    assert change.from_status is None
    assert change.to_status is NominationStatus.new
    assert change.changed_by_id is None

    confirmation = client.get(CONFIRMATION_URL)
    assert confirmation.status_code == 200
    assert nomination.reference in confirmation.get_data(as_text=True)
    assert nomination.reference not in response.location


def test_parent_becomes_guardian_contact(client):
    submit(client, parent_form())

    nomination = db.session.execute(select(Nomination)).scalar_one()
    assert nomination.guardian_first_name == "Maria"
    assert nomination.guardian_last_name == "Rivera"
    assert nomination.guardian_email == "maria.rivera@example.org"
    assert nomination.guardian_phone == "(617) 555-0123"
    assert nomination.needs == ["math", "reading"]
    assert nomination.availability == ["mon_afternoon", "wed_early_evening"]


def test_self_nomination_has_no_guardian(client):
    submit(client, self_form(guardian_first_name="Ignored", guardian_email="x@example.org"))

    nomination = db.session.execute(select(Nomination)).scalar_one()
    assert nomination.guardian_first_name is None
    assert nomination.guardian_email is None
    assert nomination.attest_relationship is False


def test_staff_guardian_stored(client):
    submit(client, staff_form())

    nomination = db.session.execute(select(Nomination)).scalar_one()
    assert nomination.staff_role == "Math teacher"
    assert nomination.guardian_last_name == "Nguyen"
    assert nomination.guardian_phone == "(857) 555-0199"
    assert nomination.attest_relationship is True


def test_form_page_lists_choices(client):
    page = client.get(FORM_URL).get_data(as_text=True)

    assert '<html lang="en" dir="ltr">' in page
    assert '<option value="ht" lang="ht">Kreyòl Ayisyen</option>' in page
    assert f'<option value="{open_school_code()}"' in page
    assert 'name="availability" value="sat_evening"' in page
    assert 'name="website"' in page
    assert "immigration status" in page  # only in the privacy notice, never as a field
    assert 'name="ssn"' not in page


# Rejections: one cause per case, each with its message next to its field.
# Forms are built in the test, because the school code comes from the database.

REJECTIONS = [
    (
        "self under 18",
        self_form,
        dict(student_date_of_birth=born_aged(16), student_grade="10"),
        "nominator_kind",
        "Students under 18 cannot nominate themselves. A parent or guardian, or a "
        "BPS school staff member, must submit the nomination.",
    ),
    (
        "grade K",
        parent_form,
        dict(student_grade="K"),
        "student_grade",
        "The program serves grades 1 to 12. Enter the grade as a number from 1 to 12.",
    ),
    (
        "grade 0",
        parent_form,
        dict(student_grade="0"),
        "student_grade",
        "The program serves grades 1 to 12. Enter the grade as a number from 1 to 12.",
    ),
    (
        "grade 13",
        parent_form,
        dict(student_grade="13"),
        "student_grade",
        "The program serves grades 1 to 12. Enter the grade as a number from 1 to 12.",
    ),
    (
        "too young for grade",
        parent_form,
        dict(student_date_of_birth=born_aged(9)),
        "student_date_of_birth",
        f"The grade and the date of birth do not fit together. On 1 September "
        f"{SEPTEMBER_YEAR}, a student in grade 6 is from 10 to 21 years old. Check both "
        "the grade and the date of birth.",
    ),
    (
        "older than 21",
        self_form,
        dict(student_date_of_birth=born_aged(22)),
        "student_date_of_birth",
        f"The grade and the date of birth do not fit together. On 1 September "
        f"{SEPTEMBER_YEAR}, a student in grade 12 is from 16 to 21 years old. Check both "
        "the grade and the date of birth.",
    ),
    (
        "birth date not a date",
        parent_form,
        dict(student_date_of_birth="15/03/2013"),
        "student_date_of_birth",
        "Enter the date of birth as year, month and day, such as 2012-03-15.",
    ),
    (
        "privacy consent missing",
        parent_form,
        dict(consent_privacy=None),
        "consent_privacy",
        "Agree to the privacy notice to send the nomination.",
    ),
    (
        "online consent missing for minor",
        parent_form,
        dict(consent_online_sessions=None),
        "consent_online_sessions",
        "Agree to online sessions with a program proctor present. "
        "Students under 18 need this consent.",
    ),
    (
        "bad e-mail",
        parent_form,
        dict(nominator_email="maria.rivera@example"),
        "nominator_email",
        "Enter a valid e-mail address, such as name@example.com.",
    ),
    (
        "nominator e-mail missing",
        parent_form,
        dict(nominator_email=""),
        "nominator_email",
        "Enter an e-mail address.",
    ),
    (
        "self without student e-mail",
        self_form,
        dict(student_email=""),
        "student_email",
        "Enter an e-mail address.",
    ),
    (
        "bad phone",
        parent_form,
        dict(nominator_phone="555-0123"),
        "nominator_phone",
        "Enter a US phone number with its area code, such as (617) 555-0123.",
    ),
    (
        "school missing",
        parent_form,
        dict(student_school=""),
        "student_school",
        "Choose the student's school from the list.",
    ),
    (
        "unknown need",
        parent_form,
        dict(needs=["math", "astrology"]),
        "needs",
        "astrology is not one of the options. Choose from the options listed.",
    ),
    (
        "no need chosen",
        parent_form,
        dict(needs=None),
        "needs",
        "Choose at least one option.",
    ),
    (
        "other need undescribed",
        parent_form,
        dict(needs=["other"]),
        "needs_other",
        "Describe the other area of need.",
    ),
    (
        "description too long",
        parent_form,
        dict(needs_description="x" * 2001),
        "needs_description",
        "Shorten the text to at most 2000 characters. It has 2001 characters now.",
    ),
    (
        "line break in a name",
        parent_form,
        dict(student_first_name="Lucas\r\nBcc: someone@example.org"),
        "student_first_name",
        "The name contains a line break or a hidden character. Retype the name.",
    ),
    (
        "parent without attestation",
        parent_form,
        dict(attest_relationship=None),
        "attest_relationship",
        "Confirm that you are the student's parent or legal guardian.",
    ),
    (
        "staff without role",
        staff_form,
        dict(staff_role=""),
        "staff_role",
        "Enter your role at the school, such as teacher.",
    ),
    (
        "staff without guardian name",
        staff_form,
        dict(guardian_first_name=""),
        "guardian_first_name",
        "Enter a name.",
    ),
    (
        "staff without guardian contact",
        staff_form,
        dict(guardian_phone=""),
        "guardian_email",
        "Enter the parent or guardian's e-mail address or phone number.",
    ),
    (
        "staff without family attestation",
        staff_form,
        dict(attest_relationship=None),
        "attest_relationship",
        "Confirm that the student's family knows about this nomination.",
    ),
    (
        "unknown language",
        parent_form,
        dict(language="xx"),
        "language",
        "Choose a language from the list.",
    ),
]


@pytest.mark.parametrize(
    ("case", "builder", "overrides", "field", "message"),
    REJECTIONS,
    ids=[case for case, *_ in REJECTIONS],
)
def test_nomination_rejected(client, case, builder, overrides, field, message):
    form = builder(**overrides)

    response = submit(client, form)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(page, field) == message
    assert f'aria-describedby="{field}-error"' in page or f'{field}-hint {field}-error"' in page
    assert f'<a href="#{field}">' in page, "the error summary links to the field"
    assert field_value(page, "nominator_email") == form["nominator_email"]
    assert field_value(page, "student_last_name") == form["student_last_name"]
    assert count_rows(Nomination) == 0
    assert count_rows(NominationStatusChange) == 0


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("maria..lopez@example.org", "Enter a valid e-mail address, such as name@example.com."),
        (".maria@example.org", "Enter a valid e-mail address, such as name@example.com."),
        ("maria@example.test", "Enter a valid e-mail address, such as name@example.com."),
        ("maria@-bad.example.org", "Enter a valid e-mail address, such as name@example.com."),
        ("maria@exa_mple.org", "Enter a valid e-mail address, such as name@example.com."),
        ("maria@example.123", "Enter a valid e-mail address, such as name@example.com."),
        (
            "josé@example.org",
            "Use only the letters a to z, digits and . _ - + before the @ of the e-mail address.",
        ),
    ],
)
def test_invalid_address_rejected_on_form(client, address, message):
    form = parent_form(nominator_email=address)

    page = submit(client, form).get_data(as_text=True)

    assert field_error(page, "nominator_email") == message
    assert field_value(page, "nominator_email") == address
    assert count_rows(Nomination) == 0


def test_mailer_rejection_shows_form_wording(client, monkeypatch):
    """A value the mailer rejects after the form's checks gets the form's message."""
    from app.mail import queue
    from app.mail.headers import MailHeaderInvalid

    def reject(*_args, **_kwargs):
        raise MailHeaderInvalid("nominator_email", "staff wording on %(label)s", label="x")

    monkeypatch.setattr(queue, "current_address", reject)

    page = submit(client, parent_form()).get_data(as_text=True)

    assert field_error(page, "nominator_email") == (
        "Enter a valid e-mail address, such as name@example.com."
    )
    assert "staff wording" not in page
    assert count_rows(Nomination) == 0


# The allowed twin of each boundary above
ACCEPTED_BOUNDARIES = [
    ("grade 1 at age 5", parent_form, dict(student_grade="1", student_date_of_birth=born_aged(5))),
    ("grade 12 at age 21", self_form, dict(student_date_of_birth=born_aged(21))),
    ("grade 6 at age 10", parent_form, dict(student_date_of_birth=born_aged(10))),
    ("adult self without online consent", self_form, dict(consent_online_sessions=None)),
    ("phone with +1", parent_form, dict(nominator_phone="+1 617-555-0123")),
    ("description of 2000", parent_form, dict(needs_description="x" * 2000)),
    ("other need described", parent_form, dict(needs=["other"], needs_other="Chess strategy")),
    (
        "staff with guardian e-mail only",
        staff_form,
        dict(guardian_phone="", guardian_email="k@x.org"),
    ),
    (
        "staff for adult without guardian",
        staff_form,
        dict(
            student_date_of_birth=born_aged(19),
            student_grade="12",
            guardian_first_name="",
            guardian_last_name="",
            guardian_phone="",
            attest_relationship=None,
        ),
    ),
]


@pytest.mark.parametrize(
    ("case", "builder", "overrides"),
    ACCEPTED_BOUNDARIES,
    ids=[case for case, *_ in ACCEPTED_BOUNDARIES],
)
def test_boundary_accepted(client, case, builder, overrides):
    response = submit(client, builder(**overrides))

    assert response.status_code == 302, re.findall(r'<a href="#[^"]+">[^<]*', response.text)
    assert count_rows(Nomination) == 1


def test_retired_school_rejected(client):
    school = db.session.execute(
        select(School).where(School.retired.is_(False)).order_by(School.id).limit(1)
    ).scalar_one()
    school.retired = True
    db.session.commit()
    try:
        response = submit(client, parent_form(student_school=school.dese_code))
        page = response.get_data(as_text=True)
    finally:
        school.retired = False
        db.session.commit()

    assert field_error(page, "student_school") == (
        "This school is no longer open. Choose the school the student attends now."
    )
    assert f'<option value="{school.dese_code}"' not in page
    assert count_rows(Nomination) == 0


def test_all_errors_shown_at_once(client):
    form = parent_form(student_grade="13", nominator_email="bad", consent_privacy=None)

    page = submit(client, form).get_data(as_text=True)

    assert field_error(page, "student_grade") is not None
    assert field_error(page, "nominator_email") is not None
    assert field_error(page, "consent_privacy") is not None
    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert summary.count("<li><a href=") == 3


def test_checked_choices_kept(client):
    form = parent_form(student_grade="13", needs=["math", "science"], availability=["fri_evening"])

    page = submit(client, form).get_data(as_text=True)

    assert 'value="science" checked' in page
    assert 'value="reading" checked' not in page
    assert 'value="fri_evening" checked' in page
    assert 'value="parent_guardian" checked' in page
    assert '<option value="es" lang="es" selected>' in page
    assert f'<option value="{form["student_school"]}" selected>' in page


# Duplicates and what the nominator learns


def test_duplicate_linked_to_earlier(client, factory):
    form = parent_form()
    earlier = factory.nomination(
        student_first_name="Lucas",
        student_last_name="Rivera",
        student_date_of_birth=dt.date.fromisoformat(form["student_date_of_birth"]),
    )

    response = submit(
        client, parent_form(student_first_name="  lucas ", student_last_name="RIVERA")
    )

    assert response.status_code == 302
    newest = db.session.execute(select(Nomination).order_by(Nomination.id.desc())).scalars().first()
    assert newest.id != earlier.id
    assert newest.duplicate_of_id == earlier.id


def test_duplicate_skips_closed_nominations(client, factory):
    birth = dt.date.fromisoformat(parent_form()["student_date_of_birth"])
    same_student = dict(
        student_first_name="Lucas", student_last_name="Rivera", student_date_of_birth=birth
    )
    factory.nomination(status=NominationStatus.declined, **same_student)
    open_one = factory.nomination(status=NominationStatus.waitlisted, **same_student)

    submit(client, parent_form())

    newest = db.session.execute(select(Nomination).order_by(Nomination.id.desc())).scalars().first()
    assert newest.duplicate_of_id == open_one.id


def test_known_student_response_identical(client, app, factory):
    new_response = submit(client, parent_form())
    new_page = client.get(CONFIRMATION_URL).get_data(as_text=True)
    factory.student(
        first_name="Lucas",
        last_name="Rivera",
        date_of_birth=dt.date.fromisoformat(parent_form()["student_date_of_birth"]),
    )
    other_client = app.test_client()

    known_response = submit(other_client, parent_form())
    known_page = other_client.get(CONFIRMATION_URL).get_data(as_text=True)

    assert known_response.status_code == new_response.status_code
    assert known_response.location == new_response.location
    assert REFERENCE_PATTERN.sub("CODE", known_page) == REFERENCE_PATTERN.sub("CODE", new_page)


def test_confirmation_without_submission_redirects(client):
    response = client.get(CONFIRMATION_URL)

    assert response.status_code == 302
    assert response.location.endswith(FORM_URL)


def test_honeypot_stores_nothing(client):
    response = submit(client, parent_form(website="http://cheap-pills.example"))

    assert response.status_code == 302
    assert response.location.endswith(CONFIRMATION_URL)
    page = client.get(CONFIRMATION_URL).get_data(as_text=True)
    assert REFERENCE_PATTERN.search(page)
    assert count_rows(Nomination) == 0


# Refused POSTs: rate limit, CSRF, database failure


@pytest.fixture(scope="module")
def limited_app(database_url):
    return make_app(
        database_url,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        ILS_NOMINATION_RATE_LIMIT="2 per minute",
    )


def test_rate_limit_gives_429(limited_app, app):
    client = limited_app.test_client()
    form = parent_form()

    first = submit(client, form)
    second = submit(client, parent_form(student_first_name="Ana"))
    third = submit(client, parent_form(student_first_name="Eva"))

    assert first.status_code == 302
    assert second.status_code == 302
    assert third.status_code == 429
    assert "Please try again later" in third.get_data(as_text=True)
    assert client.get(FORM_URL).status_code == 200, "GET is not limited"
    assert count_rows(Nomination) == 2


def test_rate_limit_ignores_rejected_forms(database_url, app):
    limited = make_app(
        database_url,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        ILS_NOMINATION_RATE_LIMIT="1 per minute",
    )
    client = limited.test_client()

    rejected = [submit(client, parent_form(student_grade="13")) for _ in range(3)]
    accepted = submit(client, parent_form())

    assert [response.status_code for response in rejected] == [200, 200, 200]
    assert accepted.status_code == 302
    assert submit(client, parent_form(student_first_name="Eva")).status_code == 429
    assert count_rows(Nomination) == 1


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def test_rate_limit_shared_through_redis(database_url, app):
    """Two app processes (two gunicorn workers) share one count when it lives in Redis."""
    if not redis_reachable(REDIS_URL):
        if os.environ.get("ILS_REDIS_TESTS") == "required":
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    settings = {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        # A prefix of its own per run, so counts left by an earlier run never apply.
        "RATELIMIT_KEY_PREFIX": f"ils-test-{uuid.uuid4().hex}",
        "ILS_NOMINATION_RATE_LIMIT": "2 per minute",
    }
    first_worker = make_app(database_url, **settings).test_client()
    second_worker = make_app(database_url, **settings).test_client()

    first = submit(first_worker, parent_form())
    second = submit(second_worker, parent_form(student_first_name="Ana"))
    third = submit(first_worker, parent_form(student_first_name="Eva"))

    assert first.status_code == 302
    assert second.status_code == 302
    assert third.status_code == 429
    assert count_rows(Nomination) == 2


def test_json_body_rejected_without_error(client):
    response = client.post(FORM_URL, json="x")

    assert response.status_code in (200, 400)
    assert count_rows(Nomination) == 0


@pytest.mark.parametrize("answer", ["no", "off", "0", "false"])
def test_consent_answered_no_rejected(client, answer):
    response = submit(client, parent_form(consent_privacy=answer))

    assert response.status_code == 200
    assert count_rows(Nomination) == 0


@pytest.fixture(scope="module")
def csrf_app(database_url):
    return make_app(database_url, WTF_CSRF_ENABLED=True)


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


SESSION_EXPIRED = (
    "Your session expired, so the nomination was not sent. Check your answers and "
    "submit the form again."
)


def test_csrf_valid_token_accepted(csrf_app, app):
    client = csrf_app.test_client()
    token = csrf_token(client.get(FORM_URL).get_data(as_text=True))

    response = submit(client, parent_form(csrf_token=token))

    assert response.status_code == 302
    assert count_rows(Nomination) == 1


def test_csrf_missing_keeps_input(csrf_app, app):
    client = csrf_app.test_client()
    client.get(FORM_URL)

    response = submit(client, parent_form())

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert html.unescape(SESSION_EXPIRED) in html.unescape(page)
    assert field_value(page, "nominator_email") == "maria.rivera@example.org"
    assert 'value="math" checked' in page
    assert csrf_token(page), "a fresh token comes with the form"
    assert count_rows(Nomination) == 0


def test_csrf_expired_then_resubmitted(csrf_app, app, monkeypatch):
    client = csrf_app.test_client()
    two_hours_ago = int(time.time()) - 7200
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: two_hours_ago)
        old_token = csrf_token(client.get(FORM_URL).get_data(as_text=True))

    expired = submit(client, parent_form(csrf_token=old_token))
    retry = submit(client, parent_form(csrf_token=csrf_token(expired.get_data(as_text=True))))

    assert expired.status_code == 400
    assert SESSION_EXPIRED in html.unescape(expired.get_data(as_text=True))
    assert retry.status_code == 302
    assert count_rows(Nomination) == 1


def test_database_failure_stores_nothing(client, monkeypatch):
    def failing_commit():
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(db.session, "commit", failing_commit)

    response = submit(client, parent_form())

    monkeypatch.undo()
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Your nomination was not saved. Please try again." in page
    assert field_value(page, "student_first_name") == "Lucas"
    assert count_rows(Nomination) == 0
    assert count_rows(NominationStatusChange) == 0


def test_json_body_without_token_gets_form(csrf_app, app):
    response = csrf_app.test_client().post(FORM_URL, json="x")

    assert response.status_code == 400
    assert "submit the form again" in response.get_data(as_text=True)
    assert count_rows(Nomination) == 0
