"""Pages ask the database: filters, totals, facet counts and one page of rows, in SQL.

Why: a page shows a total, a few counts and a page of rows; loading every row of every table
into pandas to draw that costs time and memory in proportion to the store (minutes and
gigabytes at a million articles). Here the same `Filters` become one parameterised query
over DuckDB views, and only what is shown comes back.

`prepare(con, corrections)` creates the views on a read connection:
- `c_partnerships`, `c_figures`, `c_money`: the stored rows with editors' corrections
  applied. Corrections touch few articles, so those articles' rows are read into pandas,
  corrected by `queries.corrections.apply_corrections` (the one place corrections are
  applied) and put back beside the untouched rows: corrected values are exact.
- `geo`: each country's name and region; `events`: one row per partnership with its pair,
  names, regions, event date (the deal date, else the publication date) as a period, title
  and the money the pair reached in that article (on the pair's first row, as in
  `queries.build_frames`).
The filters mean what `queries.apply_filters` says they mean.
"""
from __future__ import annotations

import concurrent.futures
import functools
import os
import sys
import threading
import weakref
from pathlib import Path
from typing import Any, Optional, Sequence

import pandas as pd

from data_prep.corrections import Correction, active
from data_prep.queries import PAIR_SEP, Filters, _clean_text, ranges
from data_prep.queries.ranges import overlap as _overlap
from data_prep.queries.corrections import apply_corrections

_P_COLS = ["article_id", "idx", "iso3_a", "iso3_b", "kind", "status", "sectors", "places",
           "organisations", "evidence", "figures", "event_date"]
_F_COLS = ["article_id", "idx", "kind", "value", "unit", "what", "qualifier", "measure", "usd",
           "text", "start", "end", "sentence"]
_M_COLS = ["article_id", "idx", "iso3_a", "iso3_b", "figure_idx", "measure", "status"]
_TYPES = {"idx": "INTEGER", "sectors": "VARCHAR[]", "organisations": "VARCHAR[]",
          "figures": "INTEGER[]", "figure_idx": "INTEGER", "value": "DOUBLE", "usd": "DOUBLE",
          "start": "INTEGER", "end": "INTEGER", "sentence": "INTEGER"}

# the columns a page may sort the partnership rows by: shown name -> SQL expression
SORTABLE = {"date": "event_start", "pair": "pair", "countries": "countries", "kind": "kind",
            "status": "status", "usd": "usd", "title": "title", "published": "published"}


def _quoted(cols: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in cols)


def _overlay(con: Any, table: str, cols: list[str], frame: Optional[pd.DataFrame],
             touched: list[str]) -> None:
    """View c_<table>: the stored rows of untouched articles and the corrected ones."""
    stored = f'SELECT {_quoted(cols)}, \'\' AS corrected FROM {table}'
    if frame is None:
        con.execute(f"CREATE OR REPLACE TEMP VIEW c_{table} AS {stored}")
        return
    fixed = frame.reindex(columns=cols + ["corrected"]).copy()
    for col in cols:
        kind = _TYPES.get(col, "")
        if kind.endswith("[]"):
            item = int if kind == "INTEGER[]" else str
            fixed[col] = fixed[col].map(lambda v, item=item: None if v is None or (
                isinstance(v, float) and pd.isna(v)) else [item(x) for x in v if x is not None])
    name = f"_fixed_{table}"
    con.register(name, fixed)
    casts = ", ".join(f'CAST("{c}" AS {_TYPES[c]}) AS "{c}"' if c in _TYPES else f'"{c}"'
                      for c in cols)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _c_{table} AS SELECT {casts}, corrected FROM {name}")
    con.unregister(name)
    con.execute(f"CREATE OR REPLACE TEMP VIEW c_{table} AS {stored} WHERE NOT "
                f"list_contains($touched, article_id) UNION ALL SELECT * FROM _c_{table}"
                .replace("$touched", "[" + ", ".join(_lit(t) for t in touched) + "]"))


