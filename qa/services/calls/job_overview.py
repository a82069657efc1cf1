"""The jobs page: transcription jobs by state, today's throughput, the workers, and the list to
act on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from qa.extensions import db
from qa.models import Call, TranscriptionJob
from qa.models._base import utcnow
from qa.models.call import JOB_STATUSES
from qa.services.calls.worker_health import WorkerStatus, worker_statuses
from qa.settings import settings
from qa.timefmt import day_start, local_today

PAGE_SIZE = 50


@dataclass(frozen=True)
class Throughput:
    """Jobs finished today (company time): how many, per hour, and how fast against real time."""

    done: int
    failed: int
    hours: float
    audio_seconds: float
    processing_seconds: float

    @property
    def per_hour(self) -> float:
        return self.done / self.hours if self.hours > 0 else 0.0

    @property
    def real_time_factor(self) -> float | None:
        """Processing time over audio time (0.25: an hour of calls in 15 minutes)."""
        if self.audio_seconds <= 0 or self.processing_seconds <= 0:
            return None
        return self.processing_seconds / self.audio_seconds


@dataclass(frozen=True)
class JobOverview:
    counts: dict[str, int] = field(default_factory=dict)
    throughput: Throughput | None = None
    workers: list[WorkerStatus] = field(default_factory=list)


def job_overview(now: datetime | None = None) -> JobOverview:
    """Jobs per state, today's finished jobs with their speed, and the workers' health."""
    now = now or utcnow()
    return JobOverview(
        counts=job_counts(),
        throughput=todays_throughput(now),
        workers=worker_statuses(settings(), now),
    )


def job_counts() -> dict[str, int]:
    """How many jobs are in each state (every state named, 0 where none), in one query."""
    rows = db.session.execute(
        select(TranscriptionJob.status, func.count()).group_by(TranscriptionJob.status)
    )
    counts = dict.fromkeys(JOB_STATUSES, 0)
    counts.update({status: n for status, n in rows})
    return counts


def todays_throughput(now: datetime) -> Throughput:
    """Jobs finished since midnight (company time), and their speed against real time."""
    since = day_start(local_today())
    finished = db.session.execute(
        select(
            TranscriptionJob.status,
            TranscriptionJob.started_at,
            TranscriptionJob.finished_at,
            Call.duration,
        )
        .join(Call, Call.id == TranscriptionJob.call_id)
        .where(
            TranscriptionJob.finished_at >= since,
            TranscriptionJob.status.in_(("done", "failed")),
        )
    ).all()
    done = [row for row in finished if row.status == "done"]
    audio = processing = 0.0
    for row in done:
        # Only jobs with both a recorded run time and a known audio length count for speed.
        if row.started_at and row.finished_at and row.duration:
            audio += float(row.duration)
            processing += max((row.finished_at - row.started_at).total_seconds(), 0.0)
    hours = max((now - since).total_seconds() / 3600, 1 / 60)
    return Throughput(
        done=len(done),
        failed=len(finished) - len(done),
        hours=hours,
        audio_seconds=audio,
        processing_seconds=processing,
    )


def page_of_jobs(status: str | None, page: int) -> Any:
    """Newest jobs first, of one state or all, a page at a time (with their calls)."""
    query = select(TranscriptionJob).order_by(TranscriptionJob.id.desc())
    if status:
        query = query.where(TranscriptionJob.status == status)
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
