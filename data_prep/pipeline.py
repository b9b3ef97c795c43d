"""One article in, everything extracted out: the order of the extractors and the glue.

Each extractor is a pure function of the (furniture-masked) text; this module only decides
what runs on what and ties every item to its sentence.
"""
from __future__ import annotations

import os
from typing import Iterable, Iterator, Optional

from .countries import find_countries, summarise_countries
from .deals import attach_deals
from .dates import find_dates, find_publication_date
from .figures import find_figures
from .furniture import mask, split_page
from .identity import article_id
from .lexicon import detect_language
from .organisations import actor_mentions, find_entities
from .partnerships import find_partnerships
from .reading import read_paths
from .records import ArticleExtraction, Duplicate, RawArticle, ReadProblem
from .sentences import sentence_at, split_sentences

# Bump when extraction changes in a way that stored results should be recomputed.
EXTRACTOR_VERSION = "3"
_TITLE_FALLBACK_CHARS = 120


def extract(raw: RawArticle, known_id: Optional[str] = None) -> ArticleExtraction:
    """Everything extracted from one article; `known_id` spares recomputing an id the caller has."""
    text = raw.text
    published = find_publication_date(text, raw.published)
    page = split_page(text, raw.title)
    body = mask(text, page.furniture)
    sentences = split_sentences(body)
    lang = detect_language(body)
    mentions, regions = find_countries(body, lang)
    countries = summarise_countries(mentions)
    pub_value = published.value if published else None
    figures = find_figures(body, pub_value, [c.iso3 for c in countries], lang)
    dates = find_dates(body, pub_value)
    entities = find_entities(body, mentions)

    def at(offset: int) -> int:
        return sentence_at(sentences, offset)

    figures = [_in_sentence(f, at(f.start)) for f in figures]
    dates = [_in_sentence(d, at(d.start)) for d in dates]
    entities = [_in_sentence(e, at(e.start)) for e in entities]
    actors = sorted(mentions + actor_mentions(body, entities, mentions), key=lambda m: m.start)
    partnerships = find_partnerships(body, sentences, actors, figures, dates, entities, lang)
    extraction = ArticleExtraction(
        doc=raw.doc,
        article_id=known_id or article_id(text),
        text=text,
        title=page.title or _first_sentence(sentences),
        published=pub_value,
        furniture=page.furniture,
        url=raw.url,
        source=raw.source,
        sentences=sentences,
        countries=countries,
        country_mentions=mentions,
        regions=regions,
        figures=figures,
        dates=dates,
        partnerships=partnerships,
        entities=entities,
    )
    extraction.partnerships = attach_deals(extraction)
    return extraction


def _in_sentence(item, index: int):
    """A copy of a frozen record with its sentence index set (dataclasses.replace, without its
    per-call overhead on this hot path)."""
    out = object.__new__(type(item))
    out.__dict__.update(item.__dict__, sentence=index)
    return out


def _first_sentence(sentences) -> Optional[str]:
    if not sentences:
        return None
    text = sentences[0].text
    return text if len(text) <= _TITLE_FALLBACK_CHARS else text[:_TITLE_FALLBACK_CHARS].rsplit(" ", 1)[0] + "…"


def extract_all(
    items: Iterable[RawArticle | ReadProblem],
) -> Iterator[ArticleExtraction | ReadProblem | Duplicate]:
    """Extract every article once; the same text again is a `Duplicate` naming the first
    input; problems pass through. An extractor failure on one article becomes a problem for
    that article, never a crash."""
    seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, ReadProblem):
            yield item
            continue
        key = article_id(item.text)
        if key in seen:
            yield Duplicate(item.doc, seen[key])
            continue
        seen[key] = item.doc
        try:
            yield extract(item, key)
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop a batch
            yield ReadProblem(item.doc, f"extraction failed: {type(exc).__name__}: {exc}")


def extract_paths(paths: Iterable[str | os.PathLike]) -> Iterator[dict]:
    """Contract records (EXTRACT_CONTRACT) for every article under paths; problems skipped."""
    from .contract import to_contract

    for item in extract_all(read_paths(paths)):
        if isinstance(item, ArticleExtraction):
            yield to_contract(item)
