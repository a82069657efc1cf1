"""Whole calls through the default engine: words, roles, turn order, formats, progress."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from transcription import (
    AudioError,
    Transcriber,
    Transcript,
    TranscriptionError,
    load_transcriber,
)

from .conftest import AUDIO, norm

pytestmark = pytest.mark.slow


def _turns(result: Transcript) -> list[str]:
    """Speakers in order, consecutive segments of one speaker counted as one turn."""
    turns: list[str] = []
    for seg in result.segments:
        if not turns or turns[-1] != seg.speaker:
            turns.append(seg.speaker)
    return turns


def _said(result: Transcript, speaker: str) -> str:
    return norm(result.speaker_text(speaker))


def _first(result: Transcript, phrase: str) -> int:
    return next(i for i, s in enumerate(result.segments) if phrase in norm(s.text))


def test_russian_stereo_call(ru_call: Transcript) -> None:
    assert ru_call.language == "ru"
    assert ru_call.language_probability > 0.8
    assert (ru_call.channels, ru_call.dual_mono) == (2, False)
    assert ru_call.duration == pytest.approx(25.6, abs=0.1)
    agent, customer = _said(ru_call, "agent"), _said(ru_call, "customer")
    for words in [
        "меня зовут ольга",
        "магазин уютный дом",
        "диван стоит",
        "тысяч рублей",
        "скидку",
    ]:
        assert words in agent, words
    for words in ["сколько стоит", "слишком дорого", "у конкурентов дешевле", "цвета у вас нет"]:
        assert words in customer, words
    assert "дорого" not in agent
    assert "ольга" not in customer


def test_russian_turns_alternate_in_the_order_spoken(ru_call: Transcript) -> None:
    assert _turns(ru_call) == ["agent", "customer"] * 3
    starts = [s.start for s in ru_call.segments]
    assert starts == sorted(starts)
    order = [
        _first(ru_call, p)
        for p in ["ольга", "сколько стоит", "тысяч рублей", "дорого", "скидку", "цвета"]
    ]
    assert order == sorted(order)
    # Each segment ends when its speech ends: no turn overlaps the other party's next turn.
    for seg, nxt in zip(ru_call.segments, ru_call.segments[1:], strict=False):
        assert seg.end <= nxt.start + 0.3, (seg.text, nxt.text)


def test_segments_carry_words_and_scores(ru_call: Transcript) -> None:
    for seg in ru_call.segments:
        assert seg.words
        assert seg.channel == (0 if seg.speaker == "agent" else 1)
        assert seg.start == seg.words[0].start
        assert seg.end == seg.words[-1].end
        assert all(a.start <= b.start for a, b in zip(seg.words, seg.words[1:], strict=False))
        assert all(0.0 <= w.probability <= 1.0 for w in seg.words)
        assert seg.avg_logprob is not None
        assert -1.0 < seg.avg_logprob <= 0.0
        assert seg.no_speech_prob is not None
        assert not seg.suspect
    assert ru_call.engine == "faster-whisper"
    assert ru_call.model == "base"
    assert ru_call.settings["agent_channel"] == "left"
    assert ru_call.settings["vad"] is True
    assert ru_call.settings["condition_on_previous_text"] is False


def test_english_stereo_call(en_call: Transcript) -> None:
    assert en_call.language == "en"
    agent, customer = _said(en_call, "agent"), _said(en_call, "customer")
    for words in ["this is anna from", "how can i help you", "comfort sofa costs", "discount"]:
        assert words in agent, words
    for words in [
        "how much is the comfort sofa",
        "too expensive",
        "competitors are cheaper",
        "in blue",
    ]:
        assert words in customer, words
    assert _turns(en_call) == ["agent", "customer"] * 3
    assert _first(en_call, "costs") < _first(en_call, "expensive") < _first(en_call, "blue")


def test_agent_on_the_right_channel_swaps_roles(fw: Transcriber) -> None:
    result = fw.transcribe(AUDIO / "ru_call_8k_mulaw.wav", language="ru", agent_channel="right")
    assert "дорого" in _said(result, "agent")
    assert "диван стоит" in _said(result, "customer")
    assert result.settings["agent_channel"] == "right"


def test_8k_mulaw_telephone_call(fw: Transcriber) -> None:
    result = fw.transcribe(AUDIO / "ru_call_8k_mulaw.wav")
    assert result.language == "ru"
    assert "диван стоит" in _said(result, "agent")
    assert "слишком дорого" in _said(result, "customer")
    assert _turns(result) == ["agent", "customer"]


def test_mono_call_has_unknown_speakers(fw: Transcriber) -> None:
    result = fw.transcribe(AUDIO / "ru_call_mono.m4a")
    assert result.language == "ru"
    assert result.channels == 1
    assert {s.speaker for s in result.segments} == {"unknown"}
    assert {s.channel for s in result.segments} == {None}
    text = norm(result.text)
    for words in [
        "магазин уютный дом",
        "сколько стоит доставка",
        "в другом магазине доставка бесплатная",
    ]:
        assert words in text, words
    assert result.settings["agent_channel"] is None
    assert _first(result, "сколько стоит") < _first(result, "бесплатная")


def test_dual_mono_is_transcribed_once_as_mono(dual_mono_call: Transcript) -> None:
    result = dual_mono_call
    assert (result.channels, result.dual_mono) == (2, True)
    assert {s.speaker for s in result.segments} == {"unknown"}
    text = norm(result.text)
    assert "меня зовут ольга" in text
    assert "диван стоит" in text
    assert text.count("диван") == 1  # not once per channel


def test_silent_recording_gives_no_segments(fw: Transcriber, tmp_path: Path) -> None:
    path = tmp_path / "silence.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0\0\0" * 8000 * 4)
    result = fw.transcribe(path)
    assert result.segments == ()
    assert result.dual_mono is True
    assert result.language == "und"


def test_stereo_without_roles_keeps_channels_and_reports_progress(fw: Transcriber) -> None:
    seen: list[float] = []
    result = fw.transcribe(
        AUDIO / "ru_call_8k_mulaw.wav", language="ru", agent_channel=None, progress=seen.append
    )
    assert {s.speaker for s in result.segments} == {"unknown"}
    assert [s.channel for s in result.segments] == [0, 1]
    assert seen[-1] == 1.0
    assert len(seen) >= 3
    assert seen == sorted(seen)
    assert 0.0 < seen[0] < 1.0


def test_progress_callback_can_cancel(fw: Transcriber) -> None:
    class Cancelled(Exception):
        pass

    def cancel(fraction: float) -> None:
        raise Cancelled(f"stopped at {fraction}")

    with pytest.raises(Cancelled, match="stopped at"):
        fw.transcribe(AUDIO / "ru_call_8k_mulaw.wav", language="ru", progress=cancel)


def test_bad_input_fails_before_any_work(fw: Transcriber) -> None:
    for name in ["corrupt.ogg", "empty.wav", "not_audio.mp3"]:
        with pytest.raises(AudioError, match=name):
            fw.transcribe(AUDIO / name)
    with pytest.raises(ValueError, match="agent_channel must be"):
        fw.transcribe(AUDIO / "ru_call_8k_mulaw.wav", agent_channel="both")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="beam_size must be at least 1"):
        fw.transcribe(AUDIO / "ru_call_8k_mulaw.wav", beam_size=0)


def test_engine_failures_become_transcription_errors(fw: Transcriber) -> None:
    # An unknown language code is rejected inside the engine, not by the audio checks.
    with pytest.raises(TranscriptionError, match="faster-whisper failed on en_mono_8k_alaw.wav"):
        fw.transcribe(AUDIO / "en_mono_8k_alaw.wav", language="xx")


def test_sequential_decoding_keeps_turns_apart(model_cache: Path) -> None:
    # Without batching each channel is decoded on its own; the first word of a turn must not be
    # timed into the same party's previous turn ("...sofa that | is too expensive").
    sequential = load_transcriber(cache_dir=model_cache, batch_size=1)
    result = sequential.transcribe(AUDIO / "en_call_stereo.mp3", language="en")
    assert result.settings["batch_size"] is None
    assert _turns(result) == ["agent", "customer"] * 3
    customer = [norm(s.text) for s in result.segments if s.speaker == "customer"]
    assert customer[0].endswith("comfort sofa")
    assert customer[1].startswith("that is too expensive")
    assert customer[-1] == "do you have it in blue"
