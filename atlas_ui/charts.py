"""Plotly figures for the dashboard: pure functions from the query frames to `go.Figure`.

No Streamlit here, so every chart can be built and checked in a test. Conventions:
- maps use the bundled world topojson (`PLOTLY_CONFIG["topojsonURL"]`), so they draw
  offline; pass `config=PLOTLY_CONFIG` to `st.plotly_chart`;
- a country has one colour on every page (`country_colour`), a partnership kind likewise;
- every article-derived string that reaches a hover, label or tick goes through
  `inert.chart_text` (hidden characters dropped, HTML-escaped), because plotly renders a
  subset of HTML in them;
- an empty or malformed frame gives a figure that says so, never an exception.
"""
from __future__ import annotations

import logging
import math
import re
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from functools import wraps
from typing import Any, Callable, Mapping, Optional, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from atlas_ui import geo, inert, numbers
from data_prep.kinds import KIND_COLOURS
from data_prep.lexicon import month_name
from data_prep.records import granularity_of

_LOG = logging.getLogger(__name__)

PLOTLY_CONFIG: dict[str, Any] = {
    "topojsonURL": geo.TOPOJSON_URL,  # bundled world_50m.json: no CDN, works offline
    "displaylogo": False,
    "responsive": True,
    "scrollZoom": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "filename": "partnership-atlas", "scale": 2},
}

# What the map can be coloured by: column of `country_stats` -> label.
MAP_MEASURES: dict[str, str] = {
    "articles": "Articles",
    "partnerships": "Partnerships (distinct pairs)",
    "usd": "Money reached (USD)",
}

# A fixed palette (no dependency on plotly's defaults, which may change between releases).
_PALETTE = (
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#393b79", "#ad494a", "#637939", "#8c6d31", "#7b4173", "#3182bd", "#e6550d",
    "#31a354", "#756bb1", "#636363", "#843c39", "#d6616b", "#6b6ecf", "#b5cf6b", "#e7969c",
)  # fmt: skip
_NO_COLOUR = "#9e9e9e"
_NO_VALUE_GREY = "#d5d9de"  # a country on the map with no value (no money): not the scale's 0

FIGURE_KIND_COLOURS: dict[str, str] = {"money": "#2ca02c", "percent": "#ff7f0e", "count": "#1f77b4"}


@dataclass(frozen=True)
class MapFrame:
    """The shape of a map figure: the drawn map's width/height (its lon/lat view is chosen
    for it) and the px of the margins above (title) and below (colour bar). The page sizes
    the map's box from its width with these (`layout.map_chart`), so the map fills its box
    at 1440 px and at phone width alike; `width` is the plot's px at 1440 px, which gives
    the figure's own height for a page that does not size it."""

    aspect: float
    top: int
    bottom: int
    width: int

    @property
    def height(self) -> int:
        return round(self.width / self.aspect) + self.top + self.bottom


MAP_FRAME = MapFrame(aspect=980 / 415, top=30, bottom=80, width=980)  # `country_map`
SMALL_MAP_FRAME = MapFrame(aspect=385 / 320, top=0, bottom=0, width=385)  # `small_map`

_LINE_RGBA = "rgba(230, 85, 13, {a})"  # orange: shows over light and dark blues
_HILITE_RGBA = "rgba(214, 39, 40, {a})"
_ISO3 = re.compile(r"[A-Z]{3}")
# Legends under the plot (in the figure's bottom margin): at phone width a legend beside the
# plot would take half of it.
_BOTTOM_LEGEND: dict[str, Any] = {"orientation": "h", "yref": "container", "y": 0.01,
                                  "yanchor": "bottom", "x": 0, "xanchor": "left"}
_SPACE = re.compile(r"\s+")


# --- small helpers --------------------------------------------------------------------------


def country_colour(iso3: object) -> str:
    """The colour of a country on every chart: a deterministic palette pick from its code.

    crc32 rather than hash(): Python's str hash changes per process, colours must not.
    """
    if not isinstance(iso3, str) or not iso3.strip():
        return _NO_COLOUR
    return _PALETTE[zlib.crc32(iso3.strip().upper().encode("utf-8")) % len(_PALETTE)]


def kind_colour(kind: object) -> str:
    """The colour of a partnership kind (agreement, talks, ...) on every chart."""
    if isinstance(kind, str) and kind.strip().lower() in KIND_COLOURS:
        return KIND_COLOURS[kind.strip().lower()]
    return country_colour(kind) if isinstance(kind, str) and kind.strip() else _NO_COLOUR


def fmt_usd(value: object) -> str:
    """Money in US dollars for people ("$24.2 bn"; "–" when unknown or zero): `numbers.usd`."""
    return numbers.usd(value)


def _num(value: object) -> float:
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return v


def _int(value: object) -> int:
    v = _num(value)
    return int(v) if math.isfinite(v) else 0


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists, arrays
        return False


def _norm(value: object) -> str:
    """Casefolded, space-collapsed text for matching; "" for missing values."""
    return _SPACE.sub(" ", str(value)).strip().casefold() if not _missing(value) else ""


def _frame(df: object) -> pd.DataFrame:
    return df if isinstance(df, pd.DataFrame) else pd.DataFrame()


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    if name in df.columns:
        return df[name]
    return pd.Series([None] * len(df), index=df.index, dtype=object)


def _iso(value: object) -> Optional[str]:
    if not isinstance(value, str):
        return None
    v = value.strip().upper()
    return v if _ISO3.fullmatch(v) else None


def _pair_codes(pair: object) -> tuple[Optional[str], Optional[str]]:
    """("KAZ", "SGP") from "KAZ–SGP" (en dash, hyphen or slash)."""
    if not isinstance(pair, str):
        return None, None
    parts = re.split(r"\s*[–—\-/]\s*", pair.strip(), maxsplit=1)
    if len(parts) != 2:
        return _iso(parts[0]), None
    return _iso(parts[0]), _iso(parts[1])


def _dates(series: pd.Series) -> pd.Series:
    """Timestamps (naive) from whatever the column holds; NaT where unparseable."""
    try:
        if pd.api.types.is_datetime64_any_dtype(series):
            out = pd.to_datetime(series, utc=True)
        else:  # the queries give ISO dates (YYYY, YYYY-MM, YYYY-MM-DD) as text
            text = series.map(
                lambda v: v.isoformat() if isinstance(v, (date, datetime))
                else (v if isinstance(v, str) else None)
            ).astype(object)  # fmt: skip
            out = pd.to_datetime(text, errors="coerce", utc=True, format="ISO8601")
        return out.dt.tz_localize(None)
    except (TypeError, ValueError, AttributeError):
        return pd.Series([pd.NaT] * len(series), index=series.index, dtype="datetime64[ns]")


