"""The store's tables as a partitioned Parquet dataset: what the Dask build writes, what the
dashboard can open in place, and what `import` adds to a database.

Layout: `<dataset>/<table>/part-<run>-<n>.parquet` for every table of `schema.TABLES` but
`meta` (one schema shared with the DuckDB store: the Arrow types of `schema.arrow_schema`),
and `<dataset>/_manifest.json` with the schema and extractor versions. A part file of one
table holds the rows of the articles of the same-named part file of `articles`, so an article
found twice (two runs into one folder) is taken from one part only. The folder may be any
fsspec URL (s3://, gs:// ...) when its driver is installed; DuckDB reads it through fsspec.
"""
from __future__ import annotations

import hashlib
import json
import posixpath
from pathlib import Path
from typing import Any, Optional, Union

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from data_prep.store.schema import SCHEMA_VERSION, TABLES, arrow_schema, ddl

MANIFEST = "_manifest.json"
DATA_TABLES = tuple(t for t in TABLES if t != "meta")


def _fs(url: Union[str, Path]) -> tuple[Any, str]:
    """(fsspec file system, path inside it) for a folder or URL."""
    from fsspec.core import url_to_fs

    return url_to_fs(str(url))


def write_part(dataset: Union[str, Path], name: str, tables: dict[str, pa.Table]) -> None:
    """One partition: a Parquet file per table (empty tables too, so every part is whole).
    The `articles` file is written last: a part counts once its articles file exists."""
    fs, root = _fs(dataset)
    for table in DATA_TABLES[1:] + DATA_TABLES[:1]:
        batch = tables.get(table)
        batch = arrow_schema(table).empty_table() if batch is None else batch
        folder = posixpath.join(root, table)
        fs.makedirs(folder, exist_ok=True)
        with fs.open(posixpath.join(folder, f"{name}.parquet"), "wb") as handle:
            pq.write_table(batch.cast(arrow_schema(table)), handle, compression="zstd")


def write_manifest(dataset: Union[str, Path], extractor_version: str, parts: int) -> None:
    fs, root = _fs(dataset)
    fs.makedirs(root, exist_ok=True)
    with fs.open(posixpath.join(root, MANIFEST), "w") as handle:
        json.dump({"schema_version": SCHEMA_VERSION, "extractor_version": extractor_version,
                   "parts": parts, "tables": list(DATA_TABLES)}, handle)


def _glob(dataset: Union[str, Path], table: str) -> str:
    return posixpath.join(str(dataset), table, "*.parquet")


def _register(con: duckdb.DuckDBPyConnection, dataset: Union[str, Path]) -> None:
    """Let DuckDB read a remote dataset through fsspec (a local folder needs nothing)."""
    fs, _ = _fs(dataset)
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    if protocol not in ("file", "local"):
        con.register_filesystem(fs)


def has_parts(dataset: Union[str, Path], table: str = "articles") -> bool:
    fs, root = _fs(dataset)
    return bool(fs.glob(posixpath.join(root, table, "*.parquet")))


def create_views(con: duckdb.DuckDBPyConnection, dataset: Union[str, Path],
                 catalog: str = "atlas") -> None:
    """One view per table over the dataset's Parquet files, each article from one part."""
    _register(con, dataset)
    con.execute(f"ATTACH ':memory:' AS {catalog}")
    con.execute(f"USE {catalog}")
    con.execute(ddl().replace("CREATE TABLE ", "CREATE TABLE _empty_"))
    if not has_parts(dataset):
        for table in TABLES:
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM _empty_{table}")
        return
    q = lambda t: "'" + _glob(dataset, t).replace("'", "''") + "'"  # noqa: E731
    con.execute(f"""CREATE TABLE _first AS SELECT article_id, min(parse_filename(filename)) AS part
                    FROM read_parquet({q('articles')}, filename = true) GROUP BY article_id""")
    for table in DATA_TABLES:
        names = ", ".join(f'"{c}"' for c, _ in TABLES[table])
        source = (f"read_parquet({q(table)}, filename = true)" if has_parts(dataset, table)
                  else f"(SELECT *, NULL AS filename FROM _empty_{table})")
        con.execute(f"""CREATE VIEW {table} AS SELECT {names} FROM {source} AS t
                        WHERE EXISTS (SELECT 1 FROM _first f WHERE f.article_id = t.article_id
                                      AND f.part = parse_filename(t.filename))""")
    manifest = read_manifest(dataset) or {}
    con.execute("CREATE TABLE meta AS SELECT * FROM _empty_meta")
    con.executemany("INSERT INTO meta VALUES (?, ?)", [
        ("schema_version", str(manifest.get("schema_version", ""))),
        ("extractor_version", str(manifest.get("extractor_version", "")))])


