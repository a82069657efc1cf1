"""Real human telephone speech: Asterisk's recorded prompts (8 kHz) with their transcripts."""

from __future__ import annotations

import jiwer
import pytest

from transcription import Transcriber

from .conftest import asterisk_prompts, norm

pytestmark = pytest.mark.slow

PROMPTS = ["basic-pbx-ivr-main", "check-number-dial-again", "all-circuits-busy-now"]


@pytest.mark.parametrize(
    ("language", "max_wer", "phrases"),
    [
        ("ru", 0.35, ["для связи с отделом продаж", "технической поддержкой", "проверьте номер"]),
        ("en", 0.15, ["sales partnership", "customer advocate", "check the number and dial again"]),
    ],
)
def test_prompts_are_transcribed_close_to_their_scripts(
    fw: Transcriber, language: str, max_wer: float, phrases: list[str]
) -> None:
    prompts = {p.stem: (p, text) for p, text in asterisk_prompts(language).items()}
    references, hypotheses = [], []
    for name in PROMPTS:
        path, reference = prompts[name]
        result = fw.transcribe(path)  # language detected from the speech
        assert result.language == language, name
        assert result.channels == 1
        assert {s.speaker for s in result.segments} == {"unknown"}
        references.append(norm(reference))
        hypotheses.append(norm(result.text))
    said = " ".join(hypotheses)
    for phrase in phrases:
        assert phrase in said, phrase
    assert jiwer.wer(references, hypotheses) < max_wer
