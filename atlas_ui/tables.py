"""How a table is presented: its columns' human labels, widths and number formats, on the
screen (`show`) and in downloads (`for_download`). Pages name a table spec from here and
never write column labels or formats themselves.

On the screen, numbers are written by `atlas_ui.numbers` (no precision rounded away, "–"
where a value is missing, money with its currency); money is shown as text because
Streamlit's compact format rounds $24.2 bn to "24B". Key columns come first and long text
gets room and wraps (taller rows), so what matters is visible at 1440 px without scrolling
sideways. Downloads keep numbers as numbers, with a currency column beside each amount.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

import pandas as pd

from atlas_ui import inert, numbers

# How a column is shown: text (short), long (wrapped text given room), usd (money in US
# dollars), value (a figure's value: its kind and unit columns say how), count (whole number),
# date (ISO text: 2024, 2024-03, 2024-03-05), pair (a pair's codes, shown as a link to its
# page), url (an article's own address: a link only when it is a safe http(s) address).
KINDS = ("text", "long", "usd", "value", "count", "date", "pair", "url")
PAIR_LINK = "pair_page"  # the screen's column that carries a pair column's link
ROW_HEIGHT_WRAPPED = 70  # px: three lines; Streamlit wraps cell text only in rows over 4rem (64 px)
_WIDTHS = {"text": 110, "long": 320, "usd": 145, "value": 110, "count": 80, "date": 95,
           "pair": 80, "url": 110}
_PAIR_TEXT = r"pair=([A-Z]{3}-[A-Z]{3})"  # the link shows the pair's codes
_URL_TEXT = r"https?://(?:www\.)?([^/?#]+)"  # the link shows the site's name
SOURCE_KEYS = ("source", "url", "sources", "links")  # looked up for the rows shown or downloaded
PAIR_HELP = "Open the page of this pair: its timeline, money, figures, people and sources"
URL_HELP = "The article's own address"
SOURCE_HELP = "Publisher or source of the article when it came with one, else its file"
SOURCES_HELP = ("Publishers or sources of the pair's articles when they came with one, else "
                "their files")


def _source_columns() -> tuple["Column", "Column"]:
    """Where a row's article came from, and its address: in every table of article rows."""
    return Column("source", "Source", width=140, help=SOURCE_HELP), Column("url", "Link", "url")


@dataclass(frozen=True)
class Column:
    """One column of a table: the frame's column `key`, its label, how it is shown."""

    key: str
    label: str
    kind: str = "text"
    width: Optional[int] = None  # px; None: the kind's default
    help: Optional[str] = None

    @property
    def px(self) -> int:
        return self.width or _WIDTHS[self.kind]


@dataclass(frozen=True)
class Table:
    """The columns of one table in the order shown; `wrap` gives rows room for long text."""

    columns: tuple[Column, ...]
    wrap: bool = False

    def labels(self) -> dict[str, str]:
        return {c.key: c.label for c in self.columns}

    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def query_labels(self) -> dict[str, str]:
        """The labels of the columns a page's query gives: an article's source and link are
        looked up for the rows shown (`layout.with_source_links`), not asked of every row."""
        return {k: v for k, v in self.labels().items() if k not in SOURCE_KEYS}


USD_HELP = ("Money the articles tie to the pair and report as reached (no targets), in US "
            "dollars at the article's date")


FIGURE_USD_HELP = "The amount in US dollars at the article's date"


def _usd(key: str = "usd", label: str = "Money reached (USD)", hint: str = USD_HELP) -> Column:
    return Column(key, label, "usd", None, hint)


PARTNERSHIPS_BY_ARTICLE = Table((  # the first six fit the 980 px of a 1440 px screen
    Column("pair", "Pair", "pair", width=80), Column("date", "Date", "date", width=90),
    Column("kind", "Kind", width=90),
    Column("evidence", "Evidence", "long", width=330,
           help="The sentences that say the two countries cooperate"),
    Column("figures", "Figures", "long", width=150, help="The figures in those sentences"),
    _usd(), Column("status", "Status", width=85),
    Column("money", "Money tied to the pair", "long", width=180,
           help="Each amount with what it measures; (planned) for targets and forecasts"),
    Column("countries", "Countries", width=170), Column("sectors", "Sectors", "long", width=180),
    Column("organisations", "Organisations", "long", width=240), Column("places", "Places", width=140),
    Column("title", "Article", "long", width=260), Column("published", "Published", "date"),
    Column("source", "Source", width=140, help=SOURCE_HELP), Column("url", "Link", "url"),
    Column("corrected", "Corrected", width=150),
), wrap=True)

