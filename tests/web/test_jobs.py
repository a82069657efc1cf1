"""Transcription jobs: ingest, queue after commit, run, fail, retry, cancel, sweep expired leases.

huey runs in immediate mode here (the ``app`` fixture), so a job runs when its transaction
commits; the real queue and worker processes are in test_worker.py.
"""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, current_app
from flask_babel import force_locale
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from qa import queue as queue_module
from qa.extensions import db
from qa.models import Call, GlossaryTerm, TranscriptionJob, TranscriptSegment
from qa.models._base import utcnow
from qa.queue import huey
from qa.services.calls import job_runner
from qa.services.calls.intake import recording_metadata, take_in
from qa.services.calls.job_worker import (
    claim_job,
    current_glossary,
    owned_job,
    sweep_expired_jobs,
)
from qa.services.calls.jobs import cancel_job, enqueue_transcription, job_status, retry_job
from qa.services.errors import Conflict, DuplicateRecording, ValidationFailed
from transcription import default_cache_dir

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"
EN_MONO = "en_mono_8k_alaw.wav"  # "That is too expensive. Your competitors are cheaper."
RU_STEREO = "ru_call_8k_mulaw.wav"  # agent: the sofa costs 40 000; customer: too expensive


def run_transcription_job(job_id: int, **kwargs: Any) -> job_runner.JobOutcome:
    """Run a job as a worker does: in an app context (and session) of its own."""
    with current_app.app_context():
        return job_runner.run_transcription_job(job_id, **kwargs)


def ingest(name: str, **kwargs: object) -> Call:
    """Take the file in as a call without queueing it (these tests queue it themselves)."""
    meta = recording_metadata(**kwargs)  # type: ignore[arg-type]
    with open(AUDIO / name, "rb") as handle:
        return take_in(handle, name, meta, queue=False).call


def stored_files(app: Flask) -> list[str]:
    return [f for _, _, files in os.walk(app.config["RECORDINGS_DIR"]) for f in files]


@pytest.fixture
def fake_engine(app: Flask) -> Flask:
    """Canned transcripts, for tests of the job life cycle that assert nothing about speech."""
    app.config["WHISPER_ENGINE"] = "fake"
    return app


@pytest.fixture
def real_engine(app: Flask) -> Flask:
    """faster-whisper with weights from the installed packages (tiny.en for English)."""
    app.config.update(
        WHISPER_ENGINE="faster-whisper",
        WHISPER_MODEL="tiny.en",
        MODEL_CACHE_DIR=str(default_cache_dir()),
    )
    return app


def test_ingest_stores_the_recording_and_probes_it(app: Flask) -> None:
    call = ingest(RU_STEREO, agent_channel="right", language="RU", phone=" +7 916 111-00-01 ")
    expected = hashlib.sha256((AUDIO / RU_STEREO).read_bytes()).hexdigest()
    assert (call.sha256, call.status, call.channels) == (expected, "uploaded", 2)
    assert call.duration == pytest.approx(8.74, abs=0.05)
    assert (call.agent_channel, call.language, call.phone) == ("right", "ru", "+79161110001")
    assert (call.audio_format, call.recording_path) == ("wav", f"{expected[:2]}/{expected}.wav")
    path = Path(app.config["RECORDINGS_DIR"]) / call.recording_path
    assert path.read_bytes() == (AUDIO / RU_STEREO).read_bytes()
    assert call.jobs == []  # queueing is a separate step


@pytest.mark.parametrize(
    ("name", "config", "message"),
    [
        ("empty.wav", {}, "empty.wav is empty"),
        ("corrupt.ogg", {}, "corrupt.ogg is not a readable audio file"),
        ("not_audio.mp3", {}, "not_audio.mp3 is not a readable audio file"),
        (EN_MONO, {"MAX_RECORDING_SECONDS": 3}, f"{EN_MONO} lasts 5.0 s; recordings longer"),
        (EN_MONO, {"MAX_RECORDING_BYTES": 20_000}, f"{EN_MONO} is larger than the limit"),
    ],
)
def test_ingest_refuses_bad_files_and_keeps_nothing(
    app: Flask, name: str, config: dict[str, int], message: str
) -> None:
    app.config.update(config)
    with force_locale("en"), pytest.raises(ValidationFailed) as caught:
        ingest(name)
    assert message in str(caught.value)
    assert db.session.scalar(select(func.count(Call.id))) == 0
    assert stored_files(app) == []


