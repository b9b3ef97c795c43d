"""The sidebar filters every page shares, and their state in the URL.

Filters are data (`FILTER_KINDS`: URL key, label, help; `filter_parts` says them in words),
so the UI can tell the user what is filtered and a copied URL (`?country=KAZ,SGP&from=2023-01-01`)
reopens the same view. The parsing/serialising and "map selection -> filter" functions are
pure and tested directly; only `sidebar_filters` and `apply_map_selection` touch Streamlit.

State flow: at session start (or when the URL changes under us) the URL is parsed and the
sidebar widgets are seeded from it; afterwards the widgets own the state and every run writes
it back to the URL and to session state (so switching pages keeps the filters even when the
navigation drops the query string).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence

from data_prep.queries import KINDS, MULTI_VALUED, Filters, Vocabulary


@dataclass(frozen=True)
class FilterKind:
    key: str  # URL query key
    attr: str  # Filters attribute
    label: str  # sidebar label
    help: str  # what it does


FILTER_KINDS: tuple[FilterKind, ...] = (
    FilterKind("country", "countries", "Countries",
               "Articles that mention any of these countries, and their partnerships"),
    FilterKind("partner", "partner", "Partner",
               "Partnerships with this country (with a chosen country, if any)"),
    FilterKind("region", "region", "Region",
               "Articles and partnerships involving a country of this region"),
    FilterKind("kind", "kind", "Kind",
               "Kind of partnership: agreement, talks, trade, investment ..."),
    FilterKind("sector", "sector", "Sector",
               "Partnerships in this sector"),
    FilterKind("org", "organisation", "Organisation",
               "Articles naming this organisation"),
    FilterKind("from", "date_from", "From",
               "Events and articles dated on or after this day"),
    FilterKind("to", "date_to", "To",
               "Events and articles dated on or before this day"),
    FilterKind("undated", "undated", "Include undated",
               "With a date range, also keep articles and events that no text dates"),
    FilterKind("q", "q", "Text search",
               "Articles whose title or text contains these words"),
)
KIND_BY_KEY = {k.key: k for k in FILTER_KINDS}
WIDGET_PREFIX = "flt_"  # session/widget keys: flt_country, flt_from ...
MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2100, 12, 31)
MAX_TEXT = 200
_ISO3 = re.compile(r"[A-Z]{3}")


# --------------------------------------------------------------------------- pure: URL <-> Filters


def _clean(value: Any) -> str:
    """A query value as safe, bounded plain text (controls and invisible marks removed)."""
    if not isinstance(value, str):
        value = "" if value is None else str(value)
    value = unicodedata.normalize("NFKC", value)
    value = "".join(ch for ch in value if unicodedata.category(ch)[0] != "C")
    return " ".join(value.split())[:MAX_TEXT]


def _values(params: Mapping[str, Any], key: str) -> list[str]:
    """All values of a key: repeated keys and comma-separated lists both count."""
    raw = params.get(key)
    if raw is None:
        return []
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    out: list[str] = []
    for item in items:
        out.extend(p for p in (_clean(x) for x in str(item).split(",")) if p)
    return out


def _first(params: Mapping[str, Any], key: str) -> str:
    """The first value of a single-valued key (commas kept: names may contain them)."""
    raw = params.get(key)
    if isinstance(raw, (list, tuple)):
        raw = raw[0] if raw else None
    return _clean(raw) if raw is not None else ""


def _show(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "..."


def resolve_country(value: str, vocab: Vocabulary) -> Optional[str]:
    """ISO3 for a URL value: a code or a name present in the data, else a known country code."""
    v = _clean(value)
    if not v:
        return None
    code = v.upper()
    if code in vocab.countries:
        return code
    folded = v.casefold()
    for iso3, name in vocab.countries.items():
        if name.casefold() == folded:
            return iso3
    try:
        from data_prep.extract.countries import lookup_country

        found = lookup_country(v)
    except Exception:  # noqa: BLE001 - an unknown value is a notice, never a traceback
        found = None
    iso3 = getattr(found, "iso3", found)
    if not (isinstance(iso3, str) and _ISO3.fullmatch(iso3)):
        from data_prep.country_names import lookup_translated

        iso3 = lookup_translated(v)  # "Қазақстан", "中国", "日本"
    return iso3 if isinstance(iso3, str) and _ISO3.fullmatch(iso3) else None


# A pair in a URL: two countries joined by a dash, comma, slash or the en dash of the tables.
PAIR_KEY = "pair"
PAIR_PAGE = "pages/9_Pair.py"
_PAIR_SEPARATORS = re.compile(r"\s*[-–—_,/|~]\s*")


def parse_pair(value: Any, vocab: Vocabulary) -> Optional[tuple[str, str]]:
    """The two ISO3 codes of a pair value ("CHN-KAZ", "kaz–chn", "Қазақстан-中国"), sorted;
    None unless both sides are distinct known countries.

    Each separator is tried as the split point, so a name holding a dash (Guinea-Bissau)
    still resolves."""
    text = _clean(value)
    for m in _PAIR_SEPARATORS.finditer(text):
        left, right = text[: m.start()], text[m.end():]
        a = resolve_country(left, vocab) if left else None
        b = resolve_country(right, vocab) if a and right else None
        if a and b and a != b:
            return (a, b) if a < b else (b, a)
    return None


def pair_param(a: str, b: str) -> str:
    """The URL form of a pair: its ISO3 codes sorted and joined by a dash ("CHN-KAZ")."""
    return "-".join(sorted((a, b)))


def pair_url(a: str, b: str) -> str:
    """A link to the page of a pair, relative to the app's pages ("Pair?pair=CHN-KAZ")."""
    return f"Pair?{PAIR_KEY}={pair_param(a, b)}"


