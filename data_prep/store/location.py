"""Where a store is: a DuckDB file, a Parquet dataset folder, or a Parquet dataset behind an
fsspec URL (s3://, gs://, memory:// ...).

Why one home: the dashboard and the store take the location as the user wrote it
(`ATLAS_DB`, `--db`), and a URL must travel as text, since `Path("s3://bucket/atlas")` is
`s3:/bucket/atlas`. Local locations stay `Path`s, so a DuckDB file is handled exactly as
before; a dataset, folder or URL, is read in place and never written.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

StoreLocation = Union[str, Path]  # a Path for a local file or folder, text for a URL

DUCKDB = "duckdb"  # a DuckDB file, or a missing path named *.duckdb (built when asked)
FOLDER = "folder"  # an existing local folder: a Parquet dataset
URL = "url"  # an fsspec URL other than file://: a Parquet dataset
UNKNOWN = "unknown"  # a missing local path not named *.duckdb: nothing to open
DUCKDB_SUFFIX = ".duckdb"


@dataclass(frozen=True)
class Location:
    """A store location and what it is."""

    kind: str
    where: StoreLocation  # what the store's functions take: a Path, or a URL as text

    @property
    def is_dataset(self) -> bool:
        return self.kind in (FOLDER, URL)

    @property
    def text(self) -> str:
        return str(self.where)


def _url_scheme(text: str) -> Optional[str]:
    head, sep, _ = text.partition("://")
    return head.lower() if sep and head.replace("+", "").replace("-", "").isalnum() else None


def locate(where: StoreLocation) -> Location:
    """What `where` is. A URL's text is kept whole; file:// URLs become local paths."""
    if isinstance(where, str):
        scheme = _url_scheme(where)
        if scheme not in (None, "file"):
            return Location(URL, where)
        where = where[len("file://"):] if scheme == "file" else where
    path = Path(where).expanduser()
    if path.is_dir():
        return Location(FOLDER, path)
    if path.is_file() or path.suffix == DUCKDB_SUFFIX:
        return Location(DUCKDB, path)
    return Location(UNKNOWN, path)


def as_location(value: str) -> StoreLocation:
    """A location typed by a user (an environment variable, a command-line argument) as
    the store's functions take it: a URL as text, anything else as a Path."""
    return locate(value.strip()).where


def is_dataset(where: StoreLocation) -> bool:
    """True for a Parquet dataset (a folder or a URL): read in place, never written."""
    return locate(where).is_dataset
