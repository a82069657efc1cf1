"""The objection detector on whole calls and on single utterances with their context.

    python benchmarks/eval_calls.py --split dev                  # calls and utterances
    python benchmarks/eval_calls.py --split dev --errors         # also list the wrong turns
    python benchmarks/eval_calls.py --split dev --model-dir DIR  # a candidate model
    python benchmarks/eval_calls.py --split dev --data-dir DIR   # calls.<lang>.jsonl etc. in DIR

Calls: ``benchmarks/data/calls/<split>.<lang>.jsonl``, one call per line
``{"id", "lang", "trade", "direction", "turns": [{"speaker", "text", "labels"}]}``. Each call
goes through ``find_objections`` as one transcript, twice: with the speakers as labelled, and
with every speaker removed (mono audio: roles unknown, so agent turns are judged too and any
flag on them is false). Reported per label: per-turn precision, recall and F1, false flags
per call, and the share of calls with no false flag.

Utterances: ``benchmarks/data/utterances/<split>.<lang>.jsonl``, one turn per line
``{"id", "text", "lang", "speaker", "labels", "style", "cls", "agent_before"?}``; a turn with
``agent_before`` is analysed after that agent turn. Reported: P/R/F1 per label and the share
of non-objection turns flagged.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scoring.objections import find_objections
from scoring.types import BUILTIN_LABELS

DATA_DIR = Path(__file__).parent / "data"


def _read(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def load_calls(split: str, lang: str, data_dir: Path | None) -> list[dict[str, Any]]:
    if data_dir is not None:
        return _read(data_dir / f"calls.{lang}.jsonl")
    return _read(DATA_DIR / "calls" / f"{split}.{lang}.jsonl")


def load_utterances(split: str, lang: str, data_dir: Path | None) -> list[dict[str, Any]]:
    if data_dir is not None:
        return _read(data_dir / f"utterances.{lang}.jsonl")
    return _read(DATA_DIR / "utterances" / f"{split}.{lang}.jsonl")


def prf(tp: int, n_pred: int, n_true: int) -> tuple[float, float, float]:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_true if n_true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _flags(
    segments: Sequence[dict[str, Any]], lang: str, model_dir: Path | None
) -> set[tuple[int, str]]:
    findings = find_objections(segments, lang=lang, model_dir=model_dir)
    return {(f.segment_index, f.label) for f in findings if f.label in BUILTIN_LABELS}


def evaluate_calls(
    calls: Sequence[dict[str, Any]], lang: str, model_dir: Path | None, *, unknown: bool
) -> tuple[dict[str, Any], list[str]]:
    """Per-label counts over all turns of the calls, and the wrong turns as text lines."""
    tp: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_true: Counter[str] = Counter()
    false_by_call: list[int] = []
    false_agent = 0
    errors: list[str] = []
    for call in calls:
        turns = call["turns"]
        segments = [
            {
                "speaker": "" if unknown else t.get("speaker", ""),
                "start": float(i),
                "end": float(i) + 1.0,
                "text": t["text"],
            }
            for i, t in enumerate(turns)
        ]
        found = _flags(segments, lang, model_dir)
        false_here = 0
        for i, turn in enumerate(turns):
            truth = set(turn.get("labels") or ())
            for label in BUILTIN_LABELS:
                flagged = (i, label) in found
                n_true[label] += label in truth
                n_pred[label] += flagged
                tp[label] += flagged and label in truth
                if flagged != (label in truth):
                    before = turns[i - 1]["text"] if i else ""
                    kind = "FP" if flagged else "FN"
                    errors.append(
                        f"  {kind} {label:10} {call['id']}#{i} [{turn.get('speaker')}] "
                        f"{turn['text']!r}  <- {before!r}"
                    )
                if flagged and label not in truth:
                    false_here += 1
                    false_agent += turn.get("speaker") == "agent"
        false_by_call.append(false_here)
    result = {
        "calls": len(calls),
        "labels": {
            label: (*prf(tp[label], n_pred[label], n_true[label]), n_true[label])
            for label in BUILTIN_LABELS
        },
        "false_per_call": sum(false_by_call) / max(len(calls), 1),
        "clean_share": sum(1 for f in false_by_call if f == 0) / max(len(calls), 1),
        "false_on_agent_per_call": false_agent / max(len(calls), 1),
    }
    return result, errors


def evaluate_utterances(
    rows: Sequence[dict[str, Any]], lang: str, model_dir: Path | None
) -> tuple[dict[str, Any], list[str]]:
    tp: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_true: Counter[str] = Counter()
    negatives = flagged_negatives = 0
    errors: list[str] = []
    for row in rows:
        segments = []
        if row.get("agent_before"):
            segments.append({"speaker": "agent", "text": row["agent_before"]})
        segments.append({"speaker": row.get("speaker", "customer"), "text": row["text"]})
        found = {label for i, label in _flags(segments, lang, model_dir) if i == len(segments) - 1}
        truth = set(row.get("labels") or ())
        for label in BUILTIN_LABELS:
            n_true[label] += label in truth
            n_pred[label] += label in found
            tp[label] += label in found and label in truth
        if not truth:
            negatives += 1
            flagged_negatives += bool(found)
        if found != truth:
            context = f"  <- {row['agent_before']!r}" if row.get("agent_before") else ""
            errors.append(
                f"  {sorted(truth)} -> {sorted(found)} {row['id']} ({row.get('cls')}) "
                f"{row['text']!r}{context}"
            )
    result = {
        "turns": len(rows),
        "labels": {
            label: (*prf(tp[label], n_pred[label], n_true[label]), n_true[label])
            for label in BUILTIN_LABELS
        },
        "negatives": negatives,
        "negatives_flagged": flagged_negatives / max(negatives, 1),
    }
    return result, errors


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Evaluate the objection detector on calls.")
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--lang", choices=("ru", "en"), action="append")
    parser.add_argument("--model-dir", type=Path)
    parser.add_argument("--data-dir", type=Path, help="a folder with calls/utterances.<lang>")
    parser.add_argument("--errors", action="store_true", help="list the wrong turns")
    args = parser.parse_args(argv)
    header = (
        f"{'set':10} {'lang':4} {'speakers':8} {'label':10} {'P':>5} {'R':>5} {'F1':>5} {'n':>4}"
    )
    print(header)
    summaries: list[str] = []
    for lang in args.lang or ["ru", "en"]:
        calls = load_calls(args.split, lang, args.data_dir)
        if calls:
            for unknown in (False, True):
                started = time.perf_counter()
                result, errors = evaluate_calls(calls, lang, args.model_dir, unknown=unknown)
                elapsed = time.perf_counter() - started
                mode = "removed" if unknown else "given"
                for label, (p, r, f, n) in result["labels"].items():
                    print(
                        f"{'calls':10} {lang:4} {mode:8} {label:10} "
                        f"{p:5.3f} {r:5.3f} {f:5.3f} {n:4d}"
                    )
                summaries.append(
                    f"calls {lang} speakers {mode}: {result['calls']} calls, "
                    f"{result['false_per_call']:.2f} false flags per call "
                    f"({result['false_on_agent_per_call']:.2f} on agent turns), "
                    f"{result['clean_share']:.0%} of calls without a false flag ({elapsed:.1f}s)"
                )
                if args.errors:
                    print(f"# errors: calls {lang}, speakers {mode}")
                    print("\n".join(errors))
        rows = load_utterances(args.split, lang, args.data_dir)
        if rows:
            result, errors = evaluate_utterances(rows, lang, args.model_dir)
            for label, (p, r, f, n) in result["labels"].items():
                print(
                    f"{'utterances':10} {lang:4} {'given':8} {label:10} "
                    f"{p:5.3f} {r:5.3f} {f:5.3f} {n:4d}"
                )
            summaries.append(
                f"utterances {lang}: {result['turns']} turns, "
                f"{result['negatives_flagged']:.1%} of {result['negatives']} non-objections flagged"
            )
            if args.errors:
                print(f"# errors: utterances {lang}")
                print("\n".join(errors))
    for line in summaries:
        print(line)
    if not summaries:
        print("no calls or utterances found", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
