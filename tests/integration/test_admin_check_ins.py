"""Check-in screens: which matches take check-ins, dates kept on errors, the match page's health."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import MatchCheckIn
from app.rules.choices import CloseReason, MatchStatus
from app.rules.timezone import program_today

TODAY = program_today(dt.datetime.now(dt.UTC))


@pytest.fixture
def coordinator(client, factory, login_as):
    user = factory.coordinator()
    login_as(client, user)
    return user


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def closed_match(factory, closed_on: dt.date):
    return factory.match(
        status=MatchStatus.closed,
        closed_on=closed_on,
        close_reason=CloseReason.goals_met,
    )


def post_check_in(client, match_id, checked_on: str):
    return client.post(
        "/checkinview/add",
        data={
            "match": str(match_id),
            "checked_on": checked_on,
            "contact_with": "mentor",
            "channel": "phone",
        },
    )


def check_in_count() -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(MatchCheckIn)).scalar()


def test_check_in_on_proposed_match_rejected(client, coordinator, factory):
    match = factory.match(status=MatchStatus.proposed, start_date=TODAY)
    response = post_check_in(client, match.id, TODAY.isoformat())
    assert response.status_code == 200
    assert "This match is proposed and has not started" in text_of(response)
    assert check_in_count() == 0


def test_check_in_after_close_date_rejected(client, coordinator, factory):
    closed_on = TODAY - dt.timedelta(days=10)
    match = closed_match(factory, closed_on)
    response = post_check_in(client, match.id, (closed_on + dt.timedelta(days=1)).isoformat())
    assert response.status_code == 200
    assert f"The match closed on {closed_on}. Enter that date or an earlier one." in text_of(
        response
    )
    assert check_in_count() == 0


def test_check_in_on_close_date_saved(client, coordinator, factory):
    closed_on = TODAY - dt.timedelta(days=10)
    match = closed_match(factory, closed_on)
    response = post_check_in(client, match.id, closed_on.isoformat())
    assert response.status_code == 302
    assert check_in_count() == 1


def test_check_in_add_form_lists_prefilled_match_only(client, coordinator, factory):
    active = factory.match()
    proposed = factory.match(status=MatchStatus.proposed, start_date=TODAY)
    closed = closed_match(factory, TODAY - dt.timedelta(days=3))
    text = text_of(client.get(f"/checkinview/add?match={active.id}"))
    assert f'value="{active.id}"' in text
    assert f'value="{proposed.id}"' not in text
    assert f'value="{closed.id}"' not in text


@pytest.mark.parametrize("typed", ["2027-13-45", "tomorrow"])
def test_check_in_form_keeps_invalid_date(client, coordinator, factory, typed):
    match = factory.match()
    response = post_check_in(client, match.id, typed)
    assert response.status_code == 200
    text = text_of(response)
    assert "Enter the date of the check-in as YYYY-MM-DD, such as 2027-06-14." in text
    assert f'value="{typed}"' in text
    assert check_in_count() == 0


def test_check_in_form_rejects_year_9999(client, coordinator, factory):
    match = factory.match()
    response = post_check_in(client, match.id, "9999-12-27")
    assert response.status_code == 200
    assert "The check-in date must be between 2000-01-01 and 2100-12-31" in text_of(response)


def test_proposed_match_page_explains_health(client, coordinator, factory):
    factory.program_year()
    match = factory.match(status=MatchStatus.proposed, start_date=TODAY)
    text = text_of(client.get(f"/matchview/show/{match.id}"))
    assert 'id="health-not-started"' in text
    assert "Log a check-in" not in text


def test_closed_match_shows_no_due_date(client, coordinator, factory):
    factory.program_year()
    match = closed_match(factory, TODAY - dt.timedelta(days=5))
    text = text_of(client.get(f"/matchview/show/{match.id}"))
    assert 'id="no-check-in-due"' in text
    assert "Log a check-in" in text


def test_late_first_check_in_clears_overdue(client, coordinator, factory):
    factory.program_year()
    match = factory.match(start_date=TODAY - dt.timedelta(days=35))
    factory.check_in(match, checked_on=TODAY)
    text = text_of(client.get(f"/matchview/show/{match.id}"))
    assert (TODAY + dt.timedelta(days=14)).isoformat() in text
    assert "overdue" not in text
