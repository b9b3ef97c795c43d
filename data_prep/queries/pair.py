"""One pair of countries on its own: what its page shows.

Pure functions of the `Frames` of the pair's articles (read for those articles only, every
article and event of the pair whatever the sidebar's filters), plus parameterised queries
for the people and organisations the pair's articles name and for articles' sources. Where an article came from is `article_sources`:
its publisher or source and its address when the upload had them, else its file name.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Optional, Sequence

import pandas as pd

from data_prep.queries import (MONEY_MEASURE_LABELS, PAIR_SEP, Frames, _country_name, _date_str,
                               period_bounds)

SOURCE_COLUMNS = ["article_id", "source", "url"]
MONEY_COLUMNS = ["date", "measure", "status", "text", "usd", "title", "article_id"]
FIGURE_COLUMNS = ["date", "kind", "text", "measure", "usd", "sentence_text", "title", "article_id"]
PEOPLE_COLUMNS = ["name", "kind", "country", "role", "articles"]


@dataclass(frozen=True)
class PairView:
    """Everything about one pair: its events, money, figures and articles."""

    a: str
    b: str
    name_a: str
    name_b: str
    events: pd.DataFrame  # the queries' EVENT_COLUMNS, oldest first
    money: pd.DataFrame  # MONEY_COLUMNS: each amount tied to the pair, with its date
    figures: pd.DataFrame  # FIGURE_COLUMNS: the figures of the pair's sentences
    articles: pd.DataFrame  # article_id, title, published, doc, source, url: newest first

    @property
    def label(self) -> str:
        return f"{self.a}{PAIR_SEP}{self.b}"

    @property
    def empty(self) -> bool:
        return self.events.empty


def article_sources(articles: pd.DataFrame) -> pd.DataFrame:
    """Per article: where it came from (the publisher or source of an upload's row, else
    the file name) and its address when it came with one (as given: links are checked
    where they are drawn)."""
    arts = articles.reindex(columns=["article_id", "doc", "source", "url"])
    source = [s.strip() if isinstance(s, str) and s.strip() else (d if isinstance(d, str) else "")
              for s, d in zip(arts["source"], arts["doc"])]
    url = [u.strip() if isinstance(u, str) and u.strip() else None for u in arts["url"]]
    return pd.DataFrame({"article_id": arts["article_id"], "source": source, "url": url},
                        columns=SOURCE_COLUMNS)


def stored_articles(con: Any, article_ids: Sequence[str]) -> pd.DataFrame:
    """The stored doc, source and url of these articles (one parameterised query)."""
    cols = ["article_id", "doc", "source", "url"]
    if not article_ids:
        return pd.DataFrame(columns=cols)
    return con.execute("SELECT article_id, doc, source, url FROM articles"
                       " WHERE list_contains(?, article_id)", [list(article_ids)]).df() \
        .reindex(columns=cols)


def with_sources(rows: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """`rows` (with an article_id column) with the `source` and `url` of each row's article."""
    found = article_sources(articles).drop_duplicates("article_id")
    out = rows.drop(columns=[c for c in ("source", "url") if c in rows.columns])
    return out.merge(found, on="article_id", how="left").fillna({"source": ""})


def pair_article_sources(con: Any, flt: Any) -> pd.DataFrame:
    """Each pair under the filters `flt` with each of its articles' source and url (one row
    per pair and article): what a per-pair download says the pairs came from."""
    from data_prep.queries import sql

    rows = sql.ask(con, flt, "SELECT DISTINCT e.pair, e.article_id, a.doc, a.source, a.url "
                             "FROM ev e JOIN articles a USING (article_id) "
                             "ORDER BY e.pair, e.article_id")  # one query, however many pairs
    return with_sources(rows[["pair", "article_id"]], rows[["article_id", "doc", "source", "url"]])


def first_few(joined: str, shown: int = 3) -> str:
    """"a; b; c; d; e" -> "a; b; c and 2 more": a table cell names a few, a download all."""
    parts = [p for p in str(joined or "").split("; ") if p]
    if len(parts) <= shown:
        return "; ".join(parts)
    return f"{'; '.join(parts[:shown])} and {len(parts) - shown:,} more"


def sources_by_pair(rows: pd.DataFrame) -> pd.DataFrame:
    """Per pair (columns pair, sources, links): its articles' distinct sources and urls in
    the order of `rows` (pair, source, url), each joined by "; "; "" when there are none."""
    def joined(values: pd.Series) -> str:
        kept = (v.strip() for v in values if isinstance(v, str) and v.strip())
        return "; ".join(dict.fromkeys(kept))

    if rows.empty:
        return pd.DataFrame(columns=["pair", "sources", "links"])
    return (rows.groupby("pair", sort=True)
            .agg(sources=("source", joined), links=("url", joined)).reset_index())


