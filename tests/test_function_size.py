"""The house rule on function size, kept true: no function of the app, its data package,
benchmarks or tools over about 60 lines, and none in the extractors with more than about 25
branches (tools/long_functions.py)."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import long_functions  # noqa: E402

_FOLDERS = ("data_prep", "atlas_ui", "pages", "bench", "tools")


def _label(f: long_functions.FunctionSize) -> str:
    return f"{f.path}:{f.line} {f.name} ({f.lines} lines, {f.branches} branches)"


def test_no_long_function_in_the_project():
    sizes = [f for folder in _FOLDERS for f in long_functions.function_sizes(ROOT / folder)]
    sizes += list(long_functions.function_sizes(ROOT / "app.py"))
    assert sizes and [_label(f) for f in sizes if f.lines > long_functions.MAX_LINES] == []


def test_no_function_in_the_extractors_branches_too_much():
    sizes = long_functions.function_sizes(ROOT / "data_prep" / "extract")
    assert [_label(f) for f in sizes if f.branches > long_functions.MAX_BRANCHES] == []


def test_the_check_finds_a_long_branchy_function(tmp_path):
    body = "".join(f"    if x == {i} or x > {i}:\n        x += 1\n" for i in range(40))
    (tmp_path / "m.py").write_text(f"def big(x):\n{body}    return x\n\ndef small(x):\n    return x\n", "utf-8")
    (found,) = [f for f in long_functions.function_sizes(tmp_path) if f.name == "big"]
    assert (found.lines, found.branches) == (82, 80)
    (small,) = [f for f in long_functions.function_sizes(tmp_path) if f.name == "small"]
    assert (small.lines, small.branches) == (2, 0)
