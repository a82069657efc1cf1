"""Blank spaCy pipelines for Russian and English with tokenizer fixes and cached lemmas."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

__all__ = [
    "SUPPORTED_LANGS",
    "blank_pipeline",
    "detect_language",
    "lemmatize",
    "shared_pipeline",
]

SUPPORTED_LANGS = ("ru", "en")

_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)

# Amounts with a currency sign or a percent sign, including thousands split by spaces
# ("2 000 ₽", "1 299,99 руб.") and a sign glued to either side ("$199", "500₽", "15%").
_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*"
_CURRENCY = r"[$€£₽¥]|руб\.?|р\.|usd|eur|rub"
_MONEY = re.compile(
    rf"(?<![\w.,])(?:(?:{_CURRENCY})\s?(?:{_NUMBER})|(?:{_NUMBER})\s?(?:{_CURRENCY}|%))(?!\w)",
    re.IGNORECASE,
)

# Only a plain hyphen glues words ("по-моему", "из-за", "well-known"); dashes still split.
_DASH_INFIX = r"(?<=[{a}0-9])(?:–|—|--+)(?=[{a}])"
# Sentence punctuation that lost its space in ASR output ("дадите?иначе").
_GLUED_PUNCT_INFIX = r"(?<=[{a}])(?:[?!;:…]+|\.{{2,}})(?=[{a}])"


def detect_language(text: str) -> str:
    """Return "ru" when Cyrillic letters outnumber Latin ones, else "en"."""
    cyrillic = len(_CYRILLIC.findall(text))
    return "ru" if cyrillic > len(_LATIN.findall(text)) else "en"


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=200_000)
def _lemma_ru(lower: str) -> str:
    # pymorphy3 costs ~100 µs a word; a transcript repeats the same few thousand words.
    if not _CYRILLIC.search(lower):
        return lower
    return str(_morph().parse(lower)[0].normal_form).replace("ё", "е")


@lru_cache(maxsize=1)
def _en_table() -> Any:
    try:
        from spacy.lookups import load_lookups

        lookups = load_lookups("en", ["lemma_lookup"], strict=True)
    except (ImportError, ValueError) as exc:  # pragma: no cover - install problem
        raise RuntimeError(
            "English lemmas need the spacy-lookups-data package (pip install "
            "spacy-lookups-data==1.0.5)"
        ) from exc
    return lookups.get_table("lemma_lookup")


@lru_cache(maxsize=200_000)
def _lemma_en(lower: str) -> str:
    return str(_en_table().get(lower, lower))


def lemmatize(word: str, lang: str) -> str:
    """Return the lower-case lemma of one word ("ё" folded to "е" in Russian)."""
    lower = word.lower()
    if lang == "ru":
        return _lemma_ru(lower)
    if lang == "en":
        return _lemma_en(lower)
    raise ValueError(f"unsupported language {lang!r}; expected one of {SUPPORTED_LANGS}")


@Language.component("qa_money_merger")
def _merge_money(doc: Doc) -> Doc:
    """Merge amounts such as "2 000 ₽", "$199" and "15%" into single tokens."""
    spans = []
    for match in _MONEY.finditer(doc.text):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is not None and len(span) > 1:
            spans.append(span)
    if spans:
        with doc.retokenize() as retokenizer:
            for span in spacy.util.filter_spans(spans):
                retokenizer.merge(span)
    return doc


@Language.component("qa_lemmatizer_ru")
def _lemmatize_ru(doc: Doc) -> Doc:
    """Set Russian lemmas from pymorphy3 (first parse, cached)."""
    for token in doc:
        token.lemma_ = _lemma_ru(token.lower_)
    return doc


@Language.component("qa_lemmatizer_en")
def _lemmatize_en(doc: Doc) -> Doc:
    """Set English lemmas from the spacy-lookups-data table (lower-cased, cached)."""
    for token in doc:
        token.lemma_ = _lemma_en(token.lower_)
    return doc


def _fix_infixes(nlp: Language) -> None:
    from spacy.lang.char_classes import ALPHA

    infixes: list[str] = [
        str(pattern)
        for pattern in (nlp.Defaults.infixes or [])
        # The default hyphen rule splits "по-моему" into three tokens.
        if "-|–|—|--|---|——|~" not in str(pattern)
    ]
    infixes.append(_DASH_INFIX.format(a=ALPHA))
    infixes.append(_GLUED_PUNCT_INFIX.format(a=ALPHA))
    tokenizer: Any = nlp.tokenizer
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def blank_pipeline(lang: str) -> Language:
    """Build a new blank pipeline for "ru" or "en": tokenizer fixes, lemmas, sentences."""
    if lang not in SUPPORTED_LANGS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {SUPPORTED_LANGS}")
    nlp = spacy.blank(lang)
    _fix_infixes(nlp)
    nlp.add_pipe("qa_money_merger")
    nlp.add_pipe(f"qa_lemmatizer_{lang}")
    nlp.add_pipe("sentencizer")
    return nlp


@lru_cache(maxsize=len(SUPPORTED_LANGS))
def shared_pipeline(lang: str) -> Language:
    """Return one cached blank pipeline per language; callers must not add components to it."""
    return blank_pipeline(lang)