def _date_label(start: object, granularity: object) -> str:
    if _missing(start):
        return "date unknown"
    ts = pd.Timestamp(start)  # type: ignore[arg-type]
    g = granularity if isinstance(granularity, str) else "day"
    if g == "year":
        return f"{ts.year}"
    if g == "month":
        return f"{month_name(ts.month)} {ts.year}"
    return f"{ts.day} {month_name(ts.month)} {ts.year}"


def _date_range(first: object, last: object, min_days: int = 60) -> Optional[list[str]]:
    """An x range of at least `min_days` around the data, or None to let plotly choose.

    Plotly zooms a single date (or several on one day) to milliseconds around it.
    """
    if _missing(first) or _missing(last):
        return None
    a, b = pd.Timestamp(first), pd.Timestamp(last)  # type: ignore[arg-type]
    if (b - a).days >= min_days:
        return None
    pad = pd.Timedelta(days=min_days)
    return [(a - pad).strftime("%Y-%m-%d"), (b + pad).strftime("%Y-%m-%d")]


def _empty_figure(message: str, height: int = 300) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(
        text=inert.chart_text(message, 400), x=0.5, y=0.5, xref="paper", yref="paper",
        showarrow=False, font={"size": 15, "color": "#666"},
    )  # fmt: skip
    fig.update_layout(
        height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"visible": False}, yaxis={"visible": False}, meta={"empty": True},
    )  # fmt: skip
    return fig


def _never_raise(kind: str) -> Callable[[Callable[..., go.Figure]], Callable[..., go.Figure]]:
    """A chart failing on odd data must not take the page down: log it, say so in the figure."""

    def deco(fn: Callable[..., go.Figure]) -> Callable[..., go.Figure]:
        @wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> go.Figure:
            try:
                return fn(*args, **kwargs)
            except Exception:  # noqa: BLE001 - the page must still render
                _LOG.exception("could not draw the %s", kind)
                return _empty_figure(f"Could not draw the {kind} for this data.")

        return wrapper

    return deco


# --- maps -----------------------------------------------------------------------------------


def map_caption(measure: str) -> str:
    """What the map's colours, lines and outlines mean, for the caption under it."""
    what = {
        "usd": "money reached by the country's partner pairs (USD, linear scale; grey: no money "
               "reported)",
        "partnerships": "partnerships: distinct partner pairs the country is in",
    }.get(measure, "articles that name the country")
    return (f"Fill: {what}. Orange lines join partner pairs (wider: more articles); the dot "
            "on a line gives the pair's figures. Small countries are drawn as circles. A "
            "selected country has a coloured outline and its lines in red.")


def _geo_layout(frame: MapFrame) -> dict[str, Any]:
    # margins fixed (no autoexpand): the page's box for the map counts on them
    return {
        "height": frame.height,
        "margin": {"l": 0, "r": 0, "t": frame.top, "b": frame.bottom, "autoexpand": False},
        "showlegend": False,
        "hoverlabel": {"bgcolor": "white", "font": {"size": 13}, "align": "left"},
        "geo": {
            "scope": geo.TOPOJSON_SCOPE, "resolution": geo.TOPOJSON_RESOLUTION,
            "projection": {"type": geo.MAP_PROJECTION},
            "showframe": False, "showland": True, "landcolor": "#eceff1",
            "showcountries": True, "countrycolor": "#b0b7bf", "countrywidth": 0.5,
            "showcoastlines": True, "coastlinecolor": "#b0b7bf", "coastlinewidth": 0.5,
            "showocean": True, "oceancolor": "#f5f9fc", "showlakes": False,
            "bgcolor": "rgba(0,0,0,0)",
        },
    }  # fmt: skip


def _country_hover(rec: dict[str, Any], iso3: str) -> str:
    name = inert.chart_text(rec.get("name")) or iso3
    hover = (
        f"<b>{name}</b> ({iso3})<br>Articles: {numbers.count(rec.get('articles'))}<br>"
        f"Partnerships (distinct pairs): {numbers.count(rec.get('partnerships'))}<br>"
        f"Money reached: {numbers.usd(rec.get('usd'))}"
    )
    region = inert.chart_text(rec.get("region"))
    return hover + (f"<br>Region: {region}" if region else "")


def _country_rows(cs: pd.DataFrame, measure: str) -> dict[str, dict[str, Any]]:
    """One row per valid ISO3 (the largest value if a code repeats): value (None: none) and
    hover."""
    rows: dict[str, dict[str, Any]] = {}
    for rec in cs.to_dict("records"):
        iso3 = _iso(rec.get("iso3"))
        if not iso3:
            continue
        value = numbers.as_float(rec.get(measure))
        value = value if value is not None and value > 0 else None
        if iso3 in rows and (rows[iso3]["value"] or 0) >= (value or 0):
            continue
        rows[iso3] = {"iso3": iso3, "value": value, "hover": _country_hover(rec, iso3)}
    return rows


def _colour_axis(top: float, measure: str, compact: bool) -> dict[str, Any]:
    """A linear colour scale from 0 to the largest value (the darkest country is the top one),
    round ticks written by `numbers`; the bar lies under the map (so it never takes a quarter
    of a phone's width) and says it is linear."""
    ticks = [t for t in numbers.nice_ticks(top, 4) if t <= top * (1 + 1e-9)]
    if measure != "usd" and top < 4:  # counts: whole ticks only
        ticks = list(range(0, int(math.floor(top)) + 1))
    text = [numbers.usd(t) if t else "0" for t in ticks] if measure == "usd" else [
        numbers.count(t) for t in ticks]
    title = f"{MAP_MEASURES.get(measure, measure)}, linear scale"
    return {
        "colorscale": "Blues", "cmin": 0, "cmax": top, "showscale": not compact,
        "colorbar": {"title": {"text": title, "side": "top"}, "orientation": "h",
                     "x": 0.5, "xanchor": "center", "y": -0.02, "yanchor": "top",
                     "thickness": 10, "len": 0.6, "tickvals": ticks, "ticktext": text},
    }  # fmt: skip


def _country_traces(rows: dict[str, dict[str, Any]], chosen: set[str]) -> list[go.Choropleth]:
    """Countries with a value on the colour scale; countries without (no money) in grey."""
    traces = []
    for name, isos in (("countries", [i for i in rows if rows[i]["value"] is not None]),
                       ("no value", [i for i in rows if rows[i]["value"] is None])):
        if not isos:
            continue
        shade = ({"coloraxis": "coloraxis", "z": [rows[i]["value"] for i in isos]}
                 if name == "countries" else
                 {"z": [0] * len(isos), "colorscale": [[0, _NO_VALUE_GREY], [1, _NO_VALUE_GREY]],
                  "showscale": False})  # fmt: skip
        traces.append(go.Choropleth(
            name=name, locations=isos, customdata=[[i] for i in isos], locationmode="ISO-3",
            hovertext=[rows[i]["hover"] for i in isos], hovertemplate="%{hovertext}<extra></extra>",
            marker={"line": {"color": [country_colour(i) if i in chosen else "#ffffff" for i in isos],
                             "width": [2.5 if i in chosen else 0.4 for i in isos]}},
            **shade,
        ))  # fmt: skip
    return traces


