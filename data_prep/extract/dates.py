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
from dataclasses import dataclass, field
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
    date_words = read_json("date_words.json")
    cal = calendar_words()
    month_of, abbr, weekday_of = cal.month_of, cal.abbr, cal.weekday_of
    rel_day = {_norm(k): v for k, v in cal.relative_days.items()}
    rel_year = {_norm(k): v for k, v in cal.relative_years.items()}
    rel_month = {_norm(k): v for k, v in cal.relative_months.items()}
    digit_led, word_led = _scanner_sources(month_of, abbr, weekday_of, [*rel_day, *rel_year, *rel_month])
    starters = _starters([*month_of, *weekday_of, *rel_day, *rel_year, *rel_month])
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
        weekday_of=weekday_of, wd_not_before=frozenset(date_words["weekday_not_date_before"]),
        rel_day=rel_day, rel_year=rel_year, rel_month=rel_month, modifiers=cal.modifiers,
        month_ctx=frozenset(date_words["month_context_before"]),
        year_ctx=frozenset(date_words["year_context_before"]), year_weak=frozenset(date_words["year_weak_before"]),
        year_after=frozenset(date_words["year_context_after"]),
        year_not_before=frozenset(date_words["year_not_before"]), event_stop=frozenset(date_words["event_name_stop"]),
        tense_rx=re.compile(rf"(?<!\w)(?:(?P<future>{_trie(_norm(x) for x in date_words['future_cues'])})"
                            rf"|(?<!\bbe )(?P<past>{_PAST_VERBS}))(?!\w)", re.I),  # "will be held" is no past
        counter_rx=re.compile(rf"{line_rx(date_words['counter_words']).pattern}\s*:?\s*\d[\d.,' ]*\s*$", re.I),
        header_rx=line_rx(date_words["header_words"]),
        header_before_rx=re.compile(rf"(?<!\w)(?:{_trie(_norm(x) for x in date_words['header_words'])})"
                                    r"\s*:?\s*(?:(?:on|am|le|el|em|op)\s*:?\s*)?\Z", re.I),  # "Posted on: "
        source_rx=line_rx(date_words["source_words"]),
    )