OVERVIEW_PAIRS = Table((  # 3/5 of 980 px on the overview, half on the Map page
    Column("pair", "Pair", "pair", width=80), Column("articles", "Articles", "count", width=70),
    _usd(), Column("kinds", "Kinds", width=140), Column("last_date", "Last", "date"),
    Column("first_date", "First", "date"), Column("money", "Money tied to the pair", "long", width=240),
))

PARTNER_PAIRS = Table((
    Column("pair", "Pair", "pair", width=80), Column("name_a", "Country", width=120),
    Column("name_b", "Partner", width=120), Column("articles", "Articles", "count"),
    _usd(), Column("money", "Money tied to the pair", "long", width=240),
    Column("kinds", "Kinds", width=150), Column("first_date", "First", "date"),
    Column("last_date", "Last", "date"), Column("sectors", "Sectors", "long", width=260),
    Column("sources", "Sources", "long", width=240, help=SOURCES_HELP),
    Column("links", "Links", "long", width=240, help="The addresses of the pair's articles"),
), wrap=True)

COUNTRIES = Table((  # half of 980 px on the Map page: the five first fit 480 px
    Column("name", "Country", width=120), Column("iso3", "ISO3", width=50),
    Column("articles", "Articles", "count", width=70, help="Articles that name the country"),
    Column("partnerships", "Partnerships", "count", width=95,
           help="Distinct partner pairs the country is in"),
    _usd(label="Pairs' money (USD)"),
    Column("region", "Region", width=150),
))

FIGURES = Table((  # the first seven fit the 980 px of a 1440 px screen
    Column("kind", "Kind", width=70), Column("text", "As written", "long", width=150),
    Column("value", "Value", "value", width=100, help="In full units: 21 billion is 21,000,000,000"),
    _usd("usd", "In USD", FIGURE_USD_HELP), Column("pair", "Pair", "pair", width=80),
    Column("event_date", "Date", "date", width=90),
    Column("sentence_text", "Sentence", "long", width=330),
    Column("unit", "Currency or unit", width=80), Column("what", "Counts", width=100),
    Column("measure", "Measures", width=120), Column("title", "Article", "long", width=240),
    Column("source", "Source", width=140, help=SOURCE_HELP), Column("url", "Link", "url"),
    Column("qualifier", "Qualifier", width=90),
), wrap=True)

MONEY_BY_MEASURE = Table((
    Column("measure", "Measure", width=120),
    _usd("reached", "Reached (USD)"),
    Column("planned", "Planned or target (USD)", "usd", width=170,
           help="Goals, forecasts, proposals and requests: never added to what was reached"),
    Column("items", "Amounts", "count"),
))

LATEST_ARTICLES = Table((
    Column("published", "Published", "date"), Column("title", "Title", "long", width=520),
    Column("countries", "Countries", width=200), Column("source", "Source", width=140, help=SOURCE_HELP), Column("url", "Link", "url"),
    Column("doc", "File", width=200),
), wrap=True)

ARTICLE_COUNTRIES = Table((
    Column("name", "Country", width=130), Column("iso3", "ISO3", width=55),
    Column("mentions", "Mentions", "count"),
))

# The Articles page shows these beside the text (2/5 of 980 px): the key columns fit 385 px.
ARTICLE_PARTNERSHIPS = Table((
    Column("pair", "Pair", "pair", width=75), Column("evidence", "Evidence", "long", width=300),
    Column("kind", "Kind", width=95), Column("status", "Status", width=85),
    Column("event_date", "Date", "date"), Column("sectors", "Sectors", "long", width=160),
    Column("organisations", "Organisations", "long", width=220), Column("corrected", "Corrected"),
), wrap=True)

ARTICLE_FIGURES = Table((
    Column("text", "As written", "long", width=140), Column("value", "Value", "value", width=95),
    Column("usd", "In USD", "usd", 140, FIGURE_USD_HELP), Column("kind", "Kind", width=70),
    Column("unit", "Currency or unit", width=80), Column("what", "Counts", width=100),
    Column("pair", "Pair", "pair", width=80), Column("corrected", "Corrected"),
), wrap=True)


