"""Running one transcription job in a worker, or in-process for ``qa transcribe``.

Claim, transcribe with no database session in use, store and analyse, committing at each step.
The caller gives the app context: the task wrapper a fresh one per job, the CLI its own.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from qa.extensions import db
from qa.models import TranscriptionJob
from qa.services.calls.fault_points import pause_at
from qa.services.calls.job_worker import (
    ClaimedJob,
    claim_job,
    current_glossary,
    decoding_settings,
    fail_job,
    fail_unclaimed,
    finish_job,
    load_configured_transcriber,
    release_job,
    touch_job,
)
from qa.settings import settings
from transcription import AudioError, ModelNotAvailable, Transcriber, Transcript, TranscriptionError

logger = logging.getLogger(__name__)
# Seconds between heartbeats at most (progress shown in the UI is this fresh).
HEARTBEAT_SECONDS = 5.0


@dataclass
class JobOutcome:
    """What became of one run: done, failed, queued (to retry), cancelled or skipped."""

    job_id: int
    status: str
    error: str | None = None
    transcript: Transcript | None = None


class JobLost(Exception):
    """The job was cancelled, or taken over after a lost lease, while it ran."""


class Heartbeat:
    """Renews the job's lease and records progress from a thread while Whisper runs.

    ``report`` is the engine's progress callback: it raises JobLost once the job is no longer
    this worker's, which stops the engine at its next progress report.
    """

    def __init__(
        self,
        engine: Engine,
        claim: ClaimedJob,
        lease_seconds: int,
        forward: Callable[[float], None] | None = None,
    ) -> None:
        self.engine = engine
        self.claim = claim
        self.lease_seconds = lease_seconds
        self.interval = max(0.2, min(lease_seconds / 3, HEARTBEAT_SECONDS))
        self.forward = forward
        self.progress = 0.0
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"heartbeat-job-{claim.job_id}", daemon=True
        )

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def report(self, fraction: float) -> None:
        self.progress = fraction
        if self.lost.is_set():
            raise JobLost(f"job {self.claim.job_id} is no longer this worker's")
        if self.forward is not None:
            self.forward(fraction)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                with self.engine.begin() as conn:
                    ours = touch_job(conn, self.claim, self.progress, self.lease_seconds)
            except SQLAlchemyError:
                # A busy or briefly unreachable database: the lease has slack for the next beat.
                logger.warning("Heartbeat for job %s failed", self.claim.job_id, exc_info=True)
                continue
            if not ours:
                self.lost.set()
                return


def worker_token() -> str:
    """Names this worker in the job row; unique per claim, so a stale worker can tell."""
    name = f"{socket.gethostname()}:{os.getpid()}:{threading.current_thread().name}"
    return f"{name[:100]}:{uuid.uuid4().hex[:8]}"


def run_transcription_job(
    job_id: int,
    *,
    transcriber: Transcriber | None = None,
    progress: Callable[[float], None] | None = None,
    requeue_on_interrupt: bool = True,
) -> JobOutcome:
    """Claim, transcribe, store and analyse one job, committing at each step.

    Whisper runs with no database session in use. Bad audio fails at once; other errors are
    retried with backoff until the job's max_attempts. ``transcriber`` and ``progress`` are
    for in-process runs (``qa transcribe``); by default the configured engine is used.
    """
    try:
        return _run(job_id, transcriber, progress, requeue_on_interrupt)
    except BaseException:
        db.session.rollback()
        raise


def _run(
    job_id: int,
    transcriber: Transcriber | None,
    progress: Callable[[float], None] | None,
    requeue_on_interrupt: bool,
) -> JobOutcome:
    job = db.session.get(TranscriptionJob, job_id)
    if job is None or job.status != "queued":
        return JobOutcome(job_id, "skipped", None if job is None else f"job is {job.status}")
    options = dict(job.options or {})
    db.session.rollback()  # hold no transaction while a model loads
    pause_at("dequeued", job_id)
    cfg = settings()
    if transcriber is None:
        pause_at("loading", job_id)
        try:
            transcriber = load_configured_transcriber(cfg, options)
        except (ModelNotAvailable, ValueError) as exc:
            message = f"The speech model cannot be loaded: {exc}"
            if fail_unclaimed(job_id, message):
                db.session.commit()
            return JobOutcome(job_id, "failed", message)
    lease = cfg.job_lease_seconds
    claim = claim_job(job_id, worker_token(), lease)
    glossary = current_glossary() if claim is not None else None
    db.session.commit()
    if claim is None:
        return JobOutcome(job_id, "skipped", "another worker took the job")
    db.session.close()
    try:
        with Heartbeat(db.engine, claim, lease, progress) as heartbeat:
            pause_at("transcribing", job_id)
            if not os.path.isfile(claim.audio_path):
                raise TranscriptionError(
                    f"The recording of {claim.filename} is missing at {claim.audio_path} "
                    "(is RECORDINGS_DIR shared with this worker?)"
                )
            transcript = transcriber.transcribe(
                claim.audio_path,
                language=claim.language,
                agent_channel=claim.agent_channel,
                glossary=glossary,
                progress=heartbeat.report,
                **decoding_settings(cfg),
            )
    except JobLost as exc:
        return JobOutcome(job_id, "cancelled", str(exc))
    except KeyboardInterrupt:
        release_job(claim, "Interrupted before it finished.", requeue=requeue_on_interrupt)
        db.session.commit()
        raise
    except (AudioError, ModelNotAvailable) as exc:
        # Bad audio, or a model that is not installed: trying again would fail the same way.
        return _failed(claim, _own_name(str(exc), claim), transient=False)
    except Exception as exc:
        if isinstance(exc.__cause__, JobLost):  # raised by our callback, wrapped by the engine
            return JobOutcome(job_id, "cancelled", str(exc.__cause__))
        logger.exception("Transcription of job %s failed", job_id)
        return _failed(claim, _own_name(f"{type(exc).__name__}: {exc}", claim), transient=True)
    if finish_job(claim, transcript):
        db.session.commit()
        return JobOutcome(job_id, "done", transcript=transcript)
    db.session.rollback()
    return JobOutcome(job_id, "cancelled", "the job was cancelled or taken over while it ran")


def _failed(claim: ClaimedJob, message: str, *, transient: bool) -> JobOutcome:
    status = fail_job(claim, message, transient=transient)
    db.session.commit()
    return JobOutcome(claim.job_id, "cancelled" if status == "lost" else status, message)


def _own_name(message: str, claim: ClaimedJob) -> str:
    """Speak of the file by the name it was uploaded with, not its content-addressed name."""
    return message.replace(os.path.basename(claim.audio_path), claim.filename)
