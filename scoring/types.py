"""Result types of the objection detector."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BUILTIN_LABELS",
    "Finding",
    "RuleSpan",
    "TurnResult",
    "segment_fields",
]

BUILTIN_LABELS = ("price", "assortment")

# Speaker names a transcript may use for each role; anything else means roles are unknown.
_ROLE_NAMES = {
    "customer": "customer",
    "client": "customer",
    "agent": "agent",
    "seller": "agent",
    "operator": "agent",
}


@dataclass(frozen=True)
class RuleSpan:
    """A rule or tracker match inside one turn; offsets are characters in the turn text."""

    label: str
    start: int
    end: int
    text: str
    rule: str


@dataclass(frozen=True)
class TurnResult:
    """Labels, classifier scores and rule spans for one turn."""

    labels: tuple[str, ...]
    scores: Mapping[str, float]
    spans: tuple[RuleSpan, ...] = ()
    lang: str = "ru"
    model_version: str | None = None


@dataclass(frozen=True)
class Finding:
    """One flagged objection (or tracker hit) in one segment of a transcript.

    start_char/end_char and rule_id are None when the classifier alone raised the flag;
    then text is the sentence that scored highest and score its probability.
    """

    label: str
    segment_index: int
    start_char: int | None
    end_char: int | None
    text: str
    rule_id: str | None
    score: float | None
    time_start: float
    time_end: float
    speaker_unknown: bool = False
    model_version: str | None = None


def segment_fields(segment: Any, index: int) -> tuple[str, float, float, str]:
    """Return (speaker, start, end, text) of a Segment-like object or a mapping."""
    if isinstance(segment, Mapping):
        get = segment.get
    else:

        def get(name: str, default: Any = None) -> Any:
            return getattr(segment, name, default)

    text = get("text")
    if not isinstance(text, str):
        raise TypeError(f"segment {index}: text must be a string, got {type(text).__name__}")
    speaker = _ROLE_NAMES.get(str(get("speaker") or "").strip().lower(), "unknown")
    try:
        start = float(get("start", 0.0) or 0.0)
        end = float(get("end", start) or start)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"segment {index}: start/end must be numbers") from exc
    return speaker, start, end, text
