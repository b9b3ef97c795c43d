"""Deal records: each pair's event date and the money the text ties to the pair.

This is the one home of both decisions. It runs after the extractors, on their output
(sentences, country mentions, figures, dates, pairs), so it is a pure function of an
`ArticleExtraction`:

- **date**: the event the article reports for the pair: a day or month near the publication
  date, by an event word ('met yesterday'), in the lead (unless the lead reports another pair)
  or the pair's own sentences; when the lead reports the pair, only its lead sentences that
  name one of the pair's countries (later dates are other events); else the month of a week the pair's sentences name ('later this
  week'); else the publication date. Datelines and background clauses ('which came into effect
  on ...') never date it. Without a publication date, a day or month by an event word in the
  pair's own sentences (those the lead reports of it, when it does), else the lead's first
  day or month. The words after a date are read past its comma ('On 20 June, Chile and Peru
  signed').
- **money**: an amount in a sentence that evidences the pair, that names both countries by it,
  that the text calls the pair's own ('two-way trade'), or that continues a pair's sentences
  ('It racked up another 1.4 billion dlrs'), or that names a country of the article's only
  pair for it and says what it measures ('Peru will invest $80 million'), unless it is one
  country's own total ('India's overall exports', 'Japan's 55 billion dlr market') or the
  deal of a multilateral body the sentence names ('a loan with the IMF'). An amount and its
  bracketed conversion ('£1bn ($1.9bn)') share one context; the same amount told twice is
  one item, with its most specific measure. A side story's own dated event dates it. Each amount gets a measure (trade,
  investment, loan, aid, deal, other) and a status (actual or planned) from the words by it.

The words are data: each language's in the `deals` section of `data/lang/<code>/words.json`
(read in the article's language, `ArticleExtraction.language`), the multilateral bodies in
`data/deal_cues.json`.
"""
from __future__ import annotations

import bisect
import datetime as _dt
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Optional, Sequence

from data_prep.data_files import read_json
from data_prep.kinds import MONEY_MEASURES, MONEY_STATUSES
from data_prep.lexicon import DEFAULT_LANGUAGE, LexiconError, deal_words
from data_prep.records import ArticleExtraction, DateRef, DealMoney, Partnership, Sentence

MEASURES, STATUSES = MONEY_MEASURES, MONEY_STATUSES
# The measure a pair's kind suggests when the words around an amount say nothing.
_KIND_MEASURE = {"trade": "trade", "investment": "investment", "finance": "loan",
                 "agreement": "deal", "project": "deal"}
_LEAD_SENTENCES = 3  # the headline and the first two sentences of the body
_NEAR_BEFORE = _dt.timedelta(days=62)  # an event reported this long before publication is news
_NEAR_AFTER = _dt.timedelta(days=62)  # ... and one announced this far ahead
_CONTEXT_BEFORE = 90  # characters before an amount read for its measure and owner
_CONTEXT_AFTER = 45
_CARRY_SENTENCES = 3  # a pair's money reaches this many sentences past its last anchor


@dataclass(frozen=True)
class _DealCues:
    measures: re.Pattern  # every measure word, its group named by its measure
    planned: re.Pattern
    one_country: re.Pattern
    events: re.Pattern
    bilateral: re.Pattern
    weeks: tuple[dict[str, int], re.Pattern]  # phrase -> days from publication, and their regex
    multilateral: re.Pattern  # 'the IMF', 'the World Bank': a party of its own (case-sensitive)


_CUE_KEYS = {"multilateral"}


