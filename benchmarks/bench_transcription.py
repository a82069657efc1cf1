"""Speed, accuracy and memory of the transcription engines on real 8 kHz telephone speech.

Audio: Debian's Asterisk prompts (asterisk-core-sounds-ru/-en-wav, one human voice, CC-BY-SA-3.0)
joined into a few minutes per language with their published transcripts as references, plus a
stereo call built from other Russian prompts (agent and customer alternate on their channels).
Every configuration runs in its own process (same audio, same base weights, 2 CPU threads), so
peak memory is that of one engine.

    .venv/bin/python benchmarks/bench_transcription.py  # all configs, ~8 min on a quiet machine
    .venv/bin/python benchmarks/bench_transcription.py --seconds 30 --configs fw-int8-b5,ow-b5
    .venv/bin/python benchmarks/bench_transcription.py --throughput       # 1 vs 2 workers
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SOUNDS = Path("/usr/share/asterisk/sounds")
DOCS = Path("/usr/share/doc")
DEMO = ROOT / "qa" / "demo" / "recordings"
WARM_UP = str(ROOT / "tests" / "data" / "audio" / "en_mono_8k_alaw.wav")
GAP = 0.6  # seconds of silence between prompts, and between turns of the stereo call

CONFIGS: dict[str, dict[str, object]] = {
    "ow-b5": {"engine": "openai-whisper", "beam_size": 5, "vad": True},
    "ow-b5-novad": {"engine": "openai-whisper", "beam_size": 5, "vad": False},
    "ow-b1": {"engine": "openai-whisper", "beam_size": 1, "vad": True},
    "fw-int8-b5": {"compute_type": "int8", "beam_size": 5, "vad": True, "batch_size": 1},
    "fw-int8-b5-novad": {"compute_type": "int8", "beam_size": 5, "vad": False, "batch_size": 1},
    "fw-int8-b1": {"compute_type": "int8", "beam_size": 1, "vad": True, "batch_size": 1},
    "fw-f32-b5": {"compute_type": "float32", "beam_size": 5, "vad": True, "batch_size": 1},
    "fw-int8-b5-batch8": {"compute_type": "int8", "beam_size": 5, "vad": True, "batch_size": 8},
    "fw-int8-b5-batch8-novad": {
        "compute_type": "int8",
        "beam_size": 5,
        "vad": False,
        "batch_size": 8,
    },
    "fw-f32-b5-batch8": {"compute_type": "float32", "beam_size": 5, "vad": True, "batch_size": 8},
    # The default before 15 s windows: Whisper's 30 s windows, every encoder input padded to 30 s.
    "fw-int8-b5-batch8-w30": {
        "compute_type": "int8",
        "beam_size": 5,
        "vad": True,
        "batch_size": 8,
        "window": 30.0,
        "fit_window": None,
    },
    # 30 s windows, encoder input cut to the longest window of each batch (rounded up to 5 s).
    "fw-int8-b5-batch8-w30fit": {
        "compute_type": "int8",
        "beam_size": 5,
        "vad": True,
        "batch_size": 8,
        "window": 30.0,
        "fit_window": 5.0,
    },
}


def norm(text: str) -> str:
    """Lower case, ё as е, no punctuation: what WER compares."""
    return " ".join(re.findall(r"[\w']+", text.lower().replace("ё", "е")))


def prompts(language: str) -> list[tuple[Path, str]]:
    """Spoken prompts with their transcripts, shuffled the same way every run."""
    index = DOCS / f"asterisk-core-sounds-{language}" / f"core-sounds-{language}.txt.gz"
    if not index.is_file():
        raise SystemExit(f"apt-get install asterisk-core-sounds-{language}-wav first ({index})")
    with gzip.open(index, "rt", encoding="utf-8") as fh:
        lines = fh.readlines()
    found = []
    for line in lines:
        name, sep, text = line.partition(":")
        wav = SOUNDS / language / f"{name.strip()}.wav"
        words = norm(text).split()
        if (
            sep
            and not line.startswith(";")
            and "[" not in text
            and len(words) >= 3
            and wav.is_file()
        ):
            found.append((wav, text.strip()))
    found.sort()
    random.Random(2026).shuffle(found)  # noqa: S311 (a fixed sample, not a secret)
    return found


def _pcm(path: Path) -> bytes:
    with wave.open(str(path)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 8000), path
        return w.readframes(w.getnframes())


def _write(path: Path, frames: bytes, channels: int) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(frames)


def build_audio(workdir: Path, seconds: float, languages: list[str]) -> list[dict[str, object]]:
    """Joined mono files per language and one stereo call; returns items with references."""
    items: list[dict[str, object]] = []
    silence = b"\0\0" * int(GAP * 8000)
    for language in languages:
        pool = prompts(language)
        chosen, total = [], 0.0
        while total < seconds and pool:
            wav, text = pool.pop(0)
            chosen.append((wav, text))
            total += len(_pcm(wav)) / 16000 + GAP
        path = workdir / f"{language}_joined.wav"
        _write(path, silence.join(_pcm(w) for w, _ in chosen), 1)
        items.append(
            {
                "name": f"{language} mono",
                "path": str(path),
                "language": language,
                "agent_channel": None,
                "reference": " ".join(t for _, t in chosen),
                "prompts": len(chosen),
            }
        )
        if language == languages[0]:
            items.append(_stereo_call(workdir, pool, seconds, language))
    return items


def _stereo_call(
    workdir: Path, pool: list[tuple[Path, str]], seconds: float, language: str
) -> dict[str, object]:
    """Prompts alternating between the left (agent) and right (customer) channel."""
    left, right, texts = bytearray(), bytearray(), []
    gap = b"\0\0" * int(GAP * 8000)
    side = 0
    while len(left) / 16000 < seconds and pool:
        wav, text = pool.pop(0)
        pcm = _pcm(wav)
        speak, wait = (left, right) if side == 0 else (right, left)
        speak += pcm + gap
        wait += b"\0" * len(pcm) + gap
        texts.append(text)
        side = 1 - side
    frames = bytearray()
    for i in range(0, len(left), 2):  # interleave the two channels sample by sample
        frames += left[i : i + 2] + right[i : i + 2]
    path = workdir / f"{language}_stereo_call.wav"
    _write(path, bytes(frames), 2)
    return {
        "name": f"{language} stereo call",
        "path": str(path),
        "language": language,
        "agent_channel": "left",
        "reference": " ".join(texts),
        "prompts": len(texts),
    }


def run_child(config: dict[str, object], items: list[dict[str, object]], cache: str) -> None:
    """Inside one process: load the engine, transcribe every item, print JSON results."""
    import jiwer

    from transcription import load_transcriber

    started = time.perf_counter()
    transcriber = load_transcriber(
        str(config.get("engine", "faster-whisper")),
        compute_type=str(config.get("compute_type", "int8")),
        cpu_threads=int(config.get("threads", 2)),  # type: ignore[call-overload]
        batch_size=int(config.get("batch_size", 1)),  # type: ignore[call-overload]
        cache_dir=cache,
        **{k: config[k] for k in ("window", "fit_window") if k in config},  # type: ignore[arg-type]
    )
    load_seconds = time.perf_counter() - started
    # One short call first, so lazy set-up (thread pools, numba's compile for openai-whisper's
    # word alignment) is not billed to the first measured item.
    transcriber.transcribe(
        WARM_UP,
        language="en",
        agent_channel=None,
        beam_size=int(config.get("beam_size", 5)),  # type: ignore[call-overload]
    )
    start_at = float(config.get("start_at", 0.0))  # type: ignore[arg-type]
    while time.time() < start_at:
        time.sleep(0.05)
    results = []
    for item in items:
        cpu0 = _cpu()
        t0 = time.perf_counter()
        transcript = transcriber.transcribe(
            str(item["path"]),
            language=str(item["language"]),
            agent_channel=item["agent_channel"],  # type: ignore[arg-type]
            beam_size=int(config.get("beam_size", 5)),  # type: ignore[call-overload]
            vad=bool(config.get("vad", True)),
        )
        seconds = time.perf_counter() - t0
        cpu = _cpu() - cpu0
        reference = item.get("reference")
        results.append(
            {
                "name": item["name"],
                "audio_seconds": transcript.duration,
                "seconds": round(seconds, 2),
                "rtf": round(seconds / transcript.duration, 4),
                "cpu_rtf": round(cpu / transcript.duration, 4),
                "wer": round(jiwer.wer(norm(str(reference)), norm(transcript.text)), 4)
                if reference
                else None,
                "wall": [t0, time.perf_counter()],
            }
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"load_seconds": round(load_seconds, 2), "peak_mb": round(peak_mb), "items": results}
        )
    )


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def spawn(
    config: dict[str, object], items: list[dict[str, object]], cache: str
) -> subprocess.Popen[str]:
    """Start one child process for a configuration."""
    payload = json.dumps({"config": config, "items": items, "cache": cache})
    return subprocess.Popen(  # noqa: S603 (this same script)
        [sys.executable, __file__, "--child", payload], stdout=subprocess.PIPE, text=True
    )


def collect(proc: subprocess.Popen[str]) -> dict[str, object]:
    """Wait for a child and parse its JSON line."""
    out, _ = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"benchmark child failed with exit code {proc.returncode}")
    return dict(json.loads(out.strip().splitlines()[-1]))


def _row(name: str, r: dict[str, object], peak_mb: object) -> None:
    wer = f"{100 * r['wer']:.1f}%" if r["wer"] is not None else "-"  # type: ignore[operator]
    print(
        f"| {name} | {r['name']} | {r['audio_seconds']:.0f} | {r['rtf']:.3f} | "
        f"{r['cpu_rtf']:.3f} | {wer} | {peak_mb} |",
        flush=True,
    )


def machine() -> str:
    """CPU model, cores and load, for the record next to every number."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    python = platform.python_version()
    return f"{cpu}, {os.cpu_count()} cores visible, load average {load}, Python {python}"


