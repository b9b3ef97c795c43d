"""Page set-up shared by every page: the database (built on first start), cached data,
the sidebar filters, and the empty states that tell the user what to do.

What a page shows is asked of the database (`data_prep.queries.aggregates`, `sql`): the
filters become SQL and only the rows and aggregates drawn come back. Answers are cached
keyed by the database path and its version (the database's and the corrections' file
versions), so an upload, a removal or a correction shows on every page at the next run, and
a new version drops the old one's caches at once.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import logging
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Sequence

import streamlit as st

from atlas_ui import access, charts, filters, inert
from atlas_ui.redact import redact
from data_prep.store import corrections as corrections_store, location
from data_prep.store.location import StoreLocation, as_location
from data_prep import service, store
from data_prep.ingest.limits import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES
from data_prep.queries import Filters, Frames, Vocabulary

MB = 1024 * 1024
DB_ENV = "ATLAS_DB"
ADD_PAGE = "pages/6_Add_articles.py"
CORRECTIONS_PAGE = "pages/7_Corrections.py"
_log = logging.getLogger("atlas")


def db_path() -> StoreLocation:
    """`$ATLAS_DB` when set, else `data/atlas.duckdb` in the project: a DuckDB file or a
    Parquet dataset, as a Path, or as text for a URL (`location.as_location`)."""
    env = os.environ.get(DB_ENV, "").strip()
    return as_location(env) if env else store.DEFAULT_DB


@st.cache_resource(show_spinner=False)
def _ensured(path: str) -> list[str]:
    """Build/migrate the database once per process; returns its messages, also logged
    (the server's log is where paths belong). The list is emptied by the first session
    that shows them: a build is news once, not on every page load."""
    messages: list[str] = []
    service.ensure_database(Path(path), notify=messages.append)
    for message in messages:
        _log.warning(message)
    return messages


def said_once(messages: list[str]) -> list[str]:
    """The messages of a build for the screen, path-free, taken out of the shared list so
    that no later page load says them again."""
    shown = [redact(m) for m in messages]
    messages.clear()
    return [_without_file(m) for m in shown]


def _without_file(message: str) -> str:
    """"built atlas.duckdb from 5 seed articles" -> "Built the database from 5 seed articles":
    a visitor has no use for the server's file names either."""
    import re

    text = re.sub(r"^built \S+ from", "Built the database from", message)
    return text[:1].upper() + text[1:]


def ensure_db() -> StoreLocation:
    """The database, built or migrated on first use. Its messages are shown once per
    session, path-free, and only on a local run: a visitor of a deployment has no use for
    them. A Parquet dataset is opened as it is, once it is found there."""
    path = db_path()
    found = location.locate(path)
    if found.kind == location.UNKNOWN or found.is_dataset:
        _dataset_or_stop(found)
        return path
    if not path.is_file():
        _ensured.clear()
    with st.spinner("Preparing the database (the first start reads the bundled seed articles)…"):
        try:
            messages = _ensured(str(path))
        except Exception:  # noqa: BLE001 - say what happened instead of a traceback
            _log.exception("the database %s could not be prepared", path)
            st.error("The database could not be prepared. The server's log says why.")
            st.stop()
    if messages and access.is_local_session():
        for message in said_once(messages):
            inert.toast(message)
    return path


def _dataset_or_stop(found: location.Location) -> None:
    """Stop the page with a message naming the location when no dataset can be opened there
    (a missing folder, a URL of an unknown file system or without a dataset)."""
    if found.kind == location.UNKNOWN:
        why = (f"{found.text}: nothing there. {DB_ENV} names a DuckDB file (its name ends in "
               f"{location.DUCKDB_SUFFIX}; built from the seed articles when missing) or a "
               "Parquet dataset (a folder or URL written by `python -m data_prep build "
               "--engine dask`)")
    else:
        why = _dataset_problem(str(found.where))
    if why:
        _log.error("the store cannot be opened: %s", why)
        inert.notice("error", f"The data cannot be opened: {redact(why)}")
        st.stop()


@st.cache_data(ttl=10, max_entries=16, show_spinner=False)
def _dataset_problem(where: str) -> Optional[str]:
    """`parquet.problem` of a dataset, kept for a few seconds: every page run opens the
    dataset, and on a remote one each check is a few network requests; a dataset written or
    removed there is seen within that time."""
    from data_prep.store import parquet

    return parquet.problem(where)


def data_version(path: StoreLocation) -> str:
    """Changes when the articles or the corrections change."""
    return f"{store.database_version(path)}+{corrections_store.version(path)}"


@st.cache_resource(max_entries=2, show_spinner=False)
def _prepared(path: str, version: str) -> tuple[tuple, Path]:
    """The data version's corrections, and a file of what every query of the version reads
    (events, figures and money items derived once: `sql.materialise`). The file lives in
    the temporary folder, one per store; files older than the one shown before are removed
    (a page still reading that one keeps it)."""
    kept, target = _derive(path, version)
    ready = _ready_versions().setdefault(path, [])
    if version not in ready:
        ready.append(version)
    keep = {derived_file(as_location(path), v) for v in ready[-2:]}
    del ready[:-2]
    for old in target.parent.glob("*.duckdb"):
        if old not in keep:
            old.unlink(missing_ok=True)
    return kept, target


def _derive(path: str, version: str) -> tuple[tuple, Path]:
    """Write the derived file of this data version unless it is there (see `_prepared`)."""
    from data_prep.queries import sql

    kept = tuple(corrections_store.load(as_location(path)))
    target = derived_file(as_location(path), version)
    if not target.is_file():
        _prune_unused(target.parent.parent)
        target.parent.mkdir(parents=True, exist_ok=True)
        with store.read_connection(as_location(path)) as con:
            sql.prepare(con, kept)
            sql.materialise(con, target)
    return kept, target


UNUSED_DAYS = 7  # a store's derived files not read for this long are removed


def _prune_unused(root: Path) -> None:
    """Remove the derived files of stores not opened for `UNUSED_DAYS` (a store that was
    moved or deleted would leave its files in the temporary folder for ever)."""
    import shutil
    import time

    cutoff = time.time() - UNUSED_DAYS * 86400
    for folder in root.glob("*") if root.is_dir() else ():
        try:
            newest = max((f.stat().st_mtime for f in folder.iterdir()), default=0.0)
        except OSError:
            continue
        if newest < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def derived_file(path: StoreLocation, version: str) -> Path:
    """Where the derived tables of this data version of the store at `path` are written."""
    from data_prep.queries import sql

    return derived_folder(path) / (hashlib.sha1(f"{version}|{sql.derived_version()}".encode()
                                                ).hexdigest()[:16] + ".duckdb")


@st.cache_resource(show_spinner=False)
def _ready_versions() -> dict[str, list[str]]:
    """Per store: the data versions whose derived files are ready, oldest first."""
    return {}


@st.cache_resource(show_spinner=False)
def _background() -> dict[str, tuple[str, threading.Thread]]:
    """Per store: the data version being derived in the background, and its thread."""
    return {}


BACKGROUND_FROM = 100_000  # stored articles: from this size a new version is derived aside
BEHIND_NOTICE = ("The latest change to the data (new, removed or corrected articles) is being "
                 "prepared for the pages: until it is ready, about a minute per million "
                 "articles, they show the data as it was before. Reload the page to see it.")


def serving_version(path: StoreLocation, live: str) -> str:
    """The data version the pages show. Small stores: always the live one (deriving it
    takes a few seconds at most). From `BACKGROUND_FROM` articles deriving takes a minute or
    more, so while the live version is derived in the background the pages keep showing
    the last version that is ready (`start_page` says so), instead of making the first
    visitor after a write wait."""
    ready = _ready_versions().get(str(path), [])
    if not ready or ready[-1] == live or derived_file(path, live).is_file():
        return live
    last = ready[-1]
    if not derived_file(path, last).is_file() or _stored_articles(path) < BACKGROUND_FROM:
        return live
    running = _background().get(str(path))
    if running is None or running[0] != live or not running[1].is_alive():
        thread = threading.Thread(target=_derive_quietly, args=(str(path), live), daemon=True,
                                  name="atlas-derive")
        _background()[str(path)] = (live, thread)
        thread.start()
    return last


def _derive_quietly(path: str, version: str) -> None:
    try:
        _derive(path, version)
    except Exception:  # noqa: BLE001 - the next page run derives it in the open and says why
        _log.exception("deriving the new data version of %s failed", path)


def _stored_articles(path: StoreLocation) -> int:
    with store.read_connection(path) as con:
        return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])


