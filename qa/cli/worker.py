"""``qa worker``: a huey consumer for background jobs, with the job sweeper."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from functools import partial

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from qa.cli.database import require_database
from qa.config import check_production
from qa.extensions import db
from qa.queue import huey
from qa.services.calls import worker_health
from qa.services.calls.job_worker import SweepResult, sweep_expired_jobs
from qa.services.errors import ValidationFailed
from qa.settings import SETTINGS_KEY, settings
from transcription import ModelNotAvailable
from transcription.models import resolve_model

# CTranslate2's compute types (what faster-whisper's ``compute_type`` takes).
COMPUTE_TYPES = (
    "default",
    "auto",
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "int16",
    "float16",
    "bfloat16",
    "float32",
)

logger = logging.getLogger(__name__)


@click.command("worker")
@click.option(
    "--concurrency",
    "--workers",
    "-w",
    "concurrency",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Jobs this worker runs at once.",
)
@click.option(
    "--worker-type",
    type=click.Choice(["process", "thread"]),
    default=None,
    help="Run jobs in processes (default with more than one worker: each loads its own model "
    "and transcribes in parallel) or threads (they share one model, one job at a time).",
)
@click.option(
    "--name",
    envvar="QA_WORKER_NAME",
    default="",
    help="This worker's name on the jobs page (default: host:pid; QA_WORKER_NAME).",
)
@click.option("--model", default=None, help="Whisper model for this worker (QA_WHISPER_MODEL).")
@click.option(
    "--compute-type",
    type=click.Choice(COMPUTE_TYPES),
    default=None,
    help="CTranslate2 compute type (QA_WHISPER_COMPUTE_TYPE).",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 256),
    default=None,
    help="CPU threads per running job (QA_WHISPER_THREADS).",
)
@click.option("--debug", is_flag=True, help="Allow the development secret key.")
@with_appcontext
def worker_command(
    concurrency: int,
    worker_type: str | None,
    name: str,
    model: str | None,
    compute_type: str | None,
    threads: int | None,
    debug: bool,
) -> None:
    """Run a worker that takes jobs from the queue (QA_QUEUE_URL).

    At start, and every JOB_SWEEP_SECONDS after, jobs whose worker died (their lease expired)
    and jobs whose queue message was lost are queued again. Start as many workers, on as many
    machines, as the queue and database are shared with. The worker keeps a heartbeat row
    that the jobs page and /metrics show.
    """
    check_production(current_app, debug=debug)
    require_database()
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        identity_name = worker_health.worker_name(name)
    except ValidationFailed as exc:
        raise click.BadParameter(str(exc), param_hint="--name") from exc
    _use_model_settings(app, model, compute_type, threads)
    from qa import tasks

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    # Outside tests the app has already put its handler (QA_LOG_FORMAT) on the root logger,
    # which makes basicConfig do nothing: the worker still reports at INFO.
    logging.getLogger().setLevel(logging.INFO)
    tasks.use_app(app)
    cfg = settings(app)
    kind = worker_type or ("process" if concurrency > 1 else "thread")
    worker_health.register_worker(
        worker_health.WorkerIdentity(
            name=identity_name,
            host=socket.gethostname(),
            pid=os.getpid(),
            concurrency=concurrency,
            worker_type=kind,
            settings={
                "engine": cfg.whisper_engine,
                "model": cfg.whisper_model,
                "device": cfg.whisper_device,
                "compute_type": cfg.whisper_compute_type,
                "threads": cfg.whisper_threads,
            },
        )
    )
    _sweep()
    db.session.commit()
    logger.info(
        "Worker %s: %d at once (%s), model %s, %s, %d threads each",
        identity_name,
        concurrency,
        kind,
        cfg.whisper_model,
        cfg.whisper_compute_type,
        cfg.whisper_threads,
    )
    # Nothing opened here may be shared with forked worker processes.
    db.session.remove()
    db.engine.dispose()
    close = getattr(huey.storage, "close", None)
    if close is not None:
        close()
    consumer = huey.create_consumer(
        workers=concurrency,
        worker_type=kind,
        max_delay=2.0,
        check_worker_health=True,
        # A worker process that died (say, out of memory) is replaced within a lease.
        health_check_interval=min(10.0, float(cfg.job_lease_seconds)),
    )
    if kind == "process":

        @huey.on_startup()  # type: ignore[untyped-decorator]
        def forget_inherited_connections() -> None:
            # A worker process forked (or re-forked after a crash) while the sweeper held a
            # connection must not use that socket too: it opens its own.
            with app.app_context():
                db.engine.dispose(close=False)

    sweeper = Every(
        app, "job-sweeper", cfg.job_sweep_seconds, _sweep, "Job sweep failed; trying again later"
    )
    sweeper.start()
    pulse = Every(
        app,
        "worker-heartbeat",
        worker_health.heartbeat_interval(cfg),
        partial(_beat, identity_name),
        "Worker heartbeat failed; trying again",
    )
    pulse.start()
    try:
        consumer.run()
    finally:
        sweeper.stop()
        pulse.stop()
        pulse.join(timeout=5)
        _note_stopped(app, identity_name)


def _use_model_settings(
    app: Flask, model: str | None, compute_type: str | None, threads: int | None
) -> None:
    """Put this worker's model settings over the app's, and check the model can be found."""
    if model is not None:
        stripped = model.strip()
        if not stripped or len(stripped) > 200 or any(ord(c) < 32 for c in stripped):
            raise click.BadParameter(
                "a model name or folder (at most 200 characters)", param_hint="--model"
            )
        app.config["WHISPER_MODEL"] = stripped
    if compute_type is not None:
        app.config["WHISPER_COMPUTE_TYPE"] = compute_type
    if threads is not None:
        app.config["WHISPER_THREADS"] = threads
    app.extensions.pop(SETTINGS_KEY, None)  # built again from the config above
    cfg = settings(app)
    if cfg.whisper_engine in ("faster-whisper",):
        try:
            resolve_model(cfg.whisper_model, cfg.model_cache_dir)
        except ModelNotAvailable as exc:
            raise click.BadParameter(str(exc), param_hint="--model") from exc


class Every(threading.Thread):
    """Runs ``action`` in the app every ``interval`` seconds until stopped. The first round waits
    an interval (worker processes fork meanwhile, with no connection of this thread to
    inherit); a failed round (a database or queue outage) is logged and the next one tries again.
    """

    def __init__(
        self, app: Flask, name: str, interval: float, action: Callable[[], None], failed: str
    ) -> None:
        super().__init__(name=name, daemon=True)
        self.app = app
        self.interval = interval
        self.action = action
        self.failed = failed
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            with self.app.app_context():
                try:
                    self.action()
                    db.session.commit()
                except Exception:  # noqa: BLE001 - an outage only delays the next round
                    logger.warning(self.failed, exc_info=True)
                    _discard_session()

    def stop(self) -> None:
        self._stop_event.set()


def _discard_session() -> None:
    """Roll back after a failed round; a rollback that fails too (the connection broke) must not
    end the thread, so the session is then dropped and the next round starts a new one."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001
        logger.warning("Rolling back after the failed round failed too", exc_info=True)
        db.session.remove()


def _beat(worker: str) -> None:
    if not worker_health.beat(worker):
        logger.warning("The heartbeat row of worker %s is gone", worker)


def _note_stopped(app: Flask, name: str) -> None:
    with app.app_context():
        try:
            worker_health.worker_stopped(name)
            db.session.commit()
        except Exception:  # noqa: BLE001 - stopping goes on; the row just turns stale
            logger.warning("Could not mark worker %s stopped", name, exc_info=True)
            db.session.rollback()
    worker_health.forget_worker()


def _sweep() -> None:
    """Repair transcription jobs and ad video audits that dead workers left behind."""
    from qa.services.marketing.ad_video_jobs import sweep_stalled_audits

    _log_sweep(sweep_expired_jobs())
    for video_id in sweep_stalled_audits():
        logger.warning("Ad video %s: its audit's worker stopped; queued again", video_id)


def _log_sweep(result: SweepResult) -> None:
    if result.requeued or result.failed or result.resent:
        logger.info(
            "Jobs of stopped workers: queued again %s, failed %s; lost messages sent again %s",
            result.requeued,
            result.failed,
            result.resent,
        )
