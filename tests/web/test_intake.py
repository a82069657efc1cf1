"""Recordings in by every door: the same call whichever door, linked leads, limits, hostile input.

Transcription runs on the fake engine here: these tests assert call rows, files and messages,
never transcripts (the real engines are exercised in test_jobs.py and test_transcribe_cli.py).
"""

from __future__ import annotations

import hashlib
import io
import os
import resource
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from qa.cli import main
from qa.extensions import db
from qa.models import Call, Lead
from qa.services.admin import api_tokens
from qa.services.calls.intake import recording_metadata, take_in
from tests.web import factories
from tests.web.audio_bytes import wav_bytes, wav_with_script

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"
RU_STEREO = AUDIO / "ru_call_8k_mulaw.wav"
KB = 1024
MB = 1024 * KB


@pytest.fixture(autouse=True)
def english(client):  # type: ignore[no-untyped-def]
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def fake_engine(app: Flask) -> Flask:
    """Canned transcripts: nothing here asserts what was said."""
    app.config["WHISPER_ENGINE"] = "fake"
    return app


@pytest.fixture
def api_auth(app: Flask) -> dict[str, str]:
    _row, plain = api_tokens.create_token("PBX", None)
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


@pytest.fixture
def earlier(app: Flask, fake_engine: Flask) -> dict[str, Any]:
    """A call stored before each hostile request; it must come out untouched."""
    with open(AUDIO / "en_mono_8k_alaw.wav", "rb") as handle:
        call = take_in(handle, "earlier.wav", recording_metadata(phone="+7 916 222-00-02")).call
    db.session.commit()
    return _row(call) | {"id": call.id}


def _row(call: Call) -> dict[str, Any]:
    return {
        "phone": call.phone,
        "called_at": call.called_at,
        "lead_id": call.lead_id,
        "lead_link": call.lead_link,
        "sha256": call.sha256,
        "duration": call.duration,
        "channels": call.channels,
        "audio_format": call.audio_format,
        "agent_channel": call.agent_channel,
        "recording_path": call.recording_path,
    }


def assert_intact(app: Flask, earlier: dict[str, Any], calls: int = 1) -> None:
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Call.id))) == calls
    call = db.session.get(Call, earlier["id"])
    assert call is not None
    assert _row(call) | {"id": call.id} == earlier
    assert (Path(app.config["RECORDINGS_DIR"]) / call.recording_path).is_file()


def stored_files(app: Flask) -> list[str]:
    root = app.config["RECORDINGS_DIR"]
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _dirs, names in os.walk(root)
        for name in names
    )


def upload(client, files: list[tuple[bytes, str]], **fields: str):  # type: ignore[no-untyped-def]
    data: dict[str, Any] = {"agent_channel": "left", **fields}
    data["files"] = [(io.BytesIO(body), name) for body, name in files]
    return client.post("/calls/upload", data=data, content_type="multipart/form-data")


def push(client, auth, body: bytes, name: str = "call.wav", **fields: str):  # type: ignore[no-untyped-def]
    data: dict[str, Any] = {**fields, "file": (io.BytesIO(body), name)}
    return client.post(
        "/api/v1/recordings", data=data, headers=auth, content_type="multipart/form-data"
    )


def page(client) -> str:  # type: ignore[no-untyped-def]
    """The calls list, where flashed messages of a redirected upload are shown."""
    return client.get("/calls/").get_data(as_text=True)


# --- One call, whichever door ------------------------------------------------------------------


