"""Program-year and week-without-school screens: edit pages, date bounds, messages, URL values."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import ProgramYear, ProgramYearBreak
from app.rules.timezone import program_today


@pytest.fixture
def coordinator(client, factory, login_as):
    user = factory.coordinator()
    login_as(client, user)
    return user


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def year_with_break(factory) -> ProgramYear:
    return factory.program_year(
        dt.date(2026, 9, 8), dt.date(2027, 6, 18), breaks=[dt.date(2027, 6, 14)]
    )


def test_year_edit_page_renders(client, coordinator, factory):
    year = year_with_break(factory)
    response = client.get(f"/programyearview/edit/{year.id}")
    assert response.status_code == 200
    assert "Vacation 1" in text_of(response)


def test_year_edit_invalid_post_keeps_input(client, coordinator, factory):
    year = year_with_break(factory)
    response = client.post(
        f"/programyearview/edit/{year.id}",
        data={"name": year.name, "first_day": "2026-09-08", "last_day": "2027-06-10"},
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "The week without school of 2027-06-14 would fall outside the year" in text
    assert 'value="2027-06-10"' in text
    db.session.expire_all()
    assert db.session.get(ProgramYear, year.id).last_day == dt.date(2027, 6, 18)


@pytest.mark.parametrize(
    "url",
    [
        "/programyearview/edit/{year}?page_ProgramYearBreakView=%C2%B2",
        "/programyearview/show/{year}?page_ProgramYearBreakView=%C2%B2",
        "/programyearview/edit/{year}?psize_ProgramYearBreakView=0",
        "/programyearview/show/{year}?_oc_ProgramYearBreakView=bogus&_od_ProgramYearBreakView=asc",
        "/programyearview/edit/{year}?_oc_ProgramYearBreakView=bogus&_od_ProgramYearBreakView=asc",
        "/programyearview/edit/{year}?_oc_ProgramYearBreakView=label&_od_ProgramYearBreakView=up",
    ],
)
def test_year_pages_reject_bad_related_list_args(client, coordinator, factory, url):
    year = year_with_break(factory)
    assert client.get(url.format(year=year.id)).status_code == 400


def test_year_edit_sorts_related_list(client, coordinator, factory):
    year = year_with_break(factory)
    url = "/programyearview/edit/{}?_oc_ProgramYearBreakView=label&_od_ProgramYearBreakView=desc"
    assert client.get(url.format(year.id)).status_code == 200


def test_break_edit_page_renders(client, coordinator, factory):
    year = year_with_break(factory)
    response = client.get(f"/programyearbreakview/edit/{year.breaks[0].id}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/programyearview/yearend/{year}?page=%C2%B2", 400),
        ("/programyearview/yearend/{year}?page=-1", 400),
        ("/programyearview/yearend/99999999999999999999", 404),
        ("/funderreport/99999999999999999999/", 404),
        ("/funderreport/99999999999999999999/csv", 404),
        ("/programyearview/show/99999999999999999999", 404),
        ("/programyearview/edit/99999999999999999999", 404),
    ],
)
def test_nonsense_url_values_rejected(client, coordinator, factory, url, status):
    year = factory.program_year()
    assert client.get(url.format(year=year.id)).status_code == status


@pytest.mark.parametrize("view", ["checkinview", "sessionview"])
@pytest.mark.parametrize("value", ["%C2%B2", "99999999999999999999", "-1", "abc"])
def test_add_form_ignores_nonsense_match(client, coordinator, view, value):
    response = client.get(f"/{view}/add?match={value}")
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "0"])
def test_check_in_form_rejects_nonsense_match(client, coordinator, value):
    response = client.post(
        "/checkinview/add",
        data={
            "match": value,
            "checked_on": "2026-01-05",
            "contact_with": "family",
            "channel": "phone",
        },
    )
    assert response.status_code == 200
    assert "Choose an option from the list." in text_of(response)


def test_api_rejects_huge_match_id(client, coordinator):
    response = client.post("/api/v1/matches/99999999999999999999/activate")
    assert response.status_code in (401, 404)


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("9999-01-04", "9999-12-31", "The first day of school must be between 2000-01-01"),
        ("0001-01-04", "0001-12-31", "The first day of school must be between 2000-01-01"),
        ("2100-09-01", "2101-06-10", "The last day of school must be between 2000-01-01"),
    ],
)
def test_year_form_rejects_dates_out_of_range(client, coordinator, first, last, message):
    response = client.post(
        "/programyearview/add", data={"name": "Far", "first_day": first, "last_day": last}
    )
    assert response.status_code == 200
    assert message in text_of(response)
    assert db.session.execute(sa.select(sa.func.count()).select_from(ProgramYear)).scalar() == 0


@pytest.mark.parametrize("week", ["9999-12-27", "0001-01-01"])
def test_break_form_rejects_dates_out_of_range(client, coordinator, factory, week):
    year = year_with_break(factory)
    response = client.post(
        "/programyearbreakview/add",
        data={"program_year": str(year.id), "week_start": week, "label": "Vacation"},
    )
    assert response.status_code == 200
    assert "The week's Monday must be between 2000-01-01 and 2100-12-31" in text_of(response)


@pytest.mark.parametrize("typed", ["2027-13-45", "tomorrow"])
@pytest.mark.parametrize("field", ["first_day", "last_day"])
def test_year_form_keeps_invalid_date(client, coordinator, typed, field):
    data = {"name": "2026-2027", "first_day": "2026-09-08", "last_day": "2027-06-18"}
    data[field] = typed
    response = client.post("/programyearview/add", data=data)
    assert response.status_code == 200
    text = text_of(response)
    field_name = "the first day of school" if field == "first_day" else "the last day of school"
    assert f"Enter {field_name} as YYYY-MM-DD, such as 2027-06-14." in text
    assert f'value="{typed}"' in text
    assert "Not a valid date value" not in text


@pytest.mark.parametrize("typed", ["2027-13-45", "tomorrow"])
def test_break_form_keeps_invalid_date(client, coordinator, factory, typed):
    year = year_with_break(factory)
    response = client.post(
        "/programyearbreakview/add",
        data={"program_year": str(year.id), "week_start": typed, "label": "Vacation"},
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "Enter the Monday of the week as YYYY-MM-DD" in text
    assert f'value="{typed}"' in text


def test_year_form_duplicate_name_on_field(client, coordinator, factory):
    factory.program_year(dt.date(2025, 9, 3), dt.date(2026, 6, 12), name="2025-2026")
    response = client.post(
        "/programyearview/add",
        data={"name": "2025-2026", "first_day": "2030-09-04", "last_day": "2031-06-13"},
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "A program year named 2025-2026 already exists." in text
    assert "conflicts with existing data" not in text
    assert 'value="2030-09-04"' in text


def test_break_form_duplicate_week_on_field(client, coordinator, factory):
    year = year_with_break(factory)
    response = client.post(
        "/programyearbreakview/add",
        data={"program_year": str(year.id), "week_start": "2027-06-14", "label": "Again"},
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "The week of 2027-06-14 is already a week without school" in text
    assert "conflicts with existing data" not in text
    assert (
        db.session.execute(sa.select(sa.func.count()).select_from(ProgramYearBreak)).scalar() == 1
    )


def test_break_edit_to_own_week_saves(client, coordinator, factory):
    year = year_with_break(factory)
    week = year.breaks[0]
    response = client.post(
        f"/programyearbreakview/edit/{week.id}",
        data={"week_start": "2027-06-14", "label": "June week"},
    )
    assert response.status_code == 302


def ended_year(factory) -> ProgramYear:
    last_day = program_today(dt.datetime.now(dt.UTC)) - dt.timedelta(days=30)
    return factory.program_year(last_day - dt.timedelta(days=280), last_day)


def test_year_end_singular_button(client, coordinator, factory):
    year = ended_year(factory)
    factory.match(start_date=year.last_day - dt.timedelta(days=100))
    text = text_of(client.get(f"/programyearview/yearend/{year.id}"))
    assert "1 open match will be closed." in text
    assert "Close 1 match<" in text
    assert "proposed and never started" not in text


def test_year_end_singular_after_run(client, coordinator, factory):
    year = ended_year(factory)
    factory.match(start_date=year.last_day - dt.timedelta(days=100))
    response = client.post(f"/programyearview/yearend/{year.id}", follow_redirects=True)
    assert "1 match closed." in text_of(response)


def test_year_end_page_past_end(client, coordinator, factory):
    year = ended_year(factory)
    factory.match(start_date=year.last_day - dt.timedelta(days=100))
    text = text_of(client.get(f"/programyearview/yearend/{year.id}?page=5"))
    assert "1 open match will be closed." in text
    assert "This page is past the end of the list." in text
    assert "No open matches" not in text


def test_year_end_without_matches(client, coordinator, factory):
    year = ended_year(factory)
    text = text_of(client.get(f"/programyearview/yearend/{year.id}"))
    assert "0 open matches will be closed." in text
    assert "No open matches to close." in text
    assert 'id="year-end-blocked"' not in text


def test_seven_digit_id_reaches_record(client, coordinator):
    year = ProgramYear(
        id=1234567, name="2030-2031", first_day=dt.date(2030, 9, 4), last_day=dt.date(2031, 6, 13)
    )
    db.session.add(year)
    db.session.commit()
    assert client.get("/programyearview/show/1234567").status_code == 200
    assert client.get("/programyearview/edit/1234567").status_code == 200
    assert client.get("/programyearview/show/2147483648").status_code == 404


def test_year_and_break_plain_messages(client, coordinator, factory):
    added = client.post(
        "/programyearview/add",
        data={"name": "2030-2031", "first_day": "2030-09-04", "last_day": "2031-06-13"},
        follow_redirects=True,
    )
    assert "Program year added." in text_of(added)
    year_id = db.session.execute(sa.select(ProgramYear.id)).scalar_one()

    changed = client.post(
        f"/programyearview/edit/{year_id}",
        data={"name": "2030-2031", "first_day": "2030-09-04", "last_day": "2031-06-20"},
        follow_redirects=True,
    )
    assert "Program year updated." in text_of(changed)

    week = client.post(
        "/programyearbreakview/add",
        data={"program_year": str(year_id), "week_start": "2031-02-17", "label": "Vacation"},
        follow_redirects=True,
    )
    assert "Week without school added." in text_of(week)
    break_id = db.session.execute(sa.select(ProgramYearBreak.id)).scalar_one()

    week_changed = client.post(
        f"/programyearbreakview/edit/{break_id}",
        data={"week_start": "2031-02-24", "label": "Vacation"},
        follow_redirects=True,
    )
    assert "Week without school updated." in text_of(week_changed)

    week_deleted = client.post(f"/programyearbreakview/delete/{break_id}", follow_redirects=True)
    assert "Week without school deleted." in text_of(week_deleted)

    deleted = client.post(f"/programyearview/delete/{year_id}", follow_redirects=True)
    assert "Program year deleted." in text_of(deleted)
    for response in (added, changed, week, week_changed, week_deleted, deleted):
        assert " Row" not in text_of(response)


def test_no_view_flashes_fab_row_message(app):
    from app.admin.base import AdminModelView

    fab_defaults = {"Added Row", "Changed Row", "Deleted Row"}
    routes = {"add": "add_row_message", "edit": "edit_row_message", "delete": "delete_row_message"}
    for view in app.appbuilder.baseviews:
        if not isinstance(view, AdminModelView):
            continue
        for route, attribute in routes.items():
            if route in view.exclude_route_methods:
                continue
            message = str(getattr(view, attribute))
            assert message not in fab_defaults, (type(view).__name__, attribute)


def test_year_end_closes_in_batches(client, coordinator, factory, monkeypatch):
    import app.admin.program_years as program_years_admin
    from app.models import Match
    from app.rules.choices import MatchStatus

    monkeypatch.setattr(program_years_admin, "YEAR_END_BATCH_SIZE", 2)
    year = ended_year(factory)
    matches = [factory.match(start_date=year.last_day - dt.timedelta(days=100)) for _ in range(5)]
    blocked = matches[1]
    factory.session(blocked, session_date=year.last_day + dt.timedelta(days=3))

    def open_count() -> int:
        db.session.expire_all()
        return sum(db.session.get(Match, m.id).status is MatchStatus.active for m in matches)

    page = text_of(client.get(f"/programyearview/yearend/{year.id}"))
    assert "Close the next 2 matches of 4" in page
    assert 'id="year-end-batches"' in page

    first = client.post(f"/programyearview/yearend/{year.id}")
    assert first.status_code == 302
    assert f"after={blocked.id}" in first.headers["Location"]
    assert open_count() == 4

    continued = text_of(client.get(first.headers["Location"]))
    assert "Continue: close the next 2 matches of 3" in continued
    assert f"/programyearview/yearend/{year.id}?after={blocked.id}" in continued

    second = client.post(first.headers["Location"])
    assert "after=" in second.headers["Location"]
    assert open_count() == 2

    third = client.post(second.headers["Location"], follow_redirects=True)
    assert "1 match closed." in text_of(third)
    assert open_count() == 1
    db.session.expire_all()
    assert db.session.get(Match, blocked.id).status is MatchStatus.active
    assert 'id="year-end-batches"' not in text_of(client.get(f"/programyearview/yearend/{year.id}"))


def test_year_end_rejects_bad_after(client, coordinator, factory):
    year = ended_year(factory)
    assert client.get(f"/programyearview/yearend/{year.id}?after=abc").status_code == 400
    assert client.post(f"/programyearview/yearend/{year.id}?after=-1").status_code == 400
    assert client.get(f"/programyearview/yearend/{year.id}?after=2147483648").status_code == 400


def test_year_end_accepts_long_after(client, coordinator, factory):
    from app.models import Match
    from app.rules.choices import MatchStatus

    year = ended_year(factory)
    match = factory.match(start_date=year.last_day - dt.timedelta(days=100))

    page = client.get(f"/programyearview/yearend/{year.id}?after=1234567")
    assert page.status_code == 200

    batch = client.post(f"/programyearview/yearend/{year.id}?after=1234567")
    assert batch.status_code == 302
    db.session.expire_all()
    assert db.session.get(Match, match.id).status is MatchStatus.active


def test_year_end_future_year_lists_nothing(client, coordinator, factory):
    today = program_today(dt.datetime.now(dt.UTC))
    factory.program_year(today - dt.timedelta(days=100), today + dt.timedelta(days=100))
    future = factory.program_year(today + dt.timedelta(days=200), today + dt.timedelta(days=480))
    current_match = factory.match(start_date=today - dt.timedelta(days=50))
    text = text_of(client.get(f"/programyearview/yearend/{future.id}"))
    assert 'id="year-end-not-yet"' in text
    assert f"The year ends on {future.last_day}" in text
    assert f"/matchview/show/{current_match.id}" not in text
    assert 'id="year-end-matches"' not in text
