"""Dashboard data: load frames from the DuckDB store, apply filters, aggregate.

Pure pandas (plus a few read-only SQL queries); no Streamlit here, so every function is
testable on its own and the app only lays widgets out. The column names of `country_stats`,
`pair_stats`, `events` and `figures` are a contract with `atlas_ui/charts.py`.

Loading is split in two so the pure part can be tested on hand-built tables:
`load_tables(con)` runs the SQL, `build_frames(tables)` derives events/figures from them.
"""
from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Iterable, Mapping, Optional, Sequence

import numpy as np
import pandas as pd

from data_prep.corrections import Correction
from data_prep.queries.corrections import apply_corrections
from data_prep.kinds import KINDS, MONEY_MEASURES as MEASURES
from data_prep.records import granularity_of

PAIR_SEP = "–"  # en dash: "KAZ–SGP"
LIST_SEP = "; "

ARTICLE_COLUMNS = ["article_id", "doc", "title", "published", "url", "source", "origin", "added_at"]
MENTION_COLUMNS = ["article_id", "iso3", "name", "mentions"]
PARTNERSHIP_COLUMNS = [
    "article_id", "iso3_a", "iso3_b", "kind", "status", "sectors", "places", "organisations",
    "grp", "evidence", "figures", "event_date", "event_granularity",
]
FIGURE_COLUMNS = [
    "article_id", "idx", "kind", "value", "unit", "what", "qualifier", "measure", "usd", "text",
    "sentence", "sentence_text", "start", "end",
]
MONEY_COLUMNS = ["article_id", "iso3_a", "iso3_b", "figure_idx", "measure", "status"]
MONEY_FRAME_COLUMNS = ["article_id", "pair", "iso3_a", "iso3_b", "figure_idx", "text", "value",
                       "unit", "usd", "measure", "status", "corrected", "key"]
ORG_COLUMNS = ["article_id", "name"]
_MEASURE_LABEL = {"trade": "Trade", "investment": "Investment", "loan": "Loans and credit",
                  "aid": "Aid and grants", "deal": "Deal values", "other": "Other"}
MONEY_MEASURE_LABELS = {m: _MEASURE_LABEL[m] for m in MEASURES}  # the measures' order is the deals'.
EVENT_COLUMNS = [
    "article_id", "title", "published", "iso3_a", "iso3_b", "pair", "name_a", "name_b", "kind",
    "status", "sectors", "organisations", "places", "evidence", "figures_text", "usd",
    "event_date", "event_granularity", "event_start", "event_end", "sector_list", "org_list",
    "corrected", "key",
]
FIGURE_FRAME_COLUMNS = [
    "article_id", "title", "kind", "value", "unit", "what", "qualifier", "measure", "usd", "text",
    "sentence_text", "pair", "event_date", "event_granularity", "event_start", "corrected",
]


# --------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the data to; empty/None fields filter nothing.

    Article-level: countries (mentioned), region, organisation, date range, text.
    Pair-level: countries (one side of the pair), partner (the other side), region, kind, sector.
    countries, partner, kind and sector take several values: any of them (OR) within a
    field, every field (AND) across fields. A single string is read as one value, so
    `Filters(kind="trade")` and `Filters(kind=("trade",))` are the same filters.
    """

    countries: tuple[str, ...] = ()
    partner: tuple[str, ...] = ()
    region: Optional[str] = None
    kind: tuple[str, ...] = ()
    sector: tuple[str, ...] = ()
    organisation: Optional[str] = None
    date_from: Optional[date] = None
    date_to: Optional[date] = None
    q: str = ""
    undated: bool = False  # with a date range: keep the articles and events no text dates

    def __post_init__(self) -> None:
        for name in MULTI_VALUED:
            object.__setattr__(self, name, _as_values(getattr(self, name)))

    def is_empty(self) -> bool:
        return self == Filters()

    def pair_level(self) -> bool:
        """True when a filter only makes sense per partnership (so articles must have one)."""
        return bool(self.partner or self.kind or self.sector)


MULTI_VALUED = ("countries", "partner", "kind", "sector")  # the Filters fields that take several values


def _as_values(value: Any) -> tuple[str, ...]:
    """A multi-valued field as a tuple of distinct values in their order (None/"" -> ())."""
    if value is None or value == "":
        return ()
    items = (value,) if isinstance(value, str) else tuple(value)
    return tuple(dict.fromkeys(str(v) for v in items if v is not None and str(v) != ""))


# --------------------------------------------------------------------------- frames


@dataclass(frozen=True)
class Tables:
    """The store's tables as read (one row per stored row)."""

    articles: pd.DataFrame
    mentions: pd.DataFrame  # the `countries` table: article_id, iso3, name, mentions
    partnerships: pd.DataFrame
    figures: pd.DataFrame  # with sentence_text joined
    orgs: pd.DataFrame  # article_id, name of organisation entities
    money: Optional[pd.DataFrame] = None  # the deal_money table: MONEY_COLUMNS


