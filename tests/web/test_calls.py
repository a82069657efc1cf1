"""Calls list (filters, sorting, counts, pagination), upload, job status, cancel/retry, audio."""

from __future__ import annotations

import io
import math
import struct
import wave
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from qa.extensions import db
from qa.models import (
    Call,
    Finding,
    Review,
    ReviewAssignment,
    ScorecardTemplate,
    ScorecardVersion,
    TranscriptionJob,
)
from tests.web import factories


@pytest.fixture(autouse=True)
def english(client):  # type: ignore[no-untyped-def]
    """Assertions read the English UI whatever the catalogs hold."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def wav_bytes(
    seconds: float = 1.0, channels: int = 2, rate: int = 8000, freq: float = 440.0
) -> bytes:
    """A short tone as 16-bit PCM WAV (left and right differ, so it is real stereo)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = bytearray()
        for n in range(int(seconds * rate)):
            for ch in range(channels):
                value = int(8000 * math.sin(2 * math.pi * (freq + 110 * ch) * n / rate))
                frames += struct.pack("<h", value)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


@pytest.fixture
def fake_engine(app):  # type: ignore[no-untyped-def]
    """Canned transcripts: these tests assert nothing about speech recognition."""
    app.config["WHISPER_ENGINE"] = "fake"
    return app


def _finding(call: Call, label: str) -> Finding:
    finding = Finding(call=call, label=label, text="x", time_start=1.0, time_end=2.0)
    db.session.add(finding)
    return finding


def _review(call: Call, reviewer) -> Review:  # type: ignore[no-untyped-def]
    template = ScorecardTemplate(name=f"Card {call.id}")
    version = ScorecardVersion(template=template, number=1, definition={"sections": []})
    review = Review(call=call, scorecard_version=version, reviewer=reviewer, score=80.0)
    db.session.add_all([template, version, review])
    return review


def _rows(html: str) -> int:
    return html.count("<tr data-call-id=")


def test_list_filters_counts_and_sorting(client, login) -> None:
    me = login.as_role("reviewer")
    anna, boris = factories.make_agent(name="Анна"), factories.make_agent(name="Борис")
    spring = factories.make_campaign(name="Весна")
    price = factories.make_call(
        title="Price call",
        agent=anna,
        campaign=spring,
        status="transcribed",
        duration=300,
        called_at=datetime(2026, 3, 10, 12, 0),
    )
    _finding(price, "price")
    assortment = factories.make_call(
        title="Assortment call",
        agent=boris,
        status="transcribed",
        duration=60,
        called_at=datetime(2026, 4, 2, 9, 30),
    )
    _finding(assortment, "assortment")
    failed = factories.make_call(
        title="Broken call",
        agent=anna,
        status="failed",
        error="Not audio",
        called_at=datetime(2026, 4, 5, 9, 0),
    )
    _review(assortment, me)
    db.session.add(ReviewAssignment(call=failed, reviewer_id=me.id, status="open"))
    db.session.commit()

    html = client.get("/calls/").get_data(as_text=True)
    assert _rows(html) == 3
    assert 'id="calls-total">3<' in html

    def titles(query: str) -> list[str]:
        page = client.get(f"/calls/?{query}")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        return [t for t in ("Price call", "Assortment call", "Broken call") if t in text]

    assert titles(f"agent={anna.id}") == ["Price call", "Broken call"]
    assert titles(f"campaign={spring.id}") == ["Price call"]
    assert titles("status=failed") == ["Broken call"]
    assert titles("flag=price") == ["Price call"]
    assert titles("flag=assortment") == ["Assortment call"]
    assert titles("flag=none") == ["Broken call"]
    assert titles("reviewed=yes") == ["Assortment call"]
    assert titles("reviewed=no") == ["Price call", "Broken call"]
    assert titles("mine=y") == ["Broken call"]
    assert titles("date_from=2026-04-01&date_to=2026-04-04") == ["Assortment call"]
    assert titles("q=broken") == ["Broken call"]

    # Counts per status ignore the status filter but honour the others.
    html = client.get(f"/calls/?agent={anna.id}&status=failed").get_data(as_text=True)
    assert "Failed: 1" in html
    assert "Transcribed: 1" in html
    assert 'id="calls-total">1<' in html

    longest = client.get("/calls/?sort=longest").get_data(as_text=True)
    assert longest.index("Price call") < longest.index("Assortment call")
    shortest = client.get("/calls/?sort=shortest").get_data(as_text=True)
    assert shortest.index("Assortment call") < shortest.index("Price call")
    by_call_time = client.get("/calls/?sort=called_asc").get_data(as_text=True)
    assert by_call_time.index("Price call") < by_call_time.index("Broken call")


