"""The one way text from strangers reaches the screen: shown as written, never as markup.

Everything the atlas shows comes from strangers: article files, uploaded tables, links
someone shared. Streamlit renders the text of headings, captions, notices, toasts, progress
bars and tooltips as GitHub-flavoured Markdown, which makes links of bare URLs, runs inline
HTML-like syntax, and reads `:red[...]` directives; Plotly renders tags such as `<a href>` in
hover text. So no page passes such text to a renderer itself: it calls one of the functions
here. `tests/test_inert.py` walks the source of the app and fails when a renderer is given
anything but a literal string outside this module.

- `md(text)` is Markdown source that shows `text` as itself: every ASCII punctuation mark is
  backslash-escaped (CommonMark makes each then a literal character), so there is no emphasis,
  link, HTML, heading, list, table or directive; an invisible word joiner inside web and mail
  addresses stops the autolinks that Streamlit adds after escapes are resolved; leading
  spaces become no-break spaces (no code block) and line breaks stay line breaks.
- `label(text)` drops the characters that reorder or hide text (bidi overrides and isolates,
  zero-width characters, other controls), for one-line labels: titles, names, chart labels.
- `chart_text(value)` is `label` HTML-escaped for Plotly's hover and label text.
- `markdown(template, **values)` renders the app's own Markdown template with each value made
  inert; the template itself is a literal in the calling code.
- `link(label, url)` shows a link the app makes on purpose: only from a parsed http(s) URL.
"""
from __future__ import annotations

import html
import re
from typing import Any, Literal, Optional
from urllib.parse import urlsplit, urlunsplit

import pandas as pd

from atlas_ui.highlight import highlight_html, legend_html

# Bidi embeddings, overrides and isolates; zero-width spaces, joiners and marks; the word
# joiner and invisible operators; the byte-order mark; the soft hyphen; C0/C1 controls but
# tab and line breaks.
_HIDDEN = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
                     "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_LEADING_SPACES = re.compile(r"^[ \t]+", re.M)
_SPACE = re.compile(r"\s+")
NoticeKind = Literal["info", "warning", "error", "success"]
_LINK_SCHEMES = ("http", "https")


def _str(value: Any) -> str:
    """The text of a value; "" for a missing one (None, NaN, NA)."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    try:
        if bool(pd.isna(value)):
            return ""
    except (TypeError, ValueError):  # list-likes
        pass
    return str(value)


def label(value: Any, limit: Optional[int] = None) -> str:
    """`value` as one line with hidden and reordering characters dropped, cut to `limit`."""
    text = _SPACE.sub(" ", _HIDDEN.sub("", _str(value))).strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


# Streamlit's Markdown makes links of web and mail addresses after escapes are resolved, so
# escaping cannot stop it: an invisible word joiner inside 'http://', 'www.' and 'a@b' can.
_JOINER = "\u2060"
_AUTOLINKS = ((re.compile(r"\\:\\/\\/"), "\\:" + _JOINER + "\\/\\/"),
              (re.compile(r"(?i)\bwww\\\."), lambda m: m.group()[:3] + _JOINER + "\\."),
              (re.compile(r"\\@"), "\\@" + _JOINER))


def md(value: Any) -> str:
    """Markdown source that renders `value` exactly as written, line breaks kept."""
    text = _HIDDEN.sub("", _str(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = _ASCII_PUNCTUATION.sub(r"\\\1", text)
    for pattern, joined in _AUTOLINKS:
        text = pattern.sub(joined, text)
    text = _LEADING_SPACES.sub(lambda m: "\u00a0" * len(m.group().expandtabs(4)), text)
    return text.replace("\n", "  \n")  # a hard line break each


def shown(source: str) -> str:
    """The text a reader sees for Markdown source made by `md`: escapes resolved, hard line
    breaks as line breaks (tests compare what is on the screen with this)."""
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source).replace("  \n", "\n")
    return text.replace("\u00a0", " ").replace(_JOINER, "")


def chart_text(value: Any, limit: int = 160) -> str:
    """A one-line label escaped for Plotly, which reads tags in hover and label text."""
    if isinstance(value, (list, tuple, set)):
        value = "; ".join(label(v) for v in value if label(v))
    return html.escape(label(value, limit), quote=True)


def markdown(template: str, **values: Any) -> str:
    """The app's own Markdown `template` with each `{name}` filled by an inert value."""
    return template.format(**{k: md(v) for k, v in values.items()})


# ------------------------------------------------------------------ renderers (Streamlit)
# Imported when drawn, so the text functions above stay pure: charts and tests use them
# without Streamlit.

def _st():
    import streamlit

    return streamlit


def heading(value: Any, limit: int = 300) -> None:
    """A sub-heading showing a title from an article as written."""
    _st().subheader(md(label(value, limit)), anchor=False)


def caption(value: Any) -> None:
    _st().caption(md(value))


def text(value: Any) -> None:
    _st().markdown(md(value))


def notice(kind: NoticeKind, value: Any) -> None:
    """An info, warning, error or success box whose text is shown as written."""
    if kind not in ("info", "warning", "error", "success"):
        raise ValueError(f"unknown notice kind {kind!r}")
    getattr(_st(), kind)(md(value))


def toast(value: Any) -> None:
    _st().toast(md(value))


def show_markdown(template: str, **values: Any) -> None:
    """The app's own Markdown (a literal template) with inert values in it."""
    _st().markdown(markdown(template, **values))


def progress_text(value: Any) -> str:
    """Text for a progress bar, which Streamlit renders as Markdown."""
    return md(label(value, 200))


def article_view(body: Any, spans: Any) -> None:
    """An article with its extracted spans marked: `highlight_html` escapes every piece."""
    st = _st()
    st.markdown(legend_html(), unsafe_allow_html=True)
    st.html(highlight_html(body, spans))


def safe_url(value: Any) -> Optional[str]:
    """The URL rebuilt from its parsed parts when its scheme is http or https, else None."""
    raw = label(value)
    try:
        parts = urlsplit(raw)
    except ValueError:
        return None
    if parts.scheme.lower() not in _LINK_SCHEMES or not parts.netloc:
        return None
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path, parts.query, parts.fragment))


def link(text_label: str, value: Any) -> None:
    """A link the app makes on purpose (an article's own source), or the URL as plain text
    when it is not an http(s) address."""
    url = safe_url(value)
    if url is None:
        if label(value):
            caption(f"Address (not a web link): {label(value, 300)}")
        return
    _st().link_button(text_label, url)
