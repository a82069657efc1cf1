"""Prometheus metrics: requests and their latency per route, jobs by state, the queue's depth
and the workers' heartbeats.

Request counts live in a registry of the app (tests build many apps in one process). Job and
queue figures are read when Prometheus scrapes, not kept up to date. Under gunicorn with several
workers set ``PROMETHEUS_MULTIPROC_DIR`` (an empty folder) so that every worker's counts are
added up on each scrape (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from flask import Flask
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from qa import queue
from qa.extensions import db
from qa.models._base import utcnow
from qa.services.calls.job_overview import job_counts, todays_throughput
from qa.services.calls.worker_health import worker_statuses
from qa.settings import settings

_KEY = "qa.metrics"
# Requests no route matched (404s of scanners) share one label instead of one per path.
UNMATCHED = "unmatched"


class _Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "qa_http_requests",
            "HTTP requests answered, by route (endpoint), method and status.",
            ("endpoint", "method", "status"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "qa_http_request_duration_seconds",
            "Time to answer an HTTP request, by route (endpoint) and method.",
            ("endpoint", "method"),
            registry=self.registry,
        )
        self.registry.register(JobsCollector())


class JobsCollector(Collector):
    """Jobs per state and messages waiting on the queue, queried at scrape time."""

    def collect(self) -> Iterator[Metric]:
        jobs = GaugeMetricFamily(
            "qa_transcription_jobs", "Transcription jobs by state.", labels=("state",)
        )
        try:
            counts = job_counts()
        except Exception:  # noqa: BLE001 - a scrape must not fail with the database
            db.session.remove()
            counts = {}
        for state, count in sorted(counts.items()):
            jobs.add_metric((state,), count)
        yield jobs
        speed = GaugeMetricFamily(
            "qa_transcription_real_time_factor",
            "Processing seconds per audio second of the jobs finished today (company time).",
        )
        try:
            factor = todays_throughput(utcnow()).real_time_factor
        except Exception:  # noqa: BLE001 - a scrape must not fail with the database
            db.session.remove()
            factor = None
        if factor is not None:
            speed.add_metric((), factor)
        yield speed
        depth = GaugeMetricFamily(
            "qa_queue_depth",
            "Messages waiting on the job queue (due now, and scheduled).",
            labels=("kind",),
        )
        try:
            depth.add_metric(("ready",), queue.huey.storage.queue_size())
            depth.add_metric(("scheduled",), queue.huey.storage.schedule_size())
        except Exception:  # noqa: BLE001, S110 - nothing to report while the queue is down
            pass
        yield depth
        yield from _worker_metrics()


def _worker_metrics() -> Iterator[Metric]:
    """Seconds since each running worker's last heartbeat, and workers by state."""
    age = GaugeMetricFamily(
        "qa_worker_heartbeat_age_seconds",
        "Seconds since the worker's last heartbeat (workers that stopped are left out).",
        labels=("worker", "host"),
    )
    states = GaugeMetricFamily(
        "qa_workers", "Workers seen in the last day, by state.", labels=("state",)
    )
    try:
        statuses = worker_statuses(settings())
    except Exception:  # noqa: BLE001 - a scrape must not fail with the database
        db.session.remove()
        statuses = []
    counts = dict.fromkeys(("alive", "stale", "stopped"), 0)
    for status in statuses:
        counts[status.state] += 1
        if status.state != "stopped":
            age.add_metric((status.worker.name, status.worker.host), status.age_seconds)
    for state, count in counts.items():
        states.add_metric((state,), count)
    yield age
    yield states


def record_request(
    app: Flask, endpoint: str | None, method: str, status: int, seconds: float | None
) -> None:
    """Count one answered request (``endpoint`` None: no route matched)."""
    metrics: _Metrics = app.extensions[_KEY]
    label = endpoint or UNMATCHED
    metrics.requests.labels(label, method, str(status)).inc()
    if seconds is not None:
        metrics.latency.labels(label, method).observe(seconds)


def init_app(app: Flask) -> None:
    app.extensions[_KEY] = _Metrics()


def exposition(app: Flask) -> tuple[bytes, str]:
    """The text Prometheus reads, and its content type."""
    metrics: _Metrics = app.extensions[_KEY]
    registry = metrics.registry
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        registry.register(JobsCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST
