"""Redaction of personal data in the app: who sees originals, every way out of the app shows the
redacted text to everyone else, the job stores spans, ``qa redact --calls`` and the recording."""

from __future__ import annotations

import io
import json
import shutil
import wave
from pathlib import Path

import numpy as np
import pytest
from flask import Flask
from sqlalchemy import select

from privacy.audio import decode_pcm16
from qa.cli import main
from qa.extensions import db
from qa.models import AuditEvent, Call, CompanySettings
from qa.services.admin import api_tokens
from qa.services.admin.settings import company_settings, update_redaction
from qa.services.calls.jobs import enqueue_transcription
from qa.services.calls.redaction import redact_call
from qa.services.calls.transcripts import correct_segment
from qa.services.errors import ValidationFailed
from tests.web import factories
from tests.web.test_jobs import AUDIO, RU_STEREO, ingest, run_transcription_job
from transcription import FakeTranscriber, Segment, Word

SAID = "Меня зовут Анна, мой телефон +7 921 404 11 87, перезвоните."
PHONE = "+7 921 404 11 87"


@pytest.fixture(autouse=True)
def english(client):  # type: ignore[no-untyped-def]
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def redacting(*, keep: bool = True, roles: tuple[str, ...] = ("admin", "qa_lead")) -> None:
    """Redaction on, stored calls left as they are (saving the settings through the service
    would redact them all at once: tested on its own below)."""
    settings = company_settings()
    settings.redact_transcripts = True
    settings.keep_originals = keep
    settings.original_roles = list(roles)
    db.session.commit()


def stored_call(**overrides: object) -> Call:
    call = factories.make_call(status="transcribed", title="Звонок", **overrides)
    factories.make_segment(call, speaker="agent", start=0.0, end=1.5, text="Добрый день.")
    factories.make_segment(call, speaker="customer", start=2.0, end=6.0, text=SAID, channel=1)
    db.session.commit()
    return call


def views(obj_type: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "view", AuditEvent.object_type == obj_type
            )
        )
    )


# --- who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "roles", "sees_original"),
    [
        ("admin", ("admin", "qa_lead"), True),
        ("qa_lead", ("admin", "qa_lead"), True),
        ("reviewer", ("admin", "qa_lead"), False),
        ("marketing", ("admin", "qa_lead"), False),
        ("reviewer", ("reviewer",), True),
        ("qa_lead", ("reviewer",), False),
    ],
)
def test_each_role_sees_redacted_or_original_as_set(
    app: Flask, client, login, role: str, roles: tuple[str, ...], sees_original: bool
) -> None:
    call = stored_call()
    redacting(roles=roles)
    redact_call(call, audio=False)
    db.session.commit()
    login.as_role(role)
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "[PHONE]" in page
    assert PHONE not in page
    assert ('id="show-original"' in page) == sees_original
    assert not views("call_original_transcript")
    page = client.get(f"/calls/{call.id}?original=1").get_data(as_text=True)
    assert (PHONE in page) == sees_original
    assert ("[PHONE]" not in page) == sees_original
    shown = views("call_original_transcript")
    assert len(shown) == (1 if sees_original else 0)
    if sees_original:
        assert 'id="showing-original"' in page
        assert shown[0].object_id == call.id
        assert shown[0].actor_email.startswith(role)


def test_without_redaction_everyone_sees_the_text_and_no_original_view_is_recorded(
    client, login
) -> None:
    call = stored_call()
    login.as_role("reviewer")
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert PHONE in page
    assert "redaction-bar" not in page
    assert not views("call_original_transcript")


