"""How fast the dashboard's data layer is on a large database, and how much memory it takes.

Builds (once; reused while it has enough articles) a database of generated articles through
`data_prep.store` in a child process, then, in this process, times what each page does:
loading the frames, the per-page aggregates, a filter change (apply the filter, re-aggregate,
redraw the charts), and reports this process's peak memory.

Goals (issue 3): a filter change < 0.5 s, peak memory < 1 GB at 20,000 articles.

    python bench/app_speed.py                   # 20,000 articles in bench/out/
    python bench/app_speed.py --articles 2000 --rebuild
"""
from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GOAL_FILTER_S = 0.5
GOAL_MEMORY_MB = 1024.0

# --- generated articles ----------------------------------------------------------------------

# (name, capital, leader title): enough variety for many pairs across every region.
COUNTRIES = [
    ("Kazakhstan", "Astana", "President"), ("China", "Beijing", "President"),
    ("Singapore", "Singapore", "Prime Minister"), ("Germany", "Berlin", "Chancellor"),
    ("France", "Paris", "President"), ("Japan", "Tokyo", "Prime Minister"),
    ("India", "New Delhi", "Prime Minister"), ("Brazil", "Brasilia", "President"),
    ("Nigeria", "Abuja", "President"), ("Kenya", "Nairobi", "President"),
    ("Egypt", "Cairo", "President"), ("Turkey", "Ankara", "President"),
    ("Saudi Arabia", "Riyadh", "Crown Prince"), ("United Arab Emirates", "Abu Dhabi", "President"),
    ("Qatar", "Doha", "Emir"), ("Bahrain", "Manama", "King"), ("Malta", "Valletta", "Prime Minister"),
    ("Indonesia", "Jakarta", "President"), ("Vietnam", "Hanoi", "Prime Minister"),
    ("South Korea", "Seoul", "President"), ("Australia", "Canberra", "Prime Minister"),
    ("Canada", "Ottawa", "Prime Minister"), ("Mexico", "Mexico City", "President"),
    ("Argentina", "Buenos Aires", "President"), ("Chile", "Santiago", "President"),
    ("South Africa", "Pretoria", "President"), ("Ethiopia", "Addis Ababa", "Prime Minister"),
    ("Morocco", "Rabat", "King"), ("Poland", "Warsaw", "President"), ("Italy", "Rome", "Prime Minister"),
    ("Spain", "Madrid", "Prime Minister"), ("United Kingdom", "London", "Prime Minister"),
    ("United States", "Washington", "President"), ("Russia", "Moscow", "President"),
    ("Uzbekistan", "Tashkent", "President"), ("Azerbaijan", "Baku", "President"),
    ("Pakistan", "Islamabad", "Prime Minister"), ("Bangladesh", "Dhaka", "Prime Minister"),
    ("Thailand", "Bangkok", "Prime Minister"), ("Malaysia", "Kuala Lumpur", "Prime Minister"),
    ("Philippines", "Manila", "President"), ("New Zealand", "Wellington", "Prime Minister"),
    ("Norway", "Oslo", "Prime Minister"), ("Sweden", "Stockholm", "Prime Minister"),
    ("Hungary", "Budapest", "Prime Minister"), ("Greece", "Athens", "Prime Minister"),
    ("Ghana", "Accra", "President"), ("Senegal", "Dakar", "President"),
    ("Peru", "Lima", "President"), ("Colombia", "Bogota", "President"),
    ("Mongolia", "Ulaanbaatar", "President"), ("Georgia", "Tbilisi", "Prime Minister"),
    ("Oman", "Muscat", "Sultan"), ("Israel", "Jerusalem", "Prime Minister"),
    ("Iran", "Tehran", "President"), ("Algeria", "Algiers", "President"),
    ("Tanzania", "Dodoma", "President"), ("Sri Lanka", "Colombo", "President"),
    ("Cambodia", "Phnom Penh", "Prime Minister"), ("Luxembourg", "Luxembourg", "Prime Minister"),
]  # fmt: skip
SECTORS = ["energy", "agriculture", "transport", "logistics", "digital technology", "healthcare",
           "education", "mining", "tourism", "finance", "water management", "defence",
           "renewable energy", "space research", "pharmaceuticals", "construction"]  # fmt: skip
