"""Demo nominations: the students, their nominators, and one possible duplicate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.demo.content import COMMUNITIES, NEED_DESCRIPTIONS, STAFF_ROLES, Community
from app.demo.context import NEED_CODES, DemoContext
from app.extensions import db
from app.models import Nomination
from app.rules.choices import Need, NominationStatus, NominatorKind
from app.rules.nomination import (
    ADULT_AGE,
    check_age_for_grade,
    check_nominator,
    guardian_required,
    min_age_for_grade,
    normalize_name,
)
from app.rules.timezone import PROGRAM_TZ, add_years, age_on
from app.services.review import record_status


@dataclass(frozen=True)
class StudentProfile:
    """The community, family language, grade and nominator kind of one demo nomination."""

    community: Community
    language: str
    grade: int
    kind: NominatorKind


def draw_profiles(ctx: DemoContext, count: int, self_nominations: int) -> list[StudentProfile]:
    """Return ``count`` profiles covering grades 1 to 12, every nominator kind and language.

    Communities take turns, and each community's first profile uses its usual
    language, so every family language appears. Self-nominations go to grades 11
    and 12 only, because the student must be 18 or older.
    """
    grades = list(range(1, 13)) * (count // 12 + 1)
    ctx.rng.shuffle(grades)
    grades = sorted(grades[:count], key=lambda grade: grade < 11)
    communities = list(COMMUNITIES)
    ctx.rng.shuffle(communities)
    profiles = []
    for index, grade in enumerate(grades):
        community = communities[index % len(communities)]
        language = community.languages[0]
        if index >= len(communities) and ctx.rng.random() < 0.3:
            language = ctx.rng.choice(community.languages)
        if index < self_nominations:
            kind = NominatorKind.self
        elif index % 3 == 0:
            kind = NominatorKind.school_staff
        else:
            kind = NominatorKind.parent_guardian
        profiles.append(StudentProfile(community, language, grade, kind))
    ctx.rng.shuffle(profiles)
    return profiles


def _birth_date(ctx: DemoContext, profile: StudentProfile, submitted_on: dt.date) -> dt.date:
    """Return a date of birth that fits the grade, and makes a self-nominator an adult."""
    if profile.kind is NominatorKind.self:
        # A student who is 18 on 1 September is an adult on every later day. Before
        # that day, a student who is 19 on 1 September is.
        age = 18 if submitted_on >= ctx.first_day else 19
    else:
        age = min_age_for_grade(profile.grade) + ctx.rng.choices((0, 1, 2), (1, 16, 3))[0]
    return add_years(ctx.first_day, -age) - dt.timedelta(days=ctx.rng.randint(0, 363))


def _student_identity(ctx: DemoContext, profile: StudentProfile, submitted_on: dt.date):
    """Return a new student's first name, last name and date of birth, unique in the demo."""
    while True:
        first_name, last_name = ctx.person(profile.community)
        birth = _birth_date(ctx, profile, submitted_on)
        identity = (normalize_name(first_name, last_name), birth)
        if identity not in ctx.used_identities:
            ctx.used_identities.add(identity)
            return first_name, last_name, birth


def add_nomination(
    ctx: DemoContext, profile: StudentProfile, submitted_at: dt.datetime
) -> Nomination:
    """Add a new nomination with its first history row; the caller commits.

    Raises RuleViolation if the profile breaks a nomination rule, which would be a
    bug in the demo plan.
    """
    submitted_on = submitted_at.astimezone(PROGRAM_TZ).date()
    first_name, last_name, birth = _student_identity(ctx, profile, submitted_on)
    check_age_for_grade(birth, profile.grade, ctx.today)
    check_nominator(profile.kind, birth, submitted_on)
    level = "high"
    if profile.grade <= 5:
        level = "elementary"
    elif profile.grade <= 8:
        level = "middle"
    needs = ctx.rng.sample(_needs_for_grade(profile.grade), ctx.rng.randint(1, 3))
    nomination = Nomination(
        reference=ctx.reference(),
        submitted_at=submitted_at,
        language=profile.language,
        nominator_kind=profile.kind,
        student_first_name=first_name,
        student_last_name=last_name,
        student_date_of_birth=birth,
        student_grade=profile.grade,
        school_id=ctx.rng.choice(ctx.schools_by_level[level]),
        home_languages=profile.community.home_languages,
        needs=needs,
        needs_description=NEED_DESCRIPTIONS[needs[0]],
        availability=ctx.availability(),
        consent_privacy=True,
        normalized_name=normalize_name(first_name, last_name),
    )
    _fill_nominator(ctx, nomination, profile, submitted_on)
    record_status(nomination, NominationStatus.new, user_id=None, now=submitted_at)
    db.session.add(nomination)
    return nomination


