"""Read ad videos with PyAV (no system ffmpeg): probe, key frames and the audio's transcript.

Frames are sampled at a low rate and at scene changes; near-duplicates of the frame kept before
are dropped, so each kept frame stands for the span until the next one. The text on those
frames is read by `transcription.onscreen`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from transcription.audio import _clock, check_media_file, container_duration
from transcription.errors import AudioError, VideoError
from transcription.types import ScreenText, VideoInfo, VideoReading

VIDEO_SUFFIXES = (".mp4", ".mov", ".webm", ".mkv")
DEFAULT_MAX_VIDEO_BYTES = 200 * 1024**2
DEFAULT_MAX_VIDEO_SECONDS = 5 * 60.0
# One frame every this many seconds, besides scene changes.
SAMPLE_EVERY = 1.0
# A tiny grey copy of each frame decides: the share of its pixels that changed by more than
# PIXEL_STEP (0..1) against the frame before (a scene change) or the frame kept (a duplicate).
TINY_SIZE = (96, 54)
PIXEL_STEP = 0.1
SCENE_CHANGE = 0.3
DUPLICATE = 0.002

Grey = npt.NDArray[np.float32]


@dataclass
class KeyFrame:
    """A frame kept for reading, standing for [start, end) of the video."""

    start: float
    end: float
    image: Any  # PIL.Image.Image, RGB
    tiny: Grey


def probe_video(
    path: str | Path,
    *,
    max_bytes: int = DEFAULT_MAX_VIDEO_BYTES,
    max_seconds: float = DEFAULT_MAX_VIDEO_SECONDS,
) -> VideoInfo:
    """Check that a file is a usable video within the limits and describe it."""
    path = Path(path)
    check_media_file(path, max_bytes, error=VideoError, noun="a video file", what="videos")
    import av

    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            stream = _video_stream(container, path)
            duration = container_duration(container, stream) or 0.0
            if duration > max_seconds:
                raise VideoError(
                    f"{path.name} lasts {_clock(duration)}; videos longer than "
                    f"{_clock(max_seconds)} are not accepted."
                )
            first = next(container.decode(stream), None)
            if first is None:
                raise VideoError(f"{path.name} contains no decodable picture (corrupt or cut off).")
            cc = stream.codec_context
            return VideoInfo(
                duration=round(duration, 3),
                width=int(cc.width or first.width),
                height=int(cc.height or first.height),
                fps=round(float(stream.average_rate or stream.guessed_rate or 0), 3),
                codec=str(cc.name),
                has_audio=bool(container.streams.audio),
                container=str(container.format.name),
            )
    except av.FFmpegError as exc:
        raise VideoError(
            f"{path.name} is not a readable video file: it is corrupt or not video "
            f"(decoder said: {str(getattr(exc, 'strerror', '') or exc).split(':')[0]})."
        ) from exc


def key_frames(
    path: str | Path,
    *,
    every: float = SAMPLE_EVERY,
    max_bytes: int = DEFAULT_MAX_VIDEO_BYTES,
    max_seconds: float = DEFAULT_MAX_VIDEO_SECONDS,
) -> list[KeyFrame]:
    """Frames sampled every ``every`` seconds and at scene changes, near-duplicates dropped."""
    path = Path(path)
    info = probe_video(path, max_bytes=max_bytes, max_seconds=max_seconds)
    import av

    kept: list[KeyFrame] = []
    previous: Grey | None = None
    next_sample = 0.0
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            for frame in container.decode(stream):
                moment = float(frame.time or 0.0)
                if moment > max_seconds:
                    break
                tiny = _tiny(frame)
                scene = previous is not None and _changed(tiny, previous) > SCENE_CHANGE
                previous = tiny
                if moment < next_sample and not scene:
                    continue
                next_sample = moment + every
                if kept and _changed(tiny, kept[-1].tiny) < DUPLICATE:
                    continue
                if kept:
                    kept[-1].end = moment
                kept.append(KeyFrame(moment, moment, frame.to_image(), tiny))  # type: ignore[no-untyped-call]
    except av.FFmpegError as exc:
        if not kept:
            raise VideoError(f"{path.name} is corrupt: no frame could be decoded.") from exc
    if kept:
        kept[-1].end = max(info.duration, kept[-1].start)
    return kept


def frame_at(path: str | Path, moment: float, *, width: int = 240) -> Any:
    """The picture shown at ``moment`` seconds, scaled to ``width`` pixels (a PIL image)."""
    import av

    with av.open(str(path), mode="r", metadata_errors="ignore") as container:
        stream = container.streams.video[0]
        base = stream.time_base
        if base:
            container.seek(max(int(moment / base), 0), stream=stream, backward=True)
        chosen = None
        for frame in container.decode(stream):
            chosen = frame
            if float(frame.time or 0.0) >= moment:
                break
        if chosen is None:
            raise VideoError(f"{Path(path).name}: no picture at {moment:.1f} s.")
        height = max(2, round(chosen.height * width / max(chosen.width, 1)))
        return chosen.to_image().resize((width, height))  # type: ignore[no-untyped-call]


def read_video(
    path: str | Path,
    transcriber: Any,
    *,
    language: str | None = None,
    ocr: Any = None,
    every: float = SAMPLE_EVERY,
    max_bytes: int = DEFAULT_MAX_VIDEO_BYTES,
    max_seconds: float = DEFAULT_MAX_VIDEO_SECONDS,
) -> VideoReading:
    """Transcribe the audio track and read the text on screen of one video.

    ``transcriber`` is a `transcription.Transcriber`; ``ocr`` a `onscreen.ScreenReader` (None:
    the default one, if Tesseract is installed; False: do not read the screen). Raises VideoError
    for a bad file.
    """
    from transcription.onscreen import default_reader

    path = Path(path)
    info = probe_video(path, max_bytes=max_bytes, max_seconds=max_seconds)
    started = time.perf_counter()
    transcript = None
    if info.has_audio:
        try:
            transcript = transcriber.transcribe(path, language=language)
        except AudioError as exc:
            if "no decodable audio" not in str(exc) and "no audio track" not in str(exc):
                raise VideoError(str(exc)) from exc
    speech_seconds = time.perf_counter() - started
    started = time.perf_counter()
    reader = default_reader(language) if ocr is None else (ocr or None)
    screen: tuple[ScreenText, ...] | None = None
    frames: list[KeyFrame] = []
    if reader is not None:
        frames = key_frames(path, every=every, max_bytes=max_bytes, max_seconds=max_seconds)
        screen = tuple(reader.read(frames))
    return VideoReading(
        info,
        transcript,
        screen,
        round(speech_seconds, 3),
        round(time.perf_counter() - started, 3),
        len(frames),
    )


def _video_stream(container: Any, path: Path) -> Any:
    if not container.streams.video:
        raise VideoError(f"{path.name} has no video track.")
    return container.streams.video[0]


def _tiny(frame: Any) -> Grey:
    width, height = TINY_SIZE
    small = frame.reformat(width=width, height=height, format="gray").to_ndarray()
    return np.asarray(small, dtype=np.float32) / 255.0


def _changed(one: Grey, other: Grey) -> float:
    """The share of pixels that differ by more than PIXEL_STEP."""
    return float(np.mean(np.abs(one - other) > PIXEL_STEP))
