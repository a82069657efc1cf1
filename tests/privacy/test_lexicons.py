"""The generated English name lists match what their script derives from the installed data."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_name_lexicon.py"


def test_generated_name_lists_are_current() -> None:
    spec = importlib.util.spec_from_file_location("build_name_lexicon", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(check=True) == []
