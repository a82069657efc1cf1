"""``qa worker``: a huey consumer for background jobs, with the job sweeper."""

from __future__ import annotations

import logging
import threading

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from qa.cli.database import require_database
from qa.config import check_production
from qa.extensions import db
from qa.queue import huey
from qa.services.calls.job_worker import SweepResult, sweep_expired_jobs
from qa.settings import settings

logger = logging.getLogger(__name__)


@click.command("worker")
@click.option("--workers", "-w", default=1, show_default=True, help="Concurrent jobs.")
@click.option(
    "--worker-type",
    type=click.Choice(["process", "thread"]),
    default=None,
    help="Run jobs in processes (default with more than one worker: each loads its own model "
    "and transcribes in parallel) or threads (they share one model, one job at a time).",
)
@click.option("--debug", is_flag=True, help="Allow the development secret key.")
@with_appcontext
def worker_command(workers: int, worker_type: str | None, debug: bool) -> None:
    """Run a worker that takes jobs from the queue (QA_QUEUE_URL).

    At start, and every JOB_SWEEP_SECONDS after, jobs whose worker died (their lease expired)
    and jobs whose queue message was lost are queued again. Start as many workers, on as many
    machines, as the queue and database are shared with.
    """
    check_production(current_app, debug=debug)
    require_database()
    from qa import tasks

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    # Outside tests the app has already put its handler (QA_LOG_FORMAT) on the root logger,
    # which makes basicConfig do nothing: the worker still reports at INFO.
    logging.getLogger().setLevel(logging.INFO)
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    tasks.use_app(app)
    _sweep()
    db.session.commit()
    # Nothing opened here may be shared with forked worker processes.
    db.session.remove()
    db.engine.dispose()
    close = getattr(huey.storage, "close", None)
    if close is not None:
        close()
    cfg = settings(app)
    kind = worker_type or ("process" if workers > 1 else "thread")
    consumer = huey.create_consumer(
        workers=workers,
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

    sweeper = Sweeper(app, cfg.job_sweep_seconds)
    sweeper.start()
    try:
        consumer.run()
    finally:
        sweeper.stop()


class Sweeper(threading.Thread):
    """Runs the job sweeper every ``interval`` seconds; a database outage only delays it."""

    def __init__(self, app: Flask, interval: float) -> None:
        super().__init__(name="job-sweeper", daemon=True)
        self.app = app
        self.interval = interval
        self._stop_event = threading.Event()

    def run(self) -> None:
        # The first sweep waits an interval: worker processes fork meanwhile, with no
        # connection of this thread to inherit.
        while not self._stop_event.wait(self.interval):
            with self.app.app_context():
                try:
                    _sweep()
                    db.session.commit()
                except Exception:  # a database or queue outage: the next sweep tries again
                    logger.warning("Job sweep failed; trying again later", exc_info=True)
                    db.session.rollback()

    def stop(self) -> None:
        self._stop_event.set()


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
