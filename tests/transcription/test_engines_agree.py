"""openai-whisper (the reference) and faster-whisper agree on the same weights."""

from __future__ import annotations

import jiwer
import pytest

from transcription import Transcriber, Transcript

from .conftest import AUDIO, norm

pytestmark = pytest.mark.slow


def test_openai_whisper_agrees_with_faster_whisper(
    ow: Transcriber, dual_mono_call: Transcript
) -> None:
    reference = ow.transcribe(AUDIO / "ru_dual_mono.flac")
    assert reference.engine == "openai-whisper"
    assert reference.model == "base"
    assert reference.settings["compute_type"] == "float32"
    assert reference.language == dual_mono_call.language == "ru"
    assert reference.dual_mono is True
    assert jiwer.wer(norm(reference.text), norm(dual_mono_call.text)) < 0.05
    # Same VAD and the same word-based boundaries: the segments line up in time too.
    assert len(reference.segments) == len(dual_mono_call.segments)
    for ours, theirs in zip(dual_mono_call.segments, reference.segments, strict=True):
        assert ours.start == pytest.approx(theirs.start, abs=0.3)
        assert ours.end == pytest.approx(theirs.end, abs=0.3)
        assert theirs.words
        assert theirs.avg_logprob is not None
