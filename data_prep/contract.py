"""The extraction contract: one JSON-ready dict per article (see README, "Output")."""
from __future__ import annotations

from data_prep.records import ArticleExtraction, DealMoney


def to_contract(ext: ArticleExtraction) -> dict:
    sentences = ext.sentences

    def sentence_text(i: int) -> str | None:
        return sentences[i].text if 0 <= i < len(sentences) else None

    return {
        "doc": ext.doc,
        "article_id": ext.article_id,
        "title": ext.title,
        "published": ext.published,
        "url": ext.url,
        "source": ext.source,
        "countries": [
            {"iso3": c.iso3, "name": c.name, "mentions": c.mentions, "spans": [list(s) for s in c.spans]}
            for c in ext.countries
        ],
        "regions": sorted({r.name for r in ext.regions}),
        "partnerships": [
            {
                "countries": list(p.countries),
                "kind": p.kind,
                "status": p.status,
                "sectors": p.sectors,
                "places": p.places,
                "organisations": p.organisations,
                "group": p.group,
                "evidence": p.evidence[0] if p.evidence else None,
                "evidence_all": p.evidence,
                "date": p.date,
                "figures": [_deal_money(ext, m) for m in p.money],
                "figure_texts": [ext.figures[i].text for i in p.figures],
                "dates": [ext.dates[i].value for i in p.dates],
            }
            for p in ext.partnerships
        ],
        "figures": [
            {
                "kind": f.kind, "value": f.value, "unit": f.unit, "what": f.what, "text": f.text,
                "qualifier": f.qualifier, "measure": f.measure, "usd": f.usd,
                "span": [f.start, f.end], "sentence": sentence_text(f.sentence),
            }
            for f in ext.figures
        ],
        "dates": [
            {"value": d.value, "granularity": d.granularity, "text": d.text, "relative": d.relative,
             "span": [d.start, d.end], "sentence": sentence_text(d.sentence)}
            for d in ext.dates
        ],
        "entities": [
            {"name": e.name, "kind": e.kind, "iso3": e.iso3, "role": e.role, "span": [e.start, e.end]}
            for e in ext.entities
        ],
    }


def _deal_money(ext: ArticleExtraction, money: DealMoney) -> dict:
    fig = ext.figures[money.figure]
    return {"kind": "money", "value": fig.value, "unit": fig.unit, "usd": fig.usd, "text": fig.text,
            "measure": money.measure, "status": money.status}


CSV_COLUMNS = ["doc", "article_id", "title", "published", "countries", "partnerships", "figures", "dates",
               "organisations", "people"]


def to_csv_row(record: dict) -> dict:
    """One flat row per article for spreadsheets: lists joined with '; '."""
    def join(items):
        return "; ".join(str(i) for i in items)

    return {
        "doc": record["doc"],
        "article_id": record["article_id"],
        "title": record["title"],
        "published": record["published"],
        "countries": join(c["iso3"] for c in record["countries"]),
        "partnerships": join("–".join(p["countries"]) + f" ({p['kind']})" for p in record["partnerships"]),
        "figures": join(f["text"] for f in record["figures"]),
        "dates": join(d["value"] for d in record["dates"]),
        "organisations": join(e["name"] for e in record["entities"] if e["kind"] == "org"),
        "people": join(e["name"] for e in record["entities"] if e["kind"] == "person"),
    }
