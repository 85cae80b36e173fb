"""Modules above 400 lines and functions above 60 lines in the twin's code.

``python -m tools.sizes`` lists them; ``tests/test_sizes.py`` holds today's
exceptions in an allow-list that may only shrink.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

__all__ = ["MAX_FUNCTION_LINES", "MAX_MODULE_LINES", "PACKAGES", "long_functions", "long_modules"]

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
#: The code the rules apply to (tests, migrations and benchmarks are not modules of the twin).
PACKAGES = ("twin", "webmap", "layers")


def _sources(root: Path):
    for package in PACKAGES:
        yield from sorted((root / package).rglob("*.py"))


def long_modules(root: Path) -> dict[str, int]:
    """``{path: lines}`` of the modules longer than :data:`MAX_MODULE_LINES`."""
    found = {}
    for path in _sources(root):
        lines = len(path.read_text("utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            found[path.relative_to(root).as_posix()] = lines
    return found


def _functions(tree: ast.AST, prefix: str = ""):
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = f"{prefix}{node.name}"
            if not isinstance(node, ast.ClassDef):
                yield name, node.end_lineno - node.lineno + 1
            yield from _functions(node, f"{name}.")


def long_functions(root: Path) -> dict[str, int]:
    """``{path::qualified name: lines}`` of the functions longer than :data:`MAX_FUNCTION_LINES`."""
    found = {}
    for path in _sources(root):
        tree = ast.parse(path.read_text("utf-8"))
        for name, lines in _functions(tree):
            if lines > MAX_FUNCTION_LINES:
                found[f"{path.relative_to(root).as_posix()}::{name}"] = lines
    return found


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    modules, functions = long_modules(root), long_functions(root)
    for name, lines in sorted(modules.items()):
        print(f"module   {lines:5d}  {name}")
    for name, lines in sorted(functions.items()):
        print(f"function {lines:5d}  {name}")
    print(f"{len(modules)} modules above {MAX_MODULE_LINES} lines, "
          f"{len(functions)} functions above {MAX_FUNCTION_LINES} lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
