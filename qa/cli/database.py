"""Database faults as one clear line on the command line instead of a traceback."""

from __future__ import annotations

import click
from flask import current_app
from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from qa.extensions import db
from qa.models import TranscriptionJob

MIGRATE_FIRST = "run `qa db upgrade` first"


def database_error(exc: OperationalError, url: str) -> click.ClickException:
    """``exc`` (a connection that failed, a missing table) as a one-line CLI error."""
    text = str(exc.orig if exc.orig is not None else exc).strip()
    reason = text.splitlines()[0] if text else type(exc).__name__
    if "no such table" in reason or ("relation" in reason and "does not exist" in reason):
        return click.ClickException(
            f"The database at {safe_url(url)} has no tables yet ({reason}): {MIGRATE_FIRST}."
        )
    return click.ClickException(f"Cannot use the database at {safe_url(url)}: {reason}")


def require_database() -> None:
    """Fail at once, with a clear line, when the database is unreachable or not migrated."""
    url = str(current_app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with db.engine.connect() as conn:
            ready = inspect(conn).has_table(TranscriptionJob.__tablename__)
    except OperationalError as exc:
        raise database_error(exc, url) from None
    if not ready:
        raise click.ClickException(
            f"The database at {safe_url(url)} has no tables yet: {MIGRATE_FIRST}."
        )


def safe_url(url: str) -> str:
    """The URL with any password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(the configured database)"
