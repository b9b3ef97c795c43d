"""The store: an embedded DuckDB database of extracted articles, safe to build incrementally.

Schema (SCHEMA_VERSION in `schema.py`; every table but `meta` is keyed by article_id,
and removing an article removes its rows from all of them):

- meta(key, value): schema_version, extractor_version, updated_at (UTC ISO time of the write).
- articles(article_id PK, doc, title, published DATE, url, source, origin, text, text_sha256,
  added_at TIMESTAMP UTC, raw_title, raw_published): `text` is the text every start/"end"
  offset below points into; title/published are what extraction found (shown), raw_* the
  metadata as read (the input of a re-extraction).
- countries(article_id, iso3, name, mentions, first_start)
- mentions(article_id, iso3, text, start, "end", via, place)   via: name|alias|demonym|city
- regions(article_id, name, text, start, "end")
- sentences(article_id, idx, start, "end", text)
- figures(article_id, idx, kind, value, unit, what, qualifier, measure, usd, text, start, "end",
  sentence)   kind: money|percent|count; sentence: sentences.idx
- dates(article_id, idx, value, granularity, text, start, "end", relative, sentence)
- entities(article_id, idx, name, kind, iso3, role, start, "end", sentence)
- partnerships(article_id, idx, iso3_a, iso3_b, kind, status, sectors VARCHAR[],
  places VARCHAR (JSON text {iso3: [place, ...]}), organisations VARCHAR[], grp VARCHAR[],
  sentences INTEGER[] (sentences.idx), evidence VARCHAR (evidence sentences joined by "\\n"),
  figures INTEGER[] (figures.idx), dates INTEGER[] (dates.idx), event_date VARCHAR
  (YYYY|YYYY-MM|YYYY-MM-DD: the first date of the evidence sentences, else the published
  date, else NULL), event_granularity VARCHAR (year|month|day|NULL))
  with iso3_a < iso3_b.

Concurrency and crash safety (see `files.py`): writers (add_articles, remove_articles,
ensure_database; reached through `data_prep.service`) serialise on `<db>.lock`, write a private copy of the
database and atomically rename it over the live file, so a failed or killed write leaves the
database exactly as before (the next build redoes the work); a second writer waits for the
first and then sees its articles. Readers use `read_connection`: short-lived, read-only, never
blocked; close it after use (`with read_connection(db) as con: ...`), because a connection
keeps showing the database as it was when opened. `database_version` changes on every write.

A database of another schema_version or extractor_version is rebuilt from its stored article
texts (ids kept); a file DuckDB cannot open is moved aside to `<db>.corrupt-<timestamp>` and
one that is not ours (no article texts) to `<db>.old-<timestamp>`, each with a message.
"""
from __future__ import annotations

import datetime as _dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence, Union

import duckdb

from data_prep.records import RawArticle, ReadProblem
from data_prep.store.files import (
    StoreBusy,
    clean_stale_temps,
    copy_database,
    move_aside,
    publish,
    remove_temp,
    temp_path,
    write_lock,
)
from data_prep.store.rows import RowBuffer, article_rows, clean_str, text_only_rows
from data_prep.store.schema import ARTICLE_TABLES, SCHEMA_VERSION, TABLES, column_names, ddl
from data_prep.data_files import PROJECT_ROOT

__all__ = [
    "DEFAULT_DB", "SEEDS", "BuildReport", "Pipeline", "StoreBusy", "add_articles",
    "remove_articles", "ensure_database", "read_connection", "database_version",
]

_ROOT = PROJECT_ROOT
DEFAULT_DB: Path = _ROOT / "data" / "atlas.duckdb"
SEEDS: Path = _ROOT / "seeds"
CHUNK_ARTICLES = 500  # articles per batch insert: bounds memory on 20,000-article builds

Progress = Callable[[int, int, str], None]
_log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)  # docs added
    duplicates: list[str] = field(default_factory=list)  # docs already stored: skipped
    duplicate_of: list[str] = field(default_factory=list)  # per duplicate: the doc it repeats
    failed: list[ReadProblem] = field(default_factory=list)  # unreadable or not extracted
    removed: list[str] = field(default_factory=list)  # docs removed by this call
    messages: list[str] = field(default_factory=list)  # migrations, files moved aside