def _scanner_sources(month_of: dict[str, int], abbr: frozenset[str], weekday_of: dict[str, int],
                     relative: list[str]) -> tuple[str, str]:
    """Regex sources (verbose) of the two scanners: tokens that start with a digit, and
    tokens that start with a word."""
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
    | (?P<rel>(?<!\w)(?:{_trie(relative)})(?!\w))
    | (?P<wd>(?<!\w)(?:{_trie(weekday_of)})(?!\w))
    """
    return digit_led, word_led


def _starters(phrases: list[str]) -> set[str]:
    """The first words of date words and phrases, as written in lower case, capitalised and
    in capitals: where the word-led scanner is tried."""
    starters = set()
    for phrase in phrases:
        first = _WORD_RUN.match(phrase)
        if first:
            word = first.group()
            starters.update((word, word.capitalize(), word.upper()))
    return starters


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
        match = (lex.digit_rx if digit else lex.word_rx).match(text, at, endpos)
        if match is None:
            continue
        done = match.end()
        tok = _token(lex, match, us)
        if tok is not None and not _impossible(tok):
            out.append(tok)
    return out


def _token(lex: _Lex, match: re.Match, us: bool) -> Optional[_Tok]:
    """The token a scanner match stands for; None for a month word that names no month."""
    start, end = match.span()
    group, kind = match.group, match.lastgroup
    if kind in ("cjk", "iso", "num"):
        return _numeric_date(match, us)
    if kind in ("dm", "md"):
        return _month_date(lex, match)
    if kind == "yr":
        first, second = int(group("ya")), group("yb")
        second = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
        return _Tok("year", start, start + 4, first) if second <= first else _Tok("yrange", start, end, first, y2=second)
    if kind == "rel":
        return _Tok("rel", start, end, word=_norm(group("rel")))
    if kind == "wd":
        return _Tok("wd", start, end, word=group("wd").lower())
    return _Tok("year", start, end, int(group("y")))


def _numeric_date(match: re.Match, us: bool) -> _Tok:
    """'2024年3月4日', '2024-03-04', '04.03.2024' (day first, unless a US site writes '3/4/2024')."""
    start, end = match.span()
    group, kind = match.group, match.lastgroup
    if kind == "cjk":
        return _Tok("date", start, end, int(group("cy")), int(group("cm")),
                    int(group("cd")) if group("cd") else None, numeric=True)
    if kind == "iso":
        year, month, day = (int(p) for p in group("iso").split(group("isep")))
        return _Tok("date", start, end, year, month, day, numeric=True)
    day, month, year = (int(p) for p in group("num").split(group("nsep")))
    if month > 12 or (us and group("nsep") == "/" and day <= 12):
        day, month = month, day
    return _Tok("date", start, end, year, month, day, numeric=True)


def _month_date(lex: _Lex, match: re.Match) -> Optional[_Tok]:
    """'4 March 2024', '4-5 March', 'March 4, 2024', 'March': a month word with what it has."""
    group = match.group
    if match.lastgroup == "dm":
        word, day, day2, year = group("m1"), group("d1"), group("d2"), group("y1")
    else:
        word, day, day2, year = group("m2"), group("d3"), group("d4"), group("y2")
    month = lex.month_of.get(word.rstrip(".").lower().replace("’", "'"))
    if month is None:
        return None
    return _Tok("date", match.start(), match.end(), int(year) if year else None, month,
                int(day) if day else None, int(day2) if day2 else None, word=word)


def _impossible(tok: _Tok) -> bool:
    """A date no calendar has (31 April, a day range that runs backwards)."""
    return tok.kind == "date" and (
        tok.m is None or not _valid(tok.y or 2000, tok.m, tok.d)
        or (tok.d2 is not None and (tok.d2 <= (tok.d or 0) or not _valid(tok.y or 2000, tok.m, tok.d2))))


# ---------------------------------------------------------------- judging tokens

def _word_before(text: str, s: int) -> str:
    """The word (letters first, a trailing dot dropped) right before `s` across spaces or one
    wrapped line; '' when something else stands between."""
    m = _PREV_WORD.search(text, max(0, s - 40), s)
    return m.group(1) if m else ""


def _month_judge(lex: _Lex, tok: _Tok) -> None:
    """Decide whether a textual month token is a date; bare months wait for context."""
    raw = tok.word.rstrip(".")
    key = raw.lower().replace("’", "'")
    caps = raw[:1].isupper()
    full = tok.d is not None and tok.y is not None
    if (key in lex.lower_not and not caps) or key in lex.weak:
        tok.ok = full
    elif key in lex.english and not caps and tok.d is None:
        tok.ok = False
    elif tok.d is None and tok.y is None:
        tok.ok = not (key in lex.abbr or key in lex.no_bare)
        tok.bare = tok.ok


def _month_context(lex: _Lex, text: str, tok: _Tok) -> bool:
    before = text[max(0, tok.start - 8):tok.start].lower()
    if before.endswith(("mid-", "mid–")):
        return True
    pw = _word_before(text, tok.start).lower()
    return pw in lex.month_ctx or pw in lex.modifiers


_NOT_PLURAL = frozenset({"this", "was", "has", "its", "his", "hers", "thus", "plus", "less", "unless",
                         "across", "whereas", "does", "goes", "always", "perhaps", "besides"})


def _year_ok(lex: _Lex, text: str, s: int, e: int) -> bool:
    """A bare 1800-2100 number is a year only in year-like context: "in 2019", "the 2023
    summit", "NEXT Astana 2023"; not "2000 tonnes", "$2019", "the 1990s"."""
    after = text[e:e + 60]
    before = text[max(0, s - 60):s]
    by_form = _year_by_form(text, e, before, after)
    if by_form is not None:
        return by_form
    words = _words_after_year(after)
    low = [x.lower() for x in words]
    if low and (low[0] in lex.year_not_before or low[0].replace(".", "") in lex.year_not_before):
        return False
    if _YEAR_PAIR_AFTER.match(after):
        return True
    if any(x in lex.year_after or x in lex.month_of for x in low[:2]):
        return True
    return _year_by_word_before(lex, text, s, before, words)


