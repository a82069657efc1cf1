"""Blank pipelines: tokenizer fixes, lemmas and language detection."""

import pytest

from scoring.nlp import blank_pipeline, detect_language, lemmatize, shared_pipeline


def _tokens(lang: str, text: str) -> list[str]:
    return [t.text for t in shared_pipeline(lang)(text)]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("ru", "по-моему дорого", ["по-моему", "дорого"]),
        ("ru", "из-за цены не возьму", ["из-за", "цены", "не", "возьму"]),
        ("ru", "кое-что ещё", ["кое-что", "ещё"]),
        ("ru", "дорого—не возьму", ["дорого", "—", "не", "возьму"]),
        ("ru", "скидку дадите?иначе уйду", ["скидку", "дадите", "?", "иначе", "уйду"]),
        ("ru", "дорого!пойду", ["дорого", "!", "пойду"]),
        ("ru", "стоит 2 000 ₽ у них", ["стоит", "2 000 ₽", "у", "них"]),
        ("ru", "за 500₽ дешевле", ["за", "500₽", "дешевле"]),
        ("ru", "на 15% меньше", ["на", "15%", "меньше"]),
        ("ru", "отдали за 1 299,99 руб. вчера", ["отдали", "за", "1 299,99 руб.", "вчера"]),
        ("ru", "в 2 раза меньше", ["в", "2", "раза", "меньше"]),
        ("en", "it's $199, not $150.", ["it", "'s", "$199", ",", "not", "$150", "."]),
        ("en", "15% off a well-known brand", ["15%", "off", "a", "well-known", "brand"]),
        ("en", "a discount?otherwise no", ["a", "discount", "?", "otherwise", "no"]),
        ("en", "$1,299.99 is steep", ["$1,299.99", "is", "steep"]),
    ],
)
def test_tokenizer_fixes(lang: str, text: str, expected: list[str]) -> None:
    assert _tokens(lang, text) == expected


@pytest.mark.parametrize(
    ("lang", "text", "lemmas"),
    [
        ("ru", "Скидку дадите", ["скидка", "дать"]),
        ("ru", "закончились синие", ["закончиться", "синий"]),
        ("ru", "Нашёл дешевле", ["найти", "дешевый"]),
        ("ru", "подорожало", ["подорожать"]),
        ("ru", "Samsung дороже", ["samsung", "дорогой"]),
        ("en", "The prices went up", ["the", "price", "go", "up"]),
        ("en", "cheaper ones are SOLD out", ["cheap", "one", "be", "sell", "out"]),
        ("en", "sizes colours", ["size", "colour"]),
    ],
)
def test_lemmas(lang: str, text: str, lemmas: list[str]) -> None:
    assert [t.lemma_ for t in shared_pipeline(lang)(text)] == lemmas


def test_lemmatize_single_word_matches_pipeline() -> None:
    assert lemmatize("Дороговато", "ru") == "дороговатый"
    assert lemmatize("кусается", "ru") == "кусаться"
    assert lemmatize("charged", "en") == "charge"


def test_unsupported_language_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unsupported language 'de'"):
        blank_pipeline("de")
    with pytest.raises(ValueError, match="unsupported language"):
        lemmatize("Preis", "de")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Скидку дадите?", "ru"),
        ("Samsung у вас дороже, чем на Ozon", "ru"),
        ("That's way over budget", "en"),
        ("I saw it on Ozon for 500 рублей less", "en"),
        ("12345", "en"),
        ("", "en"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_shared_pipeline_is_cached_and_blank_pipeline_is_new() -> None:
    assert shared_pipeline("ru") is shared_pipeline("ru")
    assert blank_pipeline("ru") is not blank_pipeline("ru")
    assert shared_pipeline("en").lang == "en"


def test_sentences_split_on_glued_punctuation() -> None:
    doc = shared_pipeline("ru")("Скидку дадите?иначе уйду. Ладно")
    assert [s.text for s in doc.sents] == ["Скидку дадите?", "иначе уйду.", "Ладно"]
