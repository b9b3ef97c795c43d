"""List functions that are too long or branch too much to read at once.

    python tools/long_functions.py [--lines 60] [--branches 25] [FOLDER ...]   # default: data_prep

A function's length is its lines from `def` to its last statement (docstring included); its
branches are the `if`/`elif`, loops, `try` handlers, boolean operators, conditional expressions
and comprehension filters in its own body (not in functions nested in it). Exits 1 when any
function is over either limit, so `tests/test_function_size.py` keeps the house rule true.
"""
from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path
from typing import Iterator, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 60
MAX_BRANCHES = 25
_BRANCHES = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.ExceptHandler, ast.IfExp, ast.BoolOp,
             ast.comprehension, ast.match_case)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


class FunctionSize(NamedTuple):
    path: str
    line: int
    name: str
    lines: int
    branches: int


def _branches(func: ast.AST) -> int:
    """Branch points in the function's own body; a nested function counts for itself."""
    count, stack = 0, list(ast.iter_child_nodes(func))
    while stack:
        node = stack.pop()
        if isinstance(node, _FUNCTIONS + (ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.BoolOp):
            count += len(node.values) - 1
        elif isinstance(node, ast.comprehension):
            count += len(node.ifs)
        elif isinstance(node, _BRANCHES):
            count += 1
        stack.extend(ast.iter_child_nodes(node))
    return count


def function_sizes(folder: Path) -> Iterator[FunctionSize]:
    """Every function and method under `folder` (or in that one file), with its length and
    branch count."""
    for path in [folder] if folder.is_file() else sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, _FUNCTIONS):
                shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                yield FunctionSize(shown.as_posix(), node.lineno, node.name,
                                   node.end_lineno - node.lineno + 1, _branches(node))


def too_large(folders: list[Path], max_lines: int = MAX_LINES, max_branches: int = MAX_BRANCHES) -> list[FunctionSize]:
    return [f for folder in folders for f in function_sizes(folder)
            if f.lines > max_lines or f.branches > max_branches]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=MAX_LINES)
    ap.add_argument("--branches", type=int, default=MAX_BRANCHES)
    ap.add_argument("folders", nargs="*", default=["data_prep"])
    args = ap.parse_args(argv)
    found = too_large([ROOT / f for f in args.folders], args.lines, args.branches)
    for f in sorted(found, key=lambda f: (-f.lines, f.path)):
        print(f"{f.path}:{f.line}: {f.name}: {f.lines} lines, {f.branches} branches")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
