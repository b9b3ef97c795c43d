"""Synthetic news corpus for the benchmarks: varied countries, currencies, dates and page
furniture, built from templates so any size can be made offline and reproducibly."""
from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from data_prep.records import RawArticle  # noqa: E402

COUNTRIES = [
    ("Kazakhstan", "Kazakh", "Astana"), ("China", "Chinese", "Beijing"), ("Singapore", "Singaporean", "Singapore"),
    ("India", "Indian", "New Delhi"), ("Brazil", "Brazilian", "Brasilia"), ("Germany", "German", "Berlin"),
    ("Nigeria", "Nigerian", "Abuja"), ("Japan", "Japanese", "Tokyo"), ("Turkey", "Turkish", "Ankara"),
    ("Egypt", "Egyptian", "Cairo"), ("Vietnam", "Vietnamese", "Hanoi"), ("South Korea", "South Korean", "Seoul"),
    ("Uzbekistan", "Uzbek", "Tashkent"), ("Saudi Arabia", "Saudi", "Riyadh"), ("Mexico", "Mexican", "Mexico City"),
    ("Kenya", "Kenyan", "Nairobi"), ("France", "French", "Paris"), ("Indonesia", "Indonesian", "Jakarta"),
    ("Argentina", "Argentine", "Buenos Aires"), ("the United Arab Emirates", "Emirati", "Abu Dhabi"),
    ("Poland", "Polish", "Warsaw"), ("Malaysia", "Malaysian", "Kuala Lumpur"), ("Chile", "Chilean", "Santiago"),
    ("Australia", "Australian", "Canberra"), ("Morocco", "Moroccan", "Rabat"),
]
MONEY = ["$21 billion", "US$5.3 mln", "USD 2bn", "€1.2 billion", "500 million yuan", "RMB 3 billion",
         "10 billion tenge", "₹500 crore", "RM2.5 billion", "S$100 million", "£97m", "1.4 to 1.5 billion dlrs"]
DATES = ["on 17 August 2022", "in March 2024", "until 2026", "last year", "on November 10", "since 2019",
         "on 02.01.2024", "by the end of next year", "on Tuesday", "in January 2021"]
KINDS = ["signed a memorandum of understanding on {sector} cooperation", "held talks on expanding {sector} trade",
         "agreed to launch {n} joint projects in {sector}", "discussed investment in {sector}",
         "inked an agreement worth {money} covering {sector}", "reported bilateral trade turnover of {money}"]
SECTORS = ["energy", "logistics", "digital economy", "agriculture", "tourism", "smart city", "AI", "healthcare",
           "education", "green hydrogen", "mining", "finance"]
FILLER = [
    "The sides noted the growing interest of {adj_a} companies in the {adj_b} market and investment opportunities.",
    "Officials said the number of flights between the countries would rise by {pct}% {date}.",
    "More than {n} enterprises have already registered for the forum, the ministry said.",
    "The minister stressed that the programme runs {date} and covers {n} regions.",
    "Analysts expect growth of {pct} percent in the sector {date}, the agency reported.",
    "According to the statement, {n} tonnes of goods were shipped via {city} {date}.",
    "A {n}-day visit is planned, with talks focused on transport corridors and customs procedures.",
]
FURNITURE = ["Share", "Send this to a friend", "Photo: press service", "Heute 291", "Most viewed",
             "Copyright 2024 Example News. All rights reserved.", "Found an error in the text?"]


def make_article(rng: random.Random, i: int, size: int = 4000) -> RawArticle:
    (a, adj_a, city_a), (b, adj_b, city_b) = rng.sample(COUNTRIES, 2)

    def fill(t: str) -> str:
        return t.format(
            a=a, b=b, adj_a=adj_a, adj_b=adj_b, city=rng.choice((city_a, city_b)), money=rng.choice(MONEY),
            date=rng.choice(DATES), n=rng.randint(2, 900), pct=rng.randint(1, 60), sector=rng.choice(SECTORS),
        )

    title = fill(f"{a}, {b} " + rng.choice(["sign MoU on {sector}", "boost {sector} ties", "agree on {n} projects"]))
    header = f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2019, 2025)}, 10:{rng.randint(10, 59)}"
    lines = [header, "", title[0].upper() + title[1:], ""]
    lead = fill(f"{city_a.upper()} – {a} and {b} " + rng.choice(KINDS) + " {date}, officials said.")
    body = [lead]
    while sum(len(x) for x in body) < size - 300:
        body.append(fill(rng.choice(FILLER + [f"{{adj_a}} and {{adj_b}} officials {rng.choice(KINDS)}."])))
    lines.append(" ".join(body[:3]))
    lines += ["", " ".join(body[3:]), "", rng.choice(FURNITURE), rng.choice(FURNITURE)]
    return RawArticle(doc=f"bench_{i:06d}.txt", text="\n".join(lines) + f"\nRef {i}")


def generate(n: int, seed: int = 7, size: int = 4000) -> list[RawArticle]:
    rng = random.Random(seed)
    return [make_article(rng, i, size) for i in range(n)]


if __name__ == "__main__":
    print(generate(1)[0].text)
