"""Split body text into sentences with offsets, so every extracted item names its sentence.

Rule-based on purpose: news prose is regular enough, and it keeps us fast and dependency-free.
Hard-wrapped wire copy (newlines inside sentences) is detected and its line breaks ignored.
"""
from __future__ import annotations

import re
from functools import lru_cache

from data_prep.lexicon import DEFAULT_LANGUAGE, language
from data_prep.records import Sentence

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "st", "jr", "sr",
    "no", "nos", "vs", "etc", "inc", "ltd", "corp", "co", "plc", "dept", "est", "approx", "fig", "vol", "pp",
    "u.s", "u.k", "u.n", "e.u", "e.g", "i.e", "a.m", "p.m", "mln", "bln", "bn", "pct", "dlr", "dlrs", "rs", "min",
}


@lru_cache(maxsize=1)
def _month_abbreviations() -> frozenset[str]:
    """"Jan." or "Sept." does not end a sentence. The default language's only: German "sie."
    (Polish for August) ends many a sentence."""
    lang = language(DEFAULT_LANGUAGE)
    words = {w for forms in lang.cldr["months"].values() for w in forms["abbr"]}
    words |= {w for ws in lang.section("dates").get("month_abbr", {}).values() for w in ws}
    return frozenset(words)


# A sentence may end at . ! ? (plus closing quotes/brackets) followed by space and a likely start.
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-ZÀ-ÞА-Я0-9])")
_BREAK = re.compile(r"\n[ \t]*\n|\n(?=[ \t]{2,}\S)")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?…]*[\"'”’»)\]]*$")


def _hard_wrapped(text: str) -> bool:
    """Wire copy wraps lines at ~70 characters: many lines continue in lower case."""
    lines = [l for l in text.split("\n") if l.strip()]
    if len(lines) < 6:
        return False
    cont = sum(1 for a, b in zip(lines, lines[1:]) if b.lstrip()[:1].islower() and not a.rstrip().endswith((".", "!", "?")))
    return cont >= 0.25 * (len(lines) - 1)


def _blocks(text: str):
    """Paragraph-like blocks: blank lines and indented lines always break; single newlines
    break too unless the text is hard-wrapped."""
    wrapped = _hard_wrapped(text)
    splitter = _BREAK if wrapped else re.compile(r"\n")
    pos = 0
    for m in splitter.finditer(text):
        yield pos, m.start()
        pos = m.end()
    yield pos, len(text)


def split_sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    for b_start, b_end in _blocks(text):
        block = text[b_start:b_end]
        cut = 0
        for m in _END.finditer(block):
            word = _WORD_BEFORE.search(block[max(0, m.start() - 40): m.end()])  # a short look-back keeps this linear
            token = word.group(1).lower().rstrip(".") if word else ""
            if token in _ABBREVIATIONS or token in _month_abbreviations() or (len(token) == 1 and token.isalpha()):
                continue
            _add(out, text, b_start + cut, b_start + m.end())
            cut = m.end()
        _add(out, text, b_start + cut, b_end)
    return out


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped or not any(c.isalnum() for c in stripped):
        return
    lead = len(chunk) - len(chunk.lstrip())
    start += lead
    end = start + len(stripped)
    out.append(Sentence(index=len(out), start=start, end=end, text=" ".join(stripped.split())))


def sentence_at(sentences: list[Sentence], offset: int) -> int:
    """Index of the sentence holding offset (binary search), -1 if none."""
    lo, hi = 0, len(sentences) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        s = sentences[mid]
        if offset < s.start:
            hi = mid - 1
        elif offset >= s.end:
            lo = mid + 1
        else:
            return mid
    return -1
