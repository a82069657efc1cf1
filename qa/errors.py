"""Error pages."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        if request.path.startswith("/api/"):
            return jsonify(error=error.name, message=error.description), error.code
        if error.code in (400, 403, 404, 405, 409, 413):
            return render_template("errors/error.html", error=error), error.code
        return error