def chosen_pair(flt: Filters) -> Optional[tuple[str, str]]:
    """The pair the filters narrow to (one country and a partner), else None."""
    if len(flt.countries) == 1 and len(flt.partner) == 1 and flt.partner[0] != flt.countries[0]:
        a, b = flt.countries[0], flt.partner[0]
        return (a, b) if a < b else (b, a)
    return None


def parse_date(value: str, end: bool = False) -> Optional[date]:
    """YYYY-MM-DD, or YYYY-MM / YYYY meaning the first (or, with end, the last) day."""
    from data_prep.queries import period_bounds

    start_ts, end_ts = period_bounds(_clean(value))
    ts = end_ts if end else start_ts
    if ts is None:
        return None
    d = ts.date()
    return d if MIN_DATE <= d <= MAX_DATE else None


def _pick(value: str, choices: Iterable[str]) -> Optional[str]:
    folded = value.casefold()
    return next((c for c in choices if c.casefold() == folded), None)


def _country_values(params: Mapping[str, Any], key: str, what: str, vocab: Vocabulary,
                    notices: list[str]) -> tuple[str, ...]:
    """The ISO3 codes of a country-valued key; a notice for each value not understood."""
    out: list[str] = []
    for v in _values(params, key):
        iso3 = resolve_country(v, vocab)
        if iso3 is None:
            notices.append(f"Unknown {what} “{_show(v)}” in the link: ignored.")
        elif iso3 not in out:
            out.append(iso3)
    return tuple(out)


