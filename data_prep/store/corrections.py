"""Where corrections live: their own DuckDB file beside the database, `<db stem>.corrections.duckdb`.

Why a file of their own: the database is rebuilt from its article texts whenever the schema
or the extractor changes, and a corrupt one is moved aside; the corrections must outlive
all of that, so they are never on that path. A correction is a few hundred bytes, so a
write copies a small file, not the whole database. Writes follow the store's rules
(`store_files.py`): one writer at a time on `<file>.lock` (a second one waits, and can be
told so), a private copy swapped in atomically, so a reader sees all of a write or none of
it. Nothing is ever deleted: an undo is one more record.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

import duckdb

from data_prep.corrections import Correction, CorrectionError, checked, from_json, order
from data_prep.store.location import StoreLocation, is_dataset
from data_prep.store.files import clean_stale_temps, copy_database, publish, remove_temp, temp_path, write_lock

TABLE = "corrections"
COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "VARCHAR PRIMARY KEY"), ("at", "VARCHAR"), ("editor", "VARCHAR"),
    ("action", "VARCHAR"), ("article_id", "VARCHAR"), ("iso3_a", "VARCHAR"),
    ("iso3_b", "VARCHAR"), ("figure_idx", "INTEGER"), ("figure_start", "INTEGER"),
    ("figure_end", "INTEGER"), ("figure_text", "VARCHAR"), ("before", "VARCHAR"),
    ("after", "VARCHAR"), ("reason", "VARCHAR"), ("undoes", "VARCHAR"),
)
_NAMES = [c for c, _ in COLUMNS]
MAX_IMPORT_LINES = 100_000
OnWait = Optional[Callable[[str], None]]


def corrections_path(db_path: StoreLocation) -> Path:
    """atlas.duckdb -> atlas.corrections.duckdb, in the same folder. A Parquet dataset is
    read-only and has no corrections file: asking for one is refused."""
    if is_dataset(db_path):
        raise ValueError(f"{db_path} is a Parquet dataset, which is read-only: corrections are "
                         "kept beside a DuckDB store (import the dataset into one first)")
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}.corrections.duckdb")


def version(db_path: StoreLocation) -> str:
    """Changes on every write of the corrections (each write is a new file)."""
    from data_prep.store import database_version

    if is_dataset(db_path):
        return "read-only"
    return database_version(corrections_path(db_path))


def _row(c: Correction) -> tuple:
    before = json.dumps(c.before, ensure_ascii=False, sort_keys=True) if c.before is not None else None
    return (c.id, c.at, c.editor, c.action, c.article_id, c.iso3_a, c.iso3_b, c.figure_idx,
            c.figure_start, c.figure_end, c.figure_text, before,
            json.dumps(c.after, ensure_ascii=False, sort_keys=True), c.reason, c.undoes)


def _from_row(row: Sequence) -> Correction:
    data = dict(zip(_NAMES, row))
    data["before"] = json.loads(data["before"]) if data["before"] else None
    data["after"] = json.loads(data["after"]) if data["after"] else {}
    return Correction(**data)


def load(db_path: StoreLocation) -> list[Correction]:
    """Every correction kept for this database (undos included), oldest first; none for a
    Parquet dataset."""
    from data_prep.store import read_connection

    if is_dataset(db_path):
        return []
    path = corrections_path(db_path)
    if not path.is_file():
        return []
    with read_connection(path) as con:
        rows = con.execute(f"SELECT {', '.join(_q(n) for n in _NAMES)} FROM {TABLE}").fetchall()
    return order(_from_row(r) for r in rows)


def _q(name: str) -> str:
    return f'"{name}"'


@dataclass
class Saved:
    added: list[Correction] = field(default_factory=list)
    already: int = 0  # records with an id that was already kept (an import done twice)
    problems: list[str] = field(default_factory=list)  # records refused, with why


def save(db_path: Path, corrections: Iterable[Correction], on_wait: OnWait = None,
         strict: bool = True) -> Saved:
    """Keep new corrections. Under the lock, each is checked against those kept: an undo
    must name a kept correction not undone yet. `strict`: a refused one refuses the whole
    call (an editor's own action); otherwise it is listed in `problems` (an import)."""
    path = corrections_path(db_path)
    result = Saved()
    with write_lock(path, on_wait=on_wait):
        clean_stale_temps(path)
        kept = {c.id: c for c in load(db_path)}
        for c in corrections:
            problem = _refusal(c, kept)
            if problem == "already":
                result.already += 1
            elif problem:
                if strict:
                    raise CorrectionError(problem)
                result.problems.append(f"{c.id[:8]}: {problem}")
            else:
                kept[c.id] = c
                result.added.append(c)
        if result.added:
            _write(path, result.added)
    return result


def _refusal(c: Correction, kept: dict[str, Correction]) -> str:
    """Why `c` cannot be kept ("already" when it is), or ""."""
    if c.id in kept:
        return "already"
    try:
        checked(c)
    except CorrectionError as e:
        return str(e)
    if c.action == "undo":
        target = kept.get(c.undoes or "")
        if target is None:
            return "it undoes a correction that is not kept here"
        if target.action == "undo":
            return "an undo cannot be undone"
        if any(k.action == "undo" and k.undoes == target.id for k in kept.values()):
            return "that correction is undone already"
    return ""


def _write(path: Path, new: list[Correction]) -> None:
    """Add rows on a private copy, then swap it in (the caller holds the lock)."""
    tmp = temp_path(path)
    try:
        if path.is_file():
            copy_database(path, tmp)
            con = duckdb.connect(str(tmp))
        else:
            con = duckdb.connect(str(tmp))
            con.execute(f"CREATE TABLE {TABLE} ({', '.join(f'{_q(c)} {t}' for c, t in COLUMNS)})")
        try:
            con.executemany(f"INSERT INTO {TABLE} VALUES ({', '.join('?' for _ in COLUMNS)})",
                            [_row(c) for c in new])
            con.execute("CHECKPOINT")
        finally:
            con.close()
        publish(tmp, path)
    finally:
        remove_temp(tmp)


# --------------------------------------------------------------------------- JSON Lines


def to_jsonl(corrections: Iterable[Correction]) -> str:
    """One JSON object per line, oldest first: the format to share corrections in."""
    return "".join(c.to_json() + "\n" for c in order(corrections))


def parse_jsonl(text: str) -> tuple[list[Correction], list[str]]:
    """Corrections read from JSON Lines, and one problem per line that is not one."""
    found: list[Correction] = []
    problems: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        if n > MAX_IMPORT_LINES:
            problems.append(f"stopped after {MAX_IMPORT_LINES:,} lines")
            break
        if not line.strip():
            continue
        try:
            found.append(from_json(line))
        except CorrectionError as e:
            problems.append(f"line {n}: {e}")
    return found, problems


def import_jsonl(db_path: Path, text: str, on_wait: OnWait = None) -> Saved:
    """Keep the corrections of a JSON Lines export; ones kept already are counted, not
    doubled, so importing the same file twice changes nothing."""
    found, problems = parse_jsonl(text)
    # an undo is kept after the correction it undoes, whatever the order of the lines
    found.sort(key=lambda c: (c.action == "undo", c.at, c.id))
    saved = save(db_path, found, on_wait, strict=False)
    saved.problems[:0] = problems
    return saved
