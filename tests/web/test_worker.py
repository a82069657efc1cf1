"""Real ``qa worker`` processes on the SQLite and the Redis queue: a worker killed mid-job loses
nothing, and the job completes exactly once after a new worker starts."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import uuid
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from flask import Flask
from sqlalchemy import select

from qa.extensions import db
from qa.models import Call, Finding, TranscriptionJob
from qa.models._base import utcnow
from tests.conftest import require_or_skip
from tests.web.polling import wait_for
from transcription import decode_audio, default_cache_dir

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"
QA = shutil.which("qa", path=str(Path(__file__).resolve().parents[2] / ".venv" / "bin")) or "qa"
REDIS_URL = "redis://127.0.0.1:6379/0"
LEASE_SECONDS = 3

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def long_call(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 46 s of a stereo sales call (the English fixture twice): long enough that a worker
    can be killed while it transcribes."""
    samples = decode_audio(AUDIO / "en_call_stereo.mp3")
    stereo = np.tile(samples, 2)
    pcm = (np.clip(stereo.T, -1, 1) * 32767).astype("<i2")
    path = tmp_path_factory.mktemp("audio") / "long_call.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(pcm.tobytes())
    return path


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def queue_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The queue's URL and a name of its own (so tests never share keys)."""
    name = f"qa-test-{uuid.uuid4().hex[:10]}"
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'queue.sqlite3'}", name
        return
    require_or_skip(_redis_available(), f"Redis is not answering at {REDIS_URL}")
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        yield REDIS_URL, name
    finally:
        keys = list(client.scan_iter(match=f"*{name}*"))
        if keys:
            client.delete(*keys)
        client.close()


class Workers:
    """Start and stop `qa` processes against the test's database, queue and folders."""

    def __init__(self, app: Flask, tmp_path: Path, queue: tuple[str, str]) -> None:
        self.env = {
            **os.environ,
            "QA_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "QA_QUEUE_URL": queue[0],
            "QA_QUEUE_NAME": queue[1],
            "QA_INSTANCE_PATH": str(tmp_path / "instance"),
            "QA_SECRET_KEY": "worker-test-secret",
            "QA_RECORDINGS_DIR": app.config["RECORDINGS_DIR"],
            "QA_WHISPER_MODEL": "tiny.en",
            "QA_MODEL_CACHE_DIR": str(default_cache_dir()),
            "QA_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
        }
        self.logs = tmp_path / "logs"
        self.logs.mkdir()
        self.procs: list[subprocess.Popen[bytes]] = []

    def qa(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603 - our own console script
            [QA, *args], env=self.env, capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        log = open(self.logs / f"worker-{len(self.procs)}.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen(  # noqa: S603 - our own console script
            [QA, "worker", *args], env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        self.procs.append(proc)
        return proc

    def output(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-4000:]}"
            for p in sorted(self.logs.iterdir())
        )

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def workers(app: Flask, tmp_path: Path, queue_url: tuple[str, str]) -> Iterator[Workers]:
    running = Workers(app, tmp_path, queue_url)
    yield running
    running.stop_all()


def test_killed_worker_loses_nothing_and_the_job_completes_once(
    app: Flask, workers: Workers, long_call: Path
) -> None:
    first = workers.start()
    workers.qa("transcribe", "--enqueue", "--no-follow", "--agent-channel", "left", str(long_call))
    job = wait_for(lambda: db.session.scalar(select(TranscriptionJob)), 30, "the job row", workers)
    call_id = job.call_id

    def running() -> TranscriptionJob | None:
        current = db.session.get(TranscriptionJob, job.id)
        assert current is not None
        assert current.status != "done", "the job finished before the worker could be killed"
        return current if current.status == "running" else None

    wait_for(running, 180, "the first worker to be transcribing", workers)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)

    db.session.rollback()
    killed: Any = db.session.get(TranscriptionJob, job.id, populate_existing=True)
    assert (killed.status, killed.attempts) == ("running", 1)
    assert db.session.get(Call, call_id).segments == []  # type: ignore[union-attr]
    dead_worker = killed.worker
    lease_end = killed.lease_expires_at
    # A new worker sweeps at start: the dead worker's lease must have run out by then.
    wait_for(lambda: utcnow() > lease_end, LEASE_SECONDS + 10, "the lease to expire", workers)

    workers.start()
    done = wait_for(
        lambda: (
            (j := db.session.get(TranscriptionJob, job.id)) and j.status in ("done", "failed") and j
        ),
        240,
        "the job to finish on the second worker",
        workers,
    )
    # The killed run is a lost lease, not a spent attempt.
    assert (done.status, done.attempts, done.lost_leases, done.error) == ("done", 1, 1, None), (
        workers.output()
    )
    assert done.worker != dead_worker
    call = db.session.get(Call, call_id)
    assert call is not None
    assert call.status == "transcribed"
    assert len(call.jobs) == 1
    positions = [s.position for s in call.segments]
    assert positions == list(range(len(positions)))
    assert len(positions) >= 6
    assert {s.speaker for s in call.segments} == {"agent", "customer"}
    texts = " ".join(s.text for s in call.segments if s.speaker == "customer").lower()
    assert texts.count("too expensive") == 2  # once per copy of the call, not more
    findings = db.session.scalars(select(Finding).where(Finding.call_id == call_id)).all()
    assert len({(f.label, f.segment_id) for f in findings}) == len(findings)
    assert sum(f.label == "price" for f in findings) >= 2
