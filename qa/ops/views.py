"""``/healthz`` (the process answers) and ``/readyz`` (the parts it needs answer); no login."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from qa.services.ops import health
from qa.settings import settings

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """Liveness: touches nothing, so a slow database never gets a live process restarted."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    results = health.readiness(settings().recordings_dir)
    failed = sorted(name for name, reason in results.items() if reason)
    body = {
        "status": "unavailable" if failed else "ok",
        "checks": {name: reason or "ok" for name, reason in results.items()},
        "failed": failed,
    }
    return jsonify(body), 503 if failed else 200
