"""The recording where the company redacts: no original audio left when originals are not kept,
and a viewer who may not hear the original never meets a call whose copy is not ready."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from qa.extensions import db
from qa.models import AuditEvent, Call
from qa.services.admin.settings import update_redaction
from qa.services.calls.jobs import enqueue_transcription
from qa.services.calls.redaction import drop_original_recording, redact_call
from tests.web.test_jobs import RU_STEREO, ingest, run_transcription_job, stored_files
from tests.web.test_redaction import (
    PHONE,
    _stereo_recording,
    canned,
    redacted_stereo_call,
    redacting,
    stored_call,
)


@pytest.fixture(autouse=True)
def english(client):  # type: ignore[no-untyped-def]
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def transcribed_call() -> tuple[Call, str]:
    """A stereo call taken in and transcribed by a worker; returns it and its original path."""
    call = ingest(RU_STEREO, agent_channel="left")
    original = call.recording_path
    job = enqueue_transcription(call, dispatch=False)
    db.session.commit()
    assert run_transcription_job(job.id, transcriber=canned()).status == "done"
    db.session.expire_all()
    return call, original


def dropped_events() -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "delete", AuditEvent.object_type == "original_recording"
            )
        )
    )


def played(client, call: Call, query: str = "") -> bytes:  # type: ignore[no-untyped-def]
    response = client.get(f"/calls/{call.id}/recording{query}")
    assert response.status_code == 200
    assert response.mimetype == "audio/wav"
    with wave.open(io.BytesIO(response.data)) as audio:
        assert audio.getnchannels() == 2
        assert audio.getnframes() > 0
    return response.data


# --- originals not kept: the redacted recording is the call's recording -------------------------


def test_without_originals_no_original_audio_remains_and_the_redacted_one_plays(
    app: Flask, client, login
) -> None:
    redacting(keep=False)
    call, original = transcribed_call()
    root = Path(app.config["RECORDINGS_DIR"])
    assert not (root / original).exists()
    assert call.recording_path == original + ".redacted.wav"
    assert call.redacted_recording_path is None
    assert call.audio_format == "wav"
    kept = root / call.recording_path
    assert call.size_bytes == kept.stat().st_size
    assert stored_files(app) == [kept.name]  # no original, no partial file, one recording
    assert PHONE not in call.segments[1].text
    [event] = dropped_events()
    assert event.object_id == call.id
    assert event.details == {"file": original, "kept": call.recording_path}
    for role in ("reviewer", "marketing", "qa_lead", "admin"):
        login.as_role(role)
        assert played(client, call) == kept.read_bytes()
        assert played(client, call, "?original=1") == kept.read_bytes()
        login.logout()
    # Nothing claims to be an original any more: no audited view of one.
    assert not db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "call_original_recording")
    ).all()
    # Redacting again (a settings save, `qa redact`) keeps the one file and changes nothing.
    before = kept.read_bytes()
    redact_call(call)
    db.session.commit()
    assert stored_files(app) == [kept.name]
    assert kept.read_bytes() == before
    assert len(dropped_events()) == 1


def test_switching_originals_off_later_drops_the_original_audio_of_stored_calls(
    app: Flask,
) -> None:
    redacting(keep=True)
    call, original = transcribed_call()
    root = Path(app.config["RECORDINGS_DIR"])
    copy = root / call.redacted_recording_path
    assert (root / original).exists()
    assert copy.exists()
    # Saving the settings queues the run over stored calls (run at once here, as a worker would).
    update_redaction(enabled=True, keep_originals=False, roles=["admin", "qa_lead"])
    db.session.commit()
    db.session.expire_all()
    assert not (root / original).exists()
    assert call.recording_path == original + ".redacted.wav"
    assert call.redacted_recording_path is None
    assert stored_files(app) == [copy.name]
    assert len(dropped_events()) == 1


def test_the_original_audio_of_a_call_not_transcribed_is_never_dropped(app: Flask) -> None:
    call, path = redacted_stereo_call(app, keep=False)
    assert call.recording_path.endswith(".redacted.wav")  # a finished transcript: dropped
    assert not path.exists()

    waiting = stored_call(channels=2, agent_channel="left", audio_format="wav")
    kept = _stereo_recording(app, waiting)
    enqueue_transcription(waiting, dispatch=False)  # transcribed again: the audio is needed
    db.session.commit()
    redact_call(waiting)
    db.session.commit()
    assert waiting.redacted_recording_path  # the copy is written, the original kept
    assert kept.exists()
    assert not drop_original_recording(waiting)


def test_a_copy_that_does_not_match_the_recording_never_replaces_it(app: Flask) -> None:
    redacting(keep=True)
    call = stored_call(channels=2, agent_channel="left", audio_format="wav")
    path = _stereo_recording(app, call)
    redact_call(call)
    db.session.commit()
    copy = Path(app.config["RECORDINGS_DIR"]) / call.redacted_recording_path
    copy.write_bytes(copy.read_bytes()[:1000])  # cut short, say by a full disk
    redacting(keep=False)
    with pytest.raises(ValueError, match="does not match"):
        drop_original_recording(call)
    db.session.rollback()
    assert path.exists()
    assert not call.recording_path.endswith(".redacted.wav")
    assert not dropped_events()


def test_deletion_on_request_removes_the_recording_that_replaced_the_original(app: Flask) -> None:
    from qa.services.privacy.anonymise import anonymise_call

    redacting(keep=False)
    call, _original = transcribed_call()
    anonymise_call(call)
    db.session.commit()
    assert stored_files(app) == []
    assert call.recording_path == ""


# --- originals kept: only the listed roles hear them ------------------------------------------


@pytest.mark.parametrize(
    ("role", "hears_original"),
    [("admin", True), ("qa_lead", True), ("reviewer", False), ("marketing", False)],
)
def test_with_originals_kept_the_original_stays_for_the_listed_roles_only(
    app: Flask, client, login, role: str, hears_original: bool
) -> None:
    redacting(keep=True)
    call, original = transcribed_call()
    root = Path(app.config["RECORDINGS_DIR"])
    assert (root / original).exists()
    assert call.recording_path == original
    copy = (root / call.redacted_recording_path).read_bytes()
    login.as_role(role)
    assert played(client, call) == copy
    asked = client.get(f"/calls/{call.id}/recording?original=1").data
    assert (asked == (root / original).read_bytes()) is hears_original
    assert (asked == copy) is not hears_original
    assert not dropped_events()


# --- a call the background redaction has not reached yet ------------------------------------


def not_yet_redacted(app: Flask, **overrides: object) -> tuple[Call, Path]:
    """A transcribed stereo call stored before the company switched redaction on."""
    call = stored_call(channels=2, agent_channel="left", audio_format="wav", **overrides)
    path = _stereo_recording(app, call)
    redacting()
    assert call.segments[1].pii_spans is None
    return call, path


def test_opening_a_call_not_yet_redacted_redacts_it_at_once_for_whom_originals_are_hidden(
    app: Flask, client, login
) -> None:
    call, path = not_yet_redacted(app, duration=10.0)
    login.as_role("reviewer")
    # Before the page: the audio route says why there is nothing to play yet, not "not found".
    waiting = client.get(f"/calls/{call.id}/recording")
    assert waiting.status_code == 409
    assert "being redacted" in waiting.get_data(as_text=True)
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert 'id="player"' in page
    assert "recording-wait" not in page
    assert PHONE not in page
    db.session.expire_all()
    assert call.redacted_recording_path
    assert {s["type"] for s in call.segments[1].pii_spans} >= {"PHONE"}
    heard = played(client, call)
    assert heard != path.read_bytes()
    assert heard == (Path(app.config["RECORDINGS_DIR"]) / call.redacted_recording_path).read_bytes()


def test_a_long_call_not_yet_redacted_is_queued_first_and_the_page_says_so(
    app: Flask, client, login
) -> None:
    """Over the limit for the request, the call is queued (ahead of other work) and the page shows
    the message in place of a player; the test queue runs the task at the commit, as a worker
    would pick it first."""
    from qa.services.calls.redaction_runs import REDACT_ON_VIEW_SECONDS
    from qa.tasks import FIRST, redact_one_call

    call, _path = not_yet_redacted(app, duration=REDACT_ON_VIEW_SECONDS + 1)
    assert redact_one_call.s(call.id).priority == FIRST
    login.as_role("reviewer")
    response = client.get(f"/calls/{call.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="recording-wait"' in page
    assert "will be playable shortly" in page
    assert 'id="player"' not in page
    db.session.expire_all()
    assert call.redacted_recording_path  # the queued task ran
    assert 'id="player"' in client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert played(client, call)


def test_a_redaction_that_fails_in_the_page_is_queued_and_the_original_audio_stays(
    app: Flask, client, login
) -> None:
    """The analysis after the redaction fails (the active objection model's files are missing):
    the page still opens with the message, and nothing the failed step did is kept, least of all
    the removal of the original audio."""
    from qa.models import ObjectionModelVersion

    call, path = not_yet_redacted(app, duration=10.0)
    original = call.recording_path
    redacting(keep=False)
    db.session.add(
        ObjectionModelVersion(
            folder="20261201T000000Z", status="active", versions={"ru": "a1b2c3d4e5f6"}
        )
    )
    db.session.commit()
    login.as_role("reviewer")
    response = client.get(f"/calls/{call.id}")
    assert response.status_code == 200
    assert 'id="recording-wait"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert path.exists()
    assert call.recording_path == original
    assert call.segments[1].pii_spans is None
    assert not dropped_events()
    assert client.get(f"/calls/{call.id}/recording").status_code == 409


def test_a_rolled_back_savepoint_keeps_the_original_audio(app: Flask) -> None:
    call, path = redacted_stereo_call(app, keep=True)
    redacting(keep=False)

    def drop_then_fail() -> None:
        with db.session.begin_nested():
            assert drop_original_recording(call)
            raise RuntimeError("a later step of the same savepoint failed")

    with pytest.raises(RuntimeError):
        drop_then_fail()
    db.session.commit()
    assert path.exists()
    assert not call.recording_path.endswith(".redacted.wav")


def test_a_call_still_transcribing_says_it_plays_after_transcription(
    app: Flask, client, login
) -> None:
    call = stored_call(channels=2, audio_format="wav")
    _stereo_recording(app, call)
    for segment in list(call.segments):
        db.session.delete(segment)
    call.status = "queued"
    db.session.commit()
    redacting()
    login.as_role("marketing")
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert 'data-state="awaiting_transcript"' in page
    assert 'id="player"' not in page
    answer = client.get(f"/calls/{call.id}/recording")
    assert answer.status_code == 409
    assert "once the call is transcribed" in answer.get_data(as_text=True)


def test_the_wait_message_is_translated(app: Flask, client, login) -> None:
    call, _path = not_yet_redacted(app)
    login.as_role("reviewer")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru"
    answer = client.get(f"/calls/{call.id}/recording").get_data(as_text=True)
    assert "обезличива" in answer


@pytest.mark.parametrize("role", ["admin", "qa_lead"])
def test_allowed_roles_play_the_original_of_a_call_not_yet_redacted(
    app: Flask, client, login, role: str
) -> None:
    call, path = not_yet_redacted(app, duration=10.0)
    login.as_role(role)
    heard = client.get(f"/calls/{call.id}/recording?original=1")
    assert heard.status_code == 200
    assert heard.data == path.read_bytes()  # μ-law WAV, as uploaded
    page = client.get(f"/calls/{call.id}?original=1").get_data(as_text=True)
    assert 'id="player"' in page
    assert "recording-wait" not in page
    db.session.expire_all()
    assert call.segments[1].pii_spans is None  # the original asked for: nothing to wait for
    # Their redacted view (the page's default) waits for the copy like anyone's: written now.
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert 'id="player"' in page
    db.session.expire_all()
    assert call.redacted_recording_path
    assert client.get(f"/calls/{call.id}/recording").status_code == 200
