"""Error pages."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, ServiceUnavailable

from qa.extensions import db
from qa.services.errors import StorageUnavailable


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        if isinstance(error, RequestEntityTooLarge):
            limit = "{:g}".format(int(app.config["MAX_CONTENT_LENGTH"]) / (1024 * 1024))
            error.description = _(
                "The request is larger than %(mb)s MB, the limit for one request; nothing was "
                "stored.",
                mb=limit,
            )
        if request.path.startswith("/api/"):
            return jsonify(error=error.name, message=error.description), error.code
        if error.code in (400, 403, 404, 405, 409, 413):
            return render_template("errors/error.html", error=error), error.code
        return error

    @app.errorhandler(StorageUnavailable)
    def storage_unavailable(error: StorageUnavailable):  # type: ignore[no-untyped-def]
        # Rows flushed for this request go (files they kept are removed with them), so the
        # client may simply retry.
        db.session.rollback()
        return http_error(ServiceUnavailable(description=str(error)))
