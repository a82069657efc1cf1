"""``/healthz`` (the process answers), ``/readyz`` (the parts it needs answer), ``/metrics``.

No login: monitors have no session. Metrics answer only the configured addresses or a bearer
token; anyone else gets 404, as if there were no such page.
"""

from __future__ import annotations

import hmac
import ipaddress

from flask import Blueprint, Response, abort, current_app, jsonify, request

from qa.services.ops import health, metrics
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


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    value = current_app.config["METRICS_ALLOWED_ADDRESSES"]
    items = value.split(",") if isinstance(value, str) else value
    return [ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip()]


def _may_scrape() -> bool:
    token = current_app.config.get("METRICS_TOKEN") or ""
    given = request.headers.get("Authorization", "")
    if (
        token
        and given.startswith("Bearer ")
        and hmac.compare_digest(given.removeprefix("Bearer ").encode(), token.encode())
    ):
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in _allowed_networks())


@bp.get("/metrics")
def metrics_page() -> Response:
    """Prometheus's page: only from the configured addresses or with the bearer token."""
    if not _may_scrape():
        abort(404)
    body, content_type = metrics.exposition(current_app._get_current_object())  # type: ignore[attr-defined]
    return Response(body, content_type=content_type)