# ---------------------------------------------------------------- reading


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _attach_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory DuckDB with `path` attached read-only as the default catalog.

    ATTACH rather than duckdb.connect(path): connect() caches one instance per path inside
    the process, which would keep serving the replaced file's old content.
    """
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH {_sql_str(str(path))} AS atlas (READ_ONLY)")
        con.execute("USE atlas")
    except BaseException:
        con.close()
        raise
    return con


def read_connection(db_path: Path = DEFAULT_DB) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the database as it is now; close it after use."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"no database at {db_path}: build it first (ensure_database)")
    return _attach_read_only(db_path)


def database_version(db_path: Path = DEFAULT_DB) -> str:
    """A token that changes on every successful write (each write is a new file)."""
    try:
        st = os.stat(db_path)
    except OSError:
        return "missing"
    return f"{st.st_ino}-{st.st_mtime_ns}-{st.st_size}"


@dataclass(frozen=True)
class _State:
    kind: str  # missing | current | stale | foreign | corrupt
    detail: str = ""
    schema_version: Optional[str] = None
    extractor_version: Optional[str] = None


def _inspect(db_path: Path, extractor_version: str) -> _State:
    """What the file at db_path is, without changing it."""
    if not db_path.exists():
        return _State("missing")
    try:
        con = _attach_read_only(db_path)
    except duckdb.Error as e:
        if "lock" in str(e).lower():
            raise StoreBusy(f"{db_path} is held open for writing by another program: {e}") from e
        return _State("corrupt", str(e))
    try:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'atlas'"
        ).fetchall()}
        meta: dict[str, str] = {}
        if "meta" in tables:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        schema, extractor = meta.get("schema_version"), meta.get("extractor_version")
        if schema == SCHEMA_VERSION and extractor == extractor_version and set(TABLES) <= tables:
            return _State("current", "", schema, extractor)
        if "articles" in tables and {"text"} <= set(_columns(con, "articles")):
            return _State("stale", "", schema, extractor)
        return _State("foreign", "tables: " + (", ".join(sorted(tables)) or "none"))
    except duckdb.Error as e:
        return _State("corrupt", str(e))
    finally:
        con.close()


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_catalog = 'atlas' AND table_name = ? ORDER BY ordinal_position", [table]
    ).fetchall()]


# ---------------------------------------------------------------- writing


@dataclass(frozen=True)
class Pipeline:
    """What the store runs on an article's text, given by its caller (`data_prep.service`):
    the store imports no reader and no extractor, so a stale database is re-extracted with
    whatever pipeline the caller brings, and `version` says which one that was."""

    extract: Callable[[RawArticle, Optional[str]], Any]
    version: str
    article_id: Callable[[str], str]


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)


def _failure(doc: str, what: str, e: BaseException) -> ReadProblem:
    detail = str(e).strip().splitlines()[0][:300] if str(e).strip() else ""
    return ReadProblem(doc or "?", f"{what}: {type(e).__name__}" + (f": {detail}" if detail else ""))


class _Writer:
    """Holds the write lock; writes a private copy of the database, published by commit().

    open() brings the copy to the current schema (moving unusable files aside, rebuilding a
    stale database from its texts); nothing touches the live file until commit().
    """

    def __init__(self, db_path: Path, pipeline: Pipeline, report: BuildReport,
                 progress: Optional[Progress], on_wait: Optional[Callable[[str], None]] = None):
        self.db_path = Path(db_path)
        self.report = report
        self.progress = progress
        self.on_wait = on_wait
        self.extract, self.version, self.article_id = (pipeline.extract, pipeline.version,
                                                       pipeline.article_id)
        self.con: Optional[duckdb.DuckDBPyConnection] = None
        self.tmp: Optional[Path] = None
        self.existing: dict[str, str] = {}  # article id -> the doc it was stored from
        self.changed = False
        self.buffer = RowBuffer()

    # -- lifecycle
    def __enter__(self) -> "_Writer":
        self._lock = write_lock(self.db_path, on_wait=self.on_wait)
        self._lock.__enter__()
        try:
            clean_stale_temps(self.db_path)
            self._open()
        except BaseException:
            self._abort()
            raise
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self._commit()
        finally:
            self._abort()

    def _say(self, message: str) -> None:
        self.report.messages.append(message)

    def _open(self) -> None:
        state = _inspect(self.db_path, self.version)
        if state.kind == "corrupt":
            aside = move_aside(self.db_path, "corrupt")
            self._say(f"{self.db_path} is not a readable DuckDB database ({state.detail}); "
                      f"moved it to {aside.name} and started a new one")
            state = _State("missing")
        elif state.kind == "foreign":
            aside = move_aside(self.db_path, "old")
            self._say(f"{self.db_path} holds no Partnership Atlas articles ({state.detail}); "
                      f"moved it to {aside.name} and started a new one")
            state = _State("missing")
        self.state = state
        if state.kind == "current":
            con = _attach_read_only(self.db_path)
            try:
                self.existing = dict(con.execute("SELECT article_id, doc FROM articles")
                                     .fetchall())
            finally:
                con.close()
        else:
            self._new_copy()
            if state.kind == "stale":
                self._rebuild(state)

    def _new_copy(self) -> None:
        """Start the private copy: a copy of the live file, or an empty current schema."""
        self.tmp = temp_path(self.db_path)
        if self.state.kind == "current":
            copy_database(self.db_path, self.tmp)
            self.con = duckdb.connect(str(self.tmp))
        else:
            self.con = duckdb.connect(str(self.tmp))
            self.con.execute(ddl())
        self.changed = True

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self.con is None:
            self._new_copy()
        assert self.con is not None
        return self.con

    def _commit(self) -> None:
        self.flush()
        if not self.changed or self.con is None or self.tmp is None:
            return
        con = self.con
        con.execute("BEGIN")
        con.execute("DELETE FROM meta")
        con.executemany("INSERT INTO meta VALUES (?, ?)", [
            ("schema_version", SCHEMA_VERSION),
            ("extractor_version", self.version),
            ("updated_at", _now().isoformat(timespec="microseconds") + "Z"),
        ])
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        con.close()
        self.con = None
        wal = self.tmp.with_name(self.tmp.name + ".wal")
        if wal.exists() and wal.stat().st_size > 0:  # the copy alone must hold every row
            raise RuntimeError(f"DuckDB left a write-ahead log beside {self.tmp}: not published")
        publish(self.tmp, self.db_path)
        self.tmp = None

    def _abort(self) -> None:
        try:
            if self.con is not None:
                self.con.close()
                self.con = None
            if self.tmp is not None:
                remove_temp(self.tmp)
                self.tmp = None
        finally:
            lock, self._lock = getattr(self, "_lock", None), None
            if lock is not None:
                lock.__exit__(None, None, None)

    # -- rows
    def flush(self) -> None:
        if not self.buffer.articles:
            return
        con = self._connection()
        con.execute("BEGIN")
        try:
            for table, batch in self.buffer.batches():
                con.register("_batch", batch)
                try:
                    cols = ", ".join(f'"{c}"' for c in column_names(table))
                    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _batch")
                finally:
                    con.unregister("_batch")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _keep(self, rows) -> None:
        self.buffer.add(rows)
        if self.buffer.articles >= CHUNK_ARTICLES:
            self.flush()

    def add(self, raw: RawArticle, aid: Optional[str] = None) -> str:
        """Extract and queue one article: 'added', 'duplicate' or 'failed' (never raises
        on the article's content)."""
        doc = clean_str(raw.doc) or ""
        try:
            aid = aid or self.article_id(raw.text)
        except Exception as e:
            self.report.failed.append(_failure(doc, "article id failed", e))
            return "failed"
        if aid in self.existing:
            self.report.duplicates.append(doc)
            self.report.duplicate_of.append(self.existing[aid] or aid)
            return "duplicate"
        try:
            ex = self.extract(raw, aid)
            rows = article_rows(aid, raw, ex, _now())
        except Exception as e:
            self.report.failed.append(_failure(doc, "extraction failed", e))
            return "failed"
        self._keep(rows)
        self.existing[aid] = doc
        self.report.added.append(doc)
        return "added"

    def _rebuild(self, state: _State) -> None:
        """Re-extract every article stored in a stale database into the new copy."""
        old = _attach_read_only(self.db_path)
        try:
            have = set(_columns(old, "articles"))
            # the metadata as read; older schemas only kept the shown title and date
            title = "raw_title" if "raw_title" in have else "title"
            published = "raw_published" if "raw_published" in have else "published"
            wanted = ["article_id", "doc", title, published, "url", "source", "origin", "text",
                      "added_at"]
            select = ", ".join(f'"{c}"' if c in have else f'NULL AS "{c}"' for c in wanted)
            total = old.execute("SELECT count(*) FROM articles").fetchone()[0]
            cur = old.execute(f"SELECT {select} FROM articles ORDER BY rowid")
            done = kept = 0
            while True:
                chunk = cur.fetchmany(CHUNK_ARTICLES)
                if not chunk:
                    break
                for aid, doc, title, published, url, source, origin, text, added in chunk:
                    done += 1
                    if not isinstance(text, str):
                        continue
                    raw = RawArticle(
                        doc=str(doc) if doc is not None else "", text=clean_str(text) or "",
                        title=title, published=str(published)[:10] if published else None,
                        url=url, source=source, origin=origin or "",
                    )
                    if kept_one := self._rebuild_one(raw, aid, added):
                        kept += kept_one
                    if self.progress:
                        self.progress(done, total, raw.doc)
        finally:
            old.close()
        self._say(
            f"{self.db_path}: stored with schema {state.schema_version or 'unknown'} and "
            f"extractor {state.extractor_version or 'unknown'}, now {SCHEMA_VERSION} and "
            f"{self.version}: rebuilt {kept} articles from their stored texts"
        )

    def _rebuild_one(self, raw: RawArticle, aid, added) -> int:
        try:
            aid = str(aid) if aid else self.article_id(raw.text)
        except Exception as e:
            self.report.failed.append(_failure(raw.doc, "article id failed", e))
            return 0
        if aid in self.existing:
            return 0
        added_at = added if isinstance(added, _dt.datetime) else _now()
        try:
            rows = article_rows(aid, raw, self.extract(raw, aid), added_at)
        except Exception as e:
            # keep the text (never lose an article); it has no extracted data until re-run
            self.report.failed.append(_failure(raw.doc, "extraction failed (text kept)", e))
            rows = text_only_rows(aid, raw, added_at)
        self._keep(rows)
        self.existing[aid] = raw.doc
        return 1

    def remove(self, article_ids: Sequence[str]) -> list[str]:
        """Delete the given articles from every table; returns their docs."""
        ids = sorted({str(a) for a in article_ids} & self.existing.keys())
        if not ids:
            return []
        con = self._connection()
        self.flush()
        con.execute("BEGIN")
        try:
            con.execute("CREATE TEMP TABLE _gone (article_id VARCHAR)")
            con.executemany("INSERT INTO _gone VALUES (?)", [(a,) for a in ids])
            docs = [r[0] for r in con.execute(
                "SELECT doc FROM articles WHERE article_id IN (SELECT article_id FROM _gone) "
                "ORDER BY doc").fetchall()]
            for table in ARTICLE_TABLES:
                con.execute(f"DELETE FROM {table} WHERE article_id IN "
                            "(SELECT article_id FROM _gone)")
            con.execute("DROP TABLE _gone")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        for aid in ids:
            self.existing.pop(aid, None)
        return docs


# ---------------------------------------------------------------- public API


def add_articles(
    items: Iterable[Union[RawArticle, ReadProblem]],
    pipeline: Pipeline,
    db_path: Path = DEFAULT_DB,
    progress: Optional[Progress] = None,
    on_wait: Optional[Callable[[str], None]] = None,
) -> BuildReport:
    """Extract and store articles not stored yet (by article id); problems are reported.

    Every item ends in exactly one of report.added, report.duplicates (with the doc it
    repeats in report.duplicate_of) or report.failed. All or nothing: if this call fails
    or is killed, the database stays as it was. `on_wait` hears once if another writer
    holds the database and this call waits for it.
    """
    report = BuildReport()
    raws: list[RawArticle] = []
    for item in items:
        if isinstance(item, RawArticle):
            raws.append(item)
        elif isinstance(item, ReadProblem):
            report.failed.append(item)
        else:
            report.failed.append(ReadProblem(repr(item)[:80], "not an article"))
    with _Writer(Path(db_path), pipeline, report, progress, on_wait) as writer:
        total = len(raws)
        for done, raw in enumerate(raws, 1):
            writer.add(raw)
            if progress:
                progress(done, total, raw.doc)
    return report



def remove_articles(article_ids: Sequence[str], pipeline: Pipeline, db_path: Path = DEFAULT_DB,
                    on_wait: Optional[Callable[[str], None]] = None) -> int:
    """Remove articles (and all their rows); returns how many were stored."""
    db_path = Path(db_path)
    if isinstance(article_ids, str):
        article_ids = [article_ids]
    if not db_path.exists() or not article_ids:
        return 0
    report = BuildReport()
    with _Writer(db_path, pipeline, report, None, on_wait) as writer:
        report.removed = writer.remove(article_ids)
    return len(report.removed)


def ensure_database(
    pipeline: Pipeline,
    seed_items: Callable[[], Iterable[Union[RawArticle, ReadProblem]]],
    db_path: Path = DEFAULT_DB,
    notify: Optional[Callable[[str], None]] = None,
    progress: Optional[Progress] = None,
) -> Path:
    """Make db_path a current database: built from `seed_items()` when missing (or unusable and
    moved aside), rebuilt from its stored texts when its schema or extractor is older.

    Each such event is a message, passed to `notify` (default: logged as a warning).
    """
    db_path = Path(db_path)
    if _inspect(db_path, pipeline.version).kind == "current":
        return db_path
    report = BuildReport()
    with _Writer(db_path, pipeline, report, progress) as writer:
        if writer.state.kind == "missing":
            items = list(seed_items())
            raws = [i for i in items if isinstance(i, RawArticle)]
            report.failed.extend(i for i in items if isinstance(i, ReadProblem))
            for done, raw in enumerate(raws, 1):
                writer.add(raw)
                if progress:
                    progress(done, len(raws), raw.doc)
            writer._say(f"built {db_path} from {len(report.added)} seed articles")
    for problem in report.failed:
        report.messages.append(f"not stored: {problem}")
    for message in report.messages:
        (notify or _log.warning)(message)
    return db_path
