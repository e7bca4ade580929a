"""The package's shape, checked: stages as subpackages, no import circles, no reaching into
another module's private names, and modules small enough to be one concept each."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "importer"
STAGES = (
    "draft",
    "read",
    "mapping",
    "prepare",
    "send",
    "record",
    "report",
    "run",
    "cli",
    "emulator",
)
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) for every ``import`` / ``from ... import`` of an importer module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "importer" or node.module.startswith("importer."):
                found.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [(a.name, []) for a in node.names if a.name.startswith("importer.")]
    return found


def _edges(name: str) -> set[str]:
    """The importer modules ``name`` imports (a package import counts as its ``__init__``)."""
    edges = set()
    for module, names in _imports(MODULES[name]):
        for imported in names:
            if f"{module}.{imported}" in MODULES:  # from importer.x import _module
                edges.add(f"{module}.{imported}")
                break
        else:
            edges.add(module)
    return {e for e in edges if e in MODULES and e != name}


def test_the_stages_are_subpackages() -> None:
    for stage in STAGES:
        assert (PACKAGE / stage / "__init__.py").exists(), stage


def test_no_import_circles() -> None:
    graph = {name: _edges(name) for name in MODULES}
    # Tarjan's strongly connected components: a component of two or more modules is a circle
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for name in graph:
        if name not in index:
            visit(name)
    assert circles == []


def _private_uses(name: str) -> list[str]:
    """Private names ``name`` takes from another module, and private modules of another stage."""
    stage = name.split(".")[1] if name.count(".") >= 1 else ""
    bad = []
    tree = ast.parse(MODULES[name].read_text("utf-8"))
    aliases = {}
    for module, names in _imports(MODULES[name]):
        parts = module.split(".")
        if len(parts) >= 3 and parts[2].startswith("_") and parts[1] != stage:
            bad.append(f"imports {module}, a private module of another stage")
        for n in names:
            own_module = f"{module}.{n}" in MODULES and len(parts) >= 2 and parts[1] == stage
            if n.startswith("_") and not own_module:  # a stage's own private module is fine
                bad.append(f"imports {module}.{n}")
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                if f"{node.module}.{a.name}" in MODULES:
                    aliases[a.asname or a.name] = f"{node.module}.{a.name}"
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
        ):
            bad.append(f"uses {aliases[node.value.id]}.{node.attr}")
    return bad


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_reaches_into_private_names(name: str) -> None:
    assert _private_uses(name) == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_stay_small(name: str) -> None:
    lines = len(MODULES[name].read_text("utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name}: {lines} lines; probably two concepts"
