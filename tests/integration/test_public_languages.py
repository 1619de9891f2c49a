"""The public pages' language: the menu, the browser's choice, right to left, dates."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from flask_babel import force_locale, get_locale, gettext
from sqlalchemy import select

from app.extensions import db
from app.languages import date_part_order, language_from_tag, local_date
from app.models import Nomination
from app.rules.choices import LANGUAGES
from app.rules.timezone import program_today
from tests.integration.test_public_nomination import (
    FORM_URL,
    born_aged,
    field_error,
    field_value,
    parent_form,
)

SPANISH = "es-ES,es;q=0.9,en;q=0.5"


def html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


def translated(text: str, language: str, **params) -> str:
    with force_locale(language):
        return gettext(text, **params)


def get_page(client, url: str, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, f"{url} gave {response.status_code}"
    return response.get_data(as_text=True)


def date_parts(day: dt.date) -> dict[str, str]:
    return {
        "student_date_of_birth_day": str(day.day),
        "student_date_of_birth_month": str(day.month),
        "student_date_of_birth_year": str(day.year),
    }


def parent_form_in_parts(**overrides) -> dict:
    """A parent's valid nomination with the date of birth typed in three boxes."""
    form = parent_form()
    birth = dt.date.fromisoformat(form.pop("student_date_of_birth"))
    form.update(date_parts(birth))
    form.update(overrides)
    return form


# Choosing the language


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("es-ES,es;q=0.9,en;q=0.5", "es"),
        ("zh-TW,zh;q=0.8", "zh-Hant"),
        ("zh-CN", "zh-Hans"),
        ("ar-EG,ar;q=0.9", "ar"),
        ("de-DE,fr;q=0.7", "fr"),
        ("de-DE", "en"),
        ("", "en"),
        ("*;q=0.5, ;;; garbage", "en"),
        ("vi-US", "vi"),
        ("ar-US,en;q=0.5", "ar"),
        ("zh-Hant-US", "zh-Hant"),
        ("so-US", "so"),
    ],
)
def test_browser_language_picks_first_page(client, accept_language, expected):
    page = get_page(client, FORM_URL, **{"Accept-Language": accept_language})

    assert f'lang="{expected}"' in html_tag(page)


def test_menu_choice_sticks_for_visit(client):
    get_page(client, f"{FORM_URL}?lang=vi", **{"Accept-Language": SPANISH})

    later = get_page(client, FORM_URL, **{"Accept-Language": SPANISH})

    assert 'lang="vi"' in html_tag(later)
    assert translated("Send the nomination", "vi") in later


def test_menu_choice_replaces_earlier_choice(client):
    get_page(client, f"{FORM_URL}?lang=vi")
    get_page(client, f"{FORM_URL}?lang=so")

    assert 'lang="so"' in html_tag(get_page(client, FORM_URL))


@pytest.mark.parametrize("value", ["xx", "", "en'><script>", "../es", "e" * 500])
def test_unknown_language_ignored(client, value):
    page = get_page(client, f"{FORM_URL}?lang={value}", **{"Accept-Language": SPANISH})

    assert 'lang="es"' in html_tag(page)
    assert "<script>" not in html_tag(page)


def test_menu_lists_languages_by_own_name(client):
    page = get_page(client, f"{FORM_URL}?lang=fr")
    menu = page.split('<nav class="language-menu"', 1)[1].split("</nav>", 1)[0]

    for code, name in LANGUAGES.items():
        tag = code.replace("_", "-")
        assert f'href="?lang={code}" hreflang="{tag}" lang="{tag}"' in menu, code
        assert name in menu, name
    assert 'data-language="fr" aria-current="true">Français' in menu
    assert menu.count("aria-current") == 1


def test_staff_screens_stay_english(client):
    get_page(client, f"{FORM_URL}?lang=es")

    login = get_page(client, "/login/?_l_=es", **{"Accept-Language": SPANISH})

    assert "Please try again later" not in login
    assert translated("Send the nomination", "es") not in login
    assert 'lang="es"' not in html_tag(login)