@lru_cache(maxsize=None)
def _cues(lang: str = DEFAULT_LANGUAGE) -> _DealCues:
    """The deal words of one language (the default language's for one without them), with the
    multilateral bodies every language shares."""
    data = read_json("deal_cues.json")
    keys = set(data) - {"_doc"}
    if keys != _CUE_KEYS:
        raise ValueError(f"deal_cues.json: unknown keys {sorted(keys - _CUE_KEYS)}, "
                         f"missing keys {sorted(_CUE_KEYS - keys)}")
    words = deal_words(lang)
    unknown = set(words["measures"]) - set(MEASURES)
    if unknown:
        raise LexiconError(f"{lang}/words.json: deals: unknown measures {sorted(unknown)}")
    return _DealCues(
        # one word boundary around all the groups, and a look-ahead that skips word ends: the
        # same matches as a boundary per group, three times faster
        measures=re.compile(r"\b(?=\w)(?:" + "|".join(rf"(?P<{m}>{'|'.join(group)})"
                                                   for m, group in words["measures"].items()) + r")\b"),
        planned=_word_starts(words["planned"]),
        one_country=re.compile(rf"(?:{words['one_country_owners']})\s+(?:[\w.,-]+\s+){{0,6}}?(?:"
                               + "|".join(words["one_country"]) + r")\b"),
        events=_word_starts(words["events"]),
        bilateral=_word_starts(words["bilateral"]),
        weeks=(words["weeks"], _word_starts(sorted(words["weeks"], key=len, reverse=True))),
        multilateral=re.compile(r"\b(?:" + "|".join(re.escape(n) for n in data["multilateral"]) + r")\b"),
    )


def _word_starts(words: Sequence[str]) -> re.Pattern:
    return re.compile(r"\b(?=\w)(?:" + "|".join(words) + r")\b")


def attach_deals(ext: ArticleExtraction) -> list[Partnership]:
    """The article's partnerships with their event date and money set."""
    money = money_by_pair(ext)
    return [replace(p, date=event_date(ext, p), money=money.get(tuple(p.countries), []))
            for p in ext.partnerships]


# ---------------------------------------------------------------------------- event date

def event_date(ext: ArticleExtraction, partnership: Partnership) -> Optional[str]:
    """The date of the event the article reports for the pair (see the module docstring)."""
    published = _day(ext.published)
    lead = set(range(_LEAD_SENTENCES))
    where = set(partnership.sentences) | _lead_for(ext, partnership, lead)
    if lead & set(partnership.sentences):
        where &= lead  # the lead reports the pair's news: later dates are other events
    candidates = sorted((d for d in ext.dates if d.sentence in where and not _is_dateline(ext, d)),
                        key=lambda d: (d.sentence not in lead, d.start))
    if published is None:  # no publication date to tell the news from the background
        dated = [d for d in ext.dates if d.sentence in lead and not _is_dateline(ext, d)
                 and (len(d.value) > 4 or _in_a_name(ext.text, d))]
        own = [d for d in candidates if d.sentence in set(partnership.sentences)
               and (len(d.value) > 4 or _in_a_name(ext.text, d)) and _dates_an_event(ext, d)]
        return (own or dated)[0].value if own or dated else None
    side_story = not (lead & set(partnership.sentences)) and not _lead_is_about(ext, partnership, lead)
    for d in candidates:
        start = _day(d.value)
        near = start is not None and -_NEAR_AFTER <= published - start <= _NEAR_BEFORE + _month_slack(d.value)
        if (near or side_story) and _dates_an_event(ext, d):
            return d.value  # a side story's own dated event ('signed a memorandum last year')
    return _week_month(ext, partnership.sentences, published) or published.isoformat()


def _lead_for(ext: ArticleExtraction, partnership: Partnership, lead: set[int]) -> set[int]:
    """The lead sentences that may date the pair: none when the lead reports other pairs only;
    when it reports this pair, those that name one of its countries ('a loan approved by the
    World Bank in March' beside the pair's news is another event); else the whole lead."""
    if not _lead_is_about(ext, partnership, lead):
        return set()
    if not lead & set(partnership.sentences):
        return lead
    pair = set(partnership.countries)
    starts = [s.start for s in ext.sentences]
    named = {_sentence_of(starts, m.start) for m in ext.country_mentions if m.iso3 in pair}
    return {i for i in lead if i in named}


def _lead_is_about(ext: ArticleExtraction, partnership: Partnership, lead: set[int]) -> bool:
    """The headline event is the pair's unless the lead reports another pair and not this one
    ('Finance ministers of seven nations agreed ...' dates every G7 pair; 'Nigeria meets
    Britain today' does not date Nigeria's later talks with France)."""
    if lead & set(partnership.sentences):
        return True
    return not any(lead & set(p.sentences) for p in ext.partnerships)