def test_a_duplicate_recording_is_reported_with_the_earlier_call(app: Flask) -> None:
    first = ingest(EN_MONO, title="Первый")
    with force_locale("en"), pytest.raises(DuplicateRecording) as caught:
        ingest(EN_MONO)
    assert caught.value.call.id == first.id
    assert f"{EN_MONO} was already uploaded as call #{first.id} (Первый)." == str(caught.value)
    assert db.session.scalar(select(func.count(Call.id))) == 1
    assert len(stored_files(app)) == 1


@pytest.mark.slow
def test_russian_stereo_call_is_transcribed_with_roles_and_analysed_after_commit(
    real_engine: Flask,
) -> None:
    real_engine.config["WHISPER_MODEL"] = "base"
    call = ingest(RU_STEREO, agent_channel="left")
    job = enqueue_transcription(call)
    assert (job.status, call.status, call.segments) == ("queued", "queued", [])
    db.session.commit()  # the queue hears of the job only now, and (immediate mode) runs it

    db.session.refresh(job)
    assert (job.status, job.attempts, job.progress, job.error) == ("done", 1, 1.0, None)
    assert job.worker
    assert job.finished_at
    assert job.lease_expires_at is None
    assert (call.status, call.language, call.engine, call.model) == (
        "transcribed",
        "ru",
        "faster-whisper",
        "base",
    )
    speakers = [s.speaker for s in call.segments]
    assert speakers[0] == "agent"
    assert "customer" in speakers
    agent_text = " ".join(s.text for s in call.segments if s.speaker == "agent").lower()
    customer_text = " ".join(s.text for s in call.segments if s.speaker == "customer").lower()
    assert "диван" in agent_text
    assert "дорого" in customer_text
    assert [s.position for s in call.segments] == list(range(len(call.segments)))
    assert all(s.machine_text == s.text and s.words for s in call.segments)
    price = [f for f in call.findings if f.label == "price"]
    assert price
    assert price[0].segment.speaker == "customer"
    assert not price[0].speaker_unknown

    status = job_status(call)
    assert status["status"] == "transcribed"
    assert status["finished"] is True
    assert status["job"]["status"] == "done"
    assert status["job"]["progress"] == 1.0
    assert status["segments"] == len(call.segments)


@pytest.mark.slow
def test_running_again_replaces_segments_and_findings(real_engine: Flask) -> None:
    call = ingest(EN_MONO, agent_channel="none")
    first = enqueue_transcription(call)
    db.session.commit()
    texts = [s.text for s in call.segments]
    assert "expensive" in " ".join(texts).lower()
    findings = [(f.label, f.segment.position, f.text) for f in call.findings]
    assert findings
    assert {label for label, _, _ in findings} == {"price"}
    assert all(f.speaker_unknown for f in call.findings)  # mono: no roles

    call.segments[0].text = "A reviewer's correction"
    db.session.commit()
    assert enqueue_transcription(call) is first  # done, and not forced: nothing new
    again = enqueue_transcription(call, force=True)
    assert again.id != first.id
    db.session.commit()
    db.session.expire_all()
    assert again.status == "done"
    assert [s.text for s in call.segments] == texts  # the old rows are gone, not kept beside
    assert db.session.scalar(
        select(func.count(TranscriptSegment.id)).where(TranscriptSegment.call_id == call.id)
    ) == len(texts)
    assert [(f.label, f.segment.position, f.text) for f in call.findings] == findings


@pytest.mark.slow
def test_glossary_terms_reach_the_engine(real_engine: Flask) -> None:
    db.session.add(GlossaryTerm(term="RivalMart", misheard="your competitors, competitor's"))
    call = ingest(EN_MONO, agent_channel="none")
    glossary = current_glossary()
    assert glossary.hotwords == ("RivalMart",)
    assert dict(glossary.replacements) == {
        "your competitors": "RivalMart",
        "competitor's": "RivalMart",
    }
    enqueue_transcription(call)
    db.session.commit()
    text = " ".join(s.text for s in call.segments)
    assert "RivalMart are cheaper" in text, text


def test_bad_audio_fails_at_once_with_its_reason(real_engine: Flask) -> None:
    call = ingest(EN_MONO)
    # The stored file is damaged after upload (a bad disk, a truncated copy).
    (Path(real_engine.config["RECORDINGS_DIR"]) / call.recording_path).write_bytes(b"\0junk" * 99)
    job = enqueue_transcription(call)
    db.session.commit()
    db.session.refresh(job)
    assert (job.status, job.attempts) == ("failed", 1)
    assert job.error
    assert job.error.startswith(f"{EN_MONO} is not a readable audio file")
    assert (call.status, call.error) == ("failed", job.error)
    assert huey.scheduled() == []  # no retry for bad audio
    assert call.segments == []


