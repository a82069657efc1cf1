"""Background tasks: thin wrappers that take primary keys and run a service in an app context.

Importing this module defines the tasks on the huey instance; ``register`` (called by
``create_app``) gives services the queue port, so services never import this module.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, current_app, has_app_context
from huey import Huey, crontab
from huey.utils import normalize_time
from sqlalchemy.exc import SQLAlchemyError

from qa import queue
from qa.extensions import db
from qa.queue import huey
from qa.services.calls import worker_health
from qa.services.calls.job_runner import run_transcription_job
from qa.services.marketing.ad_video_jobs import run_video_audit

logger = logging.getLogger(__name__)

_worker_app: Flask | None = None


def use_app(app: Flask) -> None:
    """Run tasks in this process with ``app`` (``qa worker`` passes the app it was started with)."""
    global _worker_app
    _worker_app = app


@contextmanager
def task_app_context() -> Iterator[Flask]:
    """A new app context, and so a database session of its own, for one task.

    In immediate mode (tests) a task runs inside the commit of the code that queued it, whose
    session cannot be used then; a worker uses the app ``qa worker`` gave it.
    """
    if has_app_context():
        app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    elif _worker_app is not None:
        app = _worker_app
    else:
        raise RuntimeError("Tasks run in `qa worker`, which gives them the app.")
    with app.app_context():
        yield app


@huey.task()  # type: ignore[untyped-decorator]
def transcribe_call(job_id: int) -> None:
    """Transcribe and analyse the call of a queued job (a job in any other state is left alone)."""
    with task_app_context():
        me = worker_health.this_worker()
        if me is not None:
            _note_on_worker(worker_health.job_started, me.name, job_id)
        status = "interrupted"
        try:
            status = run_transcription_job(job_id).status
        finally:
            if me is not None:
                _note_on_worker(worker_health.job_ended, me.name, job_id, status)


def _note_on_worker(change: Callable[..., bool], *args: object) -> None:
    """Update the worker's heartbeat row; a database hiccup here never fails the job."""
    try:
        change(*args)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        logger.warning("Could not update the worker's heartbeat row", exc_info=True)


@huey.task()  # type: ignore[untyped-decorator]
def audit_ad_video(video_id: int) -> None:
    """Read and audit an ad video whose audit is queued (one in any other state is left alone)."""
    with task_app_context():
        run_video_audit(video_id)


@huey.task()  # type: ignore[untyped-decorator]
def redact_stored_calls() -> None:
    """Redact every stored transcript (and recording) by the redaction settings just saved."""
    with task_app_context():
        from qa.services.calls.redaction_runs import redact_stored_calls as redact_all

        done, failed = redact_all()
        logger.info("Redacted %d stored call(s); %d failed", done, failed)


# Ahead of transcriptions and the run over every stored call: someone is waiting for this one.
FIRST = 100


@huey.task(priority=FIRST)  # type: ignore[untyped-decorator]
def redact_one_call(call_id: int) -> None:
    """Redact one call whose page a viewer opened before the run over stored calls reached it."""
    with task_app_context():
        from qa.services.calls.redaction_runs import redact_stored_call

        redact_stored_call(call_id)


@huey.periodic_task(crontab(minute="15"))  # type: ignore[untyped-decorator]
def run_sampling_rules() -> None:
    """Top up reviewers' queues from the active sampling rules (hourly; a rerun adds nothing)."""
    with task_app_context():
        from qa.services.quality.sampling import run_active_rules

        result = run_active_rules()
        db.session.commit()
        for problem in result.problems:
            logger.warning("Sampling rule skipped: %s", problem)


@huey.periodic_task(crontab(minute="40", hour="2"))  # type: ignore[untyped-decorator]
def run_retention() -> None:
    """Delete the recordings, transcripts and redacted copies whose retention ran out (daily;
    a rerun the same day finds nothing left)."""
    with task_app_context():
        from qa.services.privacy.retention import run_retention as run

        result = run()
        db.session.commit()
        if result.anything:
            logger.info(
                "Retention: %d recordings, %d transcripts deleted",
                len(result.recordings),
                len(result.transcripts),
            )


class HueyJobQueue:
    """The queue port services use: job ids go to :func:`transcribe_call` on ``queue``, ad videos
    to :func:`audit_ad_video`."""

    def __init__(self, queue: Huey = huey) -> None:
        self.huey = queue

    def send(self, job_id: int, delay: float | None = None) -> None:
        message = transcribe_call.s(job_id)
        if delay:
            message.eta = normalize_time(delay=delay, utc=self.huey.utc)
        self.huey.enqueue(message)

    def send_video_audit(self, video_id: int) -> None:
        self.huey.enqueue(audit_ad_video.s(video_id))

    def send_redaction(self) -> None:
        self.huey.enqueue(redact_stored_calls.s())

    def send_call_redaction(self, call_id: int) -> None:
        self.huey.enqueue(redact_one_call.s(call_id))

    def waiting(self) -> set[int]:
        name = transcribe_call.s(0).name
        messages = [*self.huey.pending(), *self.huey.scheduled()]
        return {m.args[0] for m in messages if m.name == name and m.args}


def register() -> None:
    """Give services the queue (called by ``create_app``)."""
    queue.register_job_queue(HueyJobQueue())


__all__ = [
    "HueyJobQueue",
    "audit_ad_video",
    "redact_one_call",
    "register",
    "run_retention",
    "run_sampling_rules",
    "task_app_context",
    "transcribe_call",
    "use_app",
]
