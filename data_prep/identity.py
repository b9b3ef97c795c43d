"""Stable article ids: the same article read twice (another file name, CRLF line ends, a
BOM, re-wrapped lines) gets the same id, so the store can skip duplicates."""
from __future__ import annotations

import hashlib
import unicodedata


def article_id(text: str) -> str:
    """sha256 (first 16 hex chars) of the text after NFKC and whitespace collapsing.

    Case is kept: case changes are edits, not the same copy. Never raises.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if not unicodedata.is_normalized("NFKC", text):  # the quick check spares most texts the copy
        text = unicodedata.normalize("NFKC", text)
    normal = " ".join(text.split())
    return hashlib.sha256(normal.encode("utf-8", "surrogatepass")).hexdigest()[:16]
