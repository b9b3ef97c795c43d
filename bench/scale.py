"""Scale benchmark: build, add, and read a big store, side by side with the old approach.

    python bench/scale.py                          # 10,000 dense (4 KB) articles
    python bench/scale.py --articles 20000 --size 800
    python bench/scale.py --synthetic 1000000      # rows written directly: a 1M-article store

Stages, each printed as a row (time, articles/s, peak RSS of the whole process tree, store size):
- build: `python -m data_prep build corpus.jsonl` (one JSON Lines file, streamed) with one
  worker (the old way: one core) and with every core;
- add 1,000: 1,000 new articles added to the built store (a segment beside the base), and
  beside it what the old writer paid on top of that: a copy of the whole store file;
- pages: what a page asks the store at that size: a facet count and a top-20 with its total
  in SQL, beside the old way of loading whole frames into pandas (`queries.load_frames`;
  skipped past --frames-up-to articles, where it takes minutes and gigabytes).
- dashboard: every page opened through Streamlit's AppTest on a warm server (this process,
  after one page has run), its first render, then three filter changes (a kind, a country,
  a start date that keeps 85% of the articles: each redraws the page with its facet counts;
  then the start date alone, printed apart), and the server's RSS. Each
  visit starts with an empty answer cache, so its numbers are those of a first visit; each
  page is visited --visits times (3) and the medians printed. Then 1,000 articles are added
  under the running server (--no-write leaves the store as it is).
With --synthetic N the store is made by copying the rows of 1,000 extracted articles under
new ids (no extraction), each copy's dates moved back by its own number of days (up to ten
years), so the add and page figures can be read at 1,000,000 articles in minutes.
--dashboard-only DB measures the dashboard on an existing store. The corpus is generated from
the templates of bench/corpus.py.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

OUT = HERE / "out" / "scale"


def write_corpus(path: Path, n: int, size: int, seed: int) -> Path:
    """n generated articles as one JSON Lines file (reused when it is there)."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    import random

    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            a = corpus.make_article(rng, i, size)
            out.write(json.dumps({"text": a.text, "title": a.title}, ensure_ascii=False) + "\n")
    return path


class PeakRSS:
    """Peak resident memory of a process and all its descendants, summed, sampled 10 times a
    second (pool workers included)."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.root, self.peak, self._stop = psutil.Process(pid), 0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.root] + self.root.children(recursive=True)
                total = 0
                for p in procs:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            self._stop.wait(0.1)

    def stop(self) -> float:
        self._stop.set()
        self.thread.join()
        return self.peak / 2**20


def store_mb(db: Path) -> float:
    files = [db] + list(db.parent.glob(db.name + ".parts/*"))
    return sum(f.stat().st_size for f in files if f.is_file()) / 2**20


def run_build(args: list[str]) -> tuple[float, float, str]:
    """(seconds, peak MB of the process tree, stderr tail) of `python -m data_prep ...`."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "data_prep", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    rss = PeakRSS(proc.pid)
    _, err = proc.communicate()
    seconds, peak = time.perf_counter() - t0, rss.stop()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"build failed: {err[-2000:]}")
    return seconds, peak, err.strip().splitlines()[-1] if err.strip() else ""


def row(stage: str, how: str, seconds: float, articles: int, peak: float | None = None,
        size: float | None = None) -> None:
    rate = f"{articles / seconds:,.0f}" if seconds > 0 and articles else "-"
    print(f"| {stage} | {how} | {seconds:,.2f} | {rate} | "
          f"{'-' if peak is None else f'{peak:,.0f}'} | {'-' if size is None else f'{size:,.0f}'} |",
          flush=True)


def bench_build(corpus_path: Path, n: int, workers: list[int]) -> Path:
    db = None
    for w in workers:
        db = OUT / f"build_{n}_w{w}" / "atlas.duckdb"
        shutil.rmtree(db.parent, ignore_errors=True)
        db.parent.mkdir(parents=True)
        seconds, peak, _ = run_build(["build", str(corpus_path), "--db", str(db), "--quiet",
                                      "--workers", str(w)])
        row("build", f"{w} worker{'s' if w > 1 else ''}" + (" (old: one core)" if w == 1 else ""),
            seconds, n, peak, store_mb(db))
    return db