def _needs_for_grade(grade: int) -> list[str]:
    """Return the needs that fit the grade: MCAS tests start in grade 3, college plans in 9."""
    needs = list(NEED_CODES)
    if grade < 9:
        needs.remove(Need.college_career.name)
    if grade < 3:
        needs.remove(Need.test_prep.name)
    return needs


def _fill_nominator(
    ctx: DemoContext, nomination: Nomination, profile: StudentProfile, submitted_on: dt.date
) -> None:
    """Fill the nominator, guardian, e-mail and consent fields the public form requires."""
    birth = nomination.student_date_of_birth
    minor = age_on(birth, submitted_on) < ADULT_AGE
    family_name = nomination.student_last_name
    if ctx.rng.random() < 0.2:
        family_name = ctx.rng.choice(profile.community.surnames)
    guardian = (ctx.rng.choice(profile.community.given_names), family_name)
    if profile.kind is NominatorKind.parent_guardian:
        nominator = guardian
    elif profile.kind is NominatorKind.school_staff:
        nominator = ctx.person(ctx.rng.choice(COMMUNITIES))
        nomination.staff_role = ctx.rng.choice(STAFF_ROLES)
    else:
        nominator = (nomination.student_first_name, nomination.student_last_name)
    nomination.nominator_first_name, nomination.nominator_last_name = nominator
    nomination.nominator_email = ctx.email(*nominator)
    nomination.nominator_phone = ctx.phone() if ctx.rng.random() < 0.7 else None

    if profile.kind is NominatorKind.parent_guardian:
        _set_guardian(nomination, nominator, nomination.nominator_email, nomination.nominator_phone)
    elif guardian_required(profile.kind, birth, submitted_on):
        _set_guardian(nomination, guardian, ctx.email(*guardian), ctx.phone())
    if not minor:
        nomination.student_email = (
            nomination.nominator_email
            if profile.kind is NominatorKind.self
            else ctx.email(nomination.student_first_name, nomination.student_last_name)
        )
    nomination.consent_online_sessions = minor
    nomination.attest_relationship = profile.kind is not NominatorKind.self


def _set_guardian(
    nomination: Nomination, name: tuple[str, str], email: str, phone: str | None
) -> None:
    nomination.guardian_first_name, nomination.guardian_last_name = name
    nomination.guardian_email = email
    nomination.guardian_phone = phone


def add_duplicate(ctx: DemoContext, original: Nomination, submitted_at: dt.datetime) -> Nomination:
    """Add a staff nomination of ``original``'s student, flagged as a possible duplicate.

    The name is typed in capitals, so only the normalized name matches, as it
    would when a school re-nominates a student the family already nominated.
    """
    first_name, last_name = ctx.person(ctx.rng.choice(COMMUNITIES))
    copied = {
        name: getattr(original, name)
        for name in (
            "language", "student_date_of_birth", "student_grade", "school_id",
            "home_languages", "guardian_first_name", "guardian_last_name", "guardian_email",
            "guardian_phone", "consent_online_sessions", "normalized_name",
        )
    }  # fmt: skip
    nomination = Nomination(
        reference=ctx.reference(),
        submitted_at=submitted_at,
        nominator_kind=NominatorKind.school_staff,
        nominator_first_name=first_name,
        nominator_last_name=last_name,
        nominator_email=ctx.email(first_name, last_name),
        staff_role=ctx.rng.choice(STAFF_ROLES),
        student_first_name=original.student_first_name.upper(),
        student_last_name=original.student_last_name.upper(),
        needs=list(original.needs),
        availability=list(original.availability),
        consent_privacy=True,
        attest_relationship=True,
        duplicate_of_id=original.id,
        **copied,
    )
    record_status(nomination, NominationStatus.new, user_id=None, now=submitted_at)
    db.session.add(nomination)
    return nomination