def test_no_request_uses_english(app):
    """Code with an app context but no request, such as a flask command, gets English."""
    with app.app_context():
        assert str(get_locale()) == "en"
        assert gettext("Send the nomination") == "Send the nomination"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("es", "es"),
        ("ES", "es"),
        ("pt-BR", "pt"),
        ("zh-HK", "zh_Hant"),
        ("zh-Hans-SG", "zh_Hans"),
        ("zh", "zh_Hans"),
        ("kea-CV", "kea"),
        ("ht-HT", "ht"),
        ("zh_Hant", "zh_Hant"),
        ("zh-Hant-CN", "zh_Hant"),
        ("zh-Hans-TW", "zh_Hans"),
        ("vi-US", "vi"),
        ("kea-US", "kea"),
        ("zh-Latn", None),
        ("de", None),
        ("*", None),
        ("", None),
    ],
)
def test_language_from_tag(tag, expected):
    assert language_from_tag(tag) == expected


# Right to left


def test_arabic_page_right_to_left(client):
    page = get_page(client, f"{FORM_URL}?lang=ar")

    assert html_tag(page) == '<html lang="ar" dir="rtl">'
    assert translated("Send the nomination", "ar") in page


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "ar"])
def test_other_pages_left_to_right(client, language):
    page = get_page(client, f"{FORM_URL}?lang={language}")

    assert 'dir="ltr"' in html_tag(page)


def test_stylesheet_uses_logical_sides(client):
    css = client.get("/nominate/static/public.css").get_data(as_text=True)

    assert re.search(r"\b(left|right)\s*:", css) is None
    assert "border-inline-start" in css


# The language saved on the nomination


def test_form_language_defaults_to_page(client):
    page = get_page(client, f"{FORM_URL}?lang=ht")

    assert re.search(r'<option value="ht" lang="ht" selected>', page)


def test_spanish_nomination_saved_in_spanish(client):
    get_page(client, f"{FORM_URL}?lang=es")

    response = client.post(FORM_URL, data=parent_form_in_parts(language="es"))

    assert response.status_code == 302
    nomination = db.session.scalars(select(Nomination)).one()
    assert nomination.language == "es"
    confirmation = get_page(client, "/nominate/thanks")
    assert 'lang="es"' in html_tag(confirmation)
    assert translated("Thank you. We received the nomination.", "es") in confirmation


def boston_days_around(action):
    """Run ``action`` and return its result with the Boston dates before and after it.

    The two dates differ only when Boston's midnight falls during the action.
    """
    before = program_today(dt.datetime.now(dt.UTC))
    result = action()
    after = program_today(dt.datetime.now(dt.UTC))
    return result, {before, after}


def test_confirmation_shows_locale_date(client):
    get_page(client, f"{FORM_URL}?lang=fr")

    def nominate_and_confirm():
        client.post(FORM_URL, data=parent_form_in_parts(language="fr"))
        return get_page(client, "/nominate/thanks")

    page, days = boston_days_around(nominate_and_confirm)

    expected = {
        translated("Received on %(date)s", "fr", date=local_date(day, "fr")) for day in days
    }
    assert any(text in page for text in expected)


def test_haitian_dates_numeric(client):
    get_page(client, f"{FORM_URL}?lang=ht")

    def nominate_and_confirm():
        client.post(FORM_URL, data=parent_form_in_parts(language="ht"))
        return get_page(client, "/nominate/thanks")

    page, days = boston_days_around(nominate_and_confirm)

    assert any(day.isoformat() in page for day in days)


# The date of birth in three boxes


