"""Expected spans written as the values they cover: ("PHONE", "8 999 1234567")."""

from __future__ import annotations

from privacy import detect


def found(text: str, lang: str) -> list[tuple[str, str]]:
    return [(span.type, text[span.start : span.end]) for span in detect(text, lang)]
