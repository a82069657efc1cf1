"""Faults with real processes: workers SIGKILLed in every phase of a job, a Redis restart that
drops the queue, a PostgreSQL restart mid-batch. Every recording ends transcribed exactly once.

The canned engine stands in for Whisper (these tests assert job accounting, not speech; the
real engine's kill test is in test_worker.py). Workers run with QA_TESTING so that the fault
hook (qa.services.calls.fault_points) can hold them at a phase until the test kills them or
lets them go on. Recordings are taken in by this process, through the app's own queue port
pointed at the workers' queue. Redis and PostgreSQL are servers each test starts itself, on its
own port and folder.
"""

from __future__ import annotations

import contextlib
import math
import os
import pwd
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
import uuid
import wave
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from qa import create_app
from qa import queue as queue_module
from qa.extensions import db
from qa.models import Call, TranscriptionJob
from qa.queue import make_huey
from qa.services.calls import intake
from qa.services.calls.fault_points import PHASES
from qa.tasks import HueyJobQueue, transcribe_call
from tests.conftest import require_or_skip
from tests.web.polling import wait_for

QA = shutil.which("qa", path=str(Path(__file__).resolve().parents[2] / ".venv" / "bin")) or "qa"
LEASE_SECONDS = 2
FAKE_SEGMENTS = 2  # what the canned engine returns for any recording
KILLS_PER_PHASE = 5

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_recordings(folder: Path, count: int) -> list[Path]:
    """Short mono WAVs, each a different tone (so each is its own call)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"call-{n}.wav"
        rate, hz = 8000, 300 + 40 * n
        frames = b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * hz * i / rate)))
            for i in range(rate // 2)
        )
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(rate)
            out.writeframes(frames)
        paths.append(path)
    return paths


class Workers:
    """`qa` processes against the test's database and queue; each worker in its own process
    group, so a SIGKILL reaches the consumer and its worker processes alike."""

    def __init__(self, app: Flask, queue_url: str, root: Path) -> None:
        self.root = root
        self.queue_url = queue_url
        self.queue_name = f"qa-faults-{uuid.uuid4().hex[:10]}"
        self.markers = root / "markers"
        self.markers.mkdir(parents=True)
        self.logs = root / "logs"
        self.logs.mkdir()
        self.env = {
            **os.environ,
            "QA_TESTING": "true",
            "QA_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "QA_QUEUE_URL": queue_url,
            "QA_QUEUE_NAME": self.queue_name,
            "QA_INSTANCE_PATH": str(root / "instance"),
            "QA_SECRET_KEY": "fault-test-secret",
            "QA_RECORDINGS_DIR": app.config["RECORDINGS_DIR"],
            "QA_WHISPER_ENGINE": "fake",
            "QA_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
            "QA_JOB_SWEEP_SECONDS": "1",
            "QA_JOB_RETRY_DELAY": "1",
            "QA_FAULT_MARKER_DIR": str(self.markers),
        }
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, *args: str, **env: str) -> subprocess.Popen[bytes]:
        log = open(self.logs / f"worker-{len(self.procs)}.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen(  # noqa: S603 - our own console script
            [QA, "worker", *args],
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.procs.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def output(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
            for p in sorted(self.logs.iterdir())
        )

    def stop_all(self) -> None:
        for proc in self.procs:
            self.kill(proc)




def all_finished(expected: int) -> Callable[[], list[TranscriptionJob] | None]:
    def check() -> list[TranscriptionJob] | None:
        jobs = db.session.scalars(select(TranscriptionJob).order_by(TranscriptionJob.id)).all()
        finished = len(jobs) == expected and all(j.status in ("done", "failed") for j in jobs)
        return list(jobs) if finished else None

    return check


def assert_transcribed_once(jobs: list[TranscriptionJob], workers: Workers) -> None:
    """One done job per call, its one run counted, one copy of the transcript."""
    for job in jobs:
        assert (job.status, job.attempts, job.error) == ("done", 1, None), workers.output()
        call = job.call
        assert call.status == "transcribed"
        assert len(call.jobs) == 1
        assert [s.position for s in call.segments] == list(range(FAKE_SEGMENTS))


def workers_queue(workers: Workers) -> HueyJobQueue:
    """The app's queue port on the workers' queue (the test app's own huey runs tasks
    in-process)."""
    queue = make_huey(workers.queue_url, workers.queue_name)
    queue._registry.register(transcribe_call.task_class)
    return HueyJobQueue(queue)


@pytest.fixture
def workers_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[Flask, str], Workers]]:
    made: list[Workers] = []

    def make(app: Flask, queue_url: str) -> Workers:
        made.append(Workers(app, queue_url, tmp_path))
        monkeypatch.setattr(queue_module, "_job_queue", workers_queue(made[-1]))
        return made[-1]

    yield make
    for workers in made:
        workers.stop_all()


def take_in(recordings: list[Path], **kwargs: str) -> None:
    """Upload the recordings and queue their jobs through the one intake, as every door does."""
    meta = intake.recording_metadata(**kwargs)
    for path in recordings:
        with open(path, "rb") as handle:
            intake.take_in(handle, path.name, meta)
        db.session.commit()


# --- Workers killed in every phase ------------------------------------------------------------


def test_workers_killed_in_every_phase_lose_nothing_and_run_each_job_once(
    app: Flask, tmp_path: Path, workers_for: Callable[[Flask, str], Workers]
) -> None:
    workers = workers_for(app, f"sqlite:///{tmp_path / 'queue.sqlite3'}")
    workers.env["QA_JOB_MAX_LOST_LEASES"] = "50"  # many kills may land on one job
    take_in(make_recordings(tmp_path / "audio", 6), agent_channel="none")
    # Every job stops at every phase; the test kills the worker process holding it there (the
    # consumer replaces it) until each phase has its kills, and lets it go on after that.
    workers.start("--workers", "2", "--worker-type", "process",
                  QA_FAULT_PAUSE_AT=",".join(PHASES), QA_FAULT_PAUSE_SECONDS="600")
    killed: list[tuple[str, int]] = []
    kills = Counter[str]()
    finished = all_finished(6)
    # Each kill costs a process start and a model load: generous, for a machine running the
    # rest of the suite beside it.
    deadline = time.monotonic() + 360
    jobs = None
    while jobs is None:
        assert time.monotonic() < deadline, f"kills so far: {killed}\n{workers.output()}"
        for marker in sorted(os.listdir(workers.markers)):
            phase, job_id, pid = marker.rsplit("-", 2)
            if kills[phase] < KILLS_PER_PHASE:
                os.kill(int(pid), signal.SIGKILL)
                kills[phase] += 1
                killed.append((phase, int(job_id)))
            os.remove(workers.markers / marker)  # a live worker goes on
        time.sleep(0.05)
        db.session.rollback()
        jobs = finished()

    assert kills == dict.fromkeys(PHASES, KILLS_PER_PHASE)
    assert_transcribed_once(jobs, workers)
    # A worker that died holding a lease left a lost lease and no spent attempt (one attempt
    # each, above); one killed before it claimed the job spent nothing either. A live worker
    # whose 2 s lease ran out while the loaded machine starved it looks the same as a dead one
    # and counts a lost lease too, so the kills are a floor, not an exact count.
    with_lease = Counter(job_id for phase, job_id in killed if phase in ("transcribing", "writing"))
    lost = {j.id: j.lost_leases for j in jobs}
    assert all(lost[j.id] >= with_lease[j.id] for j in jobs), (lost, with_lease)


# --- Redis restarted --------------------------------------------------------------------------


class RedisServer:
    """A redis-server of the test's own, keeping nothing on disk (a restart empties it)."""

    def __init__(self, folder: Path) -> None:
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.folder = folder
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert self.binary is not None
        self.proc = subprocess.Popen(  # noqa: S603 - the system's redis-server
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        for _ in range(100):
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    require_or_skip(server.binary is not None, "redis-server is not installed")
    server.start()
    yield server
    server.stop()


@pytest.mark.redis
def test_a_restarted_redis_loses_no_job(
    app: Flask, tmp_path: Path, redis_server: RedisServer,
    workers_for: Callable[[Flask, str], Workers], caplog: pytest.LogCaptureFixture
) -> None:
    workers = workers_for(app, redis_server.url)
    recordings = make_recordings(tmp_path / "audio", 6)
    # Queued while no worker runs; the restart drops the messages.
    take_in(recordings[:4])
    redis_server.stop()
    redis_server.start()
    workers.start()
    wait_for(all_finished(4), 60, "the first jobs to finish", workers)

    # Redis down while a worker runs: jobs queued meanwhile are committed, their messages lost.
    redis_server.stop()
    take_in(recordings[4:])
    lost = [r for r in caplog.records if r.getMessage().startswith("Could not queue transcription")]
    assert len(lost) == 2, [(r.name, r.getMessage()) for r in lost]
    time.sleep(1)
    redis_server.start()
    jobs = wait_for(all_finished(6), 60, "the jobs queued while Redis was down", workers)
    assert_transcribed_once(jobs, workers)


# --- PostgreSQL restarted ---------------------------------------------------------------------


class PostgresServer:
    """A PostgreSQL cluster of the test's own (initdb, pg_ctl), run as the postgres user when
    the tests run as root."""

    def __init__(self) -> None:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        self.bin = found[-1].parent if found else None
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="qa-faults-pg-"))
        self.data = self.folder / "data"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        assert self.bin is not None
        subprocess.run(  # noqa: S603 - the system's PostgreSQL tools
            [*self.as_user, str(self.bin / args[0]), *args[1:]],
            check=True, capture_output=True, timeout=60,
        )

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                  str(self.folder / "server.log"), "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


