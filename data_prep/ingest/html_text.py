"""The main text of an HTML page, with its title, publication date, URL and site name.

Pages carry menus, cookie banners and "related articles" lists that name countries the
article is not about, so only the article container is kept, without its furniture.
Parsing is BeautifulSoup with the stdlib "html.parser"; the tree is walked with an explicit
stack (no recursion), so hostile nesting cannot blow the stack, and a page the parser
rejects falls back to tag stripping. Also home of `iso_date`, which turns the date
metadata of pages and table columns into YYYY-MM-DD.
"""
from __future__ import annotations

import datetime as _dt
import email.utils
import html as _html
import re
from dataclasses import dataclass
from typing import Any, Optional

from data_prep.ingest.decoding import clean_text
from data_prep.lexicon import calendar_words


@dataclass(frozen=True)
class HtmlPage:
    text: str
    title: Optional[str] = None
    published: Optional[str] = None  # YYYY-MM-DD
    url: Optional[str] = None
    source: Optional[str] = None  # the site's name


# Elements that never hold article text.
_DROP = frozenset((
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "menu", "iframe", "svg", "math", "button", "select", "option", "textarea", "input",
    "object", "embed", "canvas", "dialog", "head", "title", "meta", "link", "img", "video",
    "audio", "picture", "source", "map",
))
_DROP_ROLES = frozenset(("navigation", "banner", "contentinfo", "complementary", "menu",
                         "menubar", "search", "dialog", "alert", "toolbar"))
# class/id words of page furniture inside the article container.
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|sidebar|related|recommended|"
    r"read-?more|more-?stories|share|sharing|social|cookies?|consent|newsletter|subscribe|"
    r"subscription|advert\w*|ads?|adslot|promo|sponsored|comments?|footer|masthead|banner|"
    r"popup|modal|tags|tag-?list|pagination|pager|toolbar|print|skip)(?:$|[\s_-])",
    re.IGNORECASE,
)
# Paragraph-level elements (blank line around) and line-level ones (line break around).
_PARAGRAPH = frozenset(("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
                        "table", "ul", "ol", "dl", "figure", "section", "article", "main",
                        "address", "hr", "center"))
_LINE = frozenset(("br", "div", "li", "tr", "dt", "dd", "figcaption", "caption", "legend",
                   "fieldset", "details", "summary", "body", "html", "option"))
_CELL = frozenset(("td", "th"))

_PARA_MARK = "\ufdd0"  # noncharacters: never in real text, removed from input first
_LINE_MARK = "\ufdd1"
_MARKS = re.compile("[\ufdd0\ufdd1]")
_HTML_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_BREAKS = re.compile(" ?([\ufdd0\ufdd1][ \ufdd0\ufdd1]*)")
_BLANK_LINES = re.compile(r"\n{3,}")

_DATE_META = (
    "article:published_time", "og:published_time", "datepublished", "article.published",
    "published_time", "published-date", "publication_date", "publish-date", "publishdate",
    "pubdate", "date", "dc.date.issued", "dc.date", "dcterms.issued", "dcterms.created",
    "dcterms.date", "sailthru.date", "parsely-pub-date", "article_date_original",
    "cxenseparse:recs:publishtime", "originalpublicationdate", "datecreated",
)
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{6,40})"')
_MARKUP_TAG = re.compile(
    r"</?(?:p|div|br|span|a|h[1-6]|li|ul|strong|em|b|i|article)\b[^<>]{0,500}>",
    re.IGNORECASE,
)
_TITLE_SEPARATORS = (" | ", " – ", " — ", " - ", " :: ", " » ", " · ")


def html_to_text(markup: str) -> HtmlPage:
    """Main text of an HTML page, paragraphs separated by blank lines; never raises."""
    markup = _MARKS.sub("", markup or "")
    try:
        return _parse(markup)
    except Exception:  # html.parser rejects some hostile markup; RecursionError included
        return HtmlPage(_strip_tags(markup))


def looks_like_html(text: str) -> bool:
    """True for a whole page, or a table cell holding markup rather than plain text."""
    head = text[:2048].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in text[:4096].lower():
        return True
    return len(_MARKUP_TAG.findall(text[:20000])) >= 2



def _parse(markup: str) -> HtmlPage:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    published = _published(soup)
    url = _meta(soup, ("og:url",)) or _canonical(soup)
    source = _meta(soup, ("og:site_name", "application-name"))
    container = _main_container(soup)
    h1 = _first_h1(container) or _first_h1(soup)
    title = h1 or _meta(soup, ("og:title", "twitter:title")) or _page_title(soup)
    text = _text_of(container)
    if not text and container is not soup:
        text = _text_of(soup)
    if h1 and h1 not in text[: len(h1) + 500]:
        text = f"{h1}\n\n{text}" if text else h1
    return HtmlPage(text, _short(title), published, _short(url), _short(source))


def _short(value: Optional[str], limit: int = 1000) -> Optional[str]:
    if not value:
        return None
    value = clean_text(_HTML_SPACE.sub(" ", value)).strip()
    return value[:limit] or None


