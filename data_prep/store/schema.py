"""The DuckDB schema of the store, as data: one list of (column, SQL type) per table.

Kept apart from the write logic so that the DDL, the Arrow batches the writer inserts and
the migration code all derive from one definition (a column added here appears everywhere).
Bump SCHEMA_VERSION whenever a table or column changes: stored databases with another
version are rebuilt from their stored article texts (see `store.ensure_database`).
"""
from __future__ import annotations

from functools import lru_cache

import pyarrow as pa

SCHEMA_VERSION = "2"

# SQL type -> Arrow type of the batches the writer registers (explicit, so an all-empty or
# all-NULL column never makes DuckDB guess a wrong type).
_ARROW = {
    "VARCHAR": pa.string(),
    "INTEGER": pa.int32(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
    "VARCHAR[]": pa.list_(pa.string()),
    "INTEGER[]": pa.list_(pa.int32()),
}

TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "meta": (("key", "VARCHAR PRIMARY KEY"), ("value", "VARCHAR")),
    "articles": (
        ("article_id", "VARCHAR PRIMARY KEY"),
        ("doc", "VARCHAR"),
        ("title", "VARCHAR"),
        ("published", "DATE"),
        ("url", "VARCHAR"),
        ("source", "VARCHAR"),
        ("origin", "VARCHAR"),
        ("text", "VARCHAR"),
        ("text_sha256", "VARCHAR"),
        ("added_at", "TIMESTAMP"),
        # the metadata as read (title, published may instead come from the text): the input
        # of a re-extraction when the extractor changes
        ("raw_title", "VARCHAR"),
        ("raw_published", "VARCHAR"),
    ),
    "countries": (
        ("article_id", "VARCHAR"),
        ("iso3", "VARCHAR"),
        ("name", "VARCHAR"),
        ("mentions", "INTEGER"),
        ("first_start", "INTEGER"),
    ),
    "mentions": (
        ("article_id", "VARCHAR"),
        ("iso3", "VARCHAR"),
        ("text", "VARCHAR"),
        ("start", "INTEGER"),
        ("end", "INTEGER"),
        ("via", "VARCHAR"),
        ("place", "VARCHAR"),
    ),
    "regions": (
        ("article_id", "VARCHAR"),
        ("name", "VARCHAR"),
        ("text", "VARCHAR"),
        ("start", "INTEGER"),
        ("end", "INTEGER"),
    ),
    "sentences": (
        ("article_id", "VARCHAR"),
        ("idx", "INTEGER"),
        ("start", "INTEGER"),
        ("end", "INTEGER"),
        ("text", "VARCHAR"),
    ),
    "figures": (
        ("article_id", "VARCHAR"),
        ("idx", "INTEGER"),
        ("kind", "VARCHAR"),
        ("value", "DOUBLE"),
        ("unit", "VARCHAR"),
        ("what", "VARCHAR"),
        ("qualifier", "VARCHAR"),
        ("measure", "VARCHAR"),
        ("usd", "DOUBLE"),
        ("text", "VARCHAR"),
        ("start", "INTEGER"),
        ("end", "INTEGER"),
        ("sentence", "INTEGER"),
    ),
    "dates": (
        ("article_id", "VARCHAR"),
        ("idx", "INTEGER"),
        ("value", "VARCHAR"),
        ("granularity", "VARCHAR"),
        ("text", "VARCHAR"),
        ("start", "INTEGER"),
        ("end", "INTEGER"),
        ("relative", "BOOLEAN"),
        ("sentence", "INTEGER"),
    ),
    "entities": (
        ("article_id", "VARCHAR"),
        ("idx", "INTEGER"),
        ("name", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("iso3", "VARCHAR"),
        ("role", "VARCHAR"),
        ("start", "INTEGER"),
        ("end", "INTEGER"),
        ("sentence", "INTEGER"),
    ),
    "partnerships": (
        ("article_id", "VARCHAR"),
        ("idx", "INTEGER"),
        ("iso3_a", "VARCHAR"),
        ("iso3_b", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("status", "VARCHAR"),
        ("sectors", "VARCHAR[]"),
        ("places", "VARCHAR"),
        ("organisations", "VARCHAR[]"),
        ("grp", "VARCHAR[]"),
        ("sentences", "INTEGER[]"),
        ("evidence", "VARCHAR"),
        ("figures", "INTEGER[]"),
        ("dates", "INTEGER[]"),
        ("event_date", "VARCHAR"),
        ("event_granularity", "VARCHAR"),
    ),
    # a partnership's money: one row per (pair, money figure) the text ties to the pair
    "deal_money": (
        ("article_id", "VARCHAR"),
        ("idx", "INTEGER"),  # the partnership's idx
        ("iso3_a", "VARCHAR"),
        ("iso3_b", "VARCHAR"),
        ("figure_idx", "INTEGER"),  # the figure's idx
        ("measure", "VARCHAR"),  # trade | investment | loan | aid | deal | other
        ("status", "VARCHAR"),  # actual | planned
    ),
}

# Tables holding one article's extraction (every one keyed by article_id), in insert order.
ARTICLE_TABLES: tuple[str, ...] = tuple(t for t in TABLES if t != "meta")


def _quote(name: str) -> str:
    return f'"{name}"'


@lru_cache(maxsize=1)
def ddl() -> str:
    """CREATE TABLE statements for the whole schema."""
    parts = []
    for table, columns in TABLES.items():
        cols = ", ".join(f"{_quote(c)} {t}" for c, t in columns)
        parts.append(f"CREATE TABLE {table} ({cols});")
    return "\n".join(parts)


@lru_cache(maxsize=None)
def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a batch for `table` (PRIMARY KEY and other constraints dropped)."""
    return pa.schema([(c, _ARROW[t.split()[0]]) for c, t in TABLES[table]])


def column_names(table: str) -> list[str]:
    return [c for c, _ in TABLES[table]]
