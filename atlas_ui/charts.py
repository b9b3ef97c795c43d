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
from datetime import date, datetime
from functools import wraps
from typing import Any, Callable, Mapping, Optional, Sequence

import pandas as pd
import plotly.graph_objects as go

from atlas_ui import geo, inert
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
    "partnerships": "Partnerships",
    "usd": "Money (USD)",
}

# A fixed palette (no dependency on plotly's defaults, which may change between releases).
_PALETTE = (
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#393b79", "#ad494a", "#637939", "#8c6d31", "#7b4173", "#3182bd", "#e6550d",
    "#31a354", "#756bb1", "#636363", "#843c39", "#d6616b", "#6b6ecf", "#b5cf6b", "#e7969c",
)  # fmt: skip
_NO_COLOUR = "#9e9e9e"

FIGURE_KIND_COLOURS: dict[str, str] = {"money": "#2ca02c", "percent": "#ff7f0e", "count": "#1f77b4"}

_MAP_HEIGHT = 460
_SMALL_MAP_HEIGHT = 320
_LINE_RGBA = "rgba(33, 66, 140, {a})"
_HILITE_RGBA = "rgba(214, 39, 40, {a})"
_ISO3 = re.compile(r"[A-Z]{3}")
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
    """Money for people: 24200000000 -> "$24.2 bn"; unknown or zero -> "–"."""
    v = _num(value)
    if not math.isfinite(v) or v <= 0:
        return "–"
    for size, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if v >= size:
            return f"${v / size:,.1f}".rstrip("0").rstrip(".") + f" {suffix}"
    return f"${v:,.0f}"


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


def _geo_layout(height: int) -> dict[str, Any]:
    return {
        "height": height,
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "showlegend": False,
        "hoverlabel": {"bgcolor": "white", "font": {"size": 13}, "align": "left"},
        "geo": {
            "scope": geo.TOPOJSON_SCOPE,
            "resolution": geo.TOPOJSON_RESOLUTION,
            "projection": {"type": "natural earth"},
            "showframe": False,
            "showland": True,
            "landcolor": "#eceff1",
            "showcountries": True,
            "countrycolor": "#b0b7bf",
            "countrywidth": 0.5,
            "showcoastlines": True,
            "coastlinecolor": "#b0b7bf",
            "coastlinewidth": 0.5,
            "showocean": True,
            "oceancolor": "#f5f9fc",
            "showlakes": False,
            "lataxis": {"range": [-58, 84]},
            "bgcolor": "rgba(0,0,0,0)",
        },
    }