def _pair_rows(ps: pd.DataFrame) -> list[tuple[str, str, Any, Any, dict[str, Any]]]:
    """(a, b, centroid a, centroid b, record) of each pair that can be drawn."""
    out = []
    for rec in ps.to_dict("records"):
        a, b = _iso(rec.get("iso3_a")), _iso(rec.get("iso3_b"))
        if not a or not b:
            a, b = _pair_codes(rec.get("pair"))
        ca, cb = geo.centroid(a), geo.centroid(b)
        if ca is not None and cb is not None and a != b:
            out.append((a, b, ca, cb, rec))  # type: ignore[arg-type]
    return out


def _pair_hover(a: str, b: str, rec: dict[str, Any]) -> str:
    name_a = inert.chart_text(rec.get("name_a")) or a
    name_b = inert.chart_text(rec.get("name_b")) or b
    hover = (f"<b>{name_a} – {name_b}</b><br>Articles: {numbers.count(rec.get('articles'))}"
             f"<br>Money reached: {numbers.usd(rec.get('usd'))}")
    for key, title in (("kinds", "Kinds"), ("sectors", "Sectors")):
        val = inert.chart_text(rec.get(key), 120)
        if val:
            hover += f"<br>{title}: {val}"
    first = inert.chart_text(rec.get("first_date"), 10)
    last = inert.chart_text(rec.get("last_date"), 10)
    if first or last:
        until = f" to {last}" if first and last and last != first else ""
        hover += f"<br>Dates: {first or last}{until}"
    return hover


def _line_traces(pairs: list, chosen: set[str], most: int) -> list[go.Scattergeo]:
    """Partner lines binned by width (plotly takes one width per trace), each over a white
    casing so that it shows over dark and light countries alike."""
    bins: dict[tuple[float, bool], tuple[list, list]] = {}
    for a, b, ca, cb, rec in pairs:
        n = max(_int(rec.get("articles")), 1)
        width = float(round(1.5 + 4.0 * math.sqrt(n / most)) if most > 1 else 2.0)
        hot = bool(chosen) and (a in chosen or b in chosen)
        lons, lats = bins.setdefault((width, hot), ([], []))
        lons += [ca.lon, cb.lon, None]
        lats += [ca.lat, cb.lat, None]
    traces = []
    for (width, hot), (lons, lats) in sorted(bins.items()):
        alpha = 0.95 if hot or not chosen else 0.35
        colour = (_HILITE_RGBA if hot else _LINE_RGBA).format(a=alpha)
        for name, line in (("line casing", {"width": width + 2.5, "color": "rgba(255,255,255,0.9)"}),
                           ("partner lines", {"width": width, "color": colour})):
            traces.append(go.Scattergeo(name=name, lon=lons, lat=lats, mode="lines",
                                        hoverinfo="skip", line=line))
    return traces


def _pair_markers(pairs: list, most: int, compact: bool) -> go.Scattergeo:
    """A dot at each line's middle: the pair's hover, and a click target."""
    lon, lat, hover, size, codes = [], [], [], [], []
    for a, b, ca, cb, rec in pairs:
        n = max(_int(rec.get("articles")), 1)
        mlon, mlat = geo.midpoint((ca.lon, ca.lat), (cb.lon, cb.lat))
        lon.append(mlon)
        lat.append(mlat)
        size.append((4 if compact else 6) + (2 if compact else 5) * math.sqrt(n / most))
        codes.append([a, b])  # for click-to-filter: the pair's countries
        hover.append(_pair_hover(a, b, rec))
    return go.Scattergeo(
        name="partnerships", lon=lon, lat=lat, mode="markers", customdata=codes,
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        marker={"size": size, "color": "white", "opacity": 0.95, "symbol": "circle",
                "line": {"width": 1.5, "color": _LINE_RGBA.format(a=1.0)}},
    )  # fmt: skip


def _small_country_markers(rows: dict[str, dict[str, Any]], chosen: set[str],
                           compact: bool) -> list[go.Scattergeo]:
    """Circles for countries too small (or absent) on the map, filled like their country:
    on the colour scale, or grey when they have no value (as their shapes)."""
    small = [i for i in rows if (c := geo.centroid(i)) is not None and c.small]
    traces = []
    for name, isos in (("small countries", [i for i in small if rows[i]["value"] is not None]),
                       ("small countries, no value", [i for i in small if rows[i]["value"] is None])):
        if not isos:
            continue
        fill = ({"coloraxis": "coloraxis", "color": [rows[i]["value"] for i in isos]}
                if name == "small countries" else {"color": _NO_VALUE_GREY})
        traces.append(go.Scattergeo(
            name=name, mode="markers", customdata=[[i] for i in isos],
            lon=[geo.centroid(i).lon for i in isos],  # type: ignore[union-attr]
            lat=[geo.centroid(i).lat for i in isos],  # type: ignore[union-attr]
            hovertext=[rows[i]["hover"] for i in isos], hovertemplate="%{hovertext}<extra></extra>",
            marker={"size": 7 if compact else 10, **fill,
                    "line": {"width": [2.5 if i in chosen else 1.5 for i in isos],
                             "color": [country_colour(i) for i in isos]}},
        ))  # fmt: skip
    return traces


def _zoom(fig: go.Figure, isos: list[str], frame: MapFrame) -> None:
    """Show the countries with data in a view of the frame's aspect, which the page keeps
    for the map's box at any width: the map fills it (no blank bands)."""
    rng = geo.view(isos, frame.aspect) or geo.world_view(frame.aspect)
    fig.update_geos(lonaxis={"range": list(rng[0])}, lataxis={"range": list(rng[1])})


