"""``qa backup`` and ``qa restore``: the database and every stored file, in one archive and back."""

from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import with_appcontext

from qa.cli.database import safe_url
from qa.services.errors import ServiceError, ValidationFailed
from qa.services.ops import backup, restore
from qa.services.ops.archive import describe


@click.command("backup")
@click.option(
    "--output",
    "output_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder to write the archive into (default: <instance>/backups).",
)
@with_appcontext
def backup_command(output_dir: str | None) -> None:
    """Write the database and every stored file into one dated archive (the app may run)."""
    output_dir = output_dir or os.path.join(current_app.instance_path, "backups")
    try:
        result = backup.create_backup(output_dir)
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from None
    manifest = result.manifest
    click.echo(
        f"Wrote {result.path}: the {manifest.database} database "
        f"({sum(manifest.row_counts.values())} rows, revision {manifest.alembic_revision}) "
        f"and {len(manifest.files) - 1} stored file(s)."
    )
    for path in result.skipped:
        click.echo(f"Left out (a name the app never gives a stored file): {path!r}", err=True)


@click.command("restore")
@click.argument("archive_path", metavar="ARCHIVE", type=click.Path(dir_okay=True))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(archive_path: str, yes: bool) -> None:
    """Replace the database and the stored files with those of a backup ARCHIVE.

    The whole archive is checked first; a damaged, tampered or hostile archive, or one from a
    newer version of qa-review, is refused and nothing is changed. Stop the web app and the
    workers first.
    """
    try:
        plan = restore.check_archive(archive_path)
    except ValidationFailed as exc:
        raise click.ClickException(
            f"{archive_path} is refused: {exc}. Nothing was changed."
        ) from None
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from None
    summary = describe(plan.manifest)
    folders = ", ".join(backup.storage_dirs().values())
    click.echo(
        f"{archive_path}: made {summary['created_at']} by qa-review {summary['app_version']}, "
        f"{summary['database']} database at revision {summary['alembic_revision']} "
        f"({summary['rows']} rows), {summary['files']} stored file(s). All checksums match."
    )
    if plan.migrates:
        click.echo(f"The database will be migrated from it to {plan.head} after the restore.")
    if not yes:
        click.confirm(
            f"Replace the database at {safe_url(current_app.config['SQLALCHEMY_DATABASE_URI'])} "
            f"and the files in {folders} with the archive's? Stop the web app and workers first.",
            abort=True,
        )
    try:
        result = restore.restore(plan)
    except ServiceError as exc:
        raise click.ClickException(f"The restore stopped: {exc}") from None
    click.echo(f"Restored the database and {result.files} stored file(s).")
    if result.migrated_from:
        click.echo(f"Migrated the database from {result.migrated_from} to {plan.head}.")
    if result.displaced:
        click.echo(
            f"{result.displaced} stored file(s) the archive does not have were moved to "
            f"{result.displaced_to}."
        )