def _week_month(ext: ArticleExtraction, sentences: list[int], published: _dt.date) -> Optional[str]:
    """'talks in Paris later this week' in the pair's own sentences: the month of that week,
    when an event word is near."""
    cues = _cues(ext.language)
    weeks = cues.weeks
    for i in sentences:
        if i >= len(ext.sentences):
            continue
        text = ext.sentences[i].text.lower()
        for m in weeks[1].finditer(text):
            near = text[max(0, m.start() - 80):m.end() + 30]
            if cues.events.search(near):
                return (published + _dt.timedelta(days=weeks[0][m.group()])).isoformat()[:7]
    return None


_EVENT_WORDS_BEFORE = 10
_EVENT_WORDS_AFTER = 4


def _dates_an_event(ext: ArticleExtraction, date: DateRef) -> bool:
    """A date near a word of a reported event ('met yesterday', 'signed on Monday'), not a
    date of a figure or a plan ('in the first quarter')."""
    sent = ext.sentences[date.sentence]
    if _RELATIVE_CLAUSE.search(ext.text, sent.start, date.start):
        return False  # 'the regime, which came into effect on November 10, opens ...': background
    before = ext.text[sent.start:date.start].lower().split()[-_EVENT_WORDS_BEFORE:]
    # words, not the comma after a fronted date ('On 20 June, Chile and Peru signed ...')
    after = [w for w in ext.text[date.end:sent.end].lower().split() if any(c.isalnum() for c in w)]
    after = after[:_EVENT_WORDS_AFTER]
    return bool(_cues(ext.language).events.search(" ".join(before + after)))


_RELATIVE_CLAUSE = re.compile(r",\s*(?:which|that|who|whose)\b[^,;]*$")
_NAME_BEFORE_YEAR = re.compile(r"\b[A-Z][\w-]*\s+$")
_NOT_A_NAME = frozenset({"In", "By", "Since", "Until", "From", "For", "Of", "The", "And", "To", "On", "At",
                         "Spring", "Summer", "Autumn", "Fall", "Winter", "Early", "Late", "Mid"})


def _in_a_name(text: str, date: DateRef) -> bool:
    """'NEXT Astana 2023', 'Expo 2020': a year written as part of an event's name."""
    m = _NAME_BEFORE_YEAR.search(text, max(0, date.start - 30), date.start)
    return bool(m) and m.group().strip() not in _NOT_A_NAME


_DATELINE_END = re.compile(r"\s*(?:\(\w+\)\s*)?[-–—]\s")


def _is_dateline(ext: ArticleExtraction, date: DateRef) -> bool:
    """'TOKYO, March 2 - ...': the story's own date stamp, not an event of the story."""
    if not 0 <= date.sentence < len(ext.sentences):
        return False
    sent = ext.sentences[date.sentence]
    return date.start - sent.start <= 40 and bool(_DATELINE_END.match(ext.text, date.end))


def _month_slack(value: str) -> _dt.timedelta:
    return _dt.timedelta(days=30) if len(value) == 7 else _dt.timedelta(0)


def _day(value: Optional[str]) -> Optional[_dt.date]:
    """YYYY-MM-DD or YYYY-MM (its first day) -> date; None for a year or anything else."""
    if not isinstance(value, str) or len(value) < 7:
        return None
    try:
        return _dt.date(int(value[:4]), int(value[5:7]), int(value[8:10]) if len(value) >= 10 else 1)
    except ValueError:
        return None


# ---------------------------------------------------------------------------- money

@dataclass
class _Article:
    """What money attachment needs to know per sentence."""

    pairs_in: dict[int, list[tuple[str, str]]]  # sentence -> pairs it evidences
    anchors: dict[int, list[tuple[str, str]]]  # sentence -> pairs it evidences or carries money of
    countries_in: dict[int, set[str]]  # sentence -> countries it names
    kinds: dict[tuple[str, str], str]  # pair -> its kind
    spans: dict[int, tuple[int, int]]  # money figure -> its amount, bracketed conversion included
    bounds: dict[int, tuple[int, int]]  # money figure -> its own stretch of its sentence
    mentions: list  # country mentions in text order
    mention_starts: list[int]  # their offsets, for bisect
    cues: _DealCues  # the article language's deal words
    measure_said: dict[int, bool] = field(default_factory=dict)  # sentence -> names a measure


