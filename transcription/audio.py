"""Probe and decode recordings with PyAV (no system ffmpeg), with limits and clear errors."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from transcription.errors import AudioError
from transcription.types import AudioInfo

SAMPLE_RATE = 16_000
DEFAULT_MAX_BYTES = 300 * 1024**2
DEFAULT_MAX_SECONDS = 3 * 3600
# Seconds that probe_audio decodes to decide dual-mono: enough speech to tell, cheap on any file.
PROBE_SECONDS = 60.0
# Two channels whose waveforms correlate this closely carry the same signal (dual-mono).
DUAL_MONO_CORRELATION = 0.98

Samples = npt.NDArray[np.float32]


def probe_audio(
    path: str | Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_seconds: float = DEFAULT_MAX_SECONDS,
) -> AudioInfo:
    """Check that a file is usable audio within the limits and describe it."""
    path = Path(path)
    check_media_file(path, max_bytes)
    import av

    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            stream = _audio_stream(container, path)
            cc = stream.codec_context
            channels = int(cc.layout.nb_channels or cc.channels or 0)
            duration = container_duration(container, stream)
            if duration is not None:
                _check_duration(path, duration, max_seconds)
            head = _decode_stream(container, stream, path, limit=PROBE_SECONDS)
            container_name = str(container.format.name)
    except av.FFmpegError as exc:
        raise _unreadable(path, exc) from exc
    if duration is None:
        duration = decode_audio(path, max_bytes=max_bytes, max_seconds=max_seconds).shape[1] / (
            SAMPLE_RATE
        )
    if head.shape[1] == 0:
        raise AudioError(f"{path.name} contains no decodable audio (it may be corrupt or cut off).")
    return AudioInfo(
        duration=round(float(duration), 3),
        channels=channels,
        sample_rate=int(cc.sample_rate or 0),
        codec=str(cc.name),
        dual_mono=is_dual_mono(head),
        container=container_name,
    )


def decode_audio(
    path: str | Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_seconds: float = DEFAULT_MAX_SECONDS,
) -> Samples:
    """Decode to float32 samples at 16 kHz, shape (channels, n): 2 for stereo, else 1 (mixed)."""
    return load_audio(path, max_bytes=max_bytes, max_seconds=max_seconds)[1]


def load_audio(
    path: str | Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_seconds: float = DEFAULT_MAX_SECONDS,
) -> tuple[AudioInfo, Samples]:
    """Decode a whole file once: its AudioInfo (dual-mono judged on all of it) and samples."""
    path = Path(path)
    check_media_file(path, max_bytes)
    import av

    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            stream = _audio_stream(container, path)
            cc = stream.codec_context
            duration = container_duration(container, stream)
            if duration is not None:
                _check_duration(path, duration, max_seconds)
            samples = _decode_stream(container, stream, path, limit=None, max_seconds=max_seconds)
            container_name = str(container.format.name)
    except av.FFmpegError as exc:
        raise _unreadable(path, exc) from exc
    if samples.shape[1] == 0:
        raise AudioError(f"{path.name} contains no decodable audio (it may be corrupt or cut off).")
    info = AudioInfo(
        duration=round(samples.shape[1] / SAMPLE_RATE, 3),
        channels=int(cc.layout.nb_channels or cc.channels or samples.shape[0]),
        sample_rate=int(cc.sample_rate or 0),
        codec=str(cc.name),
        dual_mono=is_dual_mono(samples),
        container=container_name,
    )
    return info, samples


def is_dual_mono(samples: Samples) -> bool:
    """True when a two-channel signal carries the same audio on both sides (or only silence)."""
    if samples.ndim != 2 or samples.shape[0] != 2:
        return False
    left = samples[0].astype(np.float64)
    right = samples[1].astype(np.float64)
    norm_l = float(np.sqrt(np.dot(left, left)))
    norm_r = float(np.sqrt(np.dot(right, right)))
    silent = 1e-3 * np.sqrt(max(len(left), 1))  # about -60 dBFS RMS
    if norm_l < silent and norm_r < silent:
        return True
    if norm_l < silent or norm_r < silent:
        return False  # one side silent: a stereo call where only one party spoke
    return float(np.dot(left, right)) / (norm_l * norm_r) >= DUAL_MONO_CORRELATION


def to_mono(samples: Samples) -> Samples:
    """Average the channels into one (1, n) array."""
    if samples.shape[0] == 1:
        return samples
    mono: Samples = samples.mean(axis=0, keepdims=True, dtype=np.float32)
    return mono


def check_media_file(
    path: Path,
    max_bytes: int,
    *,
    error: type[AudioError] = AudioError,
    noun: str = "an audio file",
    what: str = "recordings",
) -> None:
    """Refuse a missing, unreadable, empty or too large file with a reason naming it; videos
    pass their own error type and words."""
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        raise error(f"{path.name}: no such file ({path}).") from None
    except OSError as exc:
        raise error(f"{path.name} cannot be read: {exc.strerror}.") from exc
    if path.is_dir():
        raise error(f"{path.name} is a folder, not {noun}.")
    if size == 0:
        raise error(f"{path.name} is empty (0 bytes).")
    if size > max_bytes:
        raise error(
            f"{path.name} is {_megabytes(size)}; {what} over {_megabytes(max_bytes)} "
            "are not accepted."
        )


def _check_duration(path: Path, seconds: float, max_seconds: float) -> None:
    if seconds > max_seconds:
        raise AudioError(
            f"{path.name} lasts {_clock(seconds)}; recordings longer than "
            f"{_clock(max_seconds)} are not accepted."
        )


def _audio_stream(container: Any, path: Path) -> Any:
    streams = container.streams.audio
    if not streams:
        raise AudioError(f"{path.name} has no audio track.")
    return streams[0]


def container_duration(container: Any, stream: Any) -> float | None:
    """The stream's duration in seconds, else the container's, else None."""
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration) / 1_000_000
    return None


def _decode_stream(
    container: Any,
    stream: Any,
    path: Path,
    *,
    limit: float | None,
    max_seconds: float = DEFAULT_MAX_SECONDS,
) -> Samples:
    """Decode, resample to 16 kHz float (mono, or stereo for 2+ channels) and stack channels."""
    import av

    cc = stream.codec_context
    # Two channels are a call's two sides; any other layout (5.1 and the like) is mixed to mono.
    layout = "stereo" if int(cc.layout.nb_channels or cc.channels or 1) == 2 else "mono"
    resampler = av.AudioResampler(format="fltp", layout=layout, rate=SAMPLE_RATE)
    chunks: list[Samples] = []
    total = 0
    stop = limit if limit is not None else max_seconds
    try:
        for frame in container.decode(stream):
            frame.pts = None  # timestamps from broken muxers confuse the resampler; order is enough
            for out in resampler.resample(frame):
                chunks.append(np.asarray(out.to_ndarray(), dtype=np.float32))
                total += out.samples
            if total > stop * SAMPLE_RATE:
                if limit is None:
                    _check_duration(path, total / SAMPLE_RATE, max_seconds)
                break
        else:
            for out in resampler.resample(None):
                chunks.append(np.asarray(out.to_ndarray(), dtype=np.float32))
    except av.FFmpegError as exc:
        raise AudioError(
            f"{path.name} is corrupt: decoding failed after {total / SAMPLE_RATE:.1f} s "
            f"({_reason(exc)})."
        ) from exc
    channels = 1 if layout == "mono" else 2
    if not chunks:
        return np.zeros((channels, 0), dtype=np.float32)
    samples = np.concatenate(chunks, axis=1).astype(np.float32, copy=False)
    if limit is not None:
        samples = samples[:, : int(limit * SAMPLE_RATE)]
    return np.ascontiguousarray(samples)


def _unreadable(path: Path, exc: Exception) -> AudioError:
    return AudioError(
        f"{path.name} is not a readable audio file: it is corrupt or not audio "
        f"(decoder said: {_reason(exc)})."
    )


def _reason(exc: Exception) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return str(text).split(":")[0].strip().rstrip(".") or type(exc).__name__


def _megabytes(size: int) -> str:
    if size < 1024**2:
        return f"{max(size // 1024, 1)} KB"
    return f"{size / 1024**2:.1f}".removesuffix(".0") + " MB"


def _clock(seconds: float) -> str:
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{seconds:.1f} s"
