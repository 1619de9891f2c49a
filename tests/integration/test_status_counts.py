"""The nomination_status_count rows stay equal to a fresh count, whatever the write path.

Each test changes nominations through one path (public form, coordinator
screens, API, services, ORM deletes, demo loader) and compares the kept counts
with ``SELECT status, count(*) FROM nomination GROUP BY status``.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update

from app.extensions import db
from app.models import Nomination, NominationStatusCount
from app.rules.choices import NominationStatus
from app.services.reports import pipeline_figures
from app.services.review import change_nomination_status, record_status
from app.services.status_counts import stored_counts
from tests.integration.test_api_auth import bearer
from tests.integration.test_api_nominations import URL as API_URL
from tests.integration.test_api_nominations import submission
from tests.integration.test_public_nomination import FORM_URL, parent_form
from tests.writers import run_writers_at_once

COUNTS = NominationStatusCount.__table__


def kept_counts() -> dict[NominationStatus, int]:
    """Return the stored counts, leaving out statuses whose count went back to zero."""
    db.session.rollback()
    return {status: count for status, count in stored_counts(db.session).items() if count}


def fresh_counts() -> dict[NominationStatus, int]:
    db.session.rollback()
    rows = db.session.execute(select(Nomination.status, func.count()).group_by(Nomination.status))
    return dict(rows.all())


def assert_current() -> None:
    assert kept_counts() == fresh_counts()


@pytest.fixture
def coordinator(client, factory, login_as):
    user = factory.coordinator()
    login_as(client, user)
    return user


def test_counts_follow_public_form(client):
    first = client.post(FORM_URL, data=parent_form())
    second = client.post(FORM_URL, data=parent_form(student_first_name="Marta"))

    assert first.status_code == 302
    assert second.status_code == 302
    assert kept_counts() == {NominationStatus.new: 2}
    assert_current()


def test_counts_follow_status_screens(client, factory, coordinator):
    nominations = [factory.nomination() for _ in range(3)]
    base = "/nominationview/status"

    client.post(f"{base}/{nominations[0].id}/in_review", follow_redirects=True)
    client.post(f"{base}/{nominations[0].id}/accepted", follow_redirects=True)
    client.post(f"{base}/{nominations[1].id}/waitlisted", follow_redirects=True)
    client.post(
        f"/nominationview/decline/{nominations[2].id}",
        data={"decline_reason": "Outside the program's area"},
        follow_redirects=True,
    )

    assert kept_counts() == {
        NominationStatus.accepted: 1,
        NominationStatus.waitlisted: 1,
        NominationStatus.declined: 1,
    }
    assert_current()


def test_forbidden_transition_keeps_counts(client, factory, coordinator):
    nomination = factory.nomination(status=NominationStatus.declined)

    client.post(f"/nominationview/status/{nomination.id}/accepted", follow_redirects=True)

    assert kept_counts() == {NominationStatus.declined: 1}
    assert_current()


def test_counts_follow_api(client, factory):
    headers = bearer(client, factory.coordinator())
    created = client.post(API_URL, json=submission(), headers=headers)
    assert created.status_code == 201, created.json
    url = f"{API_URL}{created.json['id']}/status"

    moved = client.post(url, json={"status": "waitlisted"}, headers=headers)
    notes = client.put(
        f"{API_URL}{created.json['id']}", json={"coordinator_notes": "Called"}, headers=headers
    )

    assert moved.status_code == 200, moved.json
    assert notes.status_code == 200, notes.json
    assert kept_counts() == {NominationStatus.waitlisted: 1}
    assert_current()


def test_counts_follow_many_changes_in_one_flush(factory):
    """A flush that moves several nominations at once, like a bulk status action."""
    nominations = [factory.nomination() for _ in range(5)]
    db.session.expire_all()
    for nomination in nominations[:3]:
        record_status(
            nomination, NominationStatus.in_review, user_id=None, now=nomination.submitted_at
        )
    record_status(
        nominations[3], NominationStatus.withdrawn, user_id=None, now=nominations[3].submitted_at
    )
    db.session.commit()

    assert kept_counts() == {
        NominationStatus.new: 1,
        NominationStatus.in_review: 3,
        NominationStatus.withdrawn: 1,
    }
    assert_current()


def test_counts_follow_deletes(factory):
    remaining = factory.nomination(status=NominationStatus.waitlisted)
    removed = [factory.nomination(status=NominationStatus.waitlisted) for _ in range(2)]
    db.session.expire_all()
    db.session.delete(db.session.get(Nomination, removed[0].id))
    db.session.commit()
    # A status changed and then deleted in one flush subtracts the stored status.
    doomed = db.session.get(Nomination, removed[1].id)
    doomed.status = NominationStatus.withdrawn
    db.session.delete(doomed)
    db.session.commit()

    assert kept_counts() == {NominationStatus.waitlisted: 1}
    assert db.session.get(Nomination, remaining.id) is not None
    assert_current()


def test_change_then_rollback_keeps_counts(factory):
    nomination = factory.nomination()
    nomination.status = NominationStatus.in_review
    db.session.flush()
    db.session.rollback()

    assert kept_counts() == {NominationStatus.new: 1}
    assert_current()


def test_stale_loaded_status_counted_right(app, factory):
    """A status loaded before another writer changed it is not subtracted twice."""
    nomination = factory.nomination()
    stale = db.session.get(Nomination, nomination.id)
    assert stale.status is NominationStatus.new
    # Keep the loaded status but end the read transaction, which SQLite needs to write later.
    db.session.expunge(stale)
    db.session.rollback()
    with app.app_context():
        change_nomination_status(nomination.id, NominationStatus.in_review, user_id=None)
        db.session.remove()

    db.session.add(stale)
    stale.status = NominationStatus.withdrawn
    db.session.commit()

    assert kept_counts() == {NominationStatus.withdrawn: 1}
    assert_current()


def test_dashboard_reads_kept_counts(factory):
    factory.nomination(status=NominationStatus.waitlisted)
    factory.nomination(status=NominationStatus.waitlisted)
    factory.nomination()
    # Change the kept count only, so the figures show where the dashboard reads.
    db.session.execute(
        update(NominationStatusCount)
        .where(NominationStatusCount.status == NominationStatus.waitlisted)
        .values(count=7)
    )
    db.session.commit()

    figures = pipeline_figures()

    assert figures.waitlist == 7
    by_status = dict(figures.nominations_by_status)
    assert by_status["Waitlisted"] == 7
    assert by_status["New"] == 1
    assert by_status["Declined"] == 0


def test_refresh_command_rebuilds_counts(app, factory):
    factory.nomination(status=NominationStatus.accepted)
    factory.nomination(status=NominationStatus.accepted)
    factory.nomination()
    expected = fresh_counts()
    db.session.execute(delete(COUNTS))
    db.session.execute(COUNTS.insert().values(status=NominationStatus.declined, count=5))
    db.session.commit()
    assert kept_counts() != expected

    result = app.test_cli_runner().invoke(args=["ils", "refresh-figures"])

    assert result.exit_code == 0, result.output
    assert "2 status counts" in result.output
    assert kept_counts() == expected
    assert stored_counts(db.session) == expected


def test_counts_follow_demo_loader(app):
    result = app.test_cli_runner().invoke(args=["ils", "demo-data", "--seed", "7"])

    assert result.exit_code == 0, result.output
    assert len(kept_counts()) > 1
    assert_current()


def test_parallel_status_changes_keep_counts(app, factory):
    """Writers changing statuses at once, some on the same nomination, lose no change."""
    if db.engine.dialect.name != "postgresql":
        # A SQLite transaction that read before another writer committed cannot
        # write at all ("database is locked"), so there is no race to check.
        pytest.skip("needs PostgreSQL, where writers run at once")
    nominations = [factory.nomination() for _ in range(4)]
    ids = [nomination.id for nomination in nominations]
    targets = [NominationStatus.in_review, NominationStatus.waitlisted, NominationStatus.withdrawn]
    writers = 8

    def change(index: int) -> None:
        # Two writers per nomination, each with the status it loaded before the other wrote.
        nomination = db.session.get(Nomination, ids[index % len(ids)])
        nomination.status = targets[index % len(targets)]
        db.session.commit()

    errors = run_writers_at_once(app, writers, change)

    assert errors == []
    assert sum(kept_counts().values()) == len(ids)
    assert_current()
