"""The program-year, check-in, needs-attention, dashboard, funder report and year-end screens."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Match, MatchCheckIn, ProgramYear, ProgramYearBreak
from app.rules.choices import CloseReason, MatchStatus, SessionOutcome
from app.rules.timezone import program_today
from app.services.sql_dates import week_monday
from tests.conftest import make_app
from tests.integration.test_admin_csrf import login as csrf_login

TODAY = program_today(dt.datetime.now(dt.UTC))
PAGES_NEEDING_A_YEAR = ["/dashboard/", "/needs-attention/", "/funderreport/"]


@pytest.fixture
def coordinator(client, factory, login_as):
    user = factory.coordinator()
    login_as(client, user)
    return user


@pytest.fixture
def mentor_client(app, factory, login_as):
    mentor = factory.mentor()
    client = app.test_client()
    login_as(client, mentor.user)
    return client, mentor


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("page", PAGES_NEEDING_A_YEAR)
def test_page_without_year_shows_notice(client, coordinator, page):
    response = client.get(page)
    assert response.status_code == 200
    text = text_of(response)
    assert 'id="no-program-year"' in text
    assert "/programyearview/add" in text


def test_match_page_shows_no_year_notice(client, coordinator, factory):
    match = factory.match()
    text = text_of(client.get(f"/matchview/show/{match.id}"))
    assert 'id="no-program-year"' in text
    assert 'id="match-health"' not in text


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2030-09-08", "2030-09-01", "The last day must come after the first day"),
        ("2030-09-08", "2031-12-20", "at most about 13 months"),
        ("2026-01-05", "2026-03-01", "overlap the program year Existing"),
    ],
)
def test_program_year_form_rejects_bad_days(client, coordinator, factory, first, last, message):
    factory.program_year(dt.date(2025, 9, 3), dt.date(2026, 6, 12), name="Existing")
    response = client.post(
        "/programyearview/add", data={"name": "New year", "first_day": first, "last_day": last}
    )
    assert response.status_code == 200
    assert message in text_of(response)
    assert db.session.execute(sa.select(sa.func.count()).select_from(ProgramYear)).scalar() == 1


def test_program_year_form_saves_year(client, coordinator):
    response = client.post(
        "/programyearview/add",
        data={"name": " 2030-2031 ", "first_day": "2030-09-04", "last_day": "2031-06-13"},
    )
    assert response.status_code == 302
    year = db.session.execute(sa.select(ProgramYear)).scalar_one()
    assert year.name == "2030-2031"


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ("2030-11-26", "Enter the Monday of the week without school (2030-11-25"),
        ("2031-08-04", "This week is outside the program year"),
        ("abc", "Enter the Monday of the week as YYYY-MM-DD"),
    ],
)
def test_break_form_rejects_bad_week(client, coordinator, factory, week, message):
    year = factory.program_year(dt.date(2030, 9, 4), dt.date(2031, 6, 13))
    response = client.post(
        "/programyearbreakview/add",
        data={"program_year": str(year.id), "week_start": week, "label": "Vacation"},
    )
    assert response.status_code == 200
    assert message in text_of(response)


@pytest.mark.parametrize("year_id", ["999999", "abc", ""])
def test_break_form_unknown_year_named(client, coordinator, factory, year_id):
    factory.program_year(dt.date(2030, 9, 4), dt.date(2031, 6, 13))
    response = client.post(
        "/programyearbreakview/add",
        data={"program_year": year_id, "week_start": "2031-02-17", "label": "Vacation"},
    )
    assert response.status_code == 200
    assert "Choose the program year from the list." in text_of(response)
    assert (
        db.session.execute(sa.select(sa.func.count()).select_from(ProgramYearBreak)).scalar() == 0
    )


def test_break_form_date_with_spaces_saved(client, coordinator, factory):
    year = factory.program_year(dt.date(2030, 9, 4), dt.date(2031, 6, 13))
    response = client.post(
        "/programyearbreakview/add",
        data={"program_year": str(year.id), "week_start": " 2031-02-17 ", "label": "Vacation"},
    )
    assert response.status_code == 302


def test_break_form_saves_monday(client, coordinator, factory):
    year = factory.program_year(dt.date(2030, 9, 4), dt.date(2031, 6, 13))
    response = client.post(
        "/programyearbreakview/add",
        data={
            "program_year": str(year.id),
            "week_start": "2031-02-17",
            "label": "February vacation",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert [item.label for item in db.session.get(ProgramYear, year.id).breaks] == [
        "February vacation"
    ]
    page = text_of(client.get(f"/programyearview/show/{year.id}"))
    assert "February vacation" in page


@pytest.mark.parametrize(
    ("offset_days", "message"),
    [(1, "The check-in date is in the future"), (-400, "before the match started")],
)
def test_check_in_form_rejects_bad_date(client, coordinator, factory, offset_days, message):
    match = factory.match()
    response = client.post(
        "/checkinview/add",
        data={
            "match": str(match.id),
            "checked_on": (TODAY + dt.timedelta(days=offset_days)).isoformat(),
            "contact_with": "family",
            "channel": "phone",
            "notes": "Call about the schedule",
        },
    )
    assert response.status_code == 200
    assert message in text_of(response)
    assert db.session.execute(sa.select(sa.func.count()).select_from(MatchCheckIn)).scalar() == 0


def test_check_in_form_saves_to_match(client, coordinator, factory):
    match = factory.match()
    response = client.post(
        "/checkinview/add",
        data={
            "match": str(match.id),
            "checked_on": TODAY.isoformat(),
            "contact_with": "family",
            "channel": "video_call",
            "notes": "Family happy with progress",
        },
    )
    assert response.status_code == 302
    check_in = db.session.execute(sa.select(MatchCheckIn)).scalar_one()
    assert check_in.created_by_id == coordinator.id
    page = text_of(client.get(f"/matchview/show/{match.id}"))
    assert "Family happy with progress" in page


def test_check_in_notes_over_500_rejected(client, coordinator, factory):
    match = factory.match()
    response = client.post(
        "/checkinview/add",
        data={
            "match": str(match.id),
            "checked_on": TODAY.isoformat(),
            "contact_with": "mentor",
            "channel": "email",
            "notes": "x" * 501,
        },
    )
    assert response.status_code == 200
    assert "at most 500 characters" in text_of(response)


@pytest.mark.parametrize(
    "url",
    [
        "/checkinview/list/",
        "/checkinview/add",
        "/needs-attention/",
        "/dashboard/",
        "/funderreport/",
        "/programyearview/list/",
        "/sessionview/csv/",
        "/matchview/csv/",
    ],
)
def test_mentor_denied_coordinator_screens(mentor_client, url):
    client, _ = mentor_client
    response = client.get(url)
    assert response.status_code in (302, 403), url
    assert "text/csv" not in response.headers.get("Content-Type", "")


def test_portal_hides_csv_and_check_ins(mentor_client, factory):
    client, mentor = mentor_client
    match = factory.match(mentor=mentor)
    factory.check_in(match, notes="Private coordinator note")
    assert client.get("/mysessionsview/csv/").status_code == 404
    assert client.get("/mystudentsview/csv/").status_code == 404
    page = text_of(client.get(f"/mystudentsview/show/{match.student_id}"))
    assert "Private coordinator note" not in page
    listing = text_of(client.get("/mystudentsview/list/"))
    assert "Private coordinator note" not in listing


def test_health_pages_render_with_program_year(client, coordinator, factory):
    factory.program_year()
    match = factory.match(start_date=TODAY - dt.timedelta(days=40))
    factory.session(match, session_date=TODAY - dt.timedelta(days=20), proctor_present=False)
    dashboard = text_of(client.get("/dashboard/"))
    assert "<svg" in dashboard
    assert 'id="dashboard-figures"' in dashboard
    assert "All nominations, by current status: figures" in dashboard
    attention = client.get("/needs-attention/")
    assert attention.status_code == 200
    assert "Held session without the proctor in the last 28 days" in text_of(attention)
    assert str(match) in text_of(attention)
    show = text_of(client.get(f"/matchview/show/{match.id}"))
    assert 'id="match-health"' in show


@pytest.mark.parametrize("query", ["?page=abc", "?page=-1", "?reason=unknown", "?page=99999999999"])
def test_needs_attention_nonsense_arguments_400(client, coordinator, factory, query):
    factory.program_year()
    assert client.get(f"/needs-attention/{query}").status_code == 400


def test_needs_attention_filter_and_paging(client, coordinator, factory):
    factory.program_year()
    for _ in range(27):
        factory.match(start_date=TODAY - dt.timedelta(days=60))
    first = text_of(client.get("/needs-attention/?reason=check_in_overdue"))
    assert "27 matches listed" in first
    assert first.count("/matchview/show/") == 25
    second = text_of(client.get("/needs-attention/?reason=check_in_overdue&page=1"))
    assert second.count("/matchview/show/") == 2
    none = text_of(client.get("/needs-attention/?reason=below_target"))
    assert "No match needs attention." in none


def funder_program(factory):
    year = factory.program_year()
    match = factory.match(start_date=year.first_day + dt.timedelta(days=7))
    db.session.execute(
        sa.update(type(match.student))
        .where(type(match.student).id == match.student_id)
        .values(first_name="=HYPERLINK(1)")
    )
    db.session.commit()
    factory.session(match, session_date=TODAY - dt.timedelta(days=3))
    return year, match


def test_funder_report_page_counts_only(client, coordinator, factory):
    year, match = funder_program(factory)
    page = text_of(client.get(f"/funderreport/{year.id}/"))
    assert 'id="funder-figures"' in page
    assert 'id="funder-definitions"' in page
    assert "@media print" in page
    assert match.student.last_name not in page
    detailed = text_of(client.get(f"/funderreport/{year.id}/?detail=1"))
    assert match.student.last_name in detailed


def test_funder_report_csv(client, coordinator, factory):
    year, match = funder_program(factory)
    response = client.get(f"/funderreport/{year.id}/csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert "Students served,1" in body
    assert match.student.last_name not in body
    detailed = client.get(f"/funderreport/{year.id}/csv?detail=1").get_data(as_text=True)
    assert match.student.last_name in detailed
    assert "'=HYPERLINK(1)" in detailed


def xlsx_parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_funder_report_xlsx_opens(client, coordinator, factory):
    year, match = funder_program(factory)
    response = client.get(f"/funderreport/{year.id}/xlsx")
    assert response.status_code == 200
    parts = xlsx_parts(response.data)
    assert "[Content_Types].xml" in parts
    assert "xl/workbook.xml" in parts
    assert 'name="Summary"' in parts["xl/workbook.xml"]
    assert 'name="Matches"' not in parts["xl/workbook.xml"]
    assert match.student.last_name not in "".join(parts.values())
    detailed = xlsx_parts(client.get(f"/funderreport/{year.id}/xlsx?detail=1").data)
    assert 'name="Matches"' in detailed["xl/workbook.xml"]
    assert match.student.last_name in detailed["xl/sharedStrings.xml"]
    # Stored as text, not as a formula.
    assert "<f>" not in "".join(v for k, v in detailed.items() if k.startswith("xl/worksheets"))


@pytest.mark.parametrize("query", ["?detail=yes", "?detail=2"])
def test_funder_report_bad_detail_400(client, coordinator, factory, query):
    year = factory.program_year()
    assert client.get(f"/funderreport/{year.id}/{query}").status_code == 400


def test_funder_report_unknown_year_404(client, coordinator):
    assert client.get("/funderreport/999999/").status_code == 404


def year_end_program(factory):
    """A year that ended: two matches that can close and one with a later session."""
    last_day = TODAY - dt.timedelta(days=30)
    year = factory.program_year(last_day - dt.timedelta(days=280), last_day)
    closable = factory.match(start_date=last_day - dt.timedelta(days=100))
    proposed = factory.match(
        start_date=last_day - dt.timedelta(days=10), status=MatchStatus.proposed
    )
    blocked = factory.match(start_date=last_day - dt.timedelta(days=100))
    factory.session(blocked, session_date=last_day + dt.timedelta(days=5))
    next_year = factory.match(start_date=last_day + dt.timedelta(days=3))
    return year, closable, proposed, blocked, next_year


def test_year_end_preview_lists_open_matches(client, coordinator, factory):
    year, closable, proposed, blocked, next_year = year_end_program(factory)
    page = text_of(client.get(f"/programyearview/yearend/{year.id}"))
    count_line = re.search(r'id="year-end-count"><strong>([^<]*)</strong>', page).group(1)
    assert count_line == ("2 open matches will be closed. 1 of them is proposed and never started.")
    closing = page.split('id="year-end-matches"')[1].split("</table>")[0]
    for match in (closable, proposed):
        assert f"/matchview/show/{match.id}" in closing
    assert "Proposed (never started)" in closing
    assert f"/matchview/show/{blocked.id}" not in closing
    skipped = page.split('id="year-end-blocked"')[1].split("</table>")[0]
    assert f"/matchview/show/{blocked.id}" in skipped
    assert "A session is logged after the close date" in skipped
    assert "1 open match cannot close" in page
    assert "Close 2 matches" in page
    assert f"/matchview/show/{next_year.id}" not in page


def test_year_end_closes_and_reports_skipped(client, coordinator, factory):
    year, closable, proposed, blocked, next_year = year_end_program(factory)
    response = client.post(f"/programyearview/yearend/{year.id}", follow_redirects=True)
    assert response.status_code == 200
    text = text_of(response)
    assert "2 matches closed. 1 of them was proposed and never started." in text
    assert f"Match {blocked.id} was not closed: a session is logged on" in text
    assert "Enter" not in text.split(f"Match {blocked.id} was not closed")[1].split("</div>")[0]
    db.session.expire_all()
    for match in (closable, proposed):
        closed = db.session.get(Match, match.id)
        assert closed.status is MatchStatus.closed
        assert closed.close_reason is CloseReason.school_year_ended
        assert closed.closed_on == year.last_day
    assert db.session.get(Match, blocked.id).status is MatchStatus.active
    assert db.session.get(Match, next_year.id).status is MatchStatus.active


def test_year_end_refused_before_last_day(client, coordinator, factory):
    year = factory.program_year()
    match = factory.match()
    response = client.post(f"/programyearview/yearend/{year.id}", follow_redirects=True)
    assert "Close it on or after that day" in text_of(response)
    db.session.expire_all()
    assert db.session.get(Match, match.id).status is MatchStatus.active


@pytest.fixture
def csrf_client(app, database_url):
    guarded = make_app(database_url, WTF_CSRF_ENABLED=True)
    with guarded.app_context():
        yield guarded.test_client()


def test_year_end_without_csrf_token_closes_nothing(csrf_client, factory):
    csrf_login(csrf_client, factory.coordinator())
    year, closable, *_ = year_end_program(factory)
    csrf_client.post(f"/programyearview/yearend/{year.id}")
    db.session.expire_all()
    assert db.session.get(Match, closable.id).status is MatchStatus.active


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        # Daylight saving starts on Sunday 9 March 2025 and ends on Sunday 2 November 2025.
        (dt.date(2025, 3, 9), dt.date(2025, 3, 3)),
        (dt.date(2025, 3, 10), dt.date(2025, 3, 10)),
        (dt.date(2025, 11, 2), dt.date(2025, 10, 27)),
        (dt.date(2025, 11, 3), dt.date(2025, 11, 3)),
        (dt.date(2024, 2, 29), dt.date(2024, 2, 26)),
    ],
)
def test_week_monday_in_sql(app, day, monday):
    assert db.session.execute(sa.select(week_monday(sa.literal(day, sa.Date)))).scalar() == monday


def test_not_held_sessions_count_no_minutes(factory):
    from app.rules.program_year import YearSpan
    from app.services.health import health_of_matches

    match = factory.match(start_date=dt.date(2025, 9, 1))
    for day, outcome in [
        (dt.date(2025, 9, 2), SessionOutcome.student_no_show),
        (dt.date(2025, 9, 3), SessionOutcome.cancelled_by_student),
        (dt.date(2025, 9, 4), SessionOutcome.cancelled_by_mentor),
    ]:
        factory.session(match, session_date=day, outcome=outcome)
    year = YearSpan(dt.date(2025, 9, 1), dt.date(2026, 6, 12))
    health = health_of_matches(Match.id == match.id, year, dt.date(2025, 9, 10))[match.id]
    assert health.held_minutes == 0
    assert (health.target.on_target_weeks, health.target.counted_weeks) == (0, 1)
    assert health.last_session == dt.date(2025, 9, 4)


def summer_years(factory):
    """An ended year and the next one, with today in the summer between them."""
    ended = factory.program_year(
        TODAY - dt.timedelta(days=300), TODAY - dt.timedelta(days=20), name="Ended year"
    )
    coming = factory.program_year(
        TODAY + dt.timedelta(days=30), TODAY + dt.timedelta(days=310), name="Coming year"
    )
    return ended, coming


@pytest.mark.parametrize("page", ["/dashboard/", "/needs-attention/"])
def test_summer_page_names_years_around(client, coordinator, factory, page):
    ended, coming = summer_years(factory)
    text = text_of(client.get(page))
    assert 'id="no-program-year"' in text
    assert f"The next year, Coming year, starts on {coming.first_day}." in text
    assert f"The last year, Ended year, ended on {ended.last_day}." in text
    assert "/programyearview/add" not in text


def test_summer_dashboard_shows_pipeline(client, coordinator, factory):
    summer_years(factory)
    factory.match()
    text = text_of(client.get("/dashboard/"))
    assert 'id="pipeline-figures"' in text
    assert "Open matches (proposed or active)</th><td>1</td>" in text
    assert 'id="pipeline-by-status"' in text
    assert "Students on the waitlist" in text


def test_match_page_shows_earlier_year(client, coordinator, factory):
    ended, coming = summer_years(factory)
    match = factory.match(
        start_date=ended.first_day + dt.timedelta(days=10),
        status=MatchStatus.closed,
        activated_at=dt.datetime.now(dt.UTC),
        closed_on=ended.last_day,
        close_reason=CloseReason.school_year_ended,
    )
    factory.session(match, session_date=ended.last_day - dt.timedelta(days=3))
    text = text_of(client.get(f"/matchview/show/{match.id}"))
    assert 'id="match-health"' in text
    assert "School weeks on target in Ended year" in text
    assert f"The next year, Coming year, starts on {coming.first_day}." in text


def test_match_page_closed_last_year_shows_it(client, coordinator, factory):
    last_year = factory.program_year(
        TODAY - dt.timedelta(days=500), TODAY - dt.timedelta(days=200), name="Last year"
    )
    factory.program_year(
        TODAY - dt.timedelta(days=100), TODAY + dt.timedelta(days=150), name="This year"
    )
    match = factory.match(
        start_date=last_year.first_day + dt.timedelta(days=10),
        status=MatchStatus.closed,
        activated_at=dt.datetime.now(dt.UTC),
        closed_on=last_year.last_day,
        close_reason=CloseReason.school_year_ended,
    )
    text = text_of(client.get(f"/matchview/show/{match.id}"))
    assert "School weeks on target in Last year" in text
    assert 'id="no-program-year"' not in text


def test_next_week_match_shows_health_start(client, coordinator, factory):
    factory.program_year()
    match = factory.match(start_date=TODAY + dt.timedelta(days=7))
    text = text_of(client.get(f"/matchview/show/{match.id}"))
    assert 'id="health-starts"' in text
    assert "None yet: health starts with the match's first school week." in text
    assert "0 of 0" not in text


def test_future_funder_report_shows_not_started(client, coordinator, factory):
    factory.program_year()
    future = factory.program_year(TODAY + dt.timedelta(days=200), TODAY + dt.timedelta(days=480))
    text = text_of(client.get(f"/funderreport/{future.id}/"))
    assert 'id="year-not-started"' in text
    assert f"it begins on {future.first_day}" in text
