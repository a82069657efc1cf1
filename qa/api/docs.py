"""The API's description for people: a page under the web UI (session login, no token)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, render_template

from qa.roles import requires

bp = Blueprint("api_docs", __name__, url_prefix="/api/docs")

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def _spec() -> dict[str, Any]:
    return current_app.extensions["qa_api"].spec.to_dict()  # type: ignore[no-any-return]


@bp.route("/")
@requires("api_docs")
def index():  # type: ignore[no-untyped-def]
    spec = _spec()
    operations = [
        (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]
    return render_template("api/docs.html", spec=spec, operations=operations)


@bp.route("/openapi.json")
@requires("api_docs")
def spec_json():  # type: ignore[no-untyped-def]
    """The same description as /api/v1/openapi.json, for a logged-in user to download."""
    return jsonify(_spec())
