"""Imports seen from the views: flashing the rows an import refused (the first few by line,
then how many more), and running a file staged between preview and confirm exactly once.

Every flash travels in the session cookie, so a file with thousands of bad rows must not
become thousands of messages.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

from flask import current_app, flash
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.datastructures import FileStorage

from qa.extensions import db
from qa.services import staged_files
from qa.services.errors import Conflict, NotFound, ValidationFailed
from qa.services.tabular import Table, parse_table, read_upload

MAX_FLASHED_ROWS = 10
T = TypeVar("T")


def imports_dir() -> str:
    """Where uploads wait between their preview and the confirmation."""
    return os.path.join(current_app.instance_path, "imports")


def preview_upload(upload: FileStorage, preview: Callable[[Table], T]) -> tuple[T, str] | None:
    """Check an uploaded table with ``preview`` (nothing stored) and stage it for the confirmation.

    Returns the preview and the staged file's token, or None (with a flashed message) when the
    file is refused as a whole.
    """
    filename = upload.filename or ""
    try:
        data = read_upload(upload.stream)
        result = preview(parse_table(data, filename))
    except ValidationFailed as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return None
    db.session.rollback()
    return result, staged_files.stage(data, filename, imports_dir())


def run_staged(token: str, run: Callable[[bytes], T]) -> T | None:
    """Claim the staged file, run the import on its bytes and commit; once only.

    Returns None (with a flashed message) when the file is gone, already imported or refused as
    a whole; a refused or failed run rolls back and leaves the file for another try.
    """
    directory = imports_dir()
    try:
        data = staged_files.claim(directory, token)
    except (Conflict, NotFound) as exc:
        flash(str(exc), "info" if isinstance(exc, Conflict) else "danger")
        return None
    try:
        result = run(data)
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        staged_files.release(directory, token)
        flash(str(exc), "danger")
        return None
    except BaseException:
        db.session.rollback()
        staged_files.release(directory, token)
        raise
    staged_files.finish(directory, token)
    return result


def flash_row_errors(errors: list[tuple[int, str]]) -> None:
    for line, message in errors[:MAX_FLASHED_ROWS]:
        flash(_("Line %(line)d: %(message)s", line=line, message=message), "danger")
    if len(errors) > MAX_FLASHED_ROWS:
        more = len(errors) - MAX_FLASHED_ROWS
        flash(
            ngettext("%(num)d more row was refused.", "%(num)d more rows were refused.", more),
            "danger",
        )