def synthetic_store(db: Path, n: int, seed_corpus: Path) -> Path:
    """A store of n articles: the rows of 1,000 extracted ones, copied under new ids."""
    import duckdb

    seed = OUT / "seed" / "atlas.duckdb"
    if not seed.exists() or _stale(seed):  # a seed of another extractor would be copied as is
        shutil.rmtree(seed.parent, ignore_errors=True)
        seed.parent.mkdir(parents=True, exist_ok=True)
        run_build(["build", str(seed_corpus), "--db", str(seed), "--quiet"])
        run_build(["compact", "--db", str(seed)])
    from data_prep.store import segments
    from data_prep.store.schema import TABLES, ddl

    shutil.rmtree(db.parent, ignore_errors=True)
    db.parent.mkdir(parents=True)
    copies = max(1, n // 1000)
    rows = db.with_name("copied.duckdb")  # the copies in the order written, then laid out
    con = duckdb.connect(str(rows))       # as the store lays out a base (by article ranges)
    con.execute(ddl())
    con.execute(f"ATTACH '{seed}' AS seed (READ_ONLY)")
    meta = con.execute("SELECT key, value FROM seed.meta").fetchall()
    for table, cols in TABLES.items():
        if table == "meta":
            continue
        select = ", ".join(_copied(table, c) for c, _ in cols)
        con.execute(f"INSERT INTO {table} SELECT {select} FROM seed.{table} t, range({copies}) k")
    con.close()
    segments.union_into([rows], db, ddl(), meta, keep_removed=False)
    rows.unlink()
    return db


# each copy's dates moved back by its own number of days (up to ten years), so the store's
# events and publications spread over thousands of days as an archive's do, instead of the
# seed's few hundred periods repeated (which would flatter anything grouped by date)
_SHIFT = "CAST(k.range * 389 % 3653 AS INTEGER)"
_SHIFTED_EVENT_DATE = f"""CASE
    WHEN length(t.event_date) = 10 AND try_strptime(t.event_date, '%Y-%m-%d') IS NOT NULL
        THEN strftime(CAST(strptime(t.event_date, '%Y-%m-%d') AS DATE) - {_SHIFT}, '%Y-%m-%d')
    WHEN length(t.event_date) = 7 AND try_strptime(t.event_date || '-01', '%Y-%m-%d') IS NOT NULL
        THEN strftime(CAST(strptime(t.event_date || '-01', '%Y-%m-%d') AS DATE)
                      - to_months(({_SHIFT} // 30)), '%Y-%m')
    WHEN regexp_full_match(coalesce(t.event_date, ''), '\\d{{4}}')
        THEN CAST(CAST(t.event_date AS INTEGER) - {_SHIFT} // 365 AS VARCHAR)
    ELSE t.event_date END"""


def _copied(table: str, column: str) -> str:
    """The expression copying `column` of `table` into copy `k.range`: its own article ids
    and, for dates, its own dates."""
    if column == "article_id":
        return "t.article_id || '-' || k.range AS article_id"
    if (table, column) == ("articles", "published"):
        return f"t.published - {_SHIFT} AS published"
    if (table, column) == ("partnerships", "event_date"):
        return f"{_SHIFTED_EVENT_DATE} AS event_date"
    return f't."{column}"'


def bench_add(db: Path, size: int, seed: int) -> None:
    extra = write_corpus(OUT / f"extra_{size}_{seed}.jsonl", 1000, size, seed)
    work = db.with_name("atlas_add.duckdb")
    for old in db.parent.glob("atlas_add.duckdb*"):  # a former run's copy and its segments
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    shutil.copyfile(db, work)
    n = _articles(work)
    seconds, peak, _ = run_build(["build", str(extra), "--db", str(work), "--quiet"])
    row(f"add 1,000 to {n:,}", "new: one segment beside the base", seconds, 1000, peak,
        store_mb(work))
    t0 = time.perf_counter()
    shutil.copyfile(work, work.with_name("copy.duckdb"))  # what the old writer did first
    copy = time.perf_counter() - t0
    row(f"add 1,000 to {n:,}", "old: + copy of the whole file per write", seconds + copy, 1000,
        None, 2 * store_mb(work))
    os.remove(work.with_name("copy.duckdb"))


def _articles(db: Path) -> int:
    from data_prep import store

    with store.read_connection(db) as con:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]


def _stale(db: Path) -> str:
    """Why the dashboard cannot be measured on this store as it is ("" when it can): a store
    of another extractor version is extracted again on first open (an hour at 1M)."""
    from data_prep import service, store

    state = store.inspect(Path(db), service.EXTRACTOR_VERSION)
    if state.kind == "current":
        return ""
    return (f"{db}: the store is {state.kind} (extractor {state.extractor_version}, this code "
            f"{service.EXTRACTOR_VERSION}); the dashboard would extract it again before the first "
            "page. Write it anew with --synthetic N, or build it with this code.")