TIMELINE_EVENTS = Table((
    Column("pair", "Pair", "pair", width=80), Column("event_date", "Date", "date"),
    Column("kind", "Kind", width=95), Column("status", "Status", width=85),
    Column("title", "Article", "long", width=260), Column("published", "Published", "date"),
    Column("figures_text", "Figures", "long", width=150), _usd(),
    Column("sectors", "Sectors", "long", width=180), *_source_columns(),
))

FIGURES_OVER_TIME = Table((
    Column("when", "Date", "date"), Column("series", "Series (pair · measure)", width=200),
    Column("y", "Value (USD for money)", "count"), Column("text", "As written", width=150),
    Column("sentence_text", "Sentence", "long", width=380),
    Column("title", "Article", "long", width=240), *_source_columns(),
))


PAIR_MONEY = Table((  # the pair page: each amount tied to the pair
    Column("date", "Date", "date"), Column("measure", "Measure", width=110),
    Column("status", "Reached or planned", width=130), Column("text", "As written", "long", width=150),
    _usd("usd", "In USD", FIGURE_USD_HELP), Column("title", "Article", "long", width=300),
    *_source_columns(),
), wrap=True)

PAIR_FIGURES = Table((
    Column("date", "Date", "date"), Column("kind", "Kind", width=70),
    Column("text", "As written", "long", width=140), Column("measure", "Measures", width=110),
    _usd("usd", "In USD", FIGURE_USD_HELP), Column("sentence_text", "Sentence", "long", width=360),
    Column("title", "Article", "long", width=240), *_source_columns(),
), wrap=True)

PAIR_PEOPLE = Table((
    Column("name", "Name", "long", width=260), Column("kind", "Is a", width=110),
    Column("country", "Country", width=130), Column("role", "Role", "long", width=200),
    Column("articles", "Articles", "count"),
), wrap=True)

PAIR_SOURCES = Table((
    Column("published", "Published", "date"), Column("title", "Title", "long", width=420),
    Column("source", "Source", width=160, help=SOURCE_HELP), Column("url", "Link", "url"),
    Column("doc", "File", width=200),
), wrap=True)


FIGURE_COUNTS = Table((
    Column("kind", "Kind", width=80), Column("detail", "Currency or what is counted", width=200),
    Column("figures", "Figures", "count"),
))


CORRECTIONS = Table((
    Column("at", "When (UTC)", width=150), Column("editor", "Editor", width=100),
    Column("action", "Change", width=120), Column("pair", "Pair", "pair", width=80),
    Column("item", "Item", "long", width=150), Column("before", "Before", "long", width=130),
    Column("after", "After", "long", width=130), Column("state", "State", width=110),
    Column("reason", "Reason", "long", width=200), Column("title", "Article", "long", width=240),
    Column("source", "Source", width=140, help=SOURCE_HELP), Column("url", "Link", "url"),
    Column("id", "Correction id", width=130), Column("article_id", "Article id", width=140),
), wrap=True)


def _text(value: Any) -> Optional[str]:
    """A cell as text for the screen; None (shown as "–") for missing or empty."""
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
    if isinstance(value, (list, tuple, set)):
        value = "; ".join(str(v) for v in value)
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    text = str(value).strip()
    return text or None


def display_frame(df: pd.DataFrame, table: Table) -> pd.DataFrame:
    """The table's columns (those `df` has), numbers written by `numbers`, empty text None."""
    out = pd.DataFrame(index=df.index)
    for col in table.columns:
        if col.key not in df.columns:
            continue
        values = df[col.key]
        if col.kind == "usd":
            out[col.key] = [numbers.usd(v) for v in values]
        elif col.kind == "value":
            kinds = df["kind"] if "kind" in df.columns else pd.Series(None, index=df.index)
            units = df["unit"] if "unit" in df.columns else pd.Series(None, index=df.index)
            out[col.key] = [numbers.figure(v, k, u) for v, k, u in zip(values, kinds, units)]
        elif col.kind == "count":  # stays a number (sorts as one); missing shows "–"
            out[col.key] = pd.to_numeric(values, errors="coerce").to_numpy()
        elif col.kind == "pair":  # the codes stay; the screen shows the link beside them
            out[col.key] = [_text(v) for v in values]
            out[PAIR_LINK] = [pair_link(v) for v in values]
        elif col.kind == "url":
            out[col.key] = [inert.safe_url(v) if isinstance(v, str) else None for v in values]
        else:
            out[col.key] = [_text(v) for v in values]
    return out.reset_index(drop=True)


