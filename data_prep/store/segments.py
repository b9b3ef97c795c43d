"""The store as a base file plus immutable segments: writes that cost what they add.

Why: a DuckDB file can be open read-write by one process only, and then by no reader, while
the dashboard must read at any moment and a killed write must leave a usable store. So the
live base file (`atlas.duckdb`) is never opened read-write. Each write (a batch of articles,
a removal, a re-extraction) becomes one new small DuckDB file in `<db>.parts/`, named
`seg-<lo>-<hi>.duckdb` by the consecutive write numbers it holds, and published by an atomic
rename. A segment holds the rows it adds and, in its `removed` table, the article ids whose
older rows it supersedes (a removal, or the old rows of a re-extracted article).

Readers attach the base and the segments read-only and see each table as one view: a row of
an older unit is hidden when a newer unit removed its article. The base's meta row
`segments_through` names the last write folded into it, so a reader that meets a new base
never counts a segment twice; a merged segment is published before the ones it replaces are
deleted, and readers take the widest segments that cover each write. An attached file stays
readable after it is deleted (the reader keeps it open), so readers keep their snapshot.

Maintenance keeps the number of files small (`plan`): runs of segments of about the same
size are merged (so a segment is rewritten about log(n) times), and when the segments
together outgrow the base they are folded into a new base (so the base is rewritten only
when the store has doubled since).
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Sequence

import duckdb

from data_prep.store.schema import TABLES

THROUGH_KEY = "segments_through"  # meta key of the base: the last write folded into it
MERGE_RUN = 4  # this many consecutive segments of one size class are merged into one
_NAME = re.compile(r"seg-(\d{8})-(\d{8})\.duckdb\Z")
_OPEN_TRIES = 8
# Each DuckDB instance a writer opens may hold this much (it spills to disk beyond), so a
# fold of a big store never grows the writer with the store. Readers keep DuckDB's default.
# Row order is not kept across a fold or merge: readers order by (article_id, idx) when it matters.
CONFIG = {"memory_limit": "256MB", "preserve_insertion_order": False}
REMOVED_DDL = "CREATE TABLE removed (article_id VARCHAR);"


@dataclass(frozen=True)
class Segment:
    lo: int  # first write number it holds
    hi: int  # last write number it holds
    path: Path

    @property
    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


def parts_dir(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".parts")


def segment_path(db_path: Path, lo: int, hi: int) -> Path:
    return parts_dir(db_path) / f"seg-{lo:08d}-{hi:08d}.duckdb"


def listed(db_path: Path) -> list[Segment]:
    """Every published segment file, in write order (subsumed ones included)."""
    try:
        names = os.listdir(parts_dir(db_path))
    except OSError:
        return []
    found = []
    for name in names:
        m = _NAME.match(name)
        if m:
            found.append(Segment(int(m[1]), int(m[2]), parts_dir(db_path) / name))
    return sorted(found, key=lambda s: (s.lo, -s.hi))


def cover(segments: Iterable[Segment], through: int) -> Optional[list[Segment]]:
    """The widest segments holding each write after `through`, in order; None when a write
    is missing (a merge or compaction moved it between listing and reading: look again)."""
    out: list[Segment] = []
    nxt = through + 1
    for seg in sorted(segments, key=lambda s: (s.lo, -s.hi)):
        if seg.hi < nxt:
            continue  # folded into the base, or inside a wider segment already taken
        if seg.lo != nxt:
            return None
        out.append(seg)
        nxt = seg.hi + 1
    return out


def stale(segments: Iterable[Segment], through: int) -> list[Segment]:
    """Published files no reader needs any more (folded into the base or a wider segment)."""
    live = set(cover(segments, through) or ())
    return [s for s in segments if s not in live and (s.hi <= through or _inside(s, live))]


def _inside(seg: Segment, live: set[Segment]) -> bool:
    return any(o.lo <= seg.lo and seg.hi <= o.hi for o in live)


def next_number(segments: Sequence[Segment], through: int) -> int:
    return max([through] + [s.hi for s in segments]) + 1


def version_token(db_path: Path) -> str:
    """Changes whenever a write publishes a base or a segment."""
    try:
        st = os.stat(db_path)
    except OSError:
        return "missing"
    names = ",".join(f"{s.lo}-{s.hi}" for s in listed(db_path))
    return f"{st.st_ino}-{st.st_mtime_ns}-{st.st_size}" + (f"+{names}" if names else "")


# ---------------------------------------------------------------------- reading


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def base_through(con: duckdb.DuckDBPyConnection, alias: str) -> int:
    try:
        row = con.execute(f"SELECT value FROM {alias}.meta WHERE key = ?", [THROUGH_KEY]).fetchone()
    except duckdb.Error:
        return 0
    return int(row[0]) if row and str(row[0]).isdigit() else 0


def open_snapshot(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection whose default catalog `atlas` shows the store as of now."""
    for _ in range(_OPEN_TRIES):
        con = _try_open(db_path)
        if con is not None:
            return con
    raise RuntimeError(f"{db_path}: its segments kept changing while being opened; try again")


