"""Redacting a recording: each personal-data span beeped or silenced on its speaker's channel.

``redact_audio(samples_or_path, spans, mode)`` returns new samples of the same shape and type:
inside each span's time on its channel the signal is replaced by a 1 kHz tone ("beep") or by
zeros ("silence"); every other sample is the input's, unchanged. A path is decoded with PyAV at
its own sample rate and channel count as 16-bit PCM (lossless for 16-bit recordings);
:func:`write_wav` stores the result as a PCM WAV file.
"""

from __future__ import annotations

import wave
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

MODES = ("beep", "silence")
BEEP_HZ = 1000.0
# The tone's amplitude as a share of full scale (about -12 dBFS: audible, not painful).
BEEP_LEVEL = 0.25

Samples = npt.NDArray[Any]


class AudioRedactionError(ValueError):
    """The recording cannot be decoded, or a span or the mode is unusable."""


def redact_audio(
    samples_or_path: Samples | str | Path,
    spans: Iterable[Mapping[str, Any]],
    mode: str = "beep",
    *,
    sample_rate: int | None = None,
) -> tuple[Samples, int]:
    """Beep or silence each span (``channel``, ``time_start``/``start``, ``time_end``/``end`` in
    seconds) and return ``(samples, sample_rate)``; samples are shaped (channels, n).

    A span whose channel is None covers every channel; a channel the recording lacks, or a span
    outside the recording, changes nothing.
    """
    if mode not in MODES:
        raise AudioRedactionError(f"mode must be one of {MODES}, got {mode!r}")
    if isinstance(samples_or_path, str | Path):
        samples, rate = decode_pcm16(samples_or_path)
    else:
        if sample_rate is None or sample_rate <= 0:
            raise AudioRedactionError("sample_rate is required with samples")
        samples, rate = np.array(samples_or_path, copy=True), int(sample_rate)
        if samples.ndim == 1:
            samples = samples[np.newaxis, :]
        if samples.ndim != 2:
            raise AudioRedactionError("samples must be shaped (channels, n)")
    out = samples
    channels, length = out.shape
    for span in spans:
        start, end = _seconds(span, "time_start", "start"), _seconds(span, "time_end", "end")
        if start is None or end is None or end <= start:
            continue
        first = max(0, int(np.floor(start * rate)))
        last = min(length, int(np.ceil(end * rate)))
        if last <= first:
            continue
        channel = span.get("channel")
        if channel is None:
            targets = list(range(channels))
        elif isinstance(channel, int) and 0 <= channel < channels:
            targets = [channel]
        else:
            continue
        fill = _fill(mode, first, last, rate, out.dtype)
        for target in targets:
            out[target, first:last] = fill
    return out, rate


def _seconds(span: Mapping[str, Any], *names: str) -> float | None:
    for name in names:
        value = span.get(name)
        if value is None:
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        return number if np.isfinite(number) else None
    return None


def _fill(mode: str, first: int, last: int, rate: int, dtype: np.dtype[Any]) -> Samples:
    if mode == "silence":
        return np.zeros(last - first, dtype=dtype)
    # The tone keeps its phase from the recording's start, so adjacent spans join smoothly.
    t = np.arange(first, last, dtype=np.float64) / rate
    tone = BEEP_LEVEL * np.sin(2 * np.pi * BEEP_HZ * t)
    if np.issubdtype(dtype, np.integer):
        return np.round(tone * np.iinfo(dtype).max).astype(dtype)
    return tone.astype(dtype)


def decode_pcm16(path: str | Path) -> tuple[Samples, int]:
    """All audio of ``path`` as int16 samples (channels, n) at the file's own rate."""
    path = Path(path)
    plain = _read_pcm16_wav(path)
    if plain is not None:
        return plain
    import av

    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioRedactionError(f"{path.name} has no audio stream")
            stream = container.streams.audio[0]
            rate = int(stream.codec_context.sample_rate or 0)
            layout = stream.codec_context.layout
            resampler = av.AudioResampler(format="s16p", layout=layout, rate=rate)
            chunks = []
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray())
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray())
    except av.FFmpegError as exc:
        raise AudioRedactionError(f"{path.name} cannot be decoded: {exc}") from exc
    if not chunks or rate <= 0:
        raise AudioRedactionError(f"{path.name} contains no decodable audio")
    return np.concatenate(chunks, axis=1).astype(np.int16, copy=False), rate


def _read_pcm16_wav(path: Path) -> tuple[Samples, int] | None:
    """A 16-bit PCM WAV read as it is stored (fast); None for anything else."""
    try:
        with wave.open(str(path), "rb") as source:
            if source.getsampwidth() != 2 or source.getcomptype() != "NONE":
                return None
            channels, rate = source.getnchannels(), source.getframerate()
            data = source.readframes(source.getnframes())
    except (wave.Error, EOFError, OSError):
        return None
    if channels < 1 or rate <= 0 or not data:
        return None
    frames = np.frombuffer(data[: len(data) - len(data) % (2 * channels)], dtype="<i2")
    return frames.reshape(-1, channels).T.astype(np.int16), rate


def write_wav(path: str | Path, samples: Samples, sample_rate: int) -> None:
    """Store int16 samples (channels, n) as a 16-bit PCM WAV file."""
    data = np.asarray(samples)
    if data.dtype != np.int16:
        data = np.round(np.clip(data, -1.0, 1.0) * 32767).astype(np.int16)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(data.shape[0])
        out.setsampwidth(2)
        out.setframerate(int(sample_rate))
        out.writeframes(np.ascontiguousarray(data.T).astype("<i2").tobytes())
