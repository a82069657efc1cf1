"""Prometheus metrics: requests counted per route, jobs and queue read at scrape, access limited."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from qa import create_app
from qa.extensions import db
from qa.models import TranscriptionJob
from qa.models._base import utcnow
from qa.queue import make_huey
from tests.web import factories
from tests.web.app_config import app_settings


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _scrape(client, **kwargs) -> str:  # type: ignore[no-untyped-def]
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.status_code
    assert response.content_type.startswith("text/plain")
    return response.get_data(as_text=True)


def _login_count(samples, status: str) -> float:  # type: ignore[no-untyped-def]
    key = (
        "qa_http_requests_total",
        (("endpoint", "auth.login"), ("method", "GET"), ("status", status)),
    )
    return samples.get(key, 0.0)


def test_metrics_count_requests_per_route_and_time_them(client) -> None:  # type: ignore[no-untyped-def]
    before = _login_count(_samples(_scrape(client)), "200")
    client.get("/login")
    client.get("/login")
    client.get("/no-such-page")
    after = _samples(_scrape(client))
    assert _login_count(after, "200") == before + 2
    unmatched = ("endpoint", "unmatched"), ("method", "GET"), ("status", "404")
    assert after[("qa_http_requests_total", unmatched)] == 1
    timed = (
        "qa_http_request_duration_seconds_count",
        (("endpoint", "auth.login"), ("method", "GET")),
    )
    assert after[timed] == 2


def test_metrics_report_jobs_by_state_and_queue_depth(
    client: FlaskClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for status in ("queued", "queued", "failed"):
        db.session.add(TranscriptionJob(call_id=factories.make_call().id, status=status))
    db.session.commit()
    # A real SQLite queue holding three messages, two due now and one scheduled.
    queue = make_huey(f"sqlite:///{tmp_path / 'queue.sqlite3'}", name="qa-metrics-test")
    queue.storage.enqueue(b"one")
    queue.storage.enqueue(b"two")
    queue.storage.add_to_schedule(b"later", datetime(2100, 1, 1))
    monkeypatch.setattr("qa.queue.huey", queue)
    samples = _samples(_scrape(client))
    assert samples[("qa_transcription_jobs", (("state", "queued"),))] == 2
    assert samples[("qa_transcription_jobs", (("state", "failed"),))] == 1
    assert samples[("qa_transcription_jobs", (("state", "running"),))] == 0
    assert samples[("qa_queue_depth", (("kind", "ready"),))] == 2
    assert samples[("qa_queue_depth", (("kind", "scheduled"),))] == 1


def test_metrics_report_todays_real_time_factor(client: FlaskClient) -> None:
    """Processing over audio time of today's finished jobs; absent while none has finished."""
    assert not any(
        name == "qa_transcription_real_time_factor" for name, _ in _samples(_scrape(client))
    )
    now = utcnow()
    for seconds, audio in ((6, 60.0), (3, 40.0)):
        call = factories.make_call(duration=audio)
        db.session.add(
            TranscriptionJob(
                call_id=call.id,
                status="done",
                finished_at=now,
                started_at=now - timedelta(seconds=seconds),
            )
        )
    db.session.add(
        TranscriptionJob(
            call_id=factories.make_call(duration=500.0).id,
            status="failed",
            started_at=now - timedelta(seconds=99),
            finished_at=now,
        )
    )
    db.session.commit()
    samples = _samples(_scrape(client))
    assert samples[("qa_transcription_real_time_factor", ())] == pytest.approx(9 / 100)


def _app(tmp_path: Path, **settings: object) -> Flask:
    return create_app(app_settings(tmp_path, f"sqlite:///{tmp_path / 'qa.sqlite3'}", **settings))


def test_metrics_refused_from_another_address(tmp_path: Path) -> None:
    client = _app(tmp_path).test_client()
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert response.status_code == 404
    assert "qa_http_requests" not in response.get_data(as_text=True)
    assert _scrape(client, environ_base={"REMOTE_ADDR": "::1"})


def test_metrics_token_opens_them_from_anywhere(tmp_path: Path) -> None:
    client = _app(
        tmp_path,
        METRICS_TOKEN="scrape-secret",  # noqa: S106 - a test value
        METRICS_ALLOWED_ADDRESSES="",
    ).test_client()
    remote = {"REMOTE_ADDR": "203.0.113.7"}
    assert client.get("/metrics", environ_base=remote).status_code == 404
    wrong = {"Authorization": "Bearer not-it"}
    assert client.get("/metrics", environ_base=remote, headers=wrong).status_code == 404
    # Without an allowed address even localhost needs the token.
    assert client.get("/metrics").status_code == 404
    text = _scrape(client, environ_base=remote, headers={"Authorization": "Bearer scrape-secret"})
    assert re.search(r"^qa_http_requests_total\{", text, re.MULTILINE)


def test_metrics_allowed_network_from_the_setting(tmp_path: Path) -> None:
    client = _app(tmp_path, METRICS_ALLOWED_ADDRESSES="10.1.0.0/16").test_client()
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.4.5"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.2.0.1"}).status_code == 404
