"""Exceptions the library raises; each message is written for the person who uploaded the file."""

from __future__ import annotations


class AudioError(ValueError):
    """The recording cannot be used: corrupt, empty, not audio, too large or too long."""


class TranscriptionError(RuntimeError):
    """The speech engine failed on audio that decoded fine (worth retrying later)."""


class ModelNotAvailable(RuntimeError):
    """The requested model is neither installed nor downloadable from here."""


class VideoError(AudioError):
    """The video cannot be used: corrupt, empty, not video, too large or too long."""
