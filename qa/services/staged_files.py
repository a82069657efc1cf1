"""Uploaded tables kept on disk between an import's preview and its confirmation.

The confirmation claims the file by renaming it, so two clicks on "Import" (or two tabs) cannot
both import it; a finished import leaves a marker, so the second click is told the file is
already imported instead of that it expired.
"""

from __future__ import annotations

import os
import re
import time
import uuid

from flask_babel import gettext as _

from qa.services.errors import Conflict, NotFound

TOKEN = re.compile(r"^[0-9a-f]{32}\.(csv|xlsx|txt)$")
KEEP_SECONDS = 24 * 3600


def stage(data: bytes, filename: str, directory: str) -> str:
    """Keep ``data`` until it is confirmed; return its token."""
    os.makedirs(directory, exist_ok=True)
    _prune(directory)
    suffix = os.path.splitext(filename)[1].lower()
    token = f"{uuid.uuid4().hex}{suffix if suffix in ('.csv', '.xlsx', '.txt') else '.csv'}"
    with open(os.path.join(directory, token), "wb") as handle:
        handle.write(data)
    return token


def claim(directory: str, token: str) -> bytes:
    """The staged bytes, taken so that no other request can import them too."""
    if not TOKEN.match(token):
        raise NotFound(_("The import has expired; upload the file again."))
    path = os.path.join(directory, token)
    try:
        os.rename(path, path + ".claimed")
    except FileNotFoundError:
        if os.path.exists(path + ".done"):
            raise Conflict(_("This file has already been imported.")) from None
        if os.path.exists(path + ".claimed"):
            raise Conflict(_("This file is being imported now.")) from None
        raise NotFound(_("The import has expired; upload the file again.")) from None
    with open(path + ".claimed", "rb") as handle:
        return handle.read()


def release(directory: str, token: str) -> None:
    """Give a claimed file back (its import failed), so it can be confirmed again."""
    path = os.path.join(directory, token)
    os.rename(path + ".claimed", path)


def finish(directory: str, token: str) -> None:
    """Drop the imported file, leaving a marker that it was imported."""
    path = os.path.join(directory, token)
    os.unlink(path + ".claimed")
    with open(path + ".done", "wb"):
        pass


def _prune(directory: str) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for name in os.listdir(directory):
        path = os.path.join(directory, name)
        try:
            if os.path.getmtime(path) < cutoff:
                os.unlink(path)
        except FileNotFoundError:
            continue
