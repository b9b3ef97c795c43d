"""Golden cases of the extractors as data: `tests/data/golden/<extractor>.jsonl`.

One case a line: {"group": the test that reads it, "why": what it shows (optional), the inputs
by name ("text", "countries", "published" ...), "expected": the extractor's answer}. A test
asks for its group's cases as pytest parameters in the order of its own arguments.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "data" / "golden"


@lru_cache(maxsize=None)
def _read(extractor: str) -> tuple[dict, ...]:
    path = GOLDEN / f"{extractor}.jsonl"
    cases = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.strip():
            try:
                cases.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise ValueError(f"{path.name}, line {number}: not JSON: {err}") from None
    return tuple(cases)


def cases(extractor: str, group: str, fields: str) -> list:
    """The group's cases as `pytest.param`s of `fields` ("text, expected"), each named by
    its text (and why, when it says)."""
    names = [f.strip() for f in fields.split(",")]
    out = []
    for case in _read(extractor):
        if case["group"] != group:
            continue
        missing = [n for n in names if n not in case]
        if missing:
            raise ValueError(f"{extractor}.jsonl: a {group} case lacks {missing}: {case}")
        label = case["text"][:60] + (f" ({case['why'][:40]})" if case.get("why") else "")
        out.append(pytest.param(*(case[n] for n in names), id=label))
    if not out:
        raise ValueError(f"{extractor}.jsonl: no cases of group {group!r}")
    return out