def money_by_pair(ext: ArticleExtraction) -> dict[tuple[str, str], list[DealMoney]]:
    """Money figures tied to each pair, each with its measure and status."""
    if not ext.partnerships:
        return {}  # money belongs to pairs only
    art = _article(ext)
    out: dict[tuple[str, str], list[DealMoney]] = {}
    for n, fig in enumerate(ext.figures):
        if fig.kind != "money" or fig.sentence < 0:
            continue
        pairs = _pairs_of(ext, art, n)
        if not pairs:
            continue
        art.anchors[fig.sentence] = pairs  # 'It reached $24.2bn. ... the goal of $40bn': a chain
        status = _status(*_context(ext, art, n), art.cues)
        said = _measure(ext, art, n)
        for pair in pairs:
            measure = said or _KIND_MEASURE.get(art.kinds[pair], "other")
            money = DealMoney(figure=n, measure=measure, status=status)
            if money not in out.setdefault(pair, []):
                out[pair].append(money)
    return {pair: _one_per_amount(ext, items) for pair, items in out.items()}


_GENERIC_MEASURES = ("deal", "other")


def _one_per_amount(ext: ArticleExtraction, items: list[DealMoney]) -> list[DealMoney]:
    """The same amount told twice ('deals worth $50 billion' in the headline, 'investment
    agreements worth about $50 billion' below) is one item, with its most specific measure."""
    kept: dict[tuple, DealMoney] = {}
    for money in items:
        fig = ext.figures[money.figure]
        key = (fig.value, fig.unit)
        first = kept.get(key)
        if first is None:
            kept[key] = money
        elif first.measure in _GENERIC_MEASURES and money.measure not in _GENERIC_MEASURES:
            kept[key] = replace(first, measure=money.measure)
    return list(kept.values())


_MONTH_MAY = re.compile(r"\bMay\b")


def _status(before: str, after: str, cues: _DealCues) -> str:
    """Planned where the amount's own stretch says target, forecast, request ...; else actual."""
    text = _MONTH_MAY.sub(" ", before + " " + after).lower()  # 'May to September' is a month
    return "planned" if cues.planned.search(text) else "actual"


def _article(ext: ArticleExtraction) -> _Article:
    pairs_in: dict[int, list[tuple[str, str]]] = {}
    for p in ext.partnerships:
        for i in p.sentences:
            pairs_in.setdefault(i, []).append(tuple(p.countries))
    countries_in: dict[int, set[str]] = {}
    starts = [s.start for s in ext.sentences]
    for m in ext.country_mentions:
        i = _sentence_of(starts, m.start)
        if i >= 0:
            countries_in.setdefault(i, set()).add(m.iso3)
    mentions = sorted(ext.country_mentions, key=lambda m: m.start)
    return _Article(pairs_in, dict(pairs_in), countries_in,
                    {tuple(p.countries): p.kind for p in ext.partnerships}, *_money_bounds(ext),
                    mentions, [m.start for m in mentions], _cues(ext.language))


def _sentence_of(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset) - 1


def _pairs_of(ext: ArticleExtraction, art: _Article, n: int) -> list[tuple[str, str]]:
    """The pairs an amount belongs to: those its sentence evidences or names both of near it,
    else the pairs of the sentences it continues; none for one country's own total."""
    fig = ext.figures[n]
    i = fig.sentence
    named = art.countries_in.get(i, set())
    near = _countries_near(ext, art, n)
    pairs = art.pairs_in.get(i) or [p for p in art.kinds if set(p) <= near]
    if not pairs:
        pairs = _bilateral_pair(ext, art, n, named)
    if not pairs and art.cues.multilateral.search(ext.sentences[i].text):
        return []  # 'Egypt agreed an $8 billion loan with the IMF': the body's deal, not a pair's
    if not pairs:
        pairs = _carried_pairs(art, i, named)
        if pairs and not _has_measure_word(art, ext, i) and not _has_measure_word(art, ext, i - 1):
            return []
    if not pairs:
        pairs = _sole_pair(ext, art, i, named)
    if not pairs:
        return []
    if near:
        pairs = [p for p in pairs if set(p) & near] or pairs
    if _one_country_total(ext, art, n):
        return []
    return pairs


def _bilateral_pair(ext: ArticleExtraction, art: _Article, n: int, named: set[str]) -> list[tuple[str, str]]:
    """'Two-way trade could cross half a billion dollars': an amount the text calls the pair's
    own belongs to the article's one pair of the countries named (or its only pair)."""
    before, after = _context(ext, art, n)
    if not art.cues.bilateral.search((before + " " + after).lower()):
        return []
    return _only_pair_naming(art, named)


