"""Helpers that fill the public nomination form, read its state and run axe-core on a page.

Fields are found by their ``name`` attribute, which the form shares with the REST API,
so the helpers keep working when labels or their translations change. The people are
fictional.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Page
from sqlalchemy import func, select

from app.extensions import db
from app.models import Nomination, School
from app.models.types import utcnow
from app.rules.timezone import program_today, school_year_start

FORM_PATH = "/nominate/"
CONFIRMATION_PATH = "/nominate/thanks"
REFERENCE_PATTERN = re.compile(r"ILS-[A-HJKMNP-Z2-9]{8}")

# axe-core rule tags for WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

PARENT = {
    "nominator_first_name": "Marisol",
    "nominator_last_name": "Quintero",
    "nominator_email": "marisol.quintero@example.org",
    "nominator_phone": "(617) 555-0148",
    "student_first_name": "Tomás",
    "student_last_name": "Quintero",
    "student_grade": "6",
    "home_languages": "Español, English",
    "needs_description": "Fractions and word problems are hard.",
}

STAFF = {
    "nominator_first_name": "Dana",
    "nominator_last_name": "Whitfield",
    "nominator_email": "dana.whitfield@example.org",
    "staff_role": "Math teacher",
    "guardian_first_name": "Linh",
    "guardian_last_name": "Tran",
    "guardian_email": "linh.tran@example.org",
    "guardian_phone": "(857) 555-0172",
    "student_first_name": "Bao",
    "student_last_name": "Tran",
    "student_grade": "4",
}


def born_aged(age_on_1_september: int) -> dt.date:
    """Return a date of birth for a student of that age on 1 September of this school year."""
    september = school_year_start(program_today(utcnow()))
    return dt.date(september.year - age_on_1_september, 3, 15)


def first_open_school() -> School:
    """Return the school listed first in the form's school menu (open schools by name)."""
    query = select(School).where(School.retired.is_(False)).order_by(School.name).limit(1)
    return db.session.execute(query).scalar_one()


def stored_nomination(reference: str) -> Nomination:
    db.session.rollback()
    query = select(Nomination).where(Nomination.reference == reference)
    return db.session.execute(query).scalar_one()


def stored_nomination_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Nomination))


def field(page: Page, name: str, value: str | None = None):
    """Return the locator of the input named ``name`` (with ``value`` for a radio or checkbox)."""
    if value is None:
        return page.locator(f'[name="{name}"]')
    return page.locator(f'[name="{name}"][value="{value}"]')


def fill_text_fields(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        field(page, name).fill(value)


def fill_date_of_birth(page: Page, born: dt.date) -> None:
    field(page, "student_date_of_birth_day").fill(str(born.day))
    field(page, "student_date_of_birth_month").fill(str(born.month))
    field(page, "student_date_of_birth_year").fill(str(born.year))


def fill_parent_nomination(page: Page, school_code: str, language: str | None = None) -> None:
    """Fill in every field required from a parent, and a few optional ones, for a sixth grader.

    The family's language is left at its default (the page's language) unless given.
    """
    field(page, "nominator_kind", "parent_guardian").check()
    fill_text_fields(page, PARENT)
    fill_date_of_birth(page, born_aged(12))
    field(page, "student_school").select_option(school_code)
    if language is not None:
        field(page, "language").select_option(language)
    field(page, "needs", "math").check()
    field(page, "availability", "wed_early_evening").check()
    field(page, "consent_privacy").check()
    field(page, "consent_online_sessions").check()
    field(page, "attest_relationship").check()


def fill_staff_nomination(page: Page, school_code: str) -> None:
    """Fill a school staff member's nomination of a fourth grader, guardian contact included."""
    field(page, "nominator_kind", "school_staff").check()
    fill_text_fields(page, STAFF)
    fill_date_of_birth(page, born_aged(9))
    field(page, "student_school").select_option(school_code)
    field(page, "language").select_option("vi")
    field(page, "needs", "reading").check()
    field(page, "needs", "homework").check()
    field(page, "consent_privacy").check()
    field(page, "consent_online_sessions").check()
    field(page, "attest_relationship").check()


def submit_form(page: Page) -> None:
    """Press the form's submit button and wait for the page that the POST returns."""
    with page.expect_navigation():
        page.locator('#nomination-form [type="submit"]').click()


def run_axe(page: Page, axe_script: str) -> list[dict]:
    """Run axe-core's WCAG 2.0 and 2.1 A and AA rules on the page and return the violations.

    The script is evaluated in the page, because a Content-Security-Policy can block
    a script tag that Playwright adds.
    """
    page.evaluate(axe_script)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    results = page.evaluate("options => axe.run(document, options)", options)
    return results["violations"]


def describe_violations(violations: list[dict]) -> str:
    """Return one line per violation: rule id, impact, help text and the elements' selectors."""
    lines = []
    for violation in violations:
        targets = ", ".join(str(node["target"]) for node in violation["nodes"])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}: {targets}")
    return "\n".join(lines)


def active_element(page: Page) -> dict:
    """Return the focused element's tag, id, name, type, value and class."""
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            return {
                tag: element.tagName.toLowerCase(),
                id: element.id,
                name: element.getAttribute("name"),
                type: element.getAttribute("type"),
                value: element.getAttribute("value"),
                className: element.className,
            };
        }"""
    )
