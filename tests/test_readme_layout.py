"""The README's layout table matches the tree: every path it names exists, and every blueprint
and service domain in the tree is named in it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _layout_rows() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Layout", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = re.match(r"\| `([^`]+)` \| (.+) \|$", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


def test_every_listed_path_exists() -> None:
    rows = _layout_rows()
    assert "qa/" in rows
    missing = [path for path in rows if "*" not in path and not (ROOT / path).exists()]
    assert missing == []


def test_every_blueprint_is_named_in_the_app_row() -> None:
    blueprints = sorted(p.parent.name for p in (ROOT / "qa").glob("*/views.py"))
    assert "calls" in blueprints
    named = set(re.findall(r"`([a-z_]+)`", _layout_rows()["qa/"]))
    assert [bp for bp in blueprints if bp not in named] == []


def test_every_service_domain_has_its_row() -> None:
    domains = sorted(p.parent.name for p in (ROOT / "qa" / "services").glob("*/__init__.py"))
    assert "calls" in domains
    rows = _layout_rows()
    assert [d for d in domains if f"qa/services/{d}/" not in rows] == []


def test_every_shared_module_is_named() -> None:
    rows = _layout_rows()
    shared = rows["qa/"] + rows["qa/*.py"] + rows["qa/services/*.py"]
    named = set(re.findall(r"`([a-z_]+\.py)`", shared))
    modules = [
        p.name
        for folder in (ROOT / "qa", ROOT / "qa" / "services")
        for p in folder.glob("*.py")
        if p.name != "__init__.py"
    ]
    assert "timefmt.py" in modules
    assert [m for m in sorted(modules) if m not in named] == []
