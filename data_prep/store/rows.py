"""Turn one article's extraction into rows of the store's tables, and rows into Arrow batches.

Pure functions: the writer (`store.py`) calls `article_rows` inside a per-article try, so a
malformed record from the pipeline becomes a problem for that article only, and inserts the
accumulated rows of many articles at once through `RowBuffer.batches` (one INSERT per table
per chunk instead of one per row: the store must take 20,000 articles).
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from typing import Any, Iterator, Optional

import pyarrow as pa

from data_prep.records import ArticleExtraction, RawArticle, granularity_of
from data_prep.store.schema import ARTICLE_TABLES, arrow_schema

_DATE_VALUE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?\Z")

Rows = dict[str, list[tuple]]


def clean_str(value: Any) -> Optional[str]:
    """A str DuckDB can store: None stays None; lone surrogates (not UTF-8) become '?'.

    One '?' per bad code point, so character offsets into the text stay valid.
    """
    if value is None:
        return None
    s = value if isinstance(value, str) else str(value)
    if s.isascii():
        return s
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return s.encode("utf-8", "replace").decode("utf-8")


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def parse_day(value: Optional[str]) -> Optional[_dt.date]:
    """YYYY-MM-DD (anything after the 10th character ignored) -> date, else None."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return _dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _int(x: Any) -> Optional[int]:
    return None if x is None else int(x)


def _float(x: Any) -> Optional[float]:
    return None if x is None else float(x)


def _strs(xs: Any) -> list[str]:
    return [clean_str(x) for x in (xs or ()) if x is not None]


def _ints(xs: Any) -> list[int]:
    return [int(x) for x in (xs or ()) if x is not None]


def article_rows(
    article_id: str, raw: RawArticle, ex: ArticleExtraction, added_at: _dt.datetime
) -> Rows:
    """Rows of every table for one article (may raise on a malformed record: callers catch)."""
    text = clean_str(ex.text if isinstance(ex.text, str) else raw.text) or ""
    published = parse_day(ex.published) or parse_day(raw.published)
    aid = article_id
    rows: Rows = {t: [] for t in ARTICLE_TABLES}
    rows["articles"].append((
        aid, clean_str(raw.doc), clean_str(ex.title or raw.title), published,
        clean_str(ex.url or raw.url), clean_str(ex.source or raw.source), clean_str(raw.origin),
        text, text_sha256(text), added_at, clean_str(raw.title), clean_str(raw.published),
    ))
    first_mention: dict[str, int] = {}
    for m in ex.country_mentions:
        first_mention[m.iso3] = min(m.start, first_mention.get(m.iso3, m.start))
        rows["mentions"].append((aid, clean_str(m.iso3), clean_str(m.text), _int(m.start),
                                 _int(m.end), clean_str(m.via), clean_str(m.place)))
    for c in ex.countries:
        first = min((s for s, _ in c.spans), default=first_mention.get(c.iso3))
        rows["countries"].append((aid, clean_str(c.iso3), clean_str(c.name), _int(c.mentions),
                                  _int(first)))
    for r in ex.regions:
        rows["regions"].append((aid, clean_str(r.name), clean_str(r.text), _int(r.start),
                                _int(r.end)))
    for s in ex.sentences:
        rows["sentences"].append((aid, _int(s.index), _int(s.start), _int(s.end),
                                  clean_str(s.text)))
    for i, f in enumerate(ex.figures):
        rows["figures"].append((aid, i, clean_str(f.kind), _float(f.value), clean_str(f.unit),
                                clean_str(f.what), clean_str(f.qualifier), clean_str(f.measure),
                                _float(f.usd), clean_str(f.text), _int(f.start), _int(f.end),
                                _int(f.sentence)))
    for i, d in enumerate(ex.dates):
        rows["dates"].append((aid, i, clean_str(d.value), clean_str(d.granularity),
                              clean_str(d.text), _int(d.start), _int(d.end), bool(d.relative),
                              _int(d.sentence)))
    for i, e in enumerate(ex.entities):
        rows["entities"].append((aid, i, clean_str(e.name), clean_str(e.kind), clean_str(e.iso3),
                                 clean_str(e.role), _int(e.start), _int(e.end),
                                 _int(e.sentence)))
    for i, p in enumerate(ex.partnerships):
        a, b = sorted(p.countries)
        places = {clean_str(k): _strs(v) for k, v in (p.places or {}).items()}
        when = p.date if isinstance(p.date, str) and _DATE_VALUE.match(p.date) else None
        granularity = granularity_of(when)
        # a pair's figures: the money the text ties to it, and the other figures of its evidence
        figures = sorted({i for i in p.figures if ex.figures[i].kind != "money"}
                         | {m.figure for m in p.money})
        rows["partnerships"].append((
            aid, i, clean_str(a), clean_str(b), clean_str(p.kind), clean_str(p.status),
            _strs(p.sectors), json.dumps(places, ensure_ascii=False, sort_keys=True),
            _strs(p.organisations), _strs(p.group), _ints(p.sentences),
            "\n".join(_strs(p.evidence)), _ints(figures), _ints(p.dates), when, granularity,
        ))
        for m in p.money:
            rows["deal_money"].append((aid, i, clean_str(a), clean_str(b), _int(m.figure),
                                       clean_str(m.measure), clean_str(m.status)))
    return rows


