"""Throughput of find_objections: words per second and a one-hour (~9,000 words) transcript.

    python benchmarks/bench_objections.py            # both languages
    taskset -c 0 python benchmarks/bench_objections.py   # pin to one core

The transcripts are built from the hand-written training turns in file order (customer and
agent turns as labelled), ~9,000 words of distinct text, so they look like real calls: short
turns, both labels, agent speech. "first pass" runs with an empty lemma cache.
Pipelines are built before timing (as in the app, where they are cached per process). Both
wall time and process CPU time are printed: on a shared machine the CPU time is the honest
single-core figure (the detector runs in one thread). Each language is timed twice: with the
speakers as labelled, and with them removed (mono audio: every turn judged, with context).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

from scoring import build_pipeline, find_objections

DATA_DIR = Path(__file__).resolve().parent.parent / "scoring" / "training" / "objections"


def transcript(lang: str, words: int) -> list[dict]:
    rows = [
        json.loads(line)
        for line in (DATA_DIR / f"train.{lang}.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    segments: list[dict] = []
    count = 0
    t = 0.0
    while count < words:
        for row in rows:
            n = len(row["text"].split())
            speaker = row.get("speaker", "customer")
            segments.append(
                {"speaker": speaker, "start": t, "end": t + n / 2.5, "text": row["text"]}
            )
            t += n / 2.5
            count += n
            if count >= words:
                break
    return segments


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--words", type=int, default=9000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"machine: {platform.processor() or platform.machine()}, {cores} core(s) usable, "
        f"Python {platform.python_version()}"
    )
    for lang in ("ru", "en"):
        started = time.perf_counter()
        build_pipeline(lang)
        build_s = time.perf_counter() - started
        given = transcript(lang, args.words)
        # Mono audio: no roles, so every turn is judged, each after the one before it.
        unknown = [{**s, "speaker": ""} for s in given]
        for mode, segments in (("speakers given", given), ("speakers unknown", unknown)):
            words = sum(len(s["text"].split()) for s in segments)
            started = time.perf_counter()
            find_objections(segments, lang=lang)  # first pass fills the lemma cache
            cold = time.perf_counter() - started
            times, cpu = [], []
            for _ in range(args.repeat):
                started, cpu_started = time.perf_counter(), time.process_time()
                findings = find_objections(segments, lang=lang)
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - cpu_started)
            median, cpu_median = statistics.median(times), statistics.median(cpu)
            print(
                f"{lang} ({mode}): pipeline build {build_s:.2f}s; {len(segments)} segments, "
                f"{words} words; first pass {cold:.3f}s; warm: wall median {median:.3f}s "
                f"(best {min(times):.3f}s), CPU median {cpu_median:.3f}s = "
                f"{words / cpu_median:,.0f} words per CPU-second; {len(findings)} findings"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