MONEY = ["${n} billion", "${n} million", "€{n} million", "€{n} billion", "£{n} million",
         "{n} billion yuan", "{n} billion yen", "{n} billion rubles", "{n} billion tenge",
         "CHF {n} million", "AED {n} billion", "{n} million US dollars", "₹{n} crore",
         "KRW {n} trillion", "SGD {n} million", "R$ {n} billion"]  # fmt: skip
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]  # fmt: skip
FILLER = [
    "Officials said the meeting reflected the steady growth of relations in recent years.",
    "The delegations also discussed regional security and the situation in neighbouring states.",
    "Experts note that both economies are looking for new markets and reliable suppliers.",
    "The ministry said further consultations would be held at the level of deputy ministers.",
    "Business associations from both sides took part in a forum on the sidelines of the visit.",
    "Analysts expect the volume of mutual investment to keep rising over the coming years.",
    "The parties stressed the importance of simplifying customs procedures at the border.",
    "A joint working group will report on the progress of the agreed measures next year.",
]  # fmt: skip


def _amount(rng: random.Random) -> str:
    n = rng.choice([1, 1.5, 2, 2.4, 3, 5, 7.8, 12, 25, 40, 150, 300, 450, 800])
    return rng.choice(MONEY).format(n=n)


def _day(rng: random.Random) -> date:
    return date(2015, 1, 1) + timedelta(days=rng.randrange(0, 11 * 365))


def _date_phrase(rng: random.Random, d: date) -> str:
    style = rng.randrange(6)
    if style == 0:
        return f"on {d.day} {MONTHS[d.month - 1]} {d.year}"
    if style == 1:
        return f"on {MONTHS[d.month - 1]} {d.day}, {d.year}"
    if style == 2:
        return f"in {MONTHS[d.month - 1]} {d.year}"
    if style == 3:
        return f"in {d.year}"
    if style == 4:
        return f"on {d:%d.%m.%Y}"
    return "last week"


def make_article(i: int, rng: random.Random) -> tuple[str, str, str | None, str]:
    """(doc, text, published or None, title) of one generated article."""
    (a, cap_a, lead_a), (b, cap_b, lead_b) = rng.sample(COUNTRIES, 2)
    sector, sector2 = rng.sample(SECTORS, 2)
    pub = _day(rng)
    when = _date_phrase(rng, pub - timedelta(days=rng.randrange(0, 40)))
    money, money2 = _amount(rng), _amount(rng)
    n = rng.randrange(2, 60)
    pct = rng.choice([3.5, 7, 12, 18.4, 25, 35, 41])
    titles = [
        f"{a} and {b} sign {n} agreements on {sector}",
        f"{a}, {b} discuss expanding {sector} cooperation",
        f"{a} to invest {money} in {b}'s {sector} sector",
        f"Trade between {a} and {b} reached {money} in {pub.year - 1}",
        f"{b} and {a} launch joint {sector} project worth {money}",
    ]
    kind = rng.randrange(len(titles))
    title = titles[kind]
    body = [
        [f"{a} and {b} signed a memorandum of understanding on {sector} cooperation {when}.",
         f"In total, the sides signed {n} documents worth {money2}."],
        [f"The {lead_a} of {a} held talks with the {lead_b} of {b} in {cap_b} {when}.",
         f"The leaders discussed cooperation in {sector} and {sector2}."],
        [f"{a} will invest {money} in {sector} projects in {b}, the ministry said {when}.",
         f"The investment is expected to create {n * 100} jobs in {b}."],
        [f"Trade turnover between {a} and {b} reached {money} in {pub.year - 1}, up {pct}% "
         f"from a year earlier.", f"{a} mainly exports {sector} equipment to {b}."],
        [f"{b} and {a} launched a joint {sector} project worth {money} {when}.",
         f"The project in {cap_a} includes {n} new facilities and will be completed by "
         f"{pub.year + 2}."],
    ][kind]
    if rng.random() < 0.3:  # a third country in the story
        c = rng.choice([x for x in COUNTRIES if x[0] not in (a, b)])[0]
        body.append(f"{c} is also expected to join the initiative, with a loan of {_amount(rng)}.")
    body += rng.sample(FILLER, rng.randrange(2, 6))
    header = f"{cap_a.upper()}, {pub.day} {MONTHS[pub.month - 1]} {pub.year}. "
    text = f"{title}\n\n{header}" + " ".join(body)
    published = pub.isoformat() if rng.random() < 0.5 else None
    return f"gen_{i:06d}.txt", text, published, title


