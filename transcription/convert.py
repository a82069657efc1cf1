"""Convert a CTranslate2 Whisper model into an openai-whisper checkpoint (same weights, offline).

The CTranslate2 layout is the one its `specs/whisper_spec.py` and `specs/transformer_spec.py`
describe: fused query/key/value projections in self-attention, fused key/value in cross-attention,
and no key bias (stored as zeros). openai-whisper keeps them as separate Linear layers.
"""

from __future__ import annotations

import json
import os
import re
import struct
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from transcription.errors import ModelNotAvailable

# Order of CTranslate2's DataType enum (include/ctranslate2/types.h).
_DTYPES: tuple[str | None, ...] = ("float32", "int8", "int16", "int32", "float16", None)
_SUPPORTED_BINARY_VERSIONS = range(5, 7)

Array = npt.NDArray[Any]


def read_ctranslate2(model_bin: Path) -> tuple[str, dict[str, Array]]:
    """Read a CTranslate2 model.bin: (spec name, {variable: array}), aliases resolved."""
    data = memoryview(model_bin.read_bytes())
    offset = 0

    def take(fmt: str) -> int:
        nonlocal offset
        (value,) = struct.unpack_from(fmt, data, offset)
        offset += struct.calcsize(fmt)
        return int(value)

    def text() -> str:
        nonlocal offset
        length = take("H")
        value = bytes(data[offset : offset + length - 1]).decode("utf-8")
        offset += length
        return value

    version = take("I")
    if version not in _SUPPORTED_BINARY_VERSIONS:
        raise ModelNotAvailable(f"{model_bin}: unsupported CTranslate2 binary version {version}.")
    spec = text()
    take("I")  # spec revision
    variables: dict[str, Array] = {}
    for _ in range(take("I")):
        name = text()
        shape = [take("I") for _ in range(take("B"))]
        dtype = _DTYPES[take("B")]
        size = take("I")
        if dtype is None:
            raise ModelNotAvailable(f"{model_bin}: bfloat16 weights cannot be converted.")
        raw = np.frombuffer(data[offset : offset + size], dtype=dtype)
        variables[name] = raw.reshape(shape) if shape else raw[0]
        offset += size
    for _ in range(take("I")):
        alias, target = text(), text()
        variables[alias] = variables[target]
    return spec, variables


def ctranslate2_to_openai(model_dir: Path) -> dict[str, Any]:
    """Build an openai-whisper checkpoint dict (dims, model_state_dict, alignment_heads)."""
    import torch

    spec, v = read_ctranslate2(model_dir / "model.bin")
    if spec != "WhisperSpec":
        raise ModelNotAvailable(f"{model_dir} holds a {spec}, not a Whisper model.")
    if any(name.endswith("weight_scale") for name in v):
        raise ModelNotAvailable(
            f"{model_dir} is quantized (int8/int16); "
            "openai-whisper needs float16 or float32 weights."
        )
    n_audio_layer = _count_layers(v, "encoder")
    n_text_layer = _count_layers(v, "decoder")
    state: dict[str, Array] = {
        "encoder.conv1.weight": v["encoder/conv1/weight"],
        "encoder.conv1.bias": v["encoder/conv1/bias"],
        "encoder.conv2.weight": v["encoder/conv2/weight"],
        "encoder.conv2.bias": v["encoder/conv2/bias"],
        "encoder.positional_embedding": v["encoder/position_encodings/encodings"],
        "encoder.ln_post.weight": v["encoder/layer_norm/gamma"],
        "encoder.ln_post.bias": v["encoder/layer_norm/beta"],
        "decoder.token_embedding.weight": v["decoder/embeddings/weight"],
        "decoder.positional_embedding": v["decoder/position_encodings/encodings"],
        "decoder.ln.weight": v["decoder/layer_norm/gamma"],
        "decoder.ln.bias": v["decoder/layer_norm/beta"],
    }
    for i in range(n_audio_layer):
        src, dst = f"encoder/layer_{i}", f"encoder.blocks.{i}"
        _self_attention(state, v, f"{src}/self_attention", f"{dst}.attn", f"{dst}.attn_ln")
        _ffn(state, v, f"{src}/ffn", dst)
    for i in range(n_text_layer):
        src, dst = f"decoder/layer_{i}", f"decoder.blocks.{i}"
        _self_attention(state, v, f"{src}/self_attention", f"{dst}.attn", f"{dst}.attn_ln")
        _cross_attention(state, v, f"{src}/attention", f"{dst}.cross_attn", f"{dst}.cross_attn_ln")
        _ffn(state, v, f"{src}/ffn", dst)
    dims = {
        "n_mels": int(v["encoder/conv1/weight"].shape[1]),
        "n_audio_ctx": int(v["encoder/position_encodings/encodings"].shape[0]),
        "n_audio_state": int(v["encoder/conv1/weight"].shape[0]),
        "n_audio_head": int(v["encoder/num_heads"]),
        "n_audio_layer": n_audio_layer,
        "n_vocab": int(v["decoder/embeddings/weight"].shape[0]),
        "n_text_ctx": int(v["decoder/position_encodings/encodings"].shape[0]),
        "n_text_state": int(v["decoder/embeddings/weight"].shape[1]),
        "n_text_head": int(v["decoder/num_heads"]),
        "n_text_layer": n_text_layer,
    }
    heads = _alignment_heads(model_dir, n_text_layer, dims["n_text_head"])
    tensors = {k: torch.from_numpy(np.array(a, copy=True)) for k, a in state.items()}
    return {"dims": dims, "model_state_dict": tensors, "alignment_heads": heads}


