"""Redacting a recording: a span is beeped or silenced on its own channel only, and every other
sample stays exactly as it was."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from privacy.audio import AudioRedactionError, decode_pcm16, redact_audio, write_wav

RATE = 8000


def stereo_call(seconds: float = 3.0) -> np.ndarray:
    """Left: a 300 Hz voice, right: 500 Hz noise-like speech; int16, shape (2, n)."""
    rng = np.random.default_rng(7)
    t = np.arange(int(seconds * RATE)) / RATE
    left = 0.3 * np.sin(2 * np.pi * 300 * t) + 0.01 * rng.standard_normal(t.size)
    right = 0.3 * np.sin(2 * np.pi * 500 * t) + 0.01 * rng.standard_normal(t.size)
    return np.round(np.stack([left, right]) * 32767).astype(np.int16)


@pytest.mark.parametrize("mode", ["silence", "beep"])
def test_a_span_changes_one_channel_and_nothing_else(mode: str) -> None:
    original = stereo_call()
    span = {"type": "PHONE", "time_start": 1.0, "time_end": 1.5, "channel": 1}
    out, rate = redact_audio(original, [span], mode, sample_rate=RATE)
    assert rate == RATE
    assert out.shape == original.shape
    assert out.dtype == np.int16
    first, last = 1 * RATE, int(1.5 * RATE)
    assert np.array_equal(out[0], original[0])  # the other speaker's channel: untouched
    assert np.array_equal(out[1, :first], original[1, :first])
    assert np.array_equal(out[1, last:], original[1, last:])
    inside = out[1, first:last]
    if mode == "silence":
        assert not inside.any()
    else:
        spectrum = np.abs(np.fft.rfft(inside.astype(np.float64)))
        peak_hz = np.argmax(spectrum) * RATE / inside.size
        assert peak_hz == pytest.approx(1000, abs=5)
        assert 0.2 < np.abs(inside).max() / 32767 < 0.3
    assert np.array_equal(original, stereo_call())  # the input array itself is not changed


def test_a_span_without_a_channel_covers_every_channel_and_odd_spans_change_nothing() -> None:
    original = stereo_call()
    spans = [
        {"start": 0.5, "end": 0.75, "channel": None},
        {"start": 2.0, "end": 1.0, "channel": 0},  # reversed
        {"start": 2.0, "end": 2.5, "channel": 5},  # a channel the recording lacks
        {"start": "NaN", "end": 2.5, "channel": 0},
        {"start": 10.0, "end": 11.0, "channel": 0},  # past the end
    ]
    out, _ = redact_audio(original, spans, "silence", sample_rate=RATE)
    changed = np.flatnonzero((out != original).any(axis=0))
    assert changed.min() >= int(0.5 * RATE)
    assert changed.max() < int(0.75 * RATE)
    assert not out[:, int(0.5 * RATE) : int(0.75 * RATE)].any()


def test_a_wav_file_round_trips_sample_for_sample(tmp_path: Path) -> None:
    original = stereo_call()
    source = tmp_path / "call.wav"
    write_wav(source, original, RATE)
    decoded, rate = decode_pcm16(source)
    assert rate == RATE
    assert np.array_equal(decoded, original)
    out, _ = redact_audio(source, [{"start": 0.2, "end": 0.4, "channel": 0}], "beep")
    target = tmp_path / "call.redacted.wav"
    write_wav(target, out, rate)
    again, _ = decode_pcm16(target)
    assert again.shape == (2, original.shape[1])
    assert np.array_equal(again[1], original[1])
    assert np.array_equal(again[0, : int(0.2 * RATE)], original[0, : int(0.2 * RATE)])
    assert np.array_equal(again[0, int(0.4 * RATE) :], original[0, int(0.4 * RATE) :])


def test_bad_input_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AudioRedactionError, match="mode"):
        redact_audio(stereo_call(), [], "scramble", sample_rate=RATE)
    with pytest.raises(AudioRedactionError, match="sample_rate"):
        redact_audio(stereo_call(), [])
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF\x00\x00not audio")
    with pytest.raises(AudioRedactionError):
        redact_audio(junk, [], "beep")


def test_a_compressed_stereo_recording_is_decoded_by_pyav_and_stays_stereo() -> None:
    source = Path(__file__).resolve().parents[1] / "data" / "audio" / "ru_call_8k_mulaw.wav"
    decoded, rate = decode_pcm16(source)
    assert rate == RATE
    assert decoded.shape[0] == 2
    assert decoded.shape[1] / RATE == pytest.approx(8.74, abs=0.05)
    out, _ = redact_audio(source, [{"start": 1.0, "end": 2.0, "channel": 0}], "silence")
    assert np.array_equal(out[1], decoded[1])
    assert not out[0, RATE : 2 * RATE].any()
    assert np.array_equal(out[0, 2 * RATE :], decoded[0, 2 * RATE :])
