"""Answers under a date range alone (no other filter), read from counts per dated span.

Why: a range that keeps most of a million articles made each page scan and regroup most
events again (0.6-0.8 s a page). A range keeps an event by its period, and an article, an
article's pair or a money item when one of their dates meets it. So each thing a page
counts is stored once per data version with its span (first to last date) and the inner
gaps between its dates: a range keeps it when it meets the span, unless the range falls
wholly inside one of its gaps (a thing's gaps are disjoint, so at most one holds the range).
Counts and sums under a range are then sums over the spans it meets less sums over the gaps
that hold it: exact for any range, and a scan of a few small tables. Minimums, maximums and
which values occur are read from rows per pair and period instead, kept when the period
meets the range (a thing kept twice changes none of them).

The tables are derived with the others (`sql.DERIVED`); the answers have the columns and
order of their counterparts in `aggregates`, which call them when `applies`.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from data_prep.queries import LIST_SEP, PAIR_SEP, Filters, _clean_text

# each article, article's pair (`gid`), event, and kind and sector of a pair, by what it
# counts towards (`what`, `value`): one row for its span (`sign` 1) and one per inner gap
# (`sign` -1: `lo` the last day before it, `hi` the first after), grouped; `u`: kept by
# `undated` whatever the range (an undated event; an article without any date); `n`
# things, `usd` their money
RANGE_COUNTS = f"""
CREATE OR REPLACE TEMP VIEW range_counts AS
WITH art_iv AS (  -- an article's dates: its publication, its events; none: one undated
    SELECT aid AS k, published AS s, published AS e FROM art_span
    WHERE published IS NOT NULL OR first_start IS NULL
    UNION ALL SELECT aid, event_start, event_end FROM events),
gid_iv AS (SELECT gid AS k, event_start AS s, event_end AS e FROM events),
pair_iv AS (  -- the kinds and sectors of a pair: counted once per pair, kept with any event
    SELECT 'pair_kind' AS what, pair || chr(31) || kind AS k, event_start AS s, event_end AS e
    FROM events WHERE kind IS NOT NULL
    UNION ALL SELECT 'pair_sector', pair || chr(31) || s, event_start, event_end FROM (
        SELECT pair, unnest(sectors) AS s, event_start, event_end FROM events) WHERE s IS NOT NULL),
arts AS ({{spans:art_iv}}),
gids AS ({{spans:gid_iv}}),
art_dims AS (SELECT aid AS k, 'articles' AS what, NULL AS value FROM art_keys
             UNION ALL SELECT aid, 'country', unnest(countries) FROM art_keys
             UNION ALL SELECT aid, 'region', unnest(regions) FROM art_keys),
gid_dims AS (SELECT gid AS k, 'pair' AS what, any_value(pair) AS value, 1 AS n,
                    CAST(NULL AS DOUBLE) AS usd FROM events GROUP BY gid
             UNION ALL SELECT gid, 'money', coalesce(status, '') || chr(31) || coalesce(measure, ''),
                              count(*), sum(usd)
             FROM money_items WHERE gid IS NOT NULL GROUP BY gid, status, measure),
ev_rows AS (SELECT event_start AS lo, event_end AS hi, event_start IS NULL AS u, kind, sectors,
                   iso3_a, iso3_b FROM events),
ev_dims AS (SELECT lo, hi, u, 'events' AS what, NULL AS value FROM ev_rows
            UNION ALL SELECT lo, hi, u, 'kind', kind FROM ev_rows WHERE kind IS NOT NULL
            UNION ALL SELECT lo, hi, u, 'sector', unnest(sectors) FROM ev_rows
            UNION ALL SELECT lo, hi, u, 'partner', iso3_a FROM ev_rows
            UNION ALL SELECT lo, hi, u, 'partner', iso3_b FROM ev_rows)
SELECT what, CAST(value AS VARCHAR) AS value, lo, hi, u, CAST(sign AS TINYINT) AS sign,
       CAST(sum(n) AS BIGINT) AS n, sum(usd) AS usd
FROM (SELECT d.what, d.value, r.lo, r.hi, r.u, r.sign, 1 AS n, CAST(NULL AS DOUBLE) AS usd
      FROM arts r JOIN art_dims d USING (k)
      UNION ALL SELECT d.what, d.value, r.lo, r.hi, r.u, r.sign, d.n, d.usd
      FROM gids r JOIN gid_dims d USING (k)
      UNION ALL SELECT what, value, lo, hi, u, 1, 1, NULL FROM ev_dims
      UNION ALL SELECT what, k, lo, hi, u, sign, 1, NULL FROM ({{spans:pair_iv:what}}))