def read_manifest(dataset: Union[str, Path]) -> Optional[dict]:
    fs, root = _fs(dataset)
    try:
        with fs.open(posixpath.join(root, MANIFEST), "r") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def open_dataset(dataset: Union[str, Path]) -> duckdb.DuckDBPyConnection:
    """A read-only connection whose `atlas` catalog shows the dataset as the store's tables."""
    con = duckdb.connect()
    try:
        create_views(con, dataset)
    except BaseException:
        con.close()
        raise
    return con


def _stamp(fs: Any, path: str) -> tuple:
    """What changes when a file is written again, in the words of each file system (local
    and most: mtime; memory: created; S3: ETag and LastModified)."""
    info = fs.info(path)
    return tuple(str(info.get(k)) for k in ("size", "mtime", "created", "ETag", "LastModified"))


def dataset_version(dataset: Union[str, Path]) -> str:
    """Changes when a part or the manifest is written."""
    try:
        fs, root = _fs(dataset)
        info = [(p, _stamp(fs, p))
                for p in sorted(fs.glob(posixpath.join(root, "articles", "*.parquet")))]
        manifest = posixpath.join(root, MANIFEST)
        stamp = _stamp(fs, manifest) if fs.exists(manifest) else None
    except OSError:
        return "missing"
    digest = hashlib.sha1(repr((info, stamp)).encode()).hexdigest()[:8]
    return f"{len(info)}-{digest}"


def problem(dataset: Union[str, Path]) -> Optional[str]:
    """Why `dataset` cannot be opened as a dataset (naming it), or None: its file system
    unknown or its driver not installed, unreachable, or no dataset there (neither a
    manifest nor any articles part)."""
    try:
        fs, root = _fs(dataset)
        if fs.exists(posixpath.join(root, MANIFEST)) or has_parts(dataset):
            written = (read_manifest(dataset) or {}).get("schema_version", SCHEMA_VERSION)
            return None if written == SCHEMA_VERSION else (
                f"{dataset}: written with schema {written}, this version reads {SCHEMA_VERSION}: "
                "build it again")
    except ImportError as e:  # fsspec names the package to install ("Install s3fs to access S3")
        return f"{dataset}: its file system's driver is not installed: {e}"
    except ValueError as e:  # "Protocol not known: xyz"
        return f"{dataset}: not a location fsspec knows: {e}"
    except Exception as e:  # noqa: BLE001 - a remote store's own errors (access, network)
        return f"{dataset}: could not be reached: {type(e).__name__}: {e}"
    return (f"{dataset}: no Parquet dataset there (neither {MANIFEST} nor articles/*.parquet); "
            "write one with `python -m data_prep build CORPUS --engine dask --parquet "
            f"{dataset} --no-import`")


def import_dataset(dataset: Union[str, Path], db_path: Path, on_wait=None):
    """Add the dataset's articles that the database does not hold yet (see store.import_rows)."""
    from data_prep import service, store

    manifest = read_manifest(dataset) or {}
    if manifest.get("schema_version") not in (None, SCHEMA_VERSION):
        raise ValueError(f"{dataset}: written with schema {manifest.get('schema_version')}, "
                         f"this store has {SCHEMA_VERSION}: build it again")
    return store.import_rows(lambda con: create_views(con, dataset, "dataset"),
                             service.store_pipeline(), Path(db_path), on_wait)
