"""Result types shared by every engine: words, segments, transcripts, audio facts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Literal

Speaker = Literal["agent", "customer", "unknown"]
SPEAKERS: tuple[str, ...] = ("agent", "customer", "unknown")


@dataclass(frozen=True)
class Word:
    """One recognised word with its time span (seconds from the start of the file)."""

    start: float
    end: float
    text: str
    probability: float


@dataclass(frozen=True)
class Segment:
    """One stretch of speech by one speaker; `suspect` marks text that needs a human look."""

    speaker: str
    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    avg_logprob: float | None = None
    no_speech_prob: float | None = None
    suspect: bool = False
    suspect_reason: str | None = None
    channel: int | None = None

    def __post_init__(self) -> None:
        if self.speaker not in SPEAKERS:
            raise ValueError(f"speaker must be one of {SPEAKERS}, not {self.speaker!r}")
        if self.end < self.start:
            raise ValueError(f"segment ends ({self.end}) before it starts ({self.start})")


@dataclass(frozen=True)
class Transcript:
    """A whole recording: segments in turn order plus what produced them."""

    language: str
    language_probability: float
    duration: float
    channels: int
    dual_mono: bool
    segments: tuple[Segment, ...]
    engine: str
    model: str
    settings: Mapping[str, object] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        # A read-only view keeps the frozen promise for the settings too.
        object.__setattr__(self, "settings", MappingProxyType(dict(self.settings)))

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with a plain dict (a read-only view cannot be pickled)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["settings"] = dict(self.settings)
        return (_rebuild, (type(self), values))

    @property
    def text(self) -> str:
        """All segment texts joined by newlines, in turn order."""
        return "\n".join(s.text for s in self.segments)

    def speaker_text(self, speaker: str) -> str:
        """Text said by one speaker ("agent", "customer" or "unknown")."""
        return " ".join(s.text for s in self.segments if s.speaker == speaker)


@dataclass(frozen=True)
class AudioInfo:
    """What `probe_audio` learns about a recording without transcribing it."""

    duration: float
    channels: int
    sample_rate: int
    codec: str
    dual_mono: bool
    # The demuxer PyAV chose by reading the content ("wav", "ogg", "mov,mp4,m4a,..."): what the
    # file really is, whatever its name says.
    container: str = ""


@dataclass(frozen=True)
class Glossary:
    """Team vocabulary: names to prime the engine with, and fixes for known mishearings."""

    hotwords: Sequence[str] = ()
    replacements: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "hotwords", tuple(w.strip() for w in self.hotwords if w.strip()))
        cleaned = {k.strip(): v.strip() for k, v in self.replacements.items() if k.strip()}
        object.__setattr__(self, "replacements", MappingProxyType(cleaned))

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with a plain dict (a read-only view cannot be pickled)."""
        return (
            _rebuild,
            (type(self), {"hotwords": self.hotwords, "replacements": dict(self.replacements)}),
        )

    @property
    def prompt(self) -> str | None:
        """Hotwords as one comma-separated prompt, or None when there are none."""
        return ", ".join(self.hotwords) or None


def _rebuild(cls: type[Any], values: dict[str, Any]) -> Any:
    return cls(**values)


@dataclass(frozen=True)
class VideoInfo:
    """What `probe_video` learns about a video: its picture, its length and its audio track."""

    duration: float
    width: int
    height: int
    fps: float
    codec: str
    has_audio: bool
    container: str = ""


@dataclass(frozen=True)
class ScreenText:
    """One line of text read on screen and the time span it is visible (seconds)."""

    start: float
    end: float
    text: str
    confidence: float


@dataclass(frozen=True)
class VideoReading:
    """What a video says and shows: the speech transcript and the on-screen text, with timings.

    ``screen`` is None when on-screen text could not be read (no OCR engine installed);
    ``transcript`` is None when the video has no audio track.
    """

    info: VideoInfo
    transcript: Transcript | None
    screen: tuple[ScreenText, ...] | None
    speech_seconds: float = 0.0
    screen_seconds: float = 0.0
    frames_read: int = 0
