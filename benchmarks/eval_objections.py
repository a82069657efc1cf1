"""Precision, recall and F1 of the objection detector per label and language.

    python benchmarks/eval_objections.py                 # dev, dev3 and test
    python benchmarks/eval_objections.py --split dev     # dev only (model selection)
    python benchmarks/eval_objections.py --split dev3 --errors   # list a dev split's errors
    python benchmarks/eval_objections.py --model-dir DIR # a candidate model

Each line of benchmarks/data/objections/<split>.<lang>.jsonl is one turn; it is analysed as a
one-segment transcript through ``find_objections`` (agent turns are never flagged). Besides
the combined detector it reports the rules alone and the classifier alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from scoring.objections import build_pipeline, find_objections
from scoring.objections_rules import OBJECTION_SPANS_KEY
from scoring.types import BUILTIN_LABELS

DATA_DIR = Path(__file__).parent / "data" / "objections"


def load(split: str, lang: str) -> list[dict]:
    path = DATA_DIR / f"{split}.{lang}.jsonl"
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def prf(truth: list[bool], predicted: list[bool]) -> tuple[float, float, float, int]:
    tp = sum(t and p for t, p in zip(truth, predicted, strict=True))
    n_pred, n_true = sum(predicted), sum(truth)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_true if n_true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, n_true


def evaluate(split: str, lang: str, model_dir: Path | None) -> list[tuple]:
    rows = load(split, lang)
    segments = [
        {"speaker": r.get("speaker", "customer"), "start": 0.0, "end": 0.0, "text": r["text"]}
        for r in rows
    ]
    started = time.perf_counter()
    # The detector (shipped, or a candidate model in --model-dir) through the public API.
    # Each turn is its own one-segment transcript: the turns of a file are not one call, so
    # no turn is judged after another's words.
    found = {
        (i, f.label)
        for i, segment in enumerate(segments)
        for f in find_objections([segment], lang=lang, model_dir=model_dir)
    }
    elapsed = time.perf_counter() - started
    nlp = build_pipeline(lang, model_dir=model_dir)
    thresholds = nlp.get_pipe("qa_objection_classifier").model.thresholds
    customer = [i for i, r in enumerate(rows) if r.get("speaker", "customer") != "agent"]
    docs = dict(zip(customer, nlp.pipe([rows[i]["text"] for i in customer]), strict=True))
    results = []
    for label in BUILTIN_LABELS:
        truth = [label in r["labels"] for r in rows]
        combined = [(i, label) in found for i in range(len(rows))]
        rules = [
            i in docs and any(s.label_ == label for s in docs[i].spans[OBJECTION_SPANS_KEY])
            for i in range(len(rows))
        ]
        model = [i in docs and docs[i].cats[label] >= thresholds[label] for i in range(len(rows))]
        for name, predicted in (("combined", combined), ("rules", rules), ("classifier", model)):
            results.append((split, lang, label, name, *prf(truth, predicted)))
    print(f"# {split}.{lang}: {len(rows)} turns in {elapsed:.2f}s", file=sys.stderr)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description="Evaluate the objection detector.")
    parser.add_argument("--split", choices=("dev", "dev3", "test"), action="append")
    parser.add_argument("--lang", choices=("ru", "en"), action="append")
    parser.add_argument("--model-dir", type=Path)
    parser.add_argument("--errors", action="store_true", help="print misclassified dev turns")
    args = parser.parse_args()
    splits = args.split or ["dev", "dev3", "test"]
    print(
        f"{'split':5} {'lang':4} {'label':10} {'detector':10} {'P':>5} {'R':>5} {'F1':>5} {'n':>4}"
    )
    for split in splits:
        for lang in args.lang or ["ru", "en"]:
            for split_, lang_, label, name, p, r, f, n in evaluate(split, lang, args.model_dir):
                print(
                    f"{split_:5} {lang_:4} {label:10} {name:10} {p:5.3f} {r:5.3f} {f:5.3f} {n:4d}"
                )
            if args.errors and split != "test":
                print_errors(split, lang)
    return 0


def print_errors(split: str, lang: str) -> None:
    from scoring.objections import classify_turn

    for row in load(split, lang):
        if row.get("speaker", "customer") == "agent":
            continue
        result = classify_turn(row["text"], lang)
        if set(result.labels) != set(row["labels"]):
            print(
                f"  {row['labels']} -> {list(result.labels)} {dict(result.scores)}: {row['text']}"
            )


if __name__ == "__main__":
    raise SystemExit(main())
