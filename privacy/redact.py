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


def original_offset(position: int, spans: list[Span], *, end: bool = False) -> int:
    """Where ``position`` of ``redact(text, spans)`` lies in ``text``.

    A position inside a "[TYPE]" placeholder maps to the value's start (``end``: its end).
    """
    shift = 0  # redacted position minus original position so far
    cursor = 0
    for span in sorted(spans):
        if span.start < cursor:
            continue
        placeholder_start = span.start + shift
        placeholder_end = placeholder_start + len(span.type) + 2
        if position <= placeholder_start:
            break
        if position < placeholder_end:
            return span.end if end else span.start
        shift += len(span.type) + 2 - (span.end - span.start)
        cursor = span.end
    return position - shift
