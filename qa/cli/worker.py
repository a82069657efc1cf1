"""``qa worker``: a huey consumer for background jobs."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext

from qa.config import check_production


@click.command("worker")
@click.option("--workers", "-w", default=1, show_default=True, help="Concurrent jobs.")
@click.option("--debug", is_flag=True, help="Allow the development secret key.")
@with_appcontext
def worker_command(workers: int, debug: bool) -> None:
    """Run a worker that takes jobs from the queue (QA_QUEUE_URL)."""
    check_production(current_app, debug=debug)
    from qa import tasks

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    consumer = tasks.huey.create_consumer(workers=workers, worker_type="thread")
    consumer.run()
