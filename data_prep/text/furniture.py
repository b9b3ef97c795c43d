"""Tell page furniture (counters, share prompts, related-news lists, credits, footers) apart
from the article body, and find the title.

Furniture is reported as character spans; `mask` blanks them out with spaces so that every
extractor can run on the body while offsets still point into the original text.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional
from data_prep.data_files import read_json

_MAX_FURNITURE_LINE = 200  # body paragraphs are longer; furniture lines are short
_TITLE_MAX_WORDS = 30


@dataclass
class Page:
    furniture: list[tuple[int, int]] = field(default_factory=list)
    title: Optional[str] = None
    title_span: Optional[tuple[int, int]] = None


@dataclass(frozen=True)
class _Rules:
    share: re.Pattern
    list_header: re.Pattern
    list_inline: re.Pattern
    line_start: re.Pattern
    byline: re.Pattern
    whole_line: re.Pattern
    counter: re.Pattern


def _alternation(phrases: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in phrases)


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = read_json("furniture.json")
    starts = [p for p in data["line_start"] if not p.startswith("by [A-Z]")]
    bylines = [p for p in data["line_start"] if p.startswith("by [A-Z]")]
    end = r"[\s.:!?»«\"'|>→…-]*$"
    return _Rules(
        share=re.compile(rf"^\W*(?:{_alternation(data['share'])}){end}", re.I),
        list_header=re.compile(rf"^\W*(?:{_alternation(data['list_headers'])}){end}", re.I),
        list_inline=re.compile(rf"^\W*(?:{_alternation(data['list_headers'])})\W*:\W*\S", re.I),
        line_start=re.compile(rf"^\W{{0,3}}(?:{_alternation(starts)})", re.I),
        byline=re.compile(rf"^\s*(?:[Bb]y|BY) (?:{_alternation([p[3:] for p in bylines])})"),
        whole_line=re.compile(rf"^\W*(?:{_alternation(data['whole_line'])}){end}", re.I),
        counter=re.compile(
            rf"^\W*(?:{_alternation(data['counter_words'])})\W*[\d\s.,]+$", re.I
        ),
    )


_DATE_STAMP = re.compile(
    r"""^\W*(?:date|datum|дата|fecha|published|posted|updated|veröffentlicht|publié)?\W*
    (?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s*|
       (?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|
          vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo|
          понедельник|вторник|среда|четверг|пятница|суббота|воскресенье),?\s*)?
    [\d][\d\s.,:/\-–A-Za-zÀ-ÿА-я]{4,60}$""",
    re.I | re.X,
)
_HAS_DIGIT_DATE = re.compile(r"\d{1,4}[./\-]\d{1,2}[./\-]\d{2,4}|\b(?:19|20)\d{2}\b")
_PROSE_END = re.compile(r"[^\W\d]{2,}[.!?]['\"”]?\s*$")  # a word and a full stop end a sentence
_SENTENCE_END = re.compile(r"[.!?][\"'”»)]?\s*$")
_PIPE = re.compile(r"\s\|\s")
_WORD = re.compile(r"\w+")


def _lines(text: str):
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line), line
        start += len(line) + 1


def _is_stamp(line: str) -> bool:
    """A header line that is only a date/time stamp (maybe with a page counter)."""
    s = line.strip()
    if not s or len(s) > 80 or _PROSE_END.search(s):
        return False  # "20 years from 1989, a spokesman said." is a wrapped body line, not a stamp
    return bool(_HAS_DIGIT_DATE.search(s)) and bool(_DATE_STAMP.match(s)) \
        and len(_WORD.findall(re.sub(r"\d", "", s))) <= 4


def _is_furniture(line: str, rules: _Rules) -> bool:
    s = line.strip()
    if not s or len(s) > _MAX_FURNITURE_LINE:
        return False
    if rules.share.match(s) or rules.whole_line.match(s) or rules.counter.match(s):
        return True
    if rules.line_start.match(s) or rules.byline.match(s) or rules.list_inline.match(s):
        return True
    if re.fullmatch(r"[\W\d_]+", s):  # only numbers and punctuation: counters, ids, separators
        return True
    # "Site name | tagline", "Images | source", breadcrumbs: short pipe-separated lines
    if _PIPE.search(s) and not _SENTENCE_END.search(s) and len(s) <= 120:
        return True
    return False


def _is_list_item(line: str) -> bool:
    s = line.strip()
    return bool(s) and len(s) <= 160 and not re.search(r"[.!?]\s+[A-Z]", s)


def _title_like(line: str) -> bool:
    s = line.strip()
    words = _WORD.findall(s)
    if not (2 <= len(words) <= _TITLE_MAX_WORDS) or len(s) > 220:
        return False
    return not s.endswith(".") or s.endswith("..")


def split_page(text: str, title: Optional[str] = None) -> Page:
    """Find furniture spans and the title. Headlines, datelines and captions stay body."""
    rules = _rules()
    lines = list(_lines(text))
    furniture: list[tuple[int, int]] = []
    in_list = False
    n_body_chars = sum(len(l) for _, _, l in lines) or 1
    seen = 0
    for start, end, line in lines:
        seen += len(line)
        s = line.strip()
        if in_list:
            if not s:
                continue
            if _is_list_item(s) or _is_furniture(s, rules):
                furniture.append((start, end))
                continue
            in_list = False
        if _is_furniture(s, rules) or _is_stamp(s):
            furniture.append((start, end))
            continue
        if s and rules.list_header.match(s) and seen / n_body_chars > 0.3:
            furniture.append((start, end))
            in_list = True
    page = Page(furniture=_merge(furniture))
    if title:
        page.title = title.strip()
        return page
    furn = set(furniture)
    for start, end, line in lines[:12]:
        if (start, end) in furn or not line.strip():
            continue
        if _title_like(line):
            lead = len(line) - len(line.lstrip())
            page.title = line.strip()
            page.title_span = (start + lead, start + lead + len(page.title))
            break
        if len(line.strip()) > 120:  # the body has started: no headline line
            break
    return page


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank out spans with spaces (newlines kept) so offsets stay valid."""
    if not spans:
        return text
    parts = []
    last = 0
    for s, e in spans:
        parts.append(text[last:s])
        parts.append(re.sub(r"[^\n]", " ", text[s:e]))
        last = e
    parts.append(text[last:])
    return "".join(parts)
