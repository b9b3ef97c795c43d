"""Organisations and people, with their country where the text gives it.

Pattern-based rather than a statistical model: news names organisations with a small set of
head words ("Ministry", "Authority", "Railways", "Bank of ...") and acronym expansions, and
people with titles; this runs offline and fast, and its misses are predictable.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import Optional, Sequence

from data_prep.records import CountryMention, Entity

_HEADS = (
    "Ministry|Ministries|Agency|Authority|Company|Companies|Corporation|Corp|Bank|Group|Fund|Council|Committee|"
    "Federation|Railways?|Invest|Inc|Ltd|plc|PLC|LLC|GmbH|AG|SA|University|Institute|Commission|Department|"
    "Office|Association|Service|Services|Organi[sz]ation|Cent(?:re|er)|Forum|Airlines|Airways|Petroleum|"
    "Holdings?|Exchange|Board|Chamber|Parliament|Treasury|Reserve|Bureau|Administration|Foundation|Port|Ports|"
    "Industries|Energy|Motors|Telecom|Partners|Capital|Enterprises?|Trust|Alliance|Union|Network|"
    "Media|News|Agency|Consortium|Secretariat|Embassy|High Commission|Consulate"
)
_CAP = r"[A-ZÀ-Þ][\w&'’.-]*"
_CONNECT = r"(?:\s+(?:of|for|and|on|de|du|la|&)\s+(?:the\s+)?|\s+)"
# Each pattern is found from an anchor (a head word, an acronym in brackets, a title after a
# comma) and grown around it: scanning only near anchors is several times faster than trying
# a long pattern at every capital letter of the text.
_HEAD = re.compile(rf"\b(?=[A-Zp])(?:{_HEADS})\b")  # the lookahead skips most positions at once
_CAPS_BEFORE = re.compile(rf"\b(?=[A-ZÀ-Þ])(?:{_CAP}\s+){{1,5}}\Z")
_OF_AFTER = re.compile(rf"\s+(?:of|for|on)\s+(?:the\s+)?{_CAP}(?:{_CONNECT}{_CAP}){{0,5}}")
_BRACKETED = re.compile(r"\s*\(([A-Z][A-Za-z&]{1,9})\)")
_RUN_BEFORE = re.compile(rf"\b(?=[A-ZÀ-Þ])({_CAP}(?:{_CONNECT}{_CAP}){{1,8}})\Z")
_ACRONYM_BEFORE = re.compile(rf"\b(?=[A-Z]{{2}})([A-Z]{{2,10}})\s*\(((?:the\s+)?{_CAP}(?:{_CONNECT}{_CAP}){{1,8}})\)")
_WINDOW = 160
_TITLES = (
    "Deputy Prime Minister|Prime Minister|Vice President|President|Vice Minister|Deputy Minister|Minister|"
    "Deputy Premier|Premier|Chancellor|Chairman|Chairwoman|Chair|Deputy Chairman|CEO|Chief Executive|Governor|"
    "Secretary(?:-General)?|Ambassador|Mayor|Director(?:-General)?|King|Queen|Crown Prince|Prince|Sheikh|Emir|"
    "Mr|Mrs|Ms|Dr|Senator|Commissioner|Project Manager|Manager|Head|Spokesman|Spokeswoman|spokesperson"
)
_TITLE_RUN = re.compile(
    rf"\b(?=[A-ZÀ-Þs])(?:{_TITLES})\.?(?:\s+(?:of|for|the|on|and(?!\s+(?:{_TITLES})\b)|[A-ZÀ-Þ][\w'’.-]*))*"
)
_TITLE_AFTER_COMMA = re.compile(
    rf",\s+(?:the\s+)?(?P<title>(?i:{_TITLES})(?:\s+(?:of|for|at)\s+(?:the\s+)?[\w'’.-]+"
    rf"(?:\s+(?:of|and|the|[A-ZÀ-Þ][\w'’.-]*))*)?)"
)
_NAME_BEFORE = re.compile(r"\b(?=[A-ZÀ-Þ])([A-ZÀ-Þ][a-zà-ÿ'’-]+(?:\s+[A-ZÀ-Þ][a-zà-ÿ'’-]+){1,2})\Z")
_NAME_TOKEN = re.compile(r"[A-ZÀ-Þ][a-zà-ÿ'’]+(?:-[A-ZÀ-Þ]?[a-zà-ÿ'’]+)*$")  # 'Kassym-Jomart'
# Capitalised words that belong to titles and bodies, never to a person's name.
_NOT_NAME = set(
    "Affairs Foreign Trade Integration Industry Infrastructure Development International Financial Finance "
    "Economy Economic Energy State Council Republic People's Federation Government National Ministry Minister "
    "Office Committee Commission Agency Authority Bank Centre Center Company Corporation Group Railways Invest "
    "Investments Investment Communications Information Affairs Commerce Defence Defense Interior Justice Health "
    "Education Agriculture Transport Culture Tourism Digital Development General Deputy Vice Prime President "
    "Secretary Chairman Chair Director Head Manager Project Global Advisory Board Union Federal Reserve Treasury "
    "Service Services Council's Chief Executive Officer Mr Mrs Ms Dr".split()
)
_STOP_START = {"The", "A", "An", "In", "At", "On", "As", "During", "By", "For", "With", "And", "This", "That",
               "Its", "Their", "His", "Her", "Both", "Under", "From", "To", "Of", "But", "It", "He", "She"}
_POSSESSIVE = re.compile(r"['’]s\s+$")


def _trim(name: str, start: int) -> tuple[str, int]:
    words = name.split()
    while words and words[0] in _STOP_START:
        start += len(words[0]) + 1
        words = words[1:]
    return " ".join(words), start


def _expansion(run: str, start: int, acronym: str) -> tuple[str, int]:
    """The words of run that spell the acronym: 'Kenya Power and the Energy Regulatory
    Commission (ERC)' -> 'Energy Regulatory Commission'. Falls back to the trimmed run."""
    words = list(re.finditer(r"\S+", run))
    for k in range(len(words) - 1, -1, -1):
        initials = "".join(w.group()[0] for w in words[k:] if w.group()[0].isupper())
        if initials.upper() == acronym.upper():
            return run[words[k].start():], start + words[k].start()
    return _trim(run, start)