def test_a_hidden_line_cannot_be_opened_or_edited_by_whom_it_is_hidden_from(client, login) -> None:
    call = stored_call()
    redacting()
    line = call.segments[1]
    login.as_role("reviewer")
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert f'id="edit-{line.id}"' not in page
    assert f'id="edit-{call.segments[0].id}"' in page  # a line with nothing hidden stays editable
    assert client.get(f"/calls/{call.id}/segments/{line.id}").status_code == 403
    response = client.post(f"/calls/{call.id}/segments/{line.id}", data={"text": "стёрто"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(type(line), line.id).text == SAID  # type: ignore[union-attr]
    login.logout()
    login.as_role("qa_lead")
    page = client.get(f"/calls/{call.id}/segments/{line.id}").get_data(as_text=True)
    assert PHONE in page
    assert [e.details.get("line") for e in views("call_original_transcript")] == [line.id]


# --- exports, search, API ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["txt", "srt", "vtt", "json"])
def test_exports_are_redacted_unless_an_allowed_role_asks_for_the_original(
    client, login, fmt: str
) -> None:
    call = stored_call()
    redacting()
    login.as_role("reviewer")
    body = client.get(f"/calls/{call.id}/transcript.{fmt}?original=1").get_data(as_text=True)
    assert "[PHONE]" in body
    assert PHONE not in body
    assert "Анна" not in body
    login.logout()
    login.as_role("qa_lead")
    body = client.get(f"/calls/{call.id}/transcript.{fmt}").get_data(as_text=True)
    assert "[PHONE]" in body
    assert PHONE not in body
    assert not views("call_original_transcript")
    body = client.get(f"/calls/{call.id}/transcript.{fmt}?original=1").get_data(as_text=True)
    assert PHONE in body
    assert [e.details.get("export") for e in views("call_original_transcript")] == [fmt]


def test_search_of_a_hidden_value_finds_nothing_for_whom_it_is_hidden(client, login) -> None:
    call = stored_call()
    redacting()
    redact_call(call, audio=False)
    db.session.commit()
    login.as_role("reviewer")
    page = client.get("/search/?text=Анна").get_data(as_text=True)
    assert f"/calls/{call.id}" not in page
    page = client.get("/search/?text=перезвоните").get_data(as_text=True)
    assert f"/calls/{call.id}" in page
    assert "[PERSON]" in page
    assert "Анна" not in page
    login.logout()
    login.as_role("admin")
    page = client.get("/search/?text=Анна").get_data(as_text=True)
    assert f"/calls/{call.id}" in page
    assert [e.details.get("search") for e in views("call_original_transcript")] == ["Анна"]


def test_search_of_a_call_never_redacted_is_redacted_on_the_fly(client, login) -> None:
    call = stored_call()  # transcribed before redaction was switched on; not yet re-run
    redacting()
    login.as_role("reviewer")
    assert f"/calls/{call.id}" not in client.get("/search/?text=Анна").get_data(as_text=True)
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "[PHONE]" in page
    assert PHONE not in page


def test_the_api_gives_the_redacted_text(client) -> None:
    call = stored_call()
    _row, token = api_tokens.create_token("PBX", None)
    redacting()
    body = client.get(f"/api/v1/calls/{call.id}", headers={"Authorization": f"Bearer {token}"})
    texts = [s["text"] for s in body.get_json()["segments"]]
    assert texts[1] == "Меня зовут [PERSON], мой телефон [PHONE], перезвоните."


def test_the_analysis_reads_the_redacted_text_and_flags_land_on_the_original(client, login) -> None:
    call = factories.make_call(status="transcribed")
    factories.make_segment(
        call,
        speaker="customer",
        text="Меня зовут Анна Петрова, это слишком дорого для меня.",
    )
    db.session.commit()
    redacting()
    from qa.services.calls.transcripts import reanalyse

    reanalyse(call)
    db.session.commit()
    flags = [f for f in call.findings if f.label == "price"]
    assert flags
    assert all("Анна" not in f.text for f in flags)
    login.as_role("admin")
    page = client.get(f"/calls/{call.id}?original=1").get_data(as_text=True)
    marked = page.split('<mark class="flag flag-price"', 1)[1].split("</mark>", 1)[0]
    assert "дорого" in marked
    assert "Анна" not in marked


# --- storing: the job, originals dropped, qa redact --calls ----------------------------------


def said_times() -> list[tuple[float, float]]:
    """Each word of SAID: 0.35 s long, one every 0.4 s from 3 s."""
    return [(3.0 + 0.4 * i, 3.0 + 0.4 * i + 0.35) for i in range(len(SAID.split()))]


def canned() -> FakeTranscriber:
    """The agent's greeting, then the customer saying SAID on the right channel, word times."""
    words, times = SAID.split(), said_times()
    spoken = Segment(
        "customer",
        3.0,
        times[-1][1],
        SAID,
        words=tuple(Word(s, e, " " + w, 0.9) for w, (s, e) in zip(words, times, strict=True)),
        channel=1,
    )
    return FakeTranscriber([Segment("agent", 0.5, 2.5, "Добрый день.", channel=0), spoken])


def test_the_job_stores_spans_with_word_times_and_a_redacted_recording(app: Flask) -> None:
    redacting()
    call = ingest(RU_STEREO, agent_channel="left")
    job = enqueue_transcription(call, dispatch=False)
    db.session.commit()
    assert run_transcription_job(job.id, transcriber=canned()).status == "done"
    db.session.expire_all()
    line = call.segments[1]
    assert line.text == SAID  # originals kept
    assert line.redacted_text == "Меня зовут [PERSON], мой телефон [PHONE], перезвоните."
    phone = next(s for s in line.pii_spans if s["type"] == "PHONE")
    assert SAID[phone["start"] : phone["end"]] == PHONE
    words, times = SAID.split(), said_times()
    first = words.index("+7")
    last = words.index("87,")
    assert (phone["time_start"], phone["time_end"]) == (
        pytest.approx(times[first][0]),
        pytest.approx(times[last][1]),
    )
    assert phone["channel"] == 1
    assert call.segments[0].pii_spans == []
    assert call.segments[0].redacted_text == "Добрый день."
    # The redacted copy: the values beeped on the customer's channel only.
    root = Path(app.config["RECORDINGS_DIR"])
    original, rate = decode_pcm16(root / call.recording_path)
    copy, copy_rate = decode_pcm16(root / call.redacted_recording_path)
    assert copy_rate == rate
    assert copy.shape == original.shape
    assert np.array_equal(copy[0], original[0])
    changed = np.flatnonzero(copy[1] != original[1])
    spans = sorted((s["time_start"], s["time_end"]) for s in line.pii_spans)
    assert changed.size
    for index in (changed.min(), changed.max()):
        assert any(int(a * rate) - 1 <= index <= int(b * rate) + 1 for a, b in spans)


def test_without_originals_the_text_is_replaced_and_the_spans_kept(app: Flask, client, login):
    call = stored_call()
    line = call.segments[1]
    redacting(keep=False)
    assert redact_call(call, audio=False) == 2
    db.session.commit()
    db.session.expire_all()
    assert line.text == line.redacted_text == line.machine_text
    assert PHONE not in line.text
    assert [s["type"] for s in line.pii_spans] == ["PERSON", "PHONE"]
    assert redact_call(call, audio=False) == 2  # again: the spans are kept, not found anew
    assert [s["type"] for s in line.pii_spans] == ["PERSON", "PHONE"]
    login.as_role("admin")
    page = client.get(f"/calls/{call.id}?original=1").get_data(as_text=True)
    assert PHONE not in page
    assert "[PHONE]" in page
    # A correction drops the placeholders from the text; the recording keeps the values' times.
    times = sorted((s["time_start"], s["time_end"]) for s in line.pii_spans)
    correct_segment(line, "Перезвоните, пожалуйста.", None)
    db.session.commit()
    assert line.text == "Перезвоните, пожалуйста."
    assert sorted((s["time_start"], s["time_end"]) for s in line.pii_spans) == times
    assert all(s["start"] is None for s in line.pii_spans)


def test_a_line_is_read_after_the_question_it_answers(app: Flask) -> None:
    # Eleven digits with no cue and a failing checksum: a СНИЛС only as the answer to the
    # agent's question; the same line in another call, after a greeting, is left as it is.
    answer = "seven seven one two zero four eight three nine five six"
    asked, greeted = (factories.make_call(status="transcribed", language="en") for _ in "ab")
    for call, before in ((asked, "Thank you. And your SNILS?"), (greeted, "Good morning.")):
        factories.make_segment(call, speaker="agent", start=0.0, end=1.5, text=before)
        factories.make_segment(call, speaker="customer", start=2.0, end=6.0, text=answer, channel=1)
    db.session.commit()
    redacting(keep=False)
    assert redact_call(asked, audio=False) == 1
    assert redact_call(greeted, audio=False) == 0
    db.session.commit()
    assert asked.segments[1].text == "[SNILS]"
    assert greeted.segments[1].text == answer
    # Again: the redacted question and the kept spans give the same result.
    assert redact_call(asked, audio=False) == 1
    assert asked.segments[1].text == "[SNILS]"


def test_switching_redaction_on_redacts_every_stored_call_in_the_background(app: Flask) -> None:
    """The settings change queues one task (run at once here, as a worker would) that redacts
    each stored transcript; switching it off queues nothing."""
    call, other = stored_call(), stored_call()
    update_redaction(enabled=False, keep_originals=True, roles=["admin"])
    db.session.commit()
    db.session.expire_all()
    assert call.segments[1].pii_spans is None
    update_redaction(enabled=True, keep_originals=True, roles=["admin", "qa_lead"])
    db.session.commit()
    db.session.expire_all()
    for stored in (call, other):
        assert stored.segments[1].redacted_text is not None
        assert PHONE not in stored.segments[1].redacted_text
        assert {span["type"] for span in stored.segments[1].pii_spans} >= {"PHONE"}


def test_qa_redact_calls_is_idempotent(app: Flask, runner) -> None:
    call = stored_call()
    other = stored_call()
    result = runner.invoke(main, ["redact", "--calls", "--all"])
    assert result.exit_code != 0
    assert "off" in result.output
    redacting()
    result = runner.invoke(main, ["redact", "--calls", "--call", str(call.id)])
    assert result.exit_code == 0, result.output
    assert f"Call #{call.id}: 2 value(s) redacted" in result.output
    db.session.expire_all()
    assert other.segments[1].pii_spans is None
    first = runner.invoke(main, ["redact", "--calls", "--all"])
    assert first.exit_code == 0, first.output
    db.session.expire_all()
    state = [
        (s.id, s.text, s.redacted_text, json.dumps(s.pii_spans))
        for c in (call, other)
        for s in c.segments
    ]
    findings = [(f.label, f.text) for f in call.findings]
    second = runner.invoke(main, ["redact", "--calls", "--all"])
    assert second.output == first.output
    db.session.expire_all()
    assert state == [
        (s.id, s.text, s.redacted_text, json.dumps(s.pii_spans))
        for c in (call, other)
        for s in c.segments
    ]
    assert findings == [(f.label, f.text) for f in call.findings]
    missing = runner.invoke(main, ["redact", "--calls", "--call", "999999"])
    assert missing.exit_code == 1
    assert "no such call" in missing.output
    assert runner.invoke(main, ["redact", "--calls"]).exit_code == 2  # neither --call nor --all


# --- the recording -------------------------------------------------------------------------


def _stereo_recording(app: Flask, call: Call) -> Path:
    target = Path(app.config["RECORDINGS_DIR"]) / call.recording_path
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(AUDIO / RU_STEREO, target)
    return target


def redacted_stereo_call(app: Flask, *, keep: bool = True) -> tuple[Call, Path]:
    """A transcribed stereo call with its recording, redacted and committed; returns the call
    and the original recording's path."""
    call = stored_call(channels=2, agent_channel="left", audio_format="wav")
    path = _stereo_recording(app, call)
    redacting(keep=keep)
    redact_call(call)
    db.session.commit()
    return call, path


def test_the_player_serves_the_redacted_copy_and_records_views_of_the_original(
    app: Flask, client, login
) -> None:
    call, path = redacted_stereo_call(app)
    assert call.redacted_recording_path
    login.as_role("reviewer")
    heard = client.get(f"/calls/{call.id}/recording?original=1")
    assert heard.status_code == 200
    assert heard.mimetype == "audio/wav"
    with wave.open(io.BytesIO(heard.data)) as played:
        assert played.getnchannels() == 2
    assert heard.data != path.read_bytes()
    assert not views("call_original_recording")
    login.logout()
    login.as_role("qa_lead")
    assert client.get(f"/calls/{call.id}/recording").data == heard.data
    original = client.get(f"/calls/{call.id}/recording?original=1")
    assert original.data == path.read_bytes()
    assert len(views("call_original_recording")) == 1


def test_a_call_not_yet_redacted_has_no_recording_for_whom_originals_are_hidden(
    app: Flask, client, login
) -> None:
    call = stored_call(channels=2, audio_format="wav")
    _stereo_recording(app, call)
    redacting()
    login.as_role("reviewer")
    waiting = client.get(f"/calls/{call.id}/recording")
    assert waiting.status_code == 409  # not yet, rather than not found
    assert "being redacted" in waiting.get_data(as_text=True)


# --- settings ---------------------------------------------------------------------------------


def test_the_settings_page_stores_the_redaction_settings(client, login) -> None:
    login.as_role("admin")
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Redact personal data in transcripts" in page
    form = {
        "name": "Shop",
        "timezone": "Europe/Moscow",
        "currency": "RUB",
        "phone_region": "RU",
        "lead_link_window_hours": "24",
        "redact_transcripts": "y",
        "original_roles": ["admin", "reviewer"],
    }
    assert client.post("/admin/settings", data=form).status_code == 302
    settings = db.session.get(CompanySettings, 1)
    db.session.refresh(settings)
    assert (settings.redact_transcripts, settings.keep_originals) == (True, False)
    assert settings.original_roles == ["admin", "reviewer"]
    hostile = {**form, "original_roles": ["admin", "root\x00"]}
    assert client.post("/admin/settings", data=hostile).status_code == 400
    db.session.refresh(settings)
    assert settings.original_roles == ["admin", "reviewer"]


@pytest.mark.parametrize("roles", [["root"], ["admin\x00"], [None], [["admin"]], ["x" * 5000]])
def test_unknown_roles_are_refused_by_the_service(app: Flask, roles: list[object]) -> None:
    company_settings()
    with pytest.raises(ValidationFailed, match="Unknown role"):
        update_redaction(enabled=True, keep_originals=True, roles=roles)


def test_the_tracker_try_out_reads_the_redacted_text(app: Flask) -> None:
    from qa.services.calls.trackers import try_phrases

    stored_call()
    redacting()
    result = try_phrases(lang="ru", said_by="customer", phrases=["перезвоните"])
    assert [hit.match.lower() for hit in result.hits] == ["перезвоните"]
    assert "[PHONE]" in result.hits[0].before
    assert PHONE not in result.hits[0].before


def test_retention_deletes_redacted_copies_when_due_and_keeps_the_rest(app: Flask) -> None:
    """The redacted text and recording go after their own period; the original stays."""
    from datetime import date, datetime

    from qa.services.privacy.retention import run_retention

    old = stored_call(
        channels=2, agent_channel="left", audio_format="wav", called_at=datetime(2026, 1, 10, 9, 0)
    )
    recent = stored_call(
        channels=2, agent_channel="left", audio_format="wav", called_at=datetime(2026, 2, 25, 9, 0)
    )
    originals = [_stereo_recording(app, call) for call in (old, recent)]
    redacting()
    for call in (old, recent):
        redact_call(call)
    company_settings().redacted_retention_days = 30
    db.session.commit()
    copies = [Path(app.config["RECORDINGS_DIR"]) / c.redacted_recording_path for c in (old, recent)]
    assert all(copy.exists() for copy in copies)

    run = run_retention(today=date(2026, 3, 1))
    db.session.commit()

    assert run.removed.redacted_copies == 1
    assert old.redacted_recording_path is None
    assert not copies[0].exists()
    assert all(s.redacted_text is None and s.pii_spans is None for s in old.segments)
    assert recent.redacted_recording_path
    assert copies[1].exists()
    assert any(s.redacted_text for s in recent.segments)
    assert all(path.exists() for path in originals)  # recordings have no period set


def test_deletion_on_request_removes_the_redacted_recording_too(app: Flask) -> None:
    from qa.services.privacy.anonymise import anonymise_call

    call, original = redacted_stereo_call(app)
    copy = Path(app.config["RECORDINGS_DIR"]) / call.redacted_recording_path
    assert copy.exists()
    anonymise_call(call)
    db.session.commit()
    assert not copy.exists()
    assert not original.exists()
    assert call.redacted_recording_path is None
