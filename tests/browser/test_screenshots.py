"""Full-page screenshots of the form and the confirmation in every public language.

The files go to test-artifacts/browser/ for a person to look over (missing fonts show
as empty boxes, mirrored Arabic, long words). The asserts only check that each page
is the right one in the right language.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from app.languages import language_tag
from app.rules.choices import LANGUAGES
from tests.browser.nomination_page import (
    CONFIRMATION_PATH,
    FORM_PATH,
    fill_parent_nomination,
    first_open_school,
    submit_form,
)

pytestmark = pytest.mark.browser

CONFIRMATION_TITLE = "Thank you. We received the nomination."


@pytest.mark.browser_context_args(viewport={"width": 1024, "height": 768})
@pytest.mark.parametrize("language", LANGUAGES)
def test_form_and_confirmation_screenshots(page: Page, translate, save_screenshot, language: str):
    page.goto(f"{FORM_PATH}?lang={language}")
    assert page.locator("html").get_attribute("lang") == language_tag(language)
    form_shot = save_screenshot(page, "form", language)

    fill_parent_nomination(page, first_open_school().dese_code)
    submit_form(page)

    assert page.url.endswith(CONFIRMATION_PATH), f"the nomination was not accepted: {page.url}"
    assert page.locator("h1").inner_text() == translate(language, CONFIRMATION_TITLE)
    confirmation_shot = save_screenshot(page, "confirmation", language)
    for shot in (form_shot, confirmation_shot):
        assert shot.stat().st_size > 0, f"{shot} is empty"
