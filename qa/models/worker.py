"""Worker health: one row per `qa worker`, beating while it runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from qa.extensions import db
from qa.models._base import utcnow


class WorkerHeartbeat(db.Model):
    """A worker by name (host and process id, or the name it was given): when it started, when
    it last beat, what it has done and runs now, and the settings it transcribes with.

    ``current_job_id`` has no foreign key: a job deleted with its call must not wait on a worker
    row, and the page shows a job that no longer exists as gone.
    """

    __tablename__ = "worker_heartbeats"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    host: Mapped[str] = mapped_column(String(255), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_heartbeat: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    stopped_at: Mapped[datetime | None]
    jobs_done: Mapped[int] = mapped_column(default=0)
    jobs_failed: Mapped[int] = mapped_column(default=0)
    current_job_id: Mapped[int | None] = mapped_column(Integer)
    concurrency: Mapped[int] = mapped_column(default=1)
    worker_type: Mapped[str] = mapped_column(String(10), default="thread")
    # engine, model, device, compute_type, threads
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
