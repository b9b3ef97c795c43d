"""An article's text as HTML with the extracted spans marked.

Every piece of text (article text, labels, kinds) goes through `html.escape`, so markup in an
article (`<script>`, `<img onerror=..>`, `javascript:` links) is shown as text, never run.
Only our own `<mark>`/`<br>`-free markup is emitted; the container keeps line breaks with CSS.
"""
from __future__ import annotations

import html
import re
from typing import Any, Iterable

# Bidi embeddings, overrides and isolates would reorder what follows them ('gnp.exe' shown as
# 'exe.png'): each is shown as the replacement character, one for one, so span offsets hold.
_REORDERING = re.compile("[\u202a-\u202e\u2066-\u2069]")

KIND_COLOURS = {  # background per span kind; the legend uses the same table
    "country": "#cfe8ff",
    "figure": "#ffe3b3",
    "date": "#d7f5d0",
    "org": "#ead9ff",
    "person": "#ffd6e0",
}
KIND_LABELS = {"country": "country", "figure": "figure", "date": "date",
               "org": "organisation", "person": "person"}


def _spans(text_len: int, spans: Iterable[Any]) -> list[tuple[int, int, str, str]]:
    """Valid, non-overlapping spans sorted by start (the first/longest wins an overlap)."""
    clean = []
    for span in spans or ():
        try:
            start, end, kind = int(span[0]), int(span[1]), str(span[2])
            label = "" if len(span) < 4 or span[3] is None else str(span[3])
        except (TypeError, ValueError, IndexError):
            continue
        start, end = max(0, start), min(text_len, end)
        if start < end:
            clean.append((start, end, kind if kind in KIND_COLOURS else "other", label))
    clean.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out, last_end = [], 0
    for s in clean:
        if s[0] >= last_end:
            out.append(s)
            last_end = s[1]
    return out


def highlight_html(text: Any, spans: Iterable[Any] = ()) -> str:
    """HTML of `text` with each (start, end, kind, label) span in a <mark>; all text escaped."""
    text = text if isinstance(text, str) else ("" if text is None else str(text))
    text = _REORDERING.sub("\ufffd", text)
    # pre-wrap keeps the article's line breaks; overflow-wrap breaks a word longer than the
    # column (a 5,000-letter "word" must not push the page sideways)
    parts = ['<div class="atlas-article" style="white-space: pre-wrap; overflow-wrap: anywhere; '
             'line-height: 1.6">']
    pos = 0
    for start, end, kind, label in _spans(len(text), spans):
        parts.append(html.escape(text[pos:start]))
        colour = KIND_COLOURS.get(kind, "#eeeeee")
        title = html.escape(f"{KIND_LABELS.get(kind, kind)}: {label}" if label else KIND_LABELS.get(kind, kind))
        parts.append(
            f'<mark class="hl-{kind}" style="background:{colour}; padding:0 2px; border-radius:3px"'
            f' title="{title}">{html.escape(text[start:end])}</mark>'
        )
        pos = end
    parts.append(html.escape(text[pos:]))
    parts.append("</div>")
    return "".join(parts)


def legend_html() -> str:
    """A one-line legend of the span colours."""
    items = [
        f'<mark style="background:{c}; padding:0 4px; border-radius:3px">{html.escape(KIND_LABELS[k])}</mark>'
        for k, c in KIND_COLOURS.items()
    ]
    return " ".join(items)
