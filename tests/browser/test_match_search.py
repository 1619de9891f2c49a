"""A coordinator finds a match by typing a name into the "Log a session" form's match field."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import MentoringSession
from app.rules.timezone import program_today

pytestmark = pytest.mark.browser

PASSWORD = "password-for-tests"


def log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('input[name="password"]').press("Enter")
    page.wait_for_url(lambda url: "/login/" not in url)


def test_coordinator_logs_session_for_searched_match(page: Page, factory):
    coordinator = factory.coordinator()
    factory.match(student=factory.student(first_name="Zora", last_name="Lindqvist"))
    student = factory.student(first_name="Zuleika", last_name="Okonkwo")
    mentor = factory.mentor(first_name="Ingrid", last_name="Vasquez")
    match = factory.match(student=student, mentor=mentor)
    log_in(page, coordinator.username)

    page.goto("/sessionview/add")
    match_select = page.locator('select[name="match"]')
    expect(match_select.locator("option")).to_have_count(0)
    match_select.locator("xpath=following-sibling::span[1]").locator(".select2-selection").click()
    page.locator(".select2-search__field").press_sequentially("zul")
    option = page.locator(".select2-results__option", has_text="Zuleika Okonkwo")
    expect(option).to_have_text("Zuleika Okonkwo — Ingrid Vasquez (Tuesday 16:00)")
    expect(page.locator(".select2-results__option")).to_have_count(1)
    option.click()
    expect(match_select).to_have_value(str(match.id))

    session_date = program_today(dt.datetime.now(dt.UTC)) - dt.timedelta(days=7)
    # The value is set directly: this test is about the match field, and in headless
    # Chromium FAB's date picker emptied a typed date when the field lost focus.
    date_input = page.locator('input[name="session_date"]')
    date_input.evaluate("(input, value) => { input.value = value; }", session_date.isoformat())
    page.locator('input[name="start_time"]').fill("16:00")
    page.locator('input[name="duration_minutes"]').fill("45")
    page.locator('select[name="outcome"]').select_option("held")
    page.locator('textarea[name="topics"], input[name="topics"]').fill("Fractions")
    with page.expect_navigation():
        page.locator('form#model_form [type="submit"]').first.click()

    expect(page.get_by_text("Session logged.")).to_be_visible()
    db.session.rollback()  # end the read transaction, to see the live server's write
    saved = db.session.execute(select(MentoringSession)).scalars().one()
    assert saved.match_id == match.id
    assert saved.duration_minutes == 45
