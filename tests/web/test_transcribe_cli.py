"""``qa transcribe`` on folders, globs and bad files, with exports; ``qa jobs`` for operators."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import srt
import webvtt
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import func, select

from qa.cli import main
from qa.extensions import db
from qa.models import Call, TranscriptionJob, TranscriptSegment
from qa.services.calls.intake import recording_metadata, take_in
from qa.services.calls.jobs import enqueue_transcription
from transcription import default_cache_dir

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"
GOOD = "en_mono_8k_alaw.wav"  # "That is too expensive. Your competitors are cheaper."


@pytest.fixture
def english(app: Flask) -> Flask:
    """tiny.en from its installed weight package: fast enough to run on every file here."""
    app.config.update(
        WHISPER_ENGINE="faster-whisper",
        WHISPER_MODEL="tiny.en",
        MODEL_CACHE_DIR=str(default_cache_dir()),
    )
    return app


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A good recording, a corrupt one and an empty one in sub-folders, and a note to ignore."""
    root = tmp_path / "calls"
    (root / "monday" / "late").mkdir(parents=True)
    shutil.copy(AUDIO / GOOD, root / "monday" / GOOD)
    shutil.copy(AUDIO / "corrupt.ogg", root / "monday" / "late" / "corrupt.ogg")
    shutil.copy(AUDIO / "empty.wav", root / "empty.wav")
    (root / "notes.txt").write_text("not a recording", encoding="utf-8")
    return root


def count(model: type, **where: object) -> int:
    query = select(func.count()).select_from(model).filter_by(**where)
    return int(db.session.scalar(query) or 0)


@pytest.mark.slow
def test_folder_batch_names_bad_files_goes_on_and_exports(
    english: Flask, runner, folder: Path, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        main,
        ["transcribe", str(folder), "--agent-channel", "none", "--export", str(out),
         "--format", "json,srt,vtt,txt"],
    )
    assert result.exit_code == 1, result.output
    assert "2 of 3 file(s) failed:" in result.output
    assert f"{folder / 'empty.wav'}: empty.wav is empty." in result.output
    assert (
        f"{folder / 'monday' / 'late' / 'corrupt.ogg'}: corrupt.ogg is not a readable audio file"
        in result.output
    )
    assert "notes.txt" not in result.output  # folders are searched for audio files only
    assert "1 transcribed" in result.output

    call = db.session.scalar(select(Call))
    assert call is not None
    assert (call.original_filename, call.status, call.language) == (GOOD, "transcribed", "en")
    assert count(Call) == 1  # the bad files left nothing behind
    segments = call.segments
    assert "too expensive" in " ".join(s.text for s in segments).lower()
    assert {f.label for f in call.findings} == {"price"}

    assert sorted(p.name for p in out.iterdir()) == [
        f"en_mono_8k_alaw.{fmt}" for fmt in ("json", "srt", "txt", "vtt")
    ]
    data = json.loads((out / "en_mono_8k_alaw.json").read_text(encoding="utf-8"))
    assert (data["file"], data["language"], data["model"]) == (GOOD, "en", "tiny.en")
    assert data["duration"] == pytest.approx(4.95, abs=0.05)
    assert [s["text"] for s in data["segments"]] == [s.text for s in segments]
    assert all(s["speaker"] == "unknown" and s["words"] for s in data["segments"])
    # The findings the summary counts travel with the transcript.
    assert [(f["label"], f["text"]) for f in data["findings"]] == [
        (f.label, f.text) for f in call.findings
    ]

    cues = list(srt.parse((out / "en_mono_8k_alaw.srt").read_text(encoding="utf-8")))
    assert [c.content for c in cues] == [f"Speaker: {s.text}" for s in segments]
    assert [c.start.total_seconds() for c in cues] == pytest.approx(
        [s.start for s in segments], abs=0.001
    )
    captions = webvtt.read(str(out / "en_mono_8k_alaw.vtt")).captions
    assert [c.voice for c in captions] == ["Speaker"] * len(segments)
    assert [c.text for c in captions] == [s.text for s in segments]
    txt = (out / "en_mono_8k_alaw.txt").read_text(encoding="utf-8")
    assert txt.splitlines()[0].startswith("[00:00:00] Speaker: ")