def _map_figure(country_stats: object, pair_stats: object, measure: str,
                selected: Sequence[str], frame: MapFrame, compact: bool) -> go.Figure:
    cs, ps = _frame(country_stats), _frame(pair_stats)
    measure = measure if measure in cs.columns else "articles"
    chosen = {c for c in (_iso(s) for s in (selected or ())) if c}
    fig = go.Figure()
    fig.update_layout(**_geo_layout(frame))
    rows = _country_rows(cs, measure)
    if not rows:
        fig.add_annotation(
            text="No countries to show for these filters.", x=0.5, y=0.5, xref="paper",
            yref="paper", showarrow=False, font={"size": 15, "color": "#555"},
            bgcolor="rgba(255,255,255,0.8)",
        )  # fmt: skip
        fig.update_layout(meta={"empty": True})
        # An invisible choropleth still makes plotly load and draw the land and borders.
        fig.add_trace(go.Choropleth(locations=[], z=[], showscale=False, hoverinfo="skip"))
        _zoom(fig, [], frame)
        return fig
    top = max([r["value"] for r in rows.values() if r["value"] is not None] or [1.0])
    fig.update_layout(coloraxis=_colour_axis(top, measure, compact))
    if not compact:
        label = MAP_MEASURES.get(measure, measure)
        title = f"Countries by {label[:1].lower() + label[1:]}"
        fig.update_layout(title={"text": title, "font": {"size": 14}, "x": 0, "xanchor": "left"})
    fig.add_traces(_country_traces(rows, chosen))
    _zoom(fig, list(rows), frame)
    pairs = _pair_rows(ps)
    if pairs:
        most = max(max(_int(p[4].get("articles")), 1) for p in pairs)
        fig.add_traces(_line_traces(pairs, chosen, most))
        fig.add_trace(_pair_markers(pairs, most, compact))
    fig.add_traces(_small_country_markers(rows, chosen, compact))
    return fig


@_never_raise("map")
def country_map(
    country_stats: pd.DataFrame,
    pair_stats: pd.DataFrame,
    measure: str = "articles",
    selected: Sequence[str] = (),
) -> go.Figure:
    """World map: countries shaded by `measure` on a linear scale (a `country_stats` column,
    see MAP_MEASURES), lines between partners (width by articles, hover at the midpoint),
    markers on small countries, `selected` ISO3 codes outlined in their colour and their
    lines highlighted; zoomed to the countries with data. `map_caption` explains it.

    country_stats columns: iso3, name, articles, partnerships (distinct pairs), usd, region.
    pair_stats columns: iso3_a, iso3_b (or pair "A–B"), name_a, name_b, articles, usd, kinds,
    sectors, first_date, last_date."""
    return _map_figure(country_stats, pair_stats, measure, selected, MAP_FRAME, compact=False)


@_never_raise("map")
def small_map(country_stats: pd.DataFrame, pair_stats: pd.DataFrame) -> go.Figure:
    """A compact map for the overview (same columns as `country_map`): shaded by
    partnerships, no colour bar, small dots, zoomed to the countries with data."""
    return _map_figure(country_stats, pair_stats, "partnerships", (), SMALL_MAP_FRAME,
                       compact=True)


# --- timeline -------------------------------------------------------------------------------

TIMELINE_CAPTION = (
    "Colour: the kind of partnership. Bars: events known only to the month or year, spanning "
    "it. Diamonds: events dated to the day. Open circles: no event date in the article, drawn "
    "at its publication date.")


def _lanes(df: pd.DataFrame) -> pd.Series:
    """The lane of each event: its pair label, else "A–B" from its codes; None without."""
    lane = _col(df, "pair").map(lambda p: p.strip() if isinstance(p, str) and p.strip() else None)
    missing = lane.isna()
    if missing.any():
        a = _col(df, "iso3_a")[missing].map(_iso)
        b = _col(df, "iso3_b")[missing].map(_iso)
        lane[missing] = [f"{x}–{y}" if x and y else None for x, y in zip(a, b)]
    return lane.astype(object)