def throughput(cache: str, repeat: int) -> None:
    """Demo calls through 1 worker (2 threads) and through 2 workers (1 thread each)."""
    manifest = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
    calls = [
        {
            "name": m["file"],
            "path": str(DEMO / m["file"]),
            "language": m["language"],
            "agent_channel": m["agent_channel"],
        }
        for m in manifest
    ] * repeat
    for workers, threads in ((1, 2), (2, 1)):
        start_at = time.time() + 20  # after every worker has loaded its model
        config = {**CONFIGS[DEFAULT], "threads": threads, "start_at": start_at}
        procs = [spawn(config, calls[w::workers], cache) for w in range(workers)]
        results = [collect(p) for p in procs]
        spans = [i["wall"] for r in results for i in r["items"]]  # type: ignore[attr-defined]
        wall = max(e for _, e in spans) - min(s for s, _ in spans)
        audio = sum(i["audio_seconds"] for r in results for i in r["items"])  # type: ignore[attr-defined]
        print(
            f"| {workers} worker(s) x {threads} thread(s) | {len(calls)} calls | "
            f"{audio / 60:.1f} audio min | {wall:.1f} s | {audio / wall:.1f}x real time |"
        )


DEFAULT = "fw-int8-b5-batch8"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=60, help="audio per language (mono)")
    parser.add_argument("--languages", default="ru,en")
    parser.add_argument("--configs", default=",".join(CONFIGS), help="comma-separated names")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "qa-bench-models"))
    parser.add_argument("--throughput", action="store_true", help="only the 1 vs 2 worker run")
    parser.add_argument("--repeat", type=int, default=2, help="demo calls per worker run")
    parser.add_argument("--json", help="also write all results to this file")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run the configs this many times in turn (A B A B ...) and also print each one's best",
    )
    args = parser.parse_args()
    if args.child:
        payload = json.loads(args.child)
        run_child(payload["config"], payload["items"], payload["cache"])
        return
    print(f"Machine: {machine()}\n")
    if args.throughput:
        print("| workers | calls | audio | wall | speed |\n|---|---|---|---|---|")
        throughput(args.cache, args.repeat)
        return
    names = [n.strip() for n in args.configs.split(",") if n.strip()]
    unknown = [n for n in names if n not in CONFIGS]
    if unknown:
        raise SystemExit(f"unknown config(s) {unknown}; choose from {', '.join(CONFIGS)}")
    all_results = {}
    with tempfile.TemporaryDirectory() as tmp:
        items = build_audio(Path(tmp), args.seconds, args.languages.split(","))
        for item in items:
            print(f"{item['name']}: {item['prompts']} prompts")
        print(
            "\n| config | item | audio s | RTF (wall) | CPU s per audio s | WER | peak MB |"
            "\n|---|---|---|---|---|---|---|"
        )
        # Interleaved rounds: on a shared machine the load drifts, and every config sees it alike.
        for _ in range(args.rounds):
            for name in names:
                config = {**CONFIGS[name], "threads": args.threads}
                result = collect(spawn(config, items, args.cache))
                all_results.setdefault(name, []).append(result)
                for r in result["items"]:  # type: ignore[attr-defined]
                    _row(name, r, result["peak_mb"])
        if args.rounds > 1:
            print("\nBest of each config (lowest wall and CPU time over the rounds):\n")
            for name in names:
                runs = all_results[name]
                for n, r in enumerate(runs[0]["items"]):  # type: ignore[index]
                    same = [run["items"][n] for run in runs]  # type: ignore[index]
                    best = {
                        **r,
                        "rtf": min(x["rtf"] for x in same),
                        "cpu_rtf": min(x["cpu_rtf"] for x in same),
                    }
                    _row(name, best, max(run["peak_mb"] for run in runs))  # type: ignore[type-var]
    print(f"\nMachine after the run: {machine()}")
    if args.json:
        Path(args.json).write_text(json.dumps(all_results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