def _lit(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def prepare(con: Any, corrections: Sequence[Correction] = (),
            geo: Optional[pd.DataFrame] = None, derived: Optional[Path] = None) -> None:
    """Create the views the queries of this module read (see the module doc). `geo`: the
    frame `geo_frame(con)` returned for this data version (it is the same for every query of
    a version, so a caller may keep it). `derived`: a file `materialise` wrote for this data
    version: events, figures and money items are then read from it instead of derived at
    every query."""
    todo = active(corrections)
    touched = sorted({c.article_id for c in todo})
    frames: list[Optional[pd.DataFrame]] = [None, None, None]
    if touched:
        read = [con.execute(f"SELECT {_quoted(cols)} FROM {t} WHERE list_contains(?, article_id)"
                            f" ORDER BY article_id, idx", [touched]).df()
                for t, cols in (("partnerships", _P_COLS), ("figures", _F_COLS),
                                ("deal_money", _M_COLS))]
        done = apply_corrections(*read, corrections)
        frames = [done.partnerships, done.figures, done.money]
    for (table, cols), frame in zip((("partnerships", _P_COLS), ("figures", _F_COLS),
                                     ("deal_money", _M_COLS)), frames):
        _overlay(con, table, cols, frame, touched)
    con.execute("CREATE OR REPLACE TEMP VIEW c_money AS SELECT * FROM c_deal_money")
    if derived is not None:
        con.execute(f"ATTACH {_lit(str(derived))} AS pages (READ_ONLY)")
        for name in DERIVED:
            con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM pages.{name}")
        # the file is read-only: its answers stay these
        _PREPARED[con] = {"answers": precomputed(con), "remembered": _remembered_of(derived)}
        return
    _PREPARED[con] = {"answers": set(), "remembered": {}}
    _geo(con, geo_frame(con) if geo is None else geo)
    con.execute(_ART_KEYS)
    con.execute(_COUNTRY_KEYS)
    con.execute(_EVENTS)
    con.execute(_ART_SPAN)
    con.execute(_FIGS)
    con.execute(_FIG_GROUPS)
    con.execute(_FIG_LABELS)
    con.execute(_MONEY_ITEMS)
    ranges.create(con, DAY_THEN_EID)


DERIVED = ("geo", "art_keys", "country_keys", "events", "art_span", "figs",
           "fig_groups", "fig_labels", "money_items", *ranges.VIEWS)
_SORTED = {"art_keys": "aid", "country_keys": "aid", "events": "eid",
           "art_span": "aid", "figs": "aid, idx",
           # a chart of one measure reads the groups of one kind (and thing counted): kept
           # together, the others are skipped by their row groups' min/max
           "fig_groups": "kind_key, what_key, aid",
           **ranges.SORTED}  # what `materialise` writes, and in what order


@functools.lru_cache(maxsize=1)
def derived_version() -> str:
    """Changes with the code that writes the derived file (its tables here, the first views'
    answers in `aggregates`): a file written by other code is never read as this code's."""
    import hashlib

    from data_prep.queries import aggregates

    code = b"".join(Path(m.__file__).read_bytes()
                    for m in (sys.modules[__name__], aggregates, ranges))
    return hashlib.sha1(code).hexdigest()[:8]


def materialise(con: Any, target: Path) -> None:
    """Write the derived tables of a prepared connection (`DERIVED`) to a DuckDB file at
    `target`, published by a rename: what every query of one data version reads, derived
    once instead of at each query (at a million articles each derivation costs seconds).
    Beside them, the answers of the first views (`aggregates.precompute`): what every first
    visit of a page asks, unfiltered and under each common filter, read from small tables
    instead of scanning every row."""
    from data_prep.queries import aggregates

    part = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.part")
    part.unlink(missing_ok=True)
    con.execute("SET enable_progress_bar = false")
    con.execute(f"ATTACH {_lit(str(part))} AS pages_out")
    try:
        for name in DERIVED:
            order = f" ORDER BY {_SORTED[name]}" if name in _SORTED else ""
            con.execute(f"CREATE TABLE pages_out.{name} AS SELECT * FROM {name}{order}")
            if name != "geo":  # what follows reads the table just written (geo is one)
                con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM pages_out.{name}")
        _RECORDING.schema = "pages_out"
        try:
            aggregates.precompute(con)
        finally:
            _RECORDING.schema = None
    finally:
        con.execute("DETACH pages_out")
    os.replace(part, target)


# an event's place in time, then in the store, as one number (days since 1970 above the
# 32-bit event number): compared as fast as an integer, where the pair of the two is not
DAY_THEN_EID = "(CAST(event_start - DATE '1970-01-01' AS BIGINT) * 4294967296 + eid)"

# ------------------------------------------------------------------------------ answers

_RECORDING = threading.local()  # .schema: where `materialise` writes the first views' answers
# what `prepare` set up on each connection it prepared: the answer tables of its derived
# file (listed once, not at every question: a catalog query costs a few milliseconds) and
# what callers keep of its data (`remembered`); both start anew when the connection is
# prepared
_PREPARED: "weakref.WeakKeyDictionary[Any, dict]" = weakref.WeakKeyDictionary()
# what is remembered of each of the last derived files, shared by the connections reading it
_BY_DERIVED: "dict[str, dict]" = {}
_BY_DERIVED_KEPT = 4
_MEMO_LOCK = threading.Lock()


def _remembered_of(derived: Path) -> dict:
    """The memory shared by every connection that reads the derived file `derived` (one
    data version: its answers hold for all of them)."""
    with _MEMO_LOCK:
        memory = _BY_DERIVED.pop(str(derived), None)
        memory = _BY_DERIVED[str(derived)] = {} if memory is None else memory  # newest last
        while len(_BY_DERIVED) > _BY_DERIVED_KEPT:
            _BY_DERIVED.pop(next(iter(_BY_DERIVED)))
        return memory


def remembered(con: Any, name: str, key: Any, compute: Any, limit: int = 8) -> Any:
    """`compute()`, remembered as `name`'s answer for `key` about the data `con` was prepared
    with: shared by every connection reading the same derived file (the pages' questions
    are lent whichever connection is idle, and a page's answer asked ahead on one is read on
    another), else kept with the connection. The last `limit` keys are kept; a second
    asker of a key being computed waits for that answer instead of computing it again."""
    state = _PREPARED.setdefault(con, {"answers": None, "remembered": {}})
    with _MEMO_LOCK:
        answers = state["remembered"].setdefault(name, {})
        pending = answers.get(key)
        mine = pending is None
        if mine:
            pending = answers[key] = concurrent.futures.Future()
            while len(answers) > limit:
                answers.pop(next(iter(answers)))
    if mine:
        try:
            pending.set_result(compute())
        except BaseException as exc:
            pending.set_exception(exc)
            with _MEMO_LOCK:
                if answers.get(key) is pending:
                    del answers[key]
            raise
    return pending.result()


_ANSWER_PREFIX = "answer_"


def _answer_table(query: str, params: dict) -> str:
    """The name of the table holding the answer to `query` (the whole statement, so an
    answer written by other code is never read as this code's)."""
    import hashlib

    key = repr((query, sorted((k, repr(v)) for k, v in params.items())))
    return _ANSWER_PREFIX + hashlib.sha1(key.encode()).hexdigest()[:20]


def precomputed(con: Any) -> set[str]:
    """The answer tables of the derived file attached to `con` (none without one)."""
    return {t for (t,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'pages' AND "
        "starts_with(table_name, ?)", [_ANSWER_PREFIX]).fetchall()}


def ask(con: Any, flt: Filters, select: str, extra: Optional[dict] = None) -> pd.DataFrame:
    """`select` after the WITH clauses of `scope(flt)` (the names of `scope`'s parameters
    and `extra`'s), as a frame. When `materialise` wrote the same statement's answer for
    this data version (the first views, unfiltered and under each common filter:
    `aggregates.common_filters`), it is read from that table: the same rows in the same
    order, without scanning every event and figure again."""
    with_sql, params = scope(flt, pairs_named(con))
    params = {**params, **(extra or {})}
    table = _answer_table(f"{with_sql} {select}", params)
    target = getattr(_RECORDING, "schema", None)
    if target:
        con.execute(f"CREATE TABLE IF NOT EXISTS {target}.{table} AS {with_sql} {select}", params)
        return con.execute(f"SELECT * FROM {target}.{table}").df()
    answers = _PREPARED.get(con, {}).get("answers")
    if table in (precomputed(con) if answers is None else answers):
        return con.execute(f"SELECT * FROM pages.{table}").df()
    return con.execute(f"{with_sql} {select}", params).df()


def pairs_named(con: Any) -> bool:
    """Whether the article of every event names both countries of its pair: `scope` then
    leaves out a join that cannot drop an event. Read once per data version (a scan of one
    column of the events), `remembered`."""
    return remembered(con, "facts", "pairs_named", lambda: bool(con.execute(
        "SELECT coalesce(bool_and(named), TRUE) FROM events").fetchone()[0]))


def geo_frame(con: Any) -> pd.DataFrame:
    """Each country of the data (mentioned or in a pair, corrections included once `prepare`
    made c_partnerships; else the stored pairs) with its name and region."""
    from data_prep.queries import _country_name, _country_region

    pairs = "c_partnerships" if _has_view(con, "c_partnerships") else "partnerships"
    codes = con.execute(
        "SELECT iso3, min(name) FROM (SELECT iso3, name FROM countries UNION ALL "
        f"SELECT iso3_a, NULL FROM {pairs} UNION ALL SELECT iso3_b, NULL FROM "
        f"{pairs}) WHERE iso3 IS NOT NULL GROUP BY iso3").fetchall()
    return pd.DataFrame([(c, n or _country_name(c), _country_region(c) or None) for c, n in codes],
                        columns=["iso3", "name", "region"])


def _has_view(con: Any, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = ?",
                            [name]).fetchone()[0])


