"""Precision, recall and F1 of privacy.detect per type and language, lenient and exact.

Usage: python benchmarks/eval_pii.py FILE [FILE ...] [--errors] [--json] [--rules-only]

Each FILE holds JSON lines {"id", "lang", "text", "spans": [{"type", "start", "end"}]}; a
span may instead give its value as {"type", "text", "nth"} (nth: which occurrence of that
substring in the text), and offsets are then computed. Scores follow pii-rules.md: a
predicted span is a lenient match when a gold span of the same type overlaps it, and an exact
match when type, start and end are equal; each gold and each predicted span counts once. The
spans predicted on turns with no personal data are counted too. ``--errors`` lists misses
and false alarms (for the development set; a held-out test set is for reporting only).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from privacy import TYPES, detect_many, guess_language  # noqa: E402
from privacy.training.labels import labelled_spans  # noqa: E402

Gold = tuple[str, int, int]


def with_offsets(row: dict[str, Any]) -> dict[str, Any]:
    """The row with each span given as {"type", "text", "start", "end"}."""
    spans = [
        {"type": kind, "text": row["text"][start:end], "start": start, "end": end}
        for kind, start, end in labelled_spans(row)
    ]
    return {**row, "spans": spans}


def _overlaps(a: Gold, b: Gold) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def _match(gold: list[Gold], pred: list[Gold], exact: bool) -> int:
    """Pairs of one gold and one predicted span that match, each used once."""
    used: set[int] = set()
    hits = 0
    for p in pred:
        for index, g in enumerate(gold):
            if index in used:
                continue
            if (p == g) if exact else _overlaps(p, g):
                used.add(index)
                hits += 1
                break
    return hits


def _prf(hits: int, n_pred: int, n_gold: int) -> dict[str, float | None]:
    precision = hits / n_pred if n_pred else None
    recall = hits / n_gold if n_gold else None
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision and recall
        else (0.0 if precision is not None and recall is not None else None)
    )
    return {"precision": precision, "recall": recall, "f1": f1}


def evaluate(
    rows: list[dict[str, Any]], errors: bool = False, model: bool = True, context: bool = True
) -> dict[str, Any]:
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: {"gold": 0, "pred": 0, "lenient": 0, "exact": 0}
    )
    empty_turns: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    langs = [
        row.get("lang") if row.get("lang") in ("ru", "en") else guess_language(row["text"])
        for row in rows
    ]
    # Turns are read as the app reads a call's lines: each after the one before it.
    previous = [
        rows[i - 1]["text"] if context and i and langs[i - 1] == langs[i] else ""
        for i in range(len(rows))
    ]
    found = detect_many([row["text"] for row in rows], langs, model, previous=previous)
    for row, lang, spans in zip(rows, langs, found, strict=True):
        text = row["text"]
        gold = labelled_spans(row)
        pred = [(s.type, s.start, s.end) for s in spans]
        if not gold:
            empty_turns[lang][0] += 1
            empty_turns[lang][1] += len(pred)
        for kind in TYPES:
            g = [s for s in gold if s[0] == kind]
            p = [s for s in pred if s[0] == kind]
            c = counts[(lang, kind)]
            c["gold"] += len(g)
            c["pred"] += len(p)
            c["lenient"] += _match(g, p, exact=False)
            c["exact"] += _match(g, p, exact=True)
        if errors and sorted(gold) != sorted(pred):
            print(f"{row.get('id')}: {text}")
            for kind, start, end in sorted(set(gold) - set(pred), key=lambda s: s[1]):
                print(f"   missed {kind} {text[start:end]!r}")
            for kind, start, end in sorted(set(pred) - set(gold), key=lambda s: s[1]):
                print(f"   found  {kind} {text[start:end]!r}")
    result: dict[str, Any] = {"types": {}, "empty_turns": {}}
    for (lang, kind), c in sorted(counts.items()):
        if not c["gold"] and not c["pred"]:
            continue
        result["types"][f"{lang}/{kind}"] = {
            **c,
            "lenient": _prf(c["lenient"], c["pred"], c["gold"]),
            "exact": _prf(c["exact"], c["pred"], c["gold"]),
        }
    for lang, (turns, predicted) in sorted(empty_turns.items()):
        result["empty_turns"][lang] = {"turns": turns, "spans_predicted": predicted}
    return result


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--errors", action="store_true", help="list misses and false alarms")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--rules-only", action="store_true", help="leave out the classifier")
    parser.add_argument(
        "--turns-alone", action="store_true", help="read each turn without the one before it"
    )
    args = parser.parse_args()
    rows = []
    for path in args.files:
        with path.open(encoding="utf-8") as handle:
            rows.extend(json.loads(line) for line in handle if line.strip())
    result = evaluate(
        rows, errors=args.errors, model=not args.rules_only, context=not args.turns_alone
    )
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{'lang/type':16} {'gold':>5} {'pred':>5}   lenient P / R / F1      exact P / R / F1")
    for name, c in result["types"].items():
        le, ex = c["lenient"], c["exact"]
        print(
            f"{name:16} {c['gold']:5} {c['pred']:5}   "
            f"{_fmt(le['precision'])} {_fmt(le['recall'])} {_fmt(le['f1'])}   "
            f"{_fmt(ex['precision'])} {_fmt(ex['recall'])} {_fmt(ex['f1'])}"
        )
    for lang, e in result["empty_turns"].items():
        print(
            f"{lang}: {e['spans_predicted']} spans predicted on {e['turns']} turns "
            "with no personal data"
        )


if __name__ == "__main__":
    main()