@dataclass(frozen=True)
class Frames:
    """Everything the pages show, derived once per database version, then filtered."""

    articles: pd.DataFrame  # ARTICLE_COLUMNS, published as Timestamp (NaT when unknown)
    mentions: pd.DataFrame  # MENTION_COLUMNS + region
    events: pd.DataFrame  # EVENT_COLUMNS (one row per article x pair)
    figures: pd.DataFrame  # FIGURE_FRAME_COLUMNS
    orgs: pd.DataFrame  # ORG_COLUMNS (entities and partnership organisations)
    money: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MONEY_FRAME_COLUMNS))
    unapplied: frozenset = frozenset()  # ids of corrections whose item is no longer extracted

    @property
    def empty(self) -> bool:
        return self.articles.empty


@dataclass(frozen=True)
class Vocabulary:
    """The values present in the data: what filters can choose from."""

    countries: dict[str, str] = field(default_factory=dict)  # iso3 -> name, sorted by name
    regions: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    first_date: Optional[date] = None
    last_date: Optional[date] = None


@dataclass(frozen=True)
class Metrics:
    articles: int
    countries: int
    partnerships: int  # distinct country pairs
    usd: float  # money in USD that pairs reached (deal money with status actual, known rate)


def load_tables(con: Any, article_ids: Optional[Sequence[str]] = None) -> Tables:
    """Read the store's tables through a (read-only) DuckDB connection: every article's
    rows, or only those of `article_ids`."""
    one = article_ids is not None

    def q(sql: str, columns: list[str], alias: str = "") -> pd.DataFrame:
        if one:  # the WHERE goes before any ORDER BY
            head, _, tail = sql.partition(" ORDER BY")
            where = f" {'AND' if ' WHERE ' in head else 'WHERE'} list_contains($ids, {alias}article_id)"
            sql = head + where + (" ORDER BY" + tail if tail else "")
        return con.execute(sql, {"ids": list(article_ids or [])} if one else {}
                           ).df().reindex(columns=columns)

    articles = q(
        "SELECT article_id, doc, title, published, url, source, origin, added_at FROM articles",
        ARTICLE_COLUMNS,
    )
    mentions = q("SELECT article_id, iso3, name, mentions FROM countries", MENTION_COLUMNS)
    partnerships = q(
        "SELECT article_id, iso3_a, iso3_b, kind, status, sectors, places, organisations, grp,"
        " evidence, figures, event_date, event_granularity FROM partnerships"
        " ORDER BY article_id, idx",
        PARTNERSHIP_COLUMNS,
    )
    figures = q(
        'SELECT f.article_id, f.idx, f.kind, f.value, f.unit, f.what, f.qualifier, f.measure,'
        ' f.usd, f.text, f.sentence, s.text AS sentence_text, f.start, f."end" FROM figures f'
        ' LEFT JOIN sentences s ON s.article_id = f.article_id AND s.idx = f.sentence'
        ' ORDER BY f.article_id, f.idx',
        FIGURE_COLUMNS, "f.",
    )
    orgs = q(
        "SELECT DISTINCT article_id, name FROM entities WHERE kind = 'org'", ORG_COLUMNS
    )
    money = q("SELECT article_id, iso3_a, iso3_b, figure_idx, measure, status FROM deal_money"
              " ORDER BY article_id, idx, figure_idx", MONEY_COLUMNS)
    return Tables(articles, mentions, partnerships, figures, orgs, money)


def load_frames(con: Any, corrections: Sequence[Correction] = ()) -> Frames:
    """The page frames of the store behind `con`, with editors' corrections applied."""
    return build_frames(load_tables(con), corrections)


def search_articles(con: Any, text: str) -> frozenset[str]:
    """Ids of articles whose title or full text contains `text` (case-insensitive).

    Done in SQL so the article texts never have to sit in the dashboard's memory.
    """
    needle = _clean_text(text).lower()
    if not needle:
        return frozenset()
    rows = con.execute(
        "SELECT article_id FROM articles WHERE strpos(lower(coalesce(title, '') || chr(10) ||"
        " coalesce(text, '')), ?) > 0",
        [needle],
    ).fetchall()
    return frozenset(r[0] for r in rows)


def article_text(con: Any, article_id: str) -> Optional[dict[str, Any]]:
    """One article's stored row (with text), or None when it is not stored."""
    cur = con.execute(
        "SELECT article_id, doc, title, published, url, source, origin, text FROM articles"
        " WHERE article_id = ?",
        [article_id],
    )
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cur.description], row))


def article_spans(con: Any, article_id: str) -> pd.DataFrame:
    """Everything extracted from one article as text spans: start, end, kind, label.

    kind is country | figure | date | org | person; label says what was understood.
    """
    sql = """
        SELECT start, "end", 'country' AS kind, iso3 || coalesce(' via ' || place, '') AS label
          FROM mentions WHERE article_id = $id
        UNION ALL
        SELECT start, "end", 'figure', kind || ': ' || CAST(value AS VARCHAR)
               || coalesce(' ' || unit, '') || coalesce(' ' || what, '')
          FROM figures WHERE article_id = $id
        UNION ALL
        SELECT start, "end", 'date', value FROM dates WHERE article_id = $id
        UNION ALL
        SELECT start, "end", kind, name || coalesce(' (' || role || ')', '')
          FROM entities WHERE article_id = $id
        ORDER BY 1, 2
    """
    df = con.execute(sql, {"id": article_id}).df()
    df.columns = ["start", "end", "kind", "label"]
    return df


