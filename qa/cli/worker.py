"""``qa worker``: a huey consumer for background jobs, with the job sweeper."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext

from qa.config import check_production
from qa.extensions import db


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

    At start, and every minute after, jobs whose worker died (their lease expired) are queued
    again. Start as many workers, on as many machines, as the queue and database are shared with.
    """
    check_production(current_app, debug=debug)
    from qa import tasks
    from qa.services.calls.job_worker import sweep_expired_jobs

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    tasks.use_app(app)
    swept = sweep_expired_jobs()
    db.session.commit()
    if swept.requeued or swept.failed:
        logging.getLogger(__name__).info(
            "Jobs of stopped workers: queued again %s, failed %s", swept.requeued, swept.failed
        )
    # Nothing opened here may be shared with forked worker processes.
    db.session.remove()
    db.engine.dispose()
    close = getattr(tasks.huey.storage, "close", None)
    if close is not None:
        close()
    kind = worker_type or ("process" if workers > 1 else "thread")
    consumer = tasks.huey.create_consumer(
        workers=workers, worker_type=kind, max_delay=2.0, check_worker_health=True
    )
    consumer.run()