# --- building ---------------------------------------------------------------------------------


def build_db(db: Path, n: int, seed: int) -> None:
    """Generate n articles and add them through the store (run in a child process)."""
    from data_prep import service, store
    from data_prep.records import RawArticle

    rng = random.Random(seed)
    raws = []
    for i in range(n):
        doc, text, published, title = make_article(i, rng)
        raws.append(RawArticle(doc=doc, text=text, published=published, title=title,
                               origin="bench"))  # fmt: skip
    t0 = time.perf_counter()

    def progress(done: int, total: int, _doc: str) -> None:
        if done % 2000 == 0 or done == total:
            rate = done / max(time.perf_counter() - t0, 1e-9)
            print(f"  built {done:,}/{total:,} ({rate:,.0f} articles/s)", file=sys.stderr)

    report = service.add_articles(raws, db, progress)
    took = time.perf_counter() - t0
    print(f"  stored {len(report.added):,} articles in {took:.1f} s "
          f"({len(report.failed)} failed)", file=sys.stderr)  # fmt: skip


def stored_articles(db: Path) -> int:
    if not db.exists():
        return 0
    from data_prep import service, store

    try:
        with store.read_connection(db) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    except Exception:  # noqa: BLE001 - an unreadable file is rebuilt
        return 0


# --- timing -----------------------------------------------------------------------------------


