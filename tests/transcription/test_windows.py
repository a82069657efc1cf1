"""Short encoder windows: short speech gets a short encoder input and is still heard right."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from transcription import Transcriber, load_transcriber
from transcription.backends import fitted_frames
from transcription.speech import SAMPLE_RATE, layout_speech

from .conftest import AUDIO, norm


def test_encoder_input_is_the_longest_window_rounded_up() -> None:
    # At least 2 s of silence after the speech, rounded up to 5 s.
    assert fitted_frames([2.9], 5.0, 15.0) == 500
    assert fitted_frames([4.2], 5.0, 15.0) == 1000
    assert fitted_frames([4.2, 11.1], 5.0, 15.0) == 1500
    # A full window is not padded beyond the window: VAD left silence around its speech.
    assert fitted_frames([14.2], 5.0, 15.0) == 1500
    assert fitted_frames([27.3], 10.0) == 3000
    assert fitted_frames([14.2], 5.0, 12.0) == 1500  # never fewer whole seconds than it holds
    assert fitted_frames([4.2], None, 15.0) == 3000  # off: padded to 30 s as Whisper does
    assert fitted_frames([], 5.0, 15.0) == 3000


def test_windows_follow_the_window_length() -> None:
    speech = np.random.default_rng(1).normal(0, 0.1, SAMPLE_RATE * 40).astype(np.float32)
    whole = layout_speech(speech, vad=False, window=15.0)
    assert [(w["start"], w["end"]) for w in whole.windows(15.0)] == [
        (0.0, 15.0),
        (15.0, 30.0),
        (30.0, 40.0),
    ]


def test_window_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="window must be 5-30 s"):
        load_transcriber(window=45.0)
    with pytest.raises(ValueError, match="fit_window must be None or 1-30 s"):
        load_transcriber(fit_window=0.0)


def _encoder_inputs(
    transcriber: Transcriber, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[int, ...]]:
    """Record the shape of every encoder input of the real model (the call itself runs as is)."""
    whisper: Any = transcriber.backend.model  # type: ignore[attr-defined]
    model = whisper.model
    shapes: list[tuple[int, ...]] = []
    encode = model.encode

    def recording(features: Any, *args: Any, **kwargs: Any) -> Any:
        shapes.append(tuple(features.shape))
        return encode(features, *args, **kwargs)

    monkeypatch.setattr(whisper, "model", _Spy(model, recording))
    return shapes


class _Spy:
    """The CTranslate2 model with its encode call recorded."""

    def __init__(self, model: Any, encode: Any) -> None:
        self._model = model
        self.encode = encode

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)


@pytest.mark.slow
def test_a_short_call_gets_a_short_encoder_input_and_the_same_words(
    model_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    call = AUDIO / "ru_call_8k_mulaw.wav"  # 8.7 s: agent, then customer
    short = load_transcriber(cache_dir=model_cache)
    full = load_transcriber(cache_dir=model_cache, window=30.0, fit_window=None)
    assert full is not short
    short_shapes = _encoder_inputs(short, monkeypatch)
    full_shapes = _encoder_inputs(full, monkeypatch)
    results = [t.transcribe(call, language="ru") for t in (short, full)]
    # Both sides of the call in one batch; each holds a few seconds of speech.
    assert len(short_shapes) == 1
    assert short_shapes[0][:2] == (2, 80)
    assert short_shapes[0][-1] <= 1500
    assert full_shapes == [(2, 80, 3000)]
    for result in results:
        agent, customer = norm(result.speaker_text("agent")), norm(result.speaker_text("customer"))
        assert "диван стоит" in agent
        assert "слишком дорого" in customer
        assert [s.speaker for s in result.segments][:1] == ["agent"]
    short_result, full_result = results
    assert short_result.settings["window"] == 15.0
    assert short_result.settings["fit_window"] == 5.0
    assert full_result.settings["fit_window"] is None
    # Word times map back to the recording the same way.
    first_short = short_result.segments[0].words[0]
    first_full = full_result.segments[0].words[0]
    assert first_short.start == pytest.approx(first_full.start, abs=0.3)


@pytest.mark.slow
def test_a_short_english_phrase_is_heard_right(
    model_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    transcriber = load_transcriber(cache_dir=model_cache)
    shapes = _encoder_inputs(transcriber, monkeypatch)
    result = transcriber.transcribe(
        AUDIO / "en_mono_8k_alaw.wav", language="en", agent_channel=None
    )
    assert shapes == [(1, 80, 1000)]  # 5 s of speech: 10 s of encoder input, not 30
    assert norm(result.text) == "that is too expensive your competitors are cheaper"
    words = [w for s in result.segments for w in s.words]
    assert 0.0 <= words[0].start < words[-1].end <= result.duration + 0.01
