"""Ad videos read for real: PyAV frames and audio, Tesseract on screen, Whisper on speech."""

from __future__ import annotations

import datetime
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from scoring.adcopy.video import audit_video
from tests.conftest import require_or_skip
from transcription import Transcriber, VideoError
from transcription.onscreen import default_reader, tessdata_dir
from transcription.video import frame_at, key_frames, probe_video, read_video

VIDEOS = Path(__file__).resolve().parents[1] / "data" / "video"
TODAY = datetime.date(2026, 12, 6)


@pytest.fixture(scope="module")
def reader():  # type: ignore[no-untyped-def]
    found = default_reader("ru")
    require_or_skip(found is not None, "tesseract-ocr with -rus and -eng is not installed")
    return found


def test_probe_describes_picture_length_and_audio() -> None:
    info = probe_video(VIDEOS / "ru_both.mp4")
    assert (info.width, info.height, info.has_audio) == (384, 216, True)
    assert 5.0 < info.duration < 7.0
    assert probe_video(VIDEOS / "en_no_audio.mov").has_audio is False
    assert probe_video(VIDEOS / "en_shown.webm").codec == "vp9"


def test_key_frames_keep_changes_and_drop_duplicates() -> None:
    frames = key_frames(VIDEOS / "ru_both.mp4")
    # Three screens: the offer, the offer with the deadline, then the deadline alone; the
    # unchanged seconds between are dropped, and each frame stands until the next one.
    assert len(frames) == 3
    assert [f.start for f in frames] == sorted(f.start for f in frames)
    assert frames[0].start == 0.0
    assert all(a.end == b.start for a, b in zip(frames, frames[1:], strict=False))
    assert frames[-1].end == pytest.approx(probe_video(VIDEOS / "ru_both.mp4").duration)
    # A busy moving background is sampled at the low rate, not at every frame.
    assert len(key_frames(VIDEOS / "ru_no_text.mp4")) <= 7


def test_screen_text_lines_carry_the_span_they_are_visible(reader) -> None:  # type: ignore[no-untyped-def]
    lines = reader.read(key_frames(VIDEOS / "ru_both.mp4"))
    by_text = {line.text: line for line in lines}
    assert set(by_text) >= {"Скидка 20% на диваны", "Только до 31 декабря", "erid: 2VtzqwXYZ1"}
    offer, deadline = by_text["Скидка 20% на диваны"], by_text["Только до 31 декабря"]
    assert offer.start == 0.0
    assert 2.5 <= offer.end <= 3.1  # drawn until 2.5 s, sampled each second
    assert 1.5 <= deadline.start <= 2.1
    assert deadline.end == pytest.approx(probe_video(VIDEOS / "ru_both.mp4").duration)
    assert reader.read(key_frames(VIDEOS / "ru_no_text.mp4")) == []


def test_thumbnail_at_a_moment() -> None:
    image = frame_at(VIDEOS / "ru_both.mp4", 2.0, width=120)
    assert image.size == (120, 68)


