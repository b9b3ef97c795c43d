"""The kinds of partnership (their names, their order on every list, their colour on every
chart) and the measures and statuses of a pair's money, defined once. Extraction (`extract/partnerships.py`, whose cue file must name exactly
these kinds), the corrections, the queries and the charts all take them from here."""
from __future__ import annotations

# name -> colour, in the order every list and legend shows them
KIND_COLOURS: dict[str, str] = {
    "agreement": "#1f77b4",
    "talks": "#9467bd",
    "project": "#2ca02c",
    "trade": "#ff7f0e",
    "investment": "#d62728",
    "finance": "#8c564b",
    "cooperation": "#17becf",
}
KINDS: tuple[str, ...] = tuple(KIND_COLOURS)

# What money tied to a pair measures, and whether it happened: in the order lists show them.
MONEY_MEASURES: tuple[str, ...] = ("trade", "investment", "loan", "aid", "deal", "other")
MONEY_STATUSES: tuple[str, ...] = ("actual", "planned")

# How far a partnership has got, in the order lists show them; the words are in
# data/cooperation_cues.json ("status"). When a pair's sentences say several, the strongest
# (first of STATUS_PRIORITY) wins: only what the text says ('agreed' is not 'signed').
PAIR_STATUSES: tuple[str, ...] = ("planned", "agreed", "signed", "under way", "completed")
STATUS_PRIORITY: tuple[str, ...] = ("signed", "completed", "under way", "agreed", "planned")
