"""Transcription jobs: queueing them, and every step of a job's life.

The ``transcription_jobs`` row is the source of truth. huey only delivers job ids, and is told
about a job only after the transaction that created it commits. ``Call.status`` mirrors the
call's latest job for the UI: queued, transcribing, transcribed, failed or cancelled.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from qa.extensions import db
from qa.models import Call, TranscriptionJob
from qa.models._base import utcnow

# DuplicateRecording is imported from here by the API views.
from qa.services.errors import Conflict, DuplicateRecording, ValidationFailed  # noqa: F401
from qa.services.queue_messages import TRANSCRIPTION, send_after_commit
from qa.settings import settings
from qa.timefmt import iso_local

logger = logging.getLogger(__name__)

ACTIVE_STATUSES = ("queued", "running")
# Job status -> the call status shown in lists and on the call page.
CALL_STATUS = {
    "queued": "queued",
    "running": "transcribing",
    "done": "transcribed",
    "failed": "failed",
    "cancelled": "cancelled",
}


# --- Queueing, cancelling, retrying -----------------------------------------------------------


def active_job(call: Call) -> TranscriptionJob | None:
    """The call's queued or running job, if any."""
    return db.session.scalar(
        select(TranscriptionJob)
        .where(TranscriptionJob.call_id == call.id, TranscriptionJob.status.in_(ACTIVE_STATUSES))
        .order_by(TranscriptionJob.id.desc())
        .limit(1)
    )


def latest_job(call: Call) -> TranscriptionJob | None:
    """The call's newest job, whatever its status."""
    return db.session.scalar(
        select(TranscriptionJob)
        .where(TranscriptionJob.call_id == call.id)
        .order_by(TranscriptionJob.id.desc())
        .limit(1)
    )


def enqueue_transcription(
    call: Call,
    *,
    force: bool = False,
    options: Mapping[str, Any] | None = None,
    dispatch: bool = True,
    max_attempts: int | None = None,
) -> TranscriptionJob:
    """Queue the call's transcription; the worker is told once the transaction commits.

    A call with a queued or running job gets that job back, and a transcribed call its done
    job unless ``force``. ``options`` may name "engine" and "model" for this job only.
    ``dispatch=False`` leaves the job for the caller to run in-process (``max_attempts=1``
    then keeps a failure from being retried by a worker).
    """
    if call.recording_deleted_at is not None:
        raise ValidationFailed(
            _("The recording of call #%(id)d was deleted: there is nothing to transcribe.",
              id=call.id)
        )
    current = active_job(call)
    if current is not None:
        return current
    previous = latest_job(call)
    if previous is not None and previous.status == "done" and not force:
        return previous
    job = TranscriptionJob(
        call=call,
        status="queued",
        attempts=0,
        max_attempts=max_attempts or settings().job_max_attempts,
        progress=0.0,
        options=dict(options or {}),
    )
    db.session.add(job)
    mirror_call_status(call, job)
    db.session.flush()
    if dispatch:
        dispatch_after_commit(job)
    return job


def cancel_job(job: TranscriptionJob) -> TranscriptionJob:
    """Cancel a queued or running job; a running worker stops at its next heartbeat."""
    if job.status not in ACTIVE_STATUSES:
        raise Conflict(_("Job #%(id)d is no longer queued or running.", id=job.id))
    job.status = "cancelled"
    job.finished_at = utcnow()
    job.lease_expires_at = None
    mirror_call_status(job.call, job)
    db.session.flush()
    return job


def retry_job(job: TranscriptionJob) -> TranscriptionJob:
    """Run a failed, cancelled or done job's call again (a new job); re-send a queued one."""
    if job.status == "running":
        raise Conflict(
            _("Job #%(id)d is running on %(worker)s.", id=job.id, worker=job.worker or "?")
        )
    if job.status == "queued":
        # The queue may have lost the message (a server restart, a dropped Redis): send it again;
        # a second copy is harmless because only a queued job can be claimed.
        dispatch_after_commit(job)
        return job
    return enqueue_transcription(job.call, force=True, options=job.options)


def mirror_call_status(call: Call, job: TranscriptionJob) -> None:
    """Show the job's state on its call."""
    if job.status == "cancelled" and call.segments:
        # A cancelled re-run leaves the earlier transcript in place.
        call.status, call.error = "transcribed", None
        return
    call.status = CALL_STATUS[job.status]
    call.error = job.error if job.status == "failed" else None


def job_status(call: Call) -> dict[str, Any]:
    """The call's transcription state as JSON-ready data for the call page to poll."""
    job = latest_job(call)
    return {
        "call_id": call.id,
        "status": call.status,
        "error": call.error,
        "finished": call.status not in ("queued", "transcribing"),
        "segments": len(call.segments),
        "job": None if job is None else job_dict(job),
    }


def job_dict(job: TranscriptionJob) -> dict[str, Any]:
    """One job as JSON-ready data."""
    return {
        "id": job.id,
        "call_id": job.call_id,
        "status": job.status,
        "progress": round(job.progress or 0.0, 4),
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        "lost_leases": job.lost_leases,
        "error": job.error,
        "worker": job.worker,
        "options": dict(job.options or {}),
        "created_at": iso_local(job.created_at),
        "started_at": iso_local(job.started_at),
        "heartbeat_at": iso_local(job.heartbeat_at),
        "finished_at": iso_local(job.finished_at),
    }


def list_jobs(status: str | None = None, limit: int = 50) -> list[TranscriptionJob]:
    """Newest jobs first, optionally of one status."""
    query = select(TranscriptionJob).order_by(TranscriptionJob.id.desc()).limit(limit)
    if status:
        query = query.where(TranscriptionJob.status == status)
    return list(db.session.scalars(query))


# --- Telling the queue after commit -----------------------------------------------------------


def dispatch_after_commit(job: TranscriptionJob, delay: float | None = None) -> None:
    """Send the job's id to the queue when the current transaction commits (never before).

    ``sent_at`` records when the message is due, so the sweeper can tell a lost one. A savepoint
    rolled back (say, one rejected file of an upload) drops only what was sent inside it.
    """
    job.sent_at = utcnow() + timedelta(seconds=delay or 0)
    send_after_commit(TRANSCRIPTION, job.id, delay)