# --------------------------------------------------------------------------- derivation


def _as_list(value: Any) -> list:
    """DuckDB LIST cells arrive as numpy arrays, lists, None or NA."""
    if value is None:
        return []
    if isinstance(value, (list, tuple, np.ndarray)):
        return [v for v in value if v is not None and not (isinstance(v, float) and np.isnan(v))]
    try:
        if pd.isna(value):
            return []
    except (TypeError, ValueError):
        pass
    return [value]


def _join(values: Iterable[Any]) -> str:
    seen: dict[str, None] = {}
    for v in values:
        s = str(v).strip()
        if s:
            seen.setdefault(s, None)
    return LIST_SEP.join(seen)


def _places_text(value: Any) -> str:
    """`places` is JSON text {iso3: [city, ..]}; shown as "Astana; Shenzhen"."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    data = value
    if isinstance(value, str):
        try:
            data = json.loads(value)
        except ValueError:
            return value
    if isinstance(data, Mapping):
        return _join(p for v in data.values() for p in _as_list(v))
    return _join(_as_list(data))


@lru_cache(maxsize=65536)
def period_bounds(value: Optional[str]) -> tuple[Optional[pd.Timestamp], Optional[pd.Timestamp]]:
    """First and last day of a YYYY | YYYY-MM | YYYY-MM-DD period; (None, None) if not one."""
    if not isinstance(value, str):
        return None, None
    m = re.fullmatch(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*", value)
    if not m:
        return None, None
    y = int(m.group(1))
    try:
        if m.group(3):
            d = date(y, int(m.group(2)), int(m.group(3)))
            return pd.Timestamp(d), pd.Timestamp(d)
        if m.group(2):
            mo = int(m.group(2))
            last = calendar.monthrange(y, mo)[1]
            return pd.Timestamp(date(y, mo, 1)), pd.Timestamp(date(y, mo, last))
        return pd.Timestamp(date(y, 1, 1)), pd.Timestamp(date(y, 12, 31))
    except ValueError:
        return None, None


def _period_columns(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Start and end Timestamps (NaT when undated) of a column of period strings."""
    nat = np.iinfo(np.int64).min
    ns: dict[Any, tuple[int, int]] = {}
    for v in values.unique():
        a, b = period_bounds(v if isinstance(v, str) else None)
        ns[v] = (a.value, b.value) if a is not None else (nat, nat)
    pairs = np.array([ns[v] for v in values], dtype=np.int64).reshape(-1, 2)
    start = pd.Series(pairs[:, 0].view("datetime64[ns]"), index=values.index)
    end = pd.Series(pairs[:, 1].view("datetime64[ns]"), index=values.index)
    return start, end


def _date_str(value: Any) -> Optional[str]:
    if value is None or value is pd.NaT:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, str):
        return value[:10] or None
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def _country_name(iso3: str) -> str:
    try:
        from data_prep.extract.countries import country_name

        return country_name(iso3) or iso3
    except Exception:  # noqa: BLE001 - a name is decoration; never fail a page for it
        return iso3


def _country_region(iso3: str) -> str:
    try:
        from data_prep.extract.countries import country_region

        return country_region(iso3) or ""
    except Exception:  # noqa: BLE001
        return ""