@pytest.fixture
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    require_or_skip(server.bin is not None,
                    "PostgreSQL server binaries are not installed (/usr/lib/postgresql/*/bin)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        require_or_skip(False, "psycopg is not installed")
    server.init()
    server.start()
    try:
        yield server
    finally:
        try:
            server.stop()
        finally:
            shutil.rmtree(server.folder, ignore_errors=True)


@pytest.mark.postgres
def test_a_restarted_postgres_mid_batch_loses_no_job(
    tmp_path: Path, postgres_server: PostgresServer,
    workers_for: Callable[[Flask, str], Workers]
) -> None:
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "fault-test-secret",
        "SQLALCHEMY_DATABASE_URI": postgres_server.url,
        "RECORDINGS_DIR": str(tmp_path / "recordings"),
    })
    with app.app_context():
        db.create_all()
        workers = workers_for(app, f"sqlite:///{tmp_path / 'queue.sqlite3'}")
        take_in(make_recordings(tmp_path / "audio", 6))
        # Slow jobs (a pause while "transcribing", heartbeats going) so the restart lands
        # while some run and others wait.
        workers.start("--workers", "2", "--worker-type", "process", QA_FAULT_MARKER_DIR="",
                      QA_FAULT_PAUSE_AT="transcribing", QA_FAULT_PAUSE_SECONDS="1.5")

        def one_done() -> bool:
            return any(j.status == "done" for j in db.session.scalars(select(TranscriptionJob)))

        wait_for(one_done, 60, "the first job to finish", workers)
        db.session.remove()
        postgres_server.stop()
        time.sleep(2)  # workers meet a database that is gone
        postgres_server.start()
        jobs = wait_for(all_finished(6), 90, "every job to finish after the restart", workers)
        assert_transcribed_once(jobs, workers)
        assert len(db.session.scalars(select(Call)).all()) == 6
        db.session.remove()
        db.engine.dispose()