def _try_open(db_path: Path) -> Optional[duckdb.DuckDBPyConnection]:
    segments = listed(db_path)
    con = duckdb.connect()
    try:
        if not segments:
            con.execute(f"ATTACH {_sql_str(str(db_path))} AS atlas (READ_ONLY)")
            con.execute("USE atlas")
            return con
        con.execute(f"ATTACH {_sql_str(str(db_path))} AS atlas_base (READ_ONLY)")
        live = cover(segments, base_through(con, "atlas_base"))
        if live is None:
            con.close()
            return None
        aliases = ["atlas_base"]
        for i, seg in enumerate(live, 1):
            try:
                con.execute(f"ATTACH {_sql_str(str(seg.path))} AS s{i} (READ_ONLY)")
            except duckdb.IOException:
                con.close()  # merged away since the listing: look again
                return None
            aliases.append(f"s{i}")
        _create_views(con, aliases)
        return con
    except BaseException:
        con.close()
        raise


def _columns_of(con: duckdb.DuckDBPyConnection, alias: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for table, column in con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = ?",
            [alias]).fetchall():
        out.setdefault(table, set()).add(column)
    return out


def _create_views(con: duckdb.DuckDBPyConnection, aliases: list[str]) -> None:
    """One view per table over every unit (oldest first), hiding rows a newer unit removed;
    `meta` comes from the first unit (the base)."""
    con.execute("ATTACH ':memory:' AS atlas")
    con.execute("USE atlas")
    con.execute("CREATE TABLE _removed (unit INTEGER, article_id VARCHAR)")
    columns = [_columns_of(con, a) for a in aliases]
    for unit, alias in enumerate(aliases):
        if "removed" in columns[unit]:
            con.execute(f"INSERT INTO _removed SELECT {unit}, article_id FROM {alias}.removed")
    newest_removal = con.execute("SELECT max(unit) FROM _removed").fetchone()[0] or 0
    for table, cols in TABLES.items():
        names = [c for c, _ in cols]
        units = [0] if table == "meta" else range(len(aliases))
        parts = []
        for unit in units:
            have = columns[unit].get(table)
            if have is None:
                continue
            select = ", ".join(f'"{c}"' if c in have else f'NULL AS "{c}"' for c in names)
            part = f"SELECT {select} FROM {aliases[unit]}.{table}"
            if table != "meta" and unit < newest_removal:
                part += (" WHERE article_id NOT IN (SELECT article_id FROM _removed "
                         f"WHERE unit > {unit})")
            parts.append(part)
        if parts:
            con.execute(f'CREATE VIEW {table} AS {" UNION ALL ".join(parts)}')


# ---------------------------------------------------------------------- maintenance


def size_class(seg: Segment) -> int:
    """Segments within a factor of MERGE_RUN of each other share a class."""
    return int(math.log(max(seg.size, 1 << 20) / (1 << 20), MERGE_RUN))


def merge_run(live: Sequence[Segment]) -> Optional[list[Segment]]:
    """The first run of MERGE_RUN consecutive segments of one size class, if any."""
    for start in range(len(live) - MERGE_RUN + 1):
        run = live[start:start + MERGE_RUN]
        if len({size_class(s) for s in run}) == 1:
            return list(run)
    return None


def fold_into_base(base_size: int, live: Sequence[Segment]) -> bool:
    """True when the segments together are as big as the base: rewrite the base (the store
    has doubled since the last rewrite, so this costs O(1) per article over time)."""
    return bool(live) and sum(s.size for s in live) >= base_size


