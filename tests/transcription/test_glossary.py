"""Team glossary: misheard names corrected in text and words; names primed as hotwords."""

from __future__ import annotations

import pytest

from transcription import Glossary, Segment, Transcriber, Word, apply_glossary

from .conftest import AUDIO, norm

GLOSSARY = Glossary(
    hotwords=["Уютный дом", "Комфорт"],
    replacements={
        "уютный дом": "«Уютный Дом»",
        "ай фон": "iPhone",
        "ёлка": "Ель",
        "крафт": "Крафт Мебель",
    },
)


def test_replacements_apply_to_text_without_words() -> None:
    seg = Segment("agent", 0, 3, "Магазин уютный дом, у меня Ай фон и елка. Крафт и крафтовый.")
    assert apply_glossary(seg, GLOSSARY).text == (
        "Магазин «Уютный Дом», у меня iPhone и Ель. Крафт Мебель и крафтовый."
    )


def test_multi_word_replacement_becomes_one_timed_word() -> None:
    words = (
        Word(0.0, 0.5, " Магазин", 0.9),
        Word(0.5, 0.9, " уютный", 0.8),
        Word(0.9, 1.4, " дом.", 0.7),
        Word(2.0, 2.4, " Крафт", 0.95),
    )
    fixed = apply_glossary(Segment("agent", 0.0, 2.4, "Магазин уютный дом. Крафт", words), GLOSSARY)
    assert [(w.start, w.end, w.text, w.probability) for w in fixed.words] == [
        (0.0, 0.5, " Магазин", 0.9),
        (0.5, 1.4, " «Уютный Дом».", 0.7),
        (2.0, 2.4, " Крафт Мебель", 0.95),
    ]
    # A correction that contains its misheard form is not corrected twice.
    assert fixed.text == "Магазин «Уютный Дом». Крафт Мебель"


def test_glossary_prompt_and_cleaning() -> None:
    g = Glossary(
        hotwords=[" Уютный дом ", "", "Комфорт"], replacements={" дИван ": "Диван", "": "x"}
    )
    assert g.hotwords == ("Уютный дом", "Комфорт")
    assert g.prompt == "Уютный дом, Комфорт"
    assert dict(g.replacements) == {"дИван": "Диван"}
    assert Glossary().prompt is None
    assert apply_glossary(Segment("agent", 0, 1, "дИВАН"), g).text == "Диван"


@pytest.mark.slow
def test_glossary_applies_to_a_real_transcript(fw: Transcriber) -> None:
    result = fw.transcribe(AUDIO / "ru_dual_mono.flac", language="ru", glossary=GLOSSARY)
    assert "«Уютный Дом»" in result.text
    assert any(w.text.strip().startswith("«Уютный Дом»") for s in result.segments for w in s.words)
    assert "уютный дом" not in result.text  # the misheard (lower-case) form is gone
    assert "магазин" in norm(result.text)
    assert result.settings["hotwords"] == ["Уютный дом", "Комфорт"]
    assert result.settings["replacements"] == 4
