"""Queue the messages of a program event in the event's own transaction.

The services call ``queue_*`` after their changes and before their commit, so the
event and its messages are saved together or not at all. Every address and name
is checked first: MailHeaderInvalid is raised before any row is added, and the
caller rolls the event back. Queued ids are kept on ``flask.g`` so the
after-commit delivery (``app.mail.worker.send_queued_now``) can try them at once.

Recipients: nomination received goes to the nominator. Match activated goes to
the mentor, the family contact (the student's guardian e-mail), the student when
18 or older that day, and the proctor. Match closed goes to the same people.
Mentors and proctors get a calendar invitation with both. A recipient without an
address is skipped and the skip is logged.

Languages: staff get English, the staff language, until users have a language
preference. That covers mentors, proctors and school staff who nominate a
student. Parents, guardians and students get the student's language, or the
nominator's choice on the form.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from flask import current_app, g
from sqlalchemy import select

from app.extensions import db
from app.mail.calendar import (
    ACTIVATED_SEQUENCE,
    CLOSED_SEQUENCE,
    build_invitation,
    first_session_date,
)
from app.mail.headers import check_header_value, check_name
from app.mail.recipients import current_address
from app.mail.render import render_message
from app.models import Match, Nomination, OutboxMessage
from app.models.types import utcnow
from app.rules.choices import LANGUAGES, MailEvent, NominatorKind, RecipientRole
from app.rules.timezone import age_on
from app.services.program_years import year_of_match

logger = logging.getLogger(__name__)

STAFF_LANGUAGE = "en"
STAFF_ROLES = (RecipientRole.mentor, RecipientRole.proctor)
ADULT_AGE = 18
QUEUED_IDS_KEY = "_ils_mail_queued_ids"

_muted: ContextVar[bool] = ContextVar("ils_mail_muted", default=False)


@contextmanager
def mail_muted() -> Iterator[None]:
    """Queue nothing inside the block (demo data, whose addresses are fictional)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


@dataclass
class Draft:
    """A message to queue: recipient, template and the values the template shows."""

    role: RecipientRole
    address: str
    language: str
    template: str
    context: dict[str, object] = field(default_factory=dict)
    with_invitation: bool = False


def queue_nomination_received(nomination: Nomination) -> list[OutboxMessage]:
    """Queue the confirmation to the nominator, with the reference code.

    School staff get it in English, the staff language. Parents, guardians and
    students of 18 or older get it in the language chosen on the form.
    """
    if _muted.get():
        return []
    address = current_address(RecipientRole.nominator, nomination=nomination)
    if address is None:
        logger.info("nomination %s: no nominator address, message skipped", nomination.id)
        return []
    name = check_name(nomination.nominator_first_name, "nominator_first_name", "the nomination")
    if nomination.nominator_kind is NominatorKind.school_staff:
        language = STAFF_LANGUAGE
    else:
        language = _family_language(nomination.language)
    draft = Draft(
        role=RecipientRole.nominator,
        address=address,
        language=language,
        template="nomination_received",
        context={"name": name, "reference": nomination.reference},
    )
    return _queue(MailEvent.nomination_received, [draft], nomination_id=nomination.id)


def queue_match_activated(match: Match, *, today: dt.date) -> list[OutboxMessage]:
    """Queue the news of an active match; ``today`` (Boston) decides whether the student is 18."""
    if _muted.get():
        return []
    meeting = {
        "weekday": match.slot_weekday,
        "slot_time": match.slot_time,
        "first_session": first_session_date(match.start_date, match.slot_weekday),
        "meet_link": check_header_value(match.meet_link, "meet_link"),
        **_first_names(match),
    }
    drafts = [
        *_staff_drafts(match, "match_activated_staff", meeting),
        *_family_drafts(match, "match_activated_family", meeting, today),
    ]
    return _queue(MailEvent.match_activated, drafts, match=match)


def queue_match_closed(match: Match, *, today: dt.date) -> list[OutboxMessage]:
    """Queue the end of a match to the mentor, the proctor, the family and an adult student.

    The mentor and the proctor also get the calendar update that ends the weekly
    event on the close date. The wording is in the future tense when the close date
    is after ``today`` (Boston).
    """
    if _muted.get():
        return []
    details = {
        "closed_on": match.closed_on,
        "closes_later": match.closed_on > today,
        **_first_names(match),
    }
    drafts = [
        *_staff_drafts(match, "match_closed_staff", details),
        *_family_drafts(match, "match_closed_family", details, today),
    ]
    return _queue(MailEvent.match_closed, drafts, match=match)