def bench_pages(db: Path, frames_up_to: int) -> None:
    from data_prep import queries, store

    n = _articles(db)
    sql = {
        "facet counts (kind) in SQL": "SELECT kind, count(*) FROM partnerships GROUP BY kind",
        "top 20 pairs with total in SQL": (
            "SELECT iso3_a, iso3_b, count(DISTINCT article_id) AS articles, "
            "count(*) OVER () AS total FROM partnerships GROUP BY 1, 2 "
            "ORDER BY articles DESC LIMIT 20"),
        "one page (50 rows) of a country's partnerships in SQL": (
            "SELECT p.*, a.title, count(*) OVER () AS total FROM partnerships p "
            "JOIN articles a USING (article_id) WHERE 'CHN' IN (p.iso3_a, p.iso3_b) "
            "ORDER BY p.event_date DESC NULLS LAST LIMIT 50"),
    }
    for name, query in sql.items():
        with store.read_connection(db) as con:
            t0 = time.perf_counter()
            con.execute(query).fetchall()
            row(f"page query at {n:,}", name, time.perf_counter() - t0, 0)
    if n > frames_up_to:
        row(f"page query at {n:,}", "old: whole frames into pandas (skipped)", 0, 0)
        return
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with store.read_connection(db) as con:
        t0 = time.perf_counter()
        frames = queries.load_frames(con)
        queries.pair_stats(frames).head(20)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    row(f"page query at {n:,}", "old: whole frames into pandas, then top 20",
        time.perf_counter() - t0, 0, after - before)


PAGES = {"Overview": "app.py", "Map": "pages/1_Map.py", "Timeline": "pages/2_Timeline.py",
         "Partnerships": "pages/3_Partnerships.py", "Figures": "pages/4_Figures.py",
         "Articles": "pages/5_Articles.py"}


def bench_dashboard(db: Path, visits: int = 3, write: bool = True) -> None:
    """Per page: first render and three filter changes through AppTest (the median of
    `visits` first visits: one visit's times spread by 0.1-0.2 s on a busy 2-core machine),
    and server RSS; then, with `write`, a write under the running server."""
    import psutil
    from streamlit.testing.v1 import AppTest

    os.environ.update(ATLAS_DB=str(db), ATLAS_MODE="local")
    sys.path.insert(0, str(ROOT))
    from atlas_ui import layout

    n = _articles(db)
    me = psutil.Process()
    peak = 0.0

    def run(at: AppTest) -> float:
        nonlocal peak
        t0 = time.perf_counter()
        at.run()
        if at.exception:
            raise SystemExit(f"page failed: {at.exception[0].value}")
        peak = max(peak, me.memory_info().rss / 2**20)
        return time.perf_counter() - t0

    warm = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    row(f"dashboard at {n:,}", "server start: first page (vocabulary, imports)", run(warm), 0,
        me.memory_info().rss / 2**20)
    kind, country = _top(db, "kind", "partnerships"), _top(db, "iso3", "countries")
    start = _start_keeping_most(db)
    print(f"filters: kind {kind}, country {country}, start date {start}", flush=True)
    for name, script in PAGES.items():
        times = [visit(script, run, kind, country, start) for _ in range(max(1, visits))]
        first, *changes, dates_alone = [statistics.median(t) for t in zip(*times)]
        rss = me.memory_info().rss / 2**20
        row(f"dashboard at {n:,}", f"{name}: first render", first, 0, rss)
        each = ", ".join(f"{step} {t:.3f}" for step, t in zip(("kind", "country", "from"), changes))
        row(f"dashboard at {n:,}", f"{name}: filter change, slowest ({each})", max(changes), 0, rss)
        row(f"dashboard at {n:,}", f"{name}: filter change to the start date alone", dates_alone,
            0, rss)
    row(f"dashboard at {n:,}", "server RSS, peak over all pages", 0, 0, peak)
    if write:
        after_a_write(db, n, run)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine load (1, 5, 15 min) at the end: {load} on {os.cpu_count()} cores", flush=True)


