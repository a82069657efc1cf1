"""Decoding real files of every common format, dual-mono detection, and refusing bad files."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from transcription import AudioError, decode_audio, is_dual_mono, load_audio, probe_audio

from .conftest import AUDIO


@pytest.mark.parametrize(
    ("name", "codec", "channels", "rate", "seconds"),
    [
        ("ru_call_stereo.ogg", "opus", 2, 48_000, 25.6),
        ("en_call_stereo.mp3", "mp3float", 2, 16_000, 22.8),
        ("ru_call_mono.m4a", "aac", 1, 16_000, 18.2),
        ("ru_call_8k_mulaw.wav", "pcm_mulaw", 2, 8_000, 8.7),
        ("en_mono_8k_alaw.wav", "pcm_alaw", 1, 8_000, 5.0),
        ("ru_dual_mono.flac", "flac", 2, 16_000, 9.6),
    ],
)
def test_probe_reads_each_format(
    name: str, codec: str, channels: int, rate: int, seconds: float
) -> None:
    info = probe_audio(AUDIO / name)
    assert (info.codec, info.channels, info.sample_rate) == (codec, channels, rate)
    assert info.duration == pytest.approx(seconds, abs=0.15)


@pytest.mark.parametrize("name", ["ru_call_8k_mulaw.wav", "en_mono_8k_alaw.wav"])
def test_telephone_audio_is_resampled_to_16k_with_its_speech(name: str) -> None:
    info = probe_audio(AUDIO / name)
    samples = decode_audio(AUDIO / name)
    assert samples.dtype == np.float32
    assert samples.shape == (info.channels, pytest.approx(info.duration * 16_000, abs=400))
    # Speech survives the codec: loud parts well above the line hiss on every channel.
    assert all(np.abs(channel).max() > 0.2 for channel in samples)


def test_stereo_call_has_each_party_on_its_own_channel() -> None:
    samples = decode_audio(AUDIO / "ru_call_stereo.ogg")
    usable = samples.shape[1] // 1600 * 1600
    frames = samples[:, :usable].reshape(2, -1, 1600)  # 0.1 s frames
    energy = np.sqrt((frames**2).mean(axis=2))
    left_only = (energy[0] > 0.05) & (energy[1] < 0.01)
    right_only = (energy[1] > 0.05) & (energy[0] < 0.01)
    assert left_only.sum() > 50
    assert right_only.sum() > 50


def test_dual_mono_is_detected_and_real_stereo_is_not() -> None:
    assert probe_audio(AUDIO / "ru_dual_mono.flac").dual_mono is True
    assert load_audio(AUDIO / "ru_dual_mono.flac")[0].dual_mono is True
    for name in ["ru_call_stereo.ogg", "en_call_stereo.mp3", "ru_call_8k_mulaw.wav"]:
        assert probe_audio(AUDIO / name).dual_mono is False, name
    assert probe_audio(AUDIO / "ru_call_mono.m4a").dual_mono is False


def test_dual_mono_rule_on_signals() -> None:
    rng = np.random.default_rng(0)
    voice = rng.normal(0, 0.1, 16_000).astype(np.float32)
    other = rng.normal(0, 0.1, 16_000).astype(np.float32)
    silence = np.zeros(16_000, dtype=np.float32)
    assert is_dual_mono(np.stack([voice, voice]))
    assert is_dual_mono(np.stack([voice, 0.5 * voice]))  # same signal, one side quieter
    assert is_dual_mono(np.stack([silence, silence]))
    assert not is_dual_mono(np.stack([voice, other]))
    assert not is_dual_mono(np.stack([voice, silence]))  # only one party spoke
    assert not is_dual_mono(voice[np.newaxis, :])


def _bad(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("corrupt.ogg", "corrupt.ogg is not a readable audio file: it is corrupt or not audio"),
        ("empty.wav", "empty.wav is empty (0 bytes)"),
        ("not_audio.mp3", "not_audio.mp3 is not a readable audio file"),
    ],
)
def test_bad_files_fail_with_a_clear_message(name: str, message: str) -> None:
    for reader in (probe_audio, decode_audio):
        with pytest.raises(AudioError, match=message.replace("(", r"\(").replace(")", r"\)")):
            reader(AUDIO / name)


def test_audio_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        probe_audio(AUDIO / "empty.wav")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="no such file"):
        probe_audio(tmp_path / "nothing.wav")
    with pytest.raises(AudioError, match="is a folder"):
        probe_audio(tmp_path)


def test_file_without_audio_track(tmp_path: Path) -> None:
    import av

    path = tmp_path / "picture.mp4"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("mpeg4", rate=1)
        stream.width, stream.height = 32, 32
        frame = av.VideoFrame.from_ndarray(np.zeros((32, 32, 3), dtype=np.uint8), format="rgb24")
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    with pytest.raises(AudioError, match="picture.mp4 has no audio track"):
        probe_audio(path)


def test_over_size_limit() -> None:
    with pytest.raises(AudioError, match=r"ru_call_stereo.ogg is \d+ KB; recordings over 50 KB"):
        probe_audio(AUDIO / "ru_call_stereo.ogg", max_bytes=50 * 1024)
    with pytest.raises(AudioError, match="is 199 KB; recordings over 128 KB are not accepted"):
        decode_audio(AUDIO / "ru_dual_mono.flac", max_bytes=128 * 1024)


def test_over_duration_limit(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match=r"lasts 25.6 s; recordings longer than 10.0 s"):
        probe_audio(AUDIO / "ru_call_stereo.ogg", max_seconds=10)
    with pytest.raises(AudioError, match=r"lasts 1 min 00 s; recordings longer than 30.0 s"):
        decode_audio(_silent_wav(tmp_path / "minute.wav", seconds=60), max_seconds=30)


def test_truncated_file_decodes_what_is_there(tmp_path: Path) -> None:
    data = (AUDIO / "en_call_stereo.mp3").read_bytes()
    path = _bad(tmp_path, "cut.mp3", data[: len(data) // 2])
    samples = decode_audio(path)
    assert 9 < samples.shape[1] / 16_000 < 14


def _silent_wav(path: Path, seconds: float) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * int(8000 * seconds))
    return path


def test_silent_wav_decodes(tmp_path: Path) -> None:
    path = _silent_wav(tmp_path / "silence.wav", seconds=3)
    assert probe_audio(path).duration == pytest.approx(3.0)
    assert not decode_audio(path).any()
