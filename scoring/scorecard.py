"""Scorecard rubric arithmetic: parse a definition, normalise answers, compute the score.

A definition is JSON-shaped::

    {"sections": [{"title": "Greeting", "items": [
        {"key": "greet", "text": "Greets the customer", "type": "yes_no", "weight": 1,
         "critical": false, "guidance": "...", "suggest_from": "price"},
        {"key": "needs", "text": "Finds out needs", "type": "scale", "max": 5, "weight": 2}]}]}

Answers map item keys to "yes" / "no" (yes_no items), an integer 0..max (scale items) or "na".
The score is the weighted percentage over applicable items: a yes earns the item's weight, a
no earns 0, a scale value v earns v/max of the weight, and "na" drops the item from both
numerator and denominator. A failed critical item (a "no", or 0 on a scale) makes the score 0.
When no weighted item applies the score is None.

New definitions are held to limits (weights 0..MAX_WEIGHT, at most MAX_SECTIONS sections and
MAX_ITEMS items, bounded text without control characters). Definitions stored before a limit
existed are read with ``check_limits=False`` so old reviews still open, and the arithmetic
stays finite whatever the weights: they are scaled by the largest before summing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "ITEM_TYPES",
    "NA",
    "Answer",
    "ItemScore",
    "ScoreResult",
    "ScorecardDefinition",
    "ScorecardError",
    "ScorecardItem",
    "ScorecardSection",
    "compute_score",
    "normalize_answer",
]

NA = "na"
ITEM_TYPES = ("yes_no", "scale")
MAX_SCALE = 100
MAX_WEIGHT = 1000
MAX_SECTIONS = 50
MAX_ITEMS = 300
MAX_TITLE = 200
MAX_TEXT = 500
MAX_GUIDANCE = 2000
KEY_PATTERN = re.compile(r"^[a-z0-9_]{1,60}$")
# Control characters other than tab and line breaks (NUL included).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

ItemType = Literal["yes_no", "scale"]
Answer = str | int

_ITEM_FIELDS = {"key", "text", "type", "max", "weight", "critical", "guidance", "suggest_from"}
_YES = {"yes", "y", "1", "true", "да"}
_NO = {"no", "n", "0", "false", "нет"}


class ScorecardError(ValueError):
    """A definition or an answer that cannot be used; the message says which item and why."""


@dataclass(frozen=True)
class ScorecardItem:
    """One criterion of a scorecard."""

    key: str
    text: str
    type: ItemType
    weight: float = 1.0
    max: int | None = None
    critical: bool = False
    guidance: str = ""
    suggest_from: str | None = None

    def choices(self) -> tuple[Answer, ...]:
        """The answers this item accepts, N/A last."""
        if self.type == "yes_no":
            return ("yes", "no", NA)
        return (*range(self.scale_max + 1), NA)

    @property
    def scale_max(self) -> int:
        """The top of a scale item's range."""
        if self.max is None:
            raise ScorecardError(f"{self.text}: not a scale item")
        return self.max

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of this item (optional fields only when set)."""
        data: dict[str, Any] = {
            "key": self.key,
            "text": self.text,
            "type": self.type,
            "weight": self.weight,
            "critical": self.critical,
            "guidance": self.guidance,
        }
        if self.type == "scale":
            data["max"] = self.max
        if self.suggest_from:
            data["suggest_from"] = self.suggest_from
        return data


@dataclass(frozen=True)
class ScorecardSection:
    """A titled group of items."""

    title: str
    items: tuple[ScorecardItem, ...]


@dataclass(frozen=True)
class ScorecardDefinition:
    """A validated scorecard: sections of items with unique keys."""

    sections: tuple[ScorecardSection, ...]

    @classmethod
    def from_dict(cls, data: Any, *, check_limits: bool = True) -> ScorecardDefinition:
        """Validate the JSON shape; raise ScorecardError naming the first problem.

        ``check_limits=False`` reads a stored definition that may predate the size limits.
        """
        if not isinstance(data, Mapping):
            raise ScorecardError("the scorecard must be an object with a 'sections' list")
        raw_sections = data.get("sections")
        if not isinstance(raw_sections, list) or not raw_sections:
            raise ScorecardError("the scorecard needs at least one section")
        if check_limits:
            _check_counts(raw_sections)
        seen: set[str] = set()
        sections = []
        for s_index, raw in enumerate(raw_sections, start=1):
            where = f"section {s_index}"
            if not isinstance(raw, Mapping):
                raise ScorecardError(f"{where}: must be an object with 'title' and 'items'")
            title = raw.get("title")
            if not isinstance(title, str) or not title.strip():
                raise ScorecardError(f"{where}: the title is required")
            if check_limits:
                _check_text(title, f"{where}: the title", MAX_TITLE)
            raw_items = raw.get("items")
            if not isinstance(raw_items, list) or not raw_items:
                raise ScorecardError(f"{where} ({title.strip()}): add at least one item")
            items = []
            for i_index, raw_item in enumerate(raw_items, start=1):
                item = _parse_item(raw_item, f"{where}, item {i_index}", check_limits)
                if item.key in seen:
                    raise ScorecardError(f"{where}, item {i_index}: key {item.key!r} is used twice")
                seen.add(item.key)
                items.append(item)
            sections.append(ScorecardSection(title=title.strip(), items=tuple(items)))
        return cls(sections=tuple(sections))

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape, as stored."""
        return {
            "sections": [
                {"title": s.title, "items": [item.to_dict() for item in s.items]}
                for s in self.sections
            ]
        }

    @property
    def items(self) -> Iterator[ScorecardItem]:
        """All items in order."""
        for section in self.sections:
            yield from section.items

    def item(self, key: str) -> ScorecardItem:
        """The item with ``key``; ScorecardError when there is none."""
        for item in self.items:
            if item.key == key:
                return item
        raise ScorecardError(f"the scorecard has no item {key!r}")


