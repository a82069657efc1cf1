"""Time privacy.detect + redact on a one-hour call transcript, on one core.

Usage: python benchmarks/bench_pii.py [--words N] [--repeat N] [--rules-only] [--json]

A one-hour call is about 9,000 spoken words. The transcript is built per language from the
development turns (benchmarks/data/pii/dev.*.jsonl) repeated in order until it holds
``--words`` words; it is redacted turn by turn, as ``qa redact`` does, and as one batch of
turns, as the app redacts a call (the trained classifier reads a batch faster); with
``--rules-only``, the rules alone. The process is pinned to one core. Loading (pymorphy3's
dictionaries, the name lists, the classifier) is timed apart; the first pass runs with empty
word caches ("cold"), the next ``--repeat`` passes are "warm"; the whole
transcript is also redacted as one text. Times are processor seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from privacy import detect, redact  # noqa: E402
from privacy.detect import detect_lines  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "pii"


def transcript(lang: str, words: int) -> list[str]:
    rows = [
        json.loads(line)
        for line in (DATA / f"dev.{lang}.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    turns: list[str] = []
    count = 0
    while count < words:
        for row in rows:
            turns.append(row["text"])
            count += len(row["text"].split())
            if count >= words:
                break
    return turns


def _pass(turns: list[str], lang: str, model: bool = True) -> tuple[float, int]:
    started = time.process_time()
    spans = 0
    for text in turns:
        found = detect(text, lang, model)
        redact(text, found)
        spans += len(found)
    return time.process_time() - started, spans


def _batch_pass(turns: list[str], lang: str, model: bool = True) -> float:
    """The lines read as the app reads a call's: together, each after the one before."""
    started = time.process_time()
    for text, spans in zip(turns, detect_lines(turns, lang, model), strict=True):
        redact(text, spans)
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=9000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rules-only", action="store_true", help="leave out the classifier")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    started = time.process_time()
    model = not args.rules_only
    detect("Меня зовут Анна, телефон 8 926 123 45 67.", "ru", model)
    detect("My name is Anna Lee, my number is (212) 555-0199.", "en", model)
    load = time.process_time() - started
    from privacy.names import _ru_scores
    from privacy.numbers import word_value

    results = {
        "load_s": round(load, 3),
        "model": model,
        "machine": platform.platform(),
        "languages": {},
    }
    for lang in ("ru", "en"):
        turns = transcript(lang, args.words)
        word_value.cache_clear()
        _ru_scores.cache_clear()
        cold, spans = _pass(turns, lang, model)
        warm = [_pass(turns, lang, model)[0] for _ in range(args.repeat)]
        batch = [_batch_pass(turns, lang, model) for _ in range(args.repeat)]
        whole = [_pass(["\n".join(turns)], lang, model)[0] for _ in range(args.repeat)]
        results["languages"][lang] = {
            "turns": len(turns),
            "words": sum(len(t.split()) for t in turns),
            "characters": sum(len(t) for t in turns),
            "spans": spans,
            "cold_s": round(cold, 3),
            "warm_median_s": round(statistics.median(warm), 3),
            "warm_max_s": round(max(warm), 3),
            "batch_median_s": round(statistics.median(batch), 3),
            "one_text_median_s": round(statistics.median(whole), 3),
        }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"load (dictionaries, name lists, models): {results['load_s']} s CPU")
    for lang, r in results["languages"].items():
        print(
            f"{lang}: {r['words']} words in {r['turns']} turns, {r['spans']} spans; "
            f"cold {r['cold_s']} s, warm median {r['warm_median_s']} s (max {r['warm_max_s']}); "
            f"as a batch {r['batch_median_s']} s; "
            f"as one text {r['one_text_median_s']} s CPU"
        )


if __name__ == "__main__":
    main()
