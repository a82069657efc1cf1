"""Operations endpoints: liveness, readiness and metrics, for load balancers and monitors."""

from __future__ import annotations

from time import perf_counter

from flask import Flask, Response, current_app, g, request

from qa.services.ops import metrics


def init_app(app: Flask) -> None:
    """Count every request and its latency, by route, for ``/metrics``."""
    metrics.init_app(app)

    @app.before_request
    def start_timer() -> None:
        g.metrics_started = perf_counter()

    @app.after_request
    def count_request(response: Response) -> Response:
        started = g.pop("metrics_started", None)
        seconds = perf_counter() - started if started is not None else None
        rule = request.url_rule
        endpoint = rule.endpoint if rule is not None else None
        metrics.record_request(
            current_app._get_current_object(),  # type: ignore[attr-defined]
            endpoint,
            request.method,
            response.status_code,
            seconds,
        )
        return response