def parse_params(params: Mapping[str, Any], vocab: Vocabulary) -> tuple[Filters, list[str]]:
    """Filters from URL query params, plus one notice per value that was not understood.

    Unknown keys are left alone (other pages may use them); bad values are dropped.
    """
    notices: list[str] = []
    found: dict[str, Any] = {}

    found["countries"] = _country_values(params, "country", "country", vocab, notices)
    found["partner"] = _country_values(params, "partner", "partner country", vocab, notices)

    choices: dict[str, tuple[str, Sequence[str], str]] = {
        "region": ("region", vocab.regions, "region"),
        "kind": ("kind", tuple(dict.fromkeys((*KINDS, *vocab.kinds))), "kind of partnership"),
        "sector": ("sector", vocab.sectors, "sector"),
        "org": ("organisation", vocab.organisations, "organisation"),
    }
    for key, (attr, options, what) in choices.items():
        multi = attr in MULTI_VALUED  # several values, repeated or comma-separated
        picked_all: list[str] = []
        for value in _values(params, key) if multi else [v for v in [_first(params, key)] if v]:
            picked = _pick(value, options)
            if picked is None:
                notices.append(f"Unknown {what} “{_show(value)}” in the link: ignored.")
            elif picked not in picked_all:
                picked_all.append(picked)
        if picked_all:
            found[attr] = tuple(picked_all) if multi else picked_all[0]

    for key, attr, end in (("from", "date_from", False), ("to", "date_to", True)):
        value = _first(params, key)
        if value:
            d = parse_date(value, end=end)
            if d is None:
                notices.append(
                    f"Date “{_show(value)}” in the link is not a date (use YYYY-MM-DD): ignored.")
            found[attr] = d
    if found.get("date_from") and found.get("date_to") and found["date_from"] > found["date_to"]:
        notices.append("The “from” date is after the “to” date: the two were swapped.")
        found["date_from"], found["date_to"] = found["date_to"], found["date_from"]

    pair_value = _first(params, PAIR_KEY)
    if pair_value:
        pair = parse_pair(pair_value, vocab)
        if pair is None:
            notices.append(f"Unknown pair “{_show(pair_value)}” in the link (use two country "
                           "codes, e.g. CHN-KAZ): ignored.")
        else:  # one side as the country, the other as its partner: exactly this pair
            found["countries"], found["partner"] = (pair[0],), pair[1]

    found["q"] = _first(params, "q")
    found["undated"] = _first(params, "undated").lower() in ("1", "true", "yes")
    return Filters(**found), notices


def to_params(flt: Filters) -> dict[str, str]:
    """The URL query params for `flt` (only the set filters; inverse of `parse_params`)."""
    out: dict[str, str] = {}
    for kind in FILTER_KINDS:
        value = getattr(flt, kind.attr)
        if not value:
            continue
        if isinstance(value, bool):
            out[kind.key] = "1"
        elif isinstance(value, tuple):
            out[kind.key] = ",".join(value)
        elif isinstance(value, date):
            out[kind.key] = value.isoformat()
        else:
            out[kind.key] = str(value)
    return out


@dataclass(frozen=True)
class FilterPart:
    """One part of what is filtered, in words, and the URL keys that clearing it empties."""

    text: str
    keys: tuple[str, ...]


def _period(lo: Optional[date], hi: Optional[date]) -> str:
    """A date range in words: whole years as "2020–2023", else days."""
    whole = (lo is None or (lo.month, lo.day) == (1, 1)) and (hi is None or (hi.month, hi.day) == (12, 31))

    def day(d: date) -> str:
        return str(d.year) if whole else d.isoformat()

    if lo and hi:
        return day(lo) if whole and lo.year == hi.year else f"{day(lo)}–{day(hi)}"
    return f"from {day(lo)}" if lo else f"until {day(hi)}"


def filter_parts(flt: Filters, names: Mapping[str, str] | None = None) -> list[FilterPart]:
    """What is filtered, part by part ("Kazakhstan with China", "trade or investment",
    "2020–2023", "search “oil”"), each with the URL keys a click on its clear button empties."""
    names = names or {}

    def either(values: Sequence[str]) -> str:
        return " or ".join(names.get(v, v) for v in values)

    parts: list[FilterPart] = []
    if flt.countries or flt.partner:
        where = either(flt.countries) or "any country"
        text = f"{where} with {either(flt.partner)}" if flt.partner else where
        parts.append(FilterPart(text, ("country", "partner")))
    if flt.region:
        parts.append(FilterPart(f"region {flt.region}", ("region",)))
    if flt.kind:
        parts.append(FilterPart(either(flt.kind), ("kind",)))
    if flt.sector:
        parts.append(FilterPart(f"sector {either(flt.sector)}", ("sector",)))
    if flt.organisation:
        parts.append(FilterPart(f"organisation {flt.organisation}", ("org",)))
    if flt.date_from or flt.date_to:
        parts.append(FilterPart(_period(flt.date_from, flt.date_to), ("from", "to")))
    if flt.undated and (flt.date_from or flt.date_to):
        parts.append(FilterPart("undated included", ("undated",)))
    if flt.q:
        parts.append(FilterPart(f"search “{flt.q}”", ("q",)))
    return parts


