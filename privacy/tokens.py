"""Splitting a transcript into words, digit groups and punctuation, with their offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

# "O'Connor" is one word; "it's", "I'm" and "Patel's" are a word, an apostrophe and a word.
_TOKEN = re.compile(r"\d+|[^\W\d_]+(?:['’][^\W\d_]{3,})*|[^\s]", re.UNICODE)


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower().replace("ё", "е")

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha()

    @property
    def is_digits(self) -> bool:
        return self.text.isdigit()

    @property
    def is_title(self) -> bool:
        return self.text[:1].isupper()


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def gap(text: str, left: Token, right: Token) -> str:
    """The characters between two tokens."""
    return text[left.end : right.start]


def written_with_capitals(tokens: list[Token]) -> bool:
    """Whether the transcript capitalises words ("Игорь Дмитриевич", "Maple Grove Drive"); an
    acronym or a postcode in capitals ("ИНН", "LS6 2BQ", "GUSEYNOVA") in a lowercase one does
    not make it so."""
    return any(t.is_word and t.is_title and t.text[1:].islower() for t in tokens)
