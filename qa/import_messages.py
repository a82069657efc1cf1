"""Flashing the rows an import refused: the first few by line, then how many more.

Every flash travels in the session cookie, so a file with thousands of bad rows must not
become thousands of messages.
"""

from __future__ import annotations

from flask import flash
from flask_babel import gettext as _
from flask_babel import ngettext

MAX_FLASHED_ROWS = 10


def flash_row_errors(errors: list[tuple[int, str]]) -> None:
    for line, message in errors[:MAX_FLASHED_ROWS]:
        flash(_("Line %(line)d: %(message)s", line=line, message=message), "danger")
    if len(errors) > MAX_FLASHED_ROWS:
        more = len(errors) - MAX_FLASHED_ROWS
        flash(
            ngettext("%(num)d more row was refused.", "%(num)d more rows were refused.", more),
            "danger",
        )