def _event_periods(df: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each event's start, end and granularity ("day", "month", "year", or "published" when
    only the article's publication date places it)."""
    start = _dates(_col(df, "event_start"))
    end = _dates(_col(df, "event_end"))
    published = _dates(_col(df, "published"))
    gran = _col(df, "event_granularity").map(
        lambda g: g if isinstance(g, str) and g in ("day", "month", "year") else None
    ).astype(object)  # fmt: skip
    # No event_start but an ISO event_date ("2024-03"): its own start and precision.
    ev_date = _col(df, "event_date").map(lambda v: v.strip() if isinstance(v, str) else None)
    from_text = start.isna() & ev_date.notna()
    if from_text.any():
        start = start.where(~from_text, _dates(ev_date))
        gran = gran.where(~from_text | gran.notna(), ev_date.map(granularity_of))
    no_date = start.isna()
    start = start.where(~no_date, published)
    end = end.where(~no_date, published)
    gran = gran.where(~no_date, "published").where(lambda g: g.notna(), "day")
    end = end.where(end.notna() & (end >= start), start)
    return start, end, gran


def _kept_events(lane: pd.Series, start: pd.Series, max_lanes: int, max_events: int,
                 lane_counts: Optional[Mapping[str, int]] = None,
                 in_lanes: Optional[int] = None) -> tuple[pd.Series, list[str], int, int]:
    """Which events are drawn: the busiest `max_lanes` lanes, the latest `max_events` events.
    Returns the mask, the lanes shown, all lanes' count and how many events were dropped
    (a query that fetched only the drawn events says how many there are: `lane_counts`,
    `in_lanes`)."""
    valid = lane.notna() & start.notna()
    counts = dict(lane_counts) if lane_counts else lane[valid].value_counts().to_dict()
    lanes = sorted(counts, key=lambda k: (-counts[k], k))
    shown = lanes[: max(1, int(max_lanes))]
    keep = valid & lane.isin(shown)
    dropped = 0
    if int(keep.sum()) > max(1, int(max_events)):  # the latest events only
        latest = start[keep].sort_values(ascending=False, kind="stable").index[: int(max_events)]
        dropped = int(keep.sum()) - len(latest)
        keep = pd.Series(lane.index.isin(latest), index=lane.index)
    if in_lanes is not None:
        dropped = max(dropped, int(in_lanes) - int(keep.sum()))
    return keep, shown, len(lanes), dropped


class _Texts:
    """`inert.chart_text` and date labels remembered within one chart: a timeline repeats
    its lanes, kinds, statuses, titles and dates across thousands of events, and escaping
    each again cost most of its drawing time."""

    def __init__(self) -> None:
        self._seen: dict[tuple, str] = {}

    def escaped(self, value: Any, limit: int = 160) -> str:
        try:
            key = (value, limit)
            hit = self._seen.get(key)
        except TypeError:  # a list: not remembered
            return inert.chart_text(value, limit)
        if hit is None:
            hit = self._seen[key] = inert.chart_text(value, limit)
        return hit

    def when(self, s: pd.Timestamp, g: str) -> str:
        key = ("when", s, g)
        hit = self._seen.get(key)
        if hit is None:
            hit = self._seen[key] = (
                f"published {s:%Y-%m-%d} (no event date)" if g == "published"
                else _date_label(s, g) + ("" if g == "day" else f" (known to the {g})"))
        return hit


def _event_hover(texts: _Texts, lane: str, s: pd.Timestamp, g: str, kind: str,
                 rec: dict[str, Any]) -> str:
    title = texts.escaped(rec.get("title"), 140) or "(untitled article)"
    status = texts.escaped(rec.get("status"), 40)
    hover = f"<b>{title}</b><br>{texts.escaped(lane)} · {texts.escaped(kind)}"
    hover += (f" ({status})" if status else "") + f"<br>{texts.when(s, g)}"
    figs = texts.escaped(rec.get("figures_text"), 200)
    if figs:
        hover += f"<br>Figures: {figs}"
    money = numbers.usd(rec.get("usd"))
    if money != numbers.MISSING:
        hover += f"<br>Money reached: {money}"
    sectors = texts.escaped(rec.get("sectors"), 100)
    return hover + (f"<br>Sectors: {sectors}" if sectors else "")


_HOVER_COLUMNS = ("kind", "title", "status", "figures_text", "usd", "sectors")


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """The columns a hover reads, a dict per row (read column by column: `to_dict("records")`
    of every column cost a quarter of a timeline's drawing)."""
    cols = {c: _col(df, c).tolist() for c in _HOVER_COLUMNS}
    return [dict(zip(cols, row)) for row in zip(*cols.values())]


def _event_groups(items: list) -> dict[tuple[str, str], dict[str, list]]:
    """Events grouped by (kind, shape): one trace each. Bars carry base (start) and length."""
    groups: dict[tuple[str, str], dict[str, list]] = {}
    texts = _Texts()
    for lane, s, e, g, rec in items:
        kind = _norm(rec.get("kind")) or "other"
        shape = "bar" if g in ("month", "year") else g
        grp = groups.setdefault((kind, shape), {"y": [], "x": [], "base": [], "hover": []})
        grp["y"].append(texts.escaped(lane))
        grp["hover"].append(_event_hover(texts, lane, s, g, kind, rec))
        if shape == "bar":
            s, e = pd.Timestamp(s), pd.Timestamp(e)
            if e <= s:  # no end given: the end of the month or year that starts at s
                e = s + (pd.offsets.MonthEnd(0) if g == "month" else pd.offsets.YearEnd(0))
            last = e + pd.Timedelta(days=1)  # end is the period's last day
            grp["base"].append(s.isoformat())
            grp["x"].append((last - s).total_seconds() * 1000.0)
        else:
            grp["x"].append(pd.Timestamp(s).isoformat())
    return groups


def _texts(values: list[str]) -> np.ndarray:
    """Texts as an array: plotly checks and copies a list item by item (most of a
    3,000-event timeline's drawing), an array at once; it is sent as the same list."""
    return np.array(values, dtype=object)


def _event_trace(kind: str, shape: str, grp: dict[str, list], first: bool) -> go.BaseTraceType:
    colour = kind_colour(kind)
    common = {
        "name": inert.chart_text(kind), "legendgroup": kind, "showlegend": first,
        "y": _texts(grp["y"]), "hovertext": _texts(grp["hover"]),
        "hovertemplate": "%{hovertext}<extra></extra>",
    }  # fmt: skip
    if shape == "bar":
        return go.Bar(orientation="h", x=grp["x"], base=_texts(grp["base"]), width=0.6,
                      marker={"color": colour, "opacity": 0.45, "line": {"color": colour, "width": 1}},
                      **common)  # fmt: skip
    hollow = shape == "published"
    return go.Scatter(mode="markers", x=_texts(grp["x"]),
                      marker={"symbol": "circle-open" if hollow else "diamond", "size": 11,
                              "color": colour, "line": {"width": 2 if hollow else 1,
                                                        "color": colour if hollow else "white"}},
                      **common)  # fmt: skip


def _timeline_title(shown: int, lanes: int, dropped: int, max_events: int) -> str:
    notes = []
    if lanes > shown:
        notes.append(f"the {shown} pairs with most events (of {lanes})")
    if dropped:
        notes.append(f"the latest {int(max_events):,} events ({dropped:,} earlier not drawn)")
    title = "Partnership events by partner pair"
    return title + (f"<br><sup>Showing {' and '.join(notes)}</sup>" if notes else "")


@_never_raise("timeline")
def timeline(events: pd.DataFrame, max_lanes: int = 40, max_events: int = 3000,
             lane_counts: Optional[Mapping[str, int]] = None,
             in_lanes: Optional[int] = None) -> go.Figure:
    """Each partnership event (article × pair) on a time axis, one lane per pair.

    Input columns: pair (or iso3_a, iso3_b), kind, status, title, event_start, event_end,
    event_granularity (or event_date as ISO text), published, figures_text, usd, sectors.
    Events dated to the month or year are bars spanning that period (not a false day);
    day-dated events are diamonds; events with no date of their own sit at the article's
    publication date as open circles (`TIMELINE_CAPTION`). Colour is the partnership kind.
    The busiest `max_lanes` pairs are shown, and at most `max_events` events (the latest),
    so that a large database stays quick to draw. A query that fetched only those events
    passes every pair's count of events (`lane_counts`) and how many events the shown lanes
    hold (`in_lanes`), so the chart says what it leaves out.
    """
    df = _frame(events)
    if df.empty:
        return _empty_figure("No partnership events for these filters.")
    df = df.reset_index(drop=True)
    lane = _lanes(df)
    start, end, gran = _event_periods(df)
    if not (lane.notna() & start.notna()).any():
        return _empty_figure("No dated partnership events for these filters.")
    keep, shown, n_lanes, dropped = _kept_events(lane, start, max_lanes, max_events,
                                                 lane_counts, in_lanes)
    items = list(zip(lane[keep], start[keep], end[keep], gran[keep],
                     _records(df[keep.to_numpy()])))
    fig = go.Figure()
    seen: set[str] = set()
    for (kind, shape), grp in sorted(_event_groups(items).items()):
        fig.add_trace(_event_trace(kind, shape, grp, kind not in seen))
        seen.add(kind)
    order = [inert.chart_text(lane) for lane in shown]
    fig.update_layout(
        height=min(230 + 28 * len(shown), 1640),
        margin={"l": 10, "r": 10, "t": 60, "b": 90},
        title={"text": _timeline_title(len(shown), n_lanes, dropped, max_events),
               "font": {"size": 14}, "x": 0, "xanchor": "left"},
        barmode="overlay", hoverlabel={"bgcolor": "white", "align": "left"},
        legend=_BOTTOM_LEGEND | {"title": {"text": "Kind:", "side": "left"}},
        xaxis={"type": "date", "title": {"text": "Date of the event"}, "showgrid": True,
               "range": _date_range(start[keep].min(), end[keep].max())},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": order[::-1],
               "title": {"text": "Partner pair"}, "automargin": True},
    )  # fmt: skip
    return fig


# --- figures ---------------------------------------------------------------------------------