def _staff_drafts(match: Match, template: str, values: dict[str, object]) -> list[Draft]:
    """Draft the mentor's and the proctor's message, each with the calendar invitation."""
    context = {**values, "grade": match.student.grade}
    drafts = []
    for role in STAFF_ROLES:
        address = current_address(role, match=match)
        if address is None:
            logger.info("match %s: no %s address, message skipped", match.id, role.name)
            continue
        drafts.append(
            Draft(
                role=role,
                address=address,
                language=STAFF_LANGUAGE,
                template=template,
                context={**context, "for_proctor": role is RecipientRole.proctor},
                with_invitation=True,
            )
        )
    return drafts


def _family_drafts(
    match: Match, template: str, values: dict[str, object], today: dt.date
) -> list[Draft]:
    """Draft the family's message and, for a student of 18 or older, the student's.

    The family's message contains the mentor's first name, but not the surname,
    e-mail or phone.
    """
    student = match.student
    language = _family_language(student.language)
    roles = [RecipientRole.family]
    if age_on(student.date_of_birth, today) >= ADULT_AGE:
        roles.append(RecipientRole.student)
    drafts = []
    for role in roles:
        address = current_address(role, match=match)
        if address is None:
            logger.info("match %s: no %s address, message skipped", match.id, role.name)
            continue
        to_student = role is RecipientRole.student
        drafts.append(
            Draft(
                role=role,
                address=address,
                language=language,
                template=template,
                context={**values, "to_student": to_student},
            )
        )
    return drafts


def _first_names(match: Match) -> dict[str, str]:
    return {
        "mentor_name": check_name(match.mentor.first_name, "mentor", "the mentor's record"),
        "student_name": _student_first_name(match),
    }


def _student_first_name(match: Match) -> str:
    student = match.student
    return check_name(
        student.preferred_name or student.first_name, "student", "the student's record"
    )


def _family_language(code: str | None) -> str:
    return code if code in LANGUAGES else STAFF_LANGUAGE


def _queue(
    event: MailEvent,
    drafts: list[Draft],
    *,
    nomination_id: int | None = None,
    match: Match | None = None,
) -> list[OutboxMessage]:
    """Render and add one row per draft whose dedupe key is new; flush to assign ids."""
    record_id = nomination_id if match is None else match.id
    keys = {draft.role: f"{event.name}:{record_id}:{draft.role.name}" for draft in drafts}
    known = set(
        db.session.execute(
            select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys.values()))
        ).scalars()
    )
    now = utcnow()
    messages = []
    for draft in drafts:
        if keys[draft.role] in known:
            logger.info("%s %s: %s message already queued", event.name, record_id, draft.role.name)
            continue
        rendered = render_message(draft.template, draft.language, **draft.context)
        message = OutboxMessage(
            event=event,
            recipient_role=draft.role,
            to_address=draft.address,
            language=draft.language,
            subject=check_header_value(rendered.subject, "subject"),
            text_body=rendered.text_body,
            html_body=rendered.html_body,
            calendar=_invitation(match, event, now) if draft.with_invitation else None,
            message_id=new_message_id(now),
            dedupe_key=keys[draft.role],
            nomination_id=nomination_id,
            match_id=match.id if match is not None else None,
            next_attempt_at=now,
            created_at=now,
        )
        db.session.add(message)
        messages.append(message)
    db.session.flush()
    _remember([message.id for message in messages])
    logger.info("%s %s: %s messages queued", event.name, record_id, len(messages))
    return messages


def _invitation(match: Match, event: MailEvent, now: dt.datetime) -> str:
    """Build the weekly event, ended on the close date when ``event`` is the closing."""
    closing = event is MailEvent.match_closed
    year = year_of_match(match.start_date)
    return build_invitation(
        match_id=match.id,
        domain=current_app.config["ILS_MAIL_DOMAIN"],
        start_date=match.start_date,
        weekday=match.slot_weekday,
        slot_time=match.slot_time,
        meet_link=match.meet_link,
        summary=f"ILS mentoring: {_student_first_name(match)} with {match.mentor.first_name}",
        now=now,
        last_date=match.closed_on if closing else None,
        year_end=year.last_day if year else None,
        skipped_weeks=frozenset(item.week_start for item in year.breaks) if year else frozenset(),
        sequence=CLOSED_SEQUENCE if closing else ACTIVATED_SEQUENCE,
    )


def new_message_id(now: dt.datetime) -> str:
    """Return a new Message-ID such as ``<ils.20261204T230000.5f2c...@example.org>``."""
    domain = check_header_value(current_app.config["ILS_MAIL_DOMAIN"], "ILS_MAIL_DOMAIN")
    return f"<ils.{now:%Y%m%dT%H%M%S}.{secrets.token_hex(8)}@{domain}>"


def _remember(ids: list[int]) -> None:
    queued = g.setdefault(QUEUED_IDS_KEY, [])
    queued.extend(ids)


def take_queued_ids() -> list[int]:
    """Return and forget the ids queued in this app context (request or command)."""
    return g.pop(QUEUED_IDS_KEY, [])
