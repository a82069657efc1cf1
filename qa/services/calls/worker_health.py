"""Worker health: each `qa worker` keeps a heartbeat row; the jobs page and /metrics read them.

The worker's main process registers its row at start and beats every
:func:`heartbeat_interval`; the processes or threads that run jobs record the job they run and
count what they finished. A worker whose last beat is older than :func:`stale_after` is stale:
it was killed, or its machine or network is gone (its jobs come back by their leases).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, select, update

from qa.extensions import db
from qa.models import TranscriptionJob, WorkerHeartbeat
from qa.models._base import utcnow
from qa.services.validation import clean_text
from qa.settings import Settings

# Stopped workers and workers silent for longer than this leave the page.
SHOWN_FOR = timedelta(days=1)
SHOWN_AT_MOST = 100


@dataclass(frozen=True)
class WorkerIdentity:
    """Who this worker process is, as `qa worker` started it."""

    name: str
    host: str
    pid: int
    concurrency: int
    worker_type: str
    settings: dict[str, Any] = field(default_factory=dict)


_this_worker: WorkerIdentity | None = None


def default_worker_name() -> str:
    """Host and process id: unique while the worker runs."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def worker_name(value: object) -> str:
    """A name given with ``--name`` or QA_WORKER_NAME, checked; the default when empty."""
    name = clean_text(value, field="worker name", max_length=120)
    return name or default_worker_name()


def heartbeat_interval(cfg: Settings) -> float:
    """Seconds between a worker's beats: often enough to be stale well within a lease."""
    return max(0.5, min(10.0, cfg.job_lease_seconds / 3))


def stale_after(cfg: Settings) -> float:
    """Seconds without a beat after which a worker is shown as stale."""
    return 3 * heartbeat_interval(cfg)


def this_worker() -> WorkerIdentity | None:
    """The identity `qa worker` set in this process (inherited by its worker processes)."""
    return _this_worker


def register_worker(identity: WorkerIdentity) -> WorkerHeartbeat:
    """Start (or restart) the worker's row: counts from zero, beating now."""
    global _this_worker
    now = utcnow()
    row = db.session.scalar(select(WorkerHeartbeat).where(WorkerHeartbeat.name == identity.name))
    if row is None:
        row = WorkerHeartbeat(name=identity.name)
        db.session.add(row)
    row.host = identity.host[:255]
    row.pid = identity.pid
    row.started_at = row.last_heartbeat = now
    row.stopped_at = None
    row.jobs_done = row.jobs_failed = 0
    row.current_job_id = None
    row.concurrency = identity.concurrency
    row.worker_type = identity.worker_type
    row.settings = dict(identity.settings)
    db.session.flush()
    _this_worker = identity
    return row


def forget_worker() -> None:
    """This process is no longer a registered worker (tests, and the end of `qa worker`)."""
    global _this_worker
    _this_worker = None


def beat(name: str, now: datetime | None = None) -> bool:
    """Record that the worker is alive; False when its row is gone."""
    return _update(name, last_heartbeat=now or utcnow(), stopped_at=None)


def job_started(name: str, job_id: int) -> bool:
    """The worker took up ``job_id`` (with several at once, the latest one)."""
    return _update(name, current_job_id=job_id, last_heartbeat=utcnow())


def job_ended(name: str, job_id: int, status: str) -> bool:
    """Count a finished run ("done" or "failed"; others are not counted) and clear the job."""
    values: dict[str, Any] = {
        "current_job_id": case(
            (WorkerHeartbeat.current_job_id == job_id, None),
            else_=WorkerHeartbeat.current_job_id,
        ),
        "last_heartbeat": utcnow(),
    }
    if status == "done":
        values["jobs_done"] = WorkerHeartbeat.jobs_done + 1
    elif status == "failed":
        values["jobs_failed"] = WorkerHeartbeat.jobs_failed + 1
    return _update(name, **values)


def worker_stopped(name: str) -> bool:
    """The worker stopped on its own (a killed one just goes stale)."""
    return _update(name, stopped_at=utcnow(), current_job_id=None)


def _update(name: str, **values: Any) -> bool:
    result = db.session.execute(
        update(WorkerHeartbeat)
        .where(WorkerHeartbeat.name == name)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


@dataclass(frozen=True)
class WorkerStatus:
    """A worker row as the jobs page and /metrics show it."""

    worker: WorkerHeartbeat
    age_seconds: float
    state: str  # "alive", "stale" or "stopped"
    current_call_id: int | None = None  # the call of the job it runs, if that job still exists

    @property
    def alive(self) -> bool:
        return self.state == "alive"

    @property
    def age_minutes(self) -> int:
        return int(self.age_seconds // 60)

    @property
    def age_hours(self) -> int:
        return int(self.age_seconds // 3600)


def worker_statuses(cfg: Settings, now: datetime | None = None) -> list[WorkerStatus]:
    """Workers seen in the last day: running ones first, then by name."""
    now = now or utcnow()
    rows = db.session.scalars(
        select(WorkerHeartbeat)
        .where(WorkerHeartbeat.last_heartbeat >= now - SHOWN_FOR)
        .order_by(WorkerHeartbeat.stopped_at.is_not(None), WorkerHeartbeat.name)
        .limit(SHOWN_AT_MOST)
    ).all()
    limit = stale_after(cfg)
    running = [row.current_job_id for row in rows if row.current_job_id is not None]
    calls = dict(
        db.session.execute(
            select(TranscriptionJob.id, TranscriptionJob.call_id).where(
                TranscriptionJob.id.in_(running)
            )
        ).all()
        if running
        else []
    )
    statuses = []
    for row in rows:
        age = max((now - row.last_heartbeat).total_seconds(), 0.0)
        state = "alive" if age <= limit else "stale"
        if row.stopped_at is not None:
            state = "stopped"
        call_id = calls.get(row.current_job_id) if row.current_job_id is not None else None
        statuses.append(WorkerStatus(row, age, state, call_id))
    return statuses
