"""``flask ils demo-data``: the demo program covers every case and passes the program's rules."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter

import pytest
import sqlalchemy as sa
from flask import current_app
from flask_appbuilder.security.sqla.models import User
from werkzeug.security import check_password_hash

import app.demo as demo
from app.demo.context import DemoContext, school_levels
from app.demo.loader import DEMO_LOGINS, DemoSummary, load_demo_program
from app.demo.nominations import draw_profiles
from app.demo.review import plan_nominations
from app.extensions import db
from app.models import (
    Match,
    MatchCheckIn,
    Mentor,
    MentoringSession,
    Nomination,
    NominationStatusChange,
    Student,
)
from app.models.types import utcnow
from app.rules.choices import (
    LANGUAGES,
    CheckStatus,
    MatchStatus,
    MentorStatus,
    NominationStatus,
    NominatorKind,
    SessionOutcome,
)
from app.rules.timezone import PROGRAM_TZ, add_years, program_today
from app.services.attention import needs_attention
from app.services.nominations import REFERENCE_ALPHABET, REFERENCE_LENGTH, REFERENCE_PREFIX
from app.services.program_years import span_of, year_on
from tests.conftest import make_app

SEED = 11
DEMO_EMAIL_DOMAINS = ("@example.org", "@example.com", "@example.net")
OPEN_STATUSES = (MatchStatus.proposed, MatchStatus.active)
REFERENCE_PATTERN = re.escape(REFERENCE_PREFIX) + f"[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}"


def boston_today() -> dt.date:
    return program_today(utcnow())


def run_command(*args: str, application=None):
    application = application or current_app
    return application.test_cli_runner().invoke(args=["ils", "demo-data", *args])


def load(*args: str):
    result = run_command("--seed", str(SEED), *args)
    assert result.exit_code == 0, result.output
    return result


def all_rows(model) -> list:
    return list(db.session.execute(sa.select(model)).scalars())


def row_counts() -> dict[str, int]:
    return {
        model.__name__: db.session.execute(sa.select(sa.func.count(model.id))).scalar_one()
        for model in (Nomination, NominationStatusChange, Student, Mentor, Match, MentoringSession)
    }


def demo_plan(seed: int, now: dt.datetime) -> tuple[list, list]:
    """Return the nomination timelines and student profiles that ``seed`` plans at ``now``."""
    context = DemoContext(
        rng=random.Random(seed),
        now=now,
        today=program_today(now),
        coordinator_id=1,
        clearance_years=3,
        schools_by_level=school_levels(),
    )
    plans = plan_nominations(context)
    return plans, draw_profiles(context, len(plans), self_nominations=4)


@pytest.fixture
def other_env_app(database_url):
    """Return a function that builds an app on the test database with another ILS_ENV."""
    built = []

    def build(env: str):
        application = make_app(database_url, ILS_ENV=env)
        built.append(application)
        return application

    yield build
    for application in built:
        with application.app_context():
            db.engine.dispose()


def test_demo_data_covers_every_case(app):
    load()
    nominations = all_rows(Nomination)
    mentors = all_rows(Mentor)
    matches = all_rows(Match)
    sessions = all_rows(MentoringSession)

    assert 50 <= len(nominations) <= 70
    assert {n.status for n in nominations} == set(NominationStatus)
    assert {n.nominator_kind for n in nominations} == set(NominatorKind)
    assert {n.student_grade for n in nominations} == set(range(1, 13))
    assert {n.language for n in nominations} == set(LANGUAGES)
    assert sum(n.duplicate_of_id is not None for n in nominations) == 1

    assert 20 <= len(mentors) <= 30
    assert {m.status for m in mentors} == set(MentorStatus)
    assert {m.capacity for m in mentors} == {1, 2, 3}
    assert any(m.cori_status is CheckStatus.submitted for m in mentors)
    expired_before = add_years(boston_today(), -current_app.config["ILS_CLEARANCE_YEARS"])
    assert any(m.cori_cleared_on and m.cori_cleared_on < expired_before for m in mentors)
    assert any(m.training_hours is not None and m.training_hours < 2 for m in mentors)
    for mentor in mentors:
        if mentor.cori_cleared_on and mentor.cori_cleared_on < expired_before:
            assert mentor.status is MentorStatus.screening, mentor.id

    assert 15 <= len(matches) <= 25
    assert {m.status for m in matches} == set(MatchStatus)
    assert 150 <= len(sessions) <= 500
    assert {s.outcome for s in sessions} == set(SessionOutcome)

    for n in nominations:
        adult = add_years(n.student_date_of_birth, 18) <= boston_today()
        if n.nominator_kind is NominatorKind.self:
            assert adult, f"self-nomination {n.id} by a minor"
            assert n.student_email, f"self-nomination {n.id} without the student's e-mail"
        if n.nominator_kind is NominatorKind.school_staff:
            assert n.staff_role, f"staff nomination {n.id} without a role"
            if not adult:
                assert n.guardian_email, f"staff nomination {n.id} of a minor without guardian"
        if n.status is NominationStatus.declined:
            assert n.decline_reason, f"declined nomination {n.id} without a reason"
        assert n.nominator_email.endswith(DEMO_EMAIL_DOMAINS), n.id
        assert re.fullmatch(REFERENCE_PATTERN, n.reference), n.id
        for phone in (n.nominator_phone, n.guardian_phone):
            assert phone is None or phone.startswith("(617) 555-01"), n.id

        changes = n.status_changes
        assert changes[0].from_status is None, n.id
        assert changes[-1].to_status is n.status, n.id
        times = [change.changed_at for change in changes]
        assert times == sorted(times), n.id


def test_demo_data_follows_matching_rules(app):
    load()
    matches = all_rows(Match)
    today = boston_today()
    open_by_student = Counter(m.student_id for m in matches if m.status in OPEN_STATUSES)
    open_by_mentor = Counter(m.mentor_id for m in matches if m.status in OPEN_STATUSES)

    assert max(open_by_student.values()) == 1
    for mentor in all_rows(Mentor):
        assert open_by_mentor[mentor.id] <= mentor.capacity, f"mentor {mentor.id} over capacity"
    for match in matches:
        if match.closed_on is not None:
            assert match.start_date <= match.closed_on <= today, match.id
        if match.activated_at is not None:
            assert match.created_at < match.activated_at, match.id
        statuses = {n.status for n in match.student.nominations}
        assert statuses & {NominationStatus.accepted, NominationStatus.matched}, match.id

    sessions = all_rows(MentoringSession)
    slots = Counter((s.match_id, s.session_date, s.start_time) for s in sessions)
    assert max(slots.values()) == 1
    for session in sessions:
        match = session.match
        assert match.status is not MatchStatus.proposed, session.id
        assert match.start_date <= session.session_date <= today, session.id
        if match.closed_on is not None:
            assert session.session_date <= match.closed_on, session.id
        if session.outcome is SessionOutcome.held:
            assert 45 <= session.duration_minutes <= 75, session.id
        else:
            assert 15 <= session.duration_minutes <= 180, session.id

    students_by_login = {}
    for login in ("mentor1", "mentor2"):
        mentor = db.session.execute(
            sa.select(Mentor).join(User, Mentor.user_id == User.id).where(User.username == login)
        ).scalar_one()
        students_by_login[login] = {m.student_id for m in mentor.matches if m.is_open}
    assert students_by_login["mentor1"]
    assert students_by_login["mentor2"]
    assert not students_by_login["mentor1"] & students_by_login["mentor2"]


def test_demo_logins_work(app, client):
    result = load()

    for login in DEMO_LOGINS:
        assert login.username in result.output
        assert login.password not in result.output
        response = client.post(
            "/login/", data={"username": login.username, "password": login.password}
        )
        assert response.status_code == 302
        assert "/login" not in response.headers["Location"], login.username
        client.get("/logout/")


def test_rerun_with_if_empty_adds_nothing(app):
    load()
    before = row_counts()

    result = run_command("--if-empty")

    assert result.exit_code == 0, result.output
    assert "nothing was added" in result.output
    assert row_counts() == before


def test_existing_login_keeps_password(app, factory):
    admin = factory.user("Admin", username="admin")
    password_hash = admin.password

    load()

    assert db.session.get(User, admin.id).password == password_hash


@pytest.mark.parametrize("env", ["development", "testing"])
def test_passwords_printed_in_development_only(app, other_env_app, monkeypatch, env):
    calls = []

    def fake_load(seed, *, known_passwords):
        calls.append(known_passwords)
        return DemoSummary(existing_logins=["admin"])

    monkeypatch.setattr(demo, "load_demo_program", fake_load)
    application = other_env_app(env)
    with application.app_context():
        result = run_command(application=application)

    assert result.exit_code == 0, result.output
    assert calls == [True]
    printed = [login.password in result.output for login in DEMO_LOGINS]
    assert printed == [env == "development"] * len(DEMO_LOGINS)
    assert ("password unchanged" in result.output) is (env == "development")


def test_production_rejected_without_force(app, other_env_app):
    production = other_env_app("production")
    with production.app_context():
        result = run_command(application=production)

    assert result.exit_code == 1
    assert "--force-in-production" in result.output
    assert row_counts()["Nomination"] == 0


def test_production_forced_gets_random_passwords(app, other_env_app):
    production = other_env_app("production")
    with production.app_context():
        result = run_command("--force-in-production", application=production)

    assert result.exit_code == 0, result.output
    assert row_counts()["Nomination"] > 0
    security = current_app.appbuilder.sm
    for login in DEMO_LOGINS:
        user = security.find_user(username=login.username)
        assert not check_password_hash(user.password, login.password), login.username
        assert login.password not in result.output


@pytest.mark.parametrize("existing", ["nomination", "mentor"])
def test_if_empty_skips_existing_data(factory, existing):
    getattr(factory, existing)()

    result = run_command("--if-empty")

    assert result.exit_code == 0, result.output
    assert "nothing was added" in result.output
    assert row_counts()["Match"] == 0


@pytest.mark.parametrize("existing", ["nomination", "mentor"])
def test_existing_data_rejected_without_if_empty(factory, existing):
    getattr(factory, existing)()

    result = run_command()

    assert result.exit_code == 1
    assert "already has nominations or mentors" in result.output
    assert row_counts()["Match"] == 0


def test_same_seed_same_plan(app):
    now = dt.datetime(2027, 3, 10, 17, 0, tzinfo=dt.UTC)

    first = demo_plan(SEED, now)
    second = demo_plan(SEED, now)
    other = demo_plan(SEED + 1, now)

    assert first == second
    assert first != other


@pytest.mark.parametrize(
    "boston_day",
    [
        dt.date(2027, 9, 1),  # first day of a school year
        dt.date(2027, 7, 1),  # the current school year becomes the next one
        dt.date(2028, 2, 29),
    ],
    ids=["1-september", "1-july", "29-february"],
)
def test_loads_on_calendar_edges(app, boston_day):
    now = dt.datetime.combine(boston_day, dt.time(12, 0), tzinfo=PROGRAM_TZ)

    summary = load_demo_program(SEED, known_passwords=False, now=now)

    assert summary.nominations == row_counts()["Nomination"]
    assert summary.matches[MatchStatus.closed] == 5
    assert year_on(boston_day) is not None


def test_demo_has_year_check_ins_and_attention(app):
    load()
    year = year_on(boston_today())
    assert year is not None
    assert len(year.breaks) >= 1
    assert db.session.execute(sa.select(sa.func.count()).select_from(MatchCheckIn)).scalar() > 0
    assert needs_attention(span_of(year), boston_today())
