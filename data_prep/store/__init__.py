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

import contextlib
import datetime as _dt
import logging
from collections.abc import Sized
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence, Union

import duckdb

from data_prep.records import RawArticle, ReadProblem
from data_prep.store import segments
from data_prep.store.location import StoreLocation, locate
from data_prep.store.files import (
    StoreBusy,
    clean_stale_temps,
    move_aside,
    publish,
    remove_temp,
    temp_path,
    write_lock,
)
from data_prep.store.rows import (
    RowBuffer,
    article_rows,
    clean_str,
    extract_chunk,
    extract_rows,
    failure_text,
    text_only_rows,
)
from data_prep.store.schema import SCHEMA_VERSION, TABLES, column_names, ddl
from data_prep.data_files import PROJECT_ROOT

__all__ = [
    "DEFAULT_DB", "SEEDS", "BuildReport", "Pipeline", "StoreBusy", "add_articles",
    "remove_articles", "replace_articles", "compact", "ensure_database", "read_connection",
    "database_version",
]

_ROOT = PROJECT_ROOT
DEFAULT_DB: Path = _ROOT / "data" / "atlas.duckdb"
SEEDS: Path = _ROOT / "seeds"
BATCH_ARTICLES = 1000  # inputs per batch: what memory holds at once and what one segment adds
POOL_CHUNK = 20  # articles per task of a worker: its rows come back as one Arrow table

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


def read_connection(db_path: StoreLocation = DEFAULT_DB) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the store as it is now (the base and its segments, each
    table one view); close it after use. A Parquet dataset written by the Dask build, a
    folder or an fsspec URL (`location.locate`), is opened the same way
    (`parquet.open_dataset`)."""
    found = locate(db_path)
    if found.is_dataset:
        from data_prep.store.parquet import open_dataset

        return open_dataset(found.where)
    db_path = Path(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"no database at {db_path}: build it first (ensure_database)")
    return segments.open_snapshot(db_path)


def database_version(db_path: StoreLocation = DEFAULT_DB) -> str:
    """A token that changes on every successful write (a new base or a new segment)."""
    found = locate(db_path)
    if found.is_dataset:
        from data_prep.store.parquet import dataset_version

        return dataset_version(found.where)
    return segments.version_token(Path(db_path))


@dataclass(frozen=True)
class _State:
    kind: str  # missing | current | stale | foreign | corrupt
    detail: str = ""
    schema_version: Optional[str] = None
    extractor_version: Optional[str] = None


def inspect(db_path: Path, extractor_version: str) -> _State:
    """What the file at db_path is (missing, current, stale, foreign or corrupt) for this
    extractor version, without changing it."""
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
    whatever pipeline the caller brings, and `version` says which one that was. `map` runs
    `extract_rows` over a batch of jobs, in order: the builtin map, or a process pool's."""

    extract: Callable[[RawArticle, Optional[str]], Any]
    version: str
    article_id: Callable[[str], str]
    map: Callable[[Callable, Iterable], Iterable] = map


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)


def _failure(doc: str, what: str, e: BaseException) -> ReadProblem:
    return ReadProblem(doc or "?", failure_text(what, e))


def _insert(con: duckdb.DuckDBPyConnection, buffer: RowBuffer) -> None:
    """The buffer's rows, one INSERT per table (an Arrow batch), inside the caller's transaction."""
    for table, batch in buffer.batches():
        con.register("_batch", batch)
        try:
            cols = ", ".join(f'"{c}"' for c in column_names(table))
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _batch")
        finally:
            con.unregister("_batch")