GROUP BY ALL
"""

# the span (sign 1) and inner gaps (sign -1) of the things whose dates are the intervals
# (k, s, e) of {name}, a NULL s an undated one (`u`): a gap is a day or more between what an
# interval and all before it reach and where the next starts
_SPANS = """WITH spans AS (SELECT {by}k, min(s) AS lo, max(e) AS hi, bool_or(s IS NULL) AS u
                     FROM {name} GROUP BY {by}k),
    gaps AS (SELECT {by}k, before AS lo, s AS hi FROM (
        SELECT {by}k, s, max(e) OVER (PARTITION BY {by}k ORDER BY s, e ROWS BETWEEN UNBOUNDED
                                      PRECEDING AND 1 PRECEDING) AS before
        FROM {name} WHERE s IS NOT NULL) WHERE before + 1 < s)
    SELECT {by}k, lo, hi, u, 1 AS sign FROM spans
    UNION ALL SELECT {by}k, g.lo, g.hi, x.u, -1 FROM gaps g JOIN spans x USING ({by}k)"""

# each pair's events per period: their money, and the first and last of them (by day, then
# place in the store, as `aggregates.pair_stats` orders them)
RANGE_PAIRS = """
CREATE OR REPLACE TEMP VIEW range_pairs AS
SELECT iso3_a, iso3_b, event_start AS lo, event_end AS hi, sum(usd) AS usd,
       min({key}) AS first_key, arg_min(event_date, {key}) AS first_date,
       max({key}) AS last_key, arg_max(event_date, {key}) AS last_date
FROM events GROUP BY iso3_a, iso3_b, event_start, event_end
"""

# each pair's money items by label per period of their article's pair, and the first place
# of the label (article, pair, figure)
RANGE_MONEY = """
CREATE OR REPLACE TEMP VIEW range_money AS
SELECT m.iso3_a, m.iso3_b, m.label, p.lo, p.hi, min((m.aid, m.idx, m.figure_idx)) AS first_seen
FROM money_items m
JOIN (SELECT DISTINCT gid, event_start AS lo, event_end AS hi FROM events) p USING (gid)
GROUP BY ALL
"""

VIEWS = ("range_counts", "range_pairs", "range_money")  # in the order `create` makes them
SORTED = {"range_counts": "what, value", "range_pairs": "iso3_a, iso3_b",
          "range_money": "iso3_a, iso3_b"}


def create(con: Any, day_then_eid: str) -> None:
    """The views of this module over a prepared connection's `events`, `art_span`,
    `art_keys` and `money_items` (`day_then_eid`: the ordering key of an event)."""
    counts = RANGE_COUNTS
    for name, by in (("art_iv", ""), ("gid_iv", ""), ("pair_iv", "what, ")):
        spans = _SPANS.format(name=name, by=by)
        counts = counts.replace("{spans:" + name + (":what}" if by else "}"), spans)
    con.execute(counts)
    con.execute(RANGE_PAIRS.format(key=day_then_eid))
    con.execute(RANGE_MONEY)


def applies(flt: Filters) -> bool:
    """True when `flt` is a date range and nothing else (a range ending before it starts
    is left to the full statements)."""
    if not (flt.date_from or flt.date_to):
        return False
    if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
        return False
    return not (flt.countries or flt.partner or flt.region or flt.kind or flt.sector
                or flt.organisation or _clean_text(flt.q))


def _params(flt: Filters) -> dict[str, Any]:
    return {"lo": flt.date_from, "hi": flt.date_to, "undated": bool(flt.undated)}


def overlap(start: str, end: str) -> str:
    """[start, end] meets [$lo, $hi]; an undated period never does (the date filters' one
    test, here and in `sql.scope`)."""
    return (f"({start} IS NOT NULL AND ($lo IS NULL OR {end} >= $lo) AND "
            f"($hi IS NULL OR {start} <= $hi))")


# a period row is kept when it meets the range, or when it is undated and undated rows are
# asked for
_OVERLAP = overlap("lo", "hi")
_MEETS = f"({_OVERLAP} OR ($undated AND lo IS NULL))"


def _pairs_met(*more: str) -> str:
    """Each pair's money over the periods the range keeps, and `more` aggregates of them."""
    columns = ", ".join(["iso3_a", "iso3_b", "CAST(sum(usd) AS DOUBLE) AS usd", *more])
    return f"SELECT {columns} FROM range_pairs WHERE {_MEETS} GROUP BY iso3_a, iso3_b"