def _geo(con: Any, geo: pd.DataFrame) -> None:
    con.register("_geo_frame", geo)
    con.execute("CREATE OR REPLACE TEMP TABLE geo AS SELECT CAST(iso3 AS VARCHAR) AS iso3, "
                "CAST(name AS VARCHAR) AS name, CAST(region AS VARCHAR) AS region FROM _geo_frame")
    con.unregister("_geo_frame")


# each article with a number (`aid`, in the order of its id) that the filters join on: joins
# and semi-joins on an integer cost a fraction of those on the id's text at a million articles.
# Beside it, the countries it names and their regions: the facets and totals count the kept
# articles' lists, where a semi-join of every article-country row with the kept articles
# cost 0.05-0.1 s at 1M (a filter by country still picks its articles from `country_keys`:
# finding one value in a million lists is slower than reading the rows of that country)
_ART_KEYS = """
CREATE OR REPLACE TEMP VIEW art_keys AS
WITH named AS (
    SELECT c.article_id, list(DISTINCT c.iso3 ORDER BY c.iso3) AS countries,
           coalesce(list(DISTINCT g.region ORDER BY g.region)
                    FILTER (WHERE g.region IS NOT NULL AND g.region <> ''), []) AS regions
    FROM countries c LEFT JOIN geo g USING (iso3) WHERE c.iso3 IS NOT NULL GROUP BY c.article_id)
SELECT CAST(row_number() OVER (ORDER BY a.article_id) AS INTEGER) AS aid, a.article_id,
       a.published, a.added_at, a.title, a.doc,
       coalesce(n.countries, []) AS countries, coalesce(n.regions, []) AS regions
FROM articles a LEFT JOIN named n USING (article_id)
"""

