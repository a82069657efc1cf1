"""The huey instance, and the port through which services hand job ids to the queue.

This is the one place that reads the environment at import time: a huey instance must exist
before any ``@huey.task`` decorator runs. ``QA_QUEUE_URL`` chooses the storage:
``sqlite:///path`` (default: ``queue.sqlite3`` in the instance folder, no server) or
``redis://host:port/db`` (workers on many machines share one queue). ``QA_QUEUE_NAME`` names
the queue (tests use it to keep their keys apart).

Services never import the task module (it imports them): ``qa.tasks`` registers a
:class:`JobQueue` here when the app starts, and services call :func:`job_queue`.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from typing import Any, Protocol
from urllib.parse import urlsplit

from huey import Huey, RedisHuey, SqliteHuey
from huey.storage import SqliteStorage

from qa.config import default_instance_path

# How long opening the SQLite queue waits out other processes opening it at the same moment.
QUEUE_OPEN_SECONDS = 30.0


class QueueStorage(SqliteStorage):  # type: ignore[misc]
    """huey's SQLite storage, safe to open from many processes at once.

    Switching a fresh file to WAL (huey's ``pragma journal_mode``) needs a lock that SQLite's
    busy timeout does not wait for: a worker and ``qa transcribe --enqueue`` opening a new queue
    file together would see "database is locked" at start. Opening a connection and creating
    the tables are retried, with growing random pauses, for up to ``QUEUE_OPEN_SECONDS``.
    """

    def _create_connection(self) -> sqlite3.Connection:
        return _while_locked(super()._create_connection)

    def initialize_schema(self) -> None:
        _while_locked(super().initialize_schema)


def _while_locked(open_: Any) -> Any:
    deadline = time.monotonic() + QUEUE_OPEN_SECONDS
    pause = 0.01
    while True:
        try:
            return open_()
        except sqlite3.OperationalError as exc:
            message = str(exc)
            busy = "database is locked" in message or "database is busy" in message
            if not busy or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause * (0.5 + random.random()))  # noqa: S311 - jitter, not secrecy
        pause = min(pause * 2, 0.5)


class QueueHuey(SqliteHuey):  # type: ignore[misc]
    storage_class = QueueStorage


def make_huey(url: str, name: str = "qa-review") -> Huey:
    """A huey for ``sqlite:///...`` or ``redis://...``."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        path = url.removeprefix("sqlite:///")
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        return QueueHuey(name=name, filename=path)
    if scheme in ("redis", "rediss", "unix"):
        return RedisHuey(name=name, url=url)
    raise ValueError(f"QA_QUEUE_URL must start with sqlite:/// or redis://, not {url!r}")


def default_queue_url() -> str:
    return "sqlite:///" + os.path.join(default_instance_path(), "queue.sqlite3")


huey = make_huey(
    os.environ.get("QA_QUEUE_URL") or default_queue_url(),
    name=os.environ.get("QA_QUEUE_NAME", "qa-review"),
)


class JobQueue(Protocol):
    """Delivers transcription job ids and ad videos to audit to workers."""

    def send(self, job_id: int, delay: float | None = None) -> None:
        """Put the id on the queue, due after ``delay`` seconds."""

    def send_video_audit(self, video_id: int) -> None:
        """Put an ad video's audit on the queue."""

    def send_redaction(self) -> None:
        """Put the redaction of every stored call (after the settings changed) on the queue."""

    def send_call_redaction(self, call_id: int) -> None:
        """Put the redaction of one call on the queue, ahead of other work."""

    def waiting(self) -> set[int]:
        """Ids of jobs whose message is still on the queue or scheduled."""


_job_queue: JobQueue | None = None


def register_job_queue(queue: JobQueue) -> None:
    """Called once at app start by the task module."""
    global _job_queue
    _job_queue = queue


def job_queue() -> JobQueue:
    """The registered queue; the app must have been created."""
    if _job_queue is None:
        raise RuntimeError("No job queue is registered: create the app first (qa.create_app).")
    return _job_queue
