"""Nominations submitted at the same moment are all stored, on SQLite too."""

from __future__ import annotations

import threading

from flask import current_app

from app.extensions import db
from app.models import Nomination
from tests.integration.test_public_nomination import parent_form

PARALLEL_SUBMISSIONS = 8


def test_parallel_submissions_all_stored(app):
    application = current_app._get_current_object()
    barrier = threading.Barrier(PARALLEL_SUBMISSIONS)
    statuses: list[int] = []
    forms = [
        parent_form(student_first_name=f"Parallel{chr(65 + index)}")
        for index in range(PARALLEL_SUBMISSIONS)
    ]

    def submit(index: int) -> None:
        client = application.test_client()
        form = forms[index]
        barrier.wait()
        statuses.append(client.post("/nominate/", data=form).status_code)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(PARALLEL_SUBMISSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [302] * PARALLEL_SUBMISSIONS
    db.session.rollback()  # end the read snapshot taken before the threads wrote
    assert db.session.query(Nomination).count() == PARALLEL_SUBMISSIONS