def column_config(table: Table) -> dict[str, Any]:
    """Streamlit column settings: label, width in px, help; amounts aligned right; counts
    stay numbers in a plain, localised format (1,234: never rounded to "1.2K")."""
    import streamlit as st

    config: dict[str, Any] = {}
    for col in table.columns:
        if col.kind == "count":
            config[col.key] = st.column_config.NumberColumn(
                col.label, width=col.px, help=col.help, format="localized")
            continue
        if col.kind in ("pair", "url"):
            key = PAIR_LINK if col.kind == "pair" else col.key
            config[key] = st.column_config.LinkColumn(
                col.label, width=col.px,
                help=col.help if col.help else (PAIR_HELP if col.kind == "pair" else URL_HELP),
                display_text=_PAIR_TEXT if col.kind == "pair" else _URL_TEXT)
            continue
        right = col.kind in ("usd", "value")
        config[col.key] = st.column_config.TextColumn(
            col.label, width=col.px, help=col.help, alignment="right" if right else None)
    return config


def pair_link(pair: Any) -> Optional[str]:
    """The link to the page of a pair written as the tables write it ("CHN–KAZ"), else None."""
    from data_prep.queries import PAIR_SEP

    from atlas_ui import filters

    parts = pair.split(PAIR_SEP) if isinstance(pair, str) else []
    return filters.pair_url(*parts) if len(parts) == 2 else None


def _order(table: Table, shown: pd.DataFrame) -> list[str]:
    """The columns on the screen: a pair column is shown as its link."""
    keys = [PAIR_LINK if c.kind == "pair" else c.key for c in table.columns]
    return [k for k in keys if k in shown.columns]


def show(df: pd.DataFrame, table: Table, key: str, **kwargs: Any) -> Any:
    """Draw `df` as `table` says: human labels, widths, "–" for missing values."""
    import streamlit as st

    shown = display_frame(df, table)
    return st.dataframe(
        shown, hide_index=True, key=key, column_config=column_config(table),
        column_order=_order(table, shown), placeholder=numbers.MISSING,
        row_height=ROW_HEIGHT_WRAPPED if table.wrap and len(shown) else None, **kwargs)


def for_download(df: pd.DataFrame, table: Optional[Table], others: bool = True) -> pd.DataFrame:
    """The rows of `df` with human headers for a file: the table's columns first, in its order,
    then (`others`) any other columns by their own name; money as numbers with a currency
    column beside it."""
    if table is None:
        return df.reset_index(drop=True)
    out: dict[str, Any] = {}
    known = set()
    money_columns = [c for c in table.columns if c.kind == "usd" and c.key in df.columns]
    for col in table.columns:
        if col.key not in df.columns:
            continue
        known.add(col.key)
        values = df[col.key].reset_index(drop=True)
        if col.kind == "usd":
            amounts = pd.to_numeric(values, errors="coerce").astype(float)
            amounts = amounts.where(amounts > 0)  # no money is no amount, not 0
            out[col.label] = amounts
            currency = "Currency" if len(money_columns) == 1 else f"{col.label.split(' (')[0]} currency"
            out[currency] = ["USD" if pd.notna(a) else None for a in amounts]
        else:
            out[col.label] = values
    for name in df.columns if others else ():
        if name not in known and name not in _INTERNAL:
            out[str(name)] = df[name].reset_index(drop=True)
    return pd.DataFrame(out)


# Columns that only join rows inside the app (ids, sort keys): never in a download.
_INTERNAL = frozenset({"key", "idx", "sentence", "event_start", "event_end", "event_granularity",
                       "sector_list", "org_list"})


def widths_in_chars(table: Optional[Table], headers: Sequence[str]) -> Mapping[str, int]:
    """Excel column widths (characters) for a download's headers, from the table's px widths."""
    px = {c.label: c.px for c in table.columns} if table else {}
    return {h: max(len(h) + 2, min(70, round(px.get(h, 110) / 7))) for h in headers}