def build_frames(tables: Tables, corrections: Sequence[Correction] = ()) -> Frames:
    """Derive the page frames (events, figures with pairs and dates) from the raw tables,
    with editors' corrections applied on top (see `corrections_apply.py`)."""
    money = tables.money if tables.money is not None else pd.DataFrame(columns=MONEY_COLUMNS)
    tables = Tables(*(_objects(df) for df in (tables.articles, tables.mentions,
                                              tables.partnerships, tables.figures, tables.orgs,
                                              money.reindex(columns=MONEY_COLUMNS))))
    arts = tables.articles.reindex(columns=ARTICLE_COLUMNS).copy()
    arts["published"] = pd.to_datetime(arts["published"], errors="coerce")
    arts = arts.drop_duplicates("article_id").reset_index(drop=True)
    title_of = dict(zip(arts["article_id"], arts["title"].where(arts["title"].notna(), arts["doc"])))
    published_of = dict(zip(arts["article_id"], arts["published"].map(_date_str)))

    mentions = tables.mentions.reindex(columns=MENTION_COLUMNS).copy()
    mentions = mentions[mentions["article_id"].isin(title_of)]
    names: dict[str, str] = {}
    for iso3, name in zip(mentions["iso3"], mentions["name"]):
        if isinstance(name, str) and name:
            names.setdefault(iso3, name)

    p, figs, money, unapplied = _corrected(tables, corrections, title_of)
    for iso3 in set(p["iso3_a"]).union(p["iso3_b"]):
        if iso3 not in names:
            names[iso3] = _country_name(iso3)
    mentions["name"] = mentions["iso3"].map(lambda c: names.get(c) or _country_name(c))
    regions = {c: _country_region(c) for c in names.keys() | set(mentions["iso3"])}
    mentions["region"] = mentions["iso3"].map(regions)

    links = _figure_links(p)
    events = _build_events(p, figs, links, title_of, published_of, names,
                           _actual_money(money, figs))
    figures = _build_figures(figs, events, links, title_of, published_of)

    orgs = pd.concat(
        [
            tables.orgs.reindex(columns=ORG_COLUMNS),
            events[["article_id", "org_list"]].explode("org_list")
            .rename(columns={"org_list": "name"}).dropna(),
        ],
        ignore_index=True,
    ).reindex(columns=ORG_COLUMNS)
    orgs = orgs.loc[orgs["name"].map(lambda s: isinstance(s, str) and bool(s.strip())).astype(bool)]
    orgs = orgs[orgs["article_id"].isin(title_of)].drop_duplicates().reset_index(drop=True)
    events["key"] = [f"{a}|{p}" for a, p in zip(events["article_id"], events["pair"])]
    figures["key"] = [f"{a}|{p or ''}" for a, p in zip(figures["article_id"], figures["pair"])]
    return Frames(*(_objects(df) for df in (arts, mentions.reset_index(drop=True), events,
                                            figures, orgs, _build_money(money, figs))),
                  unapplied=unapplied)


def _corrected(tables: Tables, corrections: Sequence[Correction],
               title_of: dict) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, frozenset]:
    """Partnerships, figures and money of the stored articles, corrections applied."""
    p = tables.partnerships.reindex(columns=PARTNERSHIP_COLUMNS)
    p = p[p["article_id"].isin(title_of)].reset_index(drop=True)
    figs = tables.figures.reindex(columns=FIGURE_COLUMNS)
    figs = figs[figs["article_id"].isin(title_of)].reset_index(drop=True)
    money = tables.money.reindex(columns=MONEY_COLUMNS)
    money = money[money["article_id"].isin(title_of)].reset_index(drop=True)
    done = apply_corrections(p, figs, money, corrections)
    figs = done.figures
    figs["usd"] = pd.to_numeric(figs["usd"], errors="coerce")
    figs["value"] = pd.to_numeric(figs["value"], errors="coerce")
    return done.partnerships, figs, done.money, done.unapplied


def _build_money(money: pd.DataFrame, figs: pd.DataFrame) -> pd.DataFrame:
    """One row per money item (a pair's money figure) with the figure's text and amounts."""
    if money.empty:
        return pd.DataFrame(columns=MONEY_FRAME_COLUMNS)
    out = money.astype({"figure_idx": "float64"}).merge(
        figs[["article_id", "idx", "text", "value", "unit", "usd"]].astype({"idx": "float64"}),
        left_on=["article_id", "figure_idx"], right_on=["article_id", "idx"], how="inner")
    out["figure_idx"] = out["figure_idx"].astype("int64")
    out["pair"] = [f"{a}{PAIR_SEP}{b}" for a, b in zip(out["iso3_a"], out["iso3_b"])]
    out["key"] = [f"{a}|{p}" for a, p in zip(out["article_id"], out["pair"])]
    return out.reindex(columns=MONEY_FRAME_COLUMNS).reset_index(drop=True)


