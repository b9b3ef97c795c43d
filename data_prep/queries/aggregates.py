"""What each page draws, asked of the database under the Filters: per-country and per-pair
aggregates for the map, the timeline's drawn lanes, a page of figures with aggregates for
its charts, a page of articles, the filters' choices and their counts.

Why: at a million articles the whole frames cost minutes and gigabytes, while a page shows
a few hundred rows and a few aggregates. Each function takes a connection that
`sql.prepare` made ready and returns a frame with the columns of its pandas counterpart in
`data_prep.queries` (the charts read those names), so the pandas functions stay the
reference the tests compare against.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, Optional, Sequence

import pandas as pd

from data_prep.kinds import KINDS
from data_prep.queries import (LIST_SEP, MONEY_MEASURE_LABELS, PAIR_SEP, Filters, Frames,
                               Metrics, Vocabulary, _as_list, _clean_text, _join)
from data_prep.queries import ranges
from data_prep.queries.sql import (DAY_THEN_EID, FIGURE_TEXTS, KEPT_COUNTRIES, ask,
                                   partnership_table_page, with_figure_texts)
from data_prep.queries.sql import remembered

_NORM = "lower(trim(regexp_replace({x}, '\\s+', ' ', 'g')))"  # as charts._norm


def _ask(con: Any, flt: Filters, select: str, extra: Optional[dict] = None) -> pd.DataFrame:
    return ask(con, flt, select, extra)


_COUNTED = {"articles": ("count(*)", "arts"), "events": ("count(*)", "ev")}


def count(con: Any, flt: Filters, what: str = "articles") -> int:
    """How many articles, events (article x pair) or figures `flt` keeps."""
    if what == "figures":
        return int(figure_summary(con, flt)["n"].sum())
    if ranges.applies(flt):
        return ranges.count(con, flt, what)
    counted, table = _COUNTED[what]
    return int(_ask(con, flt, f"SELECT CAST({counted} AS BIGINT) AS n FROM {table}")["n"].iloc[0])


_SUMMARIES_KEPT = 8  # the last figure summaries remembered per data version, by filters


def figure_summary(con: Any, flt: Filters) -> pd.DataFrame:
    """The kept figures counted (`n`; `dated`: those with a date and a value a chart draws)
    by kind, unit and what they count (as written and as compared), with the place of the
    first figure of each (by article and place in it: `first_seen`) and how it writes what
    it counts (`label`). The figure count, the figures
    by kind, the measures a chart offers and how many figures a measure draws are read from
    it: at a million articles each pass over the figures' groups costs a tenth of a second,
    and a page asks two or three of them under the same filters. Remembered per data
    version (`sql.remembered`)."""
    # a group's place: its article and its first figure there, as one number (both are
    # 32-bit), which compares faster than the pair
    return remembered(con, "figure_summary", flt, lambda: _ask(con, flt, """,
            counted AS (SELECT sid, CAST(sum(n) AS BIGINT) AS n,
                               CAST(coalesce(sum(n) FILTER (WHERE finite AND event_start
                                                            IS NOT NULL), 0) AS BIGINT) AS dated,
                               min(CAST(aid AS BIGINT) * 4294967296 + first_idx) AS first_seen
                        FROM fgg GROUP BY sid)
            SELECT l.kind, l.unit, l.what, l.kind_key, l.what_key, c.n, c.dated, c.first_seen,
                   regexp_replace(l.what, '\\s+', ' ', 'g') AS label
            FROM counted c JOIN fig_labels l USING (sid) ORDER BY c.sid"""), _SUMMARIES_KEPT)


def country_stats(con: Any, flt: Filters) -> pd.DataFrame:
    """`queries.country_stats` of the filtered data: one row per country."""
    shown = """
        SELECT iso3, coalesce(g.name, iso3) AS name,
               CAST(coalesce(m.articles, 0) AS BIGINT) AS articles,
               CAST(coalesce(a.partnerships, 0) AS BIGINT) AS partnerships,
               CAST(coalesce(a.usd, 0) AS DOUBLE) AS usd, coalesce(g.region, '') AS region
        FROM men m FULL JOIN agg a USING (iso3) LEFT JOIN geo g USING (iso3)
        ORDER BY partnerships DESC, articles DESC, iso3"""
    if ranges.applies(flt):
        with_sql, params = ranges.country_scope(flt)
        return con.execute(f"{with_sql} {shown}", params).df()
    return _ask(con, flt, f""",
        men AS (SELECT iso3, count(*) AS articles FROM {KEPT_COUNTRIES} GROUP BY iso3),
        sides AS (SELECT iso3_a AS iso3, iso3_b AS other, usd FROM ev
                  UNION ALL SELECT iso3_b, iso3_a, usd FROM ev),
        agg AS (SELECT iso3, count(DISTINCT other) AS partnerships,
                       sum(usd) AS usd FROM sides GROUP BY iso3) {shown}""")


def metrics_of(articles: int, countries: pd.DataFrame, pairs: pd.DataFrame) -> Metrics:
    """The overview's four numbers (`queries.overview_metrics`) from answers the overview
    draws anyway: how many articles the filters keep, `country_stats` (a row per country
    named or in a pair) and `pair_stats` (a row per pair, with the money it reached). Asked
    in a statement of their own, they cost one more pass over the kept events and articles
    (0.04-0.07 s under a country from a date at a million articles)."""
    return Metrics(articles=int(articles), countries=len(countries), partnerships=len(pairs),
                   usd=float(pairs["usd"].sum()) if len(pairs) else 0.0)


def pair_stats(con: Any, flt: Filters, limit: Optional[int] = None) -> pd.DataFrame:
    """`queries.pair_stats` of the filtered data: one row per pair, most articles first
    (the first `limit` only, when given)."""
    top = f"LIMIT {int(limit)}" if limit is not None else ""
    # grouped by the pair's two codes; its names and text are added to the grouped rows
    # (carried through every kept event, they cost a tenth of the answer at 1M)
    shown = f"""
        SELECT p.iso3_a, p.iso3_b, ga.name AS name_a, gb.name AS name_b,
               p.iso3_a || '{PAIR_SEP}' || p.iso3_b AS pair, p.articles, p.usd,
               coalesce(t.money, '') AS money, coalesce(p.kinds, '') AS kinds,
               coalesce(p.sectors, '') AS sectors, p.first_date, p.last_date
        FROM pairs p LEFT JOIN money_text t USING (iso3_a, iso3_b)
        LEFT JOIN geo ga ON ga.iso3 = p.iso3_a LEFT JOIN geo gb ON gb.iso3 = p.iso3_b
        ORDER BY articles DESC, usd DESC, pair {top}"""
    if ranges.applies(flt):
        with_sql, params = ranges.pair_scope(flt)
        out = con.execute(f"{with_sql} {shown}", params).df()
    else:
        out = _ask(con, flt, f"{_PAIRS_KEPT} {shown}")
    return out.astype({"first_date": object, "last_date": object}).where(out.notna(), None).astype(
        {"articles": int, "usd": float})


# the kept pairs (`pairs`: per pair its articles, money, kinds, sectors, first and last
# dates) and their money items' labels (`money_text`), after the WITH clauses of `sql.scope`
_PAIRS_KEPT = f""",
        kept_money AS (SELECT iso3_a, iso3_b, label, min((aid, idx, figure_idx)) AS first_seen
                       FROM money_items WHERE gid IN (SELECT gid FROM ev)
                       GROUP BY iso3_a, iso3_b, label),
        money_text AS (SELECT iso3_a, iso3_b,
                              string_agg(label, '{LIST_SEP}' ORDER BY first_seen) AS money
                       FROM kept_money GROUP BY iso3_a, iso3_b),
        -- articles and sectors per pair counted apart: a distinct count or a list of
        -- lists beside the other aggregates would make DuckDB take a much slower path
        per_pair AS (SELECT iso3_a, iso3_b, count(*) AS articles
                     FROM (SELECT DISTINCT iso3_a, iso3_b, aid FROM ev) GROUP BY ALL),
        pair_sectors AS (
            SELECT iso3_a, iso3_b, array_to_string(list_sort(list(s)), '{LIST_SEP}') AS sectors
            FROM (SELECT DISTINCT iso3_a, iso3_b, s FROM (
                      SELECT iso3_a, iso3_b, unnest(sectors) AS s FROM ev) WHERE s IS NOT NULL)
            GROUP BY ALL),
        pairs AS (
            SELECT iso3_a, iso3_b, any_value(n.articles) AS articles,
                   CAST(sum(usd) AS DOUBLE) AS usd,
                   array_to_string(list(DISTINCT kind ORDER BY kind)
                                       FILTER (WHERE kind IS NOT NULL), '{LIST_SEP}') AS kinds,
                   any_value(ps.sectors) AS sectors,
                   arg_min(event_date, {DAY_THEN_EID}) FILTER (WHERE event_start IS NOT NULL)
                       AS first_date,
                   arg_max(event_date, {DAY_THEN_EID}) FILTER (WHERE event_start IS NOT NULL)
                       AS last_date
            FROM ev JOIN per_pair n USING (iso3_a, iso3_b)
            LEFT JOIN pair_sectors ps USING (iso3_a, iso3_b) GROUP BY iso3_a, iso3_b)"""


def money_by_measure(con: Any, flt: Filters) -> pd.DataFrame:
    """`queries.money_by_measure` of the filtered data: reached and planned USD per measure."""
    if ranges.applies(flt):
        kept = ranges.money_by_status(con, flt)
        rows = pd.DataFrame({
            "measure": kept["measure"], "items": kept["n"],
            "reached": kept["usd"].where(kept["status"] == "actual", 0.0),
            "planned": kept["usd"].where(kept["status"] == "planned", 0.0)}
        ).groupby("measure", as_index=False).sum()
    else:
        rows = _ask(con, flt, """
            SELECT m.measure, coalesce(sum(m.usd) FILTER (WHERE m.status = 'actual'), 0) AS reached,
                   coalesce(sum(m.usd) FILTER (WHERE m.status = 'planned'), 0) AS planned,
                   count(*) AS items
            FROM money_items m WHERE m.gid IN (SELECT gid FROM ev)
            GROUP BY m.measure""")
    by = {r.measure: r for r in rows.itertuples()}
    out = [{"measure": label, "reached": float(by[m].reached), "planned": float(by[m].planned),
            "items": int(by[m].items)} for m, label in MONEY_MEASURE_LABELS.items() if m in by]
    return pd.DataFrame(out, columns=["measure", "reached", "planned", "items"])


def latest_articles(con: Any, flt: Filters, limit: int = 10, offset: int = 0
                    ) -> tuple[pd.DataFrame, int]:
    """`queries.latest_articles` of the filtered data, a page at a time, and how many
    articles there are in all."""
    rows = _ask(con, flt, f""",
        page AS (SELECT a.aid, a.article_id, strftime(a.published, '%Y-%m-%d') AS published,
                        a.title, a.doc, a.published AS ts, a.added_at
                 FROM art_keys a WHERE a.aid IN (SELECT aid FROM arts)
                 ORDER BY a.published DESC NULLS LAST, a.added_at DESC NULLS LAST, a.aid
                 LIMIT {int(limit)} OFFSET {int(offset)}),
        names AS (SELECT c.aid, string_agg(coalesce(g.name, c.iso3), '{LIST_SEP}'
                                           ORDER BY c.mentions DESC, c.first_start, c.iso3) AS countries
                  FROM country_keys c LEFT JOIN geo g USING (iso3)
                  WHERE c.aid IN (SELECT aid FROM page) GROUP BY c.aid)
        SELECT p.article_id, p.published, p.title, p.doc, coalesce(n.countries, '') AS countries,
               (SELECT count(*) FROM arts) AS total
        FROM page p LEFT JOIN names n USING (aid)
        ORDER BY p.ts DESC NULLS LAST, p.added_at DESC NULLS LAST, p.aid""")
    # counted in the same statement, which keeps the articles once for both (asked apart,
    # the filters were applied twice: 0.056 -> 0.029 s under a country and a date at 1M);
    # a page past the end has no row to carry the count
    total = int(rows["total"].iloc[0]) if len(rows) else count(con, flt)
    out = rows.drop(columns="total")
    return out.astype({"published": object}).where(out.notna(), None), total


def article_kept(con: Any, flt: Filters, article_id: str) -> bool:
    """True when the filters keep this article."""
    return bool(_ask(con, flt, "SELECT count(*) AS n FROM arts WHERE article_id = $one",
                     {"one": article_id})["n"].iloc[0])


# ------------------------------------------------------------------------------ timeline

TIMELINE_COLUMNS = ["article_id", "title", "published", "iso3_a", "iso3_b", "pair", "kind",
                    "status", "sectors", "figures_text", "usd", "event_date",
                    "event_granularity", "event_start", "event_end"]


def timeline_events(con: Any, flt: Filters, max_lanes: int = 40, max_events: int = 3000
                    ) -> tuple[pd.DataFrame, dict[str, int], int]:
    """The events the timeline draws: those of the `max_lanes` pairs with most drawable
    events (dated, or with a publication date), the latest `max_events` of them; with every
    pair's count of drawable events and how many events those lanes hold in all. One
    statement (its lanes' rows first, `part` 0, then the events), so the filters are applied
    once."""
    lanes_shown = max(1, int(max_lanes))
    rows = _ask(con, flt, f""",
        drawable AS (SELECT eid, pair, coalesce(event_start, CAST(published AS DATE)) AS _key
                     FROM ev WHERE _key IS NOT NULL AND pair IS NOT NULL),
        lanes AS (SELECT pair AS lane, count(*) AS lane_n FROM drawable GROUP BY pair),
        shown AS (SELECT lane FROM lanes ORDER BY lane_n DESC, lane
                  LIMIT {lanes_shown}),
        hit AS (SELECT eid, _key FROM drawable WHERE pair IN (SELECT lane FROM shown)
                ORDER BY _key DESC, eid LIMIT {max(1, int(max_events))})
        SELECT 0 AS part, lane, lane_n FROM lanes
        UNION ALL BY NAME
        SELECT 1 AS part, hit._key, eid, article_id, idx, title,
               strftime(published, '%Y-%m-%d') AS published, iso3_a, iso3_b, pair, kind,
               status, array_to_string(sectors, '{LIST_SEP}') AS sectors, figure_texts, usd,
               event_date, CASE length(event_date) WHEN 4 THEN 'year' WHEN 7 THEN 'month'
                                WHEN 10 THEN 'day' END AS event_granularity,
               event_start, event_end
        FROM hit JOIN events USING (eid)
        ORDER BY part, lane_n DESC, lane, _key DESC, eid""")
    lanes, rows = rows[rows["part"] == 0], rows[rows["part"] == 1].reset_index(drop=True)
    every = dict(zip(lanes["lane"], lanes["lane_n"].astype(int)))
    in_lanes = sum(list(every.values())[:lanes_shown])
    rows["figures_text"] = rows["figure_texts"].map(lambda t: _join(_as_list(t)))
    for col in ("event_start", "event_end"):
        rows[col] = pd.to_datetime(rows[col])
    return rows.reindex(columns=TIMELINE_COLUMNS), every, in_lanes


# ------------------------------------------------------------------------------ figures

FIGURE_TABLE = ["kind", "text", "value", "unit", "what", "measure", "qualifier", "usd", "pair",
                "event_date", "sentence_text", "title"]


def _figure_where(kinds: Optional[Sequence[str]], search: str) -> tuple[str, dict]:
    where, params = ["TRUE"], {}
    if kinds is not None:
        where.append("list_contains($kinds, kind)")
        params["kinds"] = list(kinds)
    needle = _clean_text(search).lower()
    if needle:  # as queries.search_table over the shown text columns
        params["needle"] = needle
        where.append("strpos(lower(concat_ws(chr(10), kind, text, unit, what, measure, qualifier, "
                     "pair, event_date, sentence_text, title)), $needle) > 0")
    return " AND ".join(where), params


def figure_page(con: Any, flt: Filters, kinds: Optional[Sequence[str]] = None, search: str = "",
                limit: int = 500, offset: int = 0) -> tuple[pd.DataFrame, int]:
    """One page of the filtered figures of `kinds` (all when None) containing `search`, by
    article and place in it (the `FIGURE_TABLE` columns, article_id and idx), and how many
    there are in all."""
    where, extra = _figure_where(kinds, search)
    if "needle" in extra:  # the search looks in the texts: joined to every kept figure
        source = f"(SELECT * FROM fg {FIGURE_TEXTS})"
        rows = _ask(con, flt, f""",
            hit AS (SELECT * FROM {source} WHERE {where}),
            page AS (SELECT * EXCLUDE (title, sentence_text) FROM hit ORDER BY aid, idx
                     LIMIT {int(limit)} OFFSET {int(offset)})
            SELECT {', '.join(FIGURE_TABLE)}, article_id, idx FROM page {FIGURE_TEXTS}
            ORDER BY article_id, idx""", extra)
        total = int(_ask(con, flt, f"SELECT count(*) AS n FROM {source} WHERE {where}",
                         extra)["n"].iloc[0])
    else:
        # the page is chosen on the figures' place alone, then its rows' columns are read,
        # and their texts looked up for them only; the figure summary counts them all
        own = [f"f.{c}" for c in FIGURE_TABLE if c not in ("title", "sentence_text")]
        rows = with_figure_texts(con, _ask(con, flt, f""",
            page AS (SELECT aid, idx FROM fg WHERE {where} ORDER BY aid, idx
                     LIMIT {int(limit)} OFFSET {int(offset)})
            SELECT {', '.join(own)}, f.sentence, f.article_id, f.idx
            FROM page JOIN figs f USING (aid, idx) ORDER BY f.article_id, f.idx""",
            extra))[[*FIGURE_TABLE, "article_id", "idx"]]
        summary = figure_summary(con, flt)
        chosen = summary["kind"].isin(list(kinds)) if kinds is not None else summary["n"].notna()
        total = int(summary.loc[chosen, "n"].sum())
    out = rows
    return out.astype(object).where(out.notna(), None).astype(
        {"value": float, "usd": float, "idx": int}), total


def figure_kinds(con: Any, flt: Filters) -> pd.DataFrame:
    """Figures per kind, unit and what they count (`n`), most first: what
    `charts.counts_by_kind` draws."""
    totals: dict[tuple, int] = {}
    for r in figure_summary(con, flt).itertuples(index=False):
        key = (_value(r.kind), _value(r.unit), _value(r.what))
        totals[key] = totals.get(key, 0) + int(r.n)
    rows = [(*key, n) for key, n in sorted(totals.items(), key=lambda kv: (
        -kv[1], *((v is None, v or "") for v in kv[0])))]
    return pd.DataFrame(rows, columns=["kind", "unit", "what", "n"]).astype({"n": "int64"})


def _value(v: Any) -> Any:
    """A text cell, None when missing (NULL read back as None or NaN)."""
    return None if v is None or (isinstance(v, float) and v != v) else v


def measure_options(con: Any, flt: Filters, limit: int = 50) -> list[str]:
    """`charts.measure_options` of the filtered figures: "money", then "percent", then each
    thing counted, most frequent first (one unit per option), named as its first figure
    (by article and place) writes it."""
    totals: dict[tuple, int] = {}
    first: dict[tuple, tuple] = {}
    for r in figure_summary(con, flt).itertuples(index=False):
        key = (_value(r.kind_key), _value(r.what_key))
        totals[key] = totals.get(key, 0) + int(r.n)
        seen = int(r.first_seen)
        if key not in first or seen < first[key][0]:
            first[key] = (seen, _value(r.label))
    keys = sorted(totals, key=lambda k: (-totals[k], k[1] is None, k[1] or ""))
    opts = [k for k in ("money", "percent") if k in {kind for kind, _ in keys}]
    opts += [str(first[k][1]).strip() for k in keys if k[0] == "count" and k[1]]
    return opts[:max(1, limit)]


def measure_figures(con: Any, flt: Filters, measure: str, max_points: int = 1500) -> pd.DataFrame:
    """The figures `charts.figures_over_time` draws for `measure` (an option of
    `measure_options`: money, percent or a thing counted): one row per figure (n = 1) when
    there are at most `max_points`, else one row per series (pair and measure) and day, or
    month when more than `max_points` are dated, with the sum of their values, their count
    `n` and their first and last day (the chart sums them per month or year, and averages
    percentages by `n`)."""
    key = _clean_text(measure).lower()
    if key in ("money", "all money", "usd", ""):
        match, extra = "kind_key = 'money'", {}
    elif key == "percent":
        match, extra = "kind_key = 'percent'", {}
    else:
        match, extra = f"kind_key = 'count' AND what_key = {_NORM.format(x='$measure')}", {"measure": measure}
    groups = f", drawn AS (SELECT * FROM fgg WHERE {match})"  # figures counted by group
    n, dated = _summary_count(con, flt, key, measure)
    if n <= max(1, int(max_points)):
        rows = with_figure_texts(con, _ask(con, flt, f""",
            drawn AS (SELECT * FROM fg WHERE {match})
            SELECT kind, measure, what, pair, text, usd, article_id, value, sentence,
            event_granularity, event_start, published, 1 AS n
            FROM drawn ORDER BY aid, idx""", extra))
    else:
        # summed per day, or per month when more than `max_points` remain: the chart then
        # sums them per month or year anyway (a month's rows keep their first and last day,
        # `event_start` and `last_start`, from which it chooses which); at a million
        # articles the days of every pair were a million rows
        monthly = dated > max(1, int(max_points))
        bucket = "date_trunc('month', event_start)" if monthly else "event_start"
        rows = _ask(con, flt, groups + f"""
            SELECT kind, any_value(measure) AS measure, any_value(what) AS what, pair,
                   min(event_start) AS event_start, max(event_start) AS last_start,
                   any_value(published) AS published, sum(usd) AS usd, sum(value) AS value,
                   CAST(sum(n) AS BIGINT) AS n
            FROM drawn WHERE finite AND event_start IS NOT NULL
            GROUP BY kind, pair, measure_key, {bucket} ORDER BY event_start, pair""", extra)
    for col in ("event_start", "last_start", "published"):
        if col in rows.columns:
            rows[col] = pd.to_datetime(rows[col])
    return rows


def _summary_count(con: Any, flt: Filters, key: str, measure: str) -> tuple[int, int]:
    """How many kept figures `measure_figures` draws for `measure` (`key`: its clean lower
    case), and how many of them have a date and a value, read from the figure summary."""
    summary = figure_summary(con, flt)
    if key in ("money", "all money", "usd", "", "percent"):
        drawn = summary["kind_key"] == ("percent" if key == "percent" else "money")
    else:
        norm = con.execute(f"SELECT {_NORM.format(x='?')}", [measure]).fetchone()[0]
        drawn = (summary["kind_key"] == "count") & (summary["what_key"] == norm)
    drawn = drawn.fillna(False)
    return int(summary.loc[drawn, "n"].sum()), int(summary.loc[drawn, "dated"].sum())


# ------------------------------------------------------------------------------ filters' choices

FACET_SQL = {  # facet -> the values it offers under the other filters, with counts
    "kind": "SELECT kind AS value, count(*) AS n FROM ev WHERE kind IS NOT NULL GROUP BY 1",
    "sector": "SELECT s AS value, count(*) AS n FROM (SELECT unnest(sectors) AS s FROM ev) GROUP BY 1",
    "region": ("SELECT region AS value, count(*) AS n FROM (SELECT unnest(regions) AS region "
               "FROM arts) GROUP BY 1"),
    "country": f"SELECT iso3 AS value, count(*) AS n FROM {KEPT_COUNTRIES} GROUP BY 1",
    "partner": ("SELECT iso3 AS value, count(*) AS n FROM (SELECT iso3_a AS iso3 FROM ev "
                "UNION ALL SELECT iso3_b FROM ev) GROUP BY 1"),
}
_FACET_ATTR = {"kind": {"kind": ()}, "sector": {"sector": ()}, "region": {"region": None},
               "country": {"countries": ()}, "partner": {"partner": ()}}


# facet_choices' entry for how many articles (and events) the filters keep, when it counted them
KEPT_COUNTS = "_kept"
_EVENT_FACETS = ("kind", "sector", "partner")  # the facets that read the kept events


def facet_choices(con: Any, flt: Filters) -> dict[str, dict[str, int]]:
    """For each facet, its values with how many partnerships (kind, sector, partner) or
    articles (region, country) the other filters leave them, as datasette counts facets:
    a facet's own choice does not narrow its counts. One query per distinct scope.

    When a facet's scope is the filters themselves, its query also counts the articles they
    keep, and the events when a facet of the group reads them (`KEPT_COUNTS`:
    {"articles": n, "events": m}): it reads them anyway, and a page then needs no statement
    of its own for those counts (at a million articles each statement applies the filters
    again, 0.02-0.04 s)."""
    out: dict[str, dict[str, int]] = {}
    by_scope: dict[Filters, list[str]] = {}
    for facet, cleared in _FACET_ATTR.items():
        by_scope.setdefault(replace(flt, **cleared), []).append(facet)
    for scoped, facets in by_scope.items():
        # unfiltered, each facet is asked alone: its answer is one `precompute` wrote
        for group in ([[f] for f in facets] if scoped == Filters() else [facets]):
            parts = [f"SELECT '{f}' AS facet, value, n FROM ({FACET_SQL[f]})" for f in group]
            if scoped == flt != Filters():
                parts.append(f"SELECT '{KEPT_COUNTS}' AS facet, 'articles' AS value, "
                             "count(*) AS n FROM arts")
                if set(group) & set(_EVENT_FACETS):
                    parts.append(f"SELECT '{KEPT_COUNTS}' AS facet, 'events' AS value, "
                                 "count(*) AS n FROM ev")
            rows = (_range_facets(con, scoped, group, len(parts) > len(group))
                    if ranges.applies(scoped) else
                    _ask(con, scoped, f"SELECT * FROM ({' UNION ALL '.join(parts)}) "
                                      "ORDER BY facet, n DESC, value"))
            for facet in group + ([KEPT_COUNTS] if len(parts) > len(group) else []):
                part = rows[rows["facet"] == facet]
                out[facet] = {str(v): int(n) for v, n in zip(part["value"], part["n"])}
    return out


def _range_facets(con: Any, flt: Filters, facets: list[str], kept: bool) -> pd.DataFrame:
    """`facet_choices`' rows for `facets` under a date range alone (`ranges`), with the
    kept articles and events (`KEPT_COUNTS`) when `kept`."""
    whats = tuple(facets) + (("articles", "events") if kept else ())
    rows = ranges.counts(con, flt, whats)
    facets_of = rows[~rows["what"].isin(["articles", "events"])]
    out = pd.DataFrame({"facet": facets_of["what"], "value": facets_of["value"], "n": facets_of["n"]})
    if kept:  # none kept is counted too
        n = dict(zip(rows["what"], rows["n"]))
        out = pd.concat([out, pd.DataFrame({"facet": KEPT_COUNTS, "value": ["articles", "events"],
                                            "n": [n.get("articles", 0), n.get("events", 0)]})])
    return out


def vocabulary(con: Any) -> Vocabulary:
    """`queries.vocabulary` asked of the database: the choices the filters offer."""
    geo = con.execute("SELECT iso3, name FROM geo WHERE iso3 IN (SELECT iso3 FROM countries "
                      "UNION SELECT iso3_a FROM events UNION SELECT iso3_b FROM events)").fetchall()
    countries = dict(sorted(((c, n or c) for c, n in geo), key=lambda kv: kv[1].casefold()))
    regions = [r for (r,) in con.execute(
        "SELECT DISTINCT g.region FROM countries c JOIN geo g USING (iso3) "
        "WHERE g.region IS NOT NULL AND g.region <> '' ORDER BY 1").fetchall()]
    kinds = sorted((k for (k,) in con.execute(
        "SELECT DISTINCT kind FROM events WHERE kind IS NOT NULL AND kind <> ''").fetchall()),
        key=lambda k: (KINDS.index(k) if k in KINDS else len(KINDS), k))
    sectors = [s for (s,) in con.execute(
        "SELECT DISTINCT s FROM (SELECT unnest(sectors) AS s FROM events) WHERE s <> '' "
        "ORDER BY 1").fetchall()]
    orgs = sorted((o for (o,) in con.execute(
        "SELECT DISTINCT name FROM (SELECT name FROM entities WHERE kind = 'org' UNION ALL "
        "SELECT unnest(organisations) FROM events) WHERE trim(name) <> ''").fetchall()),
        key=str.casefold)
    first, last = con.execute(
        "SELECT min(d), max(d) FROM (SELECT CAST(published AS DATE) AS d FROM articles "
        "UNION ALL SELECT event_start FROM events)").fetchone()
    return Vocabulary(countries, tuple(regions), tuple(kinds), tuple(sectors), tuple(orgs),
                      _day(first), _day(last))


def _day(value: Any) -> Optional[date]:
    return None if value is None else pd.Timestamp(value).date()


def undated_left_out(con: Any, flt: Filters) -> int:
    """`queries.undated_left_out`: the undated articles a date range leaves out."""
    if not (flt.date_from or flt.date_to) or flt.undated:
        return 0
    return undated_articles(con)


def undated_articles(con: Any, flt: Filters = Filters()) -> int:
    """The articles with neither a publication date nor a dated event, whatever the filters
    (`flt` is not read): asked unfiltered, so a data version answers it once
    (`FIRST_VIEWS`) instead of scanning every article at each change of a date range."""
    return int(_ask(con, Filters(), "SELECT count(*) AS n FROM art_span WHERE published IS NULL "
                    "AND first_start IS NULL")["n"].iloc[0])


# ------------------------------------------------------------------------------ one article


def one_article(con: Any, article_id: str, corrections: Sequence = ()) -> Frames:
    """The page frames of one article (corrections applied), read for that article only:
    what its Articles page panel and an editor's correction forms show."""
    return articles_frames(con, [article_id], corrections)


def articles_frames(con: Any, article_ids: Sequence[str], corrections: Sequence = ()) -> Frames:
    """The page frames of these articles only, corrections applied (e.g. the corrected
    articles, for the Corrections page)."""
    from data_prep.queries import build_frames, load_tables

    wanted = set(article_ids)  # another article's correction must not add rows here
    return build_frames(load_tables(con, list(article_ids)),
                        [c for c in corrections if c.article_id in wanted])


# ------------------------------------------------------------------------------ first views


# how much the pages show at once; the pages use these, and their first views are asked
# with them below
OVERVIEW_LATEST = 10  # the Overview's latest articles
ARTICLE_PICKER = 200  # articles offered in the Articles page's picker at once
TIMELINE_LANES, TIMELINE_EVENTS = 40, 3000  # what the timeline draws at most
TABLE_ROWS = 500  # rows of the Partnerships and Figures tables fetched and shown at once
FIGURE_KINDS = ("money", "percent", "count")  # the Figures page's kinds, all chosen at first

# what the pages ask on a first visit, unfiltered: (query, its arguments after the filters)
FIRST_VIEWS: tuple[tuple[str, tuple], ...] = (
    ("count", ("articles",)), ("count", ("events",)), ("count", ("figures",)),
    ("undated_articles", ()),
    ("money_by_measure", ()), ("pair_stats", ()), ("country_stats", ()), ("facet_choices", ()),
    ("latest_articles", (OVERVIEW_LATEST,)), ("latest_articles", (ARTICLE_PICKER,)),
    ("timeline_events", (TIMELINE_LANES, TIMELINE_EVENTS)),
    ("measure_options", ()), ("figure_kinds", ()),
    ("figure_page", (list(FIGURE_KINDS), "", TABLE_ROWS, 0)),
    ("partnership_table_page", ("", "date", True, TABLE_ROWS, 0)))


def first_views(con: Any, flt: Filters = Filters()) -> list[tuple[str, tuple]]:
    """`FIRST_VIEWS` and the Timeline's first measure over time (the first option) under
    `flt`."""
    options = measure_options(con, flt)
    return list(FIRST_VIEWS) + ([("measure_figures", (options[0],))] if options else [])


def common_filters(con: Any) -> list[Filters]:
    """The views whose answers a data version keeps (`precompute`): unfiltered, and one
    kind of partnership alone, the filter analysts reach for first; at a million articles a
    kind keeps most events, and asking its page in full costs seconds. Kinds are few (see
    `data_prep.kinds`), so keeping each costs a few seconds of the derivation."""
    kinds = [k for (k,) in con.execute(
        "SELECT DISTINCT kind FROM events WHERE kind IS NOT NULL AND kind <> '' ORDER BY 1"
    ).fetchall()]
    return [Filters()] + [Filters(kind=(k,)) for k in kinds]


def query(name: str) -> Any:
    """The query function a page asks by name: `aggregates.<name>` or `sql.<name>`."""
    from data_prep.queries import sql

    return globals().get(name) or getattr(sql, name)


def precompute(con: Any) -> None:
    """Ask the `first_views` under each of the `common_filters`: run while
    `sql.materialise` records, each answer is written beside the derived tables, so such a
    view reads small tables. Other filters are asked in full each time."""
    for flt in common_filters(con):
        for name, args in first_views(con, flt):
            query(name)(con, flt, *args)
