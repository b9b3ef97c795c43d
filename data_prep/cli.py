"""Command line: `python -m data_prep extract|build|remove|reextract|compact|import|corrections|score`.

Problems with input are one line each on stderr, naming the file and why; the other files are
still processed, and the exit code (1) says that some failed.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m data_prep", description="Partnership Atlas extraction and store.")
    sub = p.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="print what is extracted from articles (JSON Lines or CSV)")
    ex.add_argument("paths", nargs="+", help="files or folders: .txt .md .html .csv .jsonl .json .zip")
    ex.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    bd = sub.add_parser("build", help="create or update the database (incremental)")
    bd.add_argument("paths", nargs="*", help="files or folders to add (default: the bundled seeds/)")
    bd.add_argument("--db", type=Path, default=None, help="database file (default: data/atlas.duckdb)")
    bd.add_argument("--quiet", action="store_true", help="no progress bar")
    bd.add_argument("--workers", type=int, default=None,
                    help="extraction processes (default: every core)")
    bd.add_argument("--engine", choices=("local", "dask"), default="local",
                    help="local: a process pool on this machine; dask: a Dask cluster "
                         "(a local one of --workers processes, or --scheduler)")
    bd.add_argument("--scheduler", default=None,
                    help="address of a running Dask scheduler, e.g. tcp://HOST:8786 (implies "
                         "--engine dask)")
    bd.add_argument("--parquet", default=None,
                    help="with Dask: the Parquet dataset to write (a folder or fsspec URL; "
                         "default: <db>.dataset beside the database); it is then imported "
                         "into the database unless --no-import")
    bd.add_argument("--no-import", action="store_true",
                    help="with Dask: only write the Parquet dataset")
    rm = sub.add_parser("remove", help="remove articles and everything extracted from them")
    rm.add_argument("article_ids", nargs="+")
    rm.add_argument("--db", type=Path, default=None)
    rx = sub.add_parser("reextract", help="extract stored articles again (only their rows change)")
    rx.add_argument("article_ids", nargs="+")
    rx.add_argument("--db", type=Path, default=None)
    cp = sub.add_parser("compact", help="fold the database's segments into its one file")
    cp.add_argument("--db", type=Path, default=None)
    im = sub.add_parser("import", help="add a Parquet dataset written by the Dask build")
    im.add_argument("dataset", help="its folder (or fsspec URL)")
    im.add_argument("--db", type=Path, default=None)
    co = sub.add_parser("corrections", help="editors' corrections: export, import, gold export")
    co.add_argument("action", choices=("export", "import", "gold"),
                    help="export: JSON Lines to stdout; import FILE: keep a JSON Lines export; "
                         "gold: corrected articles in the scorer's gold format")
    co.add_argument("file", nargs="?", help="the JSON Lines file to import")
    co.add_argument("--db", type=Path, default=None)
    sc = sub.add_parser("score", help="score extraction output against gold annotations")
    sc.add_argument("gold")
    sc.add_argument("pred")
    sc.add_argument("--show-errors", action="store_true")
    return p


def _extract(paths: Sequence[str], fmt: str) -> int:
    from data_prep.contract import CSV_COLUMNS, to_contract, to_csv_row
    from data_prep.service import extract_all
    from data_prep.ingest.reading import read_paths
    from data_prep.records import Duplicate, ReadProblem
    from data_prep.spreadsheet import safe_cell

    done = failed = duplicates = 0
    writer = None
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=CSV_COLUMNS)
        writer.writeheader()
    for item in extract_all(read_paths(paths)):
        if isinstance(item, ReadProblem):
            print(f"error: {item}", file=sys.stderr)
            failed += 1
            continue
        if isinstance(item, Duplicate):
            print(f"duplicate: {item}", file=sys.stderr)
            duplicates += 1
            continue
        done += 1
        record = to_contract(item)
        if writer:
            writer.writerow({k: safe_cell(v) for k, v in to_csv_row(record).items()})
        else:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    if failed or duplicates:  # every input accounted for; silent when all were extracted
        print(f"{done} extracted, {duplicates} duplicate(s), {failed} failed", file=sys.stderr)
    return EXIT_SOME_FAILED if failed else EXIT_OK


class ProgressBar:
    """`[####....] 1,200/~100,000 312/s ETA 5m 17s doc`: redrawn at most 10 times a second."""

    def __init__(self, clock=time.monotonic, out=None) -> None:
        self.clock, self.out = clock, out or sys.stderr
        self.start = self.last = clock()

    def __call__(self, done: int, total: int, doc: str) -> None:
        now = self.clock()
        if now - self.last < 0.1 and done < total:
            return
        self.last = now
        self.out.write("\r" + progress_line(done, total, now - self.start, doc))
        if done >= total:
            self.out.write("\n")
        self.out.flush()


def progress_line(done: int, total: int, seconds: float, doc: str, width: int = 24) -> str:
    """One line of progress: bar, counts, articles per second and time left."""
    filled = int(width * done / total) if total else width
    rate = done / seconds if seconds > 0 else 0.0
    left = (total - done) / rate if rate > 0 and total > done else 0.0
    eta = f"ETA {int(left // 60)}m {int(left % 60):02d}s" if total > done else "done"
    return (f"[{'#' * filled}{'.' * (width - filled)}] {done:,}/~{total:,} {rate:,.0f}/s {eta} "
            f"{doc[:30]:<30}")


def _build(paths: Sequence[str], db: Optional[Path], quiet: bool, workers: Optional[int],
           engine: str, scheduler: Optional[str], parquet: Optional[str],
           no_import: bool) -> int:
    from data_prep import service, store

    db = db or store.DEFAULT_DB
    targets = list(paths) or [str(store.SEEDS)]
    workers = workers or service.default_workers()
    if engine == "dask" or scheduler:
        from data_prep import dask_build

        report = dask_build.run(targets, db, workers=workers, scheduler=scheduler,
                                dataset=parquet, store_it=not no_import,
                                progress=None if quiet else ProgressBar())
    else:
        report = service.build(targets, db, progress=None if quiet else ProgressBar(),
                               workers=workers)
    for message in report.messages:
        print(message, file=sys.stderr)
    for problem in report.failed:
        print(f"error: {problem}", file=sys.stderr)
    for doc, of in zip(report.duplicates, report.duplicate_of):
        print(f"duplicate: {doc}: same text as {of}: already stored", file=sys.stderr)
    print(f"{db}: {len(report.added)} added, {len(report.duplicates)} already stored, "
          f"{len(report.failed)} failed", file=sys.stderr)
    return EXIT_SOME_FAILED if report.failed else EXIT_OK


def _remove(ids: Sequence[str], db: Optional[Path]) -> int:
    from data_prep import service, store

    removed = service.remove_articles(list(ids), db or store.DEFAULT_DB)
    print(f"removed {removed} article(s)", file=sys.stderr)
    return EXIT_OK if removed == len(set(ids)) else EXIT_SOME_FAILED


def _reextract(ids: Sequence[str], db: Optional[Path]) -> int:
    from data_prep import service, store

    report = service.reextract(list(ids), db or store.DEFAULT_DB)
    for problem in report.failed:
        print(f"error: {problem}", file=sys.stderr)
    print(f"re-extracted {len(report.added)} article(s)", file=sys.stderr)
    return EXIT_OK if len(report.added) == len(set(ids)) else EXIT_SOME_FAILED


def _compact(db: Optional[Path]) -> int:
    from data_prep import service, store

    service.compact(db or store.DEFAULT_DB)
    print(f"{db or store.DEFAULT_DB}: one file", file=sys.stderr)
    return EXIT_OK


def _import(dataset: str, db: Optional[Path]) -> int:
    from data_prep import store
    from data_prep.store import parquet

    db = db or store.DEFAULT_DB
    report = parquet.import_dataset(dataset, db)
    for message in report.messages:
        print(message, file=sys.stderr)
    print(f"{db}: {len(report.added)} added, {len(report.duplicates)} already stored",
          file=sys.stderr)
    return EXIT_OK


def _corrections(action: str, file: Optional[str], db: Optional[Path]) -> int:
    from data_prep.store import corrections as corrections_store
    from data_prep import store

    db = db or store.DEFAULT_DB
    kept = corrections_store.load(db)
    if action == "export":
        sys.stdout.write(corrections_store.to_jsonl(kept))
        return EXIT_OK
    if action == "gold":
        from data_prep import queries
        from data_prep.queries.gold_export import article_dates, gold_jsonl, touched_articles

        with store.read_connection(db) as con:
            frames = queries.load_frames(con, kept)
            dates = article_dates(con, touched_articles(kept))
        sys.stdout.write(gold_jsonl(frames, dates, kept))
        return EXIT_OK
    if not file:
        print("import needs the JSON Lines file to read", file=sys.stderr)
        return EXIT_USAGE
    saved = corrections_store.import_jsonl(db, Path(file).read_text(encoding="utf-8"))
    for problem in saved.problems:
        print(f"error: {file}: {problem}", file=sys.stderr)
    print(f"{len(saved.added)} correction(s) added, {saved.already} already kept, "
          f"{len(saved.problems)} refused", file=sys.stderr)
    return EXIT_SOME_FAILED if saved.problems else EXIT_OK


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "extract":
            return _extract(args.paths, args.format)
        if args.command == "build":
            return _build(args.paths, args.db, args.quiet, args.workers, args.engine,
                          args.scheduler, args.parquet, args.no_import)
        if args.command == "remove":
            return _remove(args.article_ids, args.db)
        if args.command == "reextract":
            return _reextract(args.article_ids, args.db)
        if args.command == "compact":
            return _compact(args.db)
        if args.command == "import":
            return _import(args.dataset, args.db)
        if args.command == "corrections":
            return _corrections(args.action, args.file, args.db)
        from data_prep.evaluation import main as score_main

        return score_main([args.gold, args.pred] + (["--show-errors"] if args.show_errors else []))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
