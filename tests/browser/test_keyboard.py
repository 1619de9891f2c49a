"""The nomination form with the keyboard alone: no mouse clicks and no ``fill``.

Playwright's ``page.evaluate`` only reads which element has focus, so every change to
the form comes from a key press, as it would for a person using a keyboard.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from app.rules.choices import NominatorKind
from tests.browser.nomination_page import (
    CONFIRMATION_PATH,
    FORM_PATH,
    PARENT,
    REFERENCE_PATTERN,
    active_element,
    born_aged,
    field,
    first_open_school,
    stored_nomination,
)

pytestmark = pytest.mark.browser

MAX_TAB_PRESSES = 80


def focus_matches(page: Page, selector: str) -> bool:
    return page.evaluate("selector => document.activeElement.matches(selector)", selector)


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the element matching ``selector`` has focus."""
    for _ in range(MAX_TAB_PRESSES):
        page.keyboard.press("Tab")
        if focus_matches(page, selector):
            return
    raise AssertionError(
        f"{selector} not reached after {MAX_TAB_PRESSES} presses of Tab, "
        f"focus is on {active_element(page)}"
    )


def assert_focus_visible(page: Page) -> None:
    """Check that the focused element draws an outline (the page's :focus-visible style)."""
    outline = page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return {style: style.outlineStyle, width: parseFloat(style.outlineWidth)};
        }"""
    )
    assert outline["style"] != "none", f"no focus outline on {active_element(page)}"
    assert outline["width"] > 0, f"a focus outline of width 0 on {active_element(page)}"


def type_into(page: Page, name: str, text: str) -> None:
    tab_to(page, f'[name="{name}"]')
    assert_focus_visible(page)
    page.keyboard.type(text)


def test_keyboard_completes_nomination(page: Page):
    school = first_open_school()
    born = born_aged(12)
    page.goto(FORM_PATH)

    page.keyboard.press("Tab")
    assert focus_matches(page, ".skip-link"), (
        f"the first Tab stop is {active_element(page)}, not the skip link"
    )
    assert_focus_visible(page)

    # Arrow keys move through a radio group and choose the option they land on.
    tab_to(page, '[name="nominator_kind"]')
    page.keyboard.press("ArrowDown")
    assert field(page, "nominator_kind", "school_staff").is_checked()
    page.keyboard.press("ArrowUp")
    assert field(page, "nominator_kind", "parent_guardian").is_checked()
    assert_focus_visible(page)

    type_into(page, "nominator_first_name", PARENT["nominator_first_name"])
    type_into(page, "nominator_last_name", PARENT["nominator_last_name"])
    type_into(page, "nominator_email", PARENT["nominator_email"])

    # Skip the optional phone number, then come back to it with Shift+Tab. The staff-only
    # fields between the phone and the student's name are hidden for a parent.
    tab_to(page, '[name="student_first_name"]')
    page.keyboard.press("Shift+Tab")
    assert focus_matches(page, '[name="nominator_phone"]'), (
        f"Shift+Tab from the student's first name went to {active_element(page)}"
    )
    page.keyboard.type(PARENT["nominator_phone"])

    type_into(page, "student_first_name", PARENT["student_first_name"])
    type_into(page, "student_last_name", PARENT["student_last_name"])
    date_part_names = page.locator('[name^="student_date_of_birth_"]').evaluate_all(
        "nodes => nodes.map(node => node.name)"
    )
    for name in date_part_names:
        type_into(page, name, str(getattr(born, name.rsplit("_", 1)[1])))
    type_into(page, "student_grade", PARENT["student_grade"])

    # The first option of the school menu is the "Choose a school" prompt.
    tab_to(page, '[name="student_school"]')
    assert_focus_visible(page)
    page.keyboard.press("ArrowDown")
    assert field(page, "student_school").input_value() == school.dese_code, (
        "ArrowDown in the school menu did not choose the first school"
    )

    for name, value in (("needs", "math"), ("availability", "wed_early_evening")):
        tab_to(page, f'[name="{name}"][value="{value}"]')
        assert_focus_visible(page)
        page.keyboard.press("Space")
        assert field(page, name, value).is_checked(), f"Space did not tick {name} {value}"
    for name in ("consent_privacy", "consent_online_sessions", "attest_relationship"):
        tab_to(page, f'[name="{name}"]')
        assert_focus_visible(page)
        page.keyboard.press("Space")
        assert field(page, name).is_checked(), f"Space did not tick {name}"

    tab_to(page, '#nomination-form [type="submit"]')
    assert_focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith(CONFIRMATION_PATH), f"the nomination was not accepted: {page.url}"
    reference = page.locator(".reference").inner_text().strip()
    assert REFERENCE_PATTERN.fullmatch(reference), f"no reference code shown, got {reference!r}"
    nomination = stored_nomination(reference)
    assert nomination.nominator_kind is NominatorKind.parent_guardian
    assert nomination.nominator_phone is not None, "the phone typed after Shift+Tab was lost"
    assert nomination.student_date_of_birth == born
    assert nomination.school_id == school.id
    assert nomination.needs == ["math"]
    assert nomination.availability == ["wed_early_evening"]
