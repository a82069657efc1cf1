"""One run of a transcription job on a worker: claim with a lease, heartbeat, finish or fail.

A worker claims a queued job by a conditional update, so two copies of a queue message never run
the same job twice; the lease is renewed while Whisper runs, and a job whose lease ran out (its
worker was killed) is queued again by :func:`sweep_expired_jobs`, which also sends again the
queued jobs whose message the queue lost.

``attempts`` counts runs that ended: finished, or failed with an error. A run whose worker died
is not the recording's fault and counts in ``lost_leases`` instead, bounded by
JOB_MAX_LOST_LEASES so a recording that kills every worker (say, out of memory) still ends.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Update, delete, select, update
from sqlalchemy.engine import Connection

from qa.extensions import db
from qa.models import GlossaryTerm, TranscriptionJob, TranscriptSegment
from qa.models._base import utcnow
from qa.queue import job_queue
from qa.services.admin import audit
from qa.services.calls.fault_points import pause_at
from qa.services.calls.jobs import dispatch_after_commit, mirror_call_status
from qa.services.calls.recordings import recording_abspath
from qa.settings import FAKE_ENGINE, Settings, settings
from transcription import FakeTranscriber, Glossary, Transcriber, Transcript, load_transcriber
from transcription.engines import AgentChannel

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClaimedJob:
    """What a worker needs to run a job it has claimed, read before the long work starts."""

    job_id: int
    call_id: int
    token: str
    attempt: int
    audio_path: str
    filename: str
    language: str | None
    agent_channel: AgentChannel
    options: dict[str, Any] = field(default_factory=dict)


def engine_channel(agent_channel: str) -> AgentChannel:
    """The call's agent channel as the engine takes it: the app stores "none" for mono."""
    if agent_channel == "left":
        return "left"
    if agent_channel == "right":
        return "right"
    return None


def claim_job(job_id: int, token: str, lease_seconds: int) -> ClaimedJob | None:
    """Take a queued job for this worker with a lease; None when it is not queued any more."""
    now = utcnow()
    claimed = _rows_changed(
        update(TranscriptionJob)
        .where(TranscriptionJob.id == job_id, TranscriptionJob.status == "queued")
        .values(
            status="running",
            attempts=TranscriptionJob.attempts + 1,
            worker=token,
            progress=0.0,
            started_at=now,
            heartbeat_at=now,
            finished_at=None,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
        )
    )
    if claimed != 1:
        return None
    job = db.session.get(TranscriptionJob, job_id, populate_existing=True)
    assert job is not None  # noqa: S101 - the update above just matched it
    call = job.call
    mirror_call_status(call, job)
    return ClaimedJob(
        job_id=job.id,
        call_id=call.id,
        token=token,
        attempt=job.attempts,
        audio_path=recording_abspath(call.recording_path, settings().recordings_dir),
        filename=call.original_filename,
        language=call.language,
        agent_channel=engine_channel(call.agent_channel),
        options=dict(job.options or {}),
    )


def touch_job(conn: Connection, claim: ClaimedJob, progress: float, lease_seconds: int) -> bool:
    """Heartbeat: record progress and extend the lease; False when the job is no longer ours."""
    now = utcnow()
    result = conn.execute(
        update(TranscriptionJob)
        .where(
            TranscriptionJob.id == claim.job_id,
            TranscriptionJob.worker == claim.token,
            TranscriptionJob.status == "running",
        )
        .values(
            progress=round(progress, 4),
            heartbeat_at=now,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
        )
    )
    return cast(CursorResult[Any], result).rowcount == 1


def _rows_changed(statement: Update) -> int:
    """Run a conditional UPDATE in the session, leaving loaded objects alone; count its rows."""
    result = db.session.execute(statement.execution_options(synchronize_session=False))
    return cast(CursorResult[Any], result).rowcount


def owned_job(claim: ClaimedJob) -> TranscriptionJob | None:
    """The job row, locked, if this worker still runs it (not cancelled, not taken over).

    The lock is taken by a conditional UPDATE, not SELECT ... FOR UPDATE: SQLite ignores FOR
    UPDATE, so a sweeper could requeue the job between this read and the worker's write, and the
    worker would then mark done a job queued for another run. The UPDATE holds SQLite's write lock
    (and PostgreSQL's row lock) until the caller's transaction ends.
    """
    mine = _rows_changed(
        update(TranscriptionJob)
        .where(
            TranscriptionJob.id == claim.job_id,
            TranscriptionJob.worker == claim.token,
            TranscriptionJob.status == "running",
        )
        .values(heartbeat_at=utcnow())
    )
    if mine != 1:
        return None
    return db.session.get(TranscriptionJob, claim.job_id, populate_existing=True)


