"""Voice activity filtering shared by both engines: speech is cut out, joined with pauses, and
every word time is mapped back to the recording.

faster-whisper's own VAD joins speech chunks back to back. Whisper then reads two turns of one
party (with the other party's turn removed between them) as one sentence, and the first word of
the second turn gets a time inside the first. Joining with a real pause keeps turns apart, and a
word is mapped to the chunk it overlaps most, so it cannot jump into the wrong turn.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from transcription.types import Segment, Word

SAMPLE_RATE = 16_000
JOIN_PAUSE = 1.0  # seconds of silence put between two speech chunks
WINDOW = 30.0  # Whisper's window; the batched pipeline decodes one window per clip
MIN_SILENCE_MS = 1000  # silence that ends a chunk (the pause inside a turn stays in it)
SPEECH_PAD_MS = 400
CHUNK_MARGIN = 2.0  # a chunk is at most the window less this, so that it always fits one

Mono = npt.NDArray[np.float32]


@dataclass(frozen=True)
class SpeechLayout:
    """Speech chunks of one channel: where each is in the recording and in the joined audio."""

    audio: Mono
    sources: tuple[tuple[int, int], ...]  # (start, end) samples in the recording
    offsets: tuple[int, ...]  # start sample of each chunk in `audio`
    duration: float  # the channel's length in seconds, before filtering

    @property
    def empty(self) -> bool:
        """True when no speech was found."""
        return not self.sources

    def windows(self, window: float = WINDOW) -> list[dict[str, float]]:
        """Clips of at most `window` seconds each, never cutting a chunk (seconds in `audio`)."""
        clips: list[dict[str, float]] = []
        for (start, end), offset in zip(self.sources, self.offsets, strict=True):
            begin = offset / SAMPLE_RATE
            finish = (offset + end - start) / SAMPLE_RATE
            if clips and finish - clips[-1]["start"] <= window:
                clips[-1]["end"] = finish
            else:
                while finish - begin > window:  # only when VAD is off: plain windows
                    clips.append({"start": begin, "end": begin + window})
                    begin += window
                clips.append({"start": begin, "end": finish})
        return clips

    def restore(self, segment: Segment) -> Segment:
        """The segment with word and segment times mapped back to the recording."""
        if segment.words:
            words = tuple(self._word(w) for w in segment.words)
            return replace(segment, start=words[0].start, end=words[-1].end, words=words)
        index = self._chunk(segment.start, segment.end)
        start = self._time(segment.start, index)
        return replace(segment, start=start, end=max(start, self._time(segment.end, index)))

    def _word(self, word: Word) -> Word:
        index = self._chunk(word.start, word.end)
        return replace(word, start=self._time(word.start, index), end=self._time(word.end, index))

    def _chunk(self, start: float, end: float) -> int:
        """Index of the chunk that overlaps [start, end] most (the nearest one if none does)."""
        a, b = start * SAMPLE_RATE, end * SAMPLE_RATE
        i = bisect.bisect_right(self.offsets, a) - 1
        candidates = range(max(i - 1, 0), min(i + 3, len(self.offsets)))

        def score(j: int) -> tuple[float, float]:
            lo = self.offsets[j]
            hi = lo + self.sources[j][1] - self.sources[j][0]
            return max(min(b, hi) - max(a, lo), 0.0), -max(lo - b, a - hi, 0.0)

        return max(candidates, key=score)

    def _time(self, seconds: float, index: int) -> float:
        start, end = self.sources[index]
        sample = start + seconds * SAMPLE_RATE - self.offsets[index]
        return round(float(min(max(sample, start), end)) / SAMPLE_RATE, 3)


def layout_speech(audio: Mono, *, vad: bool, window: float = WINDOW) -> SpeechLayout:
    """Find speech (Silero VAD) and join it with pauses; without VAD the audio stays whole.

    No chunk is longer than `window` less CHUNK_MARGIN seconds (VAD cuts longer speech at its
    quietest point), so every chunk fits one window of the batched pipeline.
    """
    duration = len(audio) / SAMPLE_RATE
    if not vad:
        return SpeechLayout(audio, ((0, len(audio)),), (0,), duration)
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(
        min_silence_duration_ms=MIN_SILENCE_MS,
        speech_pad_ms=SPEECH_PAD_MS,
        max_speech_duration_s=window - CHUNK_MARGIN,
    )
    chunks = [(int(c["start"]), int(c["end"])) for c in get_speech_timestamps(audio, options)]
    if not chunks:
        return SpeechLayout(np.zeros(0, dtype=np.float32), (), (), duration)
    pause = np.zeros(int(JOIN_PAUSE * SAMPLE_RATE), dtype=np.float32)
    pieces: list[Mono] = []
    offsets: list[int] = []
    position = 0
    for n, (start, end) in enumerate(chunks):
        if n:
            pieces.append(pause)
            position += len(pause)
        offsets.append(position)
        pieces.append(audio[start:end])
        position += end - start
    return SpeechLayout(np.concatenate(pieces), tuple(chunks), tuple(offsets), duration)


def join_layouts(
    layouts: list[SpeechLayout], window: float = WINDOW
) -> tuple[Mono, list[dict[str, float]], list[float]]:
    """Several channels' speech in one audio (pauses between) with all their windows.

    The batched pipeline then decodes both sides of a stereo call in one batch; no window spans
    two channels, so every segment comes back inside one of them. Returns the audio, the clips
    and each layout's start (seconds) in the joined audio.
    """
    pause = np.zeros(int(JOIN_PAUSE * SAMPLE_RATE), dtype=np.float32)
    pieces: list[Mono] = []
    clips: list[dict[str, float]] = []
    starts: list[float] = []
    position = 0
    for n, layout in enumerate(layouts):
        if n:
            pieces.append(pause)
            position += len(pause)
        start = position / SAMPLE_RATE
        starts.append(start)
        clips += [
            {"start": c["start"] + start, "end": c["end"] + start} for c in layout.windows(window)
        ]
        pieces.append(layout.audio)
        position += len(layout.audio)
    return np.concatenate(pieces), clips, starts


def shift(segment: Segment, seconds: float) -> Segment:
    """The segment (and its words) moved `seconds` earlier."""
    words = tuple(replace(w, start=w.start - seconds, end=w.end - seconds) for w in segment.words)
    return replace(segment, start=segment.start - seconds, end=segment.end - seconds, words=words)