def without(flt: Filters, keys: Iterable[str]) -> Filters:
    """`flt` with the filters of these URL keys cleared."""
    default = {f.name: f.default for f in fields(Filters)}
    return replace(flt, **{KIND_BY_KEY[k].attr: default[KIND_BY_KEY[k].attr] for k in keys})


def selection_to_countries(event: Any, known: Iterable[str] | None = None) -> tuple[str, ...]:
    """ISO3 codes of the countries selected on a plotly map (st.plotly_chart's selection state).

    Reads each point's `location` (choropleth) or `customdata` (markers/lines whose first
    custom value is an ISO3 code); ignores anything that is not a known code.
    """
    allowed = set(known) if known is not None else None
    out: list[str] = []
    for point in _points(event):
        candidates = [point.get("location")]
        custom = point.get("customdata")
        if isinstance(custom, (list, tuple)):
            candidates.extend(custom[:2])
        else:
            candidates.append(custom)
        for c in candidates:
            if isinstance(c, str) and _ISO3.fullmatch(c) and (allowed is None or c in allowed):
                if c not in out:
                    out.append(c)
                break
    return tuple(out)


def _points(event: Any) -> list:
    try:
        selection = event.get("selection", event) if hasattr(event, "get") else getattr(event, "selection", None)
        points = selection.get("points", []) if hasattr(selection, "get") else getattr(selection, "points", [])
    except Exception:  # noqa: BLE001 - a malformed event selects nothing
        return []
    return [p for p in points or [] if hasattr(p, "get")]


def selection_to_pair(event: Any, known: Iterable[str] | None = None) -> Optional[tuple[str, str]]:
    """The pair of the first selected point that stands for a pair, else None.

    A pair is two ISO3 codes in a point's custom data (the dot on a map line) or a lane
    label "CHN–KAZ" on its y axis (a timeline event); codes outside `known` are ignored."""
    allowed = set(known) if known is not None else None

    def ok(code: Any) -> bool:
        return isinstance(code, str) and bool(_ISO3.fullmatch(code)) and (
            allowed is None or code in allowed)

    for point in _points(event):
        custom = point.get("customdata")
        codes = list(custom[:2]) if isinstance(custom, (list, tuple)) else []
        lane = point.get("y")
        if len(codes) < 2 and isinstance(lane, str):
            codes = [c.strip() for c in re.split(r"[–-]", lane)]
        if len(codes) == 2 and all(ok(c) for c in codes) and codes[0] != codes[1]:
            a, b = sorted(codes)
            return a, b
    return None


def with_pair(flt: Filters, pair: tuple[str, str]) -> Filters:
    """Filters after clicking a pair: one side as the country, the other as its partner."""
    return replace(flt, countries=(pair[0],), partner=pair[1])


def with_selection(flt: Filters, selected: Sequence[str]) -> Filters:
    """Filters after clicking countries on the map: they become the country filter."""
    if not selected:
        return flt
    return replace(flt, countries=tuple(dict.fromkeys(selected)))


# --------------------------------------------------------------------------- pure: a table's view


@dataclass(frozen=True)
class TableView:
    """How a page shows its table: which view, sorted by what, in which order, searched for
    what. In the URL as view=, sort=, order=asc|desc and search=."""

    view: str
    sort: str
    descending: bool = True
    search: str = ""


VIEW_KEYS = ("view", "sort", "order", "search")


def parse_table_view(params: Mapping[str, Any], sorts: Mapping[str, Sequence[str]],
                     default: TableView) -> tuple[TableView, list[str]]:
    """The table view a URL asks for, plus one notice per value not understood.

    `sorts` maps each view to the columns it can be sorted by (the first is its default)."""
    notices: list[str] = []
    view = _first(params, "view") or default.view
    if view not in sorts:
        notices.append(f"Unknown table view “{_show(view)}” in the link: ignored.")
        view = default.view
    default_sort = default.sort if view == default.view else sorts[view][0]
    sort = _first(params, "sort") or default_sort
    if sort not in sorts[view]:
        notices.append(f"This table cannot be sorted by “{_show(sort)}”: ignored.")
        sort = default_sort
    order = _first(params, "order").lower()
    if order not in ("", "asc", "desc"):
        notices.append(f"Unknown order “{_show(order)}” in the link (asc or desc): ignored.")
    descending = default.descending if order not in ("asc", "desc") else order == "desc"
    return TableView(view, sort, descending, _first(params, "search")), notices


