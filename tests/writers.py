"""Run database writers at the same moment, each in its own thread and session."""

from __future__ import annotations

import threading
from collections.abc import Callable

from flask import Flask

from app.extensions import db


def run_writers_at_once(
    app: Flask, count: int, write: Callable[[int], None]
) -> list[BaseException]:
    """Call ``write(index)`` for indexes 0 to count - 1 in threads released together.

    Each call runs in its own app context, so its own database session, which is
    removed afterwards. Returns what the calls raised, for the test to assert on.
    """
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                write(index)
            except BaseException as error:  # returned to the test, which asserts on it
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors
