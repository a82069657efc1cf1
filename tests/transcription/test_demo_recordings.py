"""The demo calls shipped for the app's demo data are described correctly by their manifest."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from transcription import probe_audio

DEMO = Path(__file__).resolve().parents[2] / "qa" / "demo" / "recordings"
MANIFEST = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))


def test_manifest_lists_four_calls_russian_first() -> None:
    assert [m["language"] for m in MANIFEST] == ["ru", "ru", "en", "ru"]
    assert sorted(p.name for p in DEMO.glob("*.ogg")) == sorted(m["file"] for m in MANIFEST)
    keys = {"file", "title", "language", "agent_channel", "agent", "campaign", "phone", "called_at"}
    assert all(set(m) == keys for m in MANIFEST)


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda m: m["file"])
def test_each_call_matches_its_entry(entry: dict[str, object]) -> None:
    info = probe_audio(DEMO / str(entry["file"]))
    assert info.codec == "opus"
    assert 20 <= info.duration <= 45
    assert info.channels == (2 if entry["agent_channel"] == "left" else 1)
    assert not info.dual_mono
    assert re.fullmatch(r"\+7\d{10}", str(entry["phone"]))
    assert datetime.fromisoformat(str(entry["called_at"])).year == 2026
    assert (DEMO / str(entry["file"])).stat().st_size < 150 * 1024