def table_view_params(tv: TableView, sorts: Mapping[str, Sequence[str]],
                      default: TableView) -> dict[str, str]:
    """The URL params of a table view (defaults left out; inverse of `parse_table_view`)."""
    out: dict[str, str] = {}
    if tv.view != default.view:
        out["view"] = tv.view
    default_sort = default.sort if tv.view == default.view else sorts[tv.view][0]
    if tv.sort != default_sort:
        out["sort"] = tv.sort
    if tv.descending != default.descending:
        out["order"] = "desc" if tv.descending else "asc"
    if _clean(tv.search):
        out["search"] = _clean(tv.search)
    return out


# --------------------------------------------------------------------------- Streamlit

_PERSIST = "_atlas_filters"  # the current Filters, kept across pages
_WRITTEN = "_atlas_url"  # the filter params we last wrote to the URL
_NOTICES = "_atlas_notices"
_PARSED = "_atlas_parsed"
_PAGE = "_atlas_page"  # the page of the previous run


def widget_key(kind_key: str) -> str:
    return WIDGET_PREFIX + kind_key


def _url_params(st: Any) -> dict[str, Any]:
    """The filter params of the current URL (repeated keys as lists)."""
    out: dict[str, Any] = {}
    for key in (*KIND_BY_KEY, PAIR_KEY):
        values = st.query_params.get_all(key)
        if values:
            out[key] = values if len(values) > 1 else values[0]
    return out


def _seed(st: Any, flt: Filters) -> None:
    ss = st.session_state
    for kind in FILTER_KINDS:
        value = getattr(flt, kind.attr)
        ss[widget_key(kind.key)] = list(value) if isinstance(value, tuple) else value


def _from_widgets(st: Any) -> Filters:
    ss = st.session_state
    found: dict[str, Any] = {}
    for kind in FILTER_KINDS:
        value = ss.get(widget_key(kind.key))
        if kind.attr in MULTI_VALUED:
            value = tuple(value or ())
        elif kind.attr == "q":
            value = _clean(value or "")
        elif kind.attr == "undated":
            value = bool(value)
        found[kind.attr] = value or ({f.name: f.default for f in fields(Filters)}[kind.attr])
    return Filters(**found)


def apply_map_selection(chart_key: str, current: Filters, known: Iterable[str]) -> None:
    """Turn a new selection on the map chart into the country filter, or the pair filter for
    the dot on a partner line (before the sidebar runs).

    The chart's selection stays in session state across runs; it is applied once, so a user
    can still change the country filter by hand afterwards.
    """
    import streamlit as st

    event = st.session_state.get(chart_key) or {}
    pair = selection_to_pair(event, known)
    selected = pair or selection_to_countries(event, known)
    marker = f"{chart_key}__applied"
    if selected and st.session_state.get(marker) != selected:
        st.session_state[marker] = selected
        _seed(st, with_pair(current, pair) if pair else with_selection(current, selected))
    elif not selected:
        st.session_state.pop(marker, None)


def current_filters() -> Filters:
    """The filters of the previous run (empty on a fresh session)."""
    import streamlit as st

    return st.session_state.get(_PERSIST, Filters())