def _year_by_form(text: str, e: int, before: str, after: str) -> Optional[bool]:
    """What the characters around a number say: "1990's" is a decade, "$2019" money; "FY2024",
    "(2019)", "mid-2024" are years; None when they say nothing."""
    if after.startswith(("'s", "’s")):
        return text[e - 1] != "0"  # "1990's" is a decade
    if before.rstrip().endswith(_CURRENCY):
        return False
    if before[-3:].rstrip().upper().endswith("FY"):
        return True
    if before.endswith(("(", "[")) and after.startswith((")", "]")):
        return True
    if _WORD_DASH_END.search(before):
        return True
    return None


def _words_after_year(after: str) -> list[str]:
    """Up to three words right after a number, bare of quotes and brackets, to the first
    punctuation."""
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
    return words


def _year_by_word_before(lex: _Lex, text: str, s: int, before: str, words: list[str]) -> bool:
    """Whether the word before a number makes it a year ("in 2019", "the 2023 drought", "Expo
    2020"), given the words after it ("to 2000 workers" counts)."""
    low = [x.lower() for x in words]
    plural_next = (bool(words) and words[0][:1].islower() and low[0].endswith("s") and len(low[0]) > 3
                   and not low[0].endswith(("ss", "us", "is")) and low[0] not in _NOT_PLURAL)
    prev = _word_before(text, s)
    prev_low = prev.lower()
    if text[s:s + 2] == "18":  # only "in 1899", "since 1870": 18xx is more often a count
        return prev_low in lex.year_ctx and prev_low not in lex.year_weak and not plural_next
    if _YEAR_PAIR_BEFORE.search(before):  # "1986 and 1987"
        return True
    if prev_low in lex.year_ctx:
        return not (prev_low in lex.year_weak and plural_next)  # not "to 2000 workers"
    if prev_low == "the" and words and words[0][:1].islower() and not plural_next \
            and low[0] not in lex.year_not_before:
        return True  # "the 2023 drought", "the 2019 agreement"
    # a year in a name: "NEXT Astana 2023", "Expo 2020", "Q1 2024"; a capital that only
    # opens a sentence ("Call 2019 for ...") needs the name to go on after the year
    if not prev[:1].isupper() or prev_low in lex.event_stop or prev_low in lex.month_of \
            or prev_low in lex.weekday_of:
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


def _resolve_year(lex: _Lex, text: str, tok: _Tok, pub: Optional[date]) -> tuple[Optional[int], bool]:
    """Year for a month token the text gives without one: (year, depends-on-publication)."""
    anchor = tok.prev
    if anchor is not None and anchor.y is not None:
        after = (tok.m, tok.d or 0) >= (anchor.m, anchor.d or 0)
        return (anchor.y if after else anchor.y + 1), anchor.rel
    if pub is None:
        return None, False
    modifier = lex.modifiers.get(_word_before(text, tok.start).lower())
    if modifier in (-1, 0, 1):  # "last August", "next March", "this May"
        return _year_by_modifier(modifier, tok, pub), True
    if tok.d is None:
        return _month_year(lex, text, tok, pub), True
    return _day_year(lex, text, tok, pub), True


def _year_by_modifier(modifier: int, tok: _Tok, pub: date) -> int:
    """"last August": the most recent one strictly before publication; "next": the first one
    after; "this": the publication year."""
    when, now = ((tok.m, tok.d), (pub.month, pub.day)) if tok.d else (tok.m, pub.month)
    if modifier == -1:
        return pub.year if when < now else pub.year - 1
    if modifier == 1:
        return pub.year if when > now else pub.year + 1
    return pub.year


def _month_year(lex: _Lex, text: str, tok: _Tok, pub: date) -> int:
    """A month without a day: the publication year; the year before for a later month in a
    sentence about the past (or far ahead), the year after for an earlier month ahead."""
    year = pub.year
    forward = (_FORWARD_NOUN.match(text, tok.end) is not None  # "for May shipment", "by July"
               or _FORWARD_BEFORE.search(text, max(0, tok.start - 40), tok.start) is not None)
    tense = None if forward else _tense(lex, text, tok.start, tok.end)
    if tok.m > pub.month and (tense == "past" or (tok.m - pub.month > 6 and tense != "future")):
        year -= 1
    elif tok.m < pub.month and (_future_before(lex, text, tok.start) or forward and pub.month - tok.m > 6):
        year += 1
    return year