# one row per article and country it names, with how often and where first (the order in
# which a list of articles names each one's countries)
_COUNTRY_KEYS = """
CREATE OR REPLACE TEMP VIEW country_keys AS
SELECT k.aid, c.iso3, max(c.mentions) AS mentions, min(c.first_start) AS first_start
FROM countries c JOIN art_keys k USING (article_id) GROUP BY k.aid, c.iso3
"""

# `gid` numbers each article's pair (its events share it; so do the figures and money items
# of that pair in that article); `eid` numbers the events themselves; `figure_texts`: the
# texts of the figures an event cites, in its order (what the timeline's hover and the
# partnerships table show: derived once, where looking them up for a page's events read
# the figures of articles spread over the whole store); `named`: its article names both
# countries of its pair (extracted pairs always are; an editor's added pair may not be)
_EVENTS = f"""
CREATE OR REPLACE TEMP VIEW events AS
WITH money AS (
    SELECT m.article_id, m.iso3_a, m.iso3_b, sum(f.usd) AS usd
    FROM c_money m JOIN c_figures f ON f.article_id = m.article_id AND f.idx = m.figure_idx
    WHERE m.status = 'actual' GROUP BY ALL),
dated AS (
    SELECT p.*, a.aid, a.published, coalesce(a.title, a.doc) AS title,
           coalesce(list_contains(a.countries, p.iso3_a) AND list_contains(a.countries, p.iso3_b),
                    FALSE) AS named,
           CASE WHEN regexp_full_match(trim(coalesce(p.event_date, '')),
                                       '\\d{{4}}(-\\d{{2}}(-\\d{{2}})?)?')
                     AND try_strptime(trim(p.event_date) || substr('-01-01', length(trim(p.event_date)) - 3),
                                      '%Y-%m-%d') IS NOT NULL
                THEN trim(p.event_date) ELSE strftime(a.published, '%Y-%m-%d') END AS when_text
    FROM c_partnerships p JOIN art_keys a USING (article_id)),
base AS (
SELECT d.article_id, d.aid,
       CAST(dense_rank() OVER (ORDER BY d.aid, d.iso3_a, d.iso3_b) AS INTEGER) AS gid,
       CAST(row_number() OVER (ORDER BY d.aid, d.idx NULLS LAST, d.iso3_a, d.iso3_b, d.kind)
            AS INTEGER) AS eid, d.idx, d.iso3_a, d.iso3_b, d.iso3_a || '{PAIR_SEP}' || d.iso3_b AS pair,
       ga.name AS name_a, gb.name AS name_b, ga.name || ' – ' || gb.name AS countries,
       ga.region AS region_a, gb.region AS region_b, d.kind, d.status, d.sectors,
       d.organisations, d.places, d.evidence, d.figures, d.corrected, d.title, d.published,
       d.when_text AS event_date, d.named,
       CAST(strptime(d.when_text || substr('-01-01', length(d.when_text) - 3), '%Y-%m-%d') AS DATE)
           AS event_start,
       CASE length(d.when_text)
            WHEN 4 THEN make_date(CAST(d.when_text AS INTEGER), 12, 31)
            WHEN 7 THEN last_day(CAST(strptime(d.when_text || '-01', '%Y-%m-%d') AS DATE))
            ELSE CAST(strptime(d.when_text, '%Y-%m-%d') AS DATE) END AS event_end,
       CASE WHEN row_number() OVER (PARTITION BY d.article_id, d.iso3_a, d.iso3_b
                                    ORDER BY d.idx NULLS LAST) = 1
            THEN coalesce(money.usd, 0) ELSE 0 END AS usd
FROM dated d
LEFT JOIN money USING (article_id, iso3_a, iso3_b)
LEFT JOIN geo ga ON ga.iso3 = d.iso3_a
LEFT JOIN geo gb ON gb.iso3 = d.iso3_b),
cited AS (SELECT eid, article_id, unnest(figures) AS fidx, generate_subscripts(figures, 1) AS pos
          FROM base),
texts AS (SELECT c.eid, list(f.text ORDER BY c.pos) AS figure_texts
          FROM cited c JOIN c_figures f ON f.article_id = c.article_id AND f.idx = c.fidx
          GROUP BY c.eid)
SELECT b.*, t.figure_texts FROM base b LEFT JOIN texts t USING (eid)
"""