def derived_folder(path: StoreLocation) -> Path:
    """Where the derived tables of the store at `path` are kept (one file, its version's)."""
    name = str(path) if location.locate(path).kind == location.URL else str(Path(path).resolve())
    return Path(tempfile.gettempdir()) / "atlas-pages" / hashlib.sha1(
        name.encode()).hexdigest()[:16]


def _ask(path: str, version: str, query: Callable[[Any], Any]) -> Any:
    kept, derived = _prepared(path, version)
    if not derived.is_file():  # removed under us (the temporary folder cleaned): derive again
        _prepared.clear()
        kept, derived = _prepared(path, version)
    with _lent_connection(path, version, kept, derived) as con:
        return query(con)


IDLE_CONNECTIONS = 2  # prepared read connections kept per store between questions
# what DuckDB may hold per read connection (cached blocks of the store and the derived file,
# hash tables): a kept connection's cache stays within it, so the server's memory is bounded
# by the connections in use, not by how much of a big store the pages have read
READ_MEMORY = "512MB"
_idle: dict[tuple, list[Any]] = {}  # (path, version, derived file) -> idle connections
_idle_lock = threading.Lock()


@contextlib.contextmanager
def _lent_connection(path: str, version: str, kept: tuple, derived: Path) -> Any:
    """A read connection prepared for this data version, lent for one question and kept
    for the next. Each page run is a new thread, and a new connection would start with an
    empty DuckDB buffer: it reopens the store's files and reads the derived tables from disk
    again (a third of a filter change at a million articles). One question at a time uses a
    connection; another data version's idle ones are closed."""
    key = (path, version, str(derived))
    with _idle_lock:
        for other in [k for k in _idle if k[0] == path and k != key]:
            for con in _idle.pop(other):
                con.close()
        con = _idle.setdefault(key, []).pop() if _idle.get(key) else None
    if con is None:
        con = _open_prepared(path, kept, derived)
    try:
        yield con
    except BaseException:
        con.close()  # in an unknown state: not lent again
        raise
    with _idle_lock:
        idle = _idle.setdefault(key, [])
        if len(idle) < IDLE_CONNECTIONS:
            idle.append(con)
            con = None
    if con is not None:
        con.close()


