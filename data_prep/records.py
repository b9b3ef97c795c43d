"""Typed records that every extractor returns.

Offsets (`start`, `end`) are character offsets into `Article.text`, so every item can be
traced back to the words and the sentence it came from.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass(frozen=True)
class RawArticle:
    """One article as read from a file, before extraction."""

    doc: str  # file name (no folder); "bundle.zip:inner.txt" or "rows.csv#12" for containers
    text: str
    title: Optional[str] = None  # from a metadata column, when the source has one
    published: Optional[str] = None  # YYYY-MM-DD from a metadata column, when given
    url: Optional[str] = None
    source: Optional[str] = None
    origin: str = ""  # the path the user gave, for messages


@dataclass(frozen=True)
class ReadProblem:
    """A file (or one line of it) that could not be read; reported, never raised."""

    file: str
    message: str
    line: Optional[int] = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class CountryMention:
    iso3: str
    text: str  # the words as written ("Kazakh", "PRC", "Shenzhen")
    start: int
    end: int
    via: str  # name | alias | demonym | city
    place: Optional[str] = None  # the city or region standing for the country, if any


@dataclass
class Country:
    iso3: str
    name: str
    mentions: int
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class RegionMention:
    name: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Figure:
    kind: str  # money | percent | count
    value: float  # full units: "21 billion" -> 21e9
    text: str
    start: int
    end: int
    unit: Optional[str] = None  # ISO 4217 for money, "%" for percent, None for counts
    what: Optional[str] = None  # singular head noun of a count ("project", "tonne")
    qualifier: Optional[str] = None  # over | about | up to | at least | less than | range
    measure: Optional[str] = None  # what the sentence says it measures ("trade turnover")
    usd: Optional[float] = None  # money at the article's date; None where no rate is known
    sentence: int = -1  # index into ArticleExtraction.sentences


@dataclass(frozen=True)
class PublicationDate:
    """The article's own date stamp (header, source line, sign-off or dated dateline)."""

    value: str  # YYYY-MM-DD
    text: str
    start: int
    end: int
    how: str  # header | source-line | sign-off | dateline | metadata


# The precision of a date by the length of its ISO form: decided here and nowhere else.
DATE_GRANULARITY = {4: "year", 7: "month", 10: "day"}


def granularity_of(value: object) -> Optional[str]:
    """'year', 'month' or 'day' for a YYYY, YYYY-MM or YYYY-MM-DD string; None otherwise."""
    return DATE_GRANULARITY.get(len(value.strip())) if isinstance(value, str) else None


@dataclass(frozen=True)
class DateRef:
    value: str  # YYYY | YYYY-MM | YYYY-MM-DD
    granularity: str  # year | month | day
    text: str
    start: int
    end: int
    relative: bool = False  # resolved from "last year", "on Tuesday" ...
    sentence: int = -1


@dataclass(frozen=True)
class Entity:
    name: str
    kind: str  # org | person
    start: int
    end: int
    iso3: Optional[str] = None  # the country the text gives it
    role: Optional[str] = None  # "Prime Minister of Kazakhstan"
    sentence: int = -1


@dataclass(frozen=True)
class DealMoney:
    """A money figure the text ties to a pair's cooperation, with what it measures."""

    figure: int  # index into ArticleExtraction.figures
    measure: str  # trade | investment | loan | aid | deal | other
    status: str  # actual | planned


@dataclass
class Partnership:
    countries: tuple[str, str]  # sorted ISO3 pair
    kind: str  # agreement | talks | project | trade | investment | finance | cooperation
    status: Optional[str] = None  # planned | signed | under way | completed
    sectors: list[str] = field(default_factory=list)
    places: dict[str, list[str]] = field(default_factory=dict)  # iso3 -> cities/regions named
    organisations: list[str] = field(default_factory=list)
    group: list[str] = field(default_factory=list)  # all countries of a 3+ country statement
    sentences: list[int] = field(default_factory=list)  # evidence sentence indices
    evidence: list[str] = field(default_factory=list)  # evidence sentence texts
    figures: list[int] = field(default_factory=list)  # indices into ArticleExtraction.figures
    dates: list[int] = field(default_factory=list)  # indices into ArticleExtraction.dates
    date: Optional[str] = None  # the reported event's date: YYYY | YYYY-MM | YYYY-MM-DD
    money: list[DealMoney] = field(default_factory=list)  # money tied to the pair


@dataclass
class ArticleExtraction:
    doc: str
    article_id: str
    text: str
    title: Optional[str]
    published: Optional[str]
    furniture: list[tuple[int, int]] = field(default_factory=list)  # spans that are not body
    url: Optional[str] = None
    source: Optional[str] = None
    sentences: list[Sentence] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)
    country_mentions: list[CountryMention] = field(default_factory=list)
    regions: list[RegionMention] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    partnerships: list[Partnership] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    language: str = "en"  # ISO 639-1, as lexicon.detect_language found it: the deal words read


@dataclass(frozen=True)
class Duplicate:
    """An input whose text is another input's: not extracted again, but named, so every
    input is accounted for (extracted, duplicate of a named other, or failed)."""

    doc: str
    of: str  # the doc of the input (or stored article) with the same text

    def __str__(self) -> str:
        return f"{self.doc}: same text as {self.of}: not extracted again"
