"""Replacing each value by its type: "позвоните на [PHONE]"."""

from __future__ import annotations

from privacy.types import Span


def redact(text: str, spans: list[Span]) -> str:
    parts: list[str] = []
    position = 0
    for span in sorted(spans):
        if span.start < position:
            continue
        parts.append(text[position : span.start])
        parts.append(f"[{span.type}]")
        position = span.end
    parts.append(text[position:])
    return "".join(parts)