def _open_prepared(path: str, kept: tuple, derived: Path) -> Any:
    from data_prep.queries import sql

    con = store.read_connection(as_location(path))
    try:
        con.execute(f"SET memory_limit = '{READ_MEMORY}'")
        sql.prepare(con, kept, derived=derived)
    except BaseException:
        con.close()
        raise
    return con


@st.cache_data(max_entries=256, show_spinner=False)
def _answer(path: str, version: str, name: str, flt: Filters, args: tuple) -> Any:
    """The result of `aggregates.<name>(con, flt, *args)` or `sql.<name>` (small: what a
    page shows)."""
    from data_prep.queries import aggregates

    query = aggregates.query(name)
    return _ask(path, version, lambda con: query(con, flt, *args))


# one thread answers ahead: DuckDB runs each question on every core already; what this wins
# is the time a question spends outside DuckDB's parallel part (planning, handing rows to
# pandas) and the page's own drawing, during which the other question runs
_AHEAD = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="atlas-ahead")
_ahead_pending: dict[str, list[concurrent.futures.Future]] = {}  # session -> its questions
_ahead_lock = threading.Lock()


def ask_ahead(path: str, version: str, flt: Filters, wanted: Sequence[tuple[str, tuple]]) -> None:
    """Start answering `wanted` ((query, arguments) a page asks later under `flt`) on another
    connection while the page asks and draws what comes first. The answers land in
    `_answer`'s cache, whose lock per question makes the page wait for one being answered
    instead of asking it twice; the session's questions still waiting from its earlier run
    are dropped (another session's are its own)."""
    from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)

    def answer(name: str, args: tuple) -> None:
        if ctx is not None:  # the page's session: the cache is read and written as the page's
            add_script_run_ctx(threading.current_thread(), ctx)
        with contextlib.suppress(Exception):  # the page asks it again and says what failed
            _answer(path, version, name, flt, args)

    session = ctx.session_id if ctx is not None else ""
    with _ahead_lock:
        for waiting in _ahead_pending.pop(session, []):
            waiting.cancel()
        for gone in [k for k, futures in _ahead_pending.items() if all(f.done() for f in futures)]:
            del _ahead_pending[gone]  # sessions whose questions are all answered
        _ahead_pending[session] = [_AHEAD.submit(answer, name, tuple(args))
                                   for name, args in wanted]