@pytest.mark.slow
def test_transcribed_files_are_skipped_unless_forced(
    english: Flask, runner, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    audio = tmp_path / "call.wav"
    shutil.copy(AUDIO / GOOD, audio)
    assert runner.invoke(main, ["transcribe", str(audio)]).exit_code == 0
    first = db.session.scalar(select(Call))
    assert first is not None
    segments = count(TranscriptSegment)

    # The same audio under another name is the same recording.
    again = tmp_path / "copy-of-call.wav"
    shutil.copy(audio, again)
    result = runner.invoke(main, ["transcribe", str(again)])
    assert result.exit_code == 0, result.output
    assert f"already transcribed as call #{first.id}" in result.output
    assert (count(Call), count(TranscriptionJob)) == (1, 1)

    result = runner.invoke(main, ["transcribe", "--force", str(again)])
    assert result.exit_code == 0, result.output
    assert "1 transcribed" in result.output
    assert (count(Call), count(TranscriptionJob), count(TranscriptSegment)) == (1, 2, segments)


def test_globs_and_missing_paths_are_reported(
    app: Flask, runner, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    app.config["WHISPER_ENGINE"] = "fake"  # these files never reach the engine
    result = runner.invoke(
        main, ["transcribe", str(tmp_path / "*.mp3"), str(tmp_path / "missing.wav")]
    )
    assert result.exit_code == 1
    assert f"{tmp_path / '*.mp3'}: no file matches this pattern" in result.output
    assert f"{tmp_path / 'missing.wav'}: no such file or folder" in result.output


def test_glob_patterns_are_expanded(
    app: Flask, runner, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    app.config["WHISPER_ENGINE"] = "fake"  # canned text: this checks which files are taken
    for name in ("a.wav", "b.wav"):
        shutil.copy(AUDIO / GOOD, tmp_path / name)
    shutil.copy(AUDIO / "ru_call_8k_mulaw.wav", tmp_path / "c.wav")
    result = runner.invoke(main, ["transcribe", str(tmp_path / "[ac].wav")])
    assert result.exit_code == 0, result.output
    names = db.session.scalars(select(Call.original_filename).order_by(Call.id)).all()
    assert names == ["a.wav", "c.wav"]


def test_bad_format_is_a_usage_error(app: Flask, runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(main, ["transcribe", str(AUDIO / GOOD), "--format", "json,docx"])
    assert result.exit_code == 2
    assert "choose from json, srt, vtt, txt" in result.output


@pytest.mark.slow
def test_enqueue_follows_the_workers_and_passes_the_model(
    english: Flask, runner  # type: ignore[no-untyped-def]
) -> None:
    english.config["WHISPER_MODEL"] = "base"  # the job asks for tiny.en instead
    result = runner.invoke(
        main, ["transcribe", "--enqueue", "--model", "tiny.en", "--language", "en",
               str(AUDIO / GOOD)],
    )
    assert result.exit_code == 0, result.output
    job = db.session.scalar(select(TranscriptionJob))
    assert job is not None
    assert (job.status, job.options) == ("done", {"model": "tiny.en"})
    assert (job.call.model, job.call.language) == ("tiny.en", "en")
    assert "1 transcribed" in result.output


def test_jobs_list_cancel_retry(app: Flask, runner) -> None:  # type: ignore[no-untyped-def]
    app.config["WHISPER_ENGINE"] = "fake"
    with open(AUDIO / GOOD, "rb") as handle:
        call = take_in(handle, "shop-call.wav", recording_metadata(), queue=False).call
    job = enqueue_transcription(call, dispatch=False)
    db.session.commit()

    listing = runner.invoke(main, ["jobs", "list", "--status", "queued"])
    assert listing.exit_code == 0
    assert "shop-call.wav" in listing.output
    assert "queued" in listing.output

    assert runner.invoke(main, ["jobs", "cancel", str(job.id)]).exit_code == 0
    db.session.expire_all()
    assert (job.status, call.status) == ("cancelled", "cancelled")
    with force_locale("en"):
        again = runner.invoke(main, ["jobs", "cancel", str(job.id)])
    assert again.exit_code == 1
    assert f"Job #{job.id} is no longer queued or running." in again.output

    retried = runner.invoke(main, ["jobs", "retry", str(job.id)])
    assert retried.exit_code == 0, retried.output
    assert f"(retrying job #{job.id})" in retried.output
    db.session.expire_all()
    assert call.status == "transcribed"
    assert [j.status for j in call.jobs] == ["cancelled", "done"]

    missing = runner.invoke(main, ["jobs", "retry", "999"])
    assert missing.exit_code == 1
    assert "No job #999." in missing.output
    assert "Queued again: 0 job(s)" in runner.invoke(main, ["jobs", "sweep"]).output
