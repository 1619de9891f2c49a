"""The nomination form in a real browser: journeys by parent and staff, errors, languages, sizes.

Expected texts come from the app's catalogs through ``translate``, so the tests follow
the wording and translations wherever they change.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from app.rules.choices import LANGUAGES, NominatorKind
from app.rules.errors import RuleViolation
from app.rules.nomination import parse_grade
from tests.browser.nomination_page import (
    CONFIRMATION_PATH,
    FORM_PATH,
    PARENT,
    REFERENCE_PATTERN,
    STAFF,
    born_aged,
    field,
    fill_parent_nomination,
    fill_staff_nomination,
    first_open_school,
    stored_nomination,
    stored_nomination_count,
    submit_form,
)

pytestmark = pytest.mark.browser

LANDING_TITLE = "Free online mentoring for Boston Public Schools students"
FORM_TITLE = "Nominate a student for a mentor"
CONFIRMATION_TITLE = "Thank you. We received the nomination."
ERROR_SUMMARY_TITLE = "The nomination was not sent. Fix these answers and submit again:"


def html_attribute(page: Page, name: str) -> str | None:
    return page.locator("html").get_attribute(name)


def reference_on_page(page: Page) -> str:
    reference = page.locator(".reference").inner_text().strip()
    assert REFERENCE_PATTERN.fullmatch(reference), f"no reference code shown, got {reference!r}"
    return reference


def grade_message(translate, language: str) -> str:
    """Return the grade rule's message for grade 13, translated."""
    try:
        parse_grade("13")
    except RuleViolation as violation:
        return violation.render(lambda text: translate(language, text))
    raise AssertionError("parse_grade accepted grade 13")


@pytest.mark.browser_context_args(locale="es-ES")
def test_landing_page_in_browser_language(page: Page, translate):
    page.goto("/")

    assert html_attribute(page, "lang") == "es"
    assert page.locator("h1").inner_text() == translate("es", LANDING_TITLE)
    form_link = page.get_by_role("link", name=translate("es", "Nominate a student"), exact=True)
    login_link = page.get_by_role("link", name=translate("es", "Staff and mentor login"))
    assert urlsplit(form_link.get_attribute("href")).path == FORM_PATH
    assert urlsplit(login_link.get_attribute("href")).path == "/login/"


@pytest.mark.browser_context_args(locale="es-ES")
def test_language_menu_keeps_choice(page: Page, translate):
    page.goto("/")
    menu = page.locator("nav.language-menu")
    assert menu.get_attribute("aria-label") == translate("es", "Language")
    assert menu.locator('[aria-current="true"]').inner_text() == LANGUAGES["es"]

    with page.expect_navigation():
        menu.get_by_role("link", name=LANGUAGES["ar"]).click()
    assert html_attribute(page, "lang") == "ar", "the menu did not switch the page to Arabic"
    assert menu.locator('[aria-current="true"]').inner_text() == LANGUAGES["ar"]

    with page.expect_navigation():
        page.get_by_role("link", name=translate("ar", "Nominate a student"), exact=True).click()
    assert html_attribute(page, "lang") == "ar", "the chosen language was not kept for the visit"
    assert html_attribute(page, "dir") == "rtl"
    assert page.locator("h1").inner_text() == translate("ar", FORM_TITLE)


@pytest.mark.browser_context_args(locale="es-ES", viewport={"width": 375, "height": 667})
def test_parent_nominates_in_spanish(page: Page, translate, save_screenshot):
    school = first_open_school()
    form_title = translate("es", FORM_TITLE)
    assert form_title != FORM_TITLE, "the Spanish catalog has no translation of the form title"

    page.goto(FORM_PATH)

    assert html_attribute(page, "lang") == "es", "Accept-Language es-ES did not give a Spanish page"
    assert page.locator("h1").inner_text() == form_title
    assert field(page, "language").input_value() == "es", (
        "the family's language should start as the page's language"
    )

    fill_parent_nomination(page, school.dese_code)
    assert field(page, "staff_role").is_hidden(), "a staff-only field is shown to a parent"
    save_screenshot(page, "filled-form", "es")
    submit_form(page)
    save_screenshot(page, "confirmation", "es")

    assert page.url.endswith(CONFIRMATION_PATH), f"the nomination was not accepted: {page.url}"
    assert html_attribute(page, "lang") == "es", "the confirmation is not in Spanish"
    assert page.locator("h1").inner_text() == translate("es", CONFIRMATION_TITLE)
    nomination = stored_nomination(reference_on_page(page))
    assert nomination.language == "es", "the family's language was not stored as Spanish"
    assert nomination.nominator_kind is NominatorKind.parent_guardian
    assert nomination.student_date_of_birth == born_aged(12)
    assert nomination.school_id == school.id


