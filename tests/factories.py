"""Builders for valid rows: each takes keyword overrides for the one field a test changes."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import (
    Match,
    MatchCheckIn,
    Mentor,
    MentoringSession,
    Nomination,
    OutboxMessage,
    ProgramYear,
    ProgramYearBreak,
    School,
    Student,
)
from app.models.types import utcnow
from app.rules.choices import (
    CheckInChannel,
    CheckInContact,
    CheckStatus,
    MailEvent,
    MatchStatus,
    MentorStatus,
    NominationStatus,
    NominatorKind,
    OutboxStatus,
    RecipientRole,
    SessionOutcome,
    Weekday,
)
from app.rules.nomination import normalize_name
from app.rules.timezone import program_today
from config import ADMIN_ROLE, COORDINATOR_ROLE, MENTOR_ROLE

TEST_PASSWORD = "password-for-tests"
TODAY = program_today(dt.datetime.now(dt.UTC))


class Factory:
    """Create rows in the test database. Every call commits."""

    def __init__(self) -> None:
        self._sequence = itertools.count(1)

    def _next(self) -> int:
        return next(self._sequence)

    def school(self) -> School:
        return db.session.execute(select(School).order_by(School.id).limit(1)).scalar_one()

    def user(self, role: str = COORDINATOR_ROLE, **overrides):
        security = current_app.appbuilder.sm
        number = self._next()
        username = overrides.pop("username", f"{role.lower()}{number}-{secrets.token_hex(3)}")
        user = security.add_user(
            username=username,
            first_name=overrides.pop("first_name", role),
            last_name=overrides.pop("last_name", f"User{number}"),
            email=overrides.pop("email", f"{username}@example.org"),
            role=security.find_role(role),
            password=TEST_PASSWORD,
        )
        assert user, "add_user failed"
        return user

    def admin(self):
        return self.user(ADMIN_ROLE)

    def coordinator(self):
        return self.user(COORDINATOR_ROLE)

    def nomination(self, **overrides) -> Nomination:
        number = self._next()
        values = dict(
            reference=f"T{number:05d}{secrets.token_hex(3).upper()}",
            status=NominationStatus.new,
            language="en",
            nominator_kind=NominatorKind.parent_guardian,
            nominator_first_name="Ana",
            nominator_last_name=f"Parent{number}",
            nominator_email=f"parent{number}@example.org",
            guardian_first_name="Ana",
            guardian_last_name=f"Parent{number}",
            guardian_email=f"parent{number}@example.org",
            student_first_name="Student",
            student_last_name=f"Number{number}",
            student_date_of_birth=dt.date(TODAY.year - 12, 3, 15),
            student_grade=6,
            school_id=self.school().id,
            needs=["math"],
            availability=["mon_afternoon"],
            consent_privacy=True,
            consent_online_sessions=True,
            attest_relationship=True,
        )
        values.update(overrides)
        values.setdefault(
            "normalized_name",
            normalize_name(values["student_first_name"], values["student_last_name"]),
        )
        nomination = Nomination(**values)
        db.session.add(nomination)
        db.session.commit()
        return nomination

    def student(self, accepted: bool = True, **overrides) -> Student:
        """Create a student with an accepted nomination (as acceptance would)."""
        number = self._next()
        values = dict(
            first_name="Student",
            last_name=f"Learner{number}",
            date_of_birth=dt.date(TODAY.year - 12, 5, 1),
            grade=6,
            school_id=self.school().id,
            language="en",
            guardian_first_name="Guardian",
            guardian_last_name=f"Learner{number}",
            guardian_email=f"guardian{number}@example.org",
            needs=["math", "reading"],
            availability=["tue_afternoon"],
        )
        values.update(overrides)
        values.setdefault(
            "normalized_name", normalize_name(values["first_name"], values["last_name"])
        )
        student = Student(**values)
        db.session.add(student)
        db.session.flush()
        status = NominationStatus.accepted if accepted else NominationStatus.in_review
        self.nomination(
            student_id=student.id if accepted else None,
            status=status,
            student_first_name=student.first_name,
            student_last_name=student.last_name,
            student_date_of_birth=student.date_of_birth,
            student_grade=student.grade,
        )
        db.session.commit()
        return student

    def mentor(self, ready: bool = True, with_login: bool = True, **overrides) -> Mentor:
        number = self._next()
        cleared = TODAY - dt.timedelta(days=30)
        values = dict(
            first_name="Mentor",
            last_name=f"Volunteer{number}",
            email=f"mentor{number}-{secrets.token_hex(3)}@example.org",
            status=MentorStatus.ready if ready else MentorStatus.screening,
            capacity=1,
            cori_status=CheckStatus.cleared if ready else CheckStatus.submitted,
            cori_cleared_on=cleared if ready else None,
            sori_status=CheckStatus.cleared if ready else CheckStatus.submitted,
            sori_cleared_on=cleared if ready else None,
            training_completed_on=cleared if ready else None,
            training_hours=Decimal("3") if ready else None,
            subjects=["math"],
        )
        if with_login:
            values["user_id"] = self.user(MENTOR_ROLE).id
        values.update(overrides)
        mentor = Mentor(**values)
        db.session.add(mentor)
        db.session.commit()
        return mentor

    def match(self, student=None, mentor=None, proctor=None, **overrides) -> Match:
        """Create an active match directly (the matching service is tested on its own)."""
        student = student or self.student()
        mentor = mentor or self.mentor()
        proctor = proctor or self.coordinator()
        values = dict(
            student_id=student.id,
            mentor_id=mentor.id,
            status=MatchStatus.active,
            start_date=TODAY - dt.timedelta(days=60),
            slot_weekday=Weekday.tue,
            slot_time=dt.time(16, 0),
            meet_link="https://meet.google.com/abc-defg-hij",
            subjects=["math"],
            proctor_id=proctor.id,
        )
        values.update(overrides)
        match = Match(**values)
        db.session.add(match)
        db.session.commit()
        return match

    def session(self, match=None, **overrides) -> MentoringSession:
        match = match or self.match()
        number = self._next()
        values = dict(
            match_id=match.id,
            session_date=TODAY - dt.timedelta(days=number % 10 + 1),
            start_time=dt.time(16, number % 60),
            duration_minutes=60,
            outcome=SessionOutcome.held,
            proctor_present=True,
            topics="Fractions",
        )
        values.update(overrides)
        session = MentoringSession(**values)
        db.session.add(session)
        db.session.commit()
        return session

    def outbox_message(self, **overrides) -> OutboxMessage:
        """Create a queued message directly, without an event (for the screen and the worker).

        Unless a match or nomination is given, the message is a nominator's
        confirmation of a new nomination, sent to the nominator's address.
        """
        if "match_id" not in overrides and "nomination_id" not in overrides:
            nomination = self.nomination()
            overrides = {
                "nomination_id": nomination.id,
                "to_address": nomination.nominator_email,
                **overrides,
            }
        number = self._next()
        token = secrets.token_hex(4)
        values = dict(
            event=MailEvent.nomination_received,
            recipient_role=RecipientRole.nominator,
            to_address=f"nominator{number}@example.org",
            language="en",
            subject="We received your nomination",
            text_body=f"Your reference code is T{number}.",
            html_body=f"<p>Your reference code is <b>T{number}</b>.</p>",
            message_id=f"<ils.test.{number}.{token}@example.org>",
            dedupe_key=f"test:{number}:{token}",
            status=OutboxStatus.pending,
            attempts=0,
            next_attempt_at=utcnow(),
        )
        values.update(overrides)
        message = OutboxMessage(**values)
        db.session.add(message)
        db.session.commit()
        return message

    def program_year(
        self,
        first_day: dt.date | None = None,
        last_day: dt.date | None = None,
        breaks=(),
        **overrides,
    ) -> ProgramYear:
        """Create a program year (by default one containing today) with ``breaks`` (Mondays)."""
        first_day = first_day or TODAY - dt.timedelta(days=120)
        last_day = last_day or first_day + dt.timedelta(days=280)
        year = ProgramYear(
            name=overrides.pop("name", f"{first_day.year}-{last_day.year} #{self._next()}"),
            first_day=first_day,
            last_day=last_day,
        )
        for index, monday in enumerate(breaks):
            year.breaks.append(ProgramYearBreak(week_start=monday, label=f"Vacation {index + 1}"))
        db.session.add(year)
        db.session.commit()
        return year

    def check_in(self, match, **overrides) -> MatchCheckIn:
        values = dict(
            match_id=match.id,
            checked_on=TODAY,
            contact_with=CheckInContact.mentor,
            channel=CheckInChannel.phone,
            notes="Sessions going well.",
        )
        values.update(overrides)
        check_in = MatchCheckIn(**values)
        db.session.add(check_in)
        db.session.commit()
        return check_in
