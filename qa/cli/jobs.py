"""``qa jobs``: transcription jobs for operators (list, cancel, retry, sweep)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from rich.console import Console
from rich.table import Table

from qa.extensions import db
from qa.models import TranscriptionJob
from qa.models.call import JOB_STATUSES
from qa.services.calls.job_worker import sweep_expired_jobs
from qa.services.calls.jobs import cancel_job, list_jobs, retry_job
from qa.services.errors import ServiceError
from qa.timefmt import table_cell


@click.group("jobs")
def jobs_command() -> None:
    """Transcription jobs: list, cancel, retry."""


@jobs_command.command("list")
@click.option("--status", type=click.Choice(JOB_STATUSES), help="Only jobs in this state.")
@click.option("--limit", default=50, show_default=True, help="How many of the newest jobs.")
@with_appcontext
def list_command(status: str | None, limit: int) -> None:
    """Newest jobs first, with progress, attempts, worker and error."""
    jobs = list_jobs(status, limit)
    if not jobs:
        click.echo("No jobs.")
        return
    table = Table()
    columns = ("Job", "Call", "File", "Status", "Progress", "Tries", "Worker", "Created", "Error")
    for name in columns:
        table.add_column(name, overflow="fold")
    for job in jobs:
        table.add_row(
            str(job.id),
            f"#{job.call_id}",
            job.call.display_title,
            job.status,
            f"{(job.progress or 0) * 100:.0f}%",
            f"{job.attempts}/{job.max_attempts}",
            job.worker or "",
            table_cell(job.created_at),
            job.error or "",
        )
    Console(width=200).print(table)


def _job(job_id: int) -> TranscriptionJob:
    job = db.session.get(TranscriptionJob, job_id)
    if job is None:
        raise click.ClickException(f"No job #{job_id}.")
    return job


@jobs_command.command("cancel")
@click.argument("job_id", type=int)
@with_appcontext
def cancel_command(job_id: int) -> None:
    """Cancel a queued or running job (a running one stops at its next heartbeat)."""
    try:
        job = cancel_job(_job(job_id))
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Job #{job.id} cancelled (call #{job.call_id}).")


@jobs_command.command("retry")
@click.argument("job_id", type=int)
@with_appcontext
def retry_command(job_id: int) -> None:
    """Run a failed, cancelled or done job's call again; send a stuck queued job again."""
    try:
        job = retry_job(_job(job_id))
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    if job.id == job_id:
        click.echo(f"Job #{job.id} sent to the queue again.")
    else:
        click.echo(f"Job #{job.id} queued for call #{job.call_id} (retrying job #{job_id}).")


@jobs_command.command("sweep")
@with_appcontext
def sweep_command() -> None:
    """Queue again now the jobs whose worker stopped (workers also do this every minute)."""
    result = sweep_expired_jobs()
    db.session.commit()
    click.echo(
        f"Queued again: {len(result.requeued)} job(s); failed after max attempts: "
        f"{len(result.failed)}."
    )
