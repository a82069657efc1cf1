"""Time scoring.adcopy.check_ad per ad: mean, median, 95th percentile and worst, per language.

Usage: python benchmarks/bench_adcopy.py [--repeat N] [--split dev|real_dev ...] [--json]

Runs on the development ads only (the test splits are for accuracy reports). The first call per
language loads the pipeline and the lexicon and is not counted. Each ad is then audited once
"cold" (its words and dates not yet cached) and ``--repeat`` times "warm"; every call is timed
in wall-clock and processor time. Rows with an ``audit_date`` are audited on it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring.adcopy import check_ad  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "adcopy"
TODAY = datetime.date(2026, 11, 27)
LANGS = ("ru", "en")
SPLITS = ("dev", "real_dev")


def _rows(split: str, lang: str) -> list[dict[str, object]]:
    path = DATA / f"{split}.{lang}.jsonl"
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench(split: str, lang: str, repeat: int) -> dict[str, object] | None:
    """Time every ad of one split and language once cold, then ``repeat`` times warm."""
    rows = _rows(split, lang)
    if not rows:
        return None
    cold: list[float] = []
    warm: list[float] = []
    cpu: list[float] = []
    for round_number in range(repeat + 1):
        for row in rows:
            today = datetime.date.fromisoformat(str(row.get("audit_date") or TODAY.isoformat()))
            started, started_cpu = time.perf_counter(), time.process_time()
            check_ad(str(row["text"]), lang=lang, today=today)
            wall = 1000 * (time.perf_counter() - started)
            if round_number == 0:
                cold.append(wall)
            else:
                warm.append(wall)
                cpu.append(1000 * (time.process_time() - started_cpu))
    return {
        "split": split,
        "lang": lang,
        "ads": len(rows),
        "mean_chars": round(statistics.fmean(len(str(row["text"])) for row in rows)),
        # First audit of each text: word analyses and date parses are not cached yet.
        "cold_mean_ms": round(statistics.fmean(cold), 2),
        "cold_p95_ms": round(_percentile(cold, 0.95), 2),
        "warm_mean_ms": round(statistics.fmean(warm), 2),
        "warm_median_ms": round(statistics.median(warm), 2),
        "warm_p95_ms": round(_percentile(warm, 0.95), 2),
        # Processor time of this process only: less moved by other load on the machine.
        "warm_cpu_mean_ms": round(statistics.fmean(cpu), 2),
    }


def main() -> None:
    """Warm up, time, and print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--split", choices=SPLITS, action="append")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    # Dates too: the date parser loads its language data on its first call.
    check_ad("Warm up: 20% off through Friday, Dec 31. Call now", lang="en", today=TODAY)
    check_ad("Прогрев: скидка 20% до пятницы, до 31 декабря. Звоните", lang="ru", today=TODAY)
    load_ms = round(1000 * (time.perf_counter() - started))
    results = [
        result
        for split in args.split or SPLITS
        for lang in LANGS
        if (result := bench(split, lang, args.repeat)) is not None
    ]
    machine = f"{platform.machine()} {platform.system()} python {platform.python_version()}"
    if args.json:
        print(json.dumps({"machine": machine, "load_ms": load_ms, "results": results}, indent=2))
        return
    print(f"{machine}; first calls (pipeline and lexicon load) {load_ms} ms")
    print("split     lang  ads chars | cold mean   p95 | warm mean median   p95   cpu  (ms)")
    for r in results:
        print(
            f"{r['split']:9} {r['lang']:4} {r['ads']:>4} {r['mean_chars']:>5} | "
            f"{r['cold_mean_ms']:>9} {r['cold_p95_ms']:>5} | {r['warm_mean_ms']:>9} "
            f"{r['warm_median_ms']:>6} {r['warm_p95_ms']:>5} {r['warm_cpu_mean_ms']:>5}"
        )


if __name__ == "__main__":
    main()
