"""``qa retention run`` and ``qa delete-personal-data``: retention and deletion on request for
operators (the same services as the daily task and the admin page)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from qa.extensions import db
from qa.services.errors import ServiceError
from qa.services.privacy import erasure
from qa.services.privacy.retention import run_retention


@click.group("retention")
def retention_group() -> None:
    """Retention periods of recordings, transcripts and redacted copies."""


@retention_group.command("run")
@click.option("--dry-run", is_flag=True, help="Show what is due; delete nothing.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Count periods as on this day (YYYY-MM-DD); default: today in company time.",
)
@with_appcontext
def retention_run_command(dry_run: bool, today: object) -> None:
    """Delete what is due (the daily task does the same); the run is in the audit trail."""
    day = today.date() if today is not None else None  # type: ignore[attr-defined]
    try:
        result = run_retention(day)
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "Due" if dry_run else "Deleted"
    click.echo(f"{verb} on {result.today.isoformat()}:")
    click.echo(f"  recordings: {len(result.recordings)} {_ids(result.recordings)}")
    click.echo(f"  transcripts: {len(result.transcripts)} {_ids(result.transcripts)}")
    click.echo(f"  redacted copies: {result.removed.redacted_copies}")


def _ids(ids: list[int]) -> str:
    if not ids:
        return ""
    shown = ", ".join(f"#{i}" for i in ids[:20])
    return f"({shown}{', ...' if len(ids) > 20 else ''})"


@click.command("delete-personal-data")
@click.option("--phone", default=None, help="Everything about this phone number.")
@click.option("--call", "call_id", default=None, help="One call, by its id.")
@click.option("--requested-by", required=True, help="Who asked for the deletion.")
@click.option("--reason", default="", help="Why (the request, its reference).")
@click.option("--yes", is_flag=True, help="Delete without asking.")
@with_appcontext
def delete_personal_data_command(
    phone: str | None, call_id: str | None, requested_by: str, reason: str, yes: bool
) -> None:
    """Delete one call's personal data, or everything about one phone number."""
    try:
        found = erasure.plan(call_id=call_id, phone=phone)
        erasure.requester(requested_by)
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"{found.target}: {len(found.calls)} call(s) {_ids([c.id for c in found.calls])}, "
        f"{found.recordings} recording(s), {found.transcript_lines} transcript line(s), "
        f"{len(found.leads)} lead(s)."
    )
    if found.empty:
        click.echo("Nothing to delete.")
        return
    if not yes and not click.confirm("Delete all of this?"):
        raise click.ClickException("Nothing was deleted.")
    try:
        record = erasure.erase(found, requested_by=requested_by, reason=reason)
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Deleted. Deletion record #{record.id}.")