def _close_clean(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Checkpoint and close a file being written; it must hold every row by itself."""
    con.execute("CHECKPOINT")
    con.close()
    wal = path.with_name(path.name + ".wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise RuntimeError(f"DuckDB left a write-ahead log beside {path}: not published")


@dataclass
class _Submitted:
    """A batch given to the extraction: its jobs in chunks, and their results to come."""

    chunks: list
    results: Iterator


class _Writer:
    """Holds the write lock; every change becomes a new file published atomically: a segment
    per batch of articles or removal, a new base when the store is new, stale, or has
    doubled (see `segments.py`). The live files are never opened read-write, so readers are
    never blocked, and a killed writer leaves every batch it published before the kill."""

    def __init__(self, db_path: Path, pipeline: Pipeline, report: BuildReport,
                 progress: Optional[Progress], on_wait: Optional[Callable[[str], None]] = None):
        self.db_path = Path(db_path)
        self.report = report
        self.progress = progress
        self.on_wait = on_wait
        self.pipeline = pipeline
        self.extract, self.version, self.article_id = (pipeline.extract, pipeline.version,
                                                       pipeline.article_id)
        self.tmp: Optional[Path] = None  # the file being written, removed on failure
        self.seen: dict[str, str] = {}  # ids stored or added by this call -> their doc
        self.through = 0  # the last write folded into the base
        self.fold_all = False  # compact: fold every segment into the base at the end

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
                self.maintain()
        finally:
            self._abort()

    def _say(self, message: str) -> None:
        self.report.messages.append(message)

    def _open(self) -> None:
        state = inspect(self.db_path, self.version)
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
                self.through = segments.base_through(con, "atlas")
            finally:
                con.close()
        else:
            con, tmp = self._new_file()
            if state.kind == "stale":
                self._rebuild(state, con)
            self._publish_base(con, tmp)
        self._drop_unneeded()

    def _new_file(self) -> tuple[duckdb.DuckDBPyConnection, Path]:
        self.tmp = temp_path(self.db_path)
        con = duckdb.connect(str(self.tmp), config=segments.CONFIG)
        con.execute(ddl())
        return con, self.tmp

    def _meta(self, through: int) -> list[tuple[str, str]]:
        return [("schema_version", SCHEMA_VERSION), ("extractor_version", self.version),
                ("updated_at", _now().isoformat(timespec="microseconds") + "Z"),
                (segments.THROUGH_KEY, str(through))]

    def _publish_base(self, con: duckdb.DuckDBPyConnection, tmp: Path) -> None:
        """Make the file being written the base; it holds every write made so far."""
        through = segments.next_number(segments.listed(self.db_path), self.through) - 1
        con.executemany("INSERT INTO meta VALUES (?, ?)", self._meta(through))
        _close_clean(con, tmp)
        publish(tmp, self.db_path)
        self.tmp, self.through = None, through

    def _abort(self) -> None:
        try:
            if self.tmp is not None:
                remove_temp(self.tmp)
                self.tmp = None
        finally:
            lock, self._lock = getattr(self, "_lock", None), None
            if lock is not None:
                lock.__exit__(None, None, None)

    # -- segments
    def _write_segment(self, buffer: RowBuffer, removed: Sequence[str]) -> None:
        """Publish one batch: its rows, and the ids whose older rows it supersedes."""
        con, tmp = self._new_file()
        con.execute(segments.REMOVED_DDL)
        con.execute("BEGIN")
        _insert(con, buffer)
        if removed:
            con.executemany("INSERT INTO removed VALUES (?)", [(a,) for a in removed])
        con.execute("COMMIT")
        _close_clean(con, tmp)
        number = segments.next_number(segments.listed(self.db_path), self.through)
        target = segments.segment_path(self.db_path, number, number)
        target.parent.mkdir(exist_ok=True)
        publish(tmp, target)
        self.tmp = None

    def maintain(self) -> None:
        """Fold the segments into a new base once they outgrow it, else merge runs of
        segments of one size, so that readers attach few files (also done on leaving)."""
        while True:
            live = segments.cover(segments.listed(self.db_path), self.through) or []
            if not live:
                break
            base_n, seg_n = segments.article_counts(self.db_path, live)
            if self.fold_all or sum(seg_n) >= base_n:
                self.tmp = temp_path(self.db_path)
                through = live[-1].hi
                segments.union_into([self.db_path] + [s.path for s in live], self.tmp, ddl(),
                                    self._meta(through), keep_removed=False)
                publish(self.tmp, self.db_path)
                self.tmp, self.through = None, through
            elif run := segments.merge_run(live):
                self.tmp = temp_path(self.db_path)
                segments.union_into([s.path for s in run], self.tmp, ddl(), [], keep_removed=True)
                publish(self.tmp, segments.segment_path(self.db_path, run[0].lo, run[-1].hi))
                self.tmp = None
            else:
                break
            self._drop_unneeded()

    def _drop_unneeded(self) -> None:
        """Delete segments folded into the base or a wider segment (open readers keep
        theirs: an attached file stays readable after it is deleted)."""
        for seg in segments.stale(segments.listed(self.db_path), self.through):
            remove_temp(seg.path)
        with contextlib.suppress(OSError):
            segments.parts_dir(self.db_path).rmdir()  # only when empty

    def stored(self, ids: Iterable[str]) -> dict[str, str]:
        """article id -> doc of the given ids that the store holds now."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        with read_connection(self.db_path) as con:
            return dict(con.execute(
                "SELECT article_id, doc FROM articles WHERE article_id IN "
                "(SELECT unnest(?::VARCHAR[]))", [wanted]).fetchall())

    # -- articles
    def submit(self, raws: Sequence[RawArticle], tick: Callable[[str], None]) -> "_Submitted":
        """Start extracting one batch: duplicates and id failures end here; the rest go to
        the pool at once (a builtin map extracts when collected)."""
        keyed: list[tuple[RawArticle, str, str]] = []
        for raw in raws:
            doc = clean_str(raw.doc) or ""
            try:
                keyed.append((raw, doc, self.article_id(raw.text)))
            except Exception as e:  # noqa: BLE001
                self.report.failed.append(_failure(doc, "article id failed", e))
                tick(raw.doc)
        self.seen.update(self.stored(aid for _, _, aid in keyed if aid not in self.seen))
        jobs = []
        for raw, doc, aid in keyed:
            if aid in self.seen:
                self.report.duplicates.append(doc)
                self.report.duplicate_of.append(self.seen[aid] or aid)
                tick(raw.doc)
            else:
                self.seen[aid] = doc
                jobs.append((raw, doc, aid))
        added_at = _now()
        chunks = [jobs[i:i + POOL_CHUNK] for i in range(0, len(jobs), POOL_CHUNK)]
        work = [[(self.extract, raw, aid, added_at) for raw, _, aid in chunk] for chunk in chunks]
        return _Submitted(chunks, self.pipeline.map(extract_chunk, work))

    def collect(self, batch: "_Submitted", tick: Callable[[str], None]) -> RowBuffer:
        """The rows of a submitted batch (`publish_rows` writes them); each article ends
        added or failed."""
        buffer = RowBuffer()
        for chunk, (errors, tables) in zip(batch.chunks, batch.results):
            buffer.add_tables(tables, errors.count(None))
            for (raw, doc, aid), error in zip(chunk, errors):
                if error is None:
                    self.report.added.append(doc)
                else:
                    self.seen.pop(aid, None)
                    self.report.failed.append(ReadProblem(doc or "?", error))
                tick(raw.doc)
        return buffer

    def add_batch(self, raws: Sequence[RawArticle], tick: Callable[[str], None]) -> RowBuffer:
        """Extract one batch and return its rows."""
        return self.collect(self.submit(raws, tick), tick)

    def publish_rows(self, buffer: Optional[RowBuffer]) -> None:
        if buffer is not None and buffer.articles:
            self._write_segment(buffer, [])

    def remove(self, article_ids: Sequence[str]) -> list[str]:
        """Delete the given articles from every table (one segment of removals); their docs."""
        found = self.stored(str(a) for a in article_ids)
        if found:
            self._write_segment(RowBuffer(), sorted(found))
        return sorted(found.values())

    def replace(self, article_ids: Sequence[str]) -> list[str]:
        """Re-extract stored articles: one segment with their new rows that supersedes only
        their old ones. Returns the docs re-extracted."""
        buffer, done, added_at = RowBuffer(), [], _now()
        for raw, aid, added in self._stored_raw(article_ids):
            rows, error = extract_rows((self.extract, raw, aid, added or added_at))
            if error is None:
                buffer.add(rows)
                done.append((aid, raw.doc))
            else:
                self.report.failed.append(ReadProblem(raw.doc or "?", error))
        if done:
            self._write_segment(buffer, [aid for aid, _ in done])
        return [doc for _, doc in done]

    def _stored_raw(self, article_ids: Sequence[str]) -> list[tuple[RawArticle, str, Any]]:
        wanted = sorted({str(a) for a in article_ids})
        with read_connection(self.db_path) as con:
            rows = con.execute(
                "SELECT article_id, doc, raw_title, raw_published, url, source, origin, text, "
                "added_at FROM articles WHERE article_id IN (SELECT unnest(?::VARCHAR[])) "
                "ORDER BY doc", [wanted]).fetchall()
        return [(RawArticle(doc=doc or "", text=text or "", title=title,
                            published=published, url=url, source=source, origin=origin or ""),
                 aid, added) for aid, doc, title, published, url, source, origin, text, added
                in rows]

    def import_rows(self, attach: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
        """One segment of the rows of the articles that `attach(con)` shows in its catalog
        `dataset` and the store does not hold yet (a dataset written by a cluster)."""
        con = read_connection(self.db_path)
        try:
            attach(con)
            self.tmp = temp_path(self.db_path)
            con.execute(f"ATTACH {_sql_str(str(self.tmp))} AS fresh")
            con.execute("USE fresh")
            con.execute(ddl() + segments.REMOVED_DDL)
            con.execute("""CREATE TABLE fresh._incoming AS
                           SELECT d.article_id, d.doc, a.doc AS stored FROM dataset.articles d
                           LEFT JOIN atlas.articles a USING (article_id) ORDER BY d.doc""")
            for aid, doc, stored in con.execute("SELECT * FROM fresh._incoming").fetchall():
                if stored is None:
                    self.report.added.append(doc)
                else:
                    self.report.duplicates.append(doc)
                    self.report.duplicate_of.append(stored)
            con.execute("BEGIN")
            segments.copy_tables(con, "dataset", "article_id IN (SELECT article_id FROM "
                                                 "fresh._incoming WHERE stored IS NULL)")
            con.execute("DROP TABLE fresh._incoming")
            segments.finish_fresh(con)
        finally:
            con.close()
        if not self.report.added:
            remove_temp(self.tmp)
            self.tmp = None
            return
        number = segments.next_number(segments.listed(self.db_path), self.through)
        target = segments.segment_path(self.db_path, number, number)
        target.parent.mkdir(exist_ok=True)
        publish(self.tmp, target)
        self.tmp = None

    # -- a new extractor or schema: everything again, into a new base
    def _rebuild(self, state: _State, con: duckdb.DuckDBPyConnection) -> None:
        """Re-extract every stored article (base and segments) into the new base `con`."""
        old = read_connection(self.db_path)
        buffer = RowBuffer()
        try:
            have = set(_columns(old, "articles"))
            # the metadata as read; older schemas only kept the shown title and date
            title = "raw_title" if "raw_title" in have else "title"
            published = "raw_published" if "raw_published" in have else "published"
            wanted = ["article_id", "doc", title, published, "url", "source", "origin", "text",
                      "added_at"]
            select = ", ".join(f'"{c}"' if c in have else f'NULL AS "{c}"' for c in wanted)
            total = old.execute("SELECT count(*) FROM articles").fetchone()[0]
            cur = old.execute(f"SELECT {select} FROM articles")
            done = kept = 0
            while chunk := cur.fetchmany(BATCH_ARTICLES):
                for aid, doc, title, published, url, source, origin, text, added in chunk:
                    done += 1
                    if not isinstance(text, str):
                        continue
                    raw = RawArticle(
                        doc=str(doc) if doc is not None else "", text=clean_str(text) or "",
                        title=title, published=str(published)[:10] if published else None,
                        url=url, source=source, origin=origin or "",
                    )
                    kept += self._rebuild_one(raw, aid, added, buffer)
                    if self.progress:
                        self.progress(done, total, raw.doc)
                con.execute("BEGIN")
                _insert(con, buffer)
                con.execute("COMMIT")
        finally:
            old.close()
        self._say(
            f"{self.db_path}: stored with schema {state.schema_version or 'unknown'} and "
            f"extractor {state.extractor_version or 'unknown'}, now {SCHEMA_VERSION} and "
            f"{self.version}: rebuilt {kept} articles from their stored texts"
        )

    def _rebuild_one(self, raw: RawArticle, aid, added, buffer: RowBuffer) -> int:
        try:
            aid = str(aid) if aid else self.article_id(raw.text)
        except Exception as e:
            self.report.failed.append(_failure(raw.doc, "article id failed", e))
            return 0
        if aid in self.seen:
            return 0
        added_at = added if isinstance(added, _dt.datetime) else _now()
        try:
            rows = article_rows(aid, raw, self.extract(raw, aid), added_at)
        except Exception as e:
            # keep the text (never lose an article); it has no extracted data until re-run
            self.report.failed.append(_failure(raw.doc, "extraction failed (text kept)", e))
            rows = text_only_rows(aid, raw, added_at)
        buffer.add(rows)
        self.seen[aid] = raw.doc
        return 1


# ---------------------------------------------------------------- public API


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def add_articles(
    items: Iterable[Union[RawArticle, ReadProblem]],
    pipeline: Pipeline,
    db_path: Path = DEFAULT_DB,
    progress: Optional[Progress] = None,
    on_wait: Optional[Callable[[str], None]] = None,
    total: Optional[int] = None,
) -> BuildReport:
    """Extract and store articles not stored yet (by article id); problems are reported.

    Items are read, extracted and stored in batches of BATCH_ARTICLES (memory stays flat in
    the number of items). Every item ends in exactly one of report.added,
    report.duplicates (with the doc it repeats in report.duplicate_of) or report.failed.
    Each batch is published whole or not at all: if this call fails or is killed, the store
    holds every batch published before. `total` (what progress counts to) is the number of
    items when known, else an estimate. `on_wait` hears once if another writer holds the
    database and this call waits for it.
    """
    report = BuildReport()
    if total is None and isinstance(items, Sized):
        total = len(items)
    done = 0

    def tick(doc: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, max(total or 0, done), doc)

    with _Writer(Path(db_path), pipeline, report, progress, on_wait) as writer:
        # one batch ahead: the pool extracts the next batch while this one's rows are
        # collected and written, so no core waits between batches
        ahead: Optional[_Submitted] = None
        for batch in _batches(items, BATCH_ARTICLES):
            raws = []
            for item in batch:
                if isinstance(item, RawArticle):
                    raws.append(item)
                else:
                    report.failed.append(item if isinstance(item, ReadProblem)
                                         else ReadProblem(repr(item)[:80], "not an article"))
            submitted = writer.submit(raws, tick)
            if ahead is not None:
                writer.publish_rows(writer.collect(ahead, tick))
            ahead = submitted
        # the input is read: the segments published so far are merged or folded (`maintain`)
        # while the pool extracts the last batch, instead of after it, when the other cores
        # would wait; the last batch is then one segment beside them
        writer.maintain()
        if ahead is not None:
            writer.publish_rows(writer.collect(ahead, tick))
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


def replace_articles(article_ids: Sequence[str], pipeline: Pipeline, db_path: Path = DEFAULT_DB,
                     on_wait: Optional[Callable[[str], None]] = None) -> BuildReport:
    """Re-extract stored articles with `pipeline`; only their rows are replaced."""
    report = BuildReport()
    if isinstance(article_ids, str):
        article_ids = [article_ids]
    if not Path(db_path).exists() or not article_ids:
        return report
    with _Writer(Path(db_path), pipeline, report, None, on_wait) as writer:
        report.added = writer.replace(article_ids)
    return report


def import_rows(attach: Callable[[duckdb.DuckDBPyConnection], None], pipeline: Pipeline,
                db_path: Path = DEFAULT_DB,
                on_wait: Optional[Callable[[str], None]] = None) -> BuildReport:
    """Add rows extracted elsewhere (see `_Writer.import_rows`); each article ends added or
    duplicate of the stored one."""
    report = BuildReport()
    with _Writer(Path(db_path), pipeline, report, None, on_wait) as writer:
        writer.import_rows(attach)
    return report


def compact(pipeline: Pipeline, db_path: Path = DEFAULT_DB,
            on_wait: Optional[Callable[[str], None]] = None) -> BuildReport:
    """Fold every segment into the base file, so that the store is one file again (for a
    backup, or another DuckDB client that should see everything without our reader)."""
    report = BuildReport()
    if not Path(db_path).exists():
        return report
    with _Writer(Path(db_path), pipeline, report, None, on_wait) as writer:
        writer.fold_all = True
    return report


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
    if inspect(db_path, pipeline.version).kind == "current":
        return db_path
    report = BuildReport()
    with _Writer(db_path, pipeline, report, progress) as writer:
        if writer.state.kind == "missing":
            items = list(seed_items())
            raws = [i for i in items if isinstance(i, RawArticle)]
            report.failed.extend(i for i in items if isinstance(i, ReadProblem))
            done = 0

            def tick(doc: str) -> None:
                nonlocal done
                done += 1
                if progress:
                    progress(done, len(raws), doc)

            writer.publish_rows(writer.add_batch(raws, tick))
            writer._say(f"built {db_path} from {len(report.added)} seed articles")
    for problem in report.failed:
        report.messages.append(f"not stored: {problem}")
    for message in report.messages:
        (notify or _log.warning)(message)
    return db_path