def test_every_door_stores_the_same_call(
    app: Flask, client, login, runner, api_auth, fake_engine, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    lead = factories.make_lead(
        external_id="crm-7", phone="+79161110001", created_at=datetime(2026, 4, 1, 6, 50)
    )
    db.session.commit()
    audio = RU_STEREO.read_bytes()
    local_copy = tmp_path / "call.wav"
    shutil.copy(RU_STEREO, local_copy)
    login.as_role("reviewer")

    def web() -> None:
        response = upload(
            client, [(audio, "call.wav")], phone="+7 916 111-00-01", called_at="2026-04-01T10:15"
        )
        assert response.status_code == 302, response.get_data(as_text=True)

    def api() -> None:
        response = push(
            client, api_auth, audio, phone="8 (916) 111-00-01", called_at="2026-04-01 10:15"
        )
        assert response.status_code == 201, response.get_data(as_text=True)

    def cli() -> None:
        result = runner.invoke(
            main,
            ["transcribe", "--phone", "+7 916 111 00 01", "--called-at", "01.04.2026 10:15",
             str(local_copy)],
        )
        assert result.exit_code == 0, result.output

    def service() -> None:  # what the demo data does
        meta = recording_metadata(phone="8-916-111-00-01", called_at=datetime(2026, 4, 1, 10, 15))
        with open(local_copy, "rb") as handle:
            take_in(handle, "call.wav", meta)
        db.session.commit()

    rows = {}
    for door in (web, api, cli, service):
        door()
        db.session.expire_all()
        call = db.session.scalar(select(Call))
        assert call is not None, door.__name__
        assert call.jobs, f"{door.__name__}: transcription queued"
        rows[door.__name__] = _row(call)
        db.session.delete(call)  # the next door would be refused as a duplicate
        db.session.commit()

    expected = {
        "phone": "+79161110001",
        "called_at": datetime(2026, 4, 1, 7, 15),  # 10:15 in Moscow, stored as UTC
        "lead_id": lead.id,
        "lead_link": "auto",
        "sha256": hashlib.sha256(audio).hexdigest(),
        "duration": pytest.approx(8.74, abs=0.05),
        "channels": 2,
        "audio_format": "wav",
        "agent_channel": "left",
        "recording_path": f"{hashlib.sha256(audio).hexdigest()[:2]}/"
        f"{hashlib.sha256(audio).hexdigest()}.wav",
    }
    assert rows == {"web": expected, "api": expected, "cli": expected, "service": expected}


def test_lead_import_links_a_call_uploaded_with_a_formatted_phone(
    client, login, api_auth, fake_engine  # type: ignore[no-untyped-def]
) -> None:
    login.as_role("reviewer")
    response = upload(
        client, [(wav_bytes(), "call.wav")], phone="+7 916 111-00-01", called_at="2026-04-01T10:15"
    )
    assert response.status_code == 302
    call = db.session.scalar(select(Call))
    assert (call.phone, call.lead_id) == ("+79161110001", None)

    imported = client.post(
        "/api/v1/leads",
        json=[{"external_id": "crm-9", "phone": "8 916 111 00 01",
               "created_at": "2026-04-01 09:00", "channel": "call"}],
        headers=api_auth,
    )
    assert imported.status_code == 200, imported.get_data(as_text=True)
    assert imported.get_json()["linked_calls"] == 1
    db.session.expire_all()
    lead = db.session.scalar(select(Lead).where(Lead.external_id == "crm-9"))
    assert (call.lead_id, call.lead_link) == (lead.id, "auto")


# --- Batches: limits per file, the request ceiling, names, storage, duplicates -------------------


def test_three_files_under_the_per_file_limit_are_all_stored(
    app: Flask, client, login, fake_engine  # type: ignore[no-untyped-def]
) -> None:
    app.config.update(MAX_RECORDING_BYTES=1 * MB, MAX_CONTENT_LENGTH=int(1.5 * MB))
    login.as_role("reviewer")
    files = [(wav_bytes(12.5, freq=300 + 100 * n), f"part-{n}.wav") for n in range(3)]
    assert all(390 * KB < len(body) < 410 * KB for body, _name in files)
    response = upload(client, files)
    assert response.status_code == 302
    assert "3 recordings stored and queued for transcription." in page(client)
    names = db.session.scalars(select(Call.original_filename).order_by(Call.id)).all()
    assert names == ["part-0.wav", "part-1.wav", "part-2.wav"]


def test_one_file_over_the_limit_is_refused_and_the_batch_goes_on(
    app: Flask, client, login, earlier  # type: ignore[no-untyped-def]
) -> None:
    app.config.update(MAX_RECORDING_BYTES=1 * MB, MAX_CONTENT_LENGTH=4 * MB)
    login.as_role("reviewer")
    before = stored_files(app)
    response = upload(
        client,
        [(wav_bytes(12.5, freq=300), "small-1.wav"), (wav_bytes(40), "long.wav"),
         (wav_bytes(12.5, freq=500), "small-2.wav")],
    )
    assert response.status_code == 302
    html = page(client)
    assert "long.wav was not stored: long.wav is larger than the limit of 1 MB per" in html
    assert "2 recordings stored and queued for transcription." in html
    assert_intact(app, earlier, calls=3)
    assert len(stored_files(app)) == len(before) + 2  # nothing of long.wav is left


def test_a_request_over_the_ceiling_gets_a_413_page(
    app: Flask, client, login, earlier  # type: ignore[no-untyped-def]
) -> None:
    app.config.update(MAX_RECORDING_BYTES=1 * MB, MAX_CONTENT_LENGTH=int(1.5 * MB))
    login.as_role("reviewer")
    files = [(wav_bytes(12.5, freq=300 + 100 * n), f"part-{n}.wav") for n in range(4)]
    response = upload(client, files)
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "This upload is larger than 1.5 MB, the limit for one request" in html
    assert "each recording up to 1 MB" in html
    assert 'id="upload-form"' in html  # the form is there to try again
    assert_intact(app, earlier)


@pytest.mark.parametrize(
    "name", ["bad\x00name.wav", "bell\x07.wav", "esc\x1b[31m.wav", "del\x7f.wav"]
)
def test_control_characters_in_a_file_name_refuse_that_file_only(
    app: Flask, client, login, earlier, name: str  # type: ignore[no-untyped-def]
) -> None:
    login.as_role("reviewer")
    before = stored_files(app)
    response = upload(client, [(wav_bytes(), name), (wav_bytes(freq=300), "good.wav")])
    assert response.status_code == 302
    shown = "".join("?" if ord(c) < 32 or 127 <= ord(c) < 160 else c for c in name)
    html = page(client)
    assert f"{shown} was not stored: {shown}: the file name contains control characters" in html
    assert "1 recording stored and queued for transcription." in html
    assert_intact(app, earlier, calls=2)
    assert len(stored_files(app)) == len(before) + 1
    assert not any("\x00" in path or ".part" in path for path in stored_files(app))


def test_unwritable_storage_stores_nothing_and_the_upload_can_be_retried(
    app: Flask, client, login, earlier, api_auth, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    login.as_role("reviewer")
    good_dir = app.config["RECORDINGS_DIR"]
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the recordings folder should be")
    app.config["RECORDINGS_DIR"] = str(blocker / "recordings")
    audio = wav_bytes(freq=350)

    response = upload(client, [(audio, "call.wav")])
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "call.wav was not stored: The recording storage cannot be written to" in html
    assert "Nothing was stored; try again" in html
    pushed = push(client, api_auth, audio, lead_external_id="crm-new")
    assert pushed.status_code == 503
    assert "The recording storage cannot be written to" in pushed.get_json()["message"]
    assert db.session.scalar(select(func.count(Lead.id))) == 0  # the lead was not kept either
    app.config["RECORDINGS_DIR"] = good_dir
    assert_intact(app, earlier)

    retried = upload(client, [(audio, "call.wav")])
    assert retried.status_code == 302
    assert db.session.scalar(select(func.count(Call.id))) == 2


def test_storage_failing_after_the_copy_leaves_no_file_behind(
    app: Flask, client, login, earlier  # type: ignore[no-untyped-def]
) -> None:
    """The file is received, but its folder cannot be made: the received copy goes too."""
    login.as_role("reviewer")
    audio = wav_bytes(freq=375)
    blocker = Path(app.config["RECORDINGS_DIR"]) / hashlib.sha256(audio).hexdigest()[:2]
    blocker.write_text("a file where the recording's folder should be")
    before = stored_files(app)

    response = upload(client, [(audio, "call.wav")])
    assert response.status_code == 400
    assert "call.wav was not stored: The recording storage cannot be written to" in (
        response.get_data(as_text=True)
    )
    assert stored_files(app) == before  # no received copy (".incoming-*.part") is left
    assert_intact(app, earlier)

    blocker.unlink()
    assert upload(client, [(audio, "call.wav")]).status_code == 302
    assert db.session.scalar(select(func.count(Call.id))) == 2


@contextmanager
def file_size_limit(limit: int) -> Iterator[None]:
    """Writes past ``limit`` bytes fail with EFBIG in this process, as on a full disk."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write, do not kill us
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def test_storage_filling_up_mid_file_leaves_nothing_and_can_be_retried(
    app: Flask, client, login, earlier  # type: ignore[no-untyped-def]
) -> None:
    login.as_role("reviewer")
    audio = wav_bytes(3.0, freq=390)  # 96 KB: under werkzeug's in-memory spooling size
    before = stored_files(app)
    with file_size_limit(64 * KB):
        response = upload(client, [(audio, "call.wav")])
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "call.wav was not stored: The recording storage cannot be written to (File too" in html
    assert stored_files(app) == before
    assert_intact(app, earlier)
    assert upload(client, [(audio, "call.wav")]).status_code == 302


def test_the_same_file_twice_makes_one_call(
    app: Flask, client, login, earlier  # type: ignore[no-untyped-def]
) -> None:
    login.as_role("reviewer")
    audio = wav_bytes(freq=600)
    first = upload(client, [(audio, "call.wav")])  # a double click sends the form twice
    second = upload(client, [(audio, "call.wav")])
    assert first.status_code == 302
    assert second.status_code == 400
    new_id = int(first.headers["Location"].rsplit("/", 1)[1])
    assert f"call.wav was already uploaded as call #{new_id}" in second.get_data(as_text=True)
    same_batch = upload(client, [(wav_bytes(freq=650), "a.wav"), (wav_bytes(freq=650), "b.wav")])
    assert same_batch.status_code == 302
    assert "b.wav was not stored: b.wav was already uploaded as call #" in page(client)
    assert_intact(app, earlier, calls=3)


# --- Hostile input: the upload form -------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "a\x00b"}, "Title: contains control characters."),
        ({"title": "\x1b[31mred"}, "Title: contains control characters."),
        ({"title": "x" * 201}, "Field cannot be longer than 200 characters."),
        ({"new_agent": "Анна\x00"}, "…or a new agent: contains control characters."),
        ({"new_agent": "Анна\nПетрова"}, "…or a new agent: must be a single line."),
        ({"new_agent": "x" * 121}, "Field cannot be longer than 120 characters."),
        ({"phone": "+7916\x00"}, "Digits, spaces, + ( ) - only."),
        ({"phone": "+7 916"}, "Customer phone: not a valid phone number: +7 916"),
        ({"phone": "1" * 33}, "Field cannot be longer than 32 characters."),
        ({"lead": "crm\x00"}, "Lead (CRM id or number): contains control characters."),
        ({"lead": "x" * 121}, "Field cannot be longer than 120 characters."),
        ({"lead": "no-such-lead"}, "No lead with the id no-such-lead."),
        ({"called_at": "2026-13-45T10:00"}, "Not a valid datetime value."),
        ({"called_at": "yesterday"}, "Not a valid datetime value."),
        ({"called_at": "0001-01-01T00:00"}, "Call time: the year must be between 1900 and 2200."),
        ({"called_at": "9999-12-31T23:59"}, "Call time: the year must be between 1900 and 2200."),
        ({"agent_channel": "middle"}, "Not a valid choice."),
        ({"agent_channel": "left\x00"}, "Not a valid choice."),
        ({"language": "Russian"}, "Not a valid choice."),
        ({"agent": "99999"}, "Not a valid choice."),
        ({"campaign": "99999"}, "Not a valid choice."),
    ],
)
def test_upload_form_refuses_bad_fields(
    app: Flask, client, login, earlier, fields: dict[str, str], message: str  # type: ignore[no-untyped-def]
) -> None:
    login.as_role("reviewer")
    files_before = stored_files(app)
    response = upload(client, [(wav_bytes(freq=700), "call.wav")], **fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert_intact(app, earlier)
    assert stored_files(app) == files_before


CORRUPT = (AUDIO / "corrupt.ogg").read_bytes()
NOT_MP3 = (AUDIO / "not_audio.mp3").read_bytes()
NOT_AUDIO = b"<!doctype html><html><body><script>alert(1)</script></body></html>" * 20


@pytest.mark.parametrize(
    ("body", "name", "reason"),
    [
        (b"meeting notes" * 20, "notes.txt", "notes.txt is not an audio file name"),
        (wav_with_script(), "complaint.html", "complaint.html is not an audio file name"),
        (wav_bytes(), "call.wav.exe", "call.wav.exe is not an audio file name"),
        (wav_bytes(), "no-extension", "no-extension is not an audio file name"),
        (NOT_AUDIO, "page.wav", "page.wav is not a readable audio file"),
        (b"", "empty.wav", "empty.wav is empty."),
        (CORRUPT, "corrupt.ogg", "corrupt.ogg is not a readable audio"),
        (NOT_MP3, "not_audio.mp3", "not a readable audio file"),
        (wav_bytes(), "x" * 300 + ".wav", "the file name is longer than 255 characters"),
    ],
)
def test_upload_refuses_bad_files_and_keeps_the_good_one(
    app: Flask, client, login, earlier, body: bytes, name: str, reason: str  # type: ignore[no-untyped-def]
) -> None:
    login.as_role("reviewer")
    files_before = stored_files(app)
    alone = upload(client, [(body, name)])
    assert alone.status_code == 400
    assert reason in alone.get_data(as_text=True)
    assert_intact(app, earlier)
    assert stored_files(app) == files_before

    response = upload(client, [(body, name), (wav_bytes(freq=800), "good.wav")])
    assert response.status_code == 302
    html = page(client)
    assert " was not stored: " in html
    assert reason in html
    assert_intact(app, earlier, calls=2)
    assert len(stored_files(app)) == len(files_before) + 1


# --- Hostile input: the API push ----------------------------------------------------------------

REFUSED_BY_THE_INTAKE = {
    "phone: not a valid phone number: not a phone",
    "phone: at most 32 characters.",
    "campaign: no campaign named No such campaign.",
}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"phone": "+7916\x00"}, "phone: contains control characters."),
        ({"phone": "not a phone"}, "phone: not a valid phone number: not a phone"),
        ({"phone": "1" * 40}, "phone: at most 32 characters."),
        ({"called_at": "yesterday-ish"}, "called_at: not a date and time."),
        ({"called_at": "2026-02-30 10:00"}, "called_at: not a date and time."),
        ({"called_at": "2026-04-01\x00"}, "called_at: contains control characters."),
        ({"called_at": "0001-01-01T00:00"}, "called_at: the year must be between 1900 and 2200."),
        ({"called_at": "0001-06-01T12:00"}, "called_at: the year must be between 1900 and 2200."),
        ({"called_at": "9999-12-31T23:59"}, "called_at: the year must be between 1900 and 2200."),
        ({"agent": "Анна\x00"}, "agent: contains control characters."),
        ({"agent": "x" * 121}, "agent: at most 120 characters."),
        ({"agent_channel": "middle"}, "agent_channel: must be one of left, right, none."),
        ({"agent_channel": "\x1b"}, "agent_channel: contains control characters."),
        ({"campaign": "Весна\x00"}, "campaign: contains control characters."),
        ({"campaign": "No such campaign"}, "campaign: no campaign named No such campaign."),
        ({"utm_source": "y" * 121}, "utm_source: at most 120 characters."),
        ({"utm_campaign": "a\nb"}, "utm_campaign: must be a single line."),
        ({"lead_external_id": "CT\x00"}, "lead_external_id: contains control characters."),
        ({"lead_external_id": "x" * 121}, "lead_external_id: at most 120 characters."),
        ({"language": "Russian"}, "language: expected a code such as ru or en."),
        ({"title": "\x07"}, "title: contains control characters."),
        ({"title": "x" * 201}, "title: at most 200 characters."),
    ],
)
def test_api_push_refuses_bad_fields(
    app: Flask, client, api_auth, earlier, fields: dict[str, str], message: str  # type: ignore[no-untyped-def]
) -> None:
    files_before = stored_files(app)
    response = push(client, api_auth, wav_bytes(freq=900), **{"lead_external_id": "CT-1", **fields})
    # The API's schema refuses a malformed field (422); the intake refuses what only it can
    # judge, a phone number that does not parse or a campaign that does not exist (400).
    assert response.status_code == (400 if message in REFUSED_BY_THE_INTAKE else 422)
    assert message in response.get_json()["message"]
    assert_intact(app, earlier)
    assert db.session.scalar(select(func.count(Lead.id))) == 0
    assert stored_files(app) == files_before


@pytest.mark.parametrize(
    ("body", "name", "reason"),
    [
        (wav_with_script(), "complaint.html", "complaint.html is not an audio file name"),
        (NOT_AUDIO, "page.wav", "page.wav is not a readable audio file"),
        (b"", "empty.wav", "empty.wav is empty."),
        (CORRUPT, "corrupt.ogg", "corrupt.ogg is not a readable audio"),
        (wav_bytes(), "bad\x00name.wav", "file: contains control characters."),
        (wav_bytes(40), "long.wav", "long.wav is larger than the limit of 1 MB per recording."),
    ],
)
def test_api_push_refuses_bad_files(
    app: Flask, client, api_auth, earlier, body: bytes, name: str, reason: str  # type: ignore[no-untyped-def]
) -> None:
    app.config["MAX_RECORDING_BYTES"] = 1 * MB
    files_before = stored_files(app)
    response = push(client, api_auth, body, name, lead_external_id="CT-2")
    # The schema refuses an unreadable file name (422); the intake judges the file itself (400).
    assert response.status_code == (422 if reason.startswith("file:") else 400)
    assert reason in response.get_json()["message"]
    assert_intact(app, earlier)
    assert db.session.scalar(select(func.count(Lead.id))) == 0
    assert stored_files(app) == files_before


# --- Serving recordings ---------------------------------------------------------------------------


def test_recording_is_served_as_its_probed_audio_type_never_as_a_page(
    app: Flask, client, login, fake_engine  # type: ignore[no-untyped-def]
) -> None:
    login.as_role("reviewer")
    audio = wav_with_script()
    # A WAV named .mp3 is taken (the name is an audio name) but served as what it is.
    response = upload(client, [(audio, "complaint.mp3")])
    assert response.status_code == 302
    call = db.session.scalar(select(Call))
    assert call.audio_format == "wav"
    assert "complaint" not in call.recording_path
    assert call.recording_path.endswith(".wav")

    served = client.get(f"/calls/{call.id}/recording")
    assert served.status_code == 200
    assert served.data == audio
    assert served.headers["Content-Type"] == "audio/wav"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"] == f"attachment; filename=call-{call.id}.wav"
    part = client.get(f"/calls/{call.id}/recording", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206
    assert part.data == audio[:100]
    assert part.headers["Content-Type"] == "audio/wav"
    assert part.headers["X-Content-Type-Options"] == "nosniff"


def test_a_recording_stored_under_an_html_name_is_still_served_as_audio(
    app: Flask, client, login  # type: ignore[no-untyped-def]
) -> None:
    """Calls stored before generated names keep their path; the content decides the type."""
    login.as_role("admin")
    folder = Path(app.config["RECORDINGS_DIR"]) / "cd"
    folder.mkdir(parents=True)
    (folder / "complaint.html").write_bytes(wav_with_script())
    (folder / "page.wav").write_bytes(NOT_AUDIO)
    legacy = factories.make_call(recording_path="cd/complaint.html",
                                 original_filename="complaint.html")
    not_audio = factories.make_call(recording_path="cd/page.wav", original_filename="page.wav")
    db.session.commit()

    served = client.get(f"/calls/{legacy.id}/recording")
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "audio/wav"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"].startswith("attachment;")
    assert client.get(f"/calls/{not_audio.id}/recording").status_code == 404


# --- Roles --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "may_upload"),
    [("admin", True), ("qa_lead", True), ("reviewer", True), ("marketing", False)],
)
def test_upload_and_recording_routes_by_role(
    app: Flask, client, login, earlier, role: str, may_upload: bool  # type: ignore[no-untyped-def]
) -> None:
    login.as_role(role)
    assert client.get("/calls/upload").status_code == (200 if may_upload else 403)
    response = upload(client, [(wav_bytes(freq=1000), "call.wav")])
    assert response.status_code == (302 if may_upload else 403)
    assert db.session.scalar(select(func.count(Call.id))) == (2 if may_upload else 1)
    # Everyone who may see calls may listen to them.
    served = client.get(f"/calls/{earlier['id']}/recording")
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "audio/wav"


def test_upload_and_recording_need_a_login(client, earlier) -> None:  # type: ignore[no-untyped-def]
    for response in (
        client.get("/calls/upload"),
        upload(client, [(wav_bytes(freq=1100), "call.wav")]),
        client.get(f"/calls/{earlier['id']}/recording"),
    ):
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    assert db.session.scalar(select(func.count(Call.id))) == 1