# The groups of `figures_over_time`: one unit per chart, money never beside counts.
MONEY, PERCENT = "money", "percent"
_NOT_TIED = "not tied to a pair"


def measure_options(figures: pd.DataFrame, limit: int = 50) -> list[str]:
    """What `figures_over_time` can draw, one unit each: "money" (USD) first, then "percent",
    then each thing counted ("project", "MoU"), most frequent first. `measure_label` names
    them for a menu."""
    df = _frame(figures)
    if df.empty:
        return []
    kinds = _norm_series(_col(df, "kind"))
    opts = [k for k in (MONEY, PERCENT) if (kinds == k).any()]
    raw = _col(df, "what")[kinds == "count"]
    keys = _norm_series(raw)
    has = keys != ""
    firsts = raw[has].groupby(keys[has].to_numpy(), sort=False).first()
    tally = keys[has].value_counts()
    counted = sorted(tally.index, key=lambda k: (-int(tally[k]), k))
    opts += [_SPACE.sub(" ", str(firsts[k])).strip() for k in counted]
    return opts[: max(1, limit)]


def measure_label(option: str) -> str:
    """A menu label for an option of `measure_options`."""
    if option == MONEY:
        return "Money (USD), by pair and what it measures"
    if option == PERCENT:
        return "Percentages, by pair and what they measure"
    return f"Count: {option}"


def with_deal_money(figures: pd.DataFrame, money: pd.DataFrame) -> pd.DataFrame:
    """The figures with `deal_measure` (trade, investment, …) and `deal_status` (actual,
    planned) of the money the articles tie to a pair (columns article_id, figure_idx,
    measure, status of the queries' money frame), so money series keep measures apart."""
    figs, deals = _frame(figures), _frame(money)
    need = {"article_id", "figure_idx", "measure", "status"}
    if figs.empty or "idx" not in figs.columns or not need <= set(deals.columns):
        return figs
    d = deals[list(need)].rename(columns={"figure_idx": "idx", "measure": "deal_measure",
                                          "status": "deal_status"})
    d = d.assign(idx=pd.to_numeric(d["idx"], errors="coerce")).drop_duplicates(["article_id", "idx"])
    out = figs.assign(idx=pd.to_numeric(figs["idx"], errors="coerce"))
    return out.merge(d, on=["article_id", "idx"], how="left")


def _norm_series(series: pd.Series) -> pd.Series:
    """`_norm` over a column (text only: other values are "")."""
    return _per_value(series, lambda v: _norm(v) if isinstance(v, str) else "")


def _per_value(series: pd.Series, fn: Callable[[Any], str]) -> pd.Series:
    """`fn` of each cell (None for a missing one), computed once per distinct value: a
    chart's tens of thousands of rows hold a few hundred pairs and measures."""
    codes, uniques = pd.factorize(series)
    done = np.array([fn(v) for v in uniques] + [fn(None)], dtype=object)
    return pd.Series(done[codes], index=series.index, dtype=object)


def _series_names(df: pd.DataFrame, kind: str) -> pd.Series:
    """Each figure's series: one measure of one pair ("CHN–KAZ · trade (planned)"); figures
    of no pair are each their own point, never a series."""
    pair = _per_value(_col(df, "pair"), lambda p: p.strip() if isinstance(p, str) else "")
    if kind == MONEY:
        what = _norm_series(_col(df, "deal_measure"))
        what = what.where(what != "", _norm_series(_col(df, "measure"))).replace("", "money")
        planned = _norm_series(_col(df, "deal_status")) == "planned"
        what = what.where(~planned, what + " (planned)")
    elif kind == PERCENT:
        what = _norm_series(_col(df, "measure")).replace("", "unspecified")
    else:
        what = pd.Series("", index=df.index, dtype=object)
    name = pair + _per_value(what, lambda w: f" · {w}" if w else "")
    return name.where(pair != "", _NOT_TIED)


def _selected_figures(df: pd.DataFrame, option: str) -> tuple[pd.DataFrame, str]:
    """The figures of one option with columns when, y, series; and the kind drawn."""
    kinds = _norm_series(_col(df, "kind"))
    key = _norm(option)
    if key in (MONEY, "usd", ""):
        kind, mask = MONEY, kinds == MONEY
    elif key == PERCENT:
        kind, mask = PERCENT, kinds == PERCENT
    else:
        kind, mask = "count", (kinds == "count") & (_norm_series(_col(df, "what")) == key)
    when = _dates(_col(df, "event_start"))
    if when[mask].isna().all() and "published" in df.columns:
        when = _dates(df["published"])
    y = pd.to_numeric(_col(df, "usd" if kind == MONEY else "value"), errors="coerce").astype(float)
    mask &= when.notna() & pd.Series(np.isfinite(y.to_numpy()), index=y.index)
    n = pd.to_numeric(_col(df, "n"), errors="coerce").fillna(1) if "n" in df.columns else 1
    out = pd.DataFrame({"when": when[mask], "y": y[mask], "series": _series_names(df[mask], kind)})
    out["n"] = n[mask] if isinstance(n, pd.Series) else n  # a row may be a query's sum of n
    # and of several days, `when` its first and `last` its last
    out["last"] = _dates(df["last_start"])[mask] if "last_start" in df.columns else out["when"]
    return out.sort_values("when", kind="stable"), kind


def _value_text(kind: str, v: float) -> str:
    if kind == MONEY:
        return numbers.usd(v)
    return numbers.percent(v) if kind == PERCENT else numbers.plain(v)


def _point_hovers(df: pd.DataFrame, part: pd.DataFrame, kind: str) -> list[str]:
    hovers = []
    for idx, w in zip(part.index, part["when"]):
        rec = df.loc[idx]
        h = f"<b>{inert.chart_text(rec.get('title'), 120) or '(untitled article)'}</b>"
        when = _date_label(w, rec.get("event_granularity"))
        h += f"<br>{inert.chart_text(part.at[idx, 'series'])} · {when}"
        h += f"<br>{inert.chart_text(rec.get('text'), 80)}"
        if kind == MONEY:
            h += f" ≈ {numbers.usd(rec.get('usd'))}"
        sentence = inert.chart_text(rec.get("sentence_text"), 220)
        hovers.append(h + (f"<br><i>{sentence}</i>" if sentence else ""))
    return hovers


def _aggregated(part: pd.DataFrame, kind: str, period: str, label: Optional[str] = None
                ) -> tuple[list, list, list[str]]:
    """A series summed (percent: averaged) per month or year, with its hovers; rows count
    as their `n` figures. With `label`, `part` holds several series combined, and each
    hover says how many."""
    g = part.groupby("when", sort=True)
    n, series = g["n"].sum(), g["series"].nunique()
    per = g["y"].sum() / n if kind == PERCENT else g["y"].sum()
    verb = "average" if kind == PERCENT else "total"
    name = label or inert.chart_text(part["series"].iloc[0])
    hovers = [f"<b>{name}</b> · {_date_label(w, period)}<br>"
              + (f"{int(c):,} series, " if label else "")
              + f"{int(k):,} figures, {verb} {_value_text(kind, v)}"
              for w, c, k, v in zip(per.index, series, n, per)]
    return list(per.index), list(per), hovers