def test_transient_errors_retry_with_backoff_then_fail(fake_engine: Flask) -> None:
    fake_engine.config.update(JOB_MAX_ATTEMPTS=2, JOB_RETRY_DELAY=7)
    call = ingest(EN_MONO)
    # A worker that cannot see the recording (the shared folder is not mounted) may succeed
    # on another machine, or later: it is retried.
    os.unlink(Path(fake_engine.config["RECORDINGS_DIR"]) / call.recording_path)
    job = enqueue_transcription(call)
    started = utcnow()
    db.session.commit()
    db.session.refresh(job)
    assert (job.status, job.attempts, call.status) == ("queued", 1, "queued")
    assert job.error
    assert job.error.startswith("Attempt 1 of 2 failed: TranscriptionError")
    assert "is missing" in job.error
    [retry] = huey.scheduled()
    assert retry.args == (job.id,)
    assert retry.eta - started >= timedelta(seconds=6)

    assert run_transcription_job(job.id).status == "failed"  # the scheduled delivery
    db.session.expire_all()
    assert (job.status, job.attempts, call.status) == ("failed", 2, "failed")
    assert job.error
    assert "is missing" in job.error
    assert not job.error.startswith("Attempt")
    assert len(huey.scheduled()) == 1  # no third try


def test_missing_model_fails_the_job_clearly(app: Flask) -> None:
    app.config["WHISPER_MODEL"] = "/no/such/model-folder"
    call = ingest(EN_MONO)
    job = enqueue_transcription(call)
    db.session.commit()
    db.session.refresh(job)
    assert (job.status, job.attempts, call.status) == ("failed", 0, "failed")
    assert job.error == (
        "The speech model cannot be loaded: Model folder /no/such/model-folder does not exist."
    )


def test_cancel_then_retry(fake_engine: Flask) -> None:
    call = ingest(EN_MONO)
    job = enqueue_transcription(call, dispatch=False)
    db.session.commit()
    cancel_job(job)
    db.session.commit()
    assert (job.status, call.status) == ("cancelled", "cancelled")
    assert run_transcription_job(job.id).status == "skipped"  # a late queue message is ignored
    with force_locale("en"), pytest.raises(Conflict, match="no longer queued or running"):
        cancel_job(job)

    again = retry_job(job)
    assert again.id != job.id
    assert again.status == "queued"
    db.session.commit()
    db.session.expire_all()
    assert (again.status, call.status) == ("done", "transcribed")
    assert call.segments
    assert call.segments[0].speaker == "agent"


def test_retry_of_a_queued_job_sends_it_again_and_a_running_one_is_refused(
    fake_engine: Flask,
) -> None:
    call = ingest(EN_MONO)
    job = enqueue_transcription(call, dispatch=False)  # as if the queue lost the message
    db.session.commit()
    assert retry_job(job) is job
    db.session.commit()
    db.session.refresh(job)
    assert job.status == "done"

    other = ingest(RU_STEREO)
    running = enqueue_transcription(other, dispatch=False)
    db.session.commit()
    claim_job(running.id, "busy-worker", lease_seconds=60)
    db.session.commit()
    with force_locale("en"), pytest.raises(Conflict, match="is running on busy-worker"):
        retry_job(running)


@pytest.mark.slow
def test_cancelling_a_running_job_discards_its_result(real_engine: Flask) -> None:
    real_engine.config["JOB_LEASE_SECONDS"] = 1
    call = ingest(EN_MONO, agent_channel="none")
    job = enqueue_transcription(call, dispatch=False)
    db.session.commit()
    seen: list[float] = []

    def cancel_from_elsewhere(fraction: float) -> None:
        if not seen:
            with real_engine.app_context():  # another session, as the web app would be
                cancel_job(db.session.get(TranscriptionJob, job.id))  # type: ignore[arg-type]
                db.session.commit()
        seen.append(fraction)

    outcome = run_transcription_job(job.id, progress=cancel_from_elsewhere)
    assert outcome.status == "cancelled"
    assert seen
    db.session.expire_all()
    assert (job.status, call.status, call.segments, call.findings) == (
        "cancelled",
        "cancelled",
        [],
        [],
    )


