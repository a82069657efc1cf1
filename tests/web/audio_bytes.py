"""Recordings made in memory for upload tests: tones as WAV, and a WAV carrying a script."""

from __future__ import annotations

import io
import math
import struct
import wave


def wav_bytes(seconds: float = 1.0, freq: float = 440.0, channels: int = 2) -> bytes:
    """A tone as 16-bit PCM WAV at 8 kHz (32 KB a second in stereo)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(8000)
        frames = bytearray()
        for n in range(int(seconds * 8000)):
            for ch in range(channels):
                value = int(8000 * math.sin(2 * math.pi * (freq + 110 * ch) * n / 8000))
                frames += struct.pack("<h", value)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


def wav_with_script(seconds: float = 0.5) -> bytes:
    """A valid WAV whose RIFF LIST/INFO comment holds HTML with a script (a stored-XSS probe)."""
    plain = wav_bytes(seconds, channels=1)
    assert plain[:4] == b"RIFF"  # noqa: S101 - test data guard
    assert plain[8:12] == b"WAVE"  # noqa: S101 - test data guard
    comment = b"<html><script>fetch('/admin/users', {method: 'POST'})</script></html>\x00"
    info = b"INFO" + b"ICMT" + struct.pack("<I", len(comment)) + comment
    if len(info) % 2:
        info += b"\x00"
    chunk = b"LIST" + struct.pack("<I", len(info)) + info
    body = plain[12:]
    fmt_end = 8 + struct.unpack("<I", body[4:8])[0]  # the fmt chunk comes first
    riff = b"WAVE" + body[:fmt_end] + chunk + body[fmt_end:]
    return b"RIFF" + struct.pack("<I", len(riff)) + riff