def _rest_trace(df: pd.DataFrame, rest: pd.DataFrame, kind: str,
                period: Optional[str]) -> go.Scatter:
    """The figures of no pair and of the series beyond the largest, in grey: each a point
    when the figures are drawn one by one; per period, all of them combined into one point
    (summed, percentages averaged), which names how many series and figures it holds: a
    point per series and period was a cloud of thousands of unnamed points at a million
    articles, that cost a third of a second to draw and send."""
    label = _NOT_TIED if set(rest["series"]) == {_NOT_TIED} else "other pairs and figures"
    if not period:
        return _series_trace(rest, _point_hovers(df, rest, kind), f"{label} (points)",
                             _NO_COLOUR, False, False)
    xs, ys, hovers = _aggregated(rest, kind, period, label)
    return _series_trace(pd.DataFrame({"when": xs, "y": ys}), hovers,
                         f"{label} ({'averaged' if kind == PERCENT else 'combined'} per {period})",
                         _NO_COLOUR, False, False)


def _series_trace(part: pd.DataFrame, hovers: list[str], name: str, colour: str,
                  joined: bool, planned: bool) -> go.Scatter:
    """One series; joined by a line only when it is one measure of one pair over time."""
    return go.Scatter(
        name=inert.chart_text(name, 80), x=list(part["when"]), y=list(part["y"]),
        hovertext=hovers, hovertemplate="%{hovertext}<extra></extra>",
        mode="lines+markers" if joined else "markers",
        line={"color": colour, "dash": "dash" if planned else "solid"},
        marker={"size": 9, "color": colour, "symbol": "circle-open" if planned else "circle",
                "line": {"width": 2, "color": colour}},
    )  # fmt: skip


def _y_axis(kind: str, option: str, top: float) -> dict[str, Any]:
    if kind == MONEY:
        ticks = numbers.nice_ticks(top, 5)
        return {"title": {"text": "US dollars"}, "rangemode": "tozero", "tickvals": ticks,
                "ticktext": [numbers.usd(t) if t else "0" for t in ticks]}
    if kind == PERCENT:
        return {"title": {"text": "Percent, as stated"}, "rangemode": "tozero", "ticksuffix": "%"}
    return {"title": {"text": f"Number ({inert.chart_text(option, 40)}), as reported"},
            "rangemode": "tozero"}


def _fot_title(kind: str, option: str, period: Optional[str]) -> str:
    title = {MONEY: "Money tied to partner pairs over time", PERCENT: "Percentages over time"}.get(
        kind, f"Counts of {inert.chart_text(option, 40)} over time")
    sub = "one line per pair and measure; lone points are not joined"
    if period:
        sub += f"; {'averaged' if kind == PERCENT else 'summed'} per {period}"
    return f"{title}<br><sup>{sub}</sup>"


