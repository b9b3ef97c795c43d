"""Extraction speed and memory, side by side with established libraries doing the same part.

    python bench/extract_speed.py [--articles 3000] [--size 4000]

Each row runs in its own fresh process (so peak memory is that tool's alone) on the same
synthetic corpus (bench/corpus.py). The slow libraries run on a slice of the corpus; the
rate is per article either way. Goal: >= 300 articles/s for the whole pipeline on one core.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

# name: (what it does, fraction of the corpus it runs on)
RUNS = {
    "atlas: whole pipeline": ("countries+figures+dates+partnerships+orgs", 1.0),
    "atlas: pipeline, real": ("the same on our test articles in 4 KB pieces", 1.0),
    "atlas: countries": ("countries", 1.0),
    "geotext": ("countries", 1.0),
    "atlas: figures": ("figures", 1.0),
    "quantulum3": ("figures", 0.05),
    "atlas: dates": ("dates", 1.0),
    "dateparser.search": ("dates", 0.02),
}


def _job(name: str):
    """The function that does one run's work on one text."""
    if name.startswith("atlas: whole pipeline") or name == "atlas: pipeline, real":
        from data_prep.service import extract

        return lambda raw: extract(raw)
    if name == "atlas: countries":
        from data_prep.extract.countries import find_countries

        return lambda raw: find_countries(raw.text)
    if name == "atlas: figures":
        from data_prep.extract.figures import find_figures

        return lambda raw: find_figures(raw.text)
    if name == "atlas: dates":
        from data_prep.extract.dates import find_dates

        return lambda raw: find_dates(raw.text, "2024-01-01")
    if name == "geotext":
        from geotext import GeoText

        return lambda raw: GeoText(raw.text).country_mentions
    if name == "quantulum3":
        from quantulum3 import parser

        return lambda raw: parser.parse(raw.text)
    if name == "dateparser.search":
        from dateparser.search import search_dates

        return lambda raw: search_dates(raw.text, languages=["en"])
    raise KeyError(name)


def _real_pieces(n: int, size: int) -> list:
    """Our own annotated test articles (real news style, denser than the templates) joined
    into pieces of `size` characters, repeated up to n pieces."""
    from data_prep.ingest.reading import read_paths
    from data_prep.records import RawArticle

    texts = [a.text for a in read_paths([HERE.parent / "tests" / "data" / "articles"]) if hasattr(a, "text")]
    pieces, cur = [], ""
    while len(pieces) < n:
        for t in texts:
            cur += t + "\n\n"
            if len(cur) >= size:
                pieces.append(RawArticle(doc=f"piece_{len(pieces)}", text=cur[:size]))
                cur = ""
    return pieces[:n]


def _child(name: str, n: int, size: int) -> None:
    articles = _real_pieces(n, size) if name.endswith(", real") else corpus.generate(n, size=size)
    work = _job(name)
    work(articles[0])  # warm-up: lazy tables and imports are not counted
    start = time.perf_counter()
    for raw in articles:
        work(raw)
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"n": n, "seconds": elapsed, "peak_mb": peak_mb}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--size", type=int, default=4000, help="characters per article")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child, args.articles, args.size)
        return
    print(f"corpus: {args.articles} synthetic articles of ~{args.size} characters; one core, one process per row\n")
    print(f"{'run':<24}{'part':<44}{'articles':>9}{'art/s':>10}{'ms/art':>9}{'peak MB':>9}")
    for name, (part, share) in RUNS.items():
        n = max(20, int(args.articles * share))
        proc = subprocess.run(
            [sys.executable, __file__, "--child", name, "--articles", str(n), "--size", str(args.size)],
            capture_output=True, text=True,
        )
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["failed"])[-1]
            print(f"{name:<24}{part:<44}  failed: {last}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        rate = r["n"] / r["seconds"] if r["seconds"] else float("inf")
        print(f"{name:<24}{part:<44}{r['n']:>9}{rate:>10.0f}{1000 / rate:>9.2f}{r['peak_mb']:>9.0f}")
    print("\npeak MB is the process's maximum resident set size, libraries and corpus included.")


if __name__ == "__main__":
    main()