def _objects(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns as plain object dtype: pandas' Arrow strings are slow in `isin`, which
    every filter uses."""
    text_cols = [c for c in df.columns if pd.api.types.is_string_dtype(df[c])
                 and df[c].dtype != object]
    return df.astype({c: object for c in text_cols}) if text_cols else df


def _figure_links(p: pd.DataFrame) -> pd.DataFrame:
    """One row per (partnership row, cited figure index): event, article_id, idx."""
    links = pd.DataFrame({"event": p.index, "article_id": p["article_id"],
                          "idx": p["figures"].map(_as_list)}).explode("idx")
    links["idx"] = pd.to_numeric(links["idx"], errors="coerce")
    return links.dropna(subset=["idx"]).astype({"idx": "int64"}).reset_index(drop=True)


def _actual_money(deal_money: pd.DataFrame, figs: pd.DataFrame) -> dict[tuple[str, str, str], float]:
    """USD of the money each pair reached in each article, (article_id, iso3_a, iso3_b) ->
    sum: planned amounts (targets, forecasts) are never added to what happened."""
    dm = deal_money.reindex(columns=MONEY_COLUMNS)
    dm = dm[dm["status"] == "actual"]
    if dm.empty:
        return {}
    dm = dm.assign(idx=pd.to_numeric(dm["figure_idx"], errors="coerce"))
    joined = dm.merge(figs[["article_id", "idx", "usd"]], on=["article_id", "idx"], how="inner")
    sums = joined.groupby(["article_id", "iso3_a", "iso3_b"])["usd"].sum(min_count=1)
    return {k: float(v) for k, v in sums.items() if pd.notna(v)}


def _build_events(p: pd.DataFrame, figs: pd.DataFrame, links: pd.DataFrame, title_of: dict,
                  published_of: dict, names: dict[str, str],
                  actual_money: Optional[dict] = None) -> pd.DataFrame:
    if p.empty:
        return pd.DataFrame(columns=EVENT_COLUMNS)
    ev = pd.DataFrame({"article_id": p["article_id"]})
    ab = [sorted((str(a), str(b))) for a, b in zip(p["iso3_a"], p["iso3_b"])]
    ev["title"] = ev["article_id"].map(title_of)
    ev["published"] = ev["article_id"].map(published_of)
    ev["iso3_a"] = [x[0] for x in ab]
    ev["iso3_b"] = [x[1] for x in ab]
    ev["pair"] = [f"{a}{PAIR_SEP}{b}" for a, b in ab]
    ev["name_a"] = ev["iso3_a"].map(names)
    ev["name_b"] = ev["iso3_b"].map(names)
    ev["kind"] = p["kind"]
    ev["status"] = p["status"]
    ev["sector_list"] = p["sectors"].map(_as_list)
    ev["org_list"] = p["organisations"].map(_as_list)
    ev["sectors"] = ev["sector_list"].map(_join)
    ev["organisations"] = ev["org_list"].map(_join)
    places = {v: _places_text(v) for v in p["places"].dropna().unique()}
    ev["places"] = [places.get(v, "") if isinstance(v, str) else "" for v in p["places"]]
    ev["evidence"] = p["evidence"].fillna("")
    ev["corrected"] = p["corrected"].fillna("")

    linked = links.merge(figs[["article_id", "idx", "text", "usd", "kind"]],
                         on=["article_id", "idx"], how="inner")
    texts: dict[Any, list[str]] = {}
    for event, text in zip(linked["event"], linked["text"]):
        texts.setdefault(event, []).append(text)
    ev["figures_text"] = [_join(texts.get(i, ())) for i in ev.index]
    money = dict(actual_money or {})  # popped: a pair's money counts once per article
    ev["usd"] = [money.pop((a, x, y), 0.0) for a, x, y in zip(ev["article_id"], ev["iso3_a"], ev["iso3_b"])]

    dates = [d if isinstance(d, str) and period_bounds(d)[0] is not None else published_of.get(a)
             for d, a in zip(p["event_date"], p["article_id"])]
    ev["event_date"] = dates
    ev["event_granularity"] = [granularity_of(d) for d in dates]
    ev["event_start"], ev["event_end"] = _period_columns(ev["event_date"])
    return ev.reindex(columns=EVENT_COLUMNS).reset_index(drop=True)


def _build_figures(figs: pd.DataFrame, events: pd.DataFrame, links: pd.DataFrame,
                   title_of: dict, published_of: dict) -> pd.DataFrame:
    """Figures with their article title, sentence, pair and date.

    A figure belongs to the first partnership of its article that cites it (None when no
    partnership does) and is dated by that partnership's event date, else by publication.
    """
    out = figs.copy()
    out["title"] = out["article_id"].map(title_of)
    first = links.drop_duplicates(["article_id", "idx"])
    if not events.empty and not first.empty:
        first = first.assign(pair=first["event"].map(events["pair"]),
                             event_date=first["event"].map(events["event_date"]))
        out = out.merge(first[["article_id", "idx", "pair", "event_date"]],
                        on=["article_id", "idx"], how="left")
    else:
        out["pair"] = None
        out["event_date"] = None
    out["pair"] = out["pair"].astype(object).where(out["pair"].notna(), None)
    fallback = out["article_id"].map(published_of)
    out["event_date"] = out["event_date"].astype(object).where(out["event_date"].notna(), fallback)
    out["event_date"] = out["event_date"].astype(object).where(out["event_date"].notna(), None)
    out["event_granularity"] = out["event_date"].map(granularity_of)
    out["event_start"], out["event_end"] = _period_columns(out["event_date"])
    return out.reindex(columns=FIGURE_FRAME_COLUMNS + ["event_end", "idx", "sentence"]
                       ).reset_index(drop=True)


# --------------------------------------------------------------------------- filtering


def _clean_text(s: Any) -> str:
    if not isinstance(s, str):
        return ""
    s = "".join(ch for ch in s if ch.isprintable() or ch == " ")
    return " ".join(s.split())[:200]


def _overlaps(start: pd.Series, end: pd.Series, lo: Optional[date], hi: Optional[date]) -> pd.Series:
    """Periods [start, end] that meet [lo, hi]; undated periods never do."""
    ok = start.notna()
    if lo is not None:
        ok &= end >= pd.Timestamp(lo)
    if hi is not None:
        ok &= start <= pd.Timestamp(hi)
    return ok


def _contains(series: pd.Series, needle: str) -> pd.Series:
    return series.fillna("").astype(str).str.lower().str.contains(needle, regex=False)


def apply_filters(frames: Frames, flt: Filters,
                  text_matches: Optional[Iterable[str]] = None) -> Frames:
    """The frames narrowed to what `flt` selects (see `Filters` for what each field means).

    `text_matches`: article ids whose full text contains `flt.q` (from `search_articles`);
    without it the text search looks at titles, evidence sentences and figure sentences.
    This is the reference the SQL scope (`sql.scope`) is tested against.
    """
    if flt.is_empty():
        return frames
    keep = _articles_kept(frames, flt, text_matches)
    e = _events_kept(frames, flt)
    if flt.date_from or flt.date_to:
        keep &= _dated_articles(frames, flt) | frames.articles["article_id"].isin(
            frames.events.loc[e, "article_id"])
    ids = frames.articles["article_id"]
    events = frames.events[e & frames.events["article_id"].isin(ids[keep])]
    if flt.pair_level():
        keep &= ids.isin(events["article_id"])
    kept = set(ids[keep])
    events = events[events["article_id"].isin(kept)]
    return _narrowed(frames, keep, kept, events, _figures_kept(frames, flt, kept, events))


def _articles_kept(frames: Frames, flt: Filters, text_matches: Optional[Iterable[str]]) -> pd.Series:
    """Per article row: kept by the article-level filters (countries, region, organisation, text)."""
    arts, men, orgs = frames.articles, frames.mentions, frames.orgs
    ids = arts["article_id"]
    keep = pd.Series(True, index=arts.index)
    if flt.countries:
        keep &= ids.isin(men.loc[men["iso3"].isin(flt.countries), "article_id"])
    if flt.region:
        keep &= ids.isin(men.loc[men["region"] == flt.region, "article_id"])
    if flt.organisation:
        wanted = flt.organisation.casefold()
        keep &= ids.isin(orgs.loc[orgs["name"].str.casefold() == wanted, "article_id"])
    needle = _clean_text(flt.q).lower()
    if needle:
        keep &= ids.isin(_text_hits(frames, needle) if text_matches is None else set(text_matches))
    return keep


def _text_hits(frames: Frames, needle: str) -> set[str]:
    """Articles whose title, evidence or figure sentences contain `needle` (no full text at hand)."""
    arts, ev, figs = frames.articles, frames.events, frames.figures
    hit = set(arts.loc[_contains(arts["title"], needle), "article_id"])
    hit |= set(ev.loc[_contains(ev["evidence"], needle), "article_id"])
    return hit | set(figs.loc[_contains(figs["sentence_text"], needle), "article_id"])


def _events_kept(frames: Frames, flt: Filters) -> pd.Series:
    """Per event row: kept by the pair-level filters and the date range (articles aside)."""
    ev, men = frames.events, frames.mentions
    e = pd.Series(True, index=ev.index)
    a_side, b_side = ev["iso3_a"], ev["iso3_b"]
    countries, partners = set(flt.countries), set(flt.partner)
    if countries:
        e &= a_side.isin(countries) | b_side.isin(countries)
    if partners and countries:  # one side a partner, the other a chosen country
        e &= (a_side.isin(partners) & b_side.isin(countries)) | (
            b_side.isin(partners) & a_side.isin(countries))
    elif partners:
        e &= a_side.isin(partners) | b_side.isin(partners)
    if flt.region:
        region_of = dict(zip(men["iso3"], men["region"]))
        e &= (a_side.map(region_of) == flt.region) | (b_side.map(region_of) == flt.region)
    if flt.kind:
        e &= ev["kind"].isin(flt.kind)
    if flt.sector:
        wanted = {s.casefold() for s in flt.sector}
        e &= ev["sector_list"].map(lambda xs: any(str(x).casefold() in wanted for x in xs))
    if flt.date_from or flt.date_to:
        e &= _in_range(ev, flt)
    return e


def _in_range(rows: pd.DataFrame, flt: Filters) -> pd.Series:
    """Rows (events or figures) whose period meets the date range, or undated ones if kept."""
    return _overlaps(rows["event_start"], rows["event_end"], flt.date_from, flt.date_to) | (
        flt.undated & rows["event_start"].isna())


def _dated_articles(frames: Frames, flt: Filters) -> pd.Series:
    """Per article row: published within the date range (or undated, when those are kept)."""
    pub = frames.articles["published"]
    return _overlaps(pub, pub, flt.date_from, flt.date_to) | (flt.undated & _undated(frames))


def _figures_kept(frames: Frames, flt: Filters, kept: set, events: pd.DataFrame) -> pd.Series:
    """Per figure row: of a kept article, with its pair kept (a pair's figure goes with its
    pair), and within the date range."""
    figs = frames.figures
    f = figs["article_id"].isin(kept)
    if flt.pair_level() or flt.countries or flt.region:
        has_pair = figs["pair"].notna()
        f &= has_pair & figs["key"].isin(events["key"]) | ~has_pair & (not flt.pair_level())
    if flt.date_from or flt.date_to:
        f &= _in_range(figs, flt)
    return f


def _narrowed(frames: Frames, keep: pd.Series, kept: set, events: pd.DataFrame,
              f: pd.Series) -> Frames:
    """The frames cut to the kept articles, events and figures (and what hangs off them)."""
    def of_kept(df: pd.DataFrame) -> pd.DataFrame:
        return df[df["article_id"].isin(kept)].reset_index(drop=True)

    return Frames(
        articles=frames.articles[keep].reset_index(drop=True),
        mentions=of_kept(frames.mentions),
        events=events.reset_index(drop=True),
        figures=frames.figures[f].reset_index(drop=True),
        orgs=of_kept(frames.orgs),
        money=frames.money[frames.money["key"].isin(events["key"])].reset_index(drop=True),
        unapplied=frames.unapplied,
    )


# --------------------------------------------------------------------------- aggregation


def _undated(frames: Frames) -> pd.Series:
    """Per article row: True when neither its publication nor any of its events has a date."""
    arts, ev = frames.articles, frames.events
    dated_events = set(ev.loc[ev["event_start"].notna(), "article_id"])
    return arts["published"].isna() & ~arts["article_id"].isin(dated_events)


def undated_left_out(frames: Frames, flt: Filters) -> int:
    """How many undated articles a date range leaves out (0 without one, or when they are kept)."""
    if not (flt.date_from or flt.date_to) or flt.undated:
        return 0
    return int(_undated(frames).sum())


def money_by_measure(frames: Frames) -> pd.DataFrame:
    """USD of pair money by what it measures, reached and planned apart (never added up):
    columns measure (label), reached, planned, items; measures in a fixed order, empty ones
    left out."""
    d = frames.money
    rows = []
    for measure, label in MONEY_MEASURE_LABELS.items():
        part = d[d["measure"] == measure]
        if part.empty:
            continue
        usd = pd.to_numeric(part["usd"], errors="coerce")
        rows.append({"measure": label,
                     "reached": float(usd[part["status"] == "actual"].sum()),
                     "planned": float(usd[part["status"] == "planned"].sum()),
                     "items": int(len(part))})
    return pd.DataFrame(rows, columns=["measure", "reached", "planned", "items"])


def vocabulary(frames: Frames) -> Vocabulary:
    """The choices the filters offer, from the (unfiltered) data."""
    countries = dict(sorted(_names(frames).items(), key=lambda kv: kv[1].casefold()))
    regions = sorted({r for r in frames.mentions["region"] if isinstance(r, str) and r})
    kinds = sorted({k for k in frames.events["kind"] if isinstance(k, str) and k},
                   key=lambda k: (KINDS.index(k) if k in KINDS else len(KINDS), k))
    sectors = sorted({str(s) for xs in frames.events["sector_list"] for s in xs if str(s)})
    org_names = sorted({o for o in frames.orgs["name"] if isinstance(o, str)}, key=str.casefold)
    starts = pd.concat([frames.articles["published"], frames.events["event_start"]]).dropna()
    first = starts.min().date() if not starts.empty else None
    last = starts.max().date() if not starts.empty else None
    return Vocabulary(countries, tuple(regions), tuple(kinds), tuple(sectors), tuple(org_names),
                      first, last)


def overview_metrics(frames: Frames) -> Metrics:
    money = frames.events["usd"]  # what pairs reached; no targets, no one country's totals
    countries = set(frames.mentions["iso3"]) | set(frames.events["iso3_a"]) | set(frames.events["iso3_b"])
    return Metrics(
        articles=int(frames.articles["article_id"].nunique()),
        countries=len(countries),
        partnerships=int(frames.events["pair"].nunique()),
        usd=float(money.sum(min_count=1)) if money.notna().any() else 0.0,
    )


def country_stats(frames: Frames) -> pd.DataFrame:
    """Per country: articles mentioning it, partnerships (the distinct partner pairs it is in:
    the one definition of the dashboard, as on the overview), USD of those."""
    cols = ["iso3", "name", "articles", "partnerships", "usd", "region"]
    men, ev = frames.mentions, frames.events
    sides = pd.concat([
        ev[["article_id", "iso3_a", "iso3_b", "usd"]].rename(columns={"iso3_a": "iso3", "iso3_b": "other"}),
        ev[["article_id", "iso3_b", "iso3_a", "usd"]].rename(columns={"iso3_b": "iso3", "iso3_a": "other"}),
    ], ignore_index=True)
    if men.empty and sides.empty:
        return pd.DataFrame(columns=cols)
    arts = men.groupby("iso3")["article_id"].nunique().rename("articles")
    agg = sides.groupby("iso3").agg(partnerships=("other", "nunique"), usd=("usd", "sum"))
    out = pd.concat([arts, agg], axis=1).fillna(0)
    out.index.name = "iso3"
    out = out.reset_index()
    names = _names(frames)
    region_of = dict(zip(men["iso3"], men["region"]))
    out["name"] = out["iso3"].map(lambda c: names.get(c) or _country_name(c))
    out["region"] = out["iso3"].map(lambda c: region_of.get(c) or _country_region(c))
    out = out.astype({"articles": int, "partnerships": int, "usd": float})
    return out.reindex(columns=cols).sort_values(
        ["partnerships", "articles", "iso3"], ascending=[False, False, True]).reset_index(drop=True)


def _names(frames: Frames) -> dict[str, str]:
    """ISO3 -> country name for every country in the frames (the code when no name is known)."""
    names = dict(zip(frames.mentions["iso3"], frames.mentions["name"]))
    names.update(zip(frames.events["iso3_a"], frames.events["name_a"]))
    names.update(zip(frames.events["iso3_b"], frames.events["name_b"]))
    return {k: (v if isinstance(v, str) and v else k) for k, v in names.items() if isinstance(k, str)}


def pair_stats(frames: Frames) -> pd.DataFrame:
    """One row per country pair: articles, total USD, kinds, sectors, first and last date."""
    cols = ["iso3_a", "iso3_b", "name_a", "name_b", "pair", "articles", "usd", "money", "kinds",
            "sectors", "first_date", "last_date"]
    ev = frames.events
    if ev.empty:
        return pd.DataFrame(columns=cols)
    keys = ["iso3_a", "iso3_b"]
    out = ev.groupby(keys).agg(
        name_a=("name_a", "first"), name_b=("name_b", "first"), pair=("pair", "first"),
        articles=("article_id", "nunique"), usd=("usd", "sum"))
    kinds = ev[keys + ["kind"]].dropna().drop_duplicates().sort_values("kind")
    out["kinds"] = kinds.groupby(keys)["kind"].agg(LIST_SEP.join)
    sectors = ev[keys + ["sector_list"]].explode("sector_list").dropna()
    sectors = sectors.astype({"sector_list": str}).drop_duplicates().sort_values("sector_list")
    out["sectors"] = sectors.groupby(keys)["sector_list"].agg(LIST_SEP.join)
    dated = ev[ev["event_start"].notna()].sort_values("event_start", kind="stable")
    by_date = dated.groupby(keys)["event_date"]
    out["first_date"], out["last_date"] = by_date.first(), by_date.last()
    out = out.reset_index()
    money = _money_texts(frames.money, "pair")
    out["money"] = [money.get(p, "") for p in out["pair"]]
    out[["kinds", "sectors"]] = out[["kinds", "sectors"]].fillna("")
    out = out.astype({"articles": int, "usd": float})
    out = out.astype({c: object for c in ("first_date", "last_date")})
    out[["first_date", "last_date"]] = out[["first_date", "last_date"]].where(
        out[["first_date", "last_date"]].notna(), None)
    return out.reindex(columns=cols).sort_values(
        ["articles", "usd", "pair"], ascending=[False, False, True]).reset_index(drop=True)


def latest_articles(frames: Frames, n: int = 10) -> pd.DataFrame:
    """The newest articles first (undated ones last), with the countries they name."""
    arts = frames.articles.sort_values(["published", "added_at"], ascending=False, na_position="last")
    out = arts.head(max(0, int(n)))
    men = frames.mentions[frames.mentions["article_id"].isin(out["article_id"])]
    names = men.sort_values("mentions", ascending=False, kind="stable").groupby("article_id")["name"].agg(_join)
    out = out.assign(countries=out["article_id"].map(names).fillna(""))
    out["published"] = pd.Series([_date_str(v) for v in out["published"]], index=out.index,
                                 dtype=object)
    return out[["article_id", "published", "title", "doc", "countries"]].reset_index(drop=True)


def _money_texts(deals: pd.DataFrame, by: str) -> dict[str, str]:
    """'$24.2 billion trade; $40 billion trade (planned)' per `by` value (key or pair)."""
    out: dict[str, list[str]] = {}
    for k, text, measure, status in zip(deals[by], deals["text"], deals["measure"], deals["status"]):
        label = f"{' '.join(str(text).split())} {measure}" + (" (planned)" if status == "planned" else "")
        if label not in out.setdefault(k, []):
            out[k].append(label)
    return {k: LIST_SEP.join(v) for k, v in out.items()}


def partnership_table(frames: Frames) -> pd.DataFrame:
    """The Partnerships page's table: one row per article and pair, what a user reads."""
    ev = frames.events
    money = _money_texts(frames.money, "key")
    return pd.DataFrame({
        "date": ev["event_date"], "pair": ev["pair"], "countries": ev["name_a"] + " – " + ev["name_b"],
        "kind": ev["kind"], "status": ev["status"], "sectors": ev["sectors"],
        "organisations": ev["organisations"], "places": ev["places"], "figures": ev["figures_text"],
        "money": [money.get(k, "") for k in ev["key"]],
        "usd": ev["usd"], "evidence": ev["evidence"], "title": ev["title"],
        "published": ev["published"], "corrected": ev["corrected"],
        "article_id": ev["article_id"],
    }).reset_index(drop=True)


def search_table(df: pd.DataFrame, text: str) -> pd.DataFrame:
    """Rows where any text cell contains `text` (case-insensitive); all rows when it is empty."""
    needle = _clean_text(text).lower()
    if not needle or df.empty:
        return df
    hit = pd.Series(False, index=df.index)
    for col in df.columns:
        if df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
            hit |= _contains(df[col], needle)
    return df[hit]
