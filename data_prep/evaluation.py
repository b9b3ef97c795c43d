"""Score extraction output against gold annotations.

    python -m data_prep.evaluation GOLD.jsonl PRED.jsonl [--show-errors] [--json]

Gold rows follow the project's gold format (`tests/data/gold.jsonl`), predictions the
extraction contract (`python -m data_prep extract ... --format jsonl`). Both are matched by
`doc`, the article's file name. The semantics are those of the reference scorer the project
is measured with, so a number printed here is the number we will be judged on:

- every field is a set per article; precision, recall and F1 are micro-averaged over the
  gold articles (predictions for articles without gold are ignored);
- figures match on (kind, value, unit): money rounded to three significant digits of its
  integer part (about 0.5 %), everything else to two decimals; the unit counts for money only;
- `figure_what` compares the head noun of counts found on both sides (lower-cased,
  singular, last word, "MoU"/"memorandums" as one word);
- `dates` leave out the gold publication date, which is scored under `published` alone,
  and `published` is only scored where the gold gives one.
"""
from __future__ import annotations

import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Optional

Record = Mapping[str, Any]
FigureKey = tuple[str, float, str]

FIELDS: tuple[str, ...] = ("countries", "partnerships", "figures", "figure_what", "dates",
                           "published")


@dataclass(frozen=True)
class FieldScore:
    """Counts of one field over all articles; the ratios follow from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass(frozen=True)
class Mismatch:
    """One item a prediction missed (in gold only) or added (in prediction only)."""

    doc: str
    field: str
    kind: str  # missed | spurious
    item: str

    def __str__(self) -> str:
        return f"{self.doc} {self.field} {self.kind} {self.item}"


# --- reading ---------------------------------------------------------------------------

def doc_key(doc: Any) -> str:
    """The file name a row is matched by: predictions may carry a folder, gold does not."""
    return str(doc or "").replace("\\", "/").rsplit("/", 1)[-1]


def load_jsonl(path: str | Path) -> dict[str, dict]:
    """Rows of a JSON Lines file keyed by file name; a malformed line is a ValueError
    naming the line, because a silently skipped gold row would flatter every score."""
    rows: dict[str, dict] = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{n}: not JSON: {e}") from None
            if not isinstance(obj, dict) or "doc" not in obj:
                raise ValueError(f"{path}:{n}: not an object with a 'doc' field")
            rows[doc_key(obj["doc"])] = obj
    return rows


# --- the sets compared per field -------------------------------------------------------

def _items(rec: Any, name: str) -> list:
    value = rec.get(name) if isinstance(rec, Mapping) else None
    return value if isinstance(value, list) else []


def _iso(c: Any) -> str:
    v = c.get("iso3") if isinstance(c, Mapping) else c
    return v.strip().upper() if isinstance(v, str) else ""


def countries(rec: Record) -> set[str]:
    return {iso for c in _items(rec, "countries") if (iso := _iso(c))}


def partnerships(rec: Record) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for p in _items(rec, "partnerships"):
        cs = p.get("countries") if isinstance(p, Mapping) else p
        if not isinstance(cs, (list, tuple)):
            continue
        codes = sorted({iso for c in cs if (iso := _iso(c))})
        if len(codes) == 2:
            out.add((codes[0], codes[1]))
    return out


def _number(v: Any) -> Optional[float]:
    if isinstance(v, bool):
        return None
    try:
        x = float(v)
    except (TypeError, ValueError, OverflowError):
        return None
    return x if math.isfinite(x) else None


def figure_key(f: Any) -> Optional[FigureKey]:
    """(kind, value, unit) as matched: money to 3 significant digits of its integer part."""
    if not isinstance(f, Mapping):
        return None
    kind = str(f.get("kind") or "").lower()
    value = _number(f.get("value"))
    if value is None:
        return None
    unit = str(f.get("unit") or "").upper() if kind == "money" else ""
    if kind == "money" and value:
        mag = 10 ** (len(str(int(abs(value)))) - 3)
        value = round(value / mag) * mag
    return (kind, round(value, 2), unit)


def figures(rec: Record) -> set[FigureKey]:
    return {k for f in _items(rec, "figures") if (k := figure_key(f))}


_MOU = re.compile(r"^(mou|memorand\w*( of understanding)?)$")


def normalise_what(what: Any) -> str:
    """Head noun as compared: lower case, singular, last word; MoU spellings as one."""
    w = what.strip().lower() if isinstance(what, str) else ""
    if w.endswith("ies"):
        w = w[:-3] + "y"
    else:
        w = re.sub(r"(?<!s)s$", "", w)
    w = w.split()[-1] if w.split() else ""
    return "mou" if _MOU.match(w) else w


def figure_whats(rec: Record) -> set[tuple[FigureKey, str]]:
    return {(k, normalise_what(f.get("what"))) for f in _items(rec, "figures")
            if (k := figure_key(f)) and k[0] == "count"}


_DATE = re.compile(r"\d{4}(-\d{2}){0,2}")


def dates(rec: Record) -> set[str]:
    out: set[str] = set()
    for d in _items(rec, "dates"):
        v = d.get("value") if isinstance(d, Mapping) else d
        if isinstance(v, str) and _DATE.fullmatch(v):
            out.add(v)
    return out


def published(rec: Record) -> set[str]:
    v = rec.get("published") if isinstance(rec, Mapping) else None
    return {v[:10]} if isinstance(v, str) and v else set()


EXTRACTORS: dict[str, Callable[[Record], set]] = {
    "countries": countries, "partnerships": partnerships, "figures": figures,
    "figure_what": figure_whats, "dates": dates, "published": published}


# --- scoring ---------------------------------------------------------------------------

def compare(gold: Record, pred: Record, field: str) -> Optional[tuple[set, set]]:
    """The (gold, predicted) sets of one article for one field, or None where the field
    is not scored for this article (no gold publication date)."""
    gs, ps = EXTRACTORS[field](gold), EXTRACTORS[field](pred)
    if field == "dates":
        pub = published(gold)
        gs, ps = gs - pub, ps - pub
    elif field == "published" and not gs:
        return None
    elif field == "figure_what":
        found = {k for k, _ in gs} & {k for k, _ in ps}
        gs = {x for x in gs if x[0] in found}
        ps = {x for x in ps if x[0] in found}
    return gs, ps


def _pairs(gold: Mapping[str, Record], pred: Mapping[str, Record]
           ) -> Iterator[tuple[str, Record, Record]]:
    preds = {doc_key(k): v for k, v in pred.items()} if isinstance(pred, Mapping) else {}
    for doc, g in (gold.items() if isinstance(gold, Mapping) else ()):
        p = preds.get(doc_key(doc))
        yield doc, g, p if isinstance(p, Mapping) else {}


def _compared(gold: Mapping[str, Record], pred: Mapping[str, Record]):
    """(doc, field, gold set, predicted set) for every scored field of every gold article."""
    for doc, g, p in _pairs(gold, pred):
        for name in FIELDS:
            sets = compare(g, p, name)
            if sets is not None:
                yield doc, name, sets[0], sets[1]


def score(gold: Mapping[str, Record], pred: Mapping[str, Record]) -> dict[str, FieldScore]:
    """Micro-averaged counts per field over the gold articles; a missing prediction
    counts as an empty one."""
    totals = {name: [0, 0, 0] for name in FIELDS}
    for _doc, name, gs, ps in _compared(gold, pred):
        t = totals[name]
        t[0] += len(gs & ps)
        t[1] += len(ps - gs)
        t[2] += len(gs - ps)
    return {name: FieldScore(*t) for name, t in totals.items()}


def mismatches(gold: Mapping[str, Record], pred: Mapping[str, Record]) -> list[Mismatch]:
    """Every missed and spurious item, article by article, for reading what went wrong."""
    out: list[Mismatch] = []
    for doc, name, gs, ps in _compared(gold, pred):
        out += [Mismatch(doc, name, "missed", x) for x in sorted(map(str, gs - ps))]
        out += [Mismatch(doc, name, "spurious", x) for x in sorted(map(str, ps - gs))]
    return out


def overall_f1(table: Mapping[str, FieldScore]) -> float:
    """The mean of the field F1s: one number to compare runs by."""
    return sum(s.f1 for s in table.values()) / len(table) if table else 0.0


def missing_docs(gold: Mapping[str, Record], pred: Mapping[str, Record]) -> list[str]:
    have = {doc_key(k) for k in pred}
    return sorted(d for d in gold if doc_key(d) not in have)


def format_table(table: Mapping[str, FieldScore]) -> str:
    lines = [f"{'field':<14}{'P':>7}{'R':>7}{'F1':>7}   tp/fp/fn"]
    for name, s in table.items():
        lines.append(f"{name:<14}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}   "
                     f"{s.tp}/{s.fp}/{s.fn}")
    lines.append(f"overall F1 {overall_f1(table):.3f}")
    return "\n".join(lines)


def main(argv: Optional[Iterable[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        gold, pred = load_jsonl(args[0]), load_jsonl(args[1])
    except (OSError, ValueError) as e:
        print(e, file=sys.stderr)
        return 1
    table = score(gold, pred)
    if "--json" in argv:
        print(json.dumps({"fields": {k: v.as_dict() for k, v in table.items()},
                          "overall_f1": overall_f1(table),
                          "missing_docs": missing_docs(gold, pred)}))
        return 0
    if "--show-errors" in argv:
        for m in mismatches(gold, pred):
            print(m)
    for doc in missing_docs(gold, pred):
        print(f"no output for {doc}")
    print(format_table(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