_BASED = re.compile(r"-based\s+(?:company|firm)?\s*")
# "Japanese car maker Mitsubishi Motors", "the Japanese rival Nissan": a firm's stated country
_FIRM_OF = re.compile(r"\s+(?:[a-z-]+\s+){0,2}?(?:company|firm|giant|group|bank|maker|carmaker|producer|"
                      r"manufacturer|operator|airline|carrier|rival|conglomerate|utility|developer|lender|"
                      r"insurer|miner|refiner|exporter|importer|supplier|builder|contractor)\s+")


def _country_of(start: int, end: int, mentions: Sequence[CountryMention], text: str,
                starts: Optional[list[int]] = None) -> Optional[str]:
    """The country a name carries ('Kazakh Foreign Ministry') or is given just before it
    ("China's National Petroleum Corporation", "Kazakh-based company X"). `starts` (the
    mentions' sorted start offsets) makes the look-up a binary search."""
    lo = bisect_left(starts, start - 40) if starts is not None else 0
    hi = bisect_left(starts, end) if starts is not None else len(mentions)
    near = mentions[lo:hi]
    inside = [m.iso3 for m in near if start <= m.start and m.end <= end]
    if inside:
        return inside[0]
    for m in near:
        gap = text[m.end:start]
        if 0 <= start - m.end <= 30 and (_POSSESSIVE.search(gap) or _BASED.fullmatch(gap) or _FIRM_OF.fullmatch(gap)
                                         or m.via == "demonym" and gap in (" ", "\n")):  # 'Kazakh President'
            return m.iso3
    return None


def find_entities(text: str, mentions: Sequence[CountryMention] = ()) -> list[Entity]:
    """Organisations and people in text, in order; overlapping finds keep the longest."""
    found: list[Entity] = []
    starts = [m.start for m in mentions]
    if any(a > b for a, b in zip(starts, starts[1:])):  # find_countries gives them in order
        mentions = sorted(mentions, key=lambda m: m.start)
        starts = sorted(starts)
    country_starts = set(starts)
    for m in _BRACKETED.finditer(text):  # "Infocomm Media Development Authority (IMDA)"
        run = _RUN_BEFORE.search(text, max(0, m.start() - _WINDOW), m.start())
        if run:
            name, start = _expansion(run.group(1), run.start(1), m.group(1))
            if len(name.split()) >= 2:
                found.append(Entity(f"{name} ({m.group(1)})", "org", start, m.end(),
                                    _country_of(start, m.end(), mentions, text, starts)))
    for m in _ACRONYM_BEFORE.finditer(text):
        found.append(Entity(f"{m.group(1)} ({m.group(2)})", "org", m.start(), m.end(),
                            _country_of(m.start(), m.end(), mentions, text, starts)))
    for h in _HEAD.finditer(text):  # "Kazakh Ministry of Trade and Integration"
        before = _CAPS_BEFORE.search(text, max(0, h.start() - _WINDOW), h.start())
        start = before.start() if before else h.start()
        if not text[start].isupper():
            continue
        after = _OF_AFTER.match(text, h.end())
        end = after.end() if after else h.end()
        name, start = _trim(text[start:end], start)
        if len(name.split()) >= 2 or name.isupper():
            found.append(Entity(name, "org", start, end, _country_of(start, end, mentions, text, starts)))
    for m in _TITLE_RUN.finditer(text):
        person = _trailing_name(text, m.start(), m.end(), country_starts)
        if person:
            name_start, title = person
            iso = _country_of(m.start(), name_start, mentions, text, starts)
            found.append(Entity(text[name_start:m.end()], "person", name_start, m.end(), iso, role=title))
    for m in _TITLE_AFTER_COMMA.finditer(text):  # "Tony Brown, chairman of the Council"
        named = _NAME_BEFORE.search(text, max(0, m.start() - 60), m.start())
        if not named:
            continue
        words = named.group(1).split()
        if not any(w in _NOT_NAME for w in words) and named.start(1) not in country_starts:
            iso = _country_of(m.start("title"), m.end("title"), mentions, text, starts)
            found.append(Entity(named.group(1), "person", named.start(1), named.end(1), iso,
                                role=" ".join(m.group("title").split())))
    return _longest_first(found)