@pytest.mark.parametrize(
    ("language", "order"),
    [
        ("en", ("month", "day", "year")),
        ("es", ("day", "month", "year")),
        ("zh_Hans", ("year", "month", "day")),
        ("ht", ("day", "month", "year")),
    ],
)
def test_date_boxes_follow_locale(client, language, order):
    page = get_page(client, f"{FORM_URL}?lang={language}")

    names = re.findall(r'name="student_date_of_birth_(day|month|year)"', page)
    assert tuple(names) == order
    assert date_part_order(language) == order
    first = re.search(r'<input[^>]*name="student_date_of_birth_\w+"', page).group(0)
    assert 'id="student_date_of_birth"' in first


def test_date_boxes_accepted(client):
    response = client.post(FORM_URL, data=parent_form_in_parts())

    assert response.status_code == 302
    nomination = db.session.scalars(select(Nomination)).one()
    birth = dt.date.fromisoformat(parent_form()["student_date_of_birth"])
    assert nomination.student_date_of_birth == birth


def test_arabic_digits_accepted(client):
    form = parent_form_in_parts()
    eastern = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    for name in ("student_date_of_birth_day", "student_date_of_birth_year"):
        form[name] = form[name].translate(eastern)

    response = client.post(FORM_URL, data=form)

    assert response.status_code == 302


def test_padded_header_reads_few_entries(client):
    padding = ",".join(["de-DE"] * 2000)

    page = get_page(client, FORM_URL, **{"Accept-Language": f"{padding},es"})

    assert 'lang="en"' in html_tag(page)


@pytest.mark.parametrize(
    "parts",
    [
        {"student_date_of_birth_day": "31", "student_date_of_birth_month": "2"},
        {"student_date_of_birth_day": ""},
        {"student_date_of_birth_month": "march"},
        {"student_date_of_birth_year": "2_012"},
        {"student_date_of_birth_day": "+5"},
        {"student_date_of_birth_year": "0000"},
    ],
)
def test_invalid_date_boxes_rejected(client, parts):
    get_page(client, f"{FORM_URL}?lang=es")
    form = parent_form_in_parts(**parts)

    response = client.post(FORM_URL, data=form)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    expected = "Enter the date of birth as a real date, with the day, month and year as numbers."
    assert field_error(page, "student_date_of_birth") == translated(expected, "es")
    for name, value in parts.items():
        assert field_value(page, name) == value
    assert db.session.scalars(select(Nomination)).first() is None


@pytest.mark.parametrize("year", ["16", "016", "20160"])
def test_short_year_asks_for_four_digits(client, year):
    get_page(client, f"{FORM_URL}?lang=es")

    page = client.post(
        FORM_URL, data=parent_form_in_parts(student_date_of_birth_year=year)
    ).get_data(as_text=True)

    expected = translated("Enter the year with 4 digits, such as 2012.", "es")
    assert field_error(page, "student_date_of_birth") == expected
    assert field_value(page, "student_date_of_birth_year") == year


def test_empty_date_boxes_ask_for_date(client):
    form = parent_form_in_parts(
        student_date_of_birth_day="", student_date_of_birth_month="", student_date_of_birth_year=""
    )

    page = client.post(FORM_URL, data=form).get_data(as_text=True)

    assert field_error(page, "student_date_of_birth") == "Enter the student's date of birth."


def test_rejected_form_keeps_date_boxes(client):
    form = parent_form_in_parts(student_grade="14")

    page = client.post(FORM_URL, data=form).get_data(as_text=True)

    assert field_error(page, "student_grade") is not None
    for name in ("student_date_of_birth_day", "student_date_of_birth_month"):
        assert field_value(page, name) == form[name]
    assert field_value(page, "student_date_of_birth_year") == form["student_date_of_birth_year"]


def test_translated_error_next_to_field(client):
    get_page(client, f"{FORM_URL}?lang=es")

    page = client.post(FORM_URL, data=parent_form_in_parts(student_grade="14")).get_data(
        as_text=True
    )

    message = "The program serves grades 1 to 12. Enter the grade as a number from 1 to 12."
    assert field_error(page, "student_grade") == translated(message, "es")
    assert field_value(page, "student_grade") == "14"
    grade_input = re.search(r'<input[^>]*name="student_grade"[^>]*>', page, re.S).group(0)
    assert 'aria-invalid="true"' in grade_input
    assert "student_grade-error" in grade_input
    assert 'href="#student_grade"' in page