def _check_counts(raw_sections: list[Any]) -> None:
    if len(raw_sections) > MAX_SECTIONS:
        raise ScorecardError(f"a scorecard has at most {MAX_SECTIONS} sections")
    items = sum(len(s["items"]) for s in raw_sections
                if isinstance(s, Mapping) and isinstance(s.get("items"), list))
    if items > MAX_ITEMS:
        raise ScorecardError(f"a scorecard has at most {MAX_ITEMS} items")


def _check_text(text: str, what: str, limit: int) -> None:
    if _CONTROL.search(text):
        raise ScorecardError(f"{what} contains control characters")
    if len(text.strip()) > limit:
        raise ScorecardError(f"{what} is longer than {limit} characters")


def _parse_item(raw: Any, where: str, check_limits: bool = True) -> ScorecardItem:
    if not isinstance(raw, Mapping):
        raise ScorecardError(f"{where}: must be an object")
    unknown = set(raw) - _ITEM_FIELDS
    if unknown:
        raise ScorecardError(f"{where}: unknown fields {sorted(unknown)}")
    key = raw.get("key")
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise ScorecardError(
            f"{where}: key must be 1-60 characters of lower-case latin letters, digits or '_'"
        )
    where = f"{where} ({key})"
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ScorecardError(f"{where}: the question text is required")
    item_type = raw.get("type")
    if item_type not in ITEM_TYPES:
        raise ScorecardError(f"{where}: type must be one of {', '.join(ITEM_TYPES)}")
    weight = raw.get("weight", 1)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not math.isfinite(weight):
        raise ScorecardError(f"{where}: weight must be a number")
    if weight < 0:
        raise ScorecardError(f"{where}: weight cannot be negative")
    if check_limits and weight > MAX_WEIGHT:
        raise ScorecardError(f"{where}: weight must be between 0 and {MAX_WEIGHT}")
    max_value = raw.get("max")
    if item_type == "scale":
        if isinstance(max_value, bool) or not isinstance(max_value, int):
            raise ScorecardError(f"{where}: a scale item needs an integer max")
        if not 1 <= max_value <= MAX_SCALE:
            raise ScorecardError(f"{where}: max must be between 1 and {MAX_SCALE}")
    elif max_value is not None:
        raise ScorecardError(f"{where}: only scale items take a max")
    critical = raw.get("critical", False)
    if not isinstance(critical, bool):
        raise ScorecardError(f"{where}: critical must be true or false")
    guidance = raw.get("guidance") or ""
    if not isinstance(guidance, str):
        raise ScorecardError(f"{where}: guidance must be text")
    suggest_from = raw.get("suggest_from") or None
    if suggest_from is not None and not isinstance(suggest_from, str):
        raise ScorecardError(f"{where}: suggest_from must be a flag label such as 'price'")
    if check_limits:
        _check_text(text, f"{where}: the question text", MAX_TEXT)
        _check_text(guidance, f"{where}: the guidance", MAX_GUIDANCE)
        _check_text(suggest_from or "", f"{where}: suggest_from", 60)
    return ScorecardItem(
        key=key,
        text=text.strip(),
        type=item_type,
        weight=float(weight),
        max=max_value if item_type == "scale" else None,
        critical=critical,
        guidance=guidance.strip(),
        suggest_from=suggest_from.strip() if suggest_from else None,
    )