class RecordingQueue:
    """Stands in for the queue port: records what is sent, reports what is waiting."""

    def __init__(self) -> None:
        self.sent: list[int] = []
        self.on_queue: set[int] = set()

    def send(self, job_id: int, delay: float | None = None) -> None:
        self.sent.append(job_id)

    def waiting(self) -> set[int]:
        return set(self.on_queue)


@pytest.fixture
def recorded_queue(fake_engine: Flask, monkeypatch: pytest.MonkeyPatch) -> RecordingQueue:
    recorded = RecordingQueue()
    monkeypatch.setattr(queue_module, "_job_queue", recorded)
    return recorded


def test_a_killed_run_spends_no_attempt(fake_engine: Flask) -> None:
    job = enqueue_transcription(ingest(EN_MONO), dispatch=False, max_attempts=1)
    db.session.commit()
    assert claim_job(job.id, "killed-worker", lease_seconds=30)
    db.session.commit()
    assert sweep_expired_jobs().requeued == []  # the lease is still valid: nothing to do

    result = sweep_expired_jobs(now=utcnow() + timedelta(seconds=31))
    assert (result.requeued, result.failed) == ([job.id], [])
    db.session.commit()  # immediate mode: the re-queued job runs now
    db.session.expire_all()
    # Its only attempt was not spent by the worker that died.
    assert (job.status, job.attempts, job.lost_leases, job.error) == ("done", 1, 1, None)
    assert job.call.status == "transcribed"
    assert sweep_expired_jobs(now=utcnow() + timedelta(seconds=31)) == type(result)()


def test_a_recording_that_kills_every_worker_still_ends(
    fake_engine: Flask, recorded_queue: RecordingQueue
) -> None:
    fake_engine.config["JOB_MAX_LOST_LEASES"] = 3
    job = enqueue_transcription(ingest(EN_MONO))
    db.session.commit()
    for run in range(1, 4):
        assert claim_job(job.id, f"worker-{run}", lease_seconds=30)
        db.session.commit()
        result = sweep_expired_jobs(now=utcnow() + timedelta(seconds=31))
        db.session.commit()
        db.session.expire_all()
        assert (job.attempts, job.lost_leases) == (0, run)
        if run < 3:
            assert (result.requeued, job.status) == ([job.id], "queued")
            assert (
                job.error == f"The worker worker-{run} stopped responding ({run} of 3); "
                "queued again."
            )
    assert (result.failed, job.status, job.call.status) == ([job.id], "failed", "failed")
    assert job.error == (
        "The worker stopped while transcribing this recording 3 times (last: worker-3); "
        "it may need more memory or time than a worker has."
    )
    assert recorded_queue.sent == [job.id] * 3  # the first delivery and two re-deliveries


def test_sweeper_sends_again_a_queued_job_whose_message_was_lost(
    fake_engine: Flask, recorded_queue: RecordingQueue
) -> None:
    lost, waiting = enqueue_transcription(ingest(EN_MONO)), enqueue_transcription(ingest(RU_STEREO))
    db.session.commit()
    assert recorded_queue.sent == [lost.id, waiting.id]
    recorded_queue.sent.clear()
    assert sweep_expired_jobs().resent == []  # both messages are younger than a lease

    recorded_queue.on_queue.add(waiting.id)  # still on the queue, behind other work
    lease = fake_engine.config["JOB_LEASE_SECONDS"]
    result = sweep_expired_jobs(now=utcnow() + timedelta(seconds=lease + 1))
    db.session.commit()
    assert (result.resent, recorded_queue.sent) == ([lost.id], [lost.id])
    assert sweep_expired_jobs().resent == []  # just sent: not again within a lease
    db.session.expire_all()
    assert (lost.status, lost.attempts, lost.lost_leases) == ("queued", 0, 0)


def test_the_queue_port_knows_which_jobs_wait_on_the_queue(tmp_path: Path) -> None:
    from qa.queue import make_huey
    from qa.tasks import HueyJobQueue, transcribe_call

    queue = make_huey(f"sqlite:///{tmp_path / 'queue.sqlite3'}", "port-test")
    queue._registry.register(transcribe_call.task_class)
    port = HueyJobQueue(queue)
    assert port.waiting() == set()
    port.send(7)
    port.send(8, delay=60)  # a retry with backoff waits in the schedule
    assert port.waiting() == {7, 8}
    # huey moves a message with an eta to its schedule when a consumer reads it: both count.
    assert {m.args[0]: m.eta is not None for m in queue.pending()} == {7: False, 8: True}