@st.cache_data(max_entries=4, show_spinner=False)
def _vocabulary(path: str, version: str) -> Vocabulary:
    from data_prep.queries import aggregates

    return _ask(path, version, aggregates.vocabulary)


@st.cache_resource(show_spinner=False)
def _last_versions() -> dict[str, str]:
    return {}


def _drop_old_versions(path: str, version: str) -> None:
    """At a new data version, drop every cached result of the old one at once: kept until
    evicted, the server would hold two versions' data (twice the memory)."""
    last = _last_versions()
    if last.get(path) not in (None, version):
        for cached in (_prepared, _answer, _vocabulary, _pair_sources):
            cached.clear()
    last[path] = version


@dataclass(frozen=True)
class Page:
    """What a page needs: the database and its version, the filters and their choices.
    What a page shows is asked of the database (`answer`, `asked`)."""

    db: StoreLocation  # a Path, or a dataset's URL as text
    version: str
    filters: Filters
    vocab: Vocabulary
    articles: int  # how many articles are stored (0: the empty state)
    editor: Optional[access.Editor] = None  # None: a viewer, who changes nothing
    kept: Optional[Mapping[str, int]] = None  # what the filters keep, as the facets counted it

    def answer(self, name: str, *args: Any, flt: Optional[Filters] = None) -> Any:
        """`data_prep.queries.aggregates.<name>(con, filters, *args)`, cached per data
        version, filters and arguments."""
        return _answer(str(self.db), self.version, name,
                       self.filters if flt is None else flt, tuple(args))

    @property
    def read_only(self) -> bool:
        """A Parquet dataset is shown as it was written: nothing on the pages changes it."""
        return location.is_dataset(self.db)

    def count(self, what: str = "articles") -> int:
        """How many articles, events or figures the filters keep."""
        if self.kept and what in self.kept:
            return int(self.kept[what])
        return int(self.answer("count", what))


def one_article(page: "Page", article_id: str) -> Frames:
    """The frames of one article, corrections applied: what its panel and an editor's
    correction forms show."""
    return some_articles(page, [article_id])


def some_articles(page: "Page", article_ids: Sequence[str]) -> Frames:
    """The frames of these articles only, corrections applied."""
    from data_prep.queries import aggregates

    kept, _ = _prepared(str(page.db), page.version)
    return _ask(str(page.db), page.version,
                lambda con: aggregates.articles_frames(con, article_ids, kept))