def text_only_rows(article_id: str, raw: RawArticle, added_at: _dt.datetime) -> Rows:
    """Rows keeping an article whose extraction failed during a rebuild: its text, no data."""
    text = clean_str(raw.text) or ""
    rows: Rows = {t: [] for t in ARTICLE_TABLES}
    rows["articles"].append((
        article_id, clean_str(raw.doc), clean_str(raw.title), parse_day(raw.published),
        clean_str(raw.url), clean_str(raw.source), clean_str(raw.origin), text,
        text_sha256(text), added_at, clean_str(raw.title), clean_str(raw.published),
    ))
    return rows


def failure_text(what: str, e: BaseException) -> str:
    """'extraction failed: ValueError: the first line of its message' (300 characters at most)."""
    detail = str(e).strip().splitlines()[0][:300] if str(e).strip() else ""
    return f"{what}: {type(e).__name__}" + (f": {detail}" if detail else "")


def extract_rows(job: tuple[Any, RawArticle, str, _dt.datetime]) -> tuple[Optional[Rows], Optional[str]]:
    """(rows, None) for one article, or (None, why it failed): the unit of work a process
    pool or a cluster maps over articles, so it never raises on an article's content."""
    extract, raw, aid, added_at = job
    try:
        return article_rows(aid, raw, extract(raw, aid), added_at), None
    except Exception as e:  # noqa: BLE001 - one bad article must not stop a batch
        return None, failure_text("extraction failed", e)


def extract_chunk(jobs: list[tuple[Any, RawArticle, str, _dt.datetime]]
                  ) -> tuple[list[Optional[str]], dict[str, pa.Table]]:
    """`extract_rows` over a few articles, their rows as one Arrow table per table: what a
    pool worker sends back (Arrow pickles compactly, and the writer only concatenates)."""
    buffer = RowBuffer()
    errors: list[Optional[str]] = []
    for job in jobs:
        rows, error = extract_rows(job)
        if rows is not None:
            buffer.add(rows)
        errors.append(error)
    return errors, dict(buffer.batches())


class RowBuffer:
    """Rows of many articles (as tuples, or Arrow tables made elsewhere), flushed as one
    Arrow table per table."""

    def __init__(self) -> None:
        self.rows: Rows = {t: [] for t in ARTICLE_TABLES}
        self.tables: dict[str, list[pa.Table]] = {t: [] for t in ARTICLE_TABLES}
        self.articles = 0

    def add(self, rows: Rows) -> None:
        for table, items in rows.items():
            self.rows[table].extend(items)
        self.articles += 1

    def add_tables(self, tables: dict[str, pa.Table], articles: int) -> None:
        for table, batch in tables.items():
            self.tables[table].append(batch)
        self.articles += articles

    def batches(self) -> Iterator[tuple[str, pa.Table]]:
        """(table, Arrow table) for every non-empty table; empties the buffer."""
        rows, tables = self.rows, self.tables
        self.rows, self.tables, self.articles = ({t: [] for t in ARTICLE_TABLES},
                                                 {t: [] for t in ARTICLE_TABLES}, 0)
        for table in ARTICLE_TABLES:
            parts = list(tables[table])
            if rows[table]:
                parts.append(_arrow(table, rows[table]))
            if parts:
                yield table, parts[0] if len(parts) == 1 else pa.concat_tables(parts)


def _arrow(table: str, items: list[tuple]) -> pa.Table:
    schema = arrow_schema(table)
    columns = list(zip(*items))
    arrays = [pa.array(col, type=field.type) for col, field in zip(columns, schema)]
    return pa.Table.from_arrays(arrays, schema=schema)
