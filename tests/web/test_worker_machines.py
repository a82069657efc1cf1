"""Workers on two "machines" sharing only PostgreSQL, Redis and the recordings directory: each
machine has its own instance folder. Four `qa worker` processes with the real Whisper engine
drain one batch of short English recordings; one machine's workers are stopped mid-batch, one
with SIGTERM and one with SIGKILL. Every recording is transcribed exactly once, nothing is lost,
and the heartbeat rows show the workers of both machines."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import uuid
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from flask import Flask
from sqlalchemy import select, text

from qa import create_app
from qa import queue as queue_module
from qa.extensions import db
from qa.models import Call, TranscriptionJob, WorkerHeartbeat
from qa.queue import make_huey
from qa.services.calls import worker_health
from qa.settings import settings
from qa.tasks import HueyJobQueue, transcribe_call
from tests.conftest import require_or_skip
from tests.pg import throwaway_database
from tests.web.app_config import app_settings
from tests.web.polling import wait_for
from tests.web.test_faults import take_in
from tests.web.test_worker import AUDIO, REDIS_URL, Workers, _redis_available
from transcription import decode_audio

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

PG_URL = os.environ.get("QA_TEST_POSTGRES_URL") or (
    "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
FILES = 12
SOURCE = AUDIO / "en_mono_8k_alaw.wav"  # "That is too expensive. Your competitors are cheaper."


def _postgres_available() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_URL.replace("+psycopg", ""), connect_timeout=3).close()
    except Exception:
        return False
    return True


def make_batch(folder: Path, count: int) -> list[Path]:
    """The English clip twice (about 10 s), a faint different dither in each file so that every
    file is its own call."""
    folder.mkdir(parents=True)
    samples = np.tile(decode_audio(SOURCE), 2)
    paths = []
    for n in range(count):
        noisy = samples + np.random.default_rng(n).normal(0, 1e-4, samples.shape)
        pcm = (np.clip(noisy.T, -1, 1) * 32767).astype("<i2")
        path = folder / f"call-{n:02d}.wav"
        with wave.open(str(path), "wb") as out:
            out.setnchannels(samples.shape[0])
            out.setsampwidth(2)
            out.setframerate(16_000)
            out.writeframes(pcm.tobytes())
        paths.append(path)
    return paths


@pytest.fixture
def shared_app(tmp_path: Path) -> Iterator[Flask]:
    """The app on a PostgreSQL database of the test's own (this process takes recordings in)."""
    require_or_skip(_postgres_available(), f"PostgreSQL is not answering at {PG_URL}")
    require_or_skip(_redis_available(), f"Redis is not answering at {REDIS_URL}")
    with throwaway_database(PG_URL, "qa_machines") as url:
        app = create_app(app_settings(tmp_path, url))
        with app.app_context():
            db.create_all()
            yield app
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def queue(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """A Redis queue of the test's own; this process sends job ids to it."""
    import redis

    name = f"qa-machines-{uuid.uuid4().hex[:10]}"
    huey = make_huey(REDIS_URL, name)
    huey._registry.register(transcribe_call.task_class)
    monkeypatch.setattr(queue_module, "_job_queue", HueyJobQueue(huey))
    yield REDIS_URL, name
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"*{name}*"))
    if keys:
        client.delete(*keys)
    client.close()


class Machine(Workers):
    """The `qa worker` processes of one machine: its own instance folder and logs."""

    def __init__(self, app: Flask, root: Path, queue: tuple[str, str]) -> None:
        root.mkdir()
        super().__init__(app, root, queue)
        self.env["QA_JOB_SWEEP_SECONDS"] = "1"
        self.name = root.name

    def start_worker(self, number: int) -> subprocess.Popen[bytes]:
        return self.start("--name", f"{self.name}-{number}", "--threads", "1")


def _running_on(proc: subprocess.Popen[bytes]) -> TranscriptionJob | None:
    """The job a worker process runs now (its claim token names the process)."""
    db.session.rollback()
    mark = f"{socket.gethostname()}:{proc.pid}:"
    return db.session.scalar(
        select(TranscriptionJob).where(
            TranscriptionJob.status == "running", TranscriptionJob.worker.startswith(mark)
        )
    )


