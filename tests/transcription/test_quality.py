"""Loops and hallucinations are marked for review, and no text is ever dropped."""

from __future__ import annotations

import pytest

from transcription import Segment, mark_suspects, suspect_reason
from transcription.quality import without_unplaced_repeat
from transcription.types import Word


def _seg(text: str, start: float = 0.0, end: float = 4.0, **kw: object) -> Segment:
    return Segment("customer", start, end, text, channel=1, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Да да да да да да да да", "'да' repeated 8 times in a row"),
        (
            "Я вам перезвоню. Я вам перезвоню. Я вам перезвоню. Я вам перезвоню.",
            "'я вам перезвоню' repeated 4 times in a row",
        ),
        ("Продолжение следует...", "typical Whisper hallucination"),
        ("Субтитры сделал DimaTorzok", "typical Whisper hallucination"),
        ("Thank you for watching!", "typical Whisper hallucination"),
        ("ааааааааааааааааааааааааааааааааааааааааааааааааааааааа", "repetitive text"),
    ],
)
def test_repetitive_and_invented_text_is_suspect(text: str, reason: str) -> None:
    found = suspect_reason(_seg(text))
    assert found is not None
    assert found.startswith(reason)


@pytest.mark.parametrize(
    "text",
    [
        "Это слишком дорого, у конкурентов дешевле.",
        "Да, да, да, понятно.",  # people do repeat a short word
        "Синего цвета у вас нет?",
        "That is too expensive. Your competitors are cheaper.",
        "Нет-нет, спасибо, я подумаю и перезвоню вам завтра утром, хорошо?",
    ],
)
def test_ordinary_speech_is_not_suspect(text: str) -> None:
    assert suspect_reason(_seg(text)) is None


def test_low_confidence_over_silence_is_suspect() -> None:
    seg = _seg("Угу.", avg_logprob=-1.4, no_speech_prob=0.85)
    assert suspect_reason(seg) == "probably not speech (high no-speech and low confidence)"
    assert suspect_reason(_seg("Угу.", avg_logprob=-0.3, no_speech_prob=0.85)) is None


def test_too_much_text_for_its_time_is_suspect() -> None:
    text = "Доставка по городу стоит три тысячи рублей, а за город пять тысяч рублей."
    assert suspect_reason(_seg(text, 10.0, 11.0)).startswith("too much text for its duration")
    assert suspect_reason(_seg(text, 10.0, 16.0)) is None


def test_a_loop_across_segments_marks_the_repeats_and_keeps_all_text() -> None:
    # A synthetic transcript where decoding looped: the same sentence four times on one channel.
    loop = "Спасибо за звонок, до свидания!"
    segments = [
        Segment("agent", 0.0, 3.0, "Добрый день, магазин Уютный дом.", channel=0),
        Segment("customer", 3.5, 6.0, loop, channel=1),
        Segment("agent", 6.2, 7.0, "Да.", channel=0),
        Segment("customer", 7.0, 9.0, loop, channel=1),
        Segment("customer", 9.0, 11.0, loop, channel=1),
        Segment("customer", 11.0, 13.0, loop, channel=1),
        Segment("agent", 13.5, 14.0, "Да.", channel=0),
    ]
    marked = mark_suspects(segments)
    assert [s.text for s in marked] == [s.text for s in segments]  # nothing dropped or reordered
    assert [s.suspect for s in marked] == [False, False, False, False, True, True, False]
    assert marked[4].suspect_reason == "same text as the 2 segments before it"
    assert marked[5].suspect_reason == "same text as the 3 segments before it"


def _words(spec: list[tuple[str, float, float]]) -> tuple[Word, ...]:
    return tuple(Word(start, end, f" {text}", 0.9) for text, start, end in spec)


SAID = [("Могу", 10.8, 11.4), ("предложить", 11.4, 12.0), ("скидку.", 12.0, 12.5)]


def test_a_repeat_placed_at_no_time_is_cut_before_mapping_back() -> None:
    pile = [("Могу", 12.5, 12.5), ("предложить", 12.5, 12.5), ("скидку.", 12.5, 12.5)]
    words = _words(SAID + pile)
    segment = Segment("unknown", 10.8, 12.5, "".join(w.text for w in words).strip(), words)
    kept = without_unplaced_repeat(segment)
    assert kept.text == "Могу предложить скидку."
    assert [w.text.strip() for w in kept.words] == ["Могу", "предложить", "скидку."]
    assert kept.end == 12.5


@pytest.mark.parametrize(
    "tail",
    [
        # New words the aligner could not place: speech it missed, kept for the reviewer.
        [("Да", 12.5, 12.5), ("конечно", 12.5, 12.5), ("берём.", 12.5, 12.5)],
        # Only two zero-length words: a fast "да, да" is placed that way too.
        [("скидку.", 12.5, 12.5), ("скидку.", 12.5, 12.5)],
        # Zero-length words at different moments are placed, just short.
        [("Могу", 12.5, 12.5), ("предложить", 12.6, 12.6), ("скидку.", 12.7, 12.7)],
    ],
)
def test_other_zero_length_words_are_kept(tail: list[tuple[str, float, float]]) -> None:
    words = _words(SAID + tail)
    segment = Segment("unknown", 10.8, 12.7, "".join(w.text for w in words).strip(), words)
    assert without_unplaced_repeat(segment) == segment
