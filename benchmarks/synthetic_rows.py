"""Synthetic program rows for the benchmark, each derived from its index.

There is no randomness, so every build at a given scale has the same rows. Ids are
given explicitly so matches and sessions can refer to students and mentors
without reading them back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from app.models.types import utcnow
from app.rules.choices import (
    CheckInChannel,
    CheckInContact,
    CheckStatus,
    CloseReason,
    MatchStatus,
    MentorStatus,
    NominationStatus,
    NominatorKind,
    SessionOutcome,
    Weekday,
)

FULL_SIZES = {
    "nominations": 60_000,
    "students": 50_000,
    "mentors": 5_000,
    "active_matches": 5_000,
    "closed_matches": 7_000,
    "sessions": 500_000,
}
"""Row counts at scale 1.0, the program's expected size after a few years."""

HISTORY_DAYS = 3 * 365
OTHER_NOMINATION_STATUSES = [
    NominationStatus.new,
    NominationStatus.in_review,
    NominationStatus.waitlisted,
    NominationStatus.declined,
    NominationStatus.withdrawn,
]
WEEKDAYS = list(Weekday)[:5]
NEEDS = [["math"], ["reading", "writing"], ["science", "homework"], ["english_language"]]
SLOTS = ["mon_afternoon", "tue_afternoon", "wed_early_evening", "thu_evening"]


def sizes_at(scale: float) -> dict[str, int]:
    return {name: max(1, round(count * scale)) for name, count in FULL_SIZES.items()}


def nomination_rows(sizes: dict[str, int], school_ids: list[int], now: dt.datetime) -> Iterator:
    """Yield nominations: the first one per student is accepted, the rest wait in other states."""
    total = sizes["nominations"]
    for number in range(1, total + 1):
        accepted = number <= sizes["students"]
        submitted = now - dt.timedelta(days=HISTORY_DAYS * (total - number) / total)
        grade = 1 + number % 12
        yield {
            "id": number,
            "reference": f"B{number:07d}",
            "status": NominationStatus.accepted
            if accepted
            else OTHER_NOMINATION_STATUSES[number % len(OTHER_NOMINATION_STATUSES)],
            "submitted_at": submitted,
            "status_changed_at": submitted,
            "language": "en",
            "nominator_kind": NominatorKind.parent_guardian,
            "nominator_first_name": "Parent",
            "nominator_last_name": f"N{number}",
            "nominator_email": f"parent{number}@example.org",
            "student_first_name": "Student",
            "student_last_name": f"S{(number * 7919) % total:06d}",
            "student_date_of_birth": dt.date(now.year - grade - 6, 1 + number % 12, 1),
            "student_grade": grade,
            "school_id": school_ids[number % len(school_ids)],
            "needs": NEEDS[number % len(NEEDS)],
            "availability": SLOTS[number % len(SLOTS) :][:2],
            "consent_privacy": True,
            "consent_online_sessions": True,
            "attest_relationship": True,
            "normalized_name": f"student|n{number}",
            "student_id": number if accepted else None,
        }


def student_rows(sizes: dict[str, int], school_ids: list[int], now: dt.datetime) -> Iterator:
    total = sizes["students"]
    for number in range(1, total + 1):
        grade = 1 + number % 12
        yield {
            "id": number,
            "first_name": "Student",
            "last_name": f"S{(number * 7919) % total:06d}",
            "date_of_birth": dt.date(now.year - grade - 6, 1 + number % 12, 1),
            "grade": grade,
            "school_id": school_ids[number % len(school_ids)],
            "language": "en",
            "needs": NEEDS[number % len(NEEDS)],
            "availability": SLOTS[number % len(SLOTS) :][:2],
            "normalized_name": f"student|n{number}",
            "created_at": now - dt.timedelta(days=HISTORY_DAYS * (total - number) / total),
        }


def mentor_capacity(number: int) -> int:
    """Return 1, 2 or 3. Mentor 1, linked to the benchmark login, takes 3 students."""
    return 3 if number == 1 else 1 + number % 3


def mentor_rows(sizes: dict[str, int], today: dt.date, mentor_user_id: int) -> Iterator:
    for number in range(1, sizes["mentors"] + 1):
        cleared = today - dt.timedelta(days=30 + number % 700)
        yield {
            "id": number,
            "first_name": "Mentor",
            "last_name": f"M{(number * 613) % sizes['mentors']:05d}",
            "email": f"mentor{number}@example.org",
            "user_id": mentor_user_id if number == 1 else None,
            "status": MentorStatus.ready,
            "subjects": NEEDS[number % len(NEEDS)],
            "grade_band_min": 1,
            "grade_band_max": 12,
            "availability": SLOTS[number % len(SLOTS) :][:2],
            "capacity": mentor_capacity(number),
            "references_checked": True,
            "cori_status": CheckStatus.cleared,
            "cori_cleared_on": cleared,
            "sori_status": CheckStatus.cleared,
            "sori_cleared_on": cleared,
            "training_completed_on": cleared,
            "training_hours": Decimal("3.0"),
            "created_at": utcnow(),
        }


