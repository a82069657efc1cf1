"""Exports parse back with the kept SRT and WebVTT libraries and keep speakers and times."""

from __future__ import annotations

import html
import json
from datetime import timedelta

import pytest
import srt
import webvtt

from transcription import Segment, Transcript, Word, export, to_json, to_srt, to_txt, to_vtt

TRANSCRIPT = Transcript(
    language="ru",
    language_probability=0.98,
    duration=10.0,
    channels=2,
    dual_mono=False,
    segments=(
        Segment(
            "agent",
            0.3,
            2.5,
            "Добрый день!",
            (Word(0.3, 1.0, " Добрый", 0.9), Word(1.0, 2.5, " день!", 0.8)),
            channel=0,
        ),
        Segment("customer", 3.0, 5.25, "Это <слишком> дорого.", channel=1),
        Segment(
            "customer",
            6.0,
            9.0,
            "Продолжение следует...",
            suspect=True,
            suspect_reason="x",
            channel=1,
        ),
    ),
    engine="faster-whisper",
    model="base",
    settings={"beam_size": 5},
)


def test_json_has_the_documented_shape() -> None:
    data = json.loads(to_json(TRANSCRIPT, "call.ogg"))
    assert list(data) == ["file", "language", "duration", "engine", "model", "segments"]
    assert data["file"] == "call.ogg"
    assert data["language"] == "ru"
    assert data["model"] == "base"
    first = data["segments"][0]
    assert list(first) == ["speaker", "start", "end", "text", "words"]
    assert first["words"][1] == {"start": 1.0, "end": 2.5, "text": "день!", "probability": 0.8}
    assert [s["speaker"] for s in data["segments"]] == ["agent", "customer", "customer"]


def test_srt_parses_back_with_labels_and_times() -> None:
    cues = list(srt.parse(to_srt(TRANSCRIPT)))
    assert [c.content for c in cues] == [
        "Оператор: Добрый день!",
        "Клиент: Это <слишком> дорого.",
        "Клиент: Продолжение следует...",
    ]
    assert cues[1].start == timedelta(seconds=3.0)
    assert cues[1].end == timedelta(seconds=5.25)


def test_vtt_parses_back_with_voices() -> None:
    captions = webvtt.from_string(to_vtt(TRANSCRIPT)).captions
    assert [(c.voice, html.unescape(c.text)) for c in captions] == [
        ("Оператор", "Добрый день!"),
        ("Клиент", "Это <слишком> дорого."),
        ("Клиент", "Продолжение следует..."),
    ]
    assert captions[1].text == "Это &lt;слишком&gt; дорого."  # escaped, or "<" opens a tag
    assert captions[1].start_in_seconds == 3
    assert captions[1].end == "00:00:05.250"


def test_txt_labels_speakers_and_marks_suspect_lines() -> None:
    assert to_txt(TRANSCRIPT).splitlines() == [
        "[00:00:00] Оператор: Добрый день!",
        "[00:00:03] Клиент: Это <слишком> дорого.",
        "[00:00:06] Клиент (?): Продолжение следует...",
    ]
    english = to_txt(TRANSCRIPT, labels={"agent": "Agent", "customer": "Customer"})
    assert english.splitlines()[0] == "[00:00:00] Agent: Добрый день!"


def test_export_by_format_name() -> None:
    assert export(TRANSCRIPT, "srt", "call.ogg") == to_srt(TRANSCRIPT)
    assert json.loads(export(TRANSCRIPT, "json", "call.ogg"))["file"] == "call.ogg"
    with pytest.raises(ValueError, match="unknown export format 'doc'"):
        export(TRANSCRIPT, "doc", "call.ogg")


@pytest.mark.slow
def test_real_call_exports_round_trip(ru_call: Transcript) -> None:
    cues = list(srt.parse(to_srt(ru_call)))
    captions = webvtt.from_string(to_vtt(ru_call)).captions
    assert len(cues) == len(captions) == len(ru_call.segments) >= 6
    for cue, caption, seg in zip(cues, captions, ru_call.segments, strict=True):
        assert cue.start.total_seconds() == pytest.approx(seg.start, abs=0.001)
        assert caption.start_in_seconds == int(seg.start)
        assert cue.content.endswith(seg.text)
        assert html.unescape(caption.text) == seg.text
    data = json.loads(to_json(ru_call, "ru_call_stereo.ogg"))
    assert [s["speaker"] for s in data["segments"]] == [s.speaker for s in ru_call.segments]
    assert all(s["words"] for s in data["segments"])


def test_transcript_is_frozen_and_pickles() -> None:
    import pickle

    with pytest.raises(TypeError):
        TRANSCRIPT.settings["beam_size"] = 1  # type: ignore[index]
    copy = pickle.loads(pickle.dumps(TRANSCRIPT))  # noqa: S301 (our own object)
    assert copy == TRANSCRIPT
    assert dict(copy.settings) == {"beam_size": 5}
