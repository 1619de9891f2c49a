"""Match health, the needs-attention list, the dashboard and the funder report on a small program.

Every expected number below was worked out by hand from the rows the fixture
creates; the comments show the sums.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from app.extensions import db
from app.models import Match, NominationStatusChange
from app.rules.choices import CloseReason, MatchStatus, NominationStatus, SessionOutcome
from app.rules.program_year import YearSpan
from app.rules.weekly_target import MatchDays, held_minutes_by_week, summarize_match
from app.services.attention import AttentionReason, needs_attention
from app.services.health import health_of_matches, ran_in_year_condition
from app.services.program_years import span_of
from app.services.reports import dashboard, funder_report, median_and_p90

D = dt.date
TODAY = D(2025, 10, 22)
"""A Wednesday. The week of 13 October is a week without school."""
UTC = dt.UTC


@dataclass
class Program:
    year: YearSpan
    m1: Match
    m2: Match
    m3: Match
    m4: Match


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


@pytest.fixture
def program(factory) -> Program:
    year = factory.program_year(D(2025, 9, 3), D(2026, 6, 12), breaks=[D(2025, 10, 13)])
    school_a, school_b = _two_schools()
    s1 = factory.student(grade=6, school_id=school_a)
    s2 = factory.student(grade=8, school_id=school_b)
    s3 = factory.student(grade=6, school_id=school_a)
    s4 = factory.student(grade=8, school_id=school_b)
    m1 = factory.match(student=s1, start_date=D(2025, 9, 3), subjects=["math"])
    m2 = factory.match(student=s2, start_date=D(2025, 9, 22), subjects=["reading", "writing"])
    m3 = factory.match(
        student=s3,
        start_date=D(2025, 9, 8),
        status=MatchStatus.closed,
        closed_on=D(2025, 10, 1),
        close_reason=CloseReason.goals_met,
        activated_at=utc(2025, 9, 8, 12),
    )
    m4 = factory.match(student=s4, start_date=D(2025, 10, 20), status=MatchStatus.proposed)
    sessions = {
        m1: [
            (D(2025, 9, 4), 60, "held", True),  # week of 1 Sep: partial, on target
            (D(2025, 9, 9), 60, "held", True),  # 8 Sep: on target
            (D(2025, 9, 16), 30, "held", True),  # 15 Sep: 30 + 30, on target
            (D(2025, 9, 18), 30, "held", True),
            (D(2025, 9, 23), 60, "student_no_show", True),  # 22 Sep: missed
            (D(2025, 9, 30), 45, "held", True),  # 29 Sep: missed
            (D(2025, 10, 7), 60, "held", False),  # 6 Oct: on target, proctor absent
            (D(2025, 10, 14), 60, "held", True),  # break week: not counted
            (D(2025, 10, 21), 30, "held", True),  # current week: not yet on target
        ],
        m2: [(D(2025, 9, 23), 60, "held", True)],
        m3: [
            (D(2025, 9, 9), 90, "held", True),
            (D(2025, 9, 16), 60, "held", True),
            (D(2025, 9, 23), 60, "held", True),
            (D(2025, 9, 30), 60, "held", True),  # closes Wednesday 1 Oct: partial, on target
        ],
    }
    for match, rows in sessions.items():
        for day, minutes, outcome, proctor in rows:
            factory.session(
                match,
                session_date=day,
                duration_minutes=minutes,
                outcome=SessionOutcome[outcome],
                proctor_present=proctor,
            )
    factory.check_in(m2, checked_on=D(2025, 10, 1))
    factory.check_in(m2, checked_on=D(2025, 10, 10))
    _nominations(factory)
    return Program(span_of(year), m1, m2, m3, m4)


def _two_schools() -> tuple[int, int]:
    from sqlalchemy import select

    from app.models import School

    return tuple(db.session.execute(select(School.id).order_by(School.id).limit(2)).scalars())


def _nominations(factory) -> None:
    waitlisted = NominationStatus.waitlisted
    matched = NominationStatus.matched
    # Sunday 7 Sep 23:30 in Boston is Monday 03:30 UTC: the week of 1 September.
    n1 = factory.nomination(status=waitlisted, submitted_at=utc(2025, 9, 8, 3, 30))
    n2 = factory.nomination(status=matched, submitted_at=utc(2025, 9, 10, 15))
    # Submitted the day before the first day: in the week of 1 September, not in the year.
    n3 = factory.nomination(status=matched, submitted_at=utc(2025, 9, 2, 12))
    factory.nomination(status=waitlisted, submitted_at=utc(2025, 10, 21, 12))
    # A second nomination of n1's student: counted once among students nominated.
    factory.nomination(
        status=NominationStatus.new,
        submitted_at=utc(2025, 9, 15, 12),
        student_first_name=n1.student_first_name,
        student_last_name=n1.student_last_name,
        student_date_of_birth=n1.student_date_of_birth,
    )
    for nomination, changed in ((n2, utc(2025, 9, 20, 14)), (n3, utc(2025, 9, 24, 16))):
        db.session.add(
            NominationStatusChange(
                nomination_id=nomination.id,
                from_status=NominationStatus.accepted,
                to_status=matched,
                changed_at=changed,
            )
        )
    db.session.commit()


def test_health_of_each_match(program):
    health = health_of_matches(ran_in_year_condition(program.year, TODAY), program.year, TODAY)
    assert set(health) == {program.m1.id, program.m2.id, program.m3.id}

    m1 = health[program.m1.id]
    # Full weeks 8, 15, 22, 29 Sep and 6 Oct, plus the partial first week on target.
    assert (m1.target.on_target_weeks, m1.target.counted_weeks) == (4, 6)
    assert m1.target.missed_run == 0
    assert m1.held_minutes == 60 + 60 + 30 + 30 + 45 + 60 + 60 + 30
    assert m1.last_session == D(2025, 10, 21)
    assert m1.proctor_absent == 1
    assert m1.proctor_absent_recent == 1
    assert m1.check_in_due == D(2025, 9, 17)
    assert m1.check_in_overdue

    m2 = health[program.m2.id]
    assert (m2.target.on_target_weeks, m2.target.counted_weeks) == (1, 3)
    assert m2.target.missed_run == 2
    assert m2.target.weeks_without_session == 2
    assert m2.check_ins == 2
    assert m2.check_in_due == D(2025, 11, 9)
    assert not m2.check_in_overdue

    m3 = health[program.m3.id]
    assert (m3.target.on_target_weeks, m3.target.counted_weeks) == (4, 4)
    assert m3.held_minutes == 270


def test_health_equals_week_by_week_rules(program):
    health = health_of_matches(ran_in_year_condition(program.year, TODAY), program.year, TODAY)
    for match in (program.m1, program.m2, program.m3):
        db.session.refresh(match)
        minutes = held_minutes_by_week(
            [
                (s.session_date, s.duration_minutes, s.outcome is SessionOutcome.held)
                for s in match.sessions
            ],
            program.year,
        )
        expected = summarize_match(
            minutes, program.year, MatchDays(match.start_date, match.closed_on), TODAY
        )
        assert health[match.id].target == expected, match.id


def test_needs_attention_order_and_reasons(program):
    items = needs_attention(program.year, TODAY)
    assert [item.health.match_id for item in items] == [program.m2.id, program.m1.id]
    assert items[0].reasons == (AttentionReason.no_session,)
    assert items[1].reasons == (AttentionReason.proctor_absent, AttentionReason.check_in_overdue)


def test_needs_attention_filter_by_reason(program):
    items = needs_attention(program.year, TODAY, AttentionReason.check_in_overdue)
    assert [item.health.match_id for item in items] == [program.m1.id]
    assert needs_attention(program.year, TODAY, AttentionReason.below_target) == []


def test_dashboard_figures(program):
    figures = dashboard(program.year, TODAY)
    by_status = dict(figures.nominations_by_status)
    # Four accepted nominations come with the factory's students.
    assert by_status == {
        "New": 1,
        "In review": 0,
        "Accepted": 4,
        "Matched": 2,
        "Waitlisted": 2,
        "Declined": 0,
        "Withdrawn": 0,
    }
    assert figures.nominations_by_week == [
        (D(2025, 9, 1), 2),
        (D(2025, 9, 8), 1),
        (D(2025, 9, 15), 1),
        (D(2025, 9, 22), 0),
        (D(2025, 9, 29), 0),
        (D(2025, 10, 6), 0),
        (D(2025, 10, 13), 0),
        (D(2025, 10, 20), 1),
    ]
    assert figures.waitlist == 2
    # 10 and 22 days: median 16, 90th percentile 10 + 0.9 * 12.
    assert figures.days_to_match_median == 16
    assert figures.days_to_match_p90 == pytest.approx(20.8)
    assert figures.open_matches == 3
    assert figures.hours_this_week == pytest.approx(0.5)
    assert figures.hours_this_year == pytest.approx((375 + 60 + 270) / 60)
    total = figures.breakdowns.total
    assert (total.on_target, total.counted) == (9, 13)


def test_dashboard_breakdowns(program):
    groups = dashboard(program.year, TODAY).breakdowns
    grades = {grade: (share.on_target, share.counted) for grade, share in groups.by_grade.items()}
    assert grades == {6: (8, 10), 8: (1, 3)}
    subjects = {name: (s.on_target, s.counted) for name, s in groups.by_subject.items()}
    assert subjects == {"Math": (8, 10), "Reading": (1, 3), "Writing": (1, 3)}
    schools = sorted((s.on_target, s.counted, s.matches) for s in groups.by_school.values())
    assert schools == [(1, 3, 1), (8, 10, 2)]


def test_funder_report_figures(program):
    report = funder_report(program.year, TODAY)
    assert report.students_nominated == 3
    assert report.students_matched == 3
    assert report.students_served == 3
    assert report.hours_held == pytest.approx(705 / 60)
    assert (report.weeks_on_target.on_target, report.weeks_on_target.counted) == (9, 13)
    assert report.matches_ran == 3
    assert report.matches_to_year_end == 2
    assert report.closures_by_reason == [("Goals met", 1)]


def test_funder_report_mid_year_flags(program):
    report = funder_report(program.year, TODAY)

    assert report.year_over is False
    assert report.proposals_closed == 0


def test_funder_report_proposal_closed_apart(program, factory):
    factory.match(
        start_date=D(2025, 10, 6),
        status=MatchStatus.closed,
        closed_on=D(2025, 10, 6),
        close_reason=CloseReason.school_year_ended,
    )

    report = funder_report(program.year, TODAY)

    assert report.closures_by_reason == [("Goals met", 1)]
    assert report.proposals_closed == 1
    assert report.matches_ran == 3


def test_funder_report_future_year_empty(program, factory):
    later = factory.program_year(D(2026, 9, 2), D(2027, 6, 15))

    report = funder_report(span_of(later), TODAY)

    assert report.students_matched == 0
    assert report.matches_ran == 0
    assert report.matches_to_year_end == 0


def test_median_and_p90_edge_cases():
    assert median_and_p90([]) == (None, None)
    assert median_and_p90([7]) == (7.0, 7.0)