def _day_year(lex: _Lex, text: str, tok: _Tok, pub: date) -> Optional[int]:
    """A day and month: the nearest such day to publication, unless a clear tense says
    otherwise more than a week away ("signed on 5 March" in November is a past March)."""
    year = _nearest_day(pub, tok.m, tok.d)
    if year is not None:
        gap = (date(year, tok.m, tok.d) - pub).days
        tense = _tense(lex, text, tok.start, tok.end) if abs(gap) > 7 else None
        if (tense == "past" and gap > 0) or (tense == "future" and gap < 0):
            year += -1 if gap > 0 else 1
            year = year if _valid(year, tok.m, tok.d) else None
    return year


_FORWARD_NOUN = re.compile(r"(?:\s+(?:and|to|-|–)\s+\w+)?\s+(?:shipments?|deliver(?:y|ies)|loading|arrivals?)\b", re.I)
_FORWARD_BEFORE = re.compile(r"(?:\b(?:shipments?|deliver(?:y|ies)|loading)\b(?:\s+\w+){0,2}|\bby(?:\s+(?:the\s+)?(?:end|start|middle)\s+of)?)\s+\Z", re.I)
_JUST_SPACE = re.compile(r"[ \t]*\n?[ \t]*")


def _year_from_relative(lex: _Lex, text: str, toks: list[_Tok], pub: date, consumed: set[int]) -> None:
    """'January-November last year', 'in March last year', 'September next year': the relative
    year dates the months before it and is no date of its own."""
    for i, tok in enumerate(toks):
        if tok.kind != "rel" or tok.word not in lex.rel_year or i == 0:
            continue
        a = toks[i - 1]
        if a.kind != "date" or a.numeric or a.y is not None or not _JUST_SPACE.fullmatch(text, a.end, tok.start):
            continue
        year = pub.year + lex.rel_year[tok.word]
        while a is not None and a.y is None:
            a.y = year if a.prev is None or a.link == "comma" or (a.prev.m or 0) <= (a.m or 0) else year
            if a.link in ("range", "list") and a.prev is not None and a.prev.y is None:
                a.prev.y = year if (a.prev.m or 0) <= (a.m or 0) else year - 1
            a = a.prev if a.link in ("range", "list") else None
        consumed.add(id(tok))


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


