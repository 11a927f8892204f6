"""The layers hold: click only in cli.py and workflow/commands/, db/ free of workflow/, no import cycle.

Imports inside functions count too: a lazy import is still a dependency.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = [ROOT / "cli.py", *sorted((ROOT / "workflow").rglob("*.py")), *sorted((ROOT / "db").rglob("*.py"))]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PRODUCT}


def imported(path: Path) -> set[str]:
    """Every module named by an import statement of ``path``; ``from a import b`` names a.b when that is a module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names
                         if f"{node.module}.{alias.name}" in MODULES)
    return found


GRAPH = {name: {other for other in imported(path) if other in MODULES and other != name}
         for name, path in MODULES.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_click_is_imported_only_by_the_commands():
    users = {name for name, path in MODULES.items() if any(m.split(".")[0] == "click" for m in imported(path))}
    assert {name for name in users if name != "cli" and not name.startswith("workflow.commands")} == set()
    assert "cli" in users and "workflow.commands.case" in users


def test_the_database_layer_imports_nothing_from_workflow():
    assert {name: sorted(m for m in imported(MODULES[name]) if m.split(".")[0] in ("workflow", "cli"))
            for name in MODULES if name.split(".")[0] == "db"} == {name: [] for name in MODULES
                                                                   if name.split(".")[0] == "db"}


def test_no_import_cycle():
    assert cycles(GRAPH) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_product_module_is_too_long():
    """About 400 lines at most; the procedure table is the exception, kept whole so the law is read in one file."""
    lengths = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()}
    assert {name: n for name, n in lengths.items() if n > 430 and name != "workflow.procedure"} == {}
