"""Extraction past one machine: a pure per-article map on Dask distributed.

`python -m data_prep build CORPUS --engine dask --workers N` starts a local cluster of N
worker processes; `--scheduler tcp://HOST:8786` uses a running one. This process (the driver)
reads the inputs as a stream, drops repeated texts, and submits parts of PART_ARTICLES
articles; each worker extracts its part (`extract_part`: the same `extract_chunk` the local
pool runs) and writes it as Parquet files of the dataset itself, so only a list of outcomes
comes back and the driver never holds the extracted data. At most two parts per worker are
in flight, so memory stays flat whatever the corpus. The dataset (see `store/parquet.py`) is
then imported into the database, or left for the dashboard to open in place.

The dataset folder must be reachable by every worker under the same name: a shared file
system, or an fsspec URL (s3://bucket/atlas) whose driver the workers have installed.
"""
from __future__ import annotations

import datetime as _dt
import secrets
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

from data_prep.identity import article_id
from data_prep.ingest.reading import count_articles, read_paths
from data_prep.records import RawArticle, ReadProblem
from data_prep.store import BuildReport
from data_prep.store.parquet import import_dataset, write_manifest, write_part

PART_ARTICLES = 500
Progress = Callable[[int, int, str], None]


def extract_part(dataset: str, name: str, raws: Sequence[tuple[RawArticle, str]],
                 added_at: _dt.datetime) -> list[Optional[str]]:
    """On a worker: extract a part's articles and write its Parquet files; per article, None
    (extracted) or why it failed."""
    from data_prep.service import extract
    from data_prep.store.rows import extract_chunk

    errors, tables = extract_chunk([(extract, raw, aid, added_at) for raw, aid in raws])
    write_part(dataset, name, tables)
    return errors


def default_dataset(db_path: Path) -> str:
    return str(Path(db_path).with_name(Path(db_path).name + ".dataset"))


def run(paths: Sequence[str], db_path: Path, workers: int = 2, scheduler: Optional[str] = None,
        dataset: Optional[str] = None, store_it: bool = True,
        progress: Optional[Progress] = None) -> BuildReport:
    """Extract `paths` on a Dask cluster into a Parquet dataset, then (store_it) add it to
    the database. Every input ends added, duplicate of a named other, or failed."""
    from distributed import Client, LocalCluster

    dataset = dataset or default_dataset(db_path)
    report = BuildReport()
    cluster = None if scheduler else LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        with Client(scheduler or cluster) as client:
            parts = _map(client, read_paths(paths), dataset, report,
                         _ticker(progress, count_articles(paths) if progress else 0))
    finally:
        if cluster is not None:
            cluster.close()
    from data_prep.service import EXTRACTOR_VERSION

    write_manifest(dataset, EXTRACTOR_VERSION, parts)
    report.messages.append(f"{dataset}: {parts} part(s) of Parquet written")
    if store_it and report.added:
        stored = import_dataset(dataset, Path(db_path))
        report.added = stored.added
        report.duplicates += stored.duplicates
        report.duplicate_of += stored.duplicate_of
    return report


def _ticker(progress: Optional[Progress], total: int) -> Callable[[str], None]:
    done = 0

    def tick(doc: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, max(total, done), doc)

    return tick


def _map(client, items: Iterable, dataset: str, report: BuildReport,
         tick: Callable[[str], None]) -> int:
    """Submit parts as the inputs stream in, at most two per worker in flight."""
    from distributed import as_completed

    run_id = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%S") + secrets.token_hex(3)
    added_at = _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)
    limit = 2 * max(1, sum(client.nthreads().values()))
    seen: dict[str, str] = {}
    running = as_completed()
    docs: dict = {}
    part: list[tuple[RawArticle, str]] = []
    parts = 0

    def submit() -> None:
        nonlocal part, parts
        future = client.submit(extract_part, dataset, f"part-{run_id}-{parts:06d}", part,
                               added_at, pure=False)
        docs[future] = [raw.doc for raw, _ in part]
        running.add(future)
        part, parts = [], parts + 1
        while running.count() >= limit:
            _collect(next(running), docs, report, tick)

    for item in items:
        if isinstance(item, ReadProblem):
            report.failed.append(item)
            continue
        aid = article_id(item.text)
        if aid in seen:
            report.duplicates.append(item.doc)
            report.duplicate_of.append(seen[aid])
            tick(item.doc)
            continue
        seen[aid] = item.doc
        part.append((item, aid))
        if len(part) >= PART_ARTICLES:
            submit()
    if part:
        submit()
    for future in running:
        _collect(future, docs, report, tick)
    return parts


def _collect(future, docs: dict, report: BuildReport, tick: Callable[[str], None]) -> None:
    names = docs.pop(future)
    try:
        errors = future.result()
    except Exception as exc:  # noqa: BLE001 - a lost worker or an unwritable dataset
        errors = [f"extraction failed on the cluster: {type(exc).__name__}: {exc}"[:300]] * len(names)
    for doc, error in zip(names, errors):
        if error is None:
            report.added.append(doc)
        else:
            report.failed.append(ReadProblem(doc, error))
        tick(doc)
