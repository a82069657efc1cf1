"""Segment bounds from word times, turn order across channels, and VAD time mapping."""

from __future__ import annotations

import numpy as np
import pytest

from transcription import Segment, Word
from transcription.speech import JOIN_PAUSE, SAMPLE_RATE, SpeechLayout, layout_speech
from transcription.turns import merge_channels, resegment, roles_for, split_on_pauses


def _words(*spec: tuple[float, float, str]) -> tuple[Word, ...]:
    return tuple(Word(start, end, text, 0.9) for start, end, text in spec)


def test_a_segment_stretched_over_silence_is_cut_where_speech_stops() -> None:
    # Whisper's segment runs 0-12 s, but the agent spoke at 0-2 s and again at 9-11 s.
    words = _words(
        (0.2, 0.6, " Добрый"), (0.6, 1.9, " день,"), (9.0, 9.5, " диван"), (9.5, 11.0, " стоит")
    )
    seg = Segment("unknown", 0.0, 12.0, "Добрый день, диван стоит", words, avg_logprob=-0.2)
    parts = split_on_pauses(seg)
    assert [(p.start, p.end, p.text) for p in parts] == [
        (0.2, 1.9, "Добрый день,"),
        (9.0, 11.0, "диван стоит"),
    ]
    assert all(p.avg_logprob == -0.2 for p in parts)


def test_sentence_end_with_a_short_pause_also_splits() -> None:
    words = _words((0.0, 0.5, " Да."), (1.1, 1.5, " Хорошо."), (1.6, 2.0, " Спасибо"))
    parts = split_on_pauses(Segment("unknown", 0.0, 2.0, "Да. Хорошо. Спасибо", words))
    assert [p.text for p in parts] == ["Да.", "Хорошо. Спасибо"]


def test_segment_without_words_is_kept_as_is() -> None:
    seg = Segment("unknown", 1.0, 3.0, "текст")
    assert resegment([seg]) == [seg]


def test_turns_from_two_channels_come_out_in_time_order() -> None:
    agent = [
        Segment("agent", 0.3, 2.0, "Добрый день", channel=0),
        Segment("agent", 6.0, 8.0, "Сорок тысяч", channel=0),
    ]
    customer = [
        Segment("customer", 2.5, 5.5, "Сколько стоит?", channel=1),
        Segment("customer", 8.5, 10.0, "Дорого", channel=1),
    ]
    merged = merge_channels([agent, customer])
    assert [s.text for s in merged] == ["Добрый день", "Сколько стоит?", "Сорок тысяч", "Дорого"]


def test_roles_follow_the_agent_channel() -> None:
    assert roles_for("left", stereo=True) == ("agent", "customer")
    assert roles_for("right", stereo=True) == ("customer", "agent")
    assert roles_for(None, stereo=True) == ("unknown", "unknown")
    assert roles_for("left", stereo=False) == ("unknown", "unknown")
    with pytest.raises(ValueError, match="agent_channel must be 'left', 'right' or None"):
        roles_for("middle", stereo=True)


def test_segment_rejects_unknown_speaker_and_reversed_times() -> None:
    with pytest.raises(ValueError, match="speaker must be one of"):
        Segment("operator", 0.0, 1.0, "x")
    with pytest.raises(ValueError, match="ends"):
        Segment("agent", 2.0, 1.0, "x")


def _layout() -> SpeechLayout:
    # Speech at 1-3 s and 10-12 s of a 15 s channel, joined with a pause between them.
    second = 2 * SAMPLE_RATE + int(JOIN_PAUSE * SAMPLE_RATE)
    audio = np.zeros(second + 2 * SAMPLE_RATE, dtype=np.float32)
    sources = ((1 * SAMPLE_RATE, 3 * SAMPLE_RATE), (10 * SAMPLE_RATE, 12 * SAMPLE_RATE))
    return SpeechLayout(audio, sources, (0, second), 15.0)


def test_words_map_back_to_the_chunk_they_overlap_most() -> None:
    layout = _layout()
    pause_end = 2.0 + JOIN_PAUSE
    # The first word of the second chunk was timed from inside the pause: it belongs to chunk 2.
    seg = Segment(
        "unknown",
        0.0,
        pause_end + 1.0,
        "sofa that is",
        _words(
            (1.5, 1.9, " sofa"),
            (2.1, pause_end + 0.4, " that"),
            (pause_end + 0.4, pause_end + 1.0, " is"),
        ),
    )
    restored = layout.restore(seg)
    assert [(w.text, w.start, w.end) for w in restored.words] == [
        (" sofa", 2.5, 2.9),
        (" that", 10.0, 10.4),
        (" is", 10.4, 11.0),
    ]
    assert [p.text for p in split_on_pauses(restored)] == ["sofa", "that is"]


def test_windows_never_cut_a_chunk_and_fit_whisper() -> None:
    rng = np.random.default_rng(1)
    speech = rng.normal(0, 0.1, SAMPLE_RATE * 70).astype(np.float32)
    whole = layout_speech(speech, vad=False)
    assert [(w["start"], w["end"]) for w in whole.windows()] == [
        (0.0, 30.0),
        (30.0, 60.0),
        (60.0, 70.0),
    ]
    layout = _layout()
    assert layout.windows() == [{"start": 0.0, "end": 4.0 + JOIN_PAUSE}]


def test_no_speech_gives_an_empty_layout() -> None:
    assert layout_speech(np.zeros(SAMPLE_RATE * 5, dtype=np.float32), vad=True).empty