def test_workers_of_two_machines_drain_a_batch_when_one_machine_stops(
    shared_app: Flask, queue: tuple[str, str], tmp_path: Path
) -> None:
    a = Machine(shared_app, tmp_path / "machine-a", queue)
    b = Machine(shared_app, tmp_path / "machine-b", queue)
    try:
        take_in(make_batch(tmp_path / "batch", FILES), agent_channel="none")
        assert len(db.session.scalars(select(TranscriptionJob)).all()) == FILES
        a1, a2 = a.start_worker(1), a.start_worker(2)
        b1, b2 = b.start_worker(1), b.start_worker(2)

        def output() -> str:
            return a.output() + "\n" + b.output()

        class Logs:
            def output(self) -> str:
                return output()

        # Both of machine B's workers hold a job: stop them there, mid-batch.
        held = wait_for(
            lambda: (j1 := _running_on(b1)) and (j2 := _running_on(b2)) and (j1, j2),
            240,
            "both workers of machine B to be transcribing",
            Logs(),
        )
        b1.send_signal(signal.SIGTERM)
        b2.send_signal(signal.SIGKILL)
        held_ids = {job.id for job in held}
        b1.wait(timeout=30)
        b2.wait(timeout=10)
        db.session.rollback()
        left = db.session.scalar(
            select(text("count(*)"))
            .select_from(TranscriptionJob)
            .where(TranscriptionJob.status.in_(("queued", "running")))
        )
        assert left, "the batch was over before machine B stopped: no mid-batch stop to test"

        def all_done() -> list[TranscriptionJob] | None:
            db.session.rollback()
            jobs = db.session.scalars(select(TranscriptionJob).order_by(TranscriptionJob.id)).all()
            return list(jobs) if all(j.status in ("done", "failed") for j in jobs) else None

        jobs = wait_for(all_done, 300, "machine A to finish the batch", Logs())
        a_marks = tuple(f"{socket.gethostname()}:{p.pid}:" for p in (a1, a2))
        b_marks = tuple(f"{socket.gethostname()}:{p.pid}:" for p in (b1, b2))
        taken_over: list[int] = []
        for job in jobs:
            assert (job.status, job.attempts, job.error) == ("done", 1, None), output()
            call = job.call
            assert call.status == "transcribed"
            assert len(call.jobs) == 1
            positions = [s.position for s in call.segments]
            assert positions == list(range(len(positions)))
            words = " ".join(s.text for s in call.segments).lower()
            # The clip is in each file twice: a run stored twice would say it four times.
            assert 1 <= words.count("expensive") <= 2, words
            if job.id in held_ids and not job.worker.startswith(b_marks):
                # Its worker was stopped mid-job: its lease ran out and machine A took it over.
                assert job.lost_leases == 1
                assert job.worker.startswith(a_marks)
                taken_over.append(job.id)
        assert len(db.session.scalars(select(Call)).all()) == FILES
        # A job may have finished on machine B just before the signal; not both of them.
        assert taken_over, "neither stopped worker left a job behind"

        # Heartbeats: both machines' workers, the killed one silent, the stopped one stopped.
        cfg = settings()
        wait_for(
            lambda: (
                {s.worker.name: s.state for s in worker_health.worker_statuses(cfg)}.get(
                    "machine-b-2"
                )
                == "stale"
            ),
            worker_health.stale_after(cfg) + 10,
            "the killed worker to turn stale",
            Logs(),
        )
        db.session.rollback()
        states = {s.worker.name: s.state for s in worker_health.worker_statuses(cfg)}
        assert states == {
            "machine-a-1": "alive",
            "machine-a-2": "alive",
            "machine-b-1": "stopped",
            "machine-b-2": "stale",
        }, output()
        rows = db.session.scalars(select(WorkerHeartbeat)).all()
        assert {r.pid for r in rows} == {a1.pid, a2.pid, b1.pid, b2.pid}
        assert all(r.settings["model"] == "tiny.en" and r.settings["threads"] == 1 for r in rows)
        by_machine = {
            m: sum(r.jobs_done for r in rows if r.name.startswith(f"machine-{m}")) for m in "ab"
        }
        assert by_machine["a"] >= 1
        # A worker killed between storing a transcript and counting it loses that one count.
        assert FILES - 1 <= by_machine["a"] + by_machine["b"] <= FILES
        assert sum(r.jobs_failed for r in rows) == 0
    finally:
        a.stop_all()
        b.stop_all()
