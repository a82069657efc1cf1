"""Time the redacted copy of a one-hour stereo call: decode, beep each value, write the WAV.

Usage: python benchmarks/bench_redact_audio.py [--minutes N] [--spans N] [--rate HZ] [--json]

The recording is a synthetic stereo 16-bit PCM WAV (telephone rate by default) written to a
temporary folder; ``--spans`` values of 1.5 s each are spread over it, alternating channels,
as the app's job passes them to ``privacy.audio.redact_audio``. Wall-clock seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from privacy.audio import decode_pcm16, redact_audio, write_wav  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--spans", type=int, default=200)
    parser.add_argument("--rate", type=int, default=8000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    n = int(args.minutes * 60 * args.rate)
    rng = np.random.default_rng(1)
    samples = (rng.standard_normal((2, n)) * 3000).astype(np.int16)
    step = args.minutes * 60 / (args.spans + 1)
    spans = [
        {"time_start": step * (i + 1), "time_end": step * (i + 1) + 1.5, "channel": i % 2}
        for i in range(args.spans)
    ]
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "call.wav"
        write_wav(source, samples, args.rate)
        started = time.perf_counter()
        decoded, rate = decode_pcm16(source)
        decoded_at = time.perf_counter()
        out, _ = redact_audio(decoded, spans, "beep", sample_rate=rate)
        redacted_at = time.perf_counter()
        write_wav(Path(folder) / "call.redacted.wav", out, rate)
        written_at = time.perf_counter()
        size = source.stat().st_size
    result = {
        "minutes": args.minutes,
        "spans": args.spans,
        "rate": args.rate,
        "bytes": size,
        "decode_s": round(decoded_at - started, 3),
        "redact_s": round(redacted_at - decoded_at, 3),
        "write_s": round(written_at - redacted_at, 3),
        "total_s": round(written_at - started, 3),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