def _map_figure(
    country_stats: object,
    pair_stats: object,
    measure: str,
    selected: Sequence[str],
    height: int,
    compact: bool,
) -> go.Figure:
    cs = _frame(country_stats)
    ps = _frame(pair_stats)
    if measure not in cs.columns:
        measure = "articles"
    label = MAP_MEASURES.get(measure, str(measure))
    chosen = {c for c in (_iso(s) for s in (selected or ())) if c}

    fig = go.Figure()
    fig.update_layout(**_geo_layout(height))

    # Countries: one row per valid ISO3, the largest value if a code repeats.
    rows: dict[str, dict[str, Any]] = {}
    for rec in cs.to_dict("records"):
        iso3 = _iso(rec.get("iso3"))
        if not iso3:
            continue
        value = _num(rec.get(measure))
        value = value if math.isfinite(value) and value > 0 else 0.0
        if iso3 in rows and rows[iso3]["value"] >= value:
            continue
        name = inert.chart_text(rec.get("name")) or iso3
        hover = (
            f"<b>{name}</b> ({iso3})<br>"
            f"Articles: {_int(rec.get('articles')):,}<br>"
            f"Partnerships: {_int(rec.get('partnerships')):,}<br>"
            f"Money: {fmt_usd(rec.get('usd'))}"
        )
        region = inert.chart_text(rec.get("region"))
        if region:
            hover += f"<br>Region: {region}"
        rows[iso3] = {"iso3": iso3, "value": value, "hover": hover}

    if not rows:
        fig.add_annotation(
            text="No countries to show for these filters.", x=0.5, y=0.5, xref="paper",
            yref="paper", showarrow=False, font={"size": 15, "color": "#555"},
            bgcolor="rgba(255,255,255,0.8)",
        )  # fmt: skip
        fig.update_layout(meta={"empty": True})
        # An invisible choropleth still makes plotly load and draw the land and borders.
        fig.add_trace(go.Choropleth(locations=[], z=[], showscale=False, hoverinfo="skip"))
        return fig

    values = [r["value"] for r in rows.values()]
    if measure == "usd":  # money spans orders of magnitude: colour by log10
        zs = [math.log10(v + 1.0) for v in values]
        top = max(zs) if zs else 1.0
        ticks = list(range(0, int(math.floor(top)) + 1, max(1, int(top) // 5 or 1)))
        colorbar = {"title": {"text": label}, "tickvals": ticks,
                    "ticktext": [fmt_usd(10**t) if t else "$0" for t in ticks]}  # fmt: skip
    else:
        zs = values
        top = max(zs) if zs else 1.0
        colorbar = {"title": {"text": label}}
    top = top if top > 0 else 1.0
    fig.update_layout(
        coloraxis={
            "colorscale": "Blues", "cmin": 0, "cmax": top,
            "colorbar": {**colorbar, "thickness": 12, "len": 0.6},
            "showscale": not compact,
        }
    )  # fmt: skip

    isos = list(rows)
    fig.add_trace(
        go.Choropleth(
            name="countries",
            locations=isos,
            z=zs,
            customdata=[[i] for i in isos],
            locationmode="ISO-3",
            coloraxis="coloraxis",
            hovertext=[rows[i]["hover"] for i in isos],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={
                "line": {
                    "color": [country_colour(i) if i in chosen else "#ffffff" for i in isos],
                    "width": [2.5 if i in chosen else 0.4 for i in isos],
                }
            },
        )
    )

    # Partner lines, binned by width (one trace per width/highlight: plotly lines take one
    # width per trace), and a hover marker at each line's midpoint.
    pair_rows = []
    for rec in ps.to_dict("records"):
        a, b = _iso(rec.get("iso3_a")), _iso(rec.get("iso3_b"))
        if not a or not b:
            a, b = _pair_codes(rec.get("pair"))
        ca, cb = geo.centroid(a), geo.centroid(b)
        if ca is None or cb is None or a == b:
            continue
        pair_rows.append((a, b, ca, cb, rec))
    if pair_rows:
        most = max(max(_int(r[4].get("articles")), 1) for r in pair_rows)
        bins: dict[tuple[float, bool], tuple[list, list]] = {}
        mid_lon, mid_lat, mid_hover, mid_size, mid_codes = [], [], [], [], []
        for a, b, ca, cb, rec in pair_rows:
            n = max(_int(rec.get("articles")), 1)
            width = round(1.0 + 5.0 * math.sqrt(n / most)) if most > 1 else 1.5
            hot = bool(chosen) and (a in chosen or b in chosen)
            lons, lats = bins.setdefault((float(width), hot), ([], []))
            lons += [ca.lon, cb.lon, None]
            lats += [ca.lat, cb.lat, None]
            mlon, mlat = geo.midpoint((ca.lon, ca.lat), (cb.lon, cb.lat))
            mid_lon.append(mlon)
            mid_lat.append(mlat)
            mid_size.append(5 + 7 * math.sqrt(n / most))
            mid_codes.append([a, b])  # for click-to-filter: the pair's countries
            name_a = inert.chart_text(rec.get("name_a")) or a
            name_b = inert.chart_text(rec.get("name_b")) or b
            hover = (
                f"<b>{name_a} – {name_b}</b><br>Articles: {n:,}<br>"
                f"Money: {fmt_usd(rec.get('usd'))}"
            )
            for key, title in (("kinds", "Kinds"), ("sectors", "Sectors")):
                val = inert.chart_text(rec.get(key), 120)
                if val:
                    hover += f"<br>{title}: {val}"
            first, last = inert.chart_text(rec.get("first_date"), 10), inert.chart_text(rec.get("last_date"), 10)
            if first or last:
                hover += f"<br>Dates: {first}{' to ' + last if last and last != first else ''}"
            mid_hover.append(hover)
        for (width, hot), (lons, lats) in sorted(bins.items()):
            alpha = 0.85 if hot else (0.15 if chosen else 0.55)
            fig.add_trace(
                go.Scattergeo(
                    name="partner lines",
                    lon=lons, lat=lats, mode="lines", hoverinfo="skip",
                    line={"width": width,
                          "color": (_HILITE_RGBA if hot else _LINE_RGBA).format(a=alpha)},
                )
            )  # fmt: skip
        fig.add_trace(
            go.Scattergeo(
                name="partnerships",
                lon=mid_lon, lat=mid_lat, mode="markers", customdata=mid_codes,
                hovertext=mid_hover, hovertemplate="%{hovertext}<extra></extra>",
                marker={"size": mid_size, "color": "white", "opacity": 0.95, "symbol": "diamond",
                        "line": {"width": 1.2, "color": _LINE_RGBA.format(a=0.9)}},
            )
        )  # fmt: skip

    # Markers for countries too small (or absent) on the map, coloured like their fill.
    small = [i for i in isos if geo.centroid(i) is not None and geo.centroid(i).small]  # type: ignore[union-attr]
    if small:
        z_of = dict(zip(isos, zs))
        fig.add_trace(
            go.Scattergeo(
                name="small countries",
                lon=[geo.centroid(i).lon for i in small],  # type: ignore[union-attr]
                lat=[geo.centroid(i).lat for i in small],  # type: ignore[union-attr]
                mode="markers",
                customdata=[[i] for i in small],
                hovertext=[rows[i]["hover"] for i in small],
                hovertemplate="%{hovertext}<extra></extra>",
                marker={
                    "size": 9 if not compact else 7,
                    "color": [z_of[i] for i in small],
                    "coloraxis": "coloraxis",
                    "line": {"width": [2.5 if i in chosen else 1.5 for i in small],
                             "color": [country_colour(i) for i in small]},
                },
            )
        )  # fmt: skip
    return fig


@_never_raise("map")
def country_map(
    country_stats: pd.DataFrame,
    pair_stats: pd.DataFrame,
    measure: str = "articles",
    selected: Sequence[str] = (),
) -> go.Figure:
    """World map: countries shaded by `measure` (a `country_stats` column, see MAP_MEASURES),
    lines between partners (width by articles, hover at the midpoint), markers on small
    countries, `selected` ISO3 codes outlined in their colour and their lines highlighted."""
    return _map_figure(country_stats, pair_stats, measure, selected, _MAP_HEIGHT, compact=False)


@_never_raise("map")
def small_map(country_stats: pd.DataFrame, pair_stats: pd.DataFrame) -> go.Figure:
    """A compact map for the overview: shaded by articles, no colour bar."""
    return _map_figure(country_stats, pair_stats, "articles", (), _SMALL_MAP_HEIGHT, compact=True)


# --- timeline -------------------------------------------------------------------------------


def _lanes(df: pd.DataFrame) -> pd.Series:
    """The lane of each event: its pair label, else "A–B" from its codes; None without."""
    lane = _col(df, "pair").map(lambda p: p.strip() if isinstance(p, str) and p.strip() else None)
    missing = lane.isna()
    if missing.any():
        a = _col(df, "iso3_a")[missing].map(_iso)
        b = _col(df, "iso3_b")[missing].map(_iso)
        lane[missing] = [f"{x}–{y}" if x and y else None for x, y in zip(a, b)]
    return lane.astype(object)


@_never_raise("timeline")
def timeline(events: pd.DataFrame, max_lanes: int = 40, max_events: int = 3000,
             lane_counts: Optional[Mapping[str, int]] = None,
             in_lanes: Optional[int] = None) -> go.Figure:
    """Each partnership event (article × pair) on a time axis, one lane per pair.

    Events dated to the month or year are bars spanning that period (not a false day);
    day-dated events are diamonds; events with no date of their own sit at the article's
    publication date as open circles. Colour is the partnership kind. The busiest
    `max_lanes` pairs are shown, and at most `max_events` events (the latest), so that a
    large database stays quick to draw. A query that fetched only those events passes every
    pair's count of events (`lane_counts`) and how many events the shown lanes hold
    (`in_lanes`), so the chart says what it leaves out.
    """
    df = _frame(events)
    if df.empty:
        return _empty_figure("No partnership events for these filters.")
    df = df.reset_index(drop=True)
    lane = _lanes(df)
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
        by_len = ev_date.map(granularity_of)
        gran = gran.where(~from_text | gran.notna(), by_len)
    no_date = start.isna()
    start = start.where(~no_date, published)
    end = end.where(~no_date, published)
    gran = gran.where(~no_date, "published").where(lambda g: g.notna(), "day")
    end = end.where(end.notna() & (end >= start), start)
    valid = lane.notna() & start.notna()
    if not valid.any():
        return _empty_figure("No dated partnership events for these filters.")

    counts = dict(lane_counts) if lane_counts else lane[valid].value_counts().to_dict()
    lanes = sorted(counts, key=lambda k: (-counts[k], k))
    shown = lanes[: max(1, int(max_lanes))]
    keep = valid & lane.isin(shown)
    dropped_events = 0
    if int(keep.sum()) > max(1, int(max_events)):  # the latest events only
        latest = start[keep].sort_values(ascending=False, kind="stable").index[: int(max_events)]
        dropped_events = int(keep.sum()) - len(latest)
        keep = pd.Series(df.index.isin(latest), index=df.index)
    if in_lanes is not None:
        dropped_events = max(dropped_events, int(in_lanes) - int(keep.sum()))
    rows = df[keep.to_numpy()]
    items = list(
        zip(lane[keep], start[keep], end[keep], gran[keep], rows.to_dict("records"))
    )

    groups: dict[tuple[str, str], dict[str, list]] = {}
    for lane, s, e, g, rec in items:
        kind = _norm(rec.get("kind")) or "other"
        shape = "bar" if g in ("month", "year") else g
        grp = groups.setdefault((kind, shape), {"y": [], "x": [], "base": [], "hover": []})
        title = inert.chart_text(rec.get("title"), 140) or "(untitled article)"
        status = inert.chart_text(rec.get("status"), 40)
        when = (
            f"published {s:%Y-%m-%d} (no event date)"
            if g == "published"
            else f"{_date_label(s, g)}" + ("" if g == "day" else f" (known to the {g})")
        )
        hover = f"<b>{title}</b><br>{inert.chart_text(lane)} · {inert.chart_text(kind)}"
        hover += f" ({status})" if status else ""
        hover += f"<br>{when}"
        figs = inert.chart_text(rec.get("figures_text"), 200)
        if figs:
            hover += f"<br>Figures: {figs}"
        if math.isfinite(_num(rec.get("usd"))) and _num(rec.get("usd")) > 0:
            hover += f"<br>Money: {fmt_usd(rec.get('usd'))}"
        sectors = inert.chart_text(rec.get("sectors"), 100)
        if sectors:
            hover += f"<br>Sectors: {sectors}"
        grp["y"].append(inert.chart_text(lane))
        grp["hover"].append(hover)
        if shape == "bar":
            s, e = pd.Timestamp(s), pd.Timestamp(e)
            if e <= s:  # no end given: the end of the month or year that starts at s
                e = s + (pd.offsets.MonthEnd(0) if g == "month" else pd.offsets.YearEnd(0))
            last = e + pd.Timedelta(days=1)  # end is the period's last day
            grp["base"].append(pd.Timestamp(s).isoformat())
            grp["x"].append((last - pd.Timestamp(s)).total_seconds() * 1000.0)
        else:
            grp["x"].append(pd.Timestamp(s).isoformat())

    fig = go.Figure()
    seen_kinds: set[str] = set()
    for (kind, shape), grp in sorted(groups.items()):
        colour = kind_colour(kind)
        common = {
            "name": inert.chart_text(kind), "legendgroup": kind, "showlegend": kind not in seen_kinds,
            "y": grp["y"], "hovertext": grp["hover"], "hovertemplate": "%{hovertext}<extra></extra>",
        }  # fmt: skip
        seen_kinds.add(kind)
        if shape == "bar":
            fig.add_trace(
                go.Bar(
                    orientation="h", x=grp["x"], base=grp["base"], width=0.6,
                    marker={"color": colour, "opacity": 0.45, "line": {"color": colour, "width": 1}},
                    **common,
                )
            )  # fmt: skip
        else:
            hollow = shape == "published"
            fig.add_trace(
                go.Scatter(
                    mode="markers", x=grp["x"],
                    marker={"symbol": "circle-open" if hollow else "diamond", "size": 11,
                            "color": colour, "line": {"width": 2 if hollow else 1,
                                                      "color": colour if hollow else "white"}},
                    **common,
                )
            )  # fmt: skip
    x_range = _date_range(start[keep].min(), end[keep].max())
    order = [inert.chart_text(lane) for lane in shown]
    notes = []
    if len(lanes) > len(shown):
        notes.append(f"the {len(shown)} pairs with most events (of {len(lanes)})")
    if dropped_events:
        notes.append(f"the latest {int(max_events):,} events ({dropped_events:,} earlier not drawn)")
    title = ("Showing " + " and ".join(notes)) if notes else None
    fig.update_layout(
        height=min(140 + 28 * len(shown), 1600),
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        title={"text": title, "font": {"size": 13}} if title else None,
        barmode="overlay",
        hoverlabel={"bgcolor": "white", "align": "left"},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "title": {"text": ""}},
        xaxis={"type": "date", "title": None, "showgrid": True, "range": x_range},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": order[::-1],
               "title": None, "automargin": True},
    )  # fmt: skip
    return fig


# --- figures ---------------------------------------------------------------------------------


def measure_options(figures: pd.DataFrame, limit: int = 50) -> list[str]:
    """The measures `figures_over_time` can draw, most frequent first: what sentences say
    they measure ("trade turnover") and what counts count ("project"), plus "money"."""
    df = _frame(figures)
    if df.empty:
        return []
    tally: dict[str, int] = {}
    label: dict[str, str] = {}
    for col in ("measure", "what"):
        raw = _col(df, col)
        keys = _norm_series(raw)
        has = keys != ""
        for key, n in keys[has].value_counts().items():
            tally[key] = tally.get(key, 0) + int(n)
        firsts = raw[has].groupby(keys[has].to_numpy(), sort=False).first()
        for key, v in firsts.items():
            label.setdefault(key, _SPACE.sub(" ", str(v)).strip())
    opts = [label[k] for k in sorted(tally, key=lambda k: (-tally[k], k))]
    if (_norm_series(_col(df, "kind")) == "money").any():
        opts.insert(0, "money")
    return opts[: max(1, limit)]


def _norm_series(series: pd.Series) -> pd.Series:
    """`_norm` over a column, vectorised (the figures frame has tens of thousands of rows)."""
    is_str = series.map(lambda v: isinstance(v, str)).astype(bool)
    out = pd.Series("", index=series.index, dtype=object)
    if is_str.any():
        out[is_str] = (
            series[is_str].astype(str).str.replace(_SPACE, " ", regex=True).str.strip().str.casefold()
        )
    return out


@_never_raise("chart")
def figures_over_time(
    figures: pd.DataFrame, measure: str, max_series: int = 8, max_points: int = 1500
) -> go.Figure:
    """One measure over time, one line per pair (the `max_series` busiest, then the rest).

    `measure` matches the figures' `measure` ("trade turnover") or a count's `what`
    ("memorandum", "project"), case-insensitively; "money" takes every money figure.
    Money is drawn in USD, percents as stated, counts as a running (cumulative) total.
    Up to `max_points` figures are drawn one by one with their sentence; more are summed
    per month or year (percent: averaged), so a large database stays quick to draw. Rows
    may stand for `n` figures (a query's sums per day): they are weighed by it.
    """
    df = _frame(figures)
    if df.empty:
        return _empty_figure("No figures for these filters.")
    df = df.reset_index(drop=True)
    key = _norm(measure)
    kinds = _norm_series(_col(df, "kind"))
    if key in ("money", "all money", "usd", ""):
        mask = kinds == "money"
    else:
        mask = (_norm_series(_col(df, "measure")) == key) | (_norm_series(_col(df, "what")) == key)
    if not mask.any():
        return _empty_figure(f"No figures for “{measure}” with these filters.")
    modes = kinds[mask].mode()
    kind = modes.iloc[0] if not modes.empty else "count"
    mask &= kinds == kind

    when = _dates(_col(df, "event_start"))
    if when[mask].isna().all() and "published" in df.columns:
        when = _dates(df["published"])
    y = pd.to_numeric(_col(df, "usd" if kind == "money" else "value"), errors="coerce")
    y = y.astype(float)
    mask &= when.notna() & y.map(math.isfinite).astype(bool)
    if not mask.any():
        what = "dated figures in USD" if kind == "money" else "dated figures"
        return _empty_figure(f"No {what} for “{measure}” with these filters.")

    pairs = _col(df, "pair")[mask].map(
        lambda p: p.strip() if isinstance(p, str) and p.strip() else "no pair"
    )  # fmt: skip
    weight = (pd.to_numeric(df["n"], errors="coerce").fillna(1) if "n" in df.columns
              else pd.Series(1, index=df.index))[mask]
    by_pair = weight.groupby(pairs.to_numpy()).sum().sort_values(ascending=False, kind="stable")
    top = list(by_pair.index[: max(1, int(max_series))])
    pairs = pairs.where(pairs.isin(top), "other pairs")
    frame = pd.DataFrame({"when": when[mask], "y": y[mask], "pair": pairs, "n": weight})
    frame = frame.sort_values("when", kind="stable")
    aggregated = frame["n"].sum() > max(1, int(max_points))
    period = "year"
    if aggregated:
        span_days = (frame["when"].max() - frame["when"].min()).days
        period = "month" if span_days <= 6 * 366 else "year"
        frame["when"] = frame["when"].dt.to_period("M" if period == "month" else "Y").dt.start_time

    unit_label = {"money": "USD", "percent": "%"}.get(kind, "running total")
    fig = go.Figure()
    for pair in [*top, "other pairs"]:
        part = frame[frame["pair"] == pair]
        if part.empty:
            continue
        if aggregated:
            g = part.groupby("when", sort=True)
            n = g["n"].sum()
            per = g["y"].sum() / n if kind == "percent" else g["y"].sum()
            xs = per.index
            ys = per.cumsum() if kind == "count" else per
            verb = "average" if kind == "percent" else "total"
            hovers = [
                f"<b>{inert.chart_text(pair)}</b> · {_date_label(w, period)}<br>{int(k):,} figures, {verb} "
                + (fmt_usd(v) if kind == "money" else f"{v:,.1f}%" if kind == "percent"
                   else f"{v:,.0f} (running total {r:,.0f})")
                for w, k, v, r in zip(xs, n, per, ys)
            ]  # fmt: skip
        else:
            xs = part["when"]
            ys = part["y"].cumsum() if kind == "count" else part["y"]
            hovers = []
            for idx, yv, w in zip(part.index, ys, xs):
                rec = df.loc[idx]
                h = f"<b>{inert.chart_text(rec.get('title'), 120) or '(untitled article)'}</b>"
                h += f"<br>{inert.chart_text(pair)} · {_date_label(w, rec.get('event_granularity'))}"
                h += f"<br>{inert.chart_text(rec.get('text'), 80)}"
                if kind == "money":
                    h += f" ≈ {fmt_usd(rec.get('usd'))}"
                elif kind == "count":
                    h += f" (running total {yv:,.0f})"
                sentence = inert.chart_text(rec.get("sentence_text"), 220)
                if sentence:
                    h += f"<br><i>{sentence}</i>"
                hovers.append(h)
        a, _ = _pair_codes(pair)
        fig.add_trace(
            go.Scatter(
                name=inert.chart_text(pair), x=list(xs), y=list(ys), hovertext=hovers,
                hovertemplate="%{hovertext}<extra></extra>",
                mode="lines+markers" if pd.Series(xs).nunique() > 1 else "markers",
                line={"shape": "hv" if kind == "count" else "linear",
                      "color": country_colour(a) if a else _NO_COLOUR},
                marker={"size": 8},
            )
        )  # fmt: skip
    if kind == "count" and frame["pair"].nunique() > 1:  # the running total over all pairs
        total = frame.groupby("when", sort=True)["y"].sum().cumsum()
        fig.add_trace(
            go.Scatter(
                name="all pairs", x=list(total.index), y=list(total), mode="lines",
                line={"shape": "hv", "dash": "dot", "color": "#444"}, hoverinfo="skip",
            )
        )  # fmt: skip
    label = inert.chart_text(measure, 60) or "money"
    if aggregated:
        how = "average" if kind == "percent" else "sum"
        label += f", {how} per {period}"
    fig.update_layout(
        height=420,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        title={"text": f"{label} ({unit_label})", "font": {"size": 14}},
        hoverlabel={"bgcolor": "white", "align": "left"},
        xaxis={"type": "date", "title": None,
               "range": _date_range(frame["when"].min(), frame["when"].max())},
        yaxis={"title": unit_label, "rangemode": "tozero",
               "tickprefix": "$" if kind == "money" else "",
               "ticksuffix": "%" if kind == "percent" else ""},
        legend={"title": {"text": "Pair"}},
    )  # fmt: skip
    return fig


@_never_raise("chart")
def money_by_pair(pair_stats: pd.DataFrame, top: int = 20) -> go.Figure:
    """The pairs with most money (USD) in their articles, as horizontal bars: fill in the
    first country's colour, outline in the second's."""
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
        h = f"<b>{name_a} – {name_b}</b><br>Money: {fmt_usd(rec['_usd'])}"
        h += f"<br>Articles: {_int(rec.get('articles')):,}"
        kinds = inert.chart_text(rec.get("kinds"), 120)
        if kinds:
            h += f"<br>Kinds: {kinds}"
        hovers.append(h)
    fig = go.Figure(
        go.Bar(
            orientation="h", x=df["_usd"].tolist(), y=labels, hovertext=hovers,
            hovertemplate="%{hovertext}<extra></extra>",
            text=[fmt_usd(v) for v in df["_usd"]], textposition="auto", textangle=0,
            marker={"color": fills, "line": {"color": lines, "width": 3}},
        )
    )  # fmt: skip
    fig.update_layout(
        height=min(120 + 30 * len(labels), 900),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        hoverlabel={"bgcolor": "white", "align": "left"},
        xaxis={"title": "USD", "tickprefix": "$"},
        yaxis={"type": "category", "autorange": "reversed", "automargin": True, "title": None},
    )  # fmt: skip
    return fig


@_never_raise("chart")
def counts_by_kind(figures: pd.DataFrame) -> go.Figure:
    """How many figures of each kind (money, percent, count); the hover breaks each kind down
    by currency or by what is counted."""
    df = _frame(figures)
    if df.empty:
        return _empty_figure("No figures for these filters.")
    kinds = _norm_series(_col(df, "kind")).replace("", "other")
    units = _norm_series(_col(df, "unit")).str.upper().replace("", "unknown currency")
    whats = _norm_series(_col(df, "what")).replace("", "unspecified")
    detail = whats.where(kinds != "percent", "%").where(kinds != "money", units)
    n = pd.to_numeric(_col(df, "n"), errors="coerce").fillna(1) if "n" in df.columns else 1
    tab = pd.DataFrame({"kind": kinds.to_numpy(), "detail": detail.to_numpy(), "n": n})
    order = [k for k in ("money", "percent", "count") if k in set(tab["kind"])]
    order += sorted(set(tab["kind"]) - set(order))
    xs, hovers, colours, labels = [], [], [], []
    for k in order:
        part = tab[tab["kind"] == k]
        xs.append(int(part["n"].sum()))
        top = part.groupby("detail")["n"].sum().sort_values(ascending=False, kind="stable").head(8)
        more = len(part["detail"].unique()) - len(top)
        lines = "<br>".join(f"{inert.chart_text(d, 40)}: {int(n):,}" for d, n in top.items())
        if more > 0:
            lines += f"<br>… and {more} more"
        hovers.append(f"<b>{inert.chart_text(k)}</b>: {xs[-1]:,} figures<br>{lines}")
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
        height=120 + 45 * len(labels),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        hoverlabel={"bgcolor": "white", "align": "left"},
        xaxis={"title": "Figures"},
        yaxis={"type": "category", "autorange": "reversed", "automargin": True, "title": None},
    )  # fmt: skip
    return fig