def asked(page: "Page", query: Callable[[Any], Any]) -> Any:
    """`query(con)` on a read connection of the page's data with the SQL views of
    `queries.sql` (editors' corrections applied): what a page asks the database directly,
    uncached (a page of rows, a download)."""
    return _ask(str(page.db), page.version, query)


# The pages in the order of the sidebar: (script, label, icon).
NAVIGATION = (
    ("app.py", "Overview", ":material/public:"),
    ("pages/1_Map.py", "Map", ":material/map:"),
    ("pages/2_Timeline.py", "Timeline", ":material/timeline:"),
    ("pages/3_Partnerships.py", "Partnerships", ":material/handshake:"),
    ("pages/4_Figures.py", "Figures", ":material/monitoring:"),
    ("pages/5_Articles.py", "Articles", ":material/article:"),
    (filters.PAIR_PAGE, "Pair", ":material/compare_arrows:"),
    (CORRECTIONS_PAGE, "Corrections", ":material/rate_review:"),
    (ADD_PAGE, "Add articles", ":material/upload_file:"),
)
EDITOR_PAGES = (ADD_PAGE,)  # pages that only change data: not offered to viewers


def setup(title: str, icon: str = "🌐") -> Optional[access.Editor]:
    """Page config (the tab icon is an emoji: a :material/ icon would be fetched online) and
    the page menu; returns the session's editor (None for a viewer)."""
    st.set_page_config(page_title=f"{title} · Partnership Atlas", page_icon=icon, layout="wide")
    editor = access.current_editor()
    if st.get_option("client.showSidebarNavigation") is False:
        # Streamlit's own navigation would call the entry page "app": draw ours instead.
        with st.sidebar:
            for script, label, page_icon in NAVIGATION:
                if editor or script not in EDITOR_PAGES:
                    st.page_link(script, label=inert.md(label), icon=page_icon)
            _access_link(editor)
            st.divider()
    return editor


def _access_link(editor: Optional[access.Editor]) -> None:
    """Who this session is, and the way to sign in or out (nothing on a local run)."""
    if editor is not None and editor.how == "local":
        return
    if editor is not None:
        label = f"Editor: {editor.name}"
    else:
        label = "Sign in to edit" if access.editing_setup().configured else "Read-only"
    st.page_link(access.SIGN_IN_PAGE, label=inert.md(label), icon=":material/person:")


def start_page(title: str, icon: str = "🌐", before_filters=None, caption: str = "",
               with_filters: bool = True, ahead: Sequence[tuple[str, tuple]] = ()) -> Page:
    """Set the page up, make sure the data exists, draw the filters; returns the Page.

    `before_filters(vocab)` runs before the sidebar is drawn (the map uses it to turn a
    click on a country into the country filter). Pages that filter nothing (adding
    articles, one pair's page) pass `with_filters=False`: no filter sidebar, no filters.
    `ahead`: answers the page asks later (query, arguments), started as soon as the filters
    are known (`ask_ahead`).
    """
    editor = setup(title, icon)
    path = ensure_db()
    live = data_version(path)
    version = serving_version(path, live)
    with contextlib.suppress(OSError):  # in use: not pruned (`_prune_unused`)
        os.utime(derived_file(path, version))
    _drop_old_versions(str(path), version)
    try:
        vocab = _vocabulary(str(path), version)
        stored = int(_answer(str(path), version, "count", Filters(), ("articles",)))
    except Exception:  # noqa: BLE001
        _log.exception("the database %s could not be read", path)
        st.error("The database could not be read. The server's log says why.")
        st.stop()
    if before_filters is not None:
        before_filters(vocab)
    st.html(_COMPACT_CSS + _MAP_BOX_CSS)
    st.title(inert.md(title), anchor=False)
    if caption:
        inert.caption(caption)
    if version != live:
        st.info(BEHIND_NOTICE, icon=":material/hourglass_top:")
    if location.is_dataset(path):
        editor = None  # nobody edits a dataset: no page offers a control that writes
    if not with_filters:
        return Page(path, version, Filters(), vocab, stored, editor)
    asked: dict[Filters, Any] = {}

    def choices(flt: Filters) -> Any:
        if ahead:
            ask_ahead(str(path), version, flt, ahead)
        asked[flt] = _answer(str(path), version, "facet_choices", flt, ())
        return asked[flt]

    flt = filters.sidebar_filters(vocab, page=title, choices=choices if stored else None)
    _filter_summary(flt, vocab)
    from data_prep.queries.aggregates import KEPT_COUNTS

    kept = asked.get(flt, {}).get(KEPT_COUNTS)  # counted with the facets
    left_out = _answer(str(path), version, "undated_left_out", flt, ()) if stored else 0
    if left_out:
        st.caption(inert.markdown("{n} undated article{s} left out by the date range: tick "
                                  "**Include undated** in the sidebar to show them.",
                                  n=f"{left_out:,}", s="s" if left_out != 1 else ""))
    return Page(path, version, flt, vocab, stored, editor, kept)