def test_the_fake_engine_exists_only_under_test(app: Flask) -> None:
    from qa.services.calls.job_worker import load_configured_transcriber
    from qa.settings import Settings

    testing = Settings.from_config({**app.config, "WHISPER_ENGINE": "fake"})
    production = Settings.from_config({**app.config, "WHISPER_ENGINE": "fake", "TESTING": False})
    assert "fake" in testing.engines
    assert "fake" not in production.engines
    assert load_configured_transcriber(testing).engine == "fake"
    with pytest.raises(ValueError, match="engine must be one of faster-whisper, openai-whisper"):
        load_configured_transcriber(production)


def test_the_queue_hears_of_a_job_only_when_it_commits(fake_engine: Flask) -> None:
    kept, dropped = ingest(EN_MONO), ingest(RU_STEREO)
    db.session.commit()
    job = enqueue_transcription(kept)
    savepoint = db.session.begin_nested()
    enqueue_transcription(dropped)
    savepoint.rollback()  # as when one file of an upload is rejected
    db.session.flush()
    assert job.status == "queued"  # not run before the commit
    db.session.commit()
    db.session.expire_all()
    assert (job.status, kept.status) == ("done", "transcribed")
    assert (dropped.status, dropped.jobs) == ("uploaded", [])

    enqueue_transcription(dropped)
    db.session.rollback()
    db.session.expire_all()
    assert (dropped.status, dropped.jobs) == ("uploaded", [])


def test_demo_load_queues_every_demo_call(fake_engine: Flask, runner) -> None:  # type: ignore[no-untyped-def]
    from qa.cli import main

    result = runner.invoke(main, ["demo", "load"])
    assert result.exit_code == 0, result.output
    calls = db.session.scalars(select(Call).order_by(Call.id)).all()
    assert calls
    assert f"{len(calls)} demo call(s) queued for transcription" in result.output
    # Immediate mode: the queued jobs ran when the command committed.
    assert [(c.status, [j.status for j in c.jobs]) for c in calls] == [
        ("transcribed", ["done"])
    ] * len(calls)
    assert all(c.segments for c in calls)


def test_a_failed_analysis_keeps_the_transcript_and_names_the_command_that_repeats_it(
    fake_engine: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The analysis runs in a savepoint after the transcript: its failure (a broken model file,
    injected here) rolls back only itself and is noted on the finished job."""
    from qa.services.calls import objections

    def broken(call: Call) -> None:
        raise RuntimeError("the objection model cannot be read")

    monkeypatch.setattr(objections, "analyse_call", broken)
    call = ingest(EN_MONO)
    job = enqueue_transcription(call, dispatch=False)
    db.session.commit()
    assert run_transcription_job(job.id).status == "done"
    db.session.expire_all()
    assert (job.status, call.status) == ("done", "transcribed")
    assert call.segments
    assert job.error == (
        "Objection analysis failed (RuntimeError: the objection model cannot be read); "
        f"run `qa rescore --call {call.id}`."
    )


def test_a_worker_that_checks_its_job_holds_it_until_it_commits(fake_engine: Flask) -> None:
    """Between a worker's check that the job is still its own and its write of the transcript, a
    sweeper must not requeue the job (SQLite ignores SELECT ... FOR UPDATE)."""
    job = enqueue_transcription(ingest(EN_MONO), dispatch=False)
    db.session.commit()
    claim = claim_job(job.id, "slow-worker", lease_seconds=30)
    assert claim is not None
    db.session.commit()
    assert owned_job(claim) is not None  # the worker's transaction stays open

    requeue = (
        update(TranscriptionJob)
        .where(TranscriptionJob.id == job.id, TranscriptionJob.worker == "slow-worker")
        .values(status="queued", worker=None)
    )
    sweeper = db.engine.connect()
    try:
        if sweeper.dialect.name == "sqlite":
            sweeper.exec_driver_sql("PRAGMA busy_timeout = 200")
        else:
            sweeper.exec_driver_sql("SET lock_timeout = '200ms'")
        with pytest.raises(OperationalError):
            sweeper.execute(requeue)
        sweeper.rollback()
        db.session.rollback()  # the worker gives up: now the sweeper may go on
        assert sweeper.execute(requeue).rowcount == 1
        sweeper.commit()
    finally:
        sweeper.close()
    assert owned_job(claim) is None
