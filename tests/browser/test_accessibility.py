"""axe-core's WCAG 2.0 and 2.1 A and AA rules on every public page, in three languages.

A violation of impact serious or critical fails the test. Every violation found,
whatever its impact, is listed in the failure message.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.nomination_page import (
    BLOCKING_IMPACTS,
    CONFIRMATION_PATH,
    FORM_PATH,
    describe_violations,
    fill_parent_nomination,
    first_open_school,
    run_axe,
    submit_form,
)

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "es", "ar"]


def open_landing_page(page: Page, language: str, **_) -> None:
    page.goto(f"/?lang={language}")


def open_form(page: Page, language: str, **_) -> None:
    page.goto(f"{FORM_PATH}?lang={language}")


def open_rejected_form(page: Page, language: str, **_) -> None:
    page.goto(f"{FORM_PATH}?lang={language}")
    submit_form(page)
    assert page.locator("#error-summary").is_visible(), "an empty form was not rejected"


def open_confirmation(page: Page, language: str, **_) -> None:
    page.goto(f"{FORM_PATH}?lang={language}")
    fill_parent_nomination(page, first_open_school().dese_code)
    submit_form(page)
    assert page.url.endswith(CONFIRMATION_PATH), f"the nomination was not accepted: {page.url}"


def open_not_found_page(page: Page, language: str, **_) -> None:
    response = page.goto(f"{FORM_PATH}no-such-page?lang={language}")
    assert response.status == 404, f"expected 404 for an unknown path, got {response.status}"


def open_refused_request_page(page: Page, language: str, **_) -> None:
    """POST to the confirmation page, which allows only GET, so the server returns 405."""
    page.goto(f"{FORM_PATH}?lang={language}")
    with page.expect_navigation() as navigation:
        page.evaluate(
            """path => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = path;
                document.body.appendChild(form);
                form.submit();
            }""",
            CONFIRMATION_PATH,
        )
    status = navigation.value.status
    assert status == 405, f"expected 405 for a POST to the confirmation page, got {status}"


def open_rate_limited_page(page: Page, language: str, rate_limited_url: str) -> None:
    """Use up the one nomination a day of the rate-limited server, then submit again."""
    page.goto(f"{rate_limited_url}{FORM_PATH}?lang={language}")
    fill_parent_nomination(page, first_open_school().dese_code)
    submit_form(page)

    page.goto(f"{rate_limited_url}{FORM_PATH}")
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        submit_form(page)
    assert posted.value.status == 429, f"expected 429 after the limit, got {posted.value.status}"


# Each page's opener and the English text of its main heading.
PAGES = {
    "landing": (open_landing_page, "Free online mentoring for Boston Public Schools students"),
    "form": (open_form, "Nominate a student for a mentor"),
    "rejected_form": (open_rejected_form, "Nominate a student for a mentor"),
    "confirmation": (open_confirmation, "Thank you. We received the nomination."),
    "not_found": (open_not_found_page, "Page not found"),
    "refused_request": (open_refused_request_page, "This page could not be opened"),
    "rate_limited": (open_rate_limited_page, "Please try again later"),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_name", PAGES)
def test_public_page_passes_axe(
    page: Page, translate, page_name: str, language: str, axe_script: str, rate_limited_url: str
):
    open_page, heading = PAGES[page_name]
    open_page(page, language, rate_limited_url=rate_limited_url)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text() == translate(language, heading), (
        f"the {page_name} page ({language}) was not reached"
    )

    violations = run_axe(page, axe_script)

    blocking = [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]
    assert not blocking, (
        f"axe found serious or critical violations on the {page_name} page ({language}), "
        f"{page.url}:\n{describe_violations(violations)}"
    )
