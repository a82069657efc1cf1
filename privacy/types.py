"""What the detectors pass: a typed span of the transcript text, and what the line before holds
for the next one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

TYPES = ("PHONE", "CARD", "PASSPORT", "SNILS", "INN", "EMAIL", "PERSON", "ADDRESS", "BIRTHDATE")


@dataclass(frozen=True, order=True)
class Span:
    """``text[start:end]`` is the value exactly (end-exclusive Python offsets)."""

    start: int
    end: int
    type: str

    def to_dict(self) -> dict[str, object]:
        return {"type": self.type, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class LineBefore:
    """The kinds of value the line before asks for (``question.asked_kinds``), the numbers
    said in it, their digits to their kind (``question.values_said``), and the words naming
    the streets of its addresses, in lower case (``address.street_words``)."""

    asked: frozenset[str] = frozenset()
    said: Mapping[str, str] = field(default_factory=dict)
    streets: frozenset[str] = frozenset()


NOTHING_BEFORE = LineBefore()
