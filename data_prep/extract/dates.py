"""Dates in article text: the article's own publication date and every calendar reference.

Two compiled regexes (digit-led and word-led tokens) are matched only where a digit run or a
date word starts, which keeps a 4 KB article well under a millisecond; small rules then
decide which tokens are dates and resolve partial or relative ones against the publication
date (passed in, never the clock), so the same text always gives the same values. Month and
weekday names and relative words ("last year" ... in a dozen languages) come from the language
data (`lexicon.calendar_words`); the rules around them from `data/date_words.json`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Optional

from data_prep.data_files import read_json
from data_prep.lexicon import calendar_words
from data_prep.records import DateRef, PublicationDate
from data_prep.text.tries import trie_pattern


# Full-width / Arabic-Indic digits, no-break and zero-width spaces, direction marks: folded
# one character for one, so offsets into the folded text are offsets into the caller's text.
_FOLD = {
    **{chr(base + i): str(i) for base in (0xFF10, 0x0660, 0x06F0, 0x0966) for i in range(10)},
    **{c: " " for c in "\u00a0\u2007\u202f\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u061c\u2066\u2067\u2068\u2069"},
}
_FOLDABLE = re.compile("[" + "".join(_FOLD) + "]")

_Y = r"(?:1[89]\d\d|20\d\d|2100)"  # 1800-2100
_DN = r"(?:3[01]|[12]\d|0?[1-9])(?!\d)"
_SUF = r"(?:st|nd|rd|th|er|º|ª)?"
_YEND = r"(?![\d%]|[.,]\d)"
_CURRENCY = tuple("$€£¥₹₽₸₺₩")
_RANGE_GAP = re.compile(
    r"\s*(?:[-–—]|to|till|until|through|thru|bis|au|à|a|al|hasta|até|tot|до|по|ile|hingga|sampai)\s*",
    re.I)
_LIST_GAP = re.compile(r"\s*(?:and|or|&|und|et|y|e|en|и|ve|dan)\s*", re.I)
_COMMA_GAP = re.compile(r"\s*,\s*")
_WEEKDAY_GAP = re.compile(r"[\s,]*(?:the\s+)?|[\s,(]*", re.I)
_PREV_WORD = re.compile(r"([^\W\d_][\w'’]*)\.?(?:[ \t]+|[ \t]*\n[ \t]*)$")  # a wrapped line may separate them
_TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?|uhr|gmt|utc|[A-Z]{2,4}\b)?", re.I)
_WORD = re.compile(r"[^\W\d_]{2,}")
_WORD_RUN = re.compile(r"\w+")
_WORD_DASH_END = re.compile(r"[^\W\d_][-–]$")
_YEAR_PAIR_AFTER = re.compile(r"\s*(?:and|or|to|through|until|till|&|-|–)\s*(?:19|20)\d\d(?!\d)", re.I)
_YEAR_PAIR_BEFORE = re.compile(r"(?:1[89]|20)\d\d\s*(?:and|or|to|through|until|till|&)\s*$", re.I)
_ISO_DAY = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")
_COUNTER_AFTER = re.compile(r"[\s,:]*\d")
_TITLE_WORD_END = re.compile(r"[A-Z][\w.]*[ \t]+$")
_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;]\s*|\n\s*)\Z")
_PAST_VERBS = (r"said|says|told|announced|reported|signed|met|held|agreed|was|were|had|did|took|"
               r"made|gave|won|began|opened|closed|rose|fell|sold|bought|[a-z]{3,}ed")
# "BAKU, Azerbaijan, " / "ASTANA (Kazinform) - " before a dateline's date
_DATELINE = re.compile(
    r"[ \t]*[A-ZÀ-ÖØ-ÞА-ЯЁ]{2}[A-ZÀ-ÖØ-ÞА-ЯЁ'’.\- ]{0,40}(?:\([^)\n]{1,40}\))?"
    r"(?:,[ \t]*[^\W\d_][\w'’.\- ]{0,40}){0,2}[,.:]?[ \t]*(?:[-–—][ \t]*)?")
_AMPM = re.compile(r"[aApP]\.[mM]\.")
_US_DAY = re.compile(r"/(?:1[3-9]|2\d|3[01])/(?:19|20)\d\d(?!\d)")  # "/31/2024" of "01/31/2024"
_US_MONTH = re.compile(r"(?<![\d.,/])(?:0?[1-9]|1[0-2])")


_DATE_ATOM = {" ": r"\s+", "'": "['’]", "-": "[-‐]"}  # a space, apostrophe or hyphen as written


def _trie(words) -> str:
    """Regex alternation of `words` as a prefix trie: fails at the first wrong letter."""
    return trie_pattern(words, atom_pattern=lambda ch: _DATE_ATOM.get(ch) or re.escape(ch))


def _norm(phrase: str) -> str:
    return " ".join(phrase.lower().replace("’", "'").replace("‐", "-").split())


@dataclass(frozen=True)
class _Lex:
    digit_rx: re.Pattern
    word_rx: re.Pattern
    starters: frozenset  # first words of every month / weekday / relative phrase, as written
    month_of: dict
    abbr: frozenset
    english: frozenset
    lower_not: frozenset
    weak: frozenset
    no_bare: frozenset
    weekday_of: dict
    wd_not_before: frozenset
    rel_day: dict
    rel_year: dict
    rel_month: dict
    modifiers: dict
    month_ctx: frozenset
    year_ctx: frozenset
    year_weak: frozenset
    year_after: frozenset
    year_not_before: frozenset
    event_stop: frozenset
    tense_rx: re.Pattern  # groups "future" (will, is to ...) and "past" (said, signed ...)
    counter_rx: re.Pattern
    header_rx: re.Pattern
    header_before_rx: re.Pattern  # "... | Updated: " right before a date
    source_rx: re.Pattern


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    """Load the word lists once and compile the scanning regexes."""
    w = read_json("date_words.json")
    cal = calendar_words()
    month_of, abbr, weekday_of = cal.month_of, cal.abbr, cal.weekday_of
    rel_day = {_norm(k): v for k, v in cal.relative_days.items()}
    rel_year = {_norm(k): v for k, v in cal.relative_years.items()}
    rel_month = {_norm(k): v for k, v in cal.relative_months.items()}
    names = [m for m in month_of if m not in abbr]
    mon = rf"(?<!\w)(?:{_trie(names)}|{_trie(abbr)}\.?)(?!\w)"
    sep_my = r"(?:\s*,\s*|\s*[-./]\s*|\s+)(?:(?:de|del|of)\s+)?"
    # tokens that start with a digit ...
    digit_led = rf"""
      (?P<cjk>(?P<cy>{_Y})\s*[年년]\s*(?P<cm>1[0-2]|0?[1-9])\s*[月월]
         (?:\s*(?P<cd>3[01]|[12]\d|0?[1-9])\s*[日号일])?)
    | (?P<iso>(?<![\w.,/:-]){_Y}(?P<isep>[-/.])(?:1[0-2]|0?[1-9])(?P=isep)(?:3[01]|[12]\d|0?[1-9]){_YEND})
    | (?P<num>(?<![\w.,/:-])(?:3[01]|[12]\d|0?[1-9])(?P<nsep>[./-])(?:3[01]|[12]\d|0?[1-9])(?P=nsep){_Y}{_YEND})
    | (?P<dm>(?<![\w.,/:$€£¥-])(?P<d1>{_DN}){_SUF}\.?
         (?:\s*(?:[-–—]|to|and|&|bis|au|et|und|al|y|a|e|tot)\s*(?P<d2>{_DN}){_SUF}\.?)?
         (?:\s*[-./]\s*|\s+)(?:(?:of|de)\s+)?(?P<m1>{mon})
         (?:{sep_my}(?P<y1>{_Y}){_YEND})?)
    | (?P<yr>(?<![\w.,/$€£¥#:])(?P<ya>{_Y})\s*(?:[-–—]|/)\s*(?P<yb>{_Y}|\d\d)(?![\w%]|[.,]\d))
    | (?P<y>(?:(?<=FY)|(?<=FY\s)|(?<![\w.,/$€£¥#:])){_Y}(?![\w%]|[.,]\d))
    """
    # ... and tokens that start with a word
    word_led = rf"""
      (?P<md>(?P<m2>{mon})
         (?:\s*(?P<d3>{_DN}){_SUF}(?![\w%]|[.,]\d)
            (?:\s*(?:[-–—]|to|and|&)\s*(?P<d4>{_DN}){_SUF}(?![\w%]|[.,]\d))?)?
         (?:{sep_my}(?P<y2>{_Y}){_YEND})?)
    | (?P<rel>(?<!\w)(?:{_trie(list(rel_day) + list(rel_year) + list(rel_month))})(?!\w))
    | (?P<wd>(?<!\w)(?:{_trie(weekday_of)})(?!\w))
    """
    starters = set()
    for phrase in [*month_of, *weekday_of, *rel_day, *rel_year, *rel_month]:
        first = _WORD_RUN.match(phrase)
        if first:
            w0 = first.group()
            starters.update((w0, w0.capitalize(), w0.upper()))
    # lower-case "may", "out", "set" ... open a date only after a day ("4 may 2024"), which
    # the digit-led regex finds; leaving them out spares a match on every English "may"
    starters -= cal.lowercase_not_month | cal.weak_months

    def line_rx(words) -> re.Pattern:
        return re.compile(rf"[ \t]*(?:{_trie(_norm(x) for x in words)})(?!\w)", re.I)

    return _Lex(
        digit_rx=re.compile(digit_led, re.I | re.X), word_rx=re.compile(word_led, re.I | re.X),
        starters=frozenset(starters),
        month_of=month_of, abbr=frozenset(abbr),
        english=cal.english, lower_not=cal.lowercase_not_month,
        weak=cal.weak_months, no_bare=cal.no_bare,
        weekday_of=weekday_of, wd_not_before=frozenset(w["weekday_not_date_before"]),
        rel_day=rel_day, rel_year=rel_year, rel_month=rel_month, modifiers=cal.modifiers,
        month_ctx=frozenset(w["month_context_before"]),
        year_ctx=frozenset(w["year_context_before"]), year_weak=frozenset(w["year_weak_before"]),
        year_after=frozenset(w["year_context_after"]),
        year_not_before=frozenset(w["year_not_before"]), event_stop=frozenset(w["event_name_stop"]),
        tense_rx=re.compile(rf"(?<!\w)(?:(?P<future>{_trie(_norm(x) for x in w['future_cues'])})"
                            rf"|(?<!\bbe )(?P<past>{_PAST_VERBS}))(?!\w)", re.I),  # "will be held" is no past
        counter_rx=re.compile(rf"{line_rx(w['counter_words']).pattern}\s*:?\s*\d[\d.,' ]*\s*$", re.I),
        header_rx=line_rx(w["header_words"]),
        header_before_rx=re.compile(rf"(?<!\w)(?:{_trie(_norm(x) for x in w['header_words'])})"
                                    r"\s*:?\s*(?:(?:on|am|le|el|em|op)\s*:?\s*)?\Z", re.I),  # "Posted on: "
        source_rx=line_rx(w["source_words"]),
    )


@dataclass
class _Tok:
    """One date-like token; y/m/d are what the text states (None where it omits them)."""

    kind: str  # date | yrange | year | rel | wd
    start: int
    end: int
    y: Optional[int] = None
    m: Optional[int] = None
    d: Optional[int] = None
    d2: Optional[int] = None  # second day of "18-19 April"
    y2: Optional[int] = None  # end of a year range
    word: str = ""  # month word as written, relative phrase or weekday
    numeric: bool = False
    prev: Optional["_Tok"] = None  # the month token this one continues ("May to September")
    link: str = ""  # how it continues it: range | list | comma
    linked_on: bool = False  # a later month token continues this one
    ok: bool = True
    bare: bool = False  # a month name alone, a date only in context
    rel: bool = False  # the resolved year came from the publication date


def _valid(y: int, m: int, d: Optional[int]) -> bool:
    try:
        date(y, m, d or 1)
        return True
    except ValueError:
        return False


def _fold(text: str) -> str:
    return _FOLDABLE.sub(lambda m: _FOLD[m.group()], text)


def _us_style(text: str) -> bool:
    """MM/DD/YYYY page: a.m./p.m. times or a slash date whose second part exceeds 12."""
    if _AMPM.search(text):
        return True
    return "/" in text and any(_US_MONTH.fullmatch(text, max(0, m.start() - 2), m.start())
                               or _US_MONTH.fullmatch(text, max(0, m.start() - 1), m.start())
                               for m in _US_DAY.finditer(text))


_DIGIT_RUN = re.compile(r"[0-9]+")


def _candidates(lex: _Lex, text: str, pos: int, endpos: int) -> list[tuple[int, bool]]:
    """Start offsets worth matching: digit runs and words that begin a date word.

    Matching only there (instead of one regex tried at every character) keeps the scan
    well under a millisecond for a 4 KB article."""
    out = [(m.start(), True) for m in _DIGIT_RUN.finditer(text, pos, endpos)
           if m.end() - m.start() in (1, 2, 4)]  # a day, a month or a year
    for form in lex.starters.intersection(_WORD_RUN.findall(text, pos, endpos)):
        at = text.find(form, pos, endpos)
        n = len(form)
        while at >= 0:
            if not (at and text[at - 1].isalnum()) and not (at + n < len(text) and text[at + n].isalpha()):
                out.append((at, False))
            at = text.find(form, at + n, endpos)
    out.sort()
    return out


def _scan(lex: _Lex, text: str, us: bool, pos: int = 0, endpos: Optional[int] = None) -> list[_Tok]:
    """Every date-like token between pos and endpos, parsed but not yet judged."""
    endpos = len(text) if endpos is None else endpos
    out: list[_Tok] = []
    done = pos
    for at, digit in _candidates(lex, text, pos, endpos):
        if at < done:
            continue
        mt = (lex.digit_rx if digit else lex.word_rx).match(text, at, endpos)
        if mt is None:
            continue
        s, e = mt.span()
        done = e
        g, kind = mt.group, mt.lastgroup
        if kind == "cjk":
            t = _Tok("date", s, e, int(g("cy")), int(g("cm")), int(g("cd")) if g("cd") else None,
                     numeric=True)
        elif kind == "iso":
            y, m, d = (int(p) for p in g("iso").split(g("isep")))
            t = _Tok("date", s, e, y, m, d, numeric=True)
        elif kind == "num":
            a, b, y = (int(p) for p in g("num").split(g("nsep")))
            if b > 12 or (us and g("nsep") == "/" and a <= 12):
                a, b = b, a
            t = _Tok("date", s, e, y, b, a, numeric=True)
        elif kind in ("dm", "md"):
            if kind == "dm":
                word, day, day2, yr = g("m1"), g("d1"), g("d2"), g("y1")
            else:
                word, day, day2, yr = g("m2"), g("d3"), g("d4"), g("y2")
            m = lex.month_of.get(word.rstrip(".").lower().replace("’", "'"))
            if m is None:
                continue
            t = _Tok("date", s, e, int(yr) if yr else None, m, int(day) if day else None,
                     int(day2) if day2 else None, word=word)
        elif kind == "yr":
            ya, yb = int(g("ya")), g("yb")
            yb = int(yb) if len(yb) == 4 else ya // 100 * 100 + int(yb)
            if yb <= ya:
                t = _Tok("year", s, s + 4, ya)
            else:
                t = _Tok("yrange", s, e, ya, y2=yb)
        elif kind == "rel":
            t = _Tok("rel", s, e, word=_norm(g("rel")))
        elif kind == "wd":
            t = _Tok("wd", s, e, word=g("wd").lower())
        else:
            t = _Tok("year", s, e, int(g("y")))
        if t.kind == "date" and (t.m is None or not _valid(t.y or 2000, t.m, t.d)
                                 or (t.d2 is not None and (t.d2 <= (t.d or 0) or not _valid(t.y or 2000, t.m, t.d2)))):
            continue
        out.append(t)
    return out


# ---------------------------------------------------------------- judging tokens

def _word_before(text: str, s: int) -> str:
    """The word (letters first, a trailing dot dropped) right before `s` across spaces or one
    wrapped line; '' when something else stands between."""
    m = _PREV_WORD.search(text, max(0, s - 40), s)
    return m.group(1) if m else ""


def _month_judge(lex: _Lex, t: _Tok) -> None:
    """Decide whether a textual month token is a date; bare months wait for context."""
    raw = t.word.rstrip(".")
    key = raw.lower().replace("’", "'")
    caps = raw[:1].isupper()
    full = t.d is not None and t.y is not None
    if (key in lex.lower_not and not caps) or key in lex.weak:
        t.ok = full
    elif key in lex.english and not caps and t.d is None:
        t.ok = False
    elif t.d is None and t.y is None:
        t.ok = not (key in lex.abbr or key in lex.no_bare)
        t.bare = t.ok


def _month_context(lex: _Lex, text: str, t: _Tok) -> bool:
    before = text[max(0, t.start - 8):t.start].lower()
    if before.endswith(("mid-", "mid–")):
        return True
    pw = _word_before(text, t.start).lower()
    return pw in lex.month_ctx or pw in lex.modifiers


_NOT_PLURAL = frozenset({"this", "was", "has", "its", "his", "hers", "thus", "plus", "less", "unless",
                         "across", "whereas", "does", "goes", "always", "perhaps", "besides"})


def _year_ok(lex: _Lex, text: str, s: int, e: int) -> bool:
    """A bare 1800-2100 number is a year only in year-like context: "in 2019", "the 2023
    summit", "NEXT Astana 2023"; not "2000 tonnes", "$2019", "the 1990s"."""
    after = text[e:e + 60]
    if after.startswith(("'s", "’s")):
        return text[e - 1] != "0"  # "1990's" is a decade
    before = text[max(0, s - 60):s]
    if before.rstrip().endswith(_CURRENCY):
        return False
    if before[-3:].rstrip().upper().endswith("FY"):
        return True
    if before.endswith(("(", "[")) and after.startswith((")", "]")):
        return True
    if _WORD_DASH_END.search(before):
        return True
    words: list[str] = []
    if after[:1].isspace():
        for part in after.split()[:3]:
            core = part.strip("()[]\"'“”‘’«»")
            core = core.rstrip(".,;:!?")
            if not core:
                break
            words.append(core)
            if part[-1] in ",;:!?)":
                break
    low = [x.lower() for x in words]
    if low and (low[0] in lex.year_not_before or low[0].replace(".", "") in lex.year_not_before):
        return False
    if _YEAR_PAIR_AFTER.match(after):
        return True
    if any(x in lex.year_after or x in lex.month_of for x in low[:2]):
        return True
    plural_next = (bool(words) and words[0][:1].islower() and low[0].endswith("s") and len(low[0]) > 3
                   and not low[0].endswith(("ss", "us", "is")) and low[0] not in _NOT_PLURAL)
    prev = _word_before(text, s)
    pl = prev.lower()
    if text[s:s + 2] == "18":  # only "in 1899", "since 1870": 18xx is more often a count
        return pl in lex.year_ctx and pl not in lex.year_weak and not plural_next
    if _YEAR_PAIR_BEFORE.search(before):  # "1986 and 1987"
        return True
    if pl in lex.year_ctx:
        return not (pl in lex.year_weak and plural_next)  # not "to 2000 workers"
    if pl == "the" and words and words[0][:1].islower() and not plural_next and low[0] not in lex.year_not_before:
        return True  # "the 2023 drought", "the 2019 agreement"
    # a year in a name: "NEXT Astana 2023", "Expo 2020", "Q1 2024"; a capital that only
    # opens a sentence ("Call 2019 for ...") needs the name to go on after the year
    if not prev[:1].isupper() or pl in lex.event_stop or pl in lex.month_of or pl in lex.weekday_of:
        return False
    opens = _SENTENCE_END.search(text, max(0, s - 80), s - len(prev) - 1) is not None
    return not plural_next and (not opens or prev.isupper() or (bool(words) and words[0][:1].isupper()))


def _sentence_start(text: str, s: int) -> int:
    """Start of the sentence holding s. A line break ends a sentence only after a full stop, or
    before a blank or indented line: wire copy wraps its lines in mid-sentence."""
    head = max(0, s - 200)
    cut = max(text.rfind(". ", head, s), text.rfind("? ", head, s))
    nl = text.rfind("\n", head, s)
    while nl > cut:
        if text[:nl].rstrip()[-1:] in ".!?:" or text[nl + 1:nl + 2] in ("\n", " ", "\t", ""):
            cut = max(cut, nl)
            break
        nl = text.rfind("\n", head, nl)
    return cut + 1 if cut >= 0 else head


def _future_before(lex: _Lex, text: str, s: int) -> bool:
    """A future cue earlier in the sentence ("could be signed ... in January")."""
    return any(m.lastgroup == "future" for m in lex.tense_rx.finditer(text, _sentence_start(text, s), s))


def _tense(lex: _Lex, text: str, s: int, e: int) -> Optional[str]:
    """"future", "past" or None for the clause around a token: the tense cue nearest before
    it decides ("said on Monday" / "will meet on Monday"), else the first one after it
    ("On Friday, the minister will visit")."""
    before = list(lex.tense_rx.finditer(text, _sentence_start(text, s), s))
    if before:
        return before[-1].lastgroup
    stop = min(len(text), e + 120)
    ends = [i for i in (text.find(". ", e, stop), text.find("\n\n", e, stop)) if i >= 0]
    after = lex.tense_rx.search(text, e, min(ends) if ends else stop)
    return after.lastgroup if after else None


# ---------------------------------------------------------------- resolving

def _nearest_day(pub: date, m: int, d: int) -> Optional[int]:
    best = None
    for y in (pub.year - 1, pub.year, pub.year + 1):
        if _valid(y, m, d):
            k = (abs((date(y, m, d) - pub).days), y)
            best = min(best, k) if best else k
    return best[1] if best else None


def _resolve_year(lex: _Lex, text: str, t: _Tok, pub: Optional[date]) -> tuple[Optional[int], bool]:
    """Year for a month token the text gives without one: (year, depends-on-publication)."""
    a = t.prev
    if a is not None and a.y is not None:
        after = (t.m, t.d or 0) >= (a.m, a.d or 0)
        return (a.y if after else a.y + 1), a.rel
    if pub is None:
        return None, False
    mod = lex.modifiers.get(_word_before(text, t.start).lower())
    when, now = ((t.m, t.d), (pub.month, pub.day)) if t.d else (t.m, pub.month)
    if mod == -1:  # "last August": the most recent one strictly before
        return (pub.year if when < now else pub.year - 1), True
    if mod == 1:
        return (pub.year if when > now else pub.year + 1), True
    if mod == 0:
        return pub.year, True
    if t.d is None:  # the publication year; the year before for a later month in a sentence
        y = pub.year  # about the past (or far ahead), the year after for an earlier month ahead
        forward = (_FORWARD_NOUN.match(text, t.end) is not None  # "for May shipment", "by July"
                   or _FORWARD_BEFORE.search(text, max(0, t.start - 40), t.start) is not None)
        tense = None if forward else _tense(lex, text, t.start, t.end)
        if t.m > pub.month and (tense == "past" or (t.m - pub.month > 6 and tense != "future")):
            y -= 1
        elif t.m < pub.month and (_future_before(lex, text, t.start) or forward and pub.month - t.m > 6):
            y += 1
        return y, True
    y = _nearest_day(pub, t.m, t.d)
    if y is not None:  # a clear tense overrules "nearest" more than a week away:
        gap = (date(y, t.m, t.d) - pub).days  # "signed on 5 March" in November is a past March
        tense = _tense(lex, text, t.start, t.end) if abs(gap) > 7 else None
        if (tense == "past" and gap > 0) or (tense == "future" and gap < 0):
            y += -1 if gap > 0 else 1
            y = y if _valid(y, t.m, t.d) else None
    return y, True


_FORWARD_NOUN = re.compile(r"(?:\s+(?:and|to|-|–)\s+\w+)?\s+(?:shipments?|deliver(?:y|ies)|loading|arrivals?)\b", re.I)
_FORWARD_BEFORE = re.compile(r"(?:\b(?:shipments?|deliver(?:y|ies)|loading)\b(?:\s+\w+){0,2}|\bby(?:\s+(?:the\s+)?(?:end|start|middle)\s+of)?)\s+\Z", re.I)
_JUST_SPACE = re.compile(r"[ \t]*\n?[ \t]*")


def _year_from_relative(lex: _Lex, text: str, toks: list[_Tok], pub: date, consumed: set[int]) -> None:
    """'January-November last year', 'in March last year', 'September next year': the relative
    year dates the months before it and is no date of its own."""
    for i, t in enumerate(toks):
        if t.kind != "rel" or t.word not in lex.rel_year or i == 0:
            continue
        a = toks[i - 1]
        if a.kind != "date" or a.numeric or a.y is not None or not _JUST_SPACE.fullmatch(text, a.end, t.start):
            continue
        year = pub.year + lex.rel_year[t.word]
        while a is not None and a.y is None:
            a.y = year if a.prev is None or a.link == "comma" or (a.prev.m or 0) <= (a.m or 0) else year
            if a.link in ("range", "list") and a.prev is not None and a.prev.y is None:
                a.prev.y = year if (a.prev.m or 0) <= (a.m or 0) else year - 1
            a = a.prev if a.link in ("range", "list") else None
        consumed.add(id(t))


def _years_of_month_ranges(lex: _Lex, text: str, toks: list[_Tok], pub: date) -> None:
    """'January-August' (no year): the year that puts the whole range nearest the publication
    date ('May to September' in March is the coming one, 'January-August' in September the past)."""
    for b in toks:
        a = b.prev
        if (b.kind != "date" or b.link != "range" or a is None or a.y is not None or b.y is not None
                or a.d or b.d or not a.m or not b.m or _word_before(text, a.start).lower() in lex.modifiers):
            continue
        now = pub.year * 12 + pub.month
        best = None
        for y0 in (pub.year - 1, pub.year, pub.year + 1):
            start = y0 * 12 + a.m
            end = (y0 if b.m >= a.m else y0 + 1) * 12 + b.m
            gap = 0 if start <= now <= end else min(abs(start - now), abs(end - now))
            if best is None or gap < best[0]:
                best = (gap, y0)
        a.y = best[1]


def _iso(y: int, m: Optional[int] = None, d: Optional[int] = None) -> str:
    return f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if d else "")


def _parse_pub(published: Optional[str]) -> Optional[date]:
    if not published or not isinstance(published, str):
        return None
    m = _ISO_DAY.match(published)
    if not m or not 1800 <= int(m[1]) <= 2100:  # beyond that it is no article's date
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def find_dates(text: str, published: str | None) -> list[DateRef]:
    """Every calendar reference in `text` (furniture already masked), in text order.

    Dates without a year and relative ones ("last year", "on Tuesday") resolve against
    `published` (YYYY-MM-DD); without it they are left out rather than guessed.
    `relative` is True where the value depends on the publication date.
    """
    if not isinstance(text, str) or not text:
        return []
    lex = _lex()
    folded = _fold(text)
    pub = _parse_pub(published)
    tokens = _scan(lex, folded, _us_style(folded))
    months = [tok for tok in tokens if tok.kind == "date" and not tok.numeric]
    for tok in months:
        _month_judge(lex, tok)
    _link_month_ranges(folded, tokens)
    consumed: set[int] = set()
    if pub is not None:
        _year_from_relative(lex, folded, tokens, pub, consumed)
        _years_of_month_ranges(lex, folded, tokens, pub)
    for tok in months:  # a month alone needs context: "in May", "May to September", "May, June"
        if tok.bare:
            before = tok.prev
            tok.ok = (_month_context(lex, folded, tok) or tok.linked_on
                      or (before is not None and before.ok and (tok.link != "comma" or before.bare)))
    return _date_refs(lex, text, folded, tokens, pub, consumed)


def _link_month_ranges(folded: str, tokens: list[_Tok]) -> None:
    """Link month tokens that form ranges or lists ("May to September", "April 18 and May 2,
    2024"); a range's first end takes the year of its second ("November to April 1987")."""
    for first, second in zip(tokens, tokens[1:]):
        if not (first.kind == second.kind == "date" and not (first.numeric or second.numeric)
                and first.ok and second.ok):
            continue
        gap = folded[first.end:second.start]
        link = ("range" if _RANGE_GAP.fullmatch(gap) else "list" if _LIST_GAP.fullmatch(gap)
                else "comma" if _COMMA_GAP.fullmatch(gap) else "")
        if not link:
            continue
        second.prev, second.link, first.linked_on = first, link, link != "comma"
        if first.y is None and second.y is not None and link != "comma":
            first.y = (second.y if link == "list" or (first.m, first.d or 0) <= (second.m, second.d or 99)
                       else second.y - 1)


def _date_refs(lex: _Lex, text: str, folded: str, tokens: list[_Tok], pub: Optional[date],
               consumed: set[int]) -> list[DateRef]:
    """The judged tokens as DateRefs: dates (with a day range's second day), year ranges,
    years that are dates, and (with a publication date) relative days and weekdays."""
    out: list[DateRef] = []

    def emit(value: str, granularity: str, tok: _Tok, relative: bool) -> None:
        out.append(DateRef(value, granularity, text[tok.start:tok.end], tok.start, tok.end, relative))

    for i, tok in enumerate(tokens):
        if tok.kind == "date":
            if not tok.ok:
                continue
            year, relative = (tok.y, False) if tok.y is not None else _resolve_year(lex, folded, tok, pub)
            if year is None or not _valid(year, tok.m, tok.d):
                continue
            tok.y, tok.rel = year, relative
            granularity = "day" if tok.d else "month"
            emit(_iso(year, tok.m, tok.d), granularity, tok, relative)
            if tok.d2 and _valid(year, tok.m, tok.d2):
                emit(_iso(year, tok.m, tok.d2), granularity, tok, relative)
        elif tok.kind == "yrange":
            emit(_iso(tok.y), "year", tok, False)
            emit(_iso(tok.y2), "year", tok, False)
        elif tok.kind == "year":
            if _year_ok(lex, folded, tok.start, tok.end):
                emit(_iso(tok.y), "year", tok, False)
        elif pub is None:
            continue
        elif tok.kind == "rel":
            if id(tok) not in consumed:
                _emit_relative(lex, folded, tok, pub, emit)
        elif tok.kind == "wd":
            day = _weekday_date(lex, folded, tokens, i, pub)
            if day is not None:
                emit(day.isoformat(), "day", tok, True)
    return out


def _emit_relative(lex: _Lex, text: str, t: _Tok, pub: date, emit) -> None:
    if t.word in lex.rel_day:
        if _COUNTER_AFTER.match(text, t.end, t.end + 6):
            return  # a visitor counter or a portal header: "Heute 291", "Heute, 12.03.2024"
        raw = text[t.start:t.end]
        if raw[:1].isupper() and _TITLE_WORD_END.search(text, max(0, t.start - 30), t.start):
            return  # a title: "USA Today", "Kazakhstan Today"
        emit((pub + timedelta(days=lex.rel_day[t.word])).isoformat(), "day", t, True)
    elif t.word in lex.rel_year:
        emit(_iso(pub.year + lex.rel_year[t.word]), "year", t, True)
    elif t.word in lex.rel_month:
        k = pub.year * 12 + pub.month - 1 + lex.rel_month[t.word]
        emit(_iso(k // 12, k % 12 + 1), "month", t, True)


def _weekday_date(lex: _Lex, text: str, toks: list[_Tok], i: int, pub: date) -> Optional[date]:
    t = toks[i]
    wd = lex.weekday_of.get(t.word)
    if wd is None:
        return None
    prev = _word_before(text, t.start).lower()
    if prev in lex.wd_not_before:
        return None  # "Black Friday"
    for j in (i - 1, i + 1):  # part of a full date ("Tuesday, 5 March") or of "Monday to Friday"
        if 0 <= j < len(toks):
            o = toks[j]
            gap = text[o.end:t.start] if j < i else text[t.end:o.start]
            if o.kind == "date" and o.d and _WEEKDAY_GAP.fullmatch(gap):
                return None
            if o.kind == "wd" and (_RANGE_GAP.fullmatch(gap) or _LIST_GAP.fullmatch(gap)):
                return None
    mod = lex.modifiers.get(prev)
    if mod == 1 or (mod != -1 and _tense(lex, text, t.start, t.end) == "future"):
        return pub + timedelta(days=(wd - pub.weekday()) % 7 or 7)
    back = (pub.weekday() - wd) % 7
    if mod == -1 and back == 0:
        back = 7
    return pub - timedelta(days=back)


# ---------------------------------------------------------------- publication date

def _full_dates(toks: list[_Tok]) -> list[_Tok]:
    return [t for t in toks if t.kind == "date" and t.y and t.m and t.d]


def _stamp_like(text: str, s: int, e: int, toks: list[_Tok], max_words: int) -> bool:
    """A line that is mostly a date stamp (date, time, weekday, a few words)."""
    if e - s > 200:
        return False
    parts, pos = [], s
    for t in toks:
        parts.append(text[pos:t.start])
        pos = t.end
    parts.append(text[pos:e])
    rest = _TIME.sub(" ", " ".join(parts))
    return len(_WORD.findall(rest)) <= max_words


_SEPARATOR = re.compile(r"[|·•]")


def _stamp_segment(text: str, s: int, e: int, t: "_Tok", toks: list["_Tok"]) -> bool:
    """'By Desk | January 21, 2025 | 3 min read', '*Prague, June 3, 2025* · By Desk': the date
    stands (nearly) alone between separators."""
    bars = [m.start() for m in _SEPARATOR.finditer(text, s, e)]
    if not bars:
        return False
    seg_s = max([b + 1 for b in bars if b < t.start], default=s)
    seg_e = min([b for b in bars if b >= t.end], default=e)
    return _stamp_like(text, max(s, seg_s), seg_e, [x for x in toks if seg_s <= x.start < seg_e], 2)


def _lines(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _LINE.finditer(text) if not m.group().isspace()]


def _stamp_value(s: str) -> Optional[str]:
    """YYYY-MM-DD of the first full date in a short string (a metadata column)."""
    lex = _lex()
    s = _fold(s)
    full = _full_dates(_scan(lex, s, _us_style(s)))
    return _iso(full[0].y, full[0].m, full[0].d) if full else None


_OPENING_STAMP = 40  # characters of a long first paragraph read for a date stamp that opens it


def find_publication_date(text: str, metadata_date: str | None = None) -> PublicationDate | None:
    """The article's own date: metadata, else a source line, a header stamp, a dated
    dateline or a sign-off. A portal's "today" header beside visitor counters is not the
    article's date; a month and day without a year is not a publication date."""
    if isinstance(metadata_date, str) and metadata_date.strip():
        value = _stamp_value(metadata_date)
        if value:
            return PublicationDate(value, metadata_date, 0, 0, "metadata")
    if not isinstance(text, str) or not text:
        return None
    lex = _lex()
    folded = _fold(text)
    us = _us_style(folded)
    lines = _lines(folded)
    head = lines[:8]
    portal = sum(1 for s, e in lines[:15] if lex.counter_rx.fullmatch(folded, s, e)) >= 2

    scanned: dict[tuple[int, int], list[_Tok]] = {}

    def found(s: int, e: int, how: str) -> Optional[PublicationDate]:
        keyed = how == "source-line" or lex.header_rx.match(folded, s, e) is not None
        opening = False
        if how == "dateline":
            e = min(e, s + 120)  # the date opens a dateline
        elif e - s > 200 and not keyed:
            if how != "header":
                return None  # a body paragraph, not a stamp
            e, opening = s + _OPENING_STAMP, True  # "March 28th, 2022 The institute will ..."
        toks = scanned.get((s, e))
        if toks is None:
            toks = scanned[(s, e)] = _scan(lex, folded, us, s, e)
        full = _full_dates(toks)
        if not full:
            return None
        t = full[0]
        if opening:  # a stamp glued to the first paragraph opens it
            return PublicationDate(_iso(t.y, t.m, t.d), text[t.start:t.end], t.start, t.end, how) \
                if not folded[s:t.start].strip() else None
        if how == "header" and not (keyed or _stamp_like(folded, s, e, toks, 4) or _stamp_segment(folded, s, e, t, toks)
                                    or lex.header_before_rx.search(folded, max(s, t.start - 40), t.start)):
            return None
        if how == "dateline" and not (t.start - s <= 70 and _DATELINE.fullmatch(folded, s, t.start)):
            return None
        if how == "sign-off" and not _stamp_like(folded, s, e, toks, 6):
            return None
        return PublicationDate(_iso(t.y, t.m, t.d), text[t.start:t.end], t.start, t.end, how)

    searches = [("source-line", [ln for ln in lines if lex.source_rx.match(folded, *ln)])]
    if not portal:
        keyed = [ln for ln in lines[8:30] if lex.header_rx.match(folded, *ln)]
        searches.append(("header", head + keyed))
    searches.append(("dateline", lines[:12]))
    for how, where in searches:
        for s, e in where:
            hit = found(s, e, how)
            if hit:
                return hit
    # a sign-off is the one dated line at the end; several are a "Related articles" list
    signed = [hit for s, e in lines[len(head):][-6:] if (hit := found(s, e, "sign-off"))]
    return signed[0] if len(signed) == 1 else None