def test_list_rejects_bad_dates_but_still_lists(client, login) -> None:
    login.as_role("marketing")
    factories.make_call(title="Any call")
    db.session.commit()
    response = client.get("/calls/?date_from=2026-05-01&date_to=2026-04-01")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The end date is before the start date." in html
    assert "Any call" in html
    # Marketing sees calls but gets no upload or job buttons.
    assert "Upload recordings" not in html
    assert "/retry" not in html


def test_list_paginates_with_filters_kept(app, client, login) -> None:
    login.as_role("reviewer")
    agent = factories.make_agent()
    for n in range(app.config["PAGE_SIZE"] + 3):
        factories.make_call(title=f"Paged {n:02d}", agent=agent)
    factories.make_call(title="Other agent's call")
    db.session.commit()
    first = client.get(f"/calls/?agent={agent.id}").get_data(as_text=True)
    assert _rows(first) == app.config["PAGE_SIZE"]
    assert f"/calls/?page=2&amp;agent={agent.id}" in first
    second = client.get(f"/calls/?page=2&agent={agent.id}").get_data(as_text=True)
    assert _rows(second) == 3
    assert "Other agent" not in second


def test_upload_many_files_names_each_bad_file(client, login, fake_engine) -> None:
    user = login.as_role("reviewer")
    agent = factories.make_agent(name="Ирина")
    campaign = factories.make_campaign()
    lead = factories.make_lead(external_id="crm-77", phone="+79160000000")
    db.session.commit()
    response = client.post(
        "/calls/upload",
        data={
            "files": [
                (io.BytesIO(wav_bytes(1.0)), "good-one.wav"),
                (io.BytesIO(b"this is not audio at all" * 50), "notes.wav"),
                (io.BytesIO(b""), "empty.wav"),
                (io.BytesIO(wav_bytes(1.5, freq=300)), "good-two.wav"),
            ],
            "agent": str(agent.id),
            "campaign": str(campaign.id),
            "lead": "crm-77",
            "phone": "+7 916 000-00-00",
            "called_at": "2026-04-01T10:15",
            "agent_channel": "right",
            "language": "ru",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/calls/"
    html = client.get("/calls/").get_data(as_text=True)
    assert "notes.wav was not stored" in html
    assert "empty.wav was not stored" in html
    assert "empty" in html
    assert "2 recordings stored and queued for transcription." in html

    calls = db.session.scalars(select(Call).order_by(Call.id)).all()
    assert [c.original_filename for c in calls] == ["good-one.wav", "good-two.wav"]
    for call in calls:
        assert call.agent_id == agent.id
        assert call.campaign_id == campaign.id
        assert call.lead_id == lead.id
        assert call.agent_channel == "right"
        # Typed in the company's zone (Moscow, UTC+3), stored in UTC.
        assert call.called_at == datetime(2026, 4, 1, 7, 15)
        assert call.phone == "+79160000000"
        assert call.lead_link == "upload"
        assert call.uploaded_by_id == user.id
        assert call.channels == 2
        assert call.jobs, "each stored call has a transcription job"


def test_upload_one_file_opens_its_page_and_creates_agent(client, login, fake_engine) -> None:
    login.as_role("qa_lead")
    response = client.post(
        "/calls/upload",
        data={
            "files": [(io.BytesIO(wav_bytes(1.0, channels=1)), "mono.wav")],
            "new_agent": "  Новый   Агент ",
            "agent_channel": "none",
            "title": "Звонок 1",
        },
        content_type="multipart/form-data",
    )
    call = db.session.scalar(select(Call))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/calls/{call.id}"
    assert call.title == "Звонок 1"
    assert call.agent.name == "Новый Агент"
    assert call.agent_channel == "none"


def test_upload_validation_errors(client, login) -> None:
    login.as_role("reviewer")
    response = client.post(
        "/calls/upload", data={"agent_channel": "left"}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "Choose at least one recording." in response.get_data(as_text=True)

    response = client.post(
        "/calls/upload",
        data={
            "files": [(io.BytesIO(wav_bytes()), "a.wav")],
            "lead": "no-such-lead",
            "phone": "call me maybe",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Digits, spaces, + ( ) - only." in response.get_data(as_text=True)
    response = client.post(
        "/calls/upload",
        data={"files": [(io.BytesIO(wav_bytes()), "a.wav")], "lead": "no-such-lead"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "No lead with the id no-such-lead." in response.get_data(as_text=True)
    assert db.session.scalar(select(Call)) is None


def test_upload_duplicate_is_named(client, login, fake_engine) -> None:
    login.as_role("reviewer")
    audio = wav_bytes(1.0)
    for _ in range(2):
        response = client.post(
            "/calls/upload",
            data={"files": [(io.BytesIO(audio), "same.wav")]},
            content_type="multipart/form-data",
        )
    assert response.status_code == 400
    assert "already uploaded as call #" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(Call)).all()) == 1


def test_upload_is_refused_to_marketing(client, login) -> None:
    login.as_role("marketing")
    assert client.get("/calls/upload").status_code == 403


def test_status_endpoint_cancel_and_retry(client, login) -> None:
    login.as_role("reviewer")
    call = factories.make_call(status="queued")
    job = TranscriptionJob(call=call, status="queued", progress=0.25)
    db.session.add(job)
    db.session.commit()

    data = client.get(f"/calls/{call.id}/status").get_json()
    assert data["status"] == "queued"
    assert data["finished"] is False
    assert data["job"]["progress"] == 0.25

    response = client.post(f"/calls/{call.id}/cancel", data={"next": "/calls/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/calls/"
    db.session.refresh(job)
    assert job.status == "cancelled"
    assert client.get(f"/calls/{call.id}/status").get_json()["status"] == "cancelled"

    # Cancelling twice explains why nothing happened.
    client.post(f"/calls/{call.id}/cancel")
    assert "no longer queued or running" in client.get(f"/calls/{call.id}").get_data(as_text=True)

    client.post(f"/calls/{call.id}/retry")
    jobs = db.session.scalars(select(TranscriptionJob).order_by(TranscriptionJob.id)).all()
    assert [j.status for j in jobs][0] == "cancelled"
    assert len(jobs) == 2


def test_marketing_cannot_cancel(client, login) -> None:
    login.as_role("marketing")
    call = factories.make_call(status="queued")
    db.session.add(TranscriptionJob(call=call, status="queued"))
    db.session.commit()
    assert client.post(f"/calls/{call.id}/cancel").status_code == 403
    assert client.get(f"/calls/{call.id}/status").status_code == 200


def test_recording_streams_with_ranges(app, client, login, fake_engine) -> None:
    login.as_role("marketing")
    audio = wav_bytes(0.5)
    # A call stored before formats were recorded: the file is probed when served.
    folder = Path(app.config["RECORDINGS_DIR"]) / "ab"
    folder.mkdir(parents=True)
    (folder / "r.wav").write_bytes(audio)
    call = factories.make_call(recording_path="ab/r.wav", original_filename="r.wav")
    missing = factories.make_call(recording_path="ab/gone.wav")
    db.session.commit()

    whole = client.get(f"/calls/{call.id}/recording")
    assert whole.status_code == 200
    assert whole.data == audio
    assert whole.headers["Content-Type"] == "audio/wav"
    assert whole.headers["Accept-Ranges"] == "bytes"
    part = client.get(f"/calls/{call.id}/recording", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.data == audio[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(audio)}"
    assert client.get(f"/calls/{missing.id}/recording").status_code == 404


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_cancel_does_not_redirect_off_site(client, login, target: str) -> None:
    login.as_role("reviewer")
    call = factories.make_call(status="queued")
    db.session.add(TranscriptionJob(call=call, status="queued"))
    db.session.commit()

    response = client.post(f"/calls/{call.id}/cancel", data={"next": target})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/calls/{call.id}"