def fail_job(claim: ClaimedJob, message: str, *, transient: bool) -> str:
    """Record a failed attempt: retry later with backoff when transient and attempts remain.

    Returns the job's new status ("queued" or "failed"), or "lost" when it is not ours.
    """
    job = owned_job(claim)
    if job is None:
        return "lost"
    job.worker = None
    job.lease_expires_at = None
    if transient and job.attempts < job.max_attempts:
        delay = settings().job_retry_delay * 2 ** (job.attempts - 1)
        job.status = "queued"
        job.error = f"Attempt {job.attempts} of {job.max_attempts} failed: {message}"
        dispatch_after_commit(job, delay=delay)
    else:
        job.status = "failed"
        job.error = message
        job.finished_at = utcnow()
    mirror_call_status(job.call, job)
    db.session.flush()
    return job.status


def fail_unclaimed(job_id: int, message: str) -> bool:
    """Fail a queued job that cannot start (say, the model is missing): no retry would help."""
    job = db.session.get(TranscriptionJob, job_id, with_for_update=True, populate_existing=True)
    if job is None or job.status != "queued":
        return False
    job.status = "failed"
    job.error = message
    job.finished_at = utcnow()
    mirror_call_status(job.call, job)
    db.session.flush()
    return True


def release_job(claim: ClaimedJob, message: str, *, requeue: bool) -> None:
    """Give an interrupted job back: queued again (a worker stopping) or cancelled (the CLI)."""
    job = owned_job(claim)
    if job is None:
        return
    job.worker = None
    job.lease_expires_at = None
    job.error = message
    if requeue:
        job.status = "queued"
        job.attempts = max(job.attempts - 1, 0)  # the interruption is not the recording's fault
        dispatch_after_commit(job)
    else:
        job.status = "cancelled"
        job.finished_at = utcnow()
    mirror_call_status(job.call, job)
    db.session.flush()


@dataclass
class SweepResult:
    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    resent: list[int] = field(default_factory=list)


def sweep_expired_jobs(now: datetime | None = None) -> SweepResult:
    """Repair what dead workers and a forgetful queue leave behind; safe to run anywhere, often.

    A running job whose lease ran out lost its worker: it is queued again (the run is not
    counted as an attempt) or, after JOB_MAX_LOST_LEASES such runs, failed. A queued job whose
    message is older than a lease and no longer on the queue was taken by a worker that died
    before claiming it, or dropped by a restarted queue server: it is sent again. Extra copies
    are harmless, since only a queued job can be claimed.
    """
    now = now or utcnow()
    result = SweepResult()
    for job in db.session.scalars(
        select(TranscriptionJob).where(
            TranscriptionJob.status == "running", TranscriptionJob.lease_expires_at < now
        )
    ).all():
        _requeue_lost(job, now, result)
    _resend_lost_messages(now, result)
    db.session.flush()
    return result


def _requeue_lost(job: TranscriptionJob, now: datetime, result: SweepResult) -> None:
    limit = settings().job_max_lost_leases
    lost = job.lost_leases + 1
    exhausted = lost >= limit
    if exhausted:
        error = (
            f"The worker stopped while transcribing this recording {lost} times (last: "
            f"{job.worker}); it may need more memory or time than a worker has."
        )
    else:
        error = f"The worker {job.worker} stopped responding ({lost} of {limit}); queued again."
    changed = _rows_changed(
        update(TranscriptionJob)
        .where(
            TranscriptionJob.id == job.id,
            TranscriptionJob.status == "running",
            TranscriptionJob.worker == job.worker,
            TranscriptionJob.lease_expires_at < now,
        )
        .values(
            status="failed" if exhausted else "queued",
            error=error,
            # The claim counted this run; a killed run is not the recording's fault.
            attempts=TranscriptionJob.attempts - 1,
            lost_leases=lost,
            worker=None,
            lease_expires_at=None,
            finished_at=now if exhausted else None,
        )
    )
    if changed != 1:
        return  # renewed or finished meanwhile
    db.session.refresh(job)
    mirror_call_status(job.call, job)
    if exhausted:
        result.failed.append(job.id)
    else:
        result.requeued.append(job.id)
        dispatch_after_commit(job)


def _resend_lost_messages(now: datetime, result: SweepResult) -> None:
    cutoff = now - timedelta(seconds=settings().job_lease_seconds)
    stale = db.session.scalars(
        select(TranscriptionJob).where(
            TranscriptionJob.status == "queued",
            (TranscriptionJob.sent_at.is_(None)) | (TranscriptionJob.sent_at < cutoff),
            TranscriptionJob.id.not_in(result.requeued),
        )
    ).all()
    if not stale:
        return
    try:
        waiting = job_queue().waiting()
    except Exception:
        logger.warning("The queue cannot be read; lost messages are sent later", exc_info=True)
        return
    for job in stale:
        if job.id not in waiting:
            result.resent.append(job.id)
            dispatch_after_commit(job)