# each article's publication date and its events' dates at their widest, and whether one
# event is undated: one row per article, so a date range keeps articles by one scan of it
# (published in the range, or undated when asked) and a range open on one side keeps an
# article's event exactly when this span reaches it, instead of reading every event
_ART_SPAN = """
CREATE OR REPLACE TEMP VIEW art_span AS
SELECT a.aid, any_value(a.article_id) AS article_id, any_value(a.published) AS published,
       any_value(a.countries) AS countries, any_value(a.regions) AS regions,
       min(e.event_start) AS first_start,
       max(e.event_end) AS last_end,
       coalesce(bool_or(e.eid IS NOT NULL AND e.event_start IS NULL), FALSE) AS undated_event
FROM art_keys a LEFT JOIN events e USING (aid) GROUP BY a.aid
"""

# figures with their pair and date (and their kind, measure and what as compared: spaces
# folded, lower case, as charts._norm): a figure belongs to the first
# partnership of its article that cites it and takes its date, else the publication date
# (as `queries._build_figures`)
_FIGS = """
CREATE OR REPLACE TEMP VIEW figs AS
WITH cited AS (
    SELECT article_id, idx AS event_idx, gid, pair, event_date, event_start, event_end,
           unnest(figures) AS figure_idx FROM events),
first AS (
    SELECT * EXCLUDE (rank) FROM (
        SELECT *, row_number() OVER (PARTITION BY article_id, figure_idx
                                     ORDER BY event_idx NULLS LAST) AS rank FROM cited)
    WHERE rank = 1)
SELECT f.article_id, a.aid, c.gid, f.idx, f.kind, f.value, f.unit, f.what,
       f.qualifier, f.measure, f.usd, f.text, c.pair,
       coalesce(c.event_date, strftime(a.published, '%Y-%m-%d')) AS event_date,
       CASE length(coalesce(c.event_date, strftime(a.published, '%Y-%m-%d')))
            WHEN 4 THEN 'year' WHEN 7 THEN 'month' WHEN 10 THEN 'day' END AS event_granularity,
       CASE WHEN c.pair IS NULL THEN CAST(a.published AS DATE) ELSE c.event_start END AS event_start,
       CASE WHEN c.pair IS NULL THEN CAST(a.published AS DATE) ELSE c.event_end END AS event_end,
       f.corrected, f.sentence, a.published,
       lower(trim(regexp_replace(f.kind, '\\s+', ' ', 'g'))) AS kind_key,
       lower(trim(regexp_replace(f.measure, '\\s+', ' ', 'g'))) AS measure_key,
       lower(trim(regexp_replace(f.what, '\\s+', ' ', 'g'))) AS what_key
FROM c_figures f
JOIN art_keys a USING (article_id)
LEFT JOIN first c ON c.article_id = f.article_id AND c.figure_idx = f.idx
"""

# the figures of an article counted by what the filters and the figure charts ask of them
# (their pair, dates, kind, unit, what they count, measure): a filter keeps or drops every
# figure of a group alike, so counts and chart aggregates read these groups (a few per
# article) instead of every figure; `finite`: the figure has a value a chart can draw;
# `sid`: the group's kind, unit and what it counts (written and compared) as one number
# (`fig_labels` names it), so the figure summary groups one integer column instead of
# reading and hashing five texts of every kept group
_FIG_GROUPS = """
CREATE OR REPLACE TEMP VIEW fig_groups AS
SELECT *, CAST(dense_rank() OVER (ORDER BY kind, unit, what, kind_key, what_key) AS INTEGER)
          AS sid
FROM (SELECT aid, gid, pair, event_start, event_end, published, kind, unit, what, measure,
             kind_key, what_key, measure_key,
             coalesce(isfinite(CASE WHEN kind_key = 'money' THEN usd ELSE value END), FALSE)
                 AS finite,
             count(*) AS n, sum(usd) AS usd, sum(value) AS value, min(idx) AS first_idx
      FROM figs GROUP BY ALL)
"""

_FIG_LABELS = """
CREATE OR REPLACE TEMP VIEW fig_labels AS
SELECT DISTINCT sid, kind, unit, what, kind_key, what_key FROM fig_groups
"""

# each money item of a pair with its figure's text and USD
_MONEY_ITEMS = f"""
CREATE OR REPLACE TEMP VIEW money_items AS
SELECT m.article_id, k.aid, g.gid, m.iso3_a, m.iso3_b, m.iso3_a || '{PAIR_SEP}' || m.iso3_b AS pair,
       m.idx, m.figure_idx, m.measure, m.status, f.text, f.usd,
       regexp_replace(trim(f.text), '\\s+', ' ', 'g') || ' ' || m.measure ||
           CASE WHEN m.status = 'planned' THEN ' (planned)' ELSE '' END AS label
FROM c_money m JOIN c_figures f ON f.article_id = m.article_id AND f.idx = m.figure_idx
JOIN art_keys k ON k.article_id = m.article_id
LEFT JOIN (SELECT DISTINCT aid, iso3_a, iso3_b, gid FROM events) g
    ON g.aid = k.aid AND g.iso3_a = m.iso3_a AND g.iso3_b = m.iso3_b
"""

# the texts a figure is shown with: its article's title and its sentence
FIGURE_TEXTS = """LEFT JOIN (SELECT article_id, coalesce(title, doc) AS title FROM articles) t
    USING (article_id)
LEFT JOIN (SELECT article_id, idx AS sentence, text AS sentence_text FROM sentences) s
    USING (article_id, sentence)"""


