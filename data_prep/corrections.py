"""Editors' corrections of the extraction: one record per change, kept apart from the data.

Why records rather than edits of the extracted rows: extraction is recomputed (a new
extractor version, a rebuild), and a fix must survive that. A list of changes is also the
audit trail (who, when, which item, before, after, why) and travels as JSON Lines between
a team's copies. `corrections_apply.py` applies the list when data is read;
`corrections_store.py` keeps it.

Targets are natural keys that do not depend on the extractor's numbering: a pair is
(article_id, iso3_a, iso3_b) with iso3_a < iso3_b; a money item is a pair plus one of the
article's figures, found again by its character span in the (never changing) article text,
with its index as the fallback. An undo is a correction too: it names the one it undoes.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import re
import secrets
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Mapping, Optional

from data_prep.kinds import KINDS, MONEY_MEASURES, MONEY_STATUSES, PAIR_STATUSES

ACTIONS = ("reject_pair", "add_pair", "set_deal", "set_money", "undo")
ACTION_LABELS = {
    "reject_pair": "rejected pair", "add_pair": "added pair", "set_deal": "changed deal",
    "set_money": "changed money", "undo": "undo",
}
# The fields each action may set, and the check each value must pass.
AFTER_FIELDS: dict[str, tuple[str, ...]] = {
    "reject_pair": (),
    "add_pair": ("kind", "status", "date", "evidence"),
    "set_deal": ("date", "status"),
    "set_money": ("value", "measure", "status"),
    "undo": (),
}
MAX_EDITOR, MAX_REASON, MAX_EVIDENCE = 80, 500, 2000

_ISO3 = re.compile(r"[A-Z]{3}")
_ARTICLE_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
_CORRECTION_ID = re.compile(r"[0-9a-f]{32}")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_REQUIRED = ("id", "at", "editor", "action", "article_id", "iso3_a", "iso3_b")
_AT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z")


class CorrectionError(ValueError):
    """A correction that cannot be recorded; the message is meant for the editor."""


@dataclass(frozen=True)
class Correction:
    """One change by one editor. `before`/`after` hold only the fields the action concerns."""

    id: str
    at: str  # UTC, ISO 8601 with Z
    editor: str
    action: str
    article_id: str
    iso3_a: str
    iso3_b: str
    after: dict = field(default_factory=dict, hash=False)
    before: Optional[dict] = field(default=None, hash=False)
    reason: str = ""
    figure_idx: Optional[int] = None
    figure_start: Optional[int] = None
    figure_end: Optional[int] = None
    figure_text: Optional[str] = None
    undoes: Optional[str] = None

    @property
    def pair(self) -> str:
        return f"{self.iso3_a}–{self.iso3_b}"

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


# --------------------------------------------------------------------------- checks


def clean_text(value: Any, limit: int) -> str:
    """Plain one-paragraph text: controls and invisible marks dropped, spaces collapsed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())[:limit]


def check_date(value: Any) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date between 1900 and 2100."""
    text = str(value or "").strip()
    m = _DATE.fullmatch(text)
    if not m:
        raise CorrectionError(f"“{text[:20]}” is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        _dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        raise CorrectionError(f"{text} is not a date of the calendar") from None
    if not 1900 <= int(m[1]) <= 2100:
        raise CorrectionError(f"{text}: the year must lie between 1900 and 2100")
    return text


def _one_of(value: Any, choices: tuple[str, ...], what: str) -> str:
    text = str(value or "").strip().lower()
    if text not in choices:
        raise CorrectionError(f"“{text[:20]}” is no {what}: choose one of {', '.join(choices)}")
    return text


def check_value(value: Any) -> float:
    """A money amount in full units: a finite number, zero or more."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise CorrectionError(f"“{str(value)[:20]}” is not a number") from None
    if not math.isfinite(number) or number < 0:
        raise CorrectionError("an amount must be a finite number, zero or more")
    return number


_CHECKS = {
    "kind": lambda v: _one_of(v, KINDS, "kind of partnership"),
    "status": None,  # depends on the action: see _check_after
    "date": check_date,
    "evidence": lambda v: clean_text(v, MAX_EVIDENCE),
    "value": check_value,
    "measure": lambda v: _one_of(v, MONEY_MEASURES, "measure"),
}


def _check_after(action: str, after: Mapping[str, Any]) -> dict:
    """The `after` fields the action allows, each checked; unknown fields are an error."""
    allowed = AFTER_FIELDS[action]
    unknown = sorted(set(after) - set(allowed))
    if unknown:
        raise CorrectionError(f"{action} cannot set {', '.join(unknown)}")
    out: dict[str, Any] = {}
    for key in allowed:
        value = after.get(key)
        if value is None or value == "":
            continue
        if key == "status":
            choices = MONEY_STATUSES if action == "set_money" else PAIR_STATUSES
            out[key] = _one_of(value, choices, "status")
        else:
            out[key] = _CHECKS[key](value)
    if action in ("set_deal", "set_money") and not out:
        raise CorrectionError("nothing to change: give at least one new value")
    if action == "add_pair" and not out.get("evidence"):
        raise CorrectionError("a pair added by hand needs its evidence sentence")
    return out


def _check_pair(a: Any, b: Any) -> tuple[str, str]:
    a, b = str(a or "").strip().upper(), str(b or "").strip().upper()
    if not (_ISO3.fullmatch(a) and _ISO3.fullmatch(b)):
        raise CorrectionError("a pair is two ISO3 country codes, such as KAZ and SGP")
    if a == b:
        raise CorrectionError("a pair needs two different countries")
    return (a, b) if a < b else (b, a)