def _bad(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_bad_files_are_refused_with_a_reason(tmp_path: Path) -> None:
    cut = _bad(tmp_path, "cut.mp4", (VIDEOS / "ru_both.mp4").read_bytes()[:3000])
    html = _bad(tmp_path, "page.mp4", b"<!doctype html><html><body>ad</body></html>")
    empty = _bad(tmp_path, "empty.webm", b"")
    archive = tmp_path / "ad.mkv"
    with zipfile.ZipFile(archive, "w") as zipped:
        # A fixed date keeps the bytes, and so the demuxer's guess, the same on every run.
        zipped.writestr(zipfile.ZipInfo("ad.txt", date_time=(2026, 1, 1, 0, 0, 0)), "Скидка 20%")
    audio_only = tmp_path / "voice.mp4"
    shutil.copy(
        Path(__file__).resolve().parents[1] / "data" / "audio" / "ru_mystery_call.ogg", audio_only
    )
    expected = {
        cut: "corrupt",
        html: "not a readable video file",
        empty: "is empty (0 bytes)",
        archive: "not a readable video file",
        audio_only: "has no video track",
    }
    for path, reason in expected.items():
        with pytest.raises(VideoError, match=re.escape(reason)):
            probe_video(path)
    with pytest.raises(VideoError, match="videos over 1 KB are not accepted"):
        probe_video(VIDEOS / "ru_both.mp4", max_bytes=1024)
    with pytest.raises(VideoError, match="videos longer than 2.0 s are not accepted"):
        probe_video(VIDEOS / "ru_both.mp4", max_seconds=2)


def _audit(fw: Transcriber, name: str, lang: str | None = None):  # type: ignore[no-untyped-def]
    reading = read_video(VIDEOS / name, fw, language=lang)
    return reading, audit_video(reading, lang, TODAY)


def _sources(audit, element: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {item.source for item in audit.evidence if item.element == element}


def test_spoken_and_shown_elements_merge_into_one_verdict(fw: Transcriber, reader) -> None:  # type: ignore[no-untyped-def]
    reading, audit = _audit(fw, "ru_both.mp4")
    line = audit.to_line("ru_both.mp4")
    assert (line["lang"], line["offer"], line["deadline"], line["cta"]) == ("ru", True, True, True)
    assert line["marking"] == {"label": "present", "advertiser": "present", "erid": "present"}
    assert _sources(audit, "offer") == {"speech", "screen"}
    assert _sources(audit, "deadline") == {"screen"}
    assert _sources(audit, "cta") == {"speech"}
    spoken_offer = next(e for e in audit.evidence if e.element == "offer" and e.source == "speech")
    assert 0.2 <= spoken_offer.start < spoken_offer.end <= 3.0
    assert reading.speech_seconds > 0
    assert reading.screen_seconds > 0


def test_spoken_marking_and_an_expired_spoken_deadline(fw: Transcriber, reader) -> None:  # type: ignore[no-untyped-def]
    _reading, audit = _audit(fw, "ru_spoken_marking.mkv", "ru")
    line = audit.to_line("x")
    assert line["expired"] is True
    assert _sources(audit, "deadline") == {"speech"}
    assert _sources(audit, "offer") == {"screen"}
    assert line["marking"] == {"label": "only_spoken", "advertiser": "missing", "erid": "missing"}
    assert "только голосом" in audit.elements["label"].explanation


def test_english_shown_only_with_partial_marking(fw: Transcriber, reader) -> None:  # type: ignore[no-untyped-def]
    _reading, audit = _audit(fw, "en_shown.webm")
    line = audit.to_line("x")
    assert (line["lang"], line["offer"], line["deadline"], line["cta"]) == ("en", True, True, True)
    assert {e.source for e in audit.evidence} == {"screen"}
    assert line["marking"] == {"label": "present", "advertiser": "present", "erid": "missing"}
    assert audit.elements["erid"].suggestion


def test_no_audio_track_and_no_text(fw: Transcriber, reader) -> None:  # type: ignore[no-untyped-def]
    reading, silent = _audit(fw, "en_no_audio.mov")
    assert reading.transcript is None
    assert silent.to_line("x")["cta"] is True
    assert "no audio track" in silent.notes[0]
    reading, textless = _audit(fw, "ru_no_text.mp4", "ru")
    assert reading.screen == ()
    assert _sources(textless, "offer") == {"speech"}
    assert textless.to_line("x")["marking"]["label"] == "missing"
    _reading, absent = _audit(fw, "en_absent.mp4")
    line = absent.to_line("x")
    assert (line["offer"], line["deadline"], line["cta"]) == (False, False, False)
    assert absent.elements["offer"].suggestion


def test_without_tesseract_only_speech_is_audited(fw: Transcriber) -> None:
    assert tessdata_dir("xyz+eng") is None  # a language whose data is not installed
    reading = read_video(VIDEOS / "ru_both.mp4", fw, ocr=False)
    audit = audit_video(reading, "ru", TODAY)
    assert reading.screen is None
    assert audit.screen_read is False
    assert audit.notes[0].startswith("Текст на экране не прочитан")
    assert _sources(audit, "offer") == {"speech"}


def test_a_deadline_said_and_shown_is_one_verdict_with_both_moments(
    fw: Transcriber, reader
) -> None:  # type: ignore[no-untyped-def]
    _reading, audit = _audit(fw, "ru_deadline_both.mp4", "ru")
    line = audit.to_line("x")
    assert (line["offer"], line["deadline"], line["expired"]) == (True, True, False)
    assert _sources(audit, "deadline") == {"speech", "screen"}
    assert _sources(audit, "offer") == {"speech", "screen"}
    assert audit.ends_on == datetime.date(2027, 3, 1)
    said = next(e for e in audit.evidence if e.element == "deadline" and e.source == "speech")
    shown = next(e for e in audit.evidence if e.element == "deadline" and e.source == "screen")
    assert "марта" in said.text
    assert "1 марта" in shown.text
    assert said.start > 1.0  # said in the second sentence
    assert shown.start == 0.0  # shown from the first frame


def test_an_erid_token_only_said_is_reported_as_only_spoken(fw: Transcriber, reader) -> None:  # type: ignore[no-untyped-def]
    _reading, audit = _audit(fw, "en_erid_spoken.mp4", "en")
    line = audit.to_line("x")
    assert line["marking"] == {"label": "present", "advertiser": "present", "erid": "only_spoken"}
    assert audit.elements["erid"].present is False
    assert _sources(audit, "erid") == {"speech"}
    assert "screen" in (audit.elements["erid"].suggestion or "")
