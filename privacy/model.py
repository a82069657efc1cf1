"""A trained token classifier for names, addresses and birth dates, beside the rules.

The rules know spoken numbers, checksums and cues; they miss a name or an address said in a
way no rule foresaw ("predeceased by her husband Seamus", "210 East 86th, apartment 4C").
A spaCy NER model per language, trained from a blank pipeline on the labelled turns in
``benchmarks/data/pii`` (``python -m privacy.training.train_ner``), reads the words around
each value instead. Its spans only fill gaps: where a rule found anything, the rule stands.
Each span it adds is vetted with the rules' own lexicons (a place, a brand, a dictionary
word, another date's cue), which keeps precision where the model guesses.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from privacy.address import has_street_or_unit, is_business_address, named_for_a_person
from privacy.dates import MONTH, birth_context, plausible_year
from privacy.lexicons import lexicon
from privacy.names import is_plausible_person
from privacy.numbers import is_number_token
from privacy.tokens import Token, tokenize
from privacy.types import Span

MODEL_DIR = Path(__file__).parent / "models"
MODEL_TYPES = ("PERSON", "ADDRESS", "BIRTHDATE")
# spaCy refuses longer texts; a longer one is read in pieces cut at a line or a space.
_PIECE = 20_000
# A text longer than about four hours of speech is no transcript line but a dump or an
# attack: the rules alone read it (the model would take about 17 s per megabyte).
MAX_MODEL_CHARS = 200_000


def model_path(lang: str, directory: Path = MODEL_DIR) -> Path:
    return directory / f"ner.{lang}"


@lru_cache(maxsize=2)
def load_model(lang: str) -> Any:
    """The language's NER pipeline (shipped in the package), loaded once per process."""
    import spacy

    return spacy.load(model_path(lang))


def _pieces(text: str) -> list[tuple[int, str]]:
    """``text`` cut into pieces of at most ``_PIECE`` characters, with their offsets."""
    out = []
    start = 0
    while start < len(text):
        end = min(len(text), start + _PIECE)
        if end < len(text):
            cut = max(text.rfind("\n", start, end), text.rfind(" ", start, end))
            end = cut + 1 if cut > start else end
        out.append((start, text[start:end]))
        start = end
    return out


def model_spans_many(texts: list[str], lang: str) -> list[list[Span]]:
    """The model's vetted PERSON, ADDRESS and BIRTHDATE spans of each text, the texts read in
    batches (a third of the time of one by one)."""
    found: list[list[Span]] = [[] for _ in texts]
    nlp = load_model(lang)
    pieces = [
        (index, offset, piece)
        for index, text in enumerate(texts)
        if text.strip() and len(text) <= MAX_MODEL_CHARS
        for offset, piece in _pieces(text)
    ]
    docs = nlp.pipe((piece for _i, _o, piece in pieces), batch_size=256)
    for (index, offset, _piece), doc in zip(pieces, docs, strict=True):
        for ent in doc.ents:
            span = Span(offset + ent.start_char, offset + ent.end_char, ent.label_)
            if span.type in MODEL_TYPES and _vetted(texts[index], span):
                found[index].append(span)
    return found


def _vetted(text: str, span: Span) -> bool:
    tokens = [
        Token(t.text, span.start + t.start, span.start + t.end)
        for t in tokenize(text[span.start : span.end])
        if t.is_word or t.is_digits
    ]
    if span.type == "PERSON":
        words = [t for t in tokens if t.is_word]
        return 0 < len(words) == len(tokens) <= 4 and is_plausible_person(
            text, span.start, span.end, words
        )
    if span.type == "ADDRESS":
        # A customer's address with at least a street and a house; "Москве, метро Сокол",
        # "Мытищи? Улицу не помню", "1991, May the 2nd" and a shop's address are none.
        return (
            has_street_or_unit(text[span.start : span.end], tokens)
            and not named_for_a_person(tokens)
            and any(t.is_digits or is_number_token(t) for t in tokens)  # a house, at least
            and not is_business_address(text, span.start, span.end)
            # "Windows 11, number 4": a product and its version
            and not any(t.lower in lexicon("brands") for t in tokens if t.is_word)
        )
    return _birth_date(text, span, tokens)


def _birth_date(text: str, span: Span, tokens: list[Token]) -> bool:
    """A date the model read as a birth date is one where a birth cue is said, or, with no
    cue either way, where it holds a year someone alive was born in ("21.03.2027" is none)."""
    # A day, a month and a year at least ("ноль пятое" and "May fifth" are no birth dates).
    # Digits glued to letters ("T4N 1B2", a postcode) are no part of a date.
    parts = [
        t
        for t in tokens
        if (t.is_digits and not _glued_to_letters(text, t))
        or (t.is_word and (MONTH.match(t.lower) or is_number_token(t)))
    ]
    if len(parts) < 3:
        return False
    context = birth_context(text, span.start, span.end)
    if context is not None:
        return context
    years = [int(t.text) for t in tokens if t.is_digits and len(t.text) == 4]
    return any(plausible_year(year) for year in years)


def _glued_to_letters(text: str, token: Token) -> bool:
    """Whether letters touch the digits, other than a day's ordinal ending ("30th", "3-го")."""
    after = _LETTERS.match(text, token.end)
    return (token.start > 0 and text[token.start - 1].isalpha()) or (
        after is not None and after.group().lower() not in _ORDINAL_ENDINGS
    )


_LETTERS = re.compile(r"[^\W\d_]+")
_ORDINAL_ENDINGS = {"th", "st", "nd", "rd", "г", "го", "е", "ое", "ого", "ье", "его"}
