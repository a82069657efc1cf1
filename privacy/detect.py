"""All detectors over one transcript text, merged."""

from __future__ import annotations

from privacy.address import detect_addresses
from privacy.dates import detect_birthdates
from privacy.email import detect_emails
from privacy.merge import merge
from privacy.names import detect_names
from privacy.numeric import detect_numbers
from privacy.tokens import tokenize, written_with_capitals
from privacy.types import Span

LANGUAGES = ("ru", "en")


def guess_language(text: str) -> str:
    cyrillic = sum(1 for ch in text if "а" <= ch.lower() <= "я" or ch in "ёЁ")
    latin = sum(1 for ch in text if "a" <= ch.lower() <= "z")
    return "ru" if cyrillic >= latin else "en"


def detect(text: str, lang: str | None = None) -> list[Span]:
    """Personal-data spans of ``text`` (``lang`` "ru" or "en"; guessed when None)."""
    if lang is None:
        lang = guess_language(text)
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be 'ru' or 'en', got {lang!r}")
    tokens = tokenize(text)
    spans = detect_emails(text, lang)
    spans += detect_numbers(text, tokens, lang)
    spans += detect_birthdates(text, tokens, lang)
    # Whether the transcript capitalises words, which names and English addresses read.
    cased = written_with_capitals(tokens)
    spans += detect_addresses(text, tokens, lang, cased)
    spans += detect_names(text, tokens, lang, cased)
    return merge(spans)
