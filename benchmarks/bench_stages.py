"""Where a transcription's time goes, stage by stage, for the default configuration.

The same audio as ``bench_transcription.py`` (Asterisk prompts joined per language and a stereo
call). After a warm-up call, each item is transcribed ``--rounds`` times; every stage is timed
around the library's own calls: reading the file, finding speech (Silero VAD), identifying the
language, the Whisper encoder, the decoder (beam search), the word-time alignment, and the rest
(merging channels, glossary, checks). CPU seconds (all threads of this process) are shown beside
wall seconds, since wall time on a shared machine grows with the load while CPU time barely does.

    .venv/bin/python benchmarks/bench_stages.py
    .venv/bin/python benchmarks/bench_stages.py --seconds 30 --rounds 1 --json stages.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_transcription import WARM_UP, build_audio, machine  # noqa: E402

from transcription import engines  # noqa: E402
from transcription.engines import load_transcriber  # noqa: E402

STAGES = ("read audio", "find speech", "language", "encoder", "decoder", "alignment", "rest")


class StageClock:
    """Adds up wall and CPU seconds per stage; stages may not nest."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)

    def timed(self, stage: str, call: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return call(*args, **kwargs)
            finally:
                self.wall[stage] += time.perf_counter() - wall
                self.cpu[stage] += time.process_time() - cpu

        return run


class TimedModel:
    """The CTranslate2 Whisper model with its encode, generate and align calls timed."""

    def __init__(self, model: Any, clock: StageClock) -> None:
        self._model = model
        self.encode = clock.timed("encoder", model.encode)
        self.generate = clock.timed("decoder", model.generate)
        self.align = clock.timed("alignment", model.align)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)


def instrument(clock: StageClock) -> Any:
    """Load the default transcriber and time its stages (module attributes it looks up)."""
    transcriber = load_transcriber()
    whisper = transcriber.backend.model  # type: ignore[attr-defined]
    whisper.model = TimedModel(whisper.model, clock)
    engines.load_audio = clock.timed("read audio", engines.load_audio)  # type: ignore[assignment]
    engines.layout_speech = clock.timed("find speech", engines.layout_speech)  # type: ignore[assignment]
    backend = transcriber.backend
    backend.detect_language = clock.timed("language", backend.detect_language)  # type: ignore[method-assign]
    return transcriber


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="audio per language (mono)")
    parser.add_argument("--languages", default="ru,en")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--detect", action="store_true", help="let the engine find the language")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="qa-stages-"))
    items = build_audio(workdir, args.seconds, args.languages.split(","))
    clock = StageClock()
    transcriber = instrument(clock)
    transcriber.transcribe(WARM_UP, language="en", agent_channel=None)
    print(machine())
    results = []
    for item in items:
        clock.wall.clear()
        clock.cpu.clear()
        wall, cpu = time.perf_counter(), time.process_time()
        duration = 0.0
        for _ in range(args.rounds):
            transcript = transcriber.transcribe(
                str(item["path"]),
                language=None if args.detect else str(item["language"]),
                agent_channel=item["agent_channel"],  # type: ignore[arg-type]
            )
            duration += transcript.duration
        total_wall = time.perf_counter() - wall
        total_cpu = time.process_time() - cpu
        clock.wall["rest"] = total_wall - sum(clock.wall.values())
        clock.cpu["rest"] = total_cpu - sum(clock.cpu.values())
        row = {
            "item": item["name"],
            "audio_seconds": round(duration / args.rounds, 1),
            "rtf": round(total_wall / duration, 4),
            "cpu_per_audio_second": round(total_cpu / duration, 4),
            "stages": {
                stage: {
                    "wall_share": round(clock.wall[stage] / total_wall, 3),
                    "cpu_share": round(clock.cpu[stage] / total_cpu, 3),
                }
                for stage in STAGES
            },
        }
        results.append(row)
        print(
            f"\n{row['item']}: {row['audio_seconds']} s audio, RTF {row['rtf']}, "
            f"{row['cpu_per_audio_second']} CPU s per audio s"
        )
        print(f"{'stage':<12} {'wall %':>7} {'CPU %':>7}")
        for stage, share in row["stages"].items():
            print(f"{stage:<12} {share['wall_share']:>7.1%} {share['cpu_share']:>7.1%}")
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine(), "items": results}, indent=2))


if __name__ == "__main__":
    main()