def convert_to_openai_checkpoint(model_dir: Path, destination: Path) -> Path:
    """Write the converted checkpoint to `destination` atomically (skipped when it exists)."""
    import torch

    if destination.is_file():
        return destination
    checkpoint = ctranslate2_to_openai(model_dir)
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=destination.parent, suffix=".part")
    os.close(fd)
    try:
        torch.save(checkpoint, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, destination)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return destination


def _count_layers(v: dict[str, Array], side: str) -> int:
    pattern = re.compile(rf"^{side}/layer_(\d+)/")
    found = {int(m.group(1)) for name in v if (m := pattern.match(name))}
    return max(found) + 1 if found else 0


def _self_attention(
    state: dict[str, Array], v: dict[str, Array], src: str, dst: str, ln: str
) -> None:
    q, k, val = np.split(v[f"{src}/linear_0/weight"], 3, axis=0)
    qb, _kb, vb = np.split(v[f"{src}/linear_0/bias"], 3, axis=0)
    state.update(
        {
            f"{dst}.query.weight": q,
            f"{dst}.query.bias": qb,
            f"{dst}.key.weight": k,
            f"{dst}.value.weight": val,
            f"{dst}.value.bias": vb,
            f"{dst}.out.weight": v[f"{src}/linear_1/weight"],
            f"{dst}.out.bias": v[f"{src}/linear_1/bias"],
            f"{ln}.weight": v[f"{src}/layer_norm/gamma"],
            f"{ln}.bias": v[f"{src}/layer_norm/beta"],
        }
    )


def _cross_attention(
    state: dict[str, Array], v: dict[str, Array], src: str, dst: str, ln: str
) -> None:
    k, val = np.split(v[f"{src}/linear_1/weight"], 2, axis=0)
    _kb, vb = np.split(v[f"{src}/linear_1/bias"], 2, axis=0)
    state.update(
        {
            f"{dst}.query.weight": v[f"{src}/linear_0/weight"],
            f"{dst}.query.bias": v[f"{src}/linear_0/bias"],
            f"{dst}.key.weight": k,
            f"{dst}.value.weight": val,
            f"{dst}.value.bias": vb,
            f"{dst}.out.weight": v[f"{src}/linear_2/weight"],
            f"{dst}.out.bias": v[f"{src}/linear_2/bias"],
            f"{ln}.weight": v[f"{src}/layer_norm/gamma"],
            f"{ln}.bias": v[f"{src}/layer_norm/beta"],
        }
    )


def _ffn(state: dict[str, Array], v: dict[str, Array], src: str, dst: str) -> None:
    state.update(
        {
            f"{dst}.mlp.0.weight": v[f"{src}/linear_0/weight"],
            f"{dst}.mlp.0.bias": v[f"{src}/linear_0/bias"],
            f"{dst}.mlp.2.weight": v[f"{src}/linear_1/weight"],
            f"{dst}.mlp.2.bias": v[f"{src}/linear_1/bias"],
            f"{dst}.mlp_ln.weight": v[f"{src}/layer_norm/gamma"],
            f"{dst}.mlp_ln.bias": v[f"{src}/layer_norm/beta"],
        }
    )


def _alignment_heads(model_dir: Path, layers: int, heads: int) -> list[list[int]]:
    """Alignment heads from config.json; openai-whisper's default (last half) when absent."""
    try:
        config = json.loads((model_dir / "config.json").read_text())
        pairs = [[int(a), int(b)] for a, b in config.get("alignment_heads") or []]
    except (OSError, ValueError):
        pairs = []
    return pairs or [[layer, h] for layer in range(layers // 2, layers) for h in range(heads)]