def finish_job(claim: ClaimedJob, transcript: Transcript) -> bool:
    """Replace the call's transcript and findings and mark the job done, if it is still ours.

    Segments are deleted and inserted in the caller's transaction, so a job that runs twice
    never leaves two copies. Analysis runs in a savepoint: if it fails, the transcript is kept
    and the error is noted on the job (``qa rescore`` runs it again).
    """
    from qa.services.calls.objections import analyse_call
    from qa.services.calls.redaction import drop_original_recording, redact_call

    job = owned_job(claim)
    if job is None:
        return False
    call = job.call
    replaced = db.session.execute(
        delete(TranscriptSegment).where(TranscriptSegment.call_id == call.id)
    )
    if replaced.rowcount:
        audit.record(
            "delete",
            "transcript",
            call.id,
            call.original_filename,
            lines=replaced.rowcount,
        )
    db.session.add_all(
        TranscriptSegment(
            call_id=call.id,
            position=position,
            speaker=segment.speaker,
            channel=segment.channel,
            start=segment.start,
            end=segment.end,
            text=segment.text,
            machine_text=segment.text,
            words=[
                {"start": w.start, "end": w.end, "text": w.text, "probability": w.probability}
                for w in segment.words
            ],
            avg_logprob=segment.avg_logprob,
            no_speech_prob=segment.no_speech_prob,
            suspect=segment.suspect,
            suspect_reason=(segment.suspect_reason or None) and segment.suspect_reason[:200],
        )
        for position, segment in enumerate(transcript.segments)
    )
    call.language = transcript.language
    call.duration = transcript.duration
    call.channels = transcript.channels
    call.engine = transcript.engine
    call.model = transcript.model
    db.session.flush()
    pause_at("writing", job.id)  # segments written, not committed
    db.session.expire(call, ["segments", "findings"])
    job.error = None
    # Each step after the transcript has its own savepoint: a failure keeps the transcript and
    # notes on the job which command repeats the step.
    _after_transcript(job, lambda: redact_call(call), "Redaction", "qa redact --calls --call")
    _after_transcript(job, lambda: analyse_call(call), "Objection analysis", "qa rescore --call")
    job.status = "done"
    job.progress = 1.0
    job.finished_at = utcnow()
    job.lease_expires_at = None
    mirror_call_status(call, job)
    db.session.flush()
    # Only now is the call transcribed: where no originals are kept, the original audio goes.
    _after_transcript(
        job, lambda: drop_original_recording(call), "Redaction", "qa redact --calls --call"
    )
    return True


def _after_transcript(
    job: TranscriptionJob, step: Callable[[], object], what: str, command: str
) -> None:
    try:
        with db.session.begin_nested():
            step()
    except Exception as exc:
        logger.exception("%s failed for call %s", what, job.call_id)
        job.error = f"{what} failed ({type(exc).__name__}: {exc}); run `{command} {job.call_id}`."


def current_glossary() -> Glossary:
    """The team glossary: every term is a hotword; "misheard" forms (comma-separated) map to it."""
    hotwords: list[str] = []
    replacements: dict[str, str] = {}
    for term in db.session.scalars(select(GlossaryTerm).order_by(GlossaryTerm.id)):
        hotwords.append(term.term)
        for wrong in re.split(r"[,;]", term.misheard or ""):
            if wrong.strip() and wrong.strip().lower() != term.term.strip().lower():
                replacements[wrong.strip()] = term.term.strip()
    return Glossary(hotwords=hotwords, replacements=replacements)


def load_configured_transcriber(
    cfg: Settings, options: Mapping[str, Any] | None = None
) -> Transcriber:
    """The Whisper engine the settings name (``options`` may override engine and model).

    Loaded once per process and settings by the library. The "fake" engine (canned segments,
    for web tests that assert nothing about speech) exists only when the app is TESTING.
    """
    options = options or {}
    engine = str(options.get("engine") or cfg.whisper_engine)
    model = str(options.get("model") or cfg.whisper_model)
    if engine not in cfg.engines:
        raise ValueError(f"engine must be one of {', '.join(cfg.engines)}, not {engine!r}")
    if engine == FAKE_ENGINE:
        return FakeTranscriber()
    return load_transcriber(
        engine,
        model,
        device=cfg.whisper_device,
        compute_type=cfg.whisper_compute_type,
        cpu_threads=cfg.whisper_threads,
        cache_dir=cfg.model_cache_dir,
        batch_size=cfg.whisper_batch_size,
        max_bytes=cfg.max_recording_bytes,
        max_seconds=cfg.max_recording_seconds,
    )


def decoding_settings(cfg: Settings) -> dict[str, Any]:
    """Beam size and voice-activity filtering for every transcription."""
    return {"beam_size": cfg.whisper_beam_size, "vad": cfg.whisper_vad}
