"""The one route from files to the database: read -> extract -> enrich -> store.

The command line and the upload page both come through here. `extract` runs every extractor
on one article (each a pure function of the furniture-masked text) and then the enrich step
(deal records); this module only decides what runs on what, and hands the store the pipeline
it runs on an article (`store_pipeline()`), so the store itself imports no extractor.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence, Union

from data_prep.extract.countries import find_countries, summarise_countries
from data_prep.enrich.deals import attach_deals
from data_prep.enrich.fx import with_usd
from data_prep.extract.dates import find_dates, find_publication_date
from data_prep.extract.figures import find_figures
from data_prep.text.furniture import mask, split_page
from data_prep.identity import article_id
from data_prep.lexicon import detect_language
from data_prep.extract.organisations import actor_mentions, find_entities
from data_prep.extract.partnerships import find_partnerships
from data_prep.ingest.reading import count_articles, read_paths
from data_prep.records import ArticleExtraction, Duplicate, RawArticle, ReadProblem
from data_prep.text.sentences import sentence_at, split_sentences

# Bump when extraction changes in a way that stored results should be recomputed.
EXTRACTOR_VERSION = "5"  # 5: a pair of an undated article dated by its own sentence; a date
# fronted before the pair and its verb ("On Wednesday, X and Y signed") dates the event
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
    figures = with_usd(find_figures(body, [c.iso3 for c in countries], lang), pub_value)
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
        language=lang,
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
    from data_prep.contract import to_contract

    for item in extract_all(read_paths(paths)):
        if isinstance(item, ArticleExtraction):
            yield to_contract(item)


# ------------------------------------------------------------------ into the store
# The store (DuckDB, Arrow) is imported by these functions only, so extraction alone stays light.

Progress = Callable[[int, int, str], None]
OnWait = Optional[Callable[[str], None]]


def store_pipeline(mapper: Optional[Callable] = None) -> "store.Pipeline":
    """What the store runs on an article: this module's extract, its version, the article id,
    and how a batch is mapped (`mapper`: the builtin map, or a process pool's)."""
    from data_prep import store

    return store.Pipeline(extract=extract, version=EXTRACTOR_VERSION, article_id=article_id,
                          map=mapper or map)


def default_workers() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@contextlib.contextmanager
def worker_pool(workers: int) -> Iterator[Callable]:
    """A map over a batch of extraction jobs: in this process for one worker, else in a pool
    of `workers` processes (ended on exit; when this process dies, they do too)."""
    if workers <= 1:
        yield map
        return
    import multiprocessing

    # forkserver: workers are forked from a clean server process, never from this one and
    # its threads (DuckDB's, Arrow's, a web server's), which a fork could leave deadlocked
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["data_prep.service"])
    pool = context.Pool(workers)
    try:
        yield lambda fn, jobs: pool.imap(fn, jobs)
    finally:
        pool.terminate()
        pool.join()


def add_articles(items: Iterable[RawArticle | ReadProblem], db_path: Optional[Path] = None,
                 progress: Optional[Progress] = None, on_wait: OnWait = None,
                 workers: int = 1, total: Optional[int] = None) -> "store.BuildReport":
    """Extract and store articles (an upload read in memory, or a stream of them); see
    store.add_articles. `workers` > 1 extracts in that many processes."""
    from data_prep import store

    with worker_pool(workers) as mapper:
        return store.add_articles(items, store_pipeline(mapper), db_path or store.DEFAULT_DB,
                                  progress, on_wait, total)


def build(paths: Union[str, Path, Sequence[Union[str, Path]]], db_path: Optional[Path] = None,
          progress: Optional[Progress] = None, on_wait: OnWait = None,
          workers: int = 1) -> "store.BuildReport":
    """Read files or folders, extract and store their articles not stored yet: streamed in
    batches (memory flat in the corpus size), extracted by `workers` processes."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    total = count_articles(paths) if progress else None
    return add_articles(read_paths(paths), db_path, progress, on_wait, workers, total)


def reextract(article_ids: Sequence[str], db_path: Optional[Path] = None,
              on_wait: OnWait = None) -> "store.BuildReport":
    """Extract stored articles again; only their rows are replaced."""
    from data_prep import store

    return store.replace_articles(article_ids, store_pipeline(), db_path or store.DEFAULT_DB,
                                  on_wait)


def compact(db_path: Optional[Path] = None, on_wait: OnWait = None) -> "store.BuildReport":
    """Fold the store's segments into its one file."""
    from data_prep import store

    return store.compact(store_pipeline(), db_path or store.DEFAULT_DB, on_wait)


def remove_articles(article_ids: Sequence[str], db_path: Optional[Path] = None,
                    on_wait: OnWait = None) -> int:
    """Remove articles and all their rows; returns how many were stored."""
    from data_prep import store

    return store.remove_articles(article_ids, store_pipeline(), db_path or store.DEFAULT_DB, on_wait)


def ensure_database(db_path: Optional[Union[str, Path]] = None, seeds: Optional[Path] = None,
                    notify: Optional[Callable[[str], None]] = None,
                    progress: Optional[Progress] = None) -> Union[str, Path]:
    """A current database at db_path: built from `seeds` when missing, re-extracted when
    stale. A Parquet dataset (a folder or a URL, `store.location`) is left as it is."""
    from data_prep import store
    from data_prep.store.location import is_dataset

    if db_path is not None and is_dataset(db_path):
        return db_path  # a Parquet dataset (folder or URL): read in place, never written
    seeds = seeds or store.SEEDS
    return store.ensure_database(store_pipeline(), lambda: read_paths([seeds]),
                                 db_path or store.DEFAULT_DB, notify, progress)