def sidebar_filters(vocab: Vocabulary, page: str = "",
                    choices: Optional[Callable[[Filters], Mapping[str, Mapping[str, int]]]] = None,
                    ) -> Filters:
    """Draw the shared filters in the sidebar and keep them in the URL; returns the Filters.

    `page` names the page being drawn: on a page switch Streamlit forgets widget values, so
    the filters are restored from session state. `choices(filters)` gives each facet's
    values with their counts under the other filters (datasette's facets): the options say
    how many each would keep.
    """
    import streamlit as st

    from atlas_ui import inert

    ss = st.session_state
    url = _url_params(st)
    _restore(st, url, vocab, page)
    counts = choices(_from_widgets(st)) if choices is not None else {}
    with st.sidebar:
        st.header("Filters")
        _draw_widgets(st, vocab, counts)
        flt = _from_widgets(st)
        if not flt.is_empty():
            st.button("Clear all filters", key="flt_clear", on_click=_clear)
    if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
        st.warning("The “From” date is after the “To” date: nothing can match. Swap them.")
    if ss.get(_NOTICES) and flt == ss.get(_PARSED):
        for notice in ss[_NOTICES]:
            inert.notice("warning", notice)
    _write_url(st, flt, url)
    ss[_PERSIST] = flt
    return flt


def _restore(st: Any, url: dict, vocab: Vocabulary, page: str) -> None:
    """Seed the widgets: from the URL for a new session or a URL changed under us, from the
    session after a page switch (Streamlit forgets widget values then)."""
    ss = st.session_state
    written = ss.get(_WRITTEN)
    switched = ss.get(_PAGE) != page
    ss[_PAGE] = page
    if written is None or (url and url != written and not switched):
        flt, notices = parse_params(url, vocab)
        ss[_NOTICES] = notices
        ss[_PARSED] = flt
        _seed(st, flt)
    elif switched or any(widget_key(k.key) not in ss for k in FILTER_KINDS):
        _seed(st, ss.get(_PERSIST, Filters()))
    _drop_unshowable_dates(ss)


def _draw_widgets(st: Any, vocab: Vocabulary, counts: Mapping[str, Mapping[str, int]]) -> None:
    """One widget per filter kind, its options with their counts."""
    ss, names = st.session_state, vocab.countries
    for key, placeholder in (("country", "All countries"), ("partner", "Any partner")):
        st.multiselect(KIND_BY_KEY[key].label, options=list(_options(ss, key, names)),
                       format_func=_counted(counts.get(key), names.get), key=widget_key(key),
                       help=KIND_BY_KEY[key].help, placeholder=placeholder)
    for key, options in (("region", vocab.regions), ("kind", vocab.kinds),
                         ("sector", vocab.sectors), ("org", vocab.organisations)):
        kind = KIND_BY_KEY[key]
        widget = st.multiselect if kind.attr in MULTI_VALUED else st.selectbox
        extra = {} if kind.attr in MULTI_VALUED else {"index": None}
        widget(kind.label, options=list(_options(ss, key, options)),
               format_func=_counted(counts.get(key)), key=widget_key(key), help=kind.help,
               placeholder=f"Any {kind.label.lower()}", **extra)
    # one date a line: two side by side in the sidebar are too narrow to show a date
    for key, label in (("from", "From"), ("to", "To")):
        st.date_input(label, value=None, min_value=MIN_DATE, max_value=MAX_DATE,
                      key=widget_key(key), help=KIND_BY_KEY[key].help, format="YYYY-MM-DD")
    st.checkbox(KIND_BY_KEY["undated"].label, key=widget_key("undated"),
                help=KIND_BY_KEY["undated"].help)
    st.text_input(KIND_BY_KEY["q"].label, key=widget_key("q"), max_chars=MAX_TEXT,
                  help=KIND_BY_KEY["q"].help, placeholder="words in title or text")


def _write_url(st: Any, flt: Filters, url: dict) -> None:
    """The filters back into the URL, only where they differ from it."""
    params = to_params(flt)
    if params != url:
        for key in (*KIND_BY_KEY, PAIR_KEY):  # a pair is written back as country and partner
            if key in params:
                st.query_params[key] = params[key]
            elif key in st.query_params:
                del st.query_params[key]
    st.session_state[_WRITTEN] = params


def _counted(counts: Optional[Mapping[str, int]],
             name: Optional[Callable[..., Any]] = None) -> Callable[[str], str]:
    """An option's label: its name and, when counted, how many it keeps ("trade · 42")."""
    def label(value: str) -> str:
        shown = name(value, value) if name is not None else value
        return shown if counts is None else f"{shown} · {counts.get(value, 0):,}"

    return label