def _attr(tag: Any, name: str) -> str:
    value = tag.get(name) if hasattr(tag, "get") else None
    if isinstance(value, list):
        value = " ".join(value)
    return value if isinstance(value, str) else ""


def _meta(soup: Any, keys: tuple[str, ...]) -> Optional[str]:
    values = _metas(soup, keys)
    return values[0] if values else None


def _metas(soup: Any, keys: tuple[str, ...]) -> list[str]:
    """Contents of the <meta> tags named in `keys` (property, name or itemprop), in the
    order of `keys`."""
    wanted = {k: i for i, k in enumerate(keys)}
    found: dict[int, str] = {}
    for tag in soup.find_all("meta", limit=2000):
        key = (_attr(tag, "property") or _attr(tag, "name") or _attr(tag, "itemprop")).lower()
        if key in wanted and wanted[key] not in found:
            content = _attr(tag, "content").strip()
            if content:
                found[wanted[key]] = content
    return [found[i] for i in sorted(found)]


def _canonical(soup: Any) -> Optional[str]:
    for tag in soup.find_all("link", limit=500):
        if "canonical" in _attr(tag, "rel").lower().split():
            return _attr(tag, "href").strip() or None
    return None


def _published(soup: Any) -> Optional[str]:
    """The page's own publication date: meta tags, JSON-LD, then <time> elements (not
    those of the page header or menus, which show today's date)."""
    for content in _metas(soup, _DATE_META):
        value = iso_date(content)
        if value:
            return value
    for script in soup.find_all("script", limit=200):
        if "ld+json" in _attr(script, "type").lower():
            m = _JSONLD_DATE.search(script.string or "")
            value = iso_date(m.group(1)) if m else None
            if value:
                return value
    times = soup.find_all("time", limit=500)
    for tag in times:
        if tag.has_attr("pubdate") or _attr(tag, "itemprop").lower() == "datepublished":
            value = iso_date(_attr(tag, "datetime") or tag.get_text(" "))
            if value:
                return value
    article = soup.find("article")
    for tag in (article.find_all("time", limit=50) if article else times[:50]):
        if tag.find_parent(_CHROME) is None:
            value = iso_date(_attr(tag, "datetime"))
            if value:
                return value
    return None


_CHROME = ("header", "nav", "footer", "aside", "menu")


def _first_h1(root: Any) -> Optional[str]:
    """The first non-empty <h1> outside the page header and menus (often the site logo)."""
    for tag in root.find_all("h1", limit=20):
        if tag.find_parent(_CHROME) is not None or _is_furniture(tag, hints=True):
            continue
        text = _HTML_SPACE.sub(" ", tag.get_text(" ")).strip()
        if text:
            return text
    return None


def _page_title(soup: Any) -> Optional[str]:
    tag = soup.find("title")
    title = _HTML_SPACE.sub(" ", tag.get_text(" ")).strip() if tag else ""
    for sep in _TITLE_SEPARATORS:
        if sep in title:
            head, _, tail = title.rpartition(sep)
            if len(tail) < len(head):  # "Headline | Site name"
                return head.strip()
    return title or None


def _main_container(soup: Any) -> Any:
    """The element holding the article: an explicit article body, else the largest
    <article>, else <main>, else the whole page."""
    bodies = soup.find_all(attrs={"itemprop": "articleBody"}, limit=20)
    if not bodies:
        bodies = soup.find_all(class_=_BODY_CLASS, limit=20)
    for group in (bodies, soup.find_all("article", limit=50)):
        best = _largest(group)
        if best is not None:
            return best
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    if main is not None and _text_len(main) > 0:
        return main
    return soup.body or soup


_BODY_CLASS = re.compile(
    r"(?:^|[\s_-])(?:article-?body|articlebody|article-?content|article-?text|story-?body|"
    r"post-?content|entry-?content|content-?body|news-?text|news-?body)(?:$|[\s_-])",
    re.IGNORECASE,
)


def _largest(tags: list) -> Any:
    best, best_len = None, 0
    for tag in tags:
        size = _text_len(tag)
        if size > best_len:
            best, best_len = tag, size
    return best if best_len >= 1 else None


def _text_len(tag: Any) -> int:
    return sum(len(s.strip()) for s in tag.find_all(string=True, limit=20000))


def _is_furniture(tag: Any, hints: bool) -> bool:
    """Page furniture by element and role; with `hints`, also hidden elements and
    class/id names (which can be wrong: "has-sidebar" on a wrapper of everything)."""
    if tag.name in _DROP:
        return True
    if _attr(tag, "role").lower() in _DROP_ROLES:
        return True
    if not hints:
        return False
    if tag.has_attr("hidden"):
        return True
    if _attr(tag, "aria-hidden").lower() == "true":
        return True
    style = _attr(tag, "style").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    if tag.name in ("article", "main", "body", "html"):
        return False
    hints = f"{_attr(tag, 'class')} {_attr(tag, 'id')}"
    return bool(hints.strip()) and _FURNITURE.search(hints) is not None


