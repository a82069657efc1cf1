"""Readiness: the database, the queue and the recordings storage each answer, cheaply.

Each check returns None when the part answers, else a short reason (the exception's class:
messages may carry addresses or paths, which an unauthenticated page must not show).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable

from sqlalchemy import text

from qa import queue
from qa.extensions import db


def _database() -> None:
    with db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def _queue() -> None:
    # SQLite: one COUNT over the queue table; Redis: one LLEN. Either opens a connection.
    queue.huey.storage.queue_size()


def _recordings(recordings_dir: str) -> None:
    if not os.path.isdir(recordings_dir):
        raise FileNotFoundError("recordings directory is missing")
    with tempfile.TemporaryFile(dir=recordings_dir, prefix=".ready-"):
        pass


def _run(check: Callable[[], None]) -> str | None:
    try:
        check()
    except Exception as error:  # noqa: BLE001 - any failure means the part does not answer
        return type(error).__name__
    return None


def readiness(recordings_dir: str) -> dict[str, str | None]:
    """``{"database": None, "queue": "ConnectionError", ...}``: None where the part answers."""
    results = {
        "database": _run(_database),
        "queue": _run(_queue),
        "recordings": _run(lambda: _recordings(recordings_dir)),
    }
    if results["database"]:
        db.session.remove()
    return results