def _trailing_name(text: str, start: int, end: int, taken: set[int]) -> Optional[tuple[int, str]]:
    """'Governor of the Astana Centre Kairat Kelimbetov' -> start of 'Kairat Kelimbetov' and the title."""
    words = list(re.finditer(r"\S+", text[start:end]))
    name: list[re.Match] = []
    for w in reversed(words):
        token = w.group()
        if (len(name) < 3 and _NAME_TOKEN.match(token) and token not in _NOT_NAME
                and not token.endswith("'s") and start + w.start() not in taken):
            name.insert(0, w)
        else:
            break
    if len(name) < 2 or len(name) == len(words):
        return None
    title = " ".join(w.group() for w in words[: len(words) - len(name)])
    return start + name[0].start(), title


def _longest_first(found: list[Entity]) -> list[Entity]:
    people = [e for e in found if e.kind == "person"]
    found = [_cut_before_people(e, people) if e.kind == "org" else e for e in found]
    kept: list[Entity] = []
    for e in sorted(found, key=lambda e: (-(e.end - e.start), e.start)):
        if all(e.end <= k.start or e.start >= k.end for k in kept):
            kept.append(e)
    return sorted(kept, key=lambda e: e.start)


def _cut_before_people(org: Entity, people: list[Entity]) -> Entity:
    """'State Council of China Ding Xuexiang' -> 'State Council of China' when Ding Xuexiang is a person."""
    for p in people:
        if org.start < p.start < org.end:
            name = org.name[: p.start - org.start].rstrip(" ,")
            return Entity(name, "org", org.start, org.start + len(name), org.iso3, org.role, org.sentence)
    return org


def actor_mentions(text: str, entities: Sequence[Entity],
                   mentions: Sequence[CountryMention]) -> list[CountryMention]:
    """Where the text gives an organisation's or a person's country once ('Japanese car maker
    Mitsubishi Motors', 'Pakistani Prime Minister Shehbaz Sharif') and later names it without
    it ('Mitsubishi Motors signed ...', 'Sharif held talks ...'), a mention of that country:
    the firm or the leader acts for it in partnerships. Not counted as a country mention."""
    taken = [(m.start, m.end) for m in mentions]
    out: list[CountryMention] = []
    for name, iso3, first_end in _actors_with_country(entities):
        for m in _name_pattern(name).finditer(text, first_end):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                out.append(CountryMention(iso3, m.group(), m.start(), m.end(), "actor"))
                taken.append((m.start(), m.end()))
    return out


def _actors_with_country(entities: Sequence[Entity]) -> list[tuple[str, str, int]]:
    """(name, country, end of the mention that gives the country) per organisation or person."""
    seen: dict[str, tuple[str, str, int]] = {}
    for e in entities:
        if e.iso3 and e.name not in seen:
            seen[e.name] = (e.name, e.iso3, e.end)
    return list(seen.values())


def _name_pattern(name: str) -> re.Pattern:
    """The full name, or a person's surname alone ('Sharif' for 'Shehbaz Sharif')."""
    words = name.split()
    forms = [re.escape(name)]
    if 2 <= len(words) <= 3 and all(_NAME_TOKEN.match(w) for w in words) and len(words[-1]) >= 4:
        forms.append(re.escape(words[-1]))
    return re.compile(r"\b(?:" + "|".join(forms) + r")\b")