def with_figure_texts(con: Any, rows: pd.DataFrame) -> pd.DataFrame:
    """`rows` (a page of figures, with article_id and sentence) with their article's title
    and their sentence's text in place of `sentence`, as `FIGURE_TEXTS` joins them. Looked
    up apart for these rows only, the keys handed as lists: joined inside the page's query,
    DuckDB read the stored sentences of every article in the page's range of ids."""
    out = rows.copy()
    ids = sorted({str(a) for a in rows["article_id"]})
    keys = [(str(a), int(n)) for a, n in zip(rows["article_id"], rows["sentence"])
            if not pd.isna(n)]
    titles = dict(con.execute(
        "SELECT a.article_id, coalesce(a.title, a.doc) FROM (SELECT unnest(?::VARCHAR[]) AS "
        "article_id) k JOIN articles a USING (article_id)", [ids]).fetchall()) if ids else {}
    texts = {(a, int(n)): t for a, n, t in con.execute(
        "SELECT s.article_id, s.idx, s.text FROM (SELECT unnest(?::VARCHAR[]) AS article_id, "
        "unnest(?::INTEGER[]) AS idx) k JOIN sentences s USING (article_id, idx)",
        [[a for a, _ in keys], [n for _, n in keys]]).fetchall()} if keys else {}
    out["title"] = [titles.get(str(a)) for a in rows["article_id"]]
    out["sentence_text"] = [None if pd.isna(n) else texts.get((str(a), int(n)))
                            for a, n in zip(rows["article_id"], rows["sentence"])]
    return out.drop(columns=["sentence"])


# ------------------------------------------------------------------------------ filters


def _article_conditions(flt: Filters, params: dict[str, Any]) -> list[str]:
    """What an article must meet by itself (countries, region, organisation, text)."""
    art: list[str] = []
    if flt.countries:
        params["countries"] = sorted(set(flt.countries))
        art.append("a.aid IN (SELECT aid FROM country_keys WHERE list_contains($countries, iso3))")
    if flt.region:
        params["region"] = flt.region
        art.append("list_contains(a.regions, $region)")
    if flt.organisation:
        params["org"] = flt.organisation.casefold()
        art.append("a.article_id IN (SELECT article_id FROM entities WHERE kind = 'org' AND "
                   "lower(name) = $org UNION SELECT article_id FROM c_partnerships WHERE "
                   "list_contains(list_transform(organisations, lambda o: lower(o)), $org))")
    needle = _clean_text(flt.q).lower()
    if needle:  # as queries.search_articles: the title or the whole text
        params["q"] = needle
        art.append("a.article_id IN (SELECT article_id FROM articles WHERE strpos(lower("
                   "coalesce(title, '') || chr(10) || coalesce(text, '')), $q) > 0)")
    return art


def _event_conditions(flt: Filters, params: dict[str, Any]) -> list[str]:
    """What an event must meet (its countries, partner, region, kind, sector, dates)."""
    ev: list[str] = []
    countries = sorted(set(flt.countries))
    if countries:
        params["countries"] = countries
        ev.append("(list_contains($countries, e.iso3_a) OR list_contains($countries, e.iso3_b))")
    if flt.partner:  # one side a partner, the other (with countries chosen) a chosen country
        params["partner"] = sorted(set(flt.partner))
        ev.append("((list_contains($partner, e.iso3_a) AND list_contains($countries, e.iso3_b)) OR "
                  "(list_contains($partner, e.iso3_b) AND list_contains($countries, e.iso3_a)))"
                  if countries else
                  "(list_contains($partner, e.iso3_a) OR list_contains($partner, e.iso3_b))")
    if flt.region:
        params["region"] = flt.region
        ev.append("(e.region_a = $region OR e.region_b = $region)")
    if flt.kind:  # any of the kinds
        params["kind"] = sorted(set(flt.kind))
        ev.append("list_contains($kind, e.kind)")
    if flt.sector:  # any of the sectors, case-insensitive
        params["sector"] = sorted({s.casefold() for s in flt.sector})
        ev.append("list_has_any(list_transform(e.sectors, lambda s: lower(s)), $sector)")
    if flt.date_from or flt.date_to:
        params["lo"], params["hi"] = flt.date_from, flt.date_to
        ev.append(f"({_overlap('e.event_start', 'e.event_end')} OR "
                  f"({'TRUE' if flt.undated else 'FALSE'} AND e.event_start IS NULL))")
    return ev


def _figure_conditions(flt: Filters) -> list[str]:
    """What a figure must meet: a pair's figure goes with its kept pair; its dates."""
    fig: list[str] = []
    if flt.pair_level() or flt.countries or flt.region:
        fig.append("((f.gid IS NOT NULL AND f.gid IN (SELECT gid FROM ev)) OR (f.gid IS NULL AND "
                   f"{'FALSE' if flt.pair_level() else 'TRUE'}))")
    if flt.date_from or flt.date_to:
        fig.append(f"({_overlap('f.event_start', 'f.event_end')} OR "
                   f"({'TRUE' if flt.undated else 'FALSE'} AND f.event_start IS NULL))")
    return fig