def _only_pair_naming(art: _Article, named: set[str]) -> list[tuple[str, str]]:
    """The article's one pair that holds every country named, or none when there are more."""
    pairs = [p for p in art.kinds if named <= set(p)]
    return pairs if len(pairs) == 1 else []


def _carried_pairs(art: _Article, i: int, named: set[str]) -> list[tuple[str, str]]:
    """The pairs of the nearest earlier sentence (up to `_CARRY_SENTENCES` back) that evidences
    a pair or carries its money, when this sentence names no country outside them."""
    for j in range(i - 1, max(-1, i - 1 - _CARRY_SENTENCES), -1):
        pairs = art.anchors.get(j)
        if pairs:
            return [p for p in pairs if named <= set(p)]
    return []


def _sole_pair(ext: ArticleExtraction, art: _Article, i: int, named: set[str]) -> list[tuple[str, str]]:
    """'Agip will invest 120 mln dlrs in the project', far from the pair's sentences: an amount
    whose sentence says what it measures and names no country outside exactly one of the
    article's pairs belongs to that pair."""
    if not named or not _has_measure_word(art, ext, i):
        return []
    return _only_pair_naming(art, named)


def _countries_near(ext: ArticleExtraction, art: _Article, n: int) -> set[str]:
    """Countries named in the amount's own stretch of its sentence (between its neighbours)."""
    lo, hi = art.bounds[n]
    first = bisect.bisect_left(art.mention_starts, lo)
    last = bisect.bisect_left(art.mention_starts, hi)
    return {m.iso3 for m in art.mentions[first:last]}


def _money_bounds(ext: ArticleExtraction) -> tuple[dict[int, tuple[int, int]], dict[int, tuple[int, int]]]:
    """Each money figure's span (the amount with a conversion in brackets beside it: '£1bn
    ($1.9bn)' is one amount written twice) and its own stretch of its sentence: up to
    `_CONTEXT_BEFORE` characters before the span and `_CONTEXT_AFTER` after, cut at the
    neighbouring amounts."""
    by_sentence: dict[int, list[int]] = {}
    for n, fig in enumerate(ext.figures):
        if fig.kind == "money" and 0 <= fig.sentence < len(ext.sentences):
            by_sentence.setdefault(fig.sentence, []).append(n)
    spans: dict[int, tuple[int, int]] = {}
    bounds: dict[int, tuple[int, int]] = {}
    for i, ns in by_sentence.items():
        sent = ext.sentences[i]
        ns.sort(key=lambda k: ext.figures[k].start)
        spans.update(_conversion_spans(ext, ns))
        for n in ns:
            start, end = spans[n]
            lo = max(sent.start, start - _CONTEXT_BEFORE)
            hi = min(sent.end, end + _CONTEXT_AFTER)
            earlier = [spans[m][1] for m in ns if spans[m][1] <= start]
            later = [spans[m][0] for m in ns if spans[m][0] >= end]
            bounds[n] = (max([lo, *earlier]), min([hi, *later]))
    return spans, bounds


_BRACKETED = re.compile(r"\s*[(\[]\s*(?:about|around|some|approx\w*\.?|or|c\.|ca\.)?\s*$")
_BRACKET_CLOSE = re.compile(r"\s*[)\]]")


def _conversion_spans(ext: ArticleExtraction, ns: list[int]) -> dict[int, tuple[int, int]]:
    """Spans of one sentence's amounts in text order, an amount and its bracketed conversion
    sharing one."""
    spans = {n: (ext.figures[n].start, ext.figures[n].end) for n in ns}
    for first, second in zip(ns, ns[1:]):
        a, b = ext.figures[first], ext.figures[second]
        close = _BRACKET_CLOSE.match(ext.text, b.end)
        if close and _BRACKETED.match(ext.text[a.end:b.start]):
            start = spans[first][0]
            for n in (first, second):
                spans[n] = (start, close.end())
    return spans


def _context(ext: ArticleExtraction, art: _Article, n: int) -> tuple[str, str]:
    lo, hi = art.bounds[n]
    start, end = art.spans[n]
    return ext.text[lo:start], ext.text[end:hi]


