"""Static files cached by browsers and proxies for a year, safely: every URL names its content.

``url_for("static", ...)`` (and a blueprint's static, e.g. Bootstrap's) gets ``?v=`` with a short
hash of the file, so a new release changes the URL and a long ``max-age`` never serves stale
scripts. A request without that version (an old bookmark, a hand-typed URL) is revalidated.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from flask import Flask, Response, request

YEAR = 365 * 24 * 3600
VERSIONED = f"public, max-age={YEAR}, immutable"
UNVERSIONED = "no-cache"


def _static_folder(app: Flask, endpoint: str) -> str | None:
    blueprint, _, name = endpoint.rpartition(".")
    if name != "static":
        return None
    owner = app.blueprints.get(blueprint) if blueprint else app
    return owner.static_folder if owner is not None else None


def init_app(app: Flask) -> None:
    versions: dict[tuple[str, float], str] = {}

    def version(path: str) -> str | None:
        try:
            mtime = os.stat(path).st_mtime
        except OSError:
            return None
        key = (path, mtime)
        if key not in versions:
            with open(path, "rb") as file:
                versions[key] = hashlib.sha256(file.read()).hexdigest()[:12]
        return versions[key]

    # Where each (folder, filename) resolves, None outside the folder: realpath walks every
    # component of the path (a dozen lstat calls), and a page names the same few files.
    resolved: dict[tuple[str, str], str | None] = {}

    def inside(folder: str, filename: str) -> str | None:
        key = (folder, filename)
        if key not in resolved:
            path = os.path.realpath(os.path.join(folder, filename))
            if len(resolved) >= 4096:
                resolved.clear()
            resolved[key] = path if path.startswith(os.path.realpath(folder) + os.sep) else None
        return resolved[key]

    @app.url_defaults
    def add_version(endpoint: str, values: dict[str, Any]) -> None:
        folder = _static_folder(app, endpoint)
        filename = values.get("filename")
        if folder is None or not filename or "v" in values:
            return
        path = inside(folder, filename)
        if path:
            found = version(path)
            if found:
                values["v"] = found

    @app.after_request
    def cache_static(response: Response) -> Response:
        endpoint = request.endpoint
        static = endpoint is not None and _static_folder(app, endpoint) is not None
        if static and response.status_code in (200, 304):
            response.headers["Cache-Control"] = VERSIONED if request.args.get("v") else UNVERSIONED
        return response