def _emit_relative(lex: _Lex, text: str, tok: _Tok, pub: date, emit) -> None:
    if tok.word in lex.rel_day:
        if _COUNTER_AFTER.match(text, tok.end, tok.end + 6):
            return  # a visitor counter or a portal header: "Heute 291", "Heute, 12.03.2024"
        raw = text[tok.start:tok.end]
        if raw[:1].isupper() and _TITLE_WORD_END.search(text, max(0, tok.start - 30), tok.start):
            return  # a title: "USA Today", "Kazakhstan Today"
        emit((pub + timedelta(days=lex.rel_day[tok.word])).isoformat(), "day", tok, True)
    elif tok.word in lex.rel_year:
        emit(_iso(pub.year + lex.rel_year[tok.word]), "year", tok, True)
    elif tok.word in lex.rel_month:
        k = pub.year * 12 + pub.month - 1 + lex.rel_month[tok.word]
        emit(_iso(k // 12, k % 12 + 1), "month", tok, True)


def _weekday_date(lex: _Lex, text: str, toks: list[_Tok], i: int, pub: date) -> Optional[date]:
    tok = toks[i]
    wd = lex.weekday_of.get(tok.word)
    if wd is None:
        return None
    prev = _word_before(text, tok.start).lower()
    if prev in lex.wd_not_before:
        return None  # "Black Friday"
    for j in (i - 1, i + 1):  # part of a full date ("Tuesday, 5 March") or of "Monday to Friday"
        if 0 <= j < len(toks):
            o = toks[j]
            gap = text[o.end:tok.start] if j < i else text[tok.end:o.start]
            if o.kind == "date" and o.d and _WEEKDAY_GAP.fullmatch(gap):
                return None
            if o.kind == "wd" and (_RANGE_GAP.fullmatch(gap) or _LIST_GAP.fullmatch(gap)):
                return None
    mod = lex.modifiers.get(prev)
    if mod == 1 or (mod != -1 and _tense(lex, text, tok.start, tok.end) == "future"):
        return pub + timedelta(days=(wd - pub.weekday()) % 7 or 7)
    back = (pub.weekday() - wd) % 7
    if mod == -1 and back == 0:
        back = 7
    return pub - timedelta(days=back)


# ---------------------------------------------------------------- publication date

def _full_dates(toks: list[_Tok]) -> list[_Tok]:
    return [tok for tok in toks if tok.kind == "date" and tok.y and tok.m and tok.d]


def _stamp_like(text: str, s: int, e: int, toks: list[_Tok], max_words: int) -> bool:
    """A line that is mostly a date stamp (date, time, weekday, a few words)."""
    if e - s > 200:
        return False
    parts, pos = [], s
    for tok in toks:
        parts.append(text[pos:tok.start])
        pos = tok.end
    parts.append(text[pos:e])
    rest = _TIME.sub(" ", " ".join(parts))
    return len(_WORD.findall(rest)) <= max_words


_SEPARATOR = re.compile(r"[|·•]")


def _stamp_segment(text: str, s: int, e: int, tok: "_Tok", toks: list["_Tok"]) -> bool:
    """'By Desk | January 21, 2025 | 3 min read', '*Prague, June 3, 2025* · By Desk': the date
    stands (nearly) alone between separators."""
    bars = [m.start() for m in _SEPARATOR.finditer(text, s, e)]
    if not bars:
        return False
    seg_s = max([b + 1 for b in bars if b < tok.start], default=s)
    seg_e = min([b for b in bars if b >= tok.end], default=e)
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


@dataclass
class _Page:
    """The text the publication date is looked for in: as given, folded, its date order, and
    the tokens of each stretch scanned so far (a line is read under several rules)."""

    text: str
    folded: str
    us: bool
    lex: _Lex
    scanned: dict[tuple[int, int], list[_Tok]] = field(default_factory=dict)

    def tokens(self, s: int, e: int) -> list[_Tok]:
        toks = self.scanned.get((s, e))
        if toks is None:
            toks = self.scanned[(s, e)] = _scan(self.lex, self.folded, self.us, s, e)
        return toks


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
    page = _Page(text, folded, _us_style(folded), lex)
    lines = _lines(folded)
    head = lines[:8]
    portal = sum(1 for s, e in lines[:15] if lex.counter_rx.fullmatch(folded, s, e)) >= 2
    searches = [("source-line", [ln for ln in lines if lex.source_rx.match(folded, *ln)])]
    if not portal:
        keyed = [ln for ln in lines[8:30] if lex.header_rx.match(folded, *ln)]
        searches.append(("header", head + keyed))
    searches.append(("dateline", lines[:12]))
    for how, where in searches:
        for s, e in where:
            hit = _stamp_in(page, s, e, how)
            if hit:
                return hit
    # a sign-off is the one dated line at the end; several are a "Related articles" list
    signed = [hit for s, e in lines[len(head):][-6:] if (hit := _stamp_in(page, s, e, "sign-off"))]
    return signed[0] if len(signed) == 1 else None


def _stamp_in(page: _Page, s: int, e: int, how: str) -> Optional[PublicationDate]:
    """The publication date that the stretch s..e of the page gives when read as `how`
    (a source line, a header, a dateline or a sign-off), if it is one."""
    lex, folded = page.lex, page.folded
    keyed = how == "source-line" or lex.header_rx.match(folded, s, e) is not None
    opening = False
    if how == "dateline":
        e = min(e, s + 120)  # the date opens a dateline
    elif e - s > 200 and not keyed:
        if how != "header":
            return None  # a body paragraph, not a stamp
        e, opening = s + _OPENING_STAMP, True  # "March 28th, 2022 The institute will ..."
    toks = page.tokens(s, e)
    full = _full_dates(toks)
    if not full:
        return None
    tok = full[0]
    stamp = PublicationDate(_iso(tok.y, tok.m, tok.d), page.text[tok.start:tok.end], tok.start,
                            tok.end, how)
    if opening:  # a stamp glued to the first paragraph opens it
        return stamp if not folded[s:tok.start].strip() else None
    if how == "header" and not (keyed or _stamp_like(folded, s, e, toks, 4)
                                or _stamp_segment(folded, s, e, tok, toks)
                                or lex.header_before_rx.search(folded, max(s, tok.start - 40), tok.start)):
        return None
    if how == "dateline" and not (tok.start - s <= 70 and _DATELINE.fullmatch(folded, s, tok.start)):
        return None
    if how == "sign-off" and not _stamp_like(folded, s, e, toks, 6):
        return None
    return stamp