def _filter_summary(flt: Filters, vocab: Vocabulary) -> None:
    filters.filter_summary(flt, vocab.countries)
    pair = filters.chosen_pair(flt)
    if pair:  # a pair chosen (partner filter, a click on a map line): its own page is one click away
        names = [vocab.countries.get(c, c) for c in pair]
        st.page_link(filters.PAIR_PAGE, label=inert.md(f"Open the page of {names[0]} – {names[1]}"),
                     icon=":material/compare_arrows:",
                     query_params={filters.PAIR_KEY: filters.pair_param(*pair)})


# At phone width Streamlit stacks columns: four tall metric cards would fill the first screen.
# Below 640 px a row of metrics becomes a compact grid, two small cards a line.
_COMPACT_CSS = """<style>
@media (max-width: 640px) {
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) {
    flex-wrap: wrap !important; gap: 0.4rem !important; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"])
    > [data-testid="stColumn"] { min-width: 40% !important; width: auto !important;
                                 flex: 1 1 40% !important; }
  [data-testid="stMetric"] { padding: 0.25rem 0.5rem !important; }
  [data-testid="stMetricValue"] { font-size: 1.2rem !important; }
}
</style>"""

def map_chart(fig: Any, box: str, key: str, **kwargs: Any) -> Any:
    """`st.plotly_chart` of a map in a box of the map's shape at any width (`box`: a name of
    `_MAP_BOXES`): the box's height follows the page's width (CSS container units, rules in
    `_MAP_BOX_CSS`) and the chart fills it, so the map fills its box at 1440 px and on a
    phone alike. Returns what `st.plotly_chart` returns (the selection, with `on_select`)."""
    with st.container(key=f"mapbox_{box}"):
        return st.plotly_chart(fig, config=charts.PLOTLY_CONFIG, key=key, height="stretch",
                               **kwargs)


_MAP_BOXES = {"map": charts.MAP_FRAME, "small_map": charts.SMALL_MAP_FRAME}
_MAP_BOX_CSS = "<style>" + "".join(
    f".st-key-mapbox_{name} {{ container-type: inline-size; }} "
    f".st-key-mapbox_{name} [data-testid='stElementContainer'] {{ height: calc(100cqw / "
    f"{frame.aspect:.5f} + {frame.top + frame.bottom}px) !important; }} "
    for name, frame in _MAP_BOXES.items()) + "</style>"