# Other public pages


def test_public_not_found_page(client):
    response = client.get("/nominate/no-such-page?lang=es")

    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert 'lang="es"' in html_tag(page)
    assert translated("Page not found", "es") in page


def test_staff_not_found_unchanged(client):
    response = client.get("/no-such-admin-page")

    assert response.status_code == 404
    assert "language-menu" not in response.get_data(as_text=True)


def test_landing_page_public(client):
    page = get_page(client, "/?lang=zh_Hant")

    assert 'lang="zh-Hant"' in html_tag(page)
    assert translated("Nominate a student", "zh_Hant") in page
    assert 'href="/login/"' in page
    assert 'href="/nominate/?lang=zh_Hant"' in page


def test_rate_limited_page_translated(app):
    from app.public.views import render_public_page

    with app.test_request_context("/nominate/?lang=so", headers={"Accept-Language": SPANISH}):
        from app.languages import remember_chosen_language

        remember_chosen_language()
        page = render_public_page("public/rate_limited.html")

    assert 'lang="so"' in html_tag(page)
    assert translated("Please try again later", "so") in page


def test_public_pages_vary_on_language(client):
    response = client.get(FORM_URL)

    assert "Accept-Language" in response.headers.get("Vary", "")


def test_refused_method_public_page(client):
    response = client.put(f"{FORM_URL}?lang=es")

    page = response.get_data(as_text=True)
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert 'lang="es"' in html_tag(page)
    assert translated("This page could not be opened", "es") in page


def test_server_error_public_page(database_url):
    from tests.conftest import make_app

    application = make_app(database_url, PROPAGATE_EXCEPTIONS=False)

    @application.route("/nominate/test-failure")
    def failing_page():
        raise RuntimeError("simulated failure")

    response = application.test_client().get("/nominate/test-failure?lang=ar")

    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert html_tag(page) == '<html lang="ar" dir="rtl">'
    with application.app_context():
        assert translated("Something went wrong", "ar") in page
    assert "simulated failure" not in page


def test_staff_errors_unchanged(client):
    response = client.put("/login/")

    assert response.status_code == 405
    assert "language-menu" not in response.get_data(as_text=True)


# Changing the language in the middle of the form


def test_language_switch_keeps_input(client):
    get_page(client, f"{FORM_URL}?lang=en")
    form = parent_form_in_parts(student_grade="14", switch_language="es")

    response = client.post(FORM_URL, data=form)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'lang="es"' in html_tag(page)
    assert field_value(page, "nominator_first_name") == form["nominator_first_name"]
    assert field_value(page, "student_grade") == "14"
    assert field_value(page, "student_date_of_birth_day") == form["student_date_of_birth_day"]
    assert field_error(page, "student_grade") is None
    assert db.session.scalars(select(Nomination)).first() is None
    assert 'lang="es"' in html_tag(get_page(client, FORM_URL))


def test_language_switch_unknown_code_ignored(client):
    get_page(client, f"{FORM_URL}?lang=vi")

    response = client.post(FORM_URL, data=parent_form_in_parts(switch_language="xx"))

    assert response.status_code == 200
    assert 'lang="vi"' in html_tag(response.get_data(as_text=True))
    assert db.session.scalars(select(Nomination)).first() is None


def test_form_action_carries_language(client):
    page = get_page(client, f"{FORM_URL}?lang=so")

    assert 'action="/nominate/?lang=so"' in page
    assert 'data-language="es"' in page


def test_cookieless_post_explained_in_language(database_url):
    from tests.conftest import make_app

    application = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = application.test_client(use_cookies=False)
    with application.app_context():
        form = parent_form_in_parts()

    response = client.post(f"{FORM_URL}?lang=ar", data=form)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert html_tag(page) == '<html lang="ar" dir="rtl">'
    message = (
        "The nomination was not sent, because your browser did not keep this site's cookie. "
        "Allow cookies for this site, then submit the form again."
    )
    with application.app_context():
        assert translated(message, "ar") in html.unescape(page)
    assert field_value(page, "nominator_first_name") == form["nominator_first_name"]


