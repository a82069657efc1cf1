"""Per-label precision, recall and F1 of an objection model on labelled sets, and the gate
that keeps a retrained model from replacing a better one.

A labelled set is a JSON-lines file: either single turns (``{"text", "labels", "speaker"?,
"context"?}``) or whole calls (``{"turns": [{"speaker", "text", "labels"}, ...]}``). Both are
run through :func:`scoring.find_objections`, so a set is judged exactly as calls are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scoring.objections import find_objections
from scoring.types import BUILTIN_LABELS

__all__ = [
    "LabelScore",
    "SetScore",
    "describe_regression",
    "load_set",
    "regressions",
    "score_set",
]

# A candidate may lose at most this much F1 on any label of any set ("one point").
MAX_F1_DROP = 0.01


@dataclass(frozen=True)
class LabelScore:
    precision: float
    recall: float
    f1: float
    support: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.support,
        }


@dataclass(frozen=True)
class SetScore:
    """Scores of one model on one labelled set (one language)."""

    name: str
    lang: str
    labels: Mapping[str, LabelScore]
    customer_turns: int
    calls: int
    false_flags: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "lang": self.lang,
            "labels": {label: s.as_dict() for label, s in self.labels.items()},
            "customer_turns": self.customer_turns,
            "calls": self.calls,
            "false_flags": self.false_flags,
        }


def load_set(path: Path) -> list[dict[str, Any]]:
    """The rows of a labelled JSON-lines file."""
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def _as_calls(rows: Iterable[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """Whole calls as they are; a single turn as a call of its agent context plus the turn."""
    calls: list[list[Mapping[str, Any]]] = []
    for row in rows:
        if "turns" in row:
            calls.append(list(row["turns"]))
            continue
        turn = {
            "speaker": row.get("speaker", "customer"),
            "text": row["text"],
            "labels": row.get("labels", []),
        }
        context = row.get("context") or row.get("agent_before")
        calls.append(
            [{"speaker": "agent", "text": context, "labels": []}, turn] if context else [turn]
        )
    return calls


def _prf(tp: int, predicted: int, truth: int) -> LabelScore:
    precision = tp / predicted if predicted else 0.0
    recall = tp / truth if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return LabelScore(precision, recall, f1, truth)


def score_set(
    name: str,
    rows: Sequence[Mapping[str, Any]],
    lang: str,
    model_dir: Path | None = None,
    thresholds: Mapping[str, float] | None = None,
) -> SetScore:
    """Judge every customer turn of a set with the model in ``model_dir`` (default: shipped)."""
    counts = {label: [0, 0, 0] for label in BUILTIN_LABELS}  # tp, predicted, truth
    customer_turns = false_flags = 0
    calls = _as_calls(rows)
    for turns in calls:
        segments = [
            {"speaker": t.get("speaker", "customer"), "start": 0.0, "end": 0.0, "text": t["text"]}
            for t in turns
        ]
        found = {
            (f.segment_index, f.label)
            for f in find_objections(
                segments, lang=lang, thresholds=thresholds, model_dir=model_dir
            )
            if f.label in BUILTIN_LABELS
        }
        for index, turn in enumerate(turns):
            if turn.get("speaker", "customer") == "agent":
                continue
            customer_turns += 1
            truth = set(turn.get("labels", ()))
            for label in BUILTIN_LABELS:
                hit = (index, label) in found
                counts[label][0] += hit and label in truth
                counts[label][1] += hit
                counts[label][2] += label in truth
                false_flags += hit and label not in truth
    return SetScore(
        name=name,
        lang=lang,
        labels={label: _prf(*counts[label]) for label in BUILTIN_LABELS},
        customer_turns=customer_turns,
        calls=len(calls),
        false_flags=false_flags,
    )


def regressions(
    before: Sequence[SetScore], after: Sequence[SetScore], max_drop: float = MAX_F1_DROP
) -> list[dict[str, Any]]:
    """Why the candidate (``after``) must not replace the active model: each label of each
    set whose F1 fell by more than ``max_drop``, with both values."""
    old = {(s.name, s.lang, label): v.f1 for s in before for label, v in s.labels.items()}
    reasons = []
    for score in after:
        for label, value in score.labels.items():
            previous = old.get((score.name, score.lang, label))
            if previous is not None and previous - value.f1 > max_drop:
                reasons.append(
                    {
                        "set": score.name,
                        "lang": score.lang,
                        "label": label,
                        "before": round(previous, 4),
                        "after": round(value.f1, 4),
                    }
                )
    return reasons


def describe_regression(reason: Mapping[str, Any]) -> str:
    """One line for a person: which set and label lost how much F1."""
    drop = (reason["before"] - reason["after"]) * 100
    return (
        f"{reason['set']} [{reason['lang']}] {reason['label']}: F1 {reason['before']:.3f} -> "
        f"{reason['after']:.3f} (-{drop:.1f} points)"
    )
