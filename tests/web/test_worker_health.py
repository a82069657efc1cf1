"""Worker heartbeats: the rows a worker keeps, the jobs page and /metrics that show them, and
the checks on `qa worker`'s concurrency and model options."""

from __future__ import annotations

import wave
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from qa.extensions import db
from qa.models import WorkerHeartbeat
from qa.models._base import utcnow
from qa.services.calls import worker_health
from qa.services.calls.jobs import enqueue_transcription
from qa.settings import settings
from tests.web import factories


@pytest.fixture(autouse=True)
def english(client):  # type: ignore[no-untyped-def]
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture(autouse=True)
def no_worker_left() -> Iterator[None]:
    yield
    worker_health.forget_worker()


def _identity(name: str, host: str = "box-a", concurrency: int = 2) -> worker_health.WorkerIdentity:
    return worker_health.WorkerIdentity(
        name=name,
        host=host,
        pid=4242,
        concurrency=concurrency,
        worker_type="process",
        settings={"engine": "faster-whisper", "model": "tiny.en", "compute_type": "int8"},
    )


def _row(name: str) -> WorkerHeartbeat:
    db.session.expire_all()
    row = db.session.scalar(select(WorkerHeartbeat).where(WorkerHeartbeat.name == name))
    assert row is not None
    return row


def test_a_worker_row_counts_jobs_and_tracks_the_current_one(app: Flask) -> None:
    worker_health.register_worker(_identity("box-a:1"))
    db.session.commit()
    assert worker_health.job_started("box-a:1", 7)
    assert worker_health.job_ended("box-a:1", 7, "done")
    assert worker_health.job_started("box-a:1", 8)
    assert worker_health.job_started("box-a:1", 9)  # two at once: the latest is shown
    assert worker_health.job_ended("box-a:1", 8, "failed")
    assert worker_health.job_ended("box-a:1", 5, "skipped")  # counted nowhere
    db.session.commit()
    row = _row("box-a:1")
    assert (row.jobs_done, row.jobs_failed, row.current_job_id) == (1, 1, 9)
    assert (row.concurrency, row.worker_type, row.settings["model"]) == (2, "process", "tiny.en")
    assert not worker_health.beat("no-such-worker")

    # Started again under the same name: counts start from zero, the row is reused.
    worker_health.register_worker(_identity("box-a:1", concurrency=4))
    db.session.commit()
    row = _row("box-a:1")
    assert (row.jobs_done, row.jobs_failed, row.current_job_id, row.concurrency) == (0, 0, None, 4)
    assert db.session.scalars(select(WorkerHeartbeat)).all() == [row]


def test_workers_are_alive_stale_or_stopped_by_their_last_beat(app: Flask) -> None:
    cfg = settings()
    for name in ("fresh", "silent", "done"):
        worker_health.register_worker(_identity(name))
    worker_health.beat("silent", utcnow() - timedelta(seconds=worker_health.stale_after(cfg) + 5))
    worker_health.worker_stopped("done")
    worker_health.register_worker(_identity("old"))
    worker_health.beat("old", utcnow() - timedelta(days=2))  # left off the page
    db.session.commit()
    states = {s.worker.name: s.state for s in worker_health.worker_statuses(cfg)}
    assert states == {"fresh": "alive", "silent": "stale", "done": "stopped"}


def _recording(app: Flask, relative: str) -> None:
    path = Path(app.config["RECORDINGS_DIR"]) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(b"\0\0" * 16_000)


def test_a_job_run_by_the_task_is_counted_on_the_worker(app: Flask) -> None:
    worker_health.register_worker(_identity("box-a:2"))
    call = factories.make_call(status="uploaded")
    _recording(app, call.recording_path)
    db.session.commit()
    # The queue runs the task at once here (immediate mode), as a worker would.
    job = enqueue_transcription(call, options={"engine": "fake"})
    db.session.commit()
    db.session.expire_all()
    assert job.status == "done"
    row = _row("box-a:2")
    assert (row.jobs_done, row.jobs_failed, row.current_job_id) == (1, 0, None)


def test_the_jobs_page_shows_workers_with_their_current_job(client, login, app: Flask) -> None:  # type: ignore[no-untyped-def]
    login.as_role("qa_lead")
    call = factories.make_call(status="uploaded")
    job = enqueue_transcription(call, dispatch=False)
    worker_health.register_worker(_identity("box-a:<b>1</b>"))
    worker_health.register_worker(_identity("box-b:9", host="box-b"))
    db.session.flush()
    worker_health.job_started("box-a:<b>1</b>", job.id)
    worker_health.job_ended("box-b:9", 123, "done")
    worker_health.beat("box-b:9", utcnow() - timedelta(minutes=10))
    db.session.commit()

    page = client.get("/jobs/").get_data(as_text=True)
    assert "box-a:&lt;b&gt;1&lt;/b&gt;" in page
    assert "<b>1</b>" not in page
    assert f'href="/calls/{call.id}">#{job.id}</a>' in page
    assert 'data-state="alive"' in page
    assert 'data-state="stale"' in page
    assert "10 minutes ago" in page
    assert '<td class="worker-done">1</td>' in page


def test_the_jobs_page_says_when_no_worker_reported(client, login) -> None:  # type: ignore[no-untyped-def]
    login.as_role("qa_lead")
    page = client.get("/jobs/").get_data(as_text=True)
    assert "No worker has reported in the last day" in page


def test_metrics_give_each_running_workers_heartbeat_age(client, app: Flask) -> None:  # type: ignore[no-untyped-def]
    worker_health.register_worker(_identity("box-a:3"))
    worker_health.register_worker(_identity("box-b:3", host="box-b"))
    worker_health.beat("box-b:3", utcnow() - timedelta(seconds=90))
    worker_health.register_worker(_identity("box-c:3", host="box-c"))
    worker_health.worker_stopped("box-c:3")
    db.session.commit()
    text = client.get("/metrics").get_data(as_text=True)
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    age_b = samples[("qa_worker_heartbeat_age_seconds", (("host", "box-b"), ("worker", "box-b:3")))]
    assert 90 <= age_b < 150
    assert (
        samples[("qa_worker_heartbeat_age_seconds", (("host", "box-a"), ("worker", "box-a:3")))]
        < 30
    )
    assert not any(
        k[0] == "qa_worker_heartbeat_age_seconds" and ("worker", "box-c:3") in k[1] for k in samples
    )
    assert samples[("qa_workers", (("state", "stale"),))] == 1
    assert samples[("qa_workers", (("state", "stopped"),))] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--concurrency", "0"], "0 is not in the range"),
        (["--workers", "65"], "65 is not in the range"),
        (["--threads", "0"], "0 is not in the range"),
        (["--compute-type", "int3"], "'int3' is not one of"),
        (["--model", "/no/such/model-folder"], "does not exist"),
        (["--model", "  "], "a model name or folder"),
        (["--model", "x" * 201], "a model name or folder"),
        (["--name", "box\x00a"], "control characters"),
        (["--name", "n" * 121], "at most 120 characters"),
    ],
)
def test_worker_options_are_checked_before_it_starts(runner, args, message) -> None:  # type: ignore[no-untyped-def]
    from qa.cli import main

    result = runner.invoke(main, ["worker", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert db.session.scalars(select(WorkerHeartbeat)).all() == []