@pytest.mark.browser_context_args(locale="en-US", viewport={"width": 1280, "height": 800})
def test_staff_nominates_in_english(page: Page, translate, save_screenshot):
    school = first_open_school()
    page.goto(FORM_PATH)
    assert html_attribute(page, "lang") == "en"

    field(page, "nominator_kind", "school_staff").check()

    assert field(page, "staff_role").is_visible(), "the staff role is hidden from staff"
    assert field(page, "guardian_email").is_visible(), "the guardian contact is hidden from staff"
    staff_statement = page.locator('#nomination-form span[data-show-for="school_staff"]')
    parent_statement = page.locator('#nomination-form span[data-show-for="parent_guardian"]')
    assert staff_statement.is_visible(), "the staff attestation is hidden from staff"
    assert parent_statement.is_hidden(), "the parent attestation is shown to staff"

    fill_staff_nomination(page, school.dese_code)
    save_screenshot(page, "filled-form", "en")
    submit_form(page)
    save_screenshot(page, "confirmation", "en")

    assert page.url.endswith(CONFIRMATION_PATH), f"the nomination was not accepted: {page.url}"
    assert page.locator("h1").inner_text() == translate("en", CONFIRMATION_TITLE)
    nomination = stored_nomination(reference_on_page(page))
    assert nomination.nominator_kind is NominatorKind.school_staff
    assert nomination.staff_role == STAFF["staff_role"]
    assert nomination.guardian_email == STAFF["guardian_email"]
    assert nomination.guardian_phone is not None, "the guardian's phone number was not stored"
    assert nomination.attest_relationship, "the staff attestation was not stored"
    assert nomination.language == "vi"


@pytest.mark.parametrize(
    ("language", "direction", "error_side", "other_side"),
    [("en", "ltr", "left", "right"), ("ar", "rtl", "right", "left")],
)
def test_form_direction_follows_language(
    page: Page,
    translate,
    save_screenshot,
    language: str,
    direction: str,
    error_side: str,
    other_side: str,
):
    page.goto(f"{FORM_PATH}?lang={language}")

    assert html_attribute(page, "lang") == language
    assert html_attribute(page, "dir") == direction
    for element in ("html", "body"):
        computed = page.locator(element).evaluate("node => getComputedStyle(node).direction")
        assert computed == direction, f"computed direction of {element} is {computed}"

    radio = field(page, "nominator_kind", "parent_guardian").bounding_box()
    label = page.locator('label[for="nominator_kind"]').bounding_box()
    radio_first = radio["x"] < label["x"] if direction == "ltr" else radio["x"] > label["x"]
    assert radio_first, f"in {direction} text the radio button should come before its label"

    submit_form(page)

    save_screenshot(page, "rejected-form", language)
    summary_title = page.locator("#error-summary-title").inner_text()
    assert summary_title == translate(language, ERROR_SUMMARY_TITLE)
    invalid_field = page.locator(".field--error", has=field(page, "nominator_first_name"))
    borders = invalid_field.evaluate(
        """node => {
            const style = getComputedStyle(node);
            return {left: style.borderLeftWidth, right: style.borderRightWidth};
        }"""
    )
    assert borders[error_side] != "0px", f"no error border on the {error_side} in {direction}"
    assert borders[other_side] == "0px", f"an error border on the {other_side} in {direction}"


@pytest.mark.browser_context_args(locale="es-ES")
def test_rejected_spanish_form_keeps_input(page: Page, translate, save_screenshot):
    school = first_open_school()
    page.goto(FORM_PATH)
    fill_parent_nomination(page, school.dese_code)
    field(page, "student_grade").fill("13")
    submit_form(page)

    save_screenshot(page, "rejected-form", "es")
    expected = grade_message(translate, "es")
    grade = field(page, "student_grade")
    assert html_attribute(page, "lang") == "es"
    assert grade.get_attribute("aria-invalid") == "true", "the grade is not marked invalid"
    described_by = (grade.get_attribute("aria-describedby") or "").split()
    assert "student_grade-error" in described_by, f"aria-describedby is {described_by}"
    assert expected in page.locator("#student_grade-error").inner_text()

    summary_link = page.locator('#error-summary a[href="#student_grade"]')
    assert expected in summary_link.inner_text(), "the error summary does not list the grade"
    focused = page.evaluate("document.activeElement.id")
    assert focused == "error-summary", f"focus is on {focused!r}, not on the error summary"
    summary_link.click()
    focused = page.evaluate("document.activeElement.id")
    assert focused == "student_grade", f"the summary link moved focus to {focused!r}"

    for name, value in PARENT.items():
        if name != "student_grade":
            assert field(page, name).input_value() == value, f"{name} was not kept"
    born = born_aged(12)
    for part, value in (("day", born.day), ("month", born.month), ("year", born.year)):
        part_value = field(page, f"student_date_of_birth_{part}").input_value()
        assert part_value == str(value), f"the date of birth's {part} was not kept"
    assert grade.input_value() == "13", "the rejected grade was not kept for correcting"
    assert field(page, "nominator_kind", "parent_guardian").is_checked()
    assert field(page, "student_school").input_value() == school.dese_code
    assert field(page, "language").input_value() == "es"
    for name, value in (("needs", "math"), ("availability", "wed_early_evening")):
        assert field(page, name, value).is_checked(), f"{name} {value} was not kept"
    for name in ("consent_privacy", "consent_online_sessions", "attest_relationship"):
        assert field(page, name).is_checked(), f"{name} was not kept"


