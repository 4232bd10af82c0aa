"""Layer contracts, checked on the source: every import of every module (top level and inside functions).

base (atomic, cache, suggest) < core < display < drawing < scenes < production < cli:
a module imports only from its own layer or the layers below; core and display import no manim
(nor moderngl, cairo, PIL); and no two modules import each other, directly or round a longer loop.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "gdscenes"

#: layer of each top-level part of the package, lowest first
LAYERS: dict[str, int] = {
    "atomic": 0, "cache": 0, "suggest": 0, "MOVED": 0, "__init__": 0,
    "core": 1, "display": 2, "drawing": 3, "scenes": 4, "production": 5, "cli": 6,
    # manim's entry point hands out the scene classes (imported lazily: manim loads
    # plugins while it is itself being imported), so it sits on the scenes' level
    "plugin": 4,
    # the Python API (import gdscenes as gd): specs and renders, so on the production level;
    # gdscenes/__init__ hands its names out on first use (a run-time import by computed name)
    "api": 5,
}
#: what the math and display-geometry layers never import
DRAWING_LIBRARIES = ("manim", "moderngl", "cairo", "PIL", "manimpango")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS["__init__" if len(parts) == 1 else parts[1]]


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Line numbers of imports under ``if TYPE_CHECKING:`` (never run)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                lines.update(n.lineno for n in ast.walk(inner) if isinstance(n, (ast.Import, ast.ImportFrom)))
    return lines


def imports(module: str) -> set[str]:
    """Every module ``module`` imports at run time (absolute names; ``from a import b`` gives ``a.b`` when that is a module)."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(), str(path))
    skip = _type_checking_only(tree)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            found.add(source)
            found.update(f"{source}.{alias.name}" for alias in node.names if f"{source}.{alias.name}" in MODULES)
        elif isinstance(node, ast.Call) and ast.unparse(node.func) in ("importlib.import_module", "import_module"):
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


def own(module: str) -> set[str]:
    return {m for m in imports(module) if m in MODULES and m != module}


def test_the_walker_sees_imports_inside_functions_and_relative_ones() -> None:
    # independent truth: lines known to be in the source
    assert "gdscenes.scenes.registry" in imports("gdscenes.plugin") or "gdscenes.scenes" in imports("gdscenes.plugin")
    assert "gdscenes.core.losses.parser" in imports("gdscenes.core.losses.library")  # from .parser import ...
    assert "gdscenes.atomic" in imports("gdscenes.core.trajectory_files")
    assert "manim" in imports("gdscenes.scenes.lesson")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_go_downward_only(module: str) -> None:
    upward = sorted(m for m in own(module) if layer(m) > layer(module))
    assert not upward, f"{module} (layer {layer(module)}) imports from a higher layer: {upward}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if layer(m) in (LAYERS["core"], LAYERS["display"])))
def test_core_and_display_import_no_drawing_library(module: str) -> None:
    bad = sorted(m for m in imports(module) if m.split(".")[0] in DRAWING_LIBRARIES)
    assert not bad, f"{module} imports {bad}"


def test_no_private_name_is_imported_across_modules() -> None:
    bad = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("gdscenes")):
                bad += [f"{module}: {node.module}.{a.name}" for a in node.names
                        if a.name.startswith("_") and not a.name.startswith("__")]
    assert not bad


def cycles() -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan), each a list of names."""
    graph = {m: sorted(own(m)) for m in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_cycle_finder_finds_a_loop() -> None:
    # a known loop in a made-up graph, through the same code path
    global own
    real = own
    fake = {m: set() for m in MODULES}
    a, b, c = sorted(MODULES)[:3]
    fake[a], fake[b], fake[c] = {b}, {c}, {a}
    own = fake.__getitem__  # type: ignore[assignment]
    try:
        assert cycles() == [sorted([a, b, c])]
    finally:
        own = real


def test_no_import_cycles() -> None:
    assert cycles() == []