def _one_country_total(ext: ArticleExtraction, art: _Article, n: int) -> bool:
    """'India's overall exports ... $60bn', 'Japan's 55 billion dlr market': one country's own
    total, unless a partner follows in the phrase ('Nigeria's debts to the U.K.')."""
    if _owned_by_one_country(ext, art, n):
        return True
    before, after = _context(ext, art, n)
    after_phrase = _PHRASE_END.split(after, maxsplit=1)[0]
    window = before + " AMOUNT " + after_phrase
    owned = art.cues.one_country.search(window.lower())
    if not owned:
        return False
    return not _PARTNER_AFTER.search(window, owned.end())


def _owned_by_one_country(ext: ArticleExtraction, art: _Article, n: int) -> bool:
    """'in Pakistan's case it is set to hit $12bn': a possessive country before the amount is
    the only country in the amount's stretch of its sentence."""
    fig = ext.figures[n]
    lo, hi = art.bounds[n]
    near = [m for m in ext.country_mentions if lo <= m.start < hi]
    return bool(near) and len({m.iso3 for m in near}) == 1 and \
        any(m.end <= fig.start and _POSSESSIVE_AFTER.match(ext.text, m.end) for m in near)


_POSSESSIVE_AFTER = re.compile(r"['’]s?\s")
_PARTNER_AFTER = re.compile(r"\b(?:to|with|from|between|and|in)\s+(?:the\s+)?[A-Z]")


def _has_measure_word(art: _Article, ext: ArticleExtraction, i: int) -> bool:
    """Whether sentence i says what an amount measures; asked once per sentence."""
    said = art.measure_said.get(i)
    if said is None:
        said = art.measure_said[i] = bool(art.cues.measures.search(ext.sentences[i].text.lower()))
    return said


def _measure(ext: ArticleExtraction, art: _Article, n: int) -> Optional[str]:
    """What an amount measures, from the nearest measure word in its sentence: one right after
    it ('$240m agreement'), else one right before it ('credits of 5 mln dlrs', 'invest up to
    $20bn'), else the first later in its phrase, else the nearest before it; else the last of
    the sentence before ('it reached $24.2bn' after a sentence on trade). A generic deal word
    yields to a specific word written just before it ('investment projects')."""
    fig = ext.figures[n]
    sent = ext.sentences[fig.sentence]
    _, hi = art.bounds[n]
    start, end = art.spans[n]
    after = _PHRASE_END.split(ext.text[end:hi], maxsplit=1)[0].lower()
    before = ext.text[sent.start:start].lower()
    hits_after, hits_before = _measure_hits(after, art.cues), _measure_hits(before, art.cues)
    after_close = hits_after and len(after[:hits_after[0][0]].split()) <= _CLOSE_WORDS_AFTER
    before_close = hits_before and len(before[hits_before[-1][1]:].split()) <= _CLOSE_WORDS_BEFORE
    if after_close:
        return _specific(hits_after, 0)
    if before_close:
        return _specific(hits_before, len(hits_before) - 1)
    if hits_after:
        return _specific(hits_after, 0)
    if hits_before:
        return _specific(hits_before, len(hits_before) - 1)
    if fig.sentence > 0:
        hits = _measure_hits(ext.sentences[fig.sentence - 1].text.lower(), art.cues)
        return _specific(hits, len(hits) - 1) if hits else None
    return None


_CLOSE_WORDS_AFTER = 1  # '$1.2bn oil pipeline': one word may stand between
_CLOSE_WORDS_BEFORE = 3  # 'valued at over $21 billion'
_PHRASE_END = re.compile(r"[,;:()]|\s[-–]\s")


def _measure_hits(text: str, cues: _DealCues) -> list[tuple[int, int, str]]:
    """Measure words of a lower-cased text; not one that names a kind of partner ('its major
    trading partner' describes a country, not the amount)."""
    return [(m.start(), m.end(), m.lastgroup) for m in cues.measures.finditer(text)
            if not _PARTNER_NOUN.match(text, m.end())]


_PARTNER_NOUN = re.compile(r"\s+partners?\b")


def _specific(hits: list[tuple[int, int, str]], k: int) -> str:
    start, _, measure = hits[k]
    if measure == "deal" and k > 0:
        _, previous_end, previous = hits[k - 1]
        if previous != "deal" and start - previous_end <= 1:
            return previous
    return measure
