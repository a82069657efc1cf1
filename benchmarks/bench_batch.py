"""Batch throughput of `qa worker`: audio minutes transcribed per minute with 1, 2 and 4
worker processes.

Each run gets a fresh instance (SQLite database and SQLite queue), queues N distinct copies of a
recording with `qa transcribe --enqueue --no-follow`, starts
`qa worker --concurrency K --threads T --model M` and times the jobs from the first claim to the
last finish (model loading before the first claim is left out). T defaults to cores / K, so
every run uses the whole machine.

    .venv/bin/python benchmarks/bench_batch.py                      # 8 files, 1, 2 and 4 workers
    .venv/bin/python benchmarks/bench_batch.py --files 4 --workers 1 2 4 --model tiny.en \
        --audio tests/data/audio/en_call_stereo.mp3
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import wave
from datetime import datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transcription import decode_audio, default_cache_dir  # noqa: E402

QA = str(ROOT / ".venv" / "bin" / "qa")
DEFAULT_AUDIO = ROOT / "qa" / "demo" / "recordings" / "ru_sofa_price.ogg"


def write_copies(source: Path, folder: Path, count: int) -> None:
    """Distinct files (a different faint dither in each), so the sha256 check keeps them all."""
    samples = decode_audio(source)
    for n in range(count):
        rng = np.random.default_rng(n)
        noisy = samples + rng.normal(0, 1e-4, samples.shape).astype(np.float32)
        pcm = (np.clip(noisy.T, -1, 1) * 32767).astype("<i2")
        with wave.open(str(folder / f"call-{n:03d}.wav"), "wb") as out:
            out.setnchannels(samples.shape[0])
            out.setsampwidth(2)
            out.setframerate(16_000)
            out.writeframes(pcm.tobytes())


def run(workers: int, args: argparse.Namespace) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as tmp:
        base = Path(tmp)
        threads = args.threads or max(1, (os.cpu_count() or 2) // workers)
        env = {
            **os.environ,
            # This checkout's code, whichever checkout the virtual environment was installed from.
            "PYTHONPATH": str(ROOT),
            "QA_INSTANCE_PATH": str(base / "instance"),
            "QA_SECRET_KEY": "bench",
            "QA_MODEL_CACHE_DIR": str(default_cache_dir()),
        }
        subprocess.run(  # noqa: S603 - our own console script
            [QA, "db", "upgrade"], env=env, check=True, capture_output=True
        )
        batch = base / "batch"
        batch.mkdir()
        write_copies(Path(args.audio), batch, args.files)
        subprocess.run(  # noqa: S603
            [QA, "transcribe", "--enqueue", "--no-follow", "--agent-channel", "left", str(batch)],
            env=env,
            check=True,
            capture_output=True,
        )
        log = open(base / "worker.log", "wb")  # noqa: SIM115 - closed below
        kind = "process" if workers > 1 else "thread"
        worker = subprocess.Popen(  # noqa: S603
            [
                QA,
                "worker",
                "--concurrency",
                str(workers),
                "--worker-type",
                kind,
                "--threads",
                str(threads),
                "--model",
                args.model,
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        db = sqlite3.connect(base / "instance" / "qa.sqlite3")
        try:
            while True:
                (left,) = db.execute(
                    "SELECT count(*) FROM transcription_jobs WHERE status IN ('queued', 'running')"
                ).fetchone()
                if left == 0:
                    break
                if worker.poll() is not None:
                    raise SystemExit((base / "worker.log").read_text()[-3000:])
                time.sleep(0.5)
        finally:
            worker.send_signal(signal.SIGINT)
            worker.wait(timeout=60)
            log.close()
        first, last, done = db.execute(
            "SELECT min(started_at), max(finished_at), sum(status = 'done') FROM transcription_jobs"
        ).fetchone()
        (audio,) = db.execute("SELECT sum(duration) FROM calls").fetchone()
        db.close()
        wall = (datetime.fromisoformat(last) - datetime.fromisoformat(first)).total_seconds()
        return {
            "workers": workers,
            "threads": threads,
            "files": args.files,
            "done": done,
            "audio_min": audio / 60,
            "wall_s": wall,
            "audio_min_per_min": audio / wall,
            "rtf": wall / audio,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--model", default="base")
    parser.add_argument("--threads", type=int, default=0, help="per worker (default: cores/K)")
    parser.add_argument("--audio", default=str(DEFAULT_AUDIO))
    args = parser.parse_args()
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    print(
        f"# {cpu}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; model {args.model} "
        f"int8; audio {Path(args.audio).name}"
    )
    print("# load is the 1-minute load average at the start; on a shared machine figures vary")
    print("workers threads files done audio_min wall_s audio_min/min RTF")
    for workers in args.workers:
        r = run(workers, args)
        print(
            f"{r['workers']:>7} {r['threads']:>7} {r['files']:>5} {r['done']:>4} "
            f"{r['audio_min']:>9.2f} {r['wall_s']:>6.1f} {r['audio_min_per_min']:>13.2f} "
            f"{r['rtf']:>5.3f}"
        )


if __name__ == "__main__":
    main()