def _time(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Median wall time of `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024.0  # Linux: kilobytes


Add = Callable[..., None]


def run(db: Path, repeat: int) -> list[tuple[str, str, float, str]]:
    """Every step's median seconds, as (page, step, seconds, size) rows."""
    from data_prep import queries

    rows: list[tuple[str, str, float, str]] = []

    def add(page: str, step: str, seconds: float, size: str = "") -> None:
        rows.append((page, step, seconds, size))

    frames = _store_steps(db, repeat, add)
    secs, vocab = _time(lambda: queries.vocabulary(frames), repeat)
    add("all", "filter choices (vocabulary)", secs, f"{len(vocab.countries)} countries")
    for step, secs in _median_page_data(frames, repeat).items():
        add(step.split()[0], step + " (no filter)", secs)
    worst = _filter_steps(frames, vocab, repeat, add)
    rows.append(("summary", "worst filter change (apply + slowest page)", worst,
                 "OK" if worst < GOAL_FILTER_S else f"SLOW (goal < {GOAL_FILTER_S} s)"))
    return rows


def _store_steps(db: Path, repeat: int, add: Add) -> "queries.Frames":
    """Load the tables, build the frames, search and open one article; returns the frames."""
    from data_prep import queries, store

    t0 = time.perf_counter()
    with store.read_connection(db) as con:
        tables = queries.load_tables(con)
        add("all", "load tables (SQL)", time.perf_counter() - t0, f"{len(tables.articles):,} articles")
        secs, frames = _time(lambda: queries.build_frames(tables), 1)
        add("all", "build frames", secs, f"{len(frames.events):,} events")
        secs, hits = _time(lambda: queries.search_articles(con, "pharmaceuticals"), repeat)
        add("Articles", "full-text search (SQL)", secs, f"{len(hits):,} hits")
        one = frames.articles["article_id"].iloc[0]
        secs, _ = _time(lambda: queries.article_text(con, one), repeat)
        add("Articles", "open one article", secs)
        secs, spans = _time(lambda: queries.article_spans(con, one), repeat)
        add("Articles", "its highlighted spans", secs, f"{len(spans)} spans")
    return frames


def _page_data(view: "queries.Frames") -> dict[str, float]:
    """What each page computes and draws from a (filtered) view."""
    from atlas_ui import charts
    from data_prep import queries

    out: dict[str, float] = {}
    t = time.perf_counter()
    cs, ps = queries.country_stats(view), queries.pair_stats(view)
    queries.overview_metrics(view)
    queries.latest_articles(view, 10)
    out["Overview data"] = time.perf_counter() - t
    t = time.perf_counter()
    charts.small_map(cs, ps).to_json()
    out["Overview map"] = time.perf_counter() - t
    t = time.perf_counter()
    charts.country_map(cs, ps, "usd").to_json()
    out["Map chart"] = time.perf_counter() - t
    t = time.perf_counter()
    charts.timeline(view.events).to_json()
    opts = charts.measure_options(view.figures)
    charts.figures_over_time(view.figures, opts[0] if opts else "money").to_json()
    out["Timeline charts"] = time.perf_counter() - t
    t = time.perf_counter()
    queries.partnership_table(view)
    out["Partnerships table"] = time.perf_counter() - t
    t = time.perf_counter()
    charts.money_by_pair(ps).to_json()
    charts.counts_by_kind(view.figures).to_json()
    out["Figures charts"] = time.perf_counter() - t
    return out


def _median_page_data(view: "queries.Frames", repeat: int) -> dict[str, float]:
    runs = [_page_data(view) for _ in range(repeat)]
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def _filter_steps(frames: "queries.Frames", vocab: "queries.Vocabulary", repeat: int,
                  add: Add) -> float:
    """Each kind of filter applied and the slowest page redrawn; the worst of them (s)."""
    from data_prep import queries

    countries = list(vocab.countries)
    first = vocab.first_date or date(2015, 1, 1)
    filters = {
        "country": queries.Filters(countries=(countries[0],)),
        "two countries + kind": queries.Filters(countries=tuple(countries[:2]), kind="agreement"),
        "region": queries.Filters(region=vocab.regions[0]) if vocab.regions else queries.Filters(),
        "date range": queries.Filters(date_from=first + timedelta(days=365 * 3),
                                      date_to=first + timedelta(days=365 * 5)),
        "sector": queries.Filters(sector=vocab.sectors[0]) if vocab.sectors else queries.Filters(),
        "title/evidence text": queries.Filters(q="energy"),
    }  # fmt: skip
    worst = 0.0
    for name, flt in filters.items():
        secs, view = _time(lambda flt=flt: queries.apply_filters(frames, flt), repeat)
        pages = _median_page_data(view, repeat)
        total = secs + max(pages.values())
        worst = max(worst, total)
        add("filter", f"{name}: apply", secs, f"{len(view.articles):,} articles left")
        add("filter", f"{name}: + slowest page redraw", total, max(pages, key=pages.get))
    return worst


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "app_speed.duckdb")
    ap.add_argument("--rebuild", action="store_true", help="build even if the database exists")
    ap.add_argument("--repeat", type=int, default=3, help="runs per timed step (median shown)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.build_only:
        build_db(args.db, args.articles, args.seed)
        return 0

    have = stored_articles(args.db)
    build_mb = 0.0
    if args.rebuild or have < args.articles:
        for p in args.db.parent.glob(args.db.name + "*"):
            p.unlink()
        args.db.parent.mkdir(parents=True, exist_ok=True)
        print(f"Building {args.articles:,} generated articles into {args.db} ...", file=sys.stderr)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--build-only", "--db", str(args.db),
                        "--articles", str(args.articles), "--seed", str(args.seed)], check=True)
        print(f"  build took {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        build_mb = _peak_mb(resource.RUSAGE_CHILDREN)
        have = stored_articles(args.db)

    rows = run(args.db, max(1, args.repeat))
    peak = _peak_mb()
    rows.append(("summary", "peak memory of the dashboard process (MB)", peak,
                 "OK" if peak < GOAL_MEMORY_MB else f"HIGH (goal < {GOAL_MEMORY_MB:.0f} MB)"))

    print(f"\nDashboard data speed on {have:,} stored articles ({args.db.name})\n")
    w = max(len(r[1]) for r in rows)
    print(f"{'page':<13} {'step':<{w}} {'seconds':>9}  note")
    print(f"{'-' * 13} {'-' * w} {'-' * 9}  {'-' * 24}")
    for page, step, secs, note in rows:
        value = f"{secs:9.1f}" if step.endswith("(MB)") else f"{secs:9.3f}"
        print(f"{page:<13} {step:<{w}} {value}  {note}")
    if build_mb:
        print(f"\nPeak memory of the build process: {build_mb:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
