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
    "Industries|Energy|Motors|Telecom|Partners|Capital|Development|Enterprises?|Trust|Alliance|Union|Network|"
    "Media|News|Agency|Consortium|Secretariat|Embassy|High Commission|Consulate"
)
_CAP = r"[A-ZÀ-Þ][\w&'’.-]*"
_CONNECT = r"(?:\s+(?:of|for|and|on|de|du|la|&)\s+(?:the\s+)?|\s+)"
_ORG = re.compile(
    rf"\b((?:{_CAP}\s+){{0,5}}(?:{_HEADS})\b(?:\s+(?:of|for|on)\s+(?:the\s+)?{_CAP}(?:{_CONNECT}{_CAP}){{0,5}})?)"
)
_ACRONYM_AFTER = re.compile(rf"\b({_CAP}(?:{_CONNECT}{_CAP}){{1,8}})\s*\(([A-Z][A-Za-z&]{{1,9}})\)")
_ACRONYM_BEFORE = re.compile(rf"\b([A-Z]{{2,10}})\s*\(((?:the\s+)?{_CAP}(?:{_CONNECT}{_CAP}){{1,8}})\)")
_TITLES = (
    "Deputy Prime Minister|Prime Minister|Vice President|President|Vice Minister|Deputy Minister|Minister|"
    "Deputy Premier|Premier|Chancellor|Chairman|Chairwoman|Chair|Deputy Chairman|CEO|Chief Executive|Governor|"
    "Secretary(?:-General)?|Ambassador|Mayor|Director(?:-General)?|King|Queen|Crown Prince|Prince|Sheikh|Emir|"
    "Mr|Mrs|Ms|Dr|Senator|Commissioner|Project Manager|Manager|Head|Spokesman|Spokeswoman|spokesperson"
)
_NAME = r"[A-ZÀ-Þ][a-zà-ÿ'’-]+(?:\s+[A-ZÀ-Þ][a-zà-ÿ'’-]+){1,2}"
_PERSON = re.compile(
    rf"\b(?P<title>(?:{_TITLES})\.?(?:\s+(?:of|for)\s+(?:the\s+)?{_CAP}(?:{_CONNECT}{_CAP}){{0,6}})?)\s+"
    rf"(?P<name>{_NAME})\b"
)
_NAME_THEN_TITLE = re.compile(
    rf"\b(?P<name>{_NAME}),\s+(?:the\s+)?(?P<title>(?:{_TITLES})(?:\s+(?:of|for)\s+(?:the\s+)?{_CAP}(?:{_CONNECT}{_CAP}){{0,6}})?)"
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
    for m in _ACRONYM_AFTER.finditer(text):
        name, start = _trim(m.group(1), m.start(1))
        if len(name.split()) >= 2:
            found.append(Entity(f"{name} ({m.group(2)})", "org", start, m.end(), _country_of(start, m.end(), mentions, text)))
    for m in _ACRONYM_BEFORE.finditer(text):
        found.append(Entity(f"{m.group(1)} ({m.group(2)})", "org", m.start(), m.end(),
                            _country_of(m.start(), m.end(), mentions, text)))
    for m in _ORG.finditer(text):
        name, start = _trim(m.group(1), m.start(1))
        if len(name.split()) >= 2 or name.isupper():
            found.append(Entity(name, "org", start, m.end(1), _country_of(start, m.end(1), mentions, text)))
    for rx in (_PERSON, _NAME_THEN_TITLE):
        for m in rx.finditer(text):
            title, name = m.group("title"), m.group("name")
            iso = _country_of(m.start("title"), m.end("title"), mentions, text)
            found.append(Entity(name, "person", m.start("name"), m.end("name"), iso, role=" ".join(title.split())))
    return _longest_first(found)


def _longest_first(found: list[Entity]) -> list[Entity]:
    kept: list[Entity] = []
    for e in sorted(found, key=lambda e: (-(e.end - e.start), e.start)):
        if all(e.end <= k.start or e.start >= k.end for k in kept):
            kept.append(e)
    return sorted(kept, key=lambda e: e.start)
