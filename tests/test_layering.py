"""The plain libraries never import the web stack or the app."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("flask", "sqlalchemy", "huey", "qa", "flask_")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _forbidden(name: str) -> bool:
    top = name.split(".")[0]
    return top in FORBIDDEN or top.startswith("flask_")


@pytest.mark.parametrize("library", ["transcription", "scoring"])
def test_library_imports_no_web_stack(library: str) -> None:
    files = sorted((ROOT / library).rglob("*.py"))
    assert files, f"{library}/ has no modules"
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in files
        for name in _imports(path)
        if _forbidden(name)
    ]
    assert offenders == []


def test_checker_catches_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import flask_login\nfrom sqlalchemy.orm import Session\nimport json\n")
    assert [n for n in _imports(module) if _forbidden(n)] == ["flask_login", "sqlalchemy.orm"]