def _options(ss: Any, key: str, options: Iterable[str]) -> dict[str, None]:
    """The widget's options, plus whatever its current value holds (so seeding never fails)."""
    out = dict.fromkeys(options)
    value = ss.get(widget_key(key))
    for v in value if isinstance(value, (list, tuple)) else [value]:
        if isinstance(v, str) and v:
            out.setdefault(v, None)
    return out


def _drop_unshowable_dates(ss: Any) -> None:
    """Drop seeded dates the date widgets cannot show (outside their range)."""
    for key in ("from", "to"):
        v = ss.get(widget_key(key))
        if v is not None and not (isinstance(v, date) and MIN_DATE <= v <= MAX_DATE):
            ss[widget_key(key)] = None


def _clear() -> None:
    import streamlit as st

    _seed(st, Filters())


def _clear_part(keys: tuple[str, ...]) -> None:
    """Empty the widgets of one part; the run that follows writes the URL without it."""
    import streamlit as st

    _seed(st, without(current_filters(), keys))


def filter_summary(flt: Filters, names: Mapping[str, str] | None = None) -> None:
    """State what is filtered in words, with a small button that clears each part."""
    import streamlit as st

    from atlas_ui import inert

    parts = filter_parts(flt, names)
    if not parts:
        return
    inert.show_markdown("**Filtered:** {words}", words="; ".join(p.text for p in parts))
    columns = st.columns(min(len(parts), 4))
    for i, part in enumerate(parts):
        columns[i % len(columns)].button(
            "✕ " + inert.md(inert.label(part.text, 60)), key="flt_clear_" + "_".join(part.keys),
            on_click=_clear_part, args=(part.keys,), help="Clear this filter",
            type="tertiary")


# --------------------------------------------------------------------------- a table's view, kept in the URL


def _view_keys(prefix: str, view: str) -> dict[str, str]:
    """Session keys of a table's widgets: <prefix>_view, _sort_<view>, _desc_<view>, _search."""
    return {"view": f"{prefix}_view", "sort": f"{prefix}_sort_{view}",
            "desc": f"{prefix}_desc_{view}", "search": f"{prefix}_search"}


def seed_table_view(prefix: str, sorts: Mapping[str, Sequence[str]], default: TableView) -> None:
    """Before a table's widgets are drawn: when the URL's view params are new (a shared link,
    a first visit), they set the widgets; notices about bad values are shown as text."""
    import streamlit as st

    from atlas_ui import inert

    url = {k: st.query_params.get(k) for k in VIEW_KEYS if st.query_params.get(k) is not None}
    ss = st.session_state
    marker = f"_atlas_view_{prefix}"
    if ss.get(marker) != url:
        tv, notices = parse_table_view(url, sorts, default)
        keys = _view_keys(prefix, tv.view)
        ss.update({keys["view"]: tv.view, keys["sort"]: tv.sort,
                   keys["desc"]: tv.descending, keys["search"]: tv.search})
        ss[marker] = url
        for notice in notices:
            inert.notice("warning", notice)
        return
    view = ss.get(f"{prefix}_view")  # widgets forgotten (another page, another view): defaults
    view = view if view in sorts else default.view
    keys = _view_keys(prefix, view)
    for key, value in (("view", view), ("sort", default.sort if view == default.view
                                          else sorts[view][0]),
                       ("desc", default.descending), ("search", "")):
        if keys[key] not in ss:
            ss[keys[key]] = value


def keep_table_view(prefix: str, sorts: Mapping[str, Sequence[str]], default: TableView) -> TableView:
    """After a table's widgets are drawn: their state, written to the URL."""
    import streamlit as st

    ss = st.session_state
    view = ss.get(f"{prefix}_view") or default.view
    keys = _view_keys(prefix, view)
    tv = TableView(view, ss.get(keys["sort"]) or sorts[view][0],
                   bool(ss.get(keys["desc"], default.descending)), _clean(ss.get(keys["search"]) or ""))
    params = table_view_params(tv, sorts, default)
    for key in VIEW_KEYS:
        if key in params:
            if st.query_params.get(key) != params[key]:
                st.query_params[key] = params[key]
        elif key in st.query_params:
            del st.query_params[key]
    ss[f"_atlas_view_{prefix}"] = params
    return tv