OVERFLOW_SCRIPT = """() => {
    const width = document.documentElement.clientWidth;
    const hidden = ".skip-link, .visually-hidden, .honeypot";
    const wide = [...document.querySelectorAll("body *")].filter(element => {
        if (element.closest(hidden)) {
            return false;
        }
        const box = element.getBoundingClientRect();
        return box.width > 0 && (box.right > width + 1 || box.left < -1);
    });
    return {
        scrollWidth: document.documentElement.scrollWidth,
        viewportWidth: window.innerWidth,
        wide: wide.slice(0, 10).map(element => element.tagName.toLowerCase()
            + (element.id ? "#" + element.id : "")
            + (element.className ? "." + String(element.className).replace(/ +/g, ".") : "")),
    };
}"""


@pytest.mark.browser_context_args(viewport={"width": 320, "height": 640})
@pytest.mark.parametrize("language", ["en", "es", "ar", "vi"])
@pytest.mark.parametrize("rejected", [False, True], ids=["form", "rejected_form"])
def test_form_fits_320_pixels(page: Page, language: str, rejected: bool):
    page.goto(f"{FORM_PATH}?lang={language}")
    if rejected:
        submit_form(page)

    layout = page.evaluate(OVERFLOW_SCRIPT)

    assert layout["viewportWidth"] == 320
    assert layout["scrollWidth"] <= layout["viewportWidth"], (
        f"the page scrolls sideways: {layout['scrollWidth']} px wide; "
        f"elements past the edge: {layout['wide']}"
    )


@pytest.mark.browser_context_args(locale="en-US", viewport={"width": 375, "height": 667})
def test_language_switch_keeps_typed_input(page: Page, translate):
    school = first_open_school()
    page.goto(FORM_PATH)
    fill_parent_nomination(page, school.dese_code)

    with page.expect_navigation():
        page.locator("nav.language-menu").get_by_role("link", name=LANGUAGES["vi"]).click()

    assert html_attribute(page, "lang") == "vi", "the menu did not switch the form to Vietnamese"
    assert page.locator("h1").inner_text() == translate("vi", FORM_TITLE)
    for name, value in PARENT.items():
        assert field(page, name).input_value() == value, f"{name} was lost by the switch"
    assert field(page, "student_school").input_value() == school.dese_code
    assert field(page, "language").input_value() == "vi", (
        "the family's language did not follow the page"
    )
    assert page.locator("#error-summary").count() == 0, "the switch showed errors"
    assert stored_nomination_count() == 0, "the switch stored a nomination"

    submit_form(page)

    assert page.url.endswith(CONFIRMATION_PATH), f"the nomination was not accepted: {page.url}"
    assert html_attribute(page, "lang") == "vi"
    assert stored_nomination(reference_on_page(page)).language == "vi"


@pytest.mark.browser_context_args(locale="es-ES", viewport={"width": 375, "height": 667})
def test_lost_cookie_notice_takes_focus(page: Page, translate):
    school = first_open_school()
    page.goto(FORM_PATH)
    fill_parent_nomination(page, school.dese_code)
    page.context.clear_cookies()

    submit_form(page)

    notice = page.locator("#form-problem")
    assert notice.is_visible(), "no notice that the nomination was not sent"
    assert page.evaluate("document.activeElement.id") == "form-problem", (
        "the notice did not take focus, so a screen reader may not read it"
    )
    assert field(page, "nominator_first_name").input_value() == PARENT["nominator_first_name"]
    assert stored_nomination_count() == 0