def normalize_answer(item: ScorecardItem, raw: Any) -> Answer:
    """Turn a form or JSON value into "yes", "no", an int or "na"; ScorecardError if invalid."""
    text = str(raw).strip().lower() if raw is not None else ""
    if text in (NA, "n/a"):
        return NA
    if item.type == "yes_no":
        if text in _YES:
            return "yes"
        if text in _NO:
            return "no"
        raise ScorecardError(f"{item.text}: answer yes, no or N/A")
    number: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    elif isinstance(raw, float) and raw.is_integer():
        number = int(raw)
    elif isinstance(raw, str) and re.fullmatch(r"\d{1,3}", text):
        number = int(text)
    if number is None or not 0 <= number <= item.scale_max:
        raise ScorecardError(f"{item.text}: choose a value from 0 to {item.scale_max} or N/A")
    return number


@dataclass(frozen=True)
class ItemScore:
    """What one item contributed: earned and possible weight, or nothing when N/A."""

    key: str
    answer: Answer
    earned: float
    possible: float
    failed_critical: bool

    @property
    def applicable(self) -> bool:
        return self.answer != NA


@dataclass(frozen=True)
class ScoreResult:
    """A review's score in percent (None when nothing applies) and how it was reached."""

    score: float | None
    failed_critical: bool
    earned: float
    possible: float
    items: tuple[ItemScore, ...]


def compute_score(definition: ScorecardDefinition, answers: Mapping[str, Any]) -> ScoreResult:
    """Weighted percentage over applicable items; 0 when a critical item fails."""
    unknown = set(answers) - {item.key for item in definition.items}
    if unknown:
        raise ScorecardError(f"answers for items that are not on the scorecard: {sorted(unknown)}")
    results = []
    for item in definition.items:
        if item.key not in answers:
            raise ScorecardError(f"{item.text}: no answer given")
        answer = normalize_answer(item, answers[item.key])
        results.append(_score_item(item, answer))
    # Totals as information only (they may overflow to inf); the score is computed scaled.
    earned = sum(r.earned for r in results)
    possible = sum(r.possible for r in results)
    failed = any(r.failed_critical for r in results)
    if failed:
        score: float | None = 0.0
    elif not any(r.possible for r in results):
        score = None
    else:
        score = _percentage(results)
    return ScoreResult(
        score=score, failed_critical=failed, earned=earned, possible=possible, items=tuple(results)
    )


def _percentage(results: list[ItemScore]) -> float:
    """Earned over possible in percent, finite for any finite weights.

    Weights are divided by the largest first: summing two weights near the float maximum
    would overflow to infinity and turn the score into NaN.
    """
    scale = max(r.possible for r in results)
    earned = math.fsum(r.earned / scale for r in results)
    possible = math.fsum(r.possible / scale for r in results)
    return min(100.0, max(0.0, 100.0 * earned / possible))


def _score_item(item: ScorecardItem, answer: Answer) -> ItemScore:
    if answer == NA:
        return ItemScore(item.key, answer, 0.0, 0.0, False)
    if item.type == "yes_no":
        fraction = 1.0 if answer == "yes" else 0.0
    else:
        fraction = int(answer) / item.scale_max
    return ItemScore(
        key=item.key,
        answer=answer,
        earned=item.weight * fraction,
        possible=item.weight,
        failed_critical=item.critical and fraction == 0.0,
    )
