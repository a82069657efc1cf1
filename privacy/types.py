"""The one value every detector returns: a typed span of the transcript text."""

from __future__ import annotations

from dataclasses import dataclass

TYPES = ("PHONE", "CARD", "PASSPORT", "SNILS", "INN", "EMAIL", "PERSON", "ADDRESS", "BIRTHDATE")


@dataclass(frozen=True, order=True)
class Span:
    """``text[start:end]`` is the value exactly (end-exclusive Python offsets)."""

    start: int
    end: int
    type: str

    def to_dict(self) -> dict[str, object]:
        return {"type": self.type, "start": self.start, "end": self.end}