def figures_over_time_data(figures: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The figures `figures_over_time` draws for `measure`, one row each: date, series,
    value (USD for money), as written, sentence and article, with its article_id when the
    figures have one (for "download the chart's data", with the article's source)."""
    df = _frame(figures).reset_index(drop=True)
    cols = ["when", "series", "y", "text", "sentence_text", "title"]
    cols += ["article_id"] if "article_id" in df.columns else []
    if df.empty:
        return pd.DataFrame(columns=cols)
    frame, _ = _selected_figures(df, measure)
    out = frame.assign(**{c: _col(df, c).reindex(frame.index) for c in cols[3:]})
    out["when"] = out["when"].dt.strftime("%Y-%m-%d")
    return out[cols].reset_index(drop=True)


def _bucketed(frame: pd.DataFrame, max_points: int) -> tuple[pd.DataFrame, Optional[str]]:
    """Over `max_points` figures, their dates moved to the start of their month (within six
    years) or year, and which; else the figures as they are and None."""
    if frame["n"].sum() <= max(1, int(max_points)):
        return frame, None
    span_days = (frame["last"].max() - frame["when"].min()).days
    period = "month" if span_days <= 6 * 366 else "year"
    periods = frame["when"].dt.to_period("M" if period == "month" else "Y")
    return frame.assign(when=periods.dt.start_time), period


@_never_raise("chart")
def figures_over_time(
    figures: pd.DataFrame, measure: str, max_series: int = 8, max_points: int = 1500
) -> go.Figure:
    """One group of figures over time (an option of `measure_options`: money in USD,
    percentages, or one thing counted), one series per pair and measure.

    Input columns: kind, value, usd, what, measure, pair, event_start (else published),
    event_granularity, title, text, sentence_text; optional deal_measure, deal_status
    (`with_deal_money`). A line joins only one measure of one pair over time; figures of
    no pair, and the series beyond the `max_series` largest, are points in grey. Counts are
    drawn as reported (never added up across articles). Over `max_points` figures, each
    series is summed (percent: averaged) per month or year. Rows may stand for `n` figures
    (a query's sums per day): they are weighed by it.
    """
    df = _frame(figures)
    if df.empty:
        return _empty_figure("No figures for these filters.")
    df = df.reset_index(drop=True)
    frame, kind = _selected_figures(df, measure)
    if frame.empty:
        what = inert.chart_text(measure, 60)
        return _empty_figure(f"No dated figures for “{what}” with these filters.")
    tied = frame[frame["series"] != _NOT_TIED]
    sizes = tied.groupby("series")["n"].sum()
    top = sorted(sizes.index, key=lambda s: (-int(sizes[s]), s))[: max(1, int(max_series))]
    frame, period = _bucketed(frame, max_points)
    fig = go.Figure()
    for i, name in enumerate(top):
        part = frame[frame["series"] == name]
        if period:
            xs, ys, hovers = _aggregated(part, kind, period)
            part = pd.DataFrame({"when": xs, "y": ys})
        else:
            hovers = _point_hovers(df, part, kind)
        joined = part["when"].nunique() > 1
        fig.add_trace(_series_trace(part, hovers, name, _PALETTE[i % len(_PALETTE)], joined,
                                    name.endswith("(planned)")))
    rest = frame[~frame["series"].isin(top)]
    if not rest.empty:
        fig.add_trace(_rest_trace(df, rest, kind, period))
    fig.update_layout(
        height=520, margin={"l": 10, "r": 10, "t": 70, "b": 130},
        title={"text": _fot_title(kind, measure, period), "font": {"size": 14}, "x": 0,
               "xanchor": "left"},
        hoverlabel={"bgcolor": "white", "align": "left"},
        xaxis={"type": "date", "title": {"text": "Date (of the event, else of publication)"},
               "range": _date_range(frame["when"].min(), frame["when"].max())},
        yaxis=_y_axis(kind, measure, float(frame["y"].max())),
        legend=_BOTTOM_LEGEND | {"title": {"text": "Pair · measure:" if kind != "count" else "Pair:",
                                            "side": "left"}},
    )  # fmt: skip
    return fig


@_never_raise("chart")
def money_by_pair(pair_stats: pd.DataFrame, top: int = 20) -> go.Figure:
    """The pairs with most money reached (USD), as horizontal bars: fill in the first
    country's colour, outline in the second's (the title says so).

    Input columns (`pair_stats`): iso3_a, iso3_b (or pair "A–B"), name_a, name_b, usd,
    articles, kinds."""
    df = _frame(pair_stats)
    if df.empty:
        return _empty_figure("No partnerships for these filters.")
    usd = _col(df, "usd").map(_num)
    has = (usd.map(math.isfinite).astype(bool) & (usd > 0)).to_numpy()
    df = df[has].assign(_usd=usd[has].to_numpy())
    if df.empty:
        return _empty_figure("No money figures in these partnerships.")
    df = df.sort_values("_usd", ascending=False, kind="stable").head(max(1, int(top)))
    labels, fills, lines, hovers = [], [], [], []
    for rec in df.to_dict("records"):
        a, b = _iso(rec.get("iso3_a")), _iso(rec.get("iso3_b"))
        if not a or not b:
            a, b = _pair_codes(rec.get("pair"))
        name_a = inert.chart_text(rec.get("name_a"), 40) or a or "?"
        name_b = inert.chart_text(rec.get("name_b"), 40) or b or "?"
        label = f"{name_a} – {name_b}"
        while label in labels:  # category axis: labels must be unique
            label += " "
        labels.append(label)
        fills.append(country_colour(a))
        lines.append(country_colour(b))
        h = f"<b>{name_a} – {name_b}</b><br>Money reached: {numbers.usd(rec['_usd'])}"
        h += f"<br>Articles: {numbers.count(rec.get('articles'))}"
        kinds = inert.chart_text(rec.get("kinds"), 120)
        if kinds:
            h += f"<br>Kinds: {kinds}"
        hovers.append(h)
    fig = go.Figure(
        go.Bar(
            orientation="h", x=df["_usd"].tolist(), y=labels, hovertext=hovers,
            hovertemplate="%{hovertext}<extra></extra>",
            text=[numbers.usd(v) for v in df["_usd"]], textposition="auto", textangle=0,
            marker={"color": fills, "line": {"color": lines, "width": 3}},
        )
    )  # fmt: skip
    ticks = numbers.nice_ticks(float(df["_usd"].max()), 4)
    fig.update_layout(
        height=min(170 + 30 * len(labels), 900),
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        title={"text": "Partner pairs by money reached (USD)<br><sup>Fill: the first country's "
                       "colour; outline: its partner's</sup>", "font": {"size": 14}, "x": 0},
        hoverlabel={"bgcolor": "white", "align": "left"},
        xaxis={"title": {"text": "Money reached, US dollars"}, "tickvals": ticks,
               "ticktext": [numbers.usd(t) if t else "0" for t in ticks]},
        yaxis={"type": "category", "autorange": "reversed", "automargin": True,
               "title": {"text": "Partner pair"}},
    )  # fmt: skip
    return fig


def counts_by_kind_data(figures: pd.DataFrame) -> pd.DataFrame:
    """How many figures of each kind and currency or thing counted: the data of
    `counts_by_kind` (columns kind, detail, figures). Input columns: kind, unit, what, and
    `n` when a row stands for n figures (a query's counts)."""
    df = _frame(figures)
    if df.empty:
        return pd.DataFrame(columns=["kind", "detail", "figures"])
    kinds = _norm_series(_col(df, "kind")).replace("", "other")
    units = _norm_series(_col(df, "unit")).str.upper().replace("", "unknown currency")
    whats = _norm_series(_col(df, "what")).replace("", "unspecified")
    detail = whats.where(kinds != "percent", "%").where(kinds != "money", units)
    n = pd.to_numeric(_col(df, "n"), errors="coerce").fillna(1) if "n" in df.columns else 1
    tab = pd.DataFrame({"kind": kinds.to_numpy(), "detail": detail.to_numpy(), "figures": n})
    return (tab.groupby(["kind", "detail"], as_index=False)["figures"].sum()
            .astype({"figures": int})
            .sort_values(["kind", "figures", "detail"], ascending=[True, False, True], kind="stable")
            .reset_index(drop=True))


@_never_raise("chart")
def counts_by_kind(figures: pd.DataFrame) -> go.Figure:
    """How many figures of each kind (money, percent, count); the hover breaks each kind down
    by currency or by what is counted. Input columns: those of `counts_by_kind_data`."""
    tab = counts_by_kind_data(figures)
    if tab.empty:
        return _empty_figure("No figures for these filters.")
    order = [k for k in ("money", "percent", "count") if k in set(tab["kind"])]
    order += sorted(set(tab["kind"]) - set(order))
    xs, hovers, colours, labels = [], [], [], []
    for k in order:
        part = tab[tab["kind"] == k].sort_values("figures", ascending=False, kind="stable")
        xs.append(int(part["figures"].sum()))
        top = part.head(8)
        lines = "<br>".join(f"{inert.chart_text(d, 40)}: {int(n):,}"
                            for d, n in zip(top["detail"], top["figures"]))
        if len(part) > len(top):
            lines += f"<br>… and {len(part) - len(top)} more"
        hovers.append(f"<b>{inert.chart_text(k)}</b>: {numbers.count(xs[-1])} figures<br>{lines}")
        colours.append(FIGURE_KIND_COLOURS.get(k, kind_colour(k)))
        labels.append(inert.chart_text(k))
    fig = go.Figure(
        go.Bar(
            orientation="h", x=xs, y=labels, text=[f"{x:,}" for x in xs], textposition="auto",
            textangle=0,
            hovertext=hovers, hovertemplate="%{hovertext}<extra></extra>",
            marker={"color": colours},
        )
    )  # fmt: skip
    fig.update_layout(
        height=170 + 45 * len(labels),
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        title={"text": "Figures by kind<br><sup>Hover a bar for its currencies or what is "
                       "counted</sup>", "font": {"size": 14}, "x": 0},
        hoverlabel={"bgcolor": "white", "align": "left"},
        xaxis={"title": {"text": "Number of figures"}},
        yaxis={"type": "category", "autorange": "reversed", "automargin": True,
               "title": {"text": "Kind"}},
    )  # fmt: skip
    return fig
