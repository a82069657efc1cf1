"""Precision, recall and F1 of scoring.adcopy.check_ad per element and language.

Usage: python benchmarks/eval_adcopy.py [--split SPLIT] [--errors] [--json]
SPLIT is dev, test, real_dev, real_test or all (the default).

Labels follow labelling-rules.md section B. ``today`` is fixed so that results repeat, except
for rows that carry their own ``audit_date`` (the real-style sets): those are audited on that
day, and where a row labels ``expired`` the expired flag is scored too (its accuracy over the
rows that label it). ``--errors`` lists misses on the dev splits only: the test splits are for
reporting, not tuning.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring.adcopy import ELEMENTS, check_ad  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "adcopy"
TODAY = datetime.date(2026, 11, 27)
LANGS = ("ru", "en")
SPLITS = ("dev", "test", "real_dev", "real_test")
# Splits whose misses may be listed; the others are read for their totals only.
TUNING_SPLITS = ("dev", "real_dev")


def load(split: str, lang: str) -> list[dict[str, object]]:
    """Read one labelled JSONL file; an absent file gives no rows."""
    path = DATA / f"{split}.{lang}.jsonl"
    if not path.exists():
        return []
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path.name}:{number}: not valid JSON ({exc.msg})") from exc
    return rows


def scores(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Return precision, recall and F1 (1.0 where nothing was there to find or flag)."""
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(split: str, lang: str, show_errors: bool) -> dict[str, object] | None:
    """Score one split and language; print misses when asked."""
    rows = load(split, lang)
    if not rows:
        return None
    counts = {element: [0, 0, 0] for element in ELEMENTS}
    expired_right = expired_total = 0
    started = time.perf_counter()
    for row in rows:
        today = datetime.date.fromisoformat(str(row.get("audit_date") or TODAY.isoformat()))
        audit = check_ad(str(row["text"]), lang=lang, today=today)
        if "expired" in row:
            expired_total += 1
            expired_right += audit.deadline.expired == bool(row["expired"])
            if show_errors and audit.deadline.expired != bool(row["expired"]):
                print(
                    f"  XP expired  {row['id']} (audit {today}, ends {audit.deadline.ends_on}, "
                    f"gold {row['expired']}): {row['text']}"
                )
        for element in ELEMENTS:
            predicted, gold = audit.element(element).present, bool(row[element])
            slot = 0 if predicted and gold else 1 if predicted else 2 if gold else None
            if slot is not None:
                counts[element][slot] += 1
            if show_errors and predicted != gold:
                kind = "FP" if predicted else "FN"
                evidence = [e.text for e in audit.element(element).evidence]
                print(f"  {kind} {element:8} {row['id']}: {row['text']}  {evidence}")
    elapsed = time.perf_counter() - started
    result: dict[str, object] = {
        "split": split,
        "lang": lang,
        "n": len(rows),
        "ms_per_ad": round(1000 * elapsed / len(rows), 2),
    }
    if expired_total:
        result["expired"] = {
            "accuracy": round(expired_right / expired_total, 3),
            "right": expired_right,
            "labelled": expired_total,
        }
    for element, (tp, fp, fn) in counts.items():
        precision, recall, f1 = scores(tp, fp, fn)
        result[element] = {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "support": tp + fn,
        }
    return result


def main() -> None:
    """Run the evaluation and print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="all")
    parser.add_argument("--errors", action="store_true", help="list dev misses")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    splits = list(SPLITS) if args.split == "all" else [args.split]
    check_ad("warm up", lang="en", today=TODAY)
    check_ad("прогрев", lang="ru", today=TODAY)
    results = []
    for split in splits:
        for lang in LANGS:
            result = evaluate(split, lang, args.errors and split in TUNING_SPLITS)
            if result is None:
                print(f"{split}.{lang}: no data", file=sys.stderr)
                continue
            results.append(result)
    if args.json:
        print(
            json.dumps(
                {"today": TODAY.isoformat(), "machine": platform.platform(), "results": results},
                indent=2,
            )
        )
        return
    print(
        f"today={TODAY}  machine={platform.machine()} {platform.system()} "
        f"python {platform.python_version()}"
    )
    print(f"{'split':9} {'lang':4} {'n':>4} {'element':9} {'P':>6} {'R':>6} {'F1':>6} {'supp':>5}")
    for result in results:
        for element in ELEMENTS:
            s = result[element]
            assert isinstance(s, dict)
            print(
                f"{result['split']:9} {result['lang']:4} {result['n']:>4} {element:9} "
                f"{s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} {s['support']:>5}"
            )
        expired = result.get("expired")
        if isinstance(expired, dict):
            print(
                f"{'':9} {'':4} {'':>4} expired   accuracy {expired['accuracy']:.3f} "
                f"({expired['right']}/{expired['labelled']})"
            )
        print(f"{'':9} {'':4} {'':>4} {result['ms_per_ad']} ms per ad")


if __name__ == "__main__":
    main()