def _text_of(root: Any) -> str:
    """Visible text below `root`; if class/id hints removed nearly everything, they were
    wrong, and the text is taken again without them."""
    text = _walk_text(root, hints=True)
    if len(text) < 500:
        plain = _walk_text(root, hints=False)
        if len(plain) > 2 * len(text) + 200:
            return plain
    return text


def _walk_text(root: Any, hints: bool) -> str:
    """Visible text below `root`, block elements as line breaks, walked without recursion."""
    from bs4 import NavigableString
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    skip_strings = (Comment, Declaration, Doctype, ProcessingInstruction)
    out: list[str] = []
    stack: list[tuple[Any, int]] = [(root, 0)]  # (node, 0 enter | 1 leave | 2 leave pre)
    pre_depth = 0
    while stack:
        node, action = stack.pop()
        if action:
            if action == 2:
                pre_depth -= 1
            out.append(_PARA_MARK if node.name in _PARAGRAPH else _LINE_MARK)
            continue
        if isinstance(node, NavigableString):
            if isinstance(node, skip_strings):
                continue
            text = str(node)
            if pre_depth:
                text = text.replace("\n", _LINE_MARK)
            out.append(text)
            continue
        name = node.name
        if node is not root and _is_furniture(node, hints):
            continue
        if name in _CELL:
            out.append(" ")
        elif name in _PARAGRAPH or name in _LINE:
            out.append(_PARA_MARK if name in _PARAGRAPH else _LINE_MARK)
            if name == "pre":
                pre_depth += 1
                stack.append((node, 2))
            else:
                stack.append((node, 1))
        children = getattr(node, "contents", None)
        if children:
            stack.extend((child, 0) for child in reversed(children))
    return _layout("".join(out))


def _layout(raw: str) -> str:
    text = _HTML_SPACE.sub(" ", raw)
    text = _BREAKS.sub(lambda m: "\n\n" if _PARA_MARK in m.group(1) else "\n", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", text)
    return clean_text(text).strip()


_TAG = re.compile(r"<[^>]{0,2000}>")
_DROP_BLOCK = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.I | re.S)
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|h[1-6]|tr|table|section|article|blockquote)\b",
                        re.I)


def _strip_tags(markup: str) -> str:
    """Fallback when the parser gives up: drop scripts, tags to breaks, unescape."""
    text = _DROP_BLOCK.sub(" ", markup)
    text = _BLOCK_TAG.sub(lambda m: _PARA_MARK + m.group(), text)
    text = _html.unescape(_TAG.sub(" ", text))
    return _layout(text)


# ---------------------------------------------------------------------------- dates

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?:T|\b)")
_DMY = re.compile(r"(?<!\d)(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?!\d)")
_TEXT_DATE = re.compile(
    r"(?:(\d{1,2})(?:st|nd|rd|th)?\.?\s+([^\W\d_]{3,12})\.?,?\s+(\d{4}))|"
    r"(?:([^\W\d_]{3,12})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))",
    re.IGNORECASE,
)


def iso_date(value: Any) -> Optional[str]:
    """YYYY-MM-DD from a metadata date (ISO 8601, RFC 2822, "28.11.2023", "Nov 28, 2023",
    epoch seconds or milliseconds); None when it is not an unambiguous date.

    The date is the one written (a time zone offset does not move it). Slash dates like
    03/04/2023 are ambiguous between US and other orders and give None unless one part
    is over 12; dot and dash dates are day-first, as on most non-US sites.
    """
    try:
        return _iso_date(value)
    except Exception:
        return None


def _iso_date(value: Any) -> Optional[str]:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 1e11 else value
        if not 0 < seconds < 4102444800:  # up to 2100-01-01
            return None
        return _dt.datetime.fromtimestamp(seconds, _dt.timezone.utc).date().isoformat()
    text = str(value).strip()[:200]
    if not text:
        return None
    if text.isdigit() and len(text) in (10, 13):
        return _iso_date(int(text))
    m = _ISO.search(text)
    if m:
        return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _COMPACT.search(text)
    if m:
        return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DMY.search(text)
    if m:
        first, sep, second, year = int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4))
        if sep == "/" and first <= 12 and second <= 12 and first != second:
            return None
        if sep == "/" and first <= 12 < second:
            return _valid(year, first, second)
        return _valid(year, second, first)
    m = _TEXT_DATE.search(text)
    if m:
        if m.group(1):
            day, month, year = m.group(1), m.group(2), m.group(3)
        else:
            month, day, year = m.group(4), m.group(5), m.group(6)
        number = calendar_words().month_of.get(month.lower())  # any language's, never the machine locale's
        if number:
            return _valid(int(year), number, int(day))
    parsed = email.utils.parsedate(text)
    if parsed:
        return _valid(parsed[0], parsed[1], parsed[2])
    return None


def _valid(year: int, month: int, day: int) -> Optional[str]:
    if not 1800 <= year <= 2100:
        return None
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None