def union_into(sources: Sequence[Path], target: Path, ddl: str, meta: Sequence[tuple[str, str]],
               keep_removed: bool) -> None:
    """Write the visible rows of `sources` (oldest first: a base and/or segments) into the
    new file `target`; with `keep_removed`, the result is a segment whose `removed` table
    carries every removal of the sources (they still apply to older units)."""
    con = duckdb.connect(config=CONFIG)
    try:
        aliases = []
        for i, path in enumerate(sources):
            con.execute(f"ATTACH {_sql_str(str(path))} AS u{i} (READ_ONLY)")
            aliases.append(f"u{i}")
        _create_views(con, aliases)
        con.execute(f"ATTACH {_sql_str(str(target))} AS fresh")
        con.execute("USE fresh")
        con.execute(ddl + (REMOVED_DDL if keep_removed else ""))
        con.execute("BEGIN")
        copy_tables(con, "atlas", buckets=article_buckets(con, "atlas"))
        if keep_removed:
            con.execute("INSERT INTO fresh.removed SELECT DISTINCT article_id FROM atlas._removed")
        if meta:
            con.executemany("INSERT INTO fresh.meta VALUES (?, ?)", list(meta))
        finish_fresh(con)
    finally:
        con.close()


ARTICLES_PER_BUCKET = 10_000  # a base or merged segment is written this many articles at a time
_SAMPLED_PER_BUCKET = 50  # article ids sampled per bucket to place the buckets' bounds


Bucket = tuple[Optional[str], Optional[str]]  # article ids [lo, hi); None: open on that side


def article_buckets(con: duckdb.DuckDBPyConnection, source: str) -> list[Bucket]:
    """Consecutive ranges of article ids [lo, hi) (None: open) holding about
    `ARTICLES_PER_BUCKET` articles each of catalog `source`, bounded from a sample of its ids."""
    n = con.execute(f"SELECT count(*) FROM {source}.articles").fetchone()[0]
    k = math.ceil(n / ARTICLES_PER_BUCKET)
    if k <= 1:
        return [(None, None)]
    sample = sorted(i for (i,) in con.execute(
        f"SELECT article_id FROM {source}.articles WHERE article_id IS NOT NULL "
        f"USING SAMPLE {k * _SAMPLED_PER_BUCKET} ROWS").fetchall())
    bounds = sorted({sample[len(sample) * i // k] for i in range(1, k)})
    edges: list[Optional[str]] = [None, *bounds, None]
    return list(zip(edges, edges[1:]))


def _bucket_condition(lo: Optional[str], hi: Optional[str]) -> str:
    if lo is None:  # the first bucket also takes any row without an id: none is lost
        return "TRUE" if hi is None else f"(article_id < {_sql_str(hi)} OR article_id IS NULL)"
    below = "" if hi is None else f" AND article_id < {_sql_str(hi)}"
    return f"article_id >= {_sql_str(lo)}{below}"


def copy_tables(con: duckdb.DuckDBPyConnection, source: str, where: str = "",
                buckets: Sequence[Bucket] = ((None, None),)) -> None:
    """Copy every data table's rows of catalog `source` (optionally those meeting the
    condition `where`) into the attached file `fresh`, column by column, so the two schemas
    need only share names.

    With `buckets` (`article_buckets`), rows are written one range of article ids after
    the other: each row group of the new file then holds the rows of a narrow range of
    ids, so a reader looking up one article (the Articles page) skips all but a few row
    groups by their min/max instead of scanning every row, and a later fold reads each
    range of this file the same way. No sort: each range is a filtered scan, so the
    writer's memory stays bounded whatever the store's size."""
    for table, cols in TABLES.items():
        if table == "meta":
            continue
        names = ", ".join(f'"{c}"' for c, _ in cols)
        for lo, hi in buckets:
            cond = " AND ".join(f"({c})" for c in (where, _bucket_condition(lo, hi))
                                if c and c != "TRUE")
            con.execute(f"INSERT INTO fresh.{table} ({names}) SELECT {names} FROM "
                        f"{source}.{table}" + (f" WHERE {cond}" if cond else ""))


def finish_fresh(con: duckdb.DuckDBPyConnection) -> None:
    """Commit the write into `fresh`, checkpoint it so the file is whole on disk before it is
    published by a rename, and let it go."""
    con.execute("COMMIT")
    con.execute("CHECKPOINT fresh")
    con.execute("USE atlas")
    con.execute("DETACH fresh")


def article_counts(db_path: Path, live: Sequence[Segment]) -> tuple[int, list[int]]:
    """Articles in the base and in each segment (rows as stored, removals not applied)."""
    con = duckdb.connect(config=CONFIG)
    try:
        counts = []
        for i, path in enumerate([db_path] + [s.path for s in live]):
            con.execute(f"ATTACH {_sql_str(str(path))} AS u{i} (READ_ONLY)")
            counts.append(con.execute(f"SELECT count(*) FROM u{i}.articles").fetchone()[0])
        return counts[0], counts[1:]
    finally:
        con.close()