def visit(script: str, run, kind: str, country: str, start: date) -> list[float]:
    """A first visit of a page (nothing of it answered yet): its first render, then a
    filter change by `kind`, by `country` instead, that country from `start`, and the start
    date alone (the country cleared: a range that keeps most of the data)."""
    from streamlit.testing.v1 import AppTest

    from atlas_ui import layout

    layout._answer.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    if script != "app.py":
        at.switch_page(script)
    times = [run(at)]
    at.multiselect(key="flt_kind").set_value([kind])
    times.append(run(at))
    at.multiselect(key="flt_kind").set_value([])
    at.multiselect(key="flt_country").set_value([country])
    times.append(run(at))
    at.date_input(key="flt_from").set_value(start)
    times.append(run(at))
    at.multiselect(key="flt_country").set_value([])
    times.append(run(at))
    return times


def after_a_write(db: Path, n: int, run) -> None:
    """Add 1,000 articles to the store under the warm server, then time the next first
    render (a big store shows the version before while the new one is derived aside), how
    long the new version takes to be ready, and the render that shows it."""
    from streamlit.testing.v1 import AppTest

    from atlas_ui import layout

    extra = write_corpus(OUT / f"extra_4000_{n}.jsonl", 1000, 4000, n)  # new at every size
    seconds, _, _ = run_build(["build", str(extra), "--db", str(db), "--quiet"])
    row(f"dashboard at {n:,}", "write: 1,000 articles added to this store", seconds, 1000)
    layout._answer.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    t0 = time.perf_counter()
    first = run(at)
    row(f"dashboard at {n:,}", "after the write: first render" + (
        " (the version before, with a notice)" if at.info else ""), first, 0)
    running = layout._background().get(str(db))
    if running is not None:
        running[1].join()
        row(f"dashboard at {n:,}", "after the write: new version ready (derived aside)",
            time.perf_counter() - t0, 0)
        row(f"dashboard at {n:,}", "after the write: first render of the new version", run(at), 0)


def _start_keeping_most(db: Path) -> date:
    """The day before which the first 15% of the articles were published: a start date
    that keeps most of the data, as an analyst's first narrowing by date does."""
    from data_prep import store

    with store.read_connection(db) as con:
        return con.execute("SELECT quantile_disc(published, 0.15) FROM articles").fetchone()[0]


def _top(db: Path, column: str, table: str) -> str:
    """The most frequent value of a column: a filter that keeps much."""
    from data_prep import store

    with store.read_connection(db) as con:
        return con.execute(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL "
                           f"GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--size", type=int, default=4000, help="characters per article (4000: dense)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--synthetic", type=int, default=0,
                    help="instead of building: a store of this many articles' rows, copied")
    ap.add_argument("--frames-up-to", type=int, default=200_000)
    ap.add_argument("--dashboard-only", type=Path, default=None,
                    help="only the dashboard stage, on this existing store")
    ap.add_argument("--workers", default="",
                    help="build with these numbers of workers only (e.g. 2; default: 1 and "
                         "every core)")
    ap.add_argument("--visits", type=int, default=3,
                    help="first visits per page in the dashboard stage; the median is printed")
    ap.add_argument("--no-write", action="store_true",
                    help="with --dashboard-only: leave the store as it is (no write under "
                         "the server), so runs of two versions of the code read the same data")
    ap.add_argument("--build-only", action="store_true",
                    help="stop after the build and the add stage (no page or dashboard stage)")
    args = ap.parse_args(argv)
    print("| stage | how | seconds | articles/s | peak MB | store MB |")
    print("|---|---|---|---|---|---|")
    if args.dashboard_only:
        stale = _stale(args.dashboard_only)
        if stale:
            raise SystemExit(stale)
        bench_dashboard(args.dashboard_only, args.visits, write=not args.no_write)
        return 0
    if args.synthetic:
        seed_corpus = write_corpus(OUT / f"corpus_1000_{args.size}.jsonl", 1000, args.size, 1)
        db = synthetic_store(OUT / f"synthetic_{args.synthetic}" / "atlas.duckdb",
                             args.synthetic, seed_corpus)
    else:
        path = write_corpus(OUT / f"corpus_{args.articles}_{args.size}.jsonl", args.articles,
                            args.size, args.seed)
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        workers = [int(w) for w in args.workers.split(",") if w.strip()] or [1, cores or 1]
        db = bench_build(path, args.articles, sorted(set(workers)))
    bench_add(db, args.size, args.seed + 1)
    if args.build_only:
        return 0
    bench_pages(db, args.frames_up_to)
    bench_dashboard(db, args.visits)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
