"""Organisations and people, with their country where the text gives it.

Pattern-based rather than a statistical model: news names organisations with a small set of
head words ("Ministry", "Authority", "Railways", "Bank of ...") and acronym expansions, and
people with titles; this runs offline and fast, and its misses are predictable.
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

from .records import CountryMention, Entity

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
_ORG = re.compile(
    rf"\b(?=[A-ZÀ-Þ])((?:{_CAP}\s+){{0,5}}(?:{_HEADS})\b(?:\s+(?:of|for|on)\s+(?:the\s+)?{_CAP}(?:{_CONNECT}{_CAP}){{0,5}})?)"
)
_ACRONYM_AFTER = re.compile(rf"\b(?=[A-ZÀ-Þ])({_CAP}(?:{_CONNECT}{_CAP}){{1,8}})\s*\(([A-Z][A-Za-z&]{{1,9}})\)")
_ACRONYM_BEFORE = re.compile(rf"\b([A-Z]{{2,10}})\s*\(((?:the\s+)?{_CAP}(?:{_CONNECT}{_CAP}){{1,8}})\)")
_TITLES = (
    "Deputy Prime Minister|Prime Minister|Vice President|President|Vice Minister|Deputy Minister|Minister|"
    "Deputy Premier|Premier|Chancellor|Chairman|Chairwoman|Chair|Deputy Chairman|CEO|Chief Executive|Governor|"
    "Secretary(?:-General)?|Ambassador|Mayor|Director(?:-General)?|King|Queen|Crown Prince|Prince|Sheikh|Emir|"
    "Mr|Mrs|Ms|Dr|Senator|Commissioner|Project Manager|Manager|Head|Spokesman|Spokeswoman|spokesperson"
)
_TITLE_RUN = re.compile(
    rf"\b(?=[A-ZÀ-Þs])(?:{_TITLES})\.?(?:\s+(?:of|for|the|on|and(?!\s+(?:{_TITLES})\b)|[A-ZÀ-Þ][\w'’.-]*))*"
)
_APPOSITION = re.compile(
    rf"\b(?=[A-ZÀ-Þ])(?P<name>[A-ZÀ-Þ][a-zà-ÿ'’-]+(?:\s+[A-ZÀ-Þ][a-zà-ÿ'’-]+){{1,2}}),\s+(?:the\s+)?"
    rf"(?P<title>(?i:{_TITLES})(?:\s+(?:of|for|at)\s+(?:the\s+)?[\w'’.-]+(?:\s+(?:of|and|the|[A-ZÀ-Þ][\w'’.-]*))*)?)"
)
_NAME_TOKEN = re.compile(r"[A-ZÀ-Þ][a-zà-ÿ'’-]+$")
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


def _country_of(start: int, end: int, mentions: Sequence[CountryMention], text: str) -> Optional[str]:
    inside = [m.iso3 for m in mentions if start <= m.start and m.end <= end]
    if inside:
        return inside[0]
    for m in mentions:  # "China's National Petroleum Corporation", "Kazakh-based company X"
        gap = text[m.end:start]
        if 0 <= start - m.end <= 30 and (_POSSESSIVE.search(gap) or re.fullmatch(r"-based\s+(?:company|firm)?\s*", gap)
                                         or re.fullmatch(r"\s+(?:state\s+)?(?:company|firm|giant|group|bank)\s+", gap)):
            return m.iso3
    return None


def find_entities(text: str, mentions: Sequence[CountryMention] = ()) -> list[Entity]:
    """Organisations and people in text, in order; overlapping finds keep the longest."""
    found: list[Entity] = []
    country_starts = {m.start for m in mentions}
    for m in _ACRONYM_AFTER.finditer(text):
        name, start = _expansion(m.group(1), m.start(1), m.group(2))
        if len(name.split()) >= 2:
            found.append(Entity(f"{name} ({m.group(2)})", "org", start, m.end(), _country_of(start, m.end(), mentions, text)))
    for m in _ACRONYM_BEFORE.finditer(text):
        found.append(Entity(f"{m.group(1)} ({m.group(2)})", "org", m.start(), m.end(),
                            _country_of(m.start(), m.end(), mentions, text)))
    for m in _ORG.finditer(text):
        name, start = _trim(m.group(1), m.start(1))
        if len(name.split()) >= 2 or name.isupper():
            found.append(Entity(name, "org", start, m.end(1), _country_of(start, m.end(1), mentions, text)))
    for m in _TITLE_RUN.finditer(text):
        person = _trailing_name(text, m.start(), m.end(), country_starts)
        if person:
            name_start, title = person
            iso = _country_of(m.start(), name_start, mentions, text)
            found.append(Entity(text[name_start:m.end()], "person", name_start, m.end(), iso, role=title))
    for m in _APPOSITION.finditer(text):
        words = m.group("name").split()
        if not any(w in _NOT_NAME for w in words) and m.start("name") not in country_starts:
            iso = _country_of(m.start("title"), m.end("title"), mentions, text)
            found.append(Entity(m.group("name"), "person", m.start("name"), m.end("name"), iso,
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