def with_source_links(page: "Page", rows, keep_ids: bool = True):
    """`rows` (with article_id) with `source` (publisher, source or file name) and `url` (a
    link only when it is a safe http(s) address) of each row's article, asked of the
    database for these rows' articles only; rows of no article (sums) get none. Without
    `keep_ids`, the article_id column is left out (a download's columns)."""
    from data_prep.queries import pair

    if "article_id" not in rows.columns:
        return rows.assign(source="", url=None)
    ids = sorted({a for a in rows["article_id"] if isinstance(a, str)}) if len(rows) else []
    articles = asked(page, lambda con: pair.stored_articles(con, ids))
    out = safe_source_links(pair.with_sources(rows, articles))
    return out if keep_ids else out.drop(columns="article_id")


def pair_sources(page: "Page"):
    """Per pair under the page's filters: `sources` and `links` (only safe http(s)
    addresses) of its articles, each joined by "; " (the per-pair table and download);
    cached per data version and filters like an answer."""
    return _pair_sources(str(page.db), page.version, page.filters)


@st.cache_data(max_entries=16, show_spinner=False)
def _pair_sources(path: str, version: str, flt: Filters):
    from data_prep.queries import pair

    rows = _ask(path, version, lambda con: pair.pair_article_sources(con, flt))
    return pair.sources_by_pair(safe_source_links(rows))


def safe_source_links(rows):
    """`rows`' url column with every address that is not a safe http(s) link emptied."""
    out = rows.copy()
    out["url"] = [inert.safe_url(u) if isinstance(u, str) else None for u in out["url"]]
    return out


def read_only_dataset(what: str) -> None:
    """Say plainly that the data shown is a Parquet dataset, which nothing here changes, and
    how to make it editable."""
    st.info(inert.markdown(
        "{what} is not possible here: this atlas shows a Parquet dataset (written by "
        "`python -m data_prep build --engine dask`), which is read-only. To add, remove or "
        "correct articles, import it into a DuckDB store (`python -m data_prep import DATASET "
        "--db atlas.duckdb`) and open that store.", what=what),
        icon=":material/lock:")


def no_data(editor: Optional[access.Editor] = None) -> None:
    if editor is None:
        st.info("There are no articles in the database yet: editors add them.")
        return
    st.info("There are no articles in the database yet. Add some on the **Add articles** page "
            "(text, HTML, CSV, JSON Lines or ZIP files).")
    st.page_link(ADD_PAGE, label="Add articles", icon=":material/upload_file:")


def no_match(page: Page, what: str = "articles") -> None:
    """The empty state when the filters leave nothing: say what is filtered and how to undo it."""
    # in the words of the filter summary above it (`filters.filter_parts`): one way to say it
    words = "; ".join(p.text for p in filters.filter_parts(page.filters, page.vocab.countries))
    st.info(inert.markdown("No {what} match the filters ({words}). Remove a filter in the sidebar, "
                           "or use **Clear all filters**.", what=what, words=words))


def guard(page: Page, what: str = "articles", count: Optional[int] = None) -> bool:
    """True when there is something to show; otherwise draws the right empty state.
    `count`: how many of `what` the filters keep (default: articles)."""
    if not page.articles:
        no_data(page.editor)
        return False
    if (page.count() if count is None else count) == 0:
        if page.filters.is_empty():
            inert.notice("info", f"No {what} in the database yet: none of the stored articles has any.")
        else:
            no_match(page, what)
        return False
    return True


# --------------------------------------------------------------------------- uploads

UPLOAD_TYPES = ("txt", "md", "html", "htm", "csv", "jsonl", "json", "zip")


@dataclass
class FileOutcome:
    """What happened to one uploaded file."""

    file: str
    added: int = 0
    duplicates: int = 0
    failed: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.added:
            return "added"
        if self.duplicates and not self.failed:
            return "duplicate"
        return "failed" if self.failed else "nothing to add"


def _owner(doc: str, names: Sequence[str]) -> Optional[str]:
    """The uploaded file a doc came from ("a.zip:x.txt" and "rows.csv#3" belong to their file)."""
    for name in sorted(names, key=len, reverse=True):
        if doc == name or doc.startswith(name + ":") or doc.startswith(name + "#"):
            return name
    return None


