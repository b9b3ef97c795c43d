"""Pairs of countries that an article reports as cooperating.

A pair needs evidence: a clause that names both countries and a cooperation cue (talks,
agreement, trade, investment, finance, joint project ...), with no conflict, speculation or
comparison that rules it out. Co-mention alone is never a partnership.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Optional, Sequence

from data_prep.data_files import read_json
from data_prep.extract.sectors import find_sectors
from data_prep.kinds import KINDS, PAIR_STATUSES, STATUS_PRIORITY
from data_prep.lexicon import DEFAULT_LANGUAGE, LexiconError, language, resolve_language
from data_prep.records import CountryMention, DateRef, Entity, Figure, Partnership, Sentence
from data_prep.text.sentences import sentence_at

# Where one clause ends and another (with its own subject) begins.
_CLAUSE_BREAK = re.compile(
    r";|,\s+(?:but|while|whereas|although|though|adding|saying|noting|stressing|when|where|which|whose|who|as|amid)\b"
    r"|\s+(?:but|whereas|until|amid|since)\s+|(?<!such)(?<!well)\s+as\s+(?=(?:both|the|a|an|it|they|their|its)\b)"
    r"|,?\s+according to\b"
    r"|,\s+(?:pushing|sending|driving|leaving|causing|forcing|prompting|despite)\b"
    r"|,\s+and\s+(?=(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?\s+(?:is|was|are|were|has|had|will|would|said|says)\b)"
    # an opening condition ('If the talks succeed, ...') is a clause of its own: its 'if' does not
    # make the main clause speculative
    r"|^\s*(?:If|Unless|Once|Should)\b[^,;]{0,120},"
)
_HYPHEN = re.compile(r"^[-–]$")
# 'China-Kyrgyzstan-Uzbekistan railway', 'Kazakhstan-China relations': a compound naming a joint thing
_JOINT_NOUN = re.compile(
    r"^\W*(?:\w+\W+){0,2}?(?:railway|railroad|rail|pipeline|corridor|bridge|highway|road|line|route|canal|port|"
    r"park|zone|fund|commission|council|forum|committee|business|friendship|relations|ties|cooperation|"
    r"partnership|trade|projects?|initiative|summit|talks|agreement|deal|venture|programme|program)\b",
    re.I,
)
# where a gathering of many is held: its host is no partner of those who meet there
_EVENT_VENUE = re.compile(r"\b(?:sidelines|summit|conference|forum|expo|exhibition|fair|congress|assembly|"
                          r"ministerial)\b[^.;:]{0,60}\b(?:in|at)\s+(?:the\s+)?$", re.I)
_MEETING_AFTER = re.compile(r"\s+(?:talks|meeting|meetings|summit|conference|forum|round)\b", re.I)
_CO_OBJECTS = re.compile(r"\b(?:with|to|from|for)\s+(?:the\s+)?$", re.I)
# a list in an object's place: 'the economies of Indonesia and Brazil', 'covering Maseru and
# Mbabane', 'through Serbia, Hungary and Austria': its members share a role, not a deal
_LIST_OBJECT = re.compile(r"\b(?:with|to|from|for|of|through|across|via|covering|crossing|traversing|"
                          r"transiting|in|into|against|on|"
                          r"over|by|including|like|such as)\s+(?:the\s+)?$", re.I)
# 'signed by X and Y': the agents of a mutual act are its parties, not a list of objects
_SIGNED_BY = re.compile(r"\b(?:signed|agreed|concluded|inked|sealed|ratified|negotiated|initiall?ed)\s+"
                        r"by\s+(?:the\s+)?$", re.I)
# '... of X and Y' after a joint body or meeting (or its members) is reciprocal
_OF_AFTER_COOPERATION = re.compile(r"\b(?:alliance|coalition|partnership|cooperation|union|group|"
                                   r"consortium|bloc|summit|meeting|talks|leaders|ministers|heads)\b"
                                   r"[\w\s]{0,20}?\bof\s+(?:the\s+)?$", re.I)
_NEAR_WORDS = 7  # a comparator cue stands within this many words before its country
# written together: 'X, Y and the Z', 'X-Y', 'X/Y' (a spaced dash is a dateline or an aside, not a link)
_COORDINATION = re.compile(r"^(?:['’]s?)?(?:[-–/]|[\s,]*(?:(?:and|&|or|as well as|\(|\))[\s,()]*)?(?:the\s+)?)$", re.I)
# a place where something happens or that goods pass: 'in Dubai', 'across Indian territory'
_VENUE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?(?:city of\s+|capital\s+)?$", re.I)
_POSSESSIVE_NEXT = re.compile(r"['’]s?\s")
# a route runs across these: they are landmarks, never partners
_ROUTE = re.compile(r"\b(?:across|through|via|transiting|crossing|traversing)\s+(?:the\s+)?$", re.I)
# 'a stake in X', 'invest in X': there X is the counterpart, not a venue
_HOLDING_IN = re.compile(r"\b(?:stakes?|shareholders?|shares|holdings?|invest\w*)\s+in\s+(?:the\s+)?$", re.I)
_BORDER = re.compile(r"\b(?:border with|borders?|bordering|near)\s+(?:the\s+)?$", re.I)  # a landmark, never a partner


_META = re.compile(r"[\\()\[\]?*+.{}|^$]")


_WORDS = re.compile(r"\w+")
_ONE_WORD = re.compile(r"(?:[\w()?:|*+]|\\w)+")  # a pattern that can only match one run of word characters
_STEM_WORD = re.compile(r"[^\w]")  # a stem's first word: 'co' of 'co-operat', 'face' of 'face a'


def _literal_start(pattern: str) -> str:
    """The literal characters every match of pattern starts with ('mou' of 'mous?')."""
    m = _META.search(pattern)
    if not m:
        return pattern
    stem = pattern[:m.start()]
    return stem[:-1] if m.group() in "?*{" else stem


class _CueGroups:
    """Named groups of cue patterns found in lower-cased text.

    A one-word pattern ('invest(?:s|ed)?') is decided per distinct word and remembered, so a
    warm lookup is a dict hit. A multi-word pattern ('memorand(?:um|a) of understanding') runs
    as a regex only when a word of the text starts like it. Far cheaper than one alternation
    tried at every character of every clause."""

    def __init__(self, named: dict[str, list[str]]):
        self._single: list[tuple[str, re.Pattern]] = []
        self._multi: dict[str, re.Pattern] = {}
        self._multi_always: set[str] = set()
        self._index: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._cache: dict[str, frozenset[str]] = {}
        for name, patterns in named.items():
            single = [p for p in patterns if _ONE_WORD.fullmatch(p)]
            multi = [p for p in patterns if not _ONE_WORD.fullmatch(p)]
            if single:
                self._single.append((name, re.compile("(?:" + "|".join(single) + ")")))
            if not multi:
                continue
            self._multi[name] = re.compile(r"\b(?:" + "|".join(multi) + r")\b")
            stems = [_STEM_WORD.split(_literal_start(p), 1)[0] for p in multi]
            if any(len(stem) < 2 for stem in stems):
                self._multi_always.add(name)
            else:
                for stem in set(stems):
                    self._index[stem[:2]].append((name, stem))

    def _word(self, word: str) -> frozenset[str]:
        hit = self._cache.get(word)
        if hit is None:
            hit = frozenset(name for name, rx in self._single if rx.fullmatch(word))
            if len(self._cache) < 100_000:
                self._cache[word] = hit
        return hit

    def found(self, text: str) -> set[str]:
        words = set(_WORDS.findall(text))
        names: set[str] = set()
        for word in words:
            names |= self._word(word)
        possible = set(self._multi_always)
        for word in words:
            for name, stem in self._index.get(word[:2], ()):
                if word.startswith(stem):
                    possible.add(name)
        names |= {name for name in possible - names if self._multi[name].search(text)}
        return names

    def search(self, text: str) -> bool:
        return bool(self.found(text))

    def first_names(self, text: str) -> set[str]:
        """The groups of the first cue word in text (multi-word cues only when no single word is)."""
        for m in _WORDS.finditer(text):
            hit = self._word(m.group())
            if hit:
                return set(hit)
        return self.found(text)

    def first_at(self, text: str, names: set[str]) -> Optional[int]:
        """Offset of the first cue of one of `names` in text (None if there is none)."""
        first = None
        for m in _WORDS.finditer(text):
            if self._word(m.group()) & names:
                first = m.start()
                break
        for name in names & self._multi.keys():
            hit = self._multi[name].search(text, 0, first if first is not None else len(text))
            if hit and (first is None or hit.start() < first):
                first = hit.start()
        return first


@dataclass(frozen=True)
class _Cues:
    kinds: _CueGroups
    priority: list[str]
    weak: set[str]
    every: _CueGroups  # kinds, blockers (hard | soft conflict, speculative) and statuses at once
    comparison: re.Pattern


def _words(alternatives: list[str]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")  # cues are matched on lower-cased text


@lru_cache(maxsize=None)
def _cues(lang: str = DEFAULT_LANGUAGE) -> _Cues:
    """The cue groups: the shared table plus the cue words of the article's language."""
    data = read_json("cooperation_cues.json")
    if sorted(data["kind_priority"]) != sorted(KINDS) or sorted(data["kinds"]) != sorted(KINDS):
        raise ValueError(f"cooperation_cues.json: kind_priority and kinds must name exactly the "
                         f"partnership kinds of data_prep/kinds.py: {', '.join(KINDS)}")
    if sorted(data["status"]) != sorted(PAIR_STATUSES):
        raise ValueError(f"cooperation_cues.json: status must name exactly the statuses of "
                         f"data_prep/kinds.py: {', '.join(PAIR_STATUSES)}")
    own = language(lang).section("cues") if lang != DEFAULT_LANGUAGE else {}
    unknown = set(own.get("kinds", {})) - set(data["kind_priority"])
    if unknown:
        raise LexiconError(f"{lang}/words.json: cues: unknown kind {sorted(unknown)[0]!r}")
    kinds = {k: data["kinds"][k] + own.get("kinds", {}).get(k, []) for k in data["kind_priority"]}
    # no agreement outweighs a conflict word (hard); a negative word (soft) only without one
    hard, soft = data["conflict"] + own.get("conflict", []), data["negative"] + own.get("negative", [])
    return _Cues(
        kinds=_CueGroups(kinds),
        priority=data["kind_priority"],
        weak=set(data["weak"]),
        every=_CueGroups({**kinds, "hard": hard, "speculative": data["speculative"] + own.get("speculative", []),
                          "soft": soft,
                          **{_STATUS_PREFIX + k.replace(" ", "_"): v for k, v in data["status"].items()}}),
        comparison=_words(data["comparison"]),
    )


