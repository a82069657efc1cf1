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
from typing import Protocol
from urllib.parse import urlsplit

from huey import Huey, RedisHuey, SqliteHuey

from qa.config import default_instance_path


def make_huey(url: str, name: str = "qa-review") -> Huey:
    """A huey for ``sqlite:///...`` or ``redis://...``."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        path = url.removeprefix("sqlite:///")
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        return SqliteHuey(name=name, filename=path)
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
