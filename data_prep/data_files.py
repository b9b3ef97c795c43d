"""The one way to find the package's data files: word lists and tables in `data_prep/data/`.

Every module that reads a table or a word list asks here, so moving a module between stage
packages never breaks a path, and there is one place that knows the layout.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
PROJECT_ROOT = PACKAGE_DIR.parent  # the checkout: seeds/ and the default database folder


def data_path(*parts: str) -> Path:
    """A file or folder under data_prep/data."""
    return DATA_DIR.joinpath(*parts)


def read_text(*parts: str) -> str:
    return data_path(*parts).read_text(encoding="utf-8")


def read_json(*parts: str) -> Any:
    return json.loads(read_text(*parts))


def read_csv(*parts: str) -> list[dict[str, str]]:
    """The rows of a CSV table by its header; lines starting with '#' (a table's notes on its
    sources, above the header) are skipped."""
    lines = [line for line in io.StringIO(read_text(*parts), newline="") if not line.startswith("#")]
    return list(csv.DictReader(lines))