# what the range keeps of each of $whats and value: the spans it meets (or kept by
# `undated`) less the gaps that hold it
_COUNTS = f"""SELECT what, value, sum(sign * n) AS n, sum(sign * usd) AS usd FROM range_counts
    WHERE list_contains($whats, what) AND CASE WHEN sign > 0 THEN ($undated AND u) OR {_OVERLAP}
        ELSE NOT ($undated AND u) AND lo < $lo AND hi > $hi END
    GROUP BY what, value HAVING sum(sign * n) > 0"""


def counts(con: Any, flt: Filters, whats: tuple[str, ...]) -> pd.DataFrame:
    """How many things of each of `whats` and value the range keeps (`n` > 0) and their
    money (`usd`), by `what`, most first."""
    return con.execute(f"{_COUNTS} ORDER BY what, n DESC, value",
                       {**_params(flt), "whats": list(whats)}).df()


def count(con: Any, flt: Filters, what: str) -> int:
    """How many articles or events the range keeps."""
    rows = counts(con, flt, (what,))
    return int(rows["n"].sum()) if len(rows) else 0


def pair_scope(flt: Filters) -> tuple[str, dict]:
    """WITH clauses `pairs` (each kept pair's articles, money, kinds, sectors, first and
    last dates: the columns `aggregates.pair_stats` groups) and `money_text` (its money
    items' labels, first seen first), and their parameters."""
    return f"""WITH kept AS ({_COUNTS}),
        parts AS (SELECT what, string_split(value, chr(31)) AS part FROM kept
                  WHERE what IN ('pair_kind', 'pair_sector')),
        listed AS (SELECT part[1] AS pair,
                          array_to_string(list_sort(list(part[2]) FILTER (WHERE what = 'pair_kind')),
                                          '{LIST_SEP}') AS kinds,
                          array_to_string(list_sort(list(part[2]) FILTER (WHERE what = 'pair_sector')),
                                          '{LIST_SEP}') AS sectors
                   FROM parts GROUP BY part[1]),
        met AS ({_pairs_met("arg_min(first_date, first_key) AS first_date",
                            "arg_max(last_date, last_key) AS last_date")}),
        pairs AS (SELECT m.iso3_a, m.iso3_b, k.n AS articles, m.usd, l.kinds, l.sectors,
                         m.first_date, m.last_date
                  FROM met m JOIN kept k ON k.what = 'pair' AND k.value = m.iso3_a || '{PAIR_SEP}' || m.iso3_b
                  LEFT JOIN listed l ON l.pair = k.value),
        labels AS (SELECT iso3_a, iso3_b, label, min(first_seen) AS first_seen
                   FROM range_money WHERE {_MEETS} GROUP BY ALL),
        money_text AS (SELECT iso3_a, iso3_b, string_agg(label, '{LIST_SEP}' ORDER BY first_seen)
                              AS money FROM labels GROUP BY ALL)""", {
        **_params(flt), "whats": ["pair", "pair_kind", "pair_sector"]}


def country_scope(flt: Filters) -> tuple[str, dict]:
    """WITH clauses `men` (articles per country) and `agg` (per country: how many partner
    countries, their money) under the range, as `aggregates.country_stats` groups them."""
    return f"""WITH men AS (SELECT value AS iso3, n AS articles FROM ({_COUNTS})),
        met AS ({_pairs_met()}),
        sides AS (SELECT iso3_a AS iso3, iso3_b AS other, usd FROM met
                  UNION ALL SELECT iso3_b, iso3_a, usd FROM met),
        agg AS (SELECT iso3, count(DISTINCT other) AS partnerships, sum(usd) AS usd
                FROM sides GROUP BY iso3)""", {**_params(flt), "whats": ["country"]}


def money_by_status(con: Any, flt: Filters) -> pd.DataFrame:
    """The kept money items per measure and status: how many (`n`) and their USD."""
    rows = counts(con, flt, ("money",))
    split = rows["value"].str.split(chr(31), n=1, expand=True) if len(rows) else None
    return pd.DataFrame({"status": [] if split is None else split[0],
                         "measure": [] if split is None else split[1],
                         "n": rows["n"].astype(int), "usd": rows["usd"].fillna(0.0)})