def match_rows(sizes: dict[str, int], today: dt.date, proctor_id: int) -> list[dict]:
    """Return active matches (students from 1 up, mentors filled to capacity) and closed ones.

    Closed matches reuse students and mentors, as a real history would. Only active
    matches count against the one-open-match index and the mentors' capacity.
    """
    rows = []
    mentor, used = 1, 0
    for number in range(1, sizes["active_matches"] + 1):
        if used == mentor_capacity(mentor):
            mentor, used = mentor % sizes["mentors"] + 1, 0
        used += 1
        # Shifted so that the first matches, the benchmark mentor's, started about 3 years ago.
        start = today - dt.timedelta(days=7 + ((number + 150) * 7) % (HISTORY_DAYS - 7))
        rows.append(_match(number, number, mentor, start, proctor_id, MatchStatus.active))
    for offset in range(sizes["closed_matches"]):
        number = sizes["active_matches"] + offset + 1
        student = (sizes["active_matches"] + offset) % sizes["students"] + 1
        mentor = (offset * 13) % sizes["mentors"] + 1
        start = today - dt.timedelta(days=HISTORY_DAYS - (offset * 11) % 800)
        row = _match(number, student, mentor, start, proctor_id, MatchStatus.closed)
        row["closed_on"] = start + dt.timedelta(days=60 + offset % 200)
        row["close_reason"] = list(CloseReason)[offset % len(CloseReason)]
        rows.append(row)
    return rows


def _match(number, student, mentor, start, proctor_id, status) -> dict:
    return {
        "id": number,
        "student_id": student,
        "mentor_id": mentor,
        "status": status,
        "start_date": start,
        "slot_weekday": WEEKDAYS[number % len(WEEKDAYS)],
        "slot_time": dt.time(15 + number % 5, 0),
        "meet_link": "https://meet.google.com/abc-defg-hij",
        "subjects": NEEDS[number % len(NEEDS)],
        "proctor_id": proctor_id,
        "activated_at": dt.datetime.combine(start, dt.time(12), dt.UTC),
        "closed_on": None,
        "close_reason": None,
        "created_at": dt.datetime.combine(start, dt.time(12), dt.UTC),
    }


def session_rows(matches: list[dict], target: int, today: dt.date) -> Iterator:
    """Yield about ``target`` sessions, spread evenly over each match's days.

    Each match gets a share of ``target`` in proportion to how long it ran, with
    at most one session a day, so (match, date, start time) stays unique.
    """
    spans = [((row["closed_on"] or today) - row["start_date"]).days for row in matches]
    per_day = target / sum(spans)
    number = 0
    for row, span in zip(matches, spans, strict=True):
        count = min(span, max(1, round(span * per_day)))
        for index in range(count):
            number += 1
            day = row["start_date"] + dt.timedelta(days=index * span // count)
            yield {
                "id": number,
                "match_id": row["id"],
                "session_date": day,
                "start_time": row["slot_time"],
                "duration_minutes": (30, 45, 60)[number % 3],
                "outcome": list(SessionOutcome)[0 if number % 10 else number // 10 % 4],
                "proctor_present": number % 50 != 0,
                "topics": "Fractions and reading practice",
                "created_at": dt.datetime.combine(day, dt.time(22), dt.UTC),
            }


def program_year_rows(today: dt.date) -> tuple[dict, list[dict]]:
    """Return a program year containing ``today`` (id 1) and its two weeks without school."""
    first_day = today - dt.timedelta(days=150)
    first_monday = first_day - dt.timedelta(days=first_day.weekday())
    year = {
        "id": 1,
        "name": "Benchmark year",
        "first_day": first_day,
        "last_day": first_day + dt.timedelta(days=290),
    }
    breaks = [
        {
            "program_year_id": 1,
            "week_start": first_monday + dt.timedelta(weeks=weeks),
            "label": label,
        }
        for weeks, label in ((8, "Thanksgiving week"), (16, "Winter vacation"))
    ]
    return year, breaks


def check_in_rows(matches: list[dict], today: dt.date, user_id: int) -> Iterator:
    """Yield two check-ins, 40 days apart, for active matches whose id leaves 2 when divided by 4.

    The latest is 20 to 60 days before ``today``. A check-in before the match start is left out.
    """
    number = 0
    for row in matches:
        if row["status"] is not MatchStatus.active or row["id"] % 2:
            continue
        for back in range(row["id"] % 4):
            day = today - dt.timedelta(days=20 + 40 * back + row["id"] % 40)
            if day < row["start_date"]:
                break
            number += 1
            yield {
                "id": number,
                "match_id": row["id"],
                "checked_on": day,
                "contact_with": CheckInContact.mentor,
                "channel": CheckInChannel.phone,
                "notes": None,
                "created_at": dt.datetime.combine(day, dt.time(15), dt.UTC),
                "created_by_id": user_id,
            }


def matched_change_rows(matches: list[dict]) -> Iterator:
    """Yield a change to "matched" for the nomination of each active match's student.

    Nomination and student numbers line up for accepted nominations (see nomination_rows).
    """
    for row in matches:
        if row["status"] is MatchStatus.active:
            yield {
                "nomination_id": row["student_id"],
                "from_status": NominationStatus.accepted,
                "to_status": NominationStatus.matched,
                "changed_at": row["activated_at"],
            }