# Grades in other scripts


@pytest.mark.parametrize("grade", ["\u0664", "\uff14"])
def test_grade_in_other_digits_accepted(client, grade):
    ten_years_old = dt.date.fromisoformat(born_aged(10))
    response = client.post(
        FORM_URL,
        data=parent_form_in_parts(
            student_grade=grade, student_date_of_birth_year=str(ten_years_old.year)
        ),
    )

    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    assert db.session.scalars(select(Nomination)).one().student_grade == 4


def test_large_body_gets_public_page(client):
    response = client.post(
        f"{FORM_URL}?lang=es", data={"needs_description": "x" * (2 * 1024 * 1024)}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert 'lang="es"' in html_tag(page)
    assert translated("This page could not be opened", "es") in page


def test_summary_line_translated(client):
    get_page(client, f"{FORM_URL}?lang=fr")

    page = client.post(FORM_URL, data=parent_form_in_parts(student_grade="14")).get_data(
        as_text=True
    )

    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    label = translated("Student's grade", "fr")
    message = translated(
        "The program serves grades 1 to 12. Enter the grade as a number from 1 to 12.", "fr"
    )
    line = translated("%(field)s: %(message)s", "fr", field=label, message=message)
    assert line in html.unescape(summary)


def test_switch_moves_family_language(client):
    form = parent_form_in_parts(language="en", page_language="en", switch_language="zh_Hans")

    page = client.post(FORM_URL, data=form).get_data(as_text=True)

    assert re.search(r'<option value="zh_Hans" lang="zh-Hans" selected>', page)
    assert 'name="page_language" value="zh_Hans"' in page


def test_switch_keeps_chosen_family_language(client):
    form = parent_form_in_parts(language="so", page_language="en", switch_language="zh_Hans")

    page = client.post(FORM_URL, data=form).get_data(as_text=True)

    assert re.search(r'<option value="so" lang="so" selected>', page)


def test_cookieless_switch_shows_no_problem(database_url):
    from tests.conftest import make_app

    application = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = application.test_client(use_cookies=False)
    with application.app_context():
        form = parent_form_in_parts(switch_language="vi")

    response = client.post(f"{FORM_URL}?lang=vi", data=form)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'lang="vi"' in html_tag(page)
    assert 'id="form-problem"' not in page
    assert field_value(page, "nominator_first_name") == form["nominator_first_name"]


def test_form_pages_not_stored_by_caches(client):
    form_page = client.get(FORM_URL)
    rejected = client.post(FORM_URL, data=parent_form_in_parts(student_grade="14"))
    stylesheet = client.get("/nominate/static/public.css")

    assert form_page.headers["Cache-Control"] == "no-store"
    assert rejected.headers["Cache-Control"] == "no-store"
    assert stylesheet.headers.get("Cache-Control") != "no-store"


def test_date_boxes_point_to_hint_and_error(client):
    form = parent_form_in_parts(student_date_of_birth_day="40")

    page = client.post(FORM_URL, data=form).get_data(as_text=True)

    boxes = re.findall(r'<input[^>]*name="student_date_of_birth_\w+"[^>]*>', page, re.S)
    assert len(boxes) == 3
    for box in boxes:
        assert 'aria-describedby="student_date_of_birth-hint student_date_of_birth-error"' in box
        assert 'aria-invalid="true"' in box


def test_logged_in_without_staff_role_can_log_out(client, factory, login_as):
    user = factory.user(role="Public")
    login_as(client, user)

    page = get_page(client, "/?lang=es")

    assert translated("Log out", "es") in page
    assert 'href="/logout/"' in page
    assert translated("Staff and mentor login", "es") not in page