_STATUS_PREFIX = "status_"


def _groups(mentions: list[CountryMention], body: str) -> list[list[CountryMention]]:
    """Runs of mentions written together: 'X, Y and Z', 'X-Y', 'Kazakh-Chinese'."""
    groups: list[list[CountryMention]] = []
    for m in mentions:
        if groups and _COORDINATION.match(body[groups[-1][-1].end:m.start]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


_NEXT_LOWER = re.compile(r"\s+([a-z][a-z-]*)")


@lru_cache(maxsize=1)
def _actor_nouns() -> frozenset[str]:
    data = read_json("cooperation_cues.json")
    return frozenset(data["actor_nouns"])


def _is_origin(m: CountryMention, body: str) -> bool:
    """A demonym naming where goods come from ('French cheese'), not who acts ('French officials')."""
    if m.via != "demonym":
        return False
    nxt = _NEXT_LOWER.match(body, m.end)
    if not nxt or nxt.group(1) in ("and", "or"):
        return False
    if _is_actor_noun(nxt.group(1)):
        return False
    second = _NEXT_LOWER.match(body, nxt.end())  # 'Japanese car maker': a compound actor noun
    return not (second and _is_actor_noun(second.group(1)))


_NEXT_WORD = re.compile(r"[ \t]+([A-Z][\w'’]*)")


def _names_a_body(body: str, end: int) -> bool:
    """A city followed by a capitalised name head ('Paris Club', 'London Stock Exchange')."""
    nxt = _NEXT_WORD.match(body, end)
    return bool(nxt) and nxt.group(1) in _name_heads()


@lru_cache(maxsize=1)
def _name_heads() -> frozenset[str]:
    data = read_json("cooperation_cues.json")
    return frozenset(data["name_heads"])


_AFTER_WORD = re.compile(r"\b(?:after|behind)\s+(?:the\s+)?$", re.I)
_SUPERLATIVE = re.compile(r"\b(?:\w+est|biggest|largest|second|third|fourth|fifth|top|leading)\b", re.I)
# 'are long-standing trade partners', 'are close allies': a relation both sides hold
_MUTUAL_NOUN = re.compile(r"\b(?:partners|allies)\b")


def _ranked_after(body: str, clause_start: int, at: int) -> bool:
    """'the largest source of investment in Vietnam after Japan': a country placed after a
    superlative earlier in the clause is ranked, not a partner."""
    return bool(_AFTER_WORD.search(body, max(clause_start, at - 16), at)) and \
        bool(_SUPERLATIVE.search(body, clause_start, at))


# 'more than $15 billion': a quantity, not a comparison of countries
_QUANTITY_THAN = re.compile(r"\bthan\s+(?:about\s+|some\s+)?(?:[A-Z]{0,3}[$€£¥]\s?)?\d", re.I)
def _place_role(m: CountryMention, body: str, start: int) -> str:
    """The role of a country named as a place ('' when it is not): where a story was filed,
    a meeting held, a border or a route runs, or a venue."""
    window = body[max(start, m.start - 30):m.start]
    if m.via == "city" and _MEETING_AFTER.match(body, m.end):
        return "meeting place"  # "the New York talks": never a partner
    if m.via == "city" and m.text.isupper() and body.startswith(",", m.end) \
            and not body[start:m.start].strip():
        return "dateline"  # "PARIS, June 19 - ...": where the story was filed
    if m.via == "city" and _names_a_body(body, m.end):
        return "name"  # "the Paris Club": a body's name, not the country acting
    if _BORDER.search(window) or (_ROUTE.search(window) and not _POSSESSIVE_NEXT.match(body, m.end)):
        return "landmark"  # 'on the border with X', 'a gas line crossing X' (not 'through X's pipeline')
    if _EVENT_VENUE.search(body[max(start, m.start - 90):m.start]):
        return "meeting place"  # 'on the sidelines of the G20 meeting in Jaipur'
    if _VENUE.search(window) and not _HOLDING_IN.search(window):
        return "venue"
    return ""


# a place's role that the countries listed with it share ('crossing Serbia, Hungary and Austria')
_SHARED_PLACES = ("landmark", "meeting place", "dateline")
_PLACE_ROLES = ("venue", "dateline", "meeting place", "landmark")


def _city_role(prev: Optional[CountryMention], m: CountryMention, before: str,
               role: dict[str, set[str]]) -> str:
    """The role of a city named right before its own country ('Jaipur, India'), if it has a
    place's role; '' otherwise."""
    if prev is None or prev.via != "city" or prev.iso3 != m.iso3 or before.strip() != ",":
        return ""
    return next((r for r in _PLACE_ROLES if r in role[prev.iso3]), "")


def _participants(mentions: list[CountryMention], body: str, start: int, cues: _Cues) -> list[str]:
    """Countries of a clause that take part: comparators ('overtook the US') and venues
    ('in Dubai', when two other countries act) are left out."""
    role: dict[str, set[str]] = defaultdict(set)
    prev_end = start
    last_role = ""
    prev: Optional[CountryMention] = None
    for m in mentions:
        before = body[prev_end:m.start]
        coordinated = bool(_COORDINATION.match(before))
        place = _city_role(prev, m, before, role) or (
            last_role if last_role in _SHARED_PLACES and coordinated else "")
        prev, prev_end = m, m.end
        if place:  # 'in Jaipur, India'; 'crossing Serbia, Hungary and Austria'
            role[m.iso3].add(place)
            last_role = place
            continue
        near = _QUANTITY_THAN.sub(" ", " ".join(before[-80:].split()[-_NEAR_WORDS:]))
        if (near and cues.comparison.search(near.lower())) or _ranked_after(body, start, m.start) or (
                last_role == "comparator" and coordinated):  # 'after Russia and Tajikistan'
            last_role = "comparator"
        else:
            last_role = _place_role(m, body, start) or ("origin" if _is_origin(m, body) else "actor")
        role[m.iso3].add(last_role)
    if not any("actor" in r for r in role.values()):
        return []  # 'French cheese, Italian wine, Danish ham': goods of several origins, no actor
    for r in role.values():
        if "origin" in r:
            r.add("actor")  # 'Japanese importers bought Chinese soybeans': an origin beside an actor
    actors = [iso for iso, r in role.items() if "actor" in r]
    venues = [iso for iso, r in role.items() if r == {"venue"}]
    if len(actors) < 2:
        actors += venues[: 2 - len(actors)]
    order = [m.iso3 for m in mentions]
    return sorted(set(actors), key=order.index)


def find_partnerships(
    body: str,
    sentences: Sequence[Sentence],
    mentions: Sequence[CountryMention],
    figures: Sequence[Figure] = (),
    dates: Sequence[DateRef] = (),
    entities: Sequence[Entity] = (),
    lang: Optional[str] = None,
) -> list[Partnership]:
    """Pairs of countries the article reports as cooperating, each with its evidence; `lang`
    (detected when not given) adds that language's cue words."""
    cues = _cues(resolve_language(body, lang))
    by_sentence: dict[int, list[CountryMention]] = defaultdict(list)
    sentence_list = list(sentences)
    for m in mentions:
        i = sentence_at(sentence_list, m.start)
        if i >= 0:
            by_sentence[i].append(m)
    main = _main_country(mentions)
    owner = main or (mentions[0].iso3 if mentions else None)  # else the story's first country
    story = _Story(body, entities, cues, owner, main)
    evidence: dict[tuple[str, str], list[tuple[int, list[str], list[str]]]] = defaultdict(list)
    groups_of: dict[tuple[str, str], list[str]] = {}
    for i, ms in sorted(by_sentence.items()):
        sent = sentences[i]
        if len({m.iso3 for m in ms}) < 2:
            _its_partner(i, ms, body, sent, by_sentence, entities, cues, evidence)
            _main_country_partner(i, ms, story.main, body, sent, entities, cues, evidence)
            continue
        text, asides = _main_clause_text(body, sent)
        for a, b in asides:  # 'Solomon Islands, which has had a policing deal with China, did not sign'
            _aside_pairs(i, ms, a, b, body, entities, cues, evidence)
        ms = [m for m in ms if not any(a <= m.start < b for a, b in asides)]
        for c_start, c_end in _clause_spans(text, sent):
            found = _clause_pairs(story, text, c_start, c_end, [m for m in ms if c_start <= m.start < c_end])
            if found is None:
                continue
            linked, group, kinds, statuses = found
            for a, b in linked:
                if a == b:
                    continue
                pair = tuple(sorted((a, b)))
                evidence[pair].append((i, kinds, statuses))
                if group:
                    groups_of.setdefault(pair, sorted(group))
    return [_partnership(pair, ev, groups_of.get(pair, []), body, sentences, mentions, figures, dates, entities)
            for pair, ev in evidence.items()]


@dataclass(frozen=True)
class _Story:
    """What every clause of one article is read against."""

    body: str
    entities: Sequence[Entity]
    cues: _Cues
    owner: Optional[str]  # the country a list of buyers or donors deals with
    main: Optional[str]  # the country the article is about, if one stands out


def _clause_pairs(story: _Story, text: str, c_start: int, c_end: int, clause_ms: list[CountryMention]):
    """(pairs, group, kinds, statuses) that one clause evidences, or None."""
    if len({m.iso3 for m in clause_ms}) < 2:
        return None
    cues = story.cues
    clause = _without_names(text, c_start, c_end, story.entities).lower()  # cues are lower case
    cue_names = cues.every.found(clause)  # one pass for kinds, blockers and statuses
    compounds = _compounds(clause_ms, text)
    kinds = _clause_kinds(cue_names, bool(compounds), cues)
    if not kinds:
        return None
    strong = [k for k in kinds if k not in cues.weak]
    if strong:
        linked, group, compounds = _strong_pairs(story, text, c_start, c_end, clause_ms, clause, strong, compounds)
    else:
        linked, group = _weak_pairs(story, text, c_start, clause_ms, clause, kinds)
    linked += [p for p in compounds if p not in linked]
    if not linked:
        return None
    statuses = [n[len(_STATUS_PREFIX):].replace("_", " ") for n in cue_names if n.startswith(_STATUS_PREFIX)]
    return linked, group, kinds, statuses


def _clause_kinds(cue_names: set[str], has_compound: bool, cues: _Cues) -> list[str]:
    """The clause's partnership kinds, or [] when it has none or a blocker rules it out: a
    conflict or speculation always, a negative word unless the clause reports an agreement."""
    kinds = [k for k in cues.priority if k in cue_names]
    if not kinds and not has_compound:
        return []  # no cue, no compound: nothing to check further (the common case)
    if "speculative" in cue_names or "hard" in cue_names:
        return []
    if not kinds and "soft" not in cue_names:
        kinds = ["project"]
    if "soft" in cue_names and "agreement" not in kinds:
        return []
    return kinds


def _strong_pairs(story: _Story, text: str, c_start: int, c_end: int, clause_ms, clause: str,
                  strong: list[str], compounds: list):
    """Pairs of a clause with a strong cue: a subject group and its counterparts, actors on
    either side of the cue, or a list of buyers or donors dealing with the story's country."""
    cues = story.cues
    groups = _groups(clause_ms, text)
    subject = _subject(groups, text, c_end, story.entities, cues)
    actors = _participants(clause_ms, text, c_start, cues)
    if subject is not None:
        linked, group = _subject_pairs(subject, clause_ms, text, c_end, cues, actors)
        return linked, group, []
    cue_at = cues.every.first_at(clause, set(strong))
    linked = _across_cue(actors, clause_ms, c_start + (cue_at or 0)) if cue_at is not None else None
    mutual = bool(set(strong) & set(_RECIPROCAL))
    if linked is None and len(actors) >= 3 and not mutual:
        # a list of buyers, donors or markets: each deals with the article's country
        # ('Its biggest buyers were ...', 'The UK will provide £20m, Germany ...')
        linked = [(a, story.owner) for a in actors if story.owner and a != story.owner]
    if linked is None:
        linked = _linked_pairs(actors, groups, text)
    group = actors if len(actors) >= 3 and len(linked) == len(actors) * (len(actors) - 1) // 2 else []
    return linked, group, compounds


def _weak_pairs(story: _Story, text: str, c_start: int, clause_ms, clause: str, kinds: list[str]):
    """Pairs of a clause with only a weak cue: countries written together ('X, Y and Z
    project'), else one builder and one client across the cue."""
    linked, group = [], []
    for g in _groups(clause_ms, text):
        if _is_list_object(g, text):
            continue  # 'reactors for Hungary and Turkey': co-beneficiaries
        if not story.cues.every.found(text[g[-1].end:g[-1].end + _WEAK_REACH].lower()) & set(kinds):
            continue  # the project word names their joint thing only right after them
        isos = sorted({m.iso3 for m in g}, key=[m.iso3 for m in g].index)
        linked += list(combinations(isos, 2))
        if len(isos) >= 3:
            group = isos
    if not linked:  # "Russia's Rosatom will build the plant for Egypt": one builder, one client
        actors = _participants(clause_ms, text, c_start, story.cues)
        cue_at = story.cues.every.first_at(clause, set(kinds))
        if len(actors) >= 2 and cue_at is not None:
            linked = _across_cue(actors, clause_ms, c_start + cue_at) or []
    return linked, group


# 'Albania, Bulgaria and North Macedonia pipeline project': a weak cue this close after a
# group names the group's joint thing; further on ('... receive gas through the Trans
# Adriatic Pipeline') it does not
_WEAK_REACH = 40
_RECIPROCAL = ("agreement", "talks", "cooperation")
# the counterpart of an act: 'a deal with X', 'aid to X', 'a stake in X' ('in' only after a
# holding word: 'signed in X' names a venue)
_OBJECT_BEFORE = re.compile(r"\b(?:with|to|from|for|between|(?:stakes?|shareholders?|shares|"
                            r"holdings?|invest\w*)\s+in)\s+(?:the\s+)?(?:\w+\s+){0,2}$", re.I)


def _subject(groups, body: str, clause_end: int, entities, cues: _Cues):
    """A run of two or more countries acting together ('Japan and the UAE pledged ...'):
    the first such group followed closely by a cooperation word."""
    for g in groups:
        if len({m.iso3 for m in g}) < 2 or any(_HYPHEN.match(body[a.end:b.start]) for a, b in zip(g, g[1:])):
            continue  # 'Kazakh-Chinese projects' is a compound naming a joint thing, not a subject
        if _OBJECT_BEFORE.search(body[max(0, g[0].start - 40):g[0].start]):
            continue  # 'talks with Saudi Arabia and Kuwait on support': counterparts, not a subject
        if _is_list_object(g, body):
            continue  # 'the Canadian and Israeli pacts': each its own, not acting together
        follow = " ".join(_without_names(body, g[-1].end, clause_end, entities).split())[:45].lower()
        if cues.kinds.search(follow):
            return g
    return None


def _act(verb_phrase: str, cues: _Cues) -> set[str]:
    """The kinds of the first cue of a verb phrase, with those of a cue word right after it:
    'held trade talks' are talks, 'signed an investment accord' an accord."""
    first = cues.kinds.first_names(verb_phrase)
    at = cues.kinds.first_at(verb_phrase, first)
    if at is None:
        return first
    following = verb_phrase[at:].split()[1:2]
    return first | (cues.kinds.found(following[0]) if following else set())


def _subject_pairs(subject, mentions, body: str, clause_end: int, cues: _Cues, actors: list[str]):
    """Pairs of a clause with a subject group: its members with each other when the act is
    mutual (signed, talks, cooperation), and each member with the countries it acts with or
    towards ('pledged aid to Tanzania', 'signed a deal with Peru'); bystanders are left out."""
    members = sorted({m.iso3 for m in subject} & set(actors), key=[m.iso3 for m in subject].index)
    verb_phrase = " ".join(body[subject[-1].end:clause_end].split())[:80].lower()
    first = _act(verb_phrase, cues)  # the act itself: 'pledged ... support' is a pledge
    mutual = bool(first & set(_RECIPROCAL)) or bool(_MUTUAL_NOUN.search(verb_phrase))
    pairs = list(combinations(members, 2)) if mutual else []
    for m in mentions:
        if m.start >= subject[-1].end and m.iso3 in actors and m.iso3 not in members \
                and _OBJECT_BEFORE.search(body[max(subject[-1].end, m.start - 40):m.start]):
            pairs += [(a, m.iso3) for a in members]
    group = members if mutual and len(members) >= 3 else []
    return list(dict.fromkeys(pairs)), group


def _compounds(mentions: list[CountryMention], body: str) -> list[tuple[str, str]]:
    """Pairs written as one hyphenated compound before a joint noun."""
    pairs: list[tuple[str, str]] = []
    run: list[CountryMention] = []
    for m in mentions + [None]:
        if m is not None and run and _HYPHEN.match(body[run[-1].end:m.start]):
            run.append(m)
            continue
        if len(run) >= 2 and _JOINT_NOUN.match(body[run[-1].end:run[-1].end + 60]):
            isos = sorted({r.iso3 for r in run}, key=[r.iso3 for r in run].index)
            pairs += list(combinations(isos, 2))
        run = [m] if m is not None else []
    return pairs


def _its_partner(i, ms, body, sent, by_sentence, entities, cues, evidence) -> None:
    """'Belarus has turned towards Moscow. Its trade with Russia doubled.': a sentence that
    opens with 'its' and names one other country with a cooperation cue pairs it with the
    country of the sentence before."""
    if not body[sent.start:sent.start + 6].lower().startswith(("its ", "their ")):
        return
    owner = _previous_subject(by_sentence, i)
    if not owner or owner == ms[0].iso3:
        return
    clause = _without_names(body, sent.start, sent.end, entities).lower()
    names = cues.every.found(clause)
    kinds = [k for k in cues.priority if k in names and k not in cues.weak]
    if kinds and not names & {"hard", "soft", "speculative"} and _participants(ms, body, sent.start, cues):
        evidence[tuple(sorted((owner, ms[0].iso3)))].append((i, kinds, []))


_TOWARDS = re.compile(r"\b(?:to|from)\s+(?:the\s+)?$", re.I)
_DIRECTED_KINDS = ("trade", "investment", "finance")


def _main_country_partner(i, ms, main, body, sent, entities, cues, evidence) -> None:
    """'The number of live sheep shipped last year to Saudi Arabia ...' in a story about
    Australia's exports: goods, money or investment sent to or from the one country a sentence
    names pair it with the country the article is about."""
    isos = {m.iso3 for m in ms}
    if not main or len(isos) != 1 or main in isos:
        return
    towards = [m for m in ms if m.via != "city"  # 'fly to Washington': a trip, not a trade
               and _TOWARDS.search(body[max(sent.start, m.start - 12):m.start])]
    if not towards:
        return
    clause = _without_names(body, sent.start, sent.end, entities).lower()
    names = cues.every.found(clause)
    kinds = [k for k in _DIRECTED_KINDS if k in names]
    if kinds and not names & {"hard", "soft", "speculative"}:
        evidence[tuple(sorted((main, towards[0].iso3)))].append((i, kinds, []))


def _aside_pairs(i, ms, a, b, body, entities, cues, evidence) -> None:
    """An aside about the country before it ('X, which has a deal with China, ...') is a
    clause of its own with that country as subject."""
    before = [m for m in ms if m.end <= a]
    inside = [m for m in ms if a <= m.start < b]
    if not before or not inside:
        return
    subject = before[-1]
    clause = _without_names(body, a, b, entities).lower()
    names = cues.every.found(clause)
    kinds = [k for k in cues.priority if k in names and k not in cues.weak]
    if not kinds or names & {"hard", "soft", "speculative"}:
        return
    for m in inside:
        if m.iso3 != subject.iso3 and m.iso3 in _participants([subject, m], body, subject.start, cues):
            evidence[tuple(sorted((subject.iso3, m.iso3)))].append((i, kinds, []))


def _previous_subject(by_sentence: dict[int, list[CountryMention]], i: int) -> Optional[str]:
    """The first country named in the nearest earlier sentence that names one: what 'its' or
    an unnamed seller refers to."""
    for j in range(i - 1, -1, -1):
        if by_sentence.get(j):
            return by_sentence[j][0].iso3
    return None


def _main_country(mentions: Sequence[CountryMention]) -> Optional[str]:
    """The country an article is about: named most, at least three times and half again as
    often as any other (the 'its' of 'its biggest buyers were ...')."""
    counts: dict[str, int] = defaultdict(int)
    for m in mentions:
        counts[m.iso3] += 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < 3 or (len(ranked) > 1 and ranked[0][1] < 1.5 * ranked[1][1]):
        return None
    return ranked[0][0]


def _across_cue(actors: list[str], mentions: list[CountryMention], cue_at: int) -> Optional[list[tuple[str, str]]]:
    """'Egyptian officials held talks with Saudi Arabia and Kuwait', 'SOVIET UNION BUYS U.S.
    CORN, CANADIAN AND ARGENTINE WHEAT': countries before the cooperation word act, those after
    it are their counterparts; counterparts are not each other's partners, nor are co-actors
    (co-lenders, co-buyers) when counterparts are named. None when one side is empty."""
    before = list(dict.fromkeys(m.iso3 for m in mentions if m.start < cue_at and m.iso3 in actors))
    after = list(dict.fromkeys(m.iso3 for m in mentions if m.start >= cue_at and m.iso3 in actors))
    if not before or not after:
        return None
    return list(dict.fromkeys((a, b) for a in before for b in after if a != b))


def _linked_pairs(actors: list[str], groups: list[list[CountryMention]], body: str) -> list[tuple[str, str]]:
    """Every pair of actors, except co-objects: in 'Japan has agreements with Australia and the
    UK' the two after 'with' are each Japan's partner, not each other's."""
    apart: set[frozenset] = set()
    for g in groups:
        isos = {m.iso3 for m in g}
        if len(isos) >= 2 and _is_list_object(g, body):
            apart |= {frozenset(p) for p in combinations(isos, 2)}
    apart |= _parallel_objects(actors, groups, body)
    return [p for p in combinations(actors, 2) if frozenset(p) not in apart]


_GOVERNED_BY = re.compile(r"\b(from|to|for)\s+(?:the\s+)?(?:[\w'’.-]+\s+){0,4}$", re.I)


def _parallel_objects(actors: list[str], groups: list[list[CountryMention]], body: str) -> set[frozenset]:
    """'one from a bank of France and the other from a bank of Britain': countries in separate
    phrases governed by the same preposition of source or recipient are parallel (two lenders,
    two buyers), not each other's partners."""
    governed: dict[str, set[str]] = {}
    for g in groups:
        hit = _GOVERNED_BY.search(body[max(0, g[0].start - 45):g[0].start])
        if hit:
            for m in g:
                if m.iso3 in actors:
                    governed.setdefault(m.iso3, set()).add(hit.group(1).lower())
    return {frozenset((a, b)) for a, b in combinations(governed, 2) if governed[a] & governed[b]
            and not any(a in {m.iso3 for m in g} and b in {m.iso3 for m in g} for g in groups)}


_PLURAL_NEXT = re.compile(r"\s+([A-Za-z]+s)\b")


def _is_list_object(group: list[CountryMention], body: str) -> bool:
    """Countries listed where an object or possessor stands ('rescheduling of Uganda's and
    Mozambique's debts', 'the Canadian and Israeli pacts'): each has its own share in what is
    said, they do not deal with each other. 'between X and Y' and 'an alliance of X and Y'
    are reciprocal and stay pairs."""
    before = body[max(0, group[0].start - 40):group[0].start]
    if _LIST_OBJECT.search(before[-14:]) and not _OF_AFTER_COOPERATION.search(before) \
            and not _actors_of(before) and not _SIGNED_BY.search(before):
        return True
    if all(m.via == "demonym" for m in group) and len(group) >= 2:
        plural = _PLURAL_NEXT.match(body, group[-1].end)  # 'pacts': one each; 'officials' act
        return bool(plural) and not _is_actor_noun(plural.group(1).lower())
    return False


_WORD_BEFORE_OF = re.compile(r"\b([a-z]+)\s+of\s+(?:the\s+)?$")


def _actors_of(before: str) -> bool:
    """'the presidents of X and Y', 'the governments of X and Y': the list names who acts."""
    m = _WORD_BEFORE_OF.search(before)
    return bool(m) and _is_actor_noun(m.group(1))


def _is_actor_noun(word: str) -> bool:
    nouns = _actor_nouns()
    return word in nouns or word.rstrip("s") in nouns or word[:-3] + "y" in nouns


_TITLE_CUE = re.compile(r"\b(?:Trade|Finance|Investment|Energy|Economy|Economic|Commerce|Industry|Foreign)\s+"
                        r"(?:Minister|Ministry|Secretary|Commissioner|Representative|Council)\b")


def _without_names(body: str, start: int, end: int, entities: Sequence[Entity]) -> str:
    """The clause with organisation names and titles blanked: the 'Finance Ministry' or a
    'Trade Minister' is no finance deal or trade."""
    clause = _TITLE_CUE.sub(lambda m: " " * len(m.group()), body[start:end])
    for e in entities:
        if e.kind == "org" and start <= e.start and e.end <= end:
            a, b = e.start - start, e.end - start
            clause = clause[:a] + " " * (b - a) + clause[b:]
    return clause


_ASIDE = re.compile(r",\s+(?:which|who|whose)\b[^,;]*,(?=\s+[a-z])")  # closed by a comma, then the verb


def _main_clause_text(body: str, sent: Sentence) -> tuple[str, list[tuple[int, int]]]:
    """The body with the sentence's asides blanked ('Ghana and Côte d'Ivoire, which together
    grow 60% of the world's cocoa, agreed ...'), so the main clause reads as one."""
    asides = [(m.start(), m.end()) for m in _ASIDE.finditer(body, sent.start, sent.end)]
    if not asides:
        return body, []
    parts, last = [], 0
    for a, b in asides:
        parts += [body[last:a], " " * (b - a)]
        last = b
    parts.append(body[last:])
    return "".join(parts), asides


def _clause_spans(body: str, sent: Sentence) -> list[tuple[int, int]]:
    raw = body[sent.start:sent.end]
    spans, last = [], 0
    for m in _CLAUSE_BREAK.finditer(raw):
        spans.append((sent.start + last, sent.start + m.start()))
        last = m.end()
    spans.append((sent.start + last, sent.end))
    return spans


def _partnership(pair, ev, group, body, sentences, mentions, figures, dates, entities) -> Partnership:
    idxs = sorted({i for i, _, _ in ev})
    first_kinds = ev[0][1]
    kind = next((k for k in first_kinds), "cooperation")
    statuses = [s for _, _, ss in ev for s in ss]
    status: Optional[str] = None
    for candidate in STATUS_PRIORITY:
        if candidate in statuses:
            status = candidate
            break
    idx_set = set(idxs)
    places: dict[str, list[str]] = {}
    for m in mentions:
        if m.iso3 in pair and m.place and _in(sentences, idx_set, m.start):
            places.setdefault(m.iso3, [])
            if m.place not in places[m.iso3]:
                places[m.iso3].append(m.place)
    orgs = []
    for e in entities:
        if e.kind == "org" and e.sentence in idx_set and e.name not in orgs:
            orgs.append(e.name)
    evidence_text = [sentences[i].text for i in idxs]
    return Partnership(
        countries=pair,
        kind=kind,
        status=status,
        sectors=find_sectors(" ".join(evidence_text)),
        places=places,
        organisations=orgs,
        group=group,
        sentences=idxs,
        evidence=evidence_text,
        figures=[n for n, f in enumerate(figures) if f.sentence in idx_set],
        dates=[n for n, d in enumerate(dates) if d.sentence in idx_set],
    )


def _in(sentences: Sequence[Sentence], idxs: set[int], offset: int) -> bool:
    return any(sentences[i].start <= offset < sentences[i].end for i in idxs)