def _dated_articles(flt: Filters) -> str:
    """What an article's row of `art_span` (`s`) must meet to be kept by a date range: be
    published in it, undated (no publication date and no dated event) when asked, or have
    an event kept."""
    own = [_overlap("s.published", "s.published")]
    if flt.undated:
        own.append("(s.published IS NULL AND s.first_start IS NULL)")
    dates_alone = not (flt.countries or flt.partner or flt.region or flt.kind or flt.sector)
    if dates_alone and not (flt.date_from and flt.date_to):
        # an event is kept by its dates alone: with one side of the range open, an article
        # has one exactly when its events' span reaches the range
        own.append("s.last_end >= $lo" if flt.date_from else "s.first_start <= $hi")
        if flt.undated:
            own.append("s.undated_event")
    else:
        own.append("s.aid IN (SELECT aid FROM ev0)")
    return f"({' OR '.join(own)})"


def _kept_articles(flt: Filters, art: list[str]) -> str:
    """The `arts` clause: the articles kept. With a date range they are read from
    `art_span` (one row per article, its dates beside it), else from those `art0` keeps."""
    pair_level = "{x}.aid IN (SELECT aid FROM ev0)" if flt.pair_level() else "TRUE"
    if not (flt.date_from or flt.date_to):
        return (f"SELECT a.aid, a.article_id, a.countries, a.regions FROM art0 a "
                f"WHERE {pair_level.format(x='a')}")
    members = "s.aid IN (SELECT aid FROM art0)" if art else "TRUE"
    return (f"SELECT s.aid, s.article_id, s.countries, s.regions FROM art_span s "
            f"WHERE {members} AND {_dated_articles(flt)} AND {pair_level.format(x='s')}")


# the columns of a kept event (`ev`) that the answers aggregate: DuckDB materialises a scope
# referenced more than once, and copying every event's texts (evidence, title, places)
# cost a third of an answer at a million articles; a page of rows joins `events` on `eid`
# for the rest
EV_COLUMNS = ("aid", "gid", "eid", "article_id", "iso3_a", "iso3_b", "pair", "name_a", "name_b",
              "kind", "status", "sectors", "event_date", "event_start", "event_end", "usd",
              "published")


def scope(flt: Filters, pairs_named: bool = False) -> tuple[str, dict]:
    """WITH clauses `arts` (kept article ids), `ev` (kept events) and `fg` (kept figures)
    for `flt`, and their parameters. `pairs_named`: every event's article names both
    countries of its pair (`pairs_named(con)`), so an event the countries and region
    filters keep is of an article they keep."""
    params: dict[str, Any] = {}
    art, ev = _article_conditions(flt, params), _event_conditions(flt, params)
    fig = _figure_conditions(flt)
    # an event on a chosen country's side (or in the chosen region) is then of an article
    # naming it: the semi-join of the events with the kept articles (a third of a statement
    # under a country at a million articles) is needed only for the organisation and the text
    implied = pairs_named and not flt.organisation and not _clean_text(flt.q)
    of_kept = "e.aid IN (SELECT aid FROM art0)" if art and not implied else "TRUE"
    # an event kept by its own conditions (`ev0`, of an article `art0` keeps) is always of a
    # kept article: a date range keeps the articles with a kept event, and a pair-level
    # filter keeps those of kept events. So is a figure, when no filter is on articles: a
    # range keeps it by its first citing event's dates (that event is kept) or its article's
    # publication (the article is kept); only an undated figure kept by `undated` may be of
    # an article the range leaves out. Else it is looked up among the kept articles
    dated = bool(flt.date_from or flt.date_to)
    kept = "TRUE" if not art and not (dated and flt.undated) else "{x} IN (SELECT aid FROM arts)"
    # with no filter but dates, the kept events are most of the store: each part of a
    # statement reads them again (the stored min and max of each block skip the rest of a
    # range) rather than DuckDB copying them once (per-pair totals under a start date that
    # keeps 86% at 1M: 376 -> 266 ms); a narrower filter's events are copied once. The kept
    # figures are read where they are asked (once per statement): a chart's kind of figure
    # then skips the others' blocks (`fig_groups` is stored by kind), where a copy of every
    # kept figure was made first (the money over time at 1M: under a range 182 -> 94 ms,
    # under a country 275 -> 63 ms)
    broad = "NOT MATERIALIZED " if not art and not flt.pair_level() else ""
    sql = f"""WITH art0 AS (SELECT a.aid, a.article_id, a.published, a.countries, a.regions
                            FROM art_keys a WHERE {' AND '.join(art) or 'TRUE'}),
        ev0 AS {broad}(SELECT {', '.join(f'e.{c}' for c in EV_COLUMNS)} FROM events e WHERE {' AND '.join(ev) or 'TRUE'}
                AND {of_kept}),
        arts AS ({_kept_articles(flt, art)}),
        ev AS {broad}(SELECT * FROM ev0),
        fg AS NOT MATERIALIZED (SELECT f.* FROM figs f WHERE {kept.format(x='f.aid')}
               AND {' AND '.join(fig) or 'TRUE'}),
        fgg AS NOT MATERIALIZED (SELECT f.* FROM fig_groups f WHERE {kept.format(x='f.aid')}
                AND {' AND '.join(fig) or 'TRUE'})"""
    return sql, params