def _unique(name: str, taken: dict) -> str:
    """Two uploaded files with one name get their own rows: "a.txt", "a.txt (2)"."""
    if name not in taken:
        return name
    n = 2
    while f"{name} ({n})" in taken:
        n += 1
    return f"{name} ({n})"


def _refuse(out: FileOutcome, why: str) -> None:
    out.failed += 1
    out.notes.append(why)


def upload_batch(files: Sequence[tuple[str, bytes]], db: Path,
                 progress: Optional[Callable[[int, int, str], None]] = None,
                 on_wait: Optional[Callable[[str], None]] = None) -> list[FileOutcome]:
    """Read uploaded files from memory and store their articles; one outcome per file, and
    each file ends added, duplicate (naming the article it repeats) or failed with a reason.

    The limits of an upload (count of files, size in all) are enforced here, the size of one
    file by the reader, like every other limit of a file; the bytes are never written
    anywhere but the database (read_upload reads from memory, containers included).
    `on_wait` hears when another write holds the database and this one waits.
    """
    from data_prep.ingest.reading import read_upload

    outcomes: dict[str, FileOutcome] = {}
    items: list[Any] = []
    total = 0
    for i, (name, data) in enumerate(files):
        name = _unique(name, outcomes)
        out = outcomes.setdefault(name, FileOutcome(name))
        total += len(data)
        if i >= MAX_UPLOAD_FILES:
            _refuse(out, f"not read: over the limit of {MAX_UPLOAD_FILES} files per upload")
        elif total > MAX_UPLOAD_BYTES:
            _refuse(out, f"not read: the upload is over {MAX_UPLOAD_BYTES / MB:.0f} MB in total")
        else:
            try:
                items.extend(read_upload(name, data))
            except Exception as e:  # noqa: BLE001 - one bad file never stops the batch
                _refuse(out, f"could not be read: {redact(e)}")
    names = list(outcomes)
    try:
        report = service.add_articles(items, db, progress, on_wait)
    except Exception as e:  # noqa: BLE001 - e.g. the database is busy: nothing was stored
        _log.warning("upload not stored: %s", e)
        why = ("the database is busy with another long write; try again in a few minutes"
               if isinstance(e, store.StoreBusy) else f"{type(e).__name__}: {redact(e)}")
        for out in outcomes.values():
            if not out.failed:
                _refuse(out, f"not stored: {why}")
        return list(outcomes.values())
    for doc in report.added:
        outcomes[_owner(doc, names) or names[0]].added += 1
    for doc, of in zip(report.duplicates, report.duplicate_of):
        out = outcomes[_owner(doc, names) or names[0]]
        out.duplicates += 1
        out.notes.append(f"{doc}: same text as {of} (already stored)")
    for problem in report.failed:
        out = outcomes[_owner(problem.file, names) or names[0]]
        _refuse(out, redact(problem))
    return list(outcomes.values())


@dataclass(frozen=True)
class RowsPage:
    """One page of a table's rows asked of the database: the rows, how many match in all,
    the index of the first row shown and how many pages there are."""

    rows: Any
    total: int
    first: int
    pages: int


def paged(rows: Callable[[int, int], tuple[Any, int]], size: int, key: str) -> RowsPage:
    """The page of `size` rows the page number under `key` points at (`rows(limit, offset)`
    asks the database for rows and the total), back to the first page when the filters left
    fewer pages, with a page number input when there is more than one page."""
    number = int(st.session_state.get(key) or 1)
    shown, total = rows(size, (number - 1) * size)
    pages = max(1, -(-total // size))
    if number > pages:
        st.session_state[key] = number = 1
        shown, total = rows(size, 0)
    if pages > 1:
        st.number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, key=key)
    return RowsPage(shown, total, (number - 1) * size, pages)