def pair_view(frames: Frames, a: str, b: str) -> PairView:
    """The pair (a, b), in either order, as its page shows it."""
    a, b = sorted((a, b))
    label = f"{a}{PAIR_SEP}{b}"
    ev = frames.events
    events = ev[ev["pair"] == label].sort_values(["event_start", "article_id"], kind="stable",
                                                 na_position="last").reset_index(drop=True)
    names = {**dict(zip(ev["iso3_a"], ev["name_a"])), **dict(zip(ev["iso3_b"], ev["name_b"]))}
    ids = list(dict.fromkeys(events["article_id"]))
    date_of = dict(zip(events["key"], events["event_date"]))

    money = frames.money[frames.money["pair"] == label]
    money = pd.DataFrame({
        "date": [date_of.get(k) for k in money["key"]],
        "measure": money["measure"].map(lambda m: MONEY_MEASURE_LABELS.get(m, m)),
        "status": money["status"], "text": money["text"],
        "usd": pd.to_numeric(money["usd"], errors="coerce"),
        "title": money["article_id"].map(_titles(frames)), "article_id": money["article_id"],
    }, columns=MONEY_COLUMNS).sort_values("date", kind="stable", na_position="last")

    figs = frames.figures
    tied = frames.money[frames.money["pair"] == label]
    tied_keys = set(zip(tied["article_id"], tied["figure_idx"].astype("int64")))
    mine = (figs["pair"] == label) | pd.Series(
        [(x, i) in tied_keys for x, i in zip(figs["article_id"], figs["idx"])],
        index=figs.index, dtype=bool)
    figures = figs[mine].rename(columns={"event_date": "date"}).reindex(columns=FIGURE_COLUMNS)

    arts = frames.articles[frames.articles["article_id"].isin(ids)]
    arts = with_sources(arts[["article_id", "title", "published", "doc"]], frames.articles)
    arts["published"] = arts["published"].map(_date_str)
    arts = arts.sort_values("published", ascending=False, na_position="last", kind="stable")
    return PairView(a, b, _name(names, a), _name(names, b), events,
                    money.reset_index(drop=True), figures.reset_index(drop=True),
                    arts.reset_index(drop=True))


def _titles(frames: Frames) -> dict[str, str]:
    arts = frames.articles
    return dict(zip(arts["article_id"], arts["title"].where(arts["title"].notna(), arts["doc"])))


def _name(names: dict, iso3: str) -> str:
    name = names.get(iso3)
    return name if isinstance(name, str) and name else _country_name(iso3)


def money_over_time(view: PairView) -> pd.DataFrame:
    """The pair's money in USD per date, measure and status (actual and planned apart,
    never added together): columns date (first day of its period), measure, status, usd,
    items. Amounts without a USD value or a date are left out."""
    m = view.money.dropna(subset=["usd"])
    m = m.assign(when=[period_bounds(d)[0] for d in m["date"]]).dropna(subset=["when"])
    if m.empty:
        return pd.DataFrame(columns=["date", "measure", "status", "usd", "items"])
    out = m.groupby(["when", "measure", "status"], as_index=False).agg(
        usd=("usd", "sum"), items=("usd", "size"))
    return out.rename(columns={"when": "date"}).sort_values(["date", "measure", "status"]) \
        .reset_index(drop=True)


def pair_people(con: Any, article_ids: Sequence[str]) -> pd.DataFrame:
    """Organisations and people the pair's articles name, with their country and role, most
    mentioned first (one parameterised query on the store)."""
    if not article_ids:
        return pd.DataFrame(columns=PEOPLE_COLUMNS)
    rows = con.execute(
        "SELECT name, CASE kind WHEN 'org' THEN 'organisation' ELSE kind END AS kind,"
        " coalesce(iso3, '') AS country, coalesce(string_agg(DISTINCT role, '; '), '') AS role,"
        " count(DISTINCT article_id) AS articles FROM entities"
        " WHERE list_contains(?, article_id) AND kind IN ('org', 'person')"
        " GROUP BY name, kind, iso3 ORDER BY articles DESC, kind, name",
        [list(article_ids)]).df()
    return rows.reindex(columns=PEOPLE_COLUMNS)


def citation(view: PairView, url: str, today: date, articles: Optional[int] = None) -> str:
    """One line to cite the pair's page: the pair, how many articles over which dates, the
    address and the day it was read."""
    n = len(view.articles) if articles is None else articles
    dated = view.events["event_start"].dropna()
    span = ""
    if not dated.empty:
        first, last = dated.min().year, dated.max().year
        span = f", {first}" + (f"–{last}" if last != first else "")
    return (f"Partnership Atlas, “{view.name_a} – {view.name_b}” ({view.a}-{view.b}): "
            f"{n} article{'s' if n != 1 else ''}{span}. {url} (retrieved {today.isoformat()}).")
