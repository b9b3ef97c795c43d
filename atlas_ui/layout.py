"""Page set-up shared by every page: the database (built on first start), cached data,
the sidebar filters, and the empty states that tell the user what to do.

Data is cached keyed by the database path and `database_version`, so an upload or a removal
(a new version) shows on every page at the next run. The frames are `st.cache_resource`
(shared, never mutated: pandas copy-on-write), because `st.cache_data` would unpickle a copy
on every run (0.6 s at 20,000 articles); small results use `st.cache_data`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

import streamlit as st

from atlas_ui import filters
from data_prep import queries, store
from data_prep.limits import MAX_UPLOAD_FILES
from data_prep.queries import Filters, Frames, Vocabulary

MB = 1024 * 1024
USD_COLUMN = st.column_config.NumberColumn("Money reached (USD)", format="compact",
                                           help="Money the articles tie to the pair and report as "
                                                "reached (no targets), in US dollars at the article's date")
VALUE_COLUMN = st.column_config.NumberColumn("Value", format="compact",
                                             help="In full units: 21 billion is 21B")
DB_ENV = "ATLAS_DB"
ADD_PAGE = "pages/6_Add_articles.py"


def db_path() -> Path:
    """`$ATLAS_DB` when set, else `data/atlas.duckdb` in the project."""
    env = os.environ.get(DB_ENV, "").strip()
    return Path(env).expanduser() if env else store.DEFAULT_DB


@st.cache_resource(show_spinner=False)
def _ensured(path: str) -> list[str]:
    """Build/migrate the database once per process; returns the messages to show."""
    messages: list[str] = []
    store.ensure_database(Path(path), notify=messages.append)
    return messages


def ensure_db() -> Path:
    path = db_path()
    if not path.is_file():
        _ensured.clear()
    with st.spinner("Preparing the database (the first start reads the bundled seed articles)…"):
        try:
            messages = _ensured(str(path))
        except Exception as e:  # noqa: BLE001 - say what happened instead of a traceback
            st.error(f"The database at {path.name} could not be prepared: {e}")
            st.stop()
    for message in messages:
        st.toast(message)
    return path


@st.cache_resource(max_entries=2, show_spinner=False)
def _frames(path: str, version: str) -> Frames:
    with store.read_connection(Path(path)) as con:
        return queries.load_frames(con)


@st.cache_data(max_entries=64, show_spinner=False)
def _text_matches(path: str, version: str, q: str) -> frozenset[str]:
    with store.read_connection(Path(path)) as con:
        return queries.search_articles(con, q)


@st.cache_resource(max_entries=8, show_spinner=False)
def _filtered(path: str, version: str, flt: Filters) -> Frames:
    frames = _frames(path, version)
    matches = _text_matches(path, version, flt.q) if flt.q else None
    return queries.apply_filters(frames, flt, matches)


@st.cache_data(max_entries=4, show_spinner=False)
def _vocabulary(path: str, version: str) -> Vocabulary:
    return queries.vocabulary(_frames(path, version))


@dataclass(frozen=True)
class Page:
    """What a page needs: the database, all data, the filtered data and the filters."""

    db: Path
    version: str
    all: Frames
    view: Frames
    filters: Filters
    vocab: Vocabulary


# The pages in the order of the sidebar: (script, label, icon).
NAVIGATION = (
    ("app.py", "Overview", ":material/public:"),
    ("pages/1_Map.py", "Map", ":material/map:"),
    ("pages/2_Timeline.py", "Timeline", ":material/timeline:"),
    ("pages/3_Partnerships.py", "Partnerships", ":material/handshake:"),
    ("pages/4_Figures.py", "Figures", ":material/monitoring:"),
    ("pages/5_Articles.py", "Articles", ":material/article:"),
    (ADD_PAGE, "Add articles", ":material/upload_file:"),
)


def setup(title: str, icon: str = "🌐") -> None:
    """Page config (the tab icon is an emoji: a :material/ icon would be fetched online)."""
    st.set_page_config(page_title=f"{title} · Partnership Atlas", page_icon=icon, layout="wide")
    if st.get_option("client.showSidebarNavigation") is False:
        # Streamlit's own navigation would call the entry page "app": draw ours instead.
        with st.sidebar:
            for script, label, page_icon in NAVIGATION:
                st.page_link(script, label=label, icon=page_icon)
            st.divider()


def start_page(title: str, icon: str = "🌐", before_filters=None, caption: str = "") -> Page:
    """Set the page up, make sure the data exists, draw the filters; returns the data.

    `before_filters(all_frames, vocab)` runs before the sidebar is drawn (the map uses it to
    turn a click on a country into the country filter).
    """
    setup(title, icon)
    path = ensure_db()
    version = store.database_version(path)
    try:
        frames = _frames(str(path), version)
    except Exception as e:  # noqa: BLE001
        st.error(f"The database could not be read: {e}")
        st.stop()
    vocab = _vocabulary(str(path), version)
    if before_filters is not None:
        before_filters(frames, vocab)
    st.title(title, anchor=False)
    if caption:
        st.caption(caption)
    flt = filters.sidebar_filters(vocab, page=title)
    view = frames if flt.is_empty() else _filtered(str(path), version, flt)
    _filter_summary(flt, vocab)
    left_out = queries.undated_left_out(frames, flt)
    if left_out:
        st.caption(f"{left_out:,} undated article{'s' if left_out != 1 else ''} left out by the date "
                   "range: tick **Include undated** in the sidebar to show them.")
    return Page(path, version, frames, view, flt, vocab)


def _filter_summary(flt: Filters, vocab: Vocabulary) -> None:
    words = filters.describe(flt, vocab.countries)
    if words:
        st.markdown("**Filtered:** " + filters.md_escape("; ".join(words)))


def no_data() -> None:
    st.info("There are no articles in the database yet. Add some on the **Add articles** page "
            "(text, HTML, CSV, JSON Lines or ZIP files).")
    st.page_link(ADD_PAGE, label="Add articles", icon=":material/upload_file:")


def no_match(page: Page, what: str = "articles") -> None:
    """The empty state when the filters leave nothing: say what is filtered and how to undo it."""
    words = filters.describe(page.filters, page.vocab.countries)
    st.info(f"No {what} match the filters ({filters.md_escape('; '.join(words))}). Remove a filter in "
            "the sidebar, or use **Clear all filters**.")


def guard(page: Page, what: str = "articles", frame=None) -> bool:
    """True when there is something to show; otherwise draws the right empty state."""
    if page.all.empty:
        no_data()
        return False
    target = page.view.articles if frame is None else frame
    if target is None or len(target) == 0:
        if page.filters.is_empty():
            st.info(f"No {what} in the database yet: none of the stored articles has any.")
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


def upload_batch(files: Sequence[tuple[str, bytes]], db: Path,
                 progress: Optional[Callable[[int, int, str], None]] = None) -> list[FileOutcome]:
    """Read uploaded files from memory and store their articles; one outcome per file.

    Limits (count, size) are enforced here; the bytes are never written anywhere but the
    database (read_upload reads from memory, containers included).
    """
    from data_prep.limits import MAX_FILE_BYTES
    from data_prep.reading import read_upload

    outcomes: dict[str, FileOutcome] = {}
    items: list[Any] = []
    for i, (name, data) in enumerate(files):
        out = outcomes.setdefault(name, FileOutcome(name))
        if i >= MAX_UPLOAD_FILES:
            out.failed += 1
            out.notes.append(f"not read: over the limit of {MAX_UPLOAD_FILES} files per upload")
            continue
        if len(data) > MAX_FILE_BYTES:
            out.failed += 1
            out.notes.append(f"file is {len(data) / MB:.1f} MB, over the "
                             f"{MAX_FILE_BYTES / MB:.0f} MB limit")
            continue
        try:
            items.extend(read_upload(name, data))
        except Exception as e:  # noqa: BLE001 - one bad file never stops the batch
            out.failed += 1
            out.notes.append(f"could not be read: {e}")
    names = list(outcomes)
    try:
        report = store.add_articles(items, db, progress)
    except Exception as e:  # noqa: BLE001 - e.g. the database is busy: nothing was stored
        for out in outcomes.values():
            if not out.failed:
                out.failed += 1
                out.notes.append(f"not stored: {e}")
        return list(outcomes.values())
    for doc in report.added:
        outcomes[_owner(doc, names) or names[0]].added += 1
    for doc in report.duplicates:
        out = outcomes[_owner(doc, names) or names[0]]
        out.duplicates += 1
        out.notes.append(f"{doc}: already stored")
    for problem in report.failed:
        out = outcomes[_owner(problem.file, names) or names[0]]
        out.failed += 1
        out.notes.append(str(problem))
    return list(outcomes.values())
