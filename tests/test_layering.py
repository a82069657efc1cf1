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


@pytest.mark.parametrize("library", ["transcription", "scoring", "pay", "privacy"])
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


# --- The app's own modules -------------------------------------------------------------------
# The graph takes every import, at module level and inside functions. A function-level import
# only hides a circle from the interpreter: the two modules still cannot be understood, tested
# or changed apart, and the "import it here to avoid a cycle" comments that hide them are how
# services came to import the task module. So no circle of either kind is allowed.


def _module_files(package: str = "qa") -> dict[str, Path]:
    """Dotted module name -> file, for every module of ``package`` but its migration scripts."""
    modules: dict[str, Path] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the modules of ours it imports (``from pkg import sub`` names the submodule)."""

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                targets.update(t for a in node.names if (t := known(a.name)))
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    target = full if full in modules else known(base)
                    if target:
                        targets.add(target)
        targets.discard(module)
        graph[module] = targets
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_app_modules_import_no_circle() -> None:
    graph = _import_graph(_module_files())
    assert len(graph) > 50
    assert _circles(graph) == []


def test_circle_finder_sees_a_function_level_circle(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text("from pkg import b\n")
    (tmp_path / "pkg" / "b.py").write_text("def f():\n    from pkg.a import x\n")
    (tmp_path / "pkg" / "c.py").write_text("from . import a\n")
    modules = {
        name: tmp_path / "pkg" / file
        for name, file in (("pkg", "__init__.py"), ("pkg.a", "a.py"), ("pkg.b", "b.py"),
                           ("pkg.c", "c.py"))
    }
    graph = _import_graph(modules)
    assert graph["pkg.c"] == {"pkg.a"}
    assert _circles(graph) == [["pkg.a", "pkg.b"]]


def test_services_never_import_the_task_module() -> None:
    graph = _import_graph(_module_files())
    offenders = sorted(m for m, targets in graph.items()
                       if m.startswith("qa.services") and "qa.tasks" in targets)
    assert offenders == []


# What a view may not do: query (select, session.execute/scalars/scalar, Model.query).
QUERY_CALLS = {"select", "execute", "scalars", "scalar", "query"}


def _queries_in(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            names = {a.name for a in node.names} & QUERY_CALLS
            found.extend(f"{node.lineno}: imports {n}" for n in sorted(names))
        elif isinstance(node, ast.Attribute) and node.attr in QUERY_CALLS:
            found.append(f"{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Name) and node.id == "select":
            found.append(f"{node.lineno}: select")
    return found


def test_views_leave_queries_to_services() -> None:
    views = sorted((ROOT / "qa").glob("*/views.py"))
    assert len(views) > 10
    offenders = [f"{path.relative_to(ROOT)}:{hit}" for path in views for hit in _queries_in(path)]
    assert offenders == []


def test_query_finder_sees_a_query(tmp_path: Path) -> None:
    view = tmp_path / "views.py"
    view.write_text(
        "from sqlalchemy import select\n"
        "def index():\n"
        "    db.get_or_404(Call, 1)\n"
        "    return db.session.scalars(select(Call)).all()\n"
    )
    assert _queries_in(view) == ["1: imports select", "4: .scalars", "4: select"]