# the kept articles' countries: one row per kept article and country it names (its row in
# `arts` lists them), what the country facet, the map's articles per country and the
# overview's country count read
KEPT_COUNTRIES = "(SELECT unnest(countries) AS iso3 FROM arts)"


# ------------------------------------------------------------------------------ queries


def partnership_page(con: Any, flt: Filters, search: str = "", sort: str = "date",
                     descending: bool = True, limit: int = 100, offset: int = 0,
                     ) -> tuple[pd.DataFrame, int]:
    """One page of partnership rows (one per article and pair) under `flt`, the words of
    `search` in any of their texts, sorted; and how many rows there are in all."""
    where, extra = "TRUE", {}
    needle = _clean_text(search).lower()
    if needle:
        extra["needle"] = needle
        where = ("strpos(lower(concat_ws(chr(10), event_date, pair, countries, kind, status, "
                 "array_to_string(sectors, '; '), array_to_string(organisations, '; '), places, "
                 "evidence, title, corrected)), $needle) > 0")
    order = SORTABLE.get(sort, "event_start")
    direction = "DESC" if descending else "ASC"
    # the page is chosen on the sort key alone, then its rows' wide columns are read
    rows = ask(con, flt, f""",
        hit AS (SELECT eid, {order} AS _key FROM {_kept_events(where, order)} WHERE {where}
                ORDER BY _key {direction} NULLS LAST, eid LIMIT {int(limit)} OFFSET {int(offset)})
        SELECT e.* EXCLUDE (aid, gid, eid, named) FROM hit JOIN events e USING (eid)
        ORDER BY hit._key {direction} NULLS LAST, eid""", extra)
    total = _count(con, flt, where, extra)
    return rows, total


def _kept_events(where: str, order: str) -> str:
    """The kept events with the columns `where` and `order` read: `ev` when it has them,
    else `ev` joined to every column of `events`."""
    if where == "TRUE" and order in EV_COLUMNS:
        return "ev"
    return "(SELECT e.* FROM events e WHERE e.eid IN (SELECT eid FROM ev))"


def _count(con: Any, flt: Filters, where: str, extra: dict) -> int:
    return int(ask(con, flt, f"SELECT count(*) AS n FROM {_kept_events(where, 'eid')} "
                             f"WHERE {where}", extra)["n"].iloc[0])


# ------------------------------------------------------------------------------ shown rows

TABLE_COLUMNS = ["date", "pair", "countries", "kind", "status", "sectors", "organisations",
                 "places", "figures", "money", "usd", "evidence", "title", "published",
                 "corrected", "article_id"]


def partnership_table_page(con: Any, flt: Filters, search: str = "", sort: str = "date",
                           descending: bool = True, limit: int = 100, offset: int = 0
                           ) -> tuple[pd.DataFrame, int]:
    """`partnership_page` as the Partnerships table shows it (the columns of
    `queries.partnership_table`): the texts of the rows' figures and money are looked up for
    the rows of this page only."""
    from data_prep.queries import _as_list, _join, _places_text

    rows, total = partnership_page(con, flt, search, sort, descending, limit, offset)
    if rows.empty:
        return pd.DataFrame(columns=TABLE_COLUMNS), total
    ids = sorted(set(rows["article_id"]))
    money: dict[tuple, list[str]] = {}
    for a, x, y, text, measure, status in con.execute(
            "SELECT article_id, iso3_a, iso3_b, text, measure, status FROM money_items "
            "WHERE list_contains(?, article_id) ORDER BY article_id, idx NULLS LAST, "
            "figure_idx", [ids]).fetchall():
        label = f"{' '.join(str(text).split())} {measure}" + (" (planned)" if status == "planned" else "")
        items = money.setdefault((a, x, y), [])
        if label not in items:
            items.append(label)
    out = pd.DataFrame({
        "date": rows["event_date"], "pair": rows["pair"], "countries": rows["countries"],
        "kind": rows["kind"], "status": rows["status"],
        "sectors": rows["sectors"].map(lambda xs: _join(xs if xs is not None else [])),
        "organisations": rows["organisations"].map(lambda xs: _join(xs if xs is not None else [])),
        "places": rows["places"].map(_places_text),
        "figures": rows["figure_texts"].map(lambda t: _join(_as_list(t))),
        "money": ["; ".join(money.get((a, x, y), [])) for a, x, y in
                  zip(rows["article_id"], rows["iso3_a"], rows["iso3_b"])],
        "usd": rows["usd"].astype(float), "evidence": rows["evidence"].fillna(""),
        "title": rows["title"],
        "published": rows["published"].map(lambda d: None if pd.isna(d) else str(d)[:10]),
        "corrected": rows["corrected"].fillna(""), "article_id": rows["article_id"],
    })
    return out.reset_index(drop=True), total