def _optional_int(value: Any, what: str) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise CorrectionError(f"{what} must be a whole number")
    return int(value)


def now_utc() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_id() -> str:
    return secrets.token_hex(16)


def checked(c: Correction) -> Correction:
    """The correction with every field checked and normalised (raises CorrectionError)."""
    if c.action not in ACTIONS:
        raise CorrectionError(f"unknown action “{str(c.action)[:20]}”")
    if not isinstance(c.id, str) or not _CORRECTION_ID.fullmatch(c.id):
        raise CorrectionError("a correction id is 32 hex digits")
    if not isinstance(c.at, str) or not _AT.fullmatch(c.at):
        raise CorrectionError("the time of a correction is UTC ISO 8601, e.g. 2025-03-01T10:00:00Z")
    editor = clean_text(c.editor, MAX_EDITOR)
    if not editor:
        raise CorrectionError("a correction names its editor")
    if not isinstance(c.article_id, str) or not _ARTICLE_ID.fullmatch(c.article_id):
        raise CorrectionError("a correction names the article it concerns")
    a, b = _check_pair(c.iso3_a, c.iso3_b)
    if not isinstance(c.after, Mapping) or (c.before is not None and not isinstance(c.before, Mapping)):
        raise CorrectionError("before and after are objects")
    undoes = c.undoes
    if c.action == "undo":
        if not isinstance(undoes, str) or not _CORRECTION_ID.fullmatch(undoes):
            raise CorrectionError("an undo names the correction it undoes")
    elif undoes is not None:
        raise CorrectionError("only an undo names another correction")
    start = _optional_int(c.figure_start, "figure_start")
    end = _optional_int(c.figure_end, "figure_end")
    idx = _optional_int(c.figure_idx, "figure_idx")
    if c.action == "set_money" and idx is None and start is None:
        raise CorrectionError("a money correction names its figure")
    return Correction(
        id=c.id, at=c.at, editor=editor, action=c.action, article_id=c.article_id,
        iso3_a=a, iso3_b=b, after=_check_after(c.action, c.after),
        before=dict(c.before) if c.before is not None else None,
        reason=clean_text(c.reason, MAX_REASON), figure_idx=idx, figure_start=start,
        figure_end=end, figure_text=clean_text(c.figure_text, 200) or None, undoes=undoes,
    )


def make(action: str, editor: str, article_id: str, iso3_a: str, iso3_b: str,
         after: Optional[Mapping[str, Any]] = None, *, before: Optional[Mapping] = None,
         reason: str = "", figure: Optional[Mapping[str, Any]] = None,
         undoes: Optional[str] = None, at: Optional[str] = None) -> Correction:
    """A new, checked correction. `figure` = {"idx", "start", "end", "text"} for money."""
    figure = figure or {}
    return checked(Correction(
        id=new_id(), at=at or now_utc(), editor=editor, action=action, article_id=article_id,
        iso3_a=iso3_a, iso3_b=iso3_b, after=dict(after or {}),
        before=dict(before) if before is not None else None, reason=reason,
        figure_idx=figure.get("idx"), figure_start=figure.get("start"),
        figure_end=figure.get("end"), figure_text=figure.get("text"), undoes=undoes,
    ))


def undo_of(target: Correction, editor: str, reason: str = "", at: Optional[str] = None) -> Correction:
    """The correction that undoes `target` (same item; before/after swapped for reading)."""
    if target.action == "undo":
        raise CorrectionError("an undo cannot be undone; make the correction again instead")
    return make("undo", editor, target.article_id, target.iso3_a, target.iso3_b,
                before=target.after, reason=reason, undoes=target.id, at=at)


# --------------------------------------------------------------------------- lists


def from_json(line: str) -> Correction:
    """One JSON Lines record -> a checked Correction (raises CorrectionError)."""
    try:
        data = json.loads(line)
    except ValueError as e:
        raise CorrectionError(f"not JSON: {e}") from None
    if not isinstance(data, dict):
        raise CorrectionError("not a JSON object")
    unknown = sorted(set(data) - set(Correction.__dataclass_fields__))
    if unknown:
        raise CorrectionError(f"unknown field(s): {', '.join(unknown)[:80]}")
    missing = [k for k in _REQUIRED if k not in data]
    if missing:
        raise CorrectionError(f"missing field(s): {', '.join(missing)}")
    if data.get("after") is None:
        data["after"] = {}
    return checked(Correction(**data))


def order(corrections: Iterable[Correction]) -> list[Correction]:
    """Oldest first (ties by id), the order in which they apply."""
    return sorted(corrections, key=lambda c: (c.at, c.id))


def undone_ids(corrections: Iterable[Correction]) -> set[str]:
    return {c.undoes for c in corrections if c.action == "undo" and c.undoes}


def active(corrections: Iterable[Correction]) -> list[Correction]:
    """The corrections in force: not undos, not undone; in the order they apply."""
    items = list(corrections)
    gone = undone_ids(items)
    return order(c for c in items if c.action != "undo" and c.id not in gone)


def mark(c: Correction) -> str:
    """How a corrected item says who changed it and when: "Ana, 2025-03-01 10:00 UTC"."""
    return f"{c.editor}, {c.at[:10]} {c.at[11:16]} UTC"
