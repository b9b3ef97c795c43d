"""Charts and map geometry: built on hand-made frames with the column names of the queries."""
from __future__ import annotations

import json
import re
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pycountry
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas_ui import charts, geo

ROOT = Path(__file__).resolve().parent.parent
XSS = "<img src=x onerror=alert(2)><script>alert(1)</script>"


def _countries(rows):
    cols = ["iso3", "name", "articles", "partnerships", "usd", "region"]
    return pd.DataFrame(rows, columns=cols)


def _pairs(rows):
    cols = ["iso3_a", "iso3_b", "name_a", "name_b", "pair", "articles", "usd", "kinds", "sectors",
            "first_date", "last_date"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


COUNTRIES = _countries(
    [
        ("KAZ", "Kazakhstan", 9, 6, 2.4e10, "Central Asia"),
        ("CHN", "China", 12, 8, 3.0e10, "East Asia"),
        ("SGP", "Singapore", 2, 1, 0.0, "South-East Asia"),
        ("BHR", "Bahrain", 1, 1, None, "Middle East"),
        ("FJI", XSS, 1, 1, 5e6, XSS),
        ("XX", "bad code", 1, 1, 1.0, None),
        (None, "no code", 1, 1, 1.0, None),
    ]
)
PAIRS = _pairs(
    [
        ("CHN", "KAZ", "China", "Kazakhstan", "CHN–KAZ", 8, 2.4e10, "trade; talks", "energy",
         "2023-01-01", "2024-05-01"),
        ("KAZ", "SGP", "Kazakhstan", "Singapore", "KAZ–SGP", 2, 1e9, "agreement", XSS, None, None),
        ("BHR", "CHN", "Bahrain", "China", "BHR–CHN", 1, None, XSS, None, None, None),
        ("CHN", "QQQ", "China", "Nowhere", "CHN–QQQ", 5, None, "", "", None, None),
    ]
)  # fmt: skip


def _events(rows):
    cols = ["article_id", "title", "published", "iso3_a", "iso3_b", "pair", "kind", "status",
            "sectors", "organisations", "places", "evidence", "figures_text", "usd", "event_date",
            "event_granularity", "event_start", "event_end"]  # fmt: skip
    df = pd.DataFrame(rows, columns=cols)
    df["event_start"] = pd.to_datetime(df["event_start"])
    df["event_end"] = pd.to_datetime(df["event_end"])
    return df


def _event(aid, pair, kind, date, gran, start, end, title="An article", published="2024-06-01",
           usd=None, figures=""):  # fmt: skip
    a, b = pair.split("–")
    return (aid, title, published, a, b, pair, kind, "signed", "trade", "", "", "", figures, usd,
            date, gran, start, end)  # fmt: skip


EVENTS = _events(
    [
        _event("m", "CHN–KAZ", "agreement", "2024-03", "month", "2024-03-01", "2024-03-31",
               usd=1e9, figures="$1 bn"),
        _event("y", "CHN–KAZ", "trade", "2023", "year", "2023-01-01", "2023-12-31"),
        _event("d", "KAZ–SGP", "project", "2022-06-03", "day", "2022-06-03", "2022-06-03",
               title=XSS),
        _event("p", "KAZ–SGP", "talks", None, None, None, None, published="2021-02-10"),
        _event("n", "BHR–CHN", "talks", None, None, None, None, published=None),
    ]
)  # fmt: skip


def _figures(rows):
    cols = ["article_id", "title", "kind", "value", "unit", "what", "qualifier", "measure", "usd",
            "text", "sentence_text", "pair", "event_date", "event_granularity", "event_start"]
    df = pd.DataFrame(rows, columns=cols)
    df["event_start"] = pd.to_datetime(df["event_start"])
    return df


FIGURES = _figures(
    [
        ("a", "T1", "money", 2.0e10, "USD", None, None, "Trade turnover", 2.0e10, "$20 bn",
         "Trade turnover reached $20 bn.", "CHN–KAZ", "2022", "year", "2022-01-01"),
        ("b", "T2", "money", 2.2e10, "EUR", None, None, "trade turnover", 2.4e10, "€22 bn",
         XSS, "CHN–KAZ", "2023", "year", "2023-01-01"),
        ("c", XSS, "count", 5, None, "project", None, None, None, "5 projects", "s", "KAZ–SGP",
         "2023-05", "month", "2023-05-01"),
        ("d", "T4", "count", 7, None, "project", None, None, None, "7 projects", "s", "KAZ–SGP",
         "2024-01-02", "day", "2024-01-02"),
        ("e", "T5", "count", 3, None, "project", None, None, None, "3 projects", "s", None,
         "2021", "year", "2021-01-01"),
        ("f", "T6", "percent", 35, "%", None, None, "growth", None, "35%", "s", "CHN–KAZ",
         None, None, None),
        ("g", "T7", "money", 1e6, "JPY", None, None, "loan", None, "¥1 m", "s", None,
         "2024", "year", "2024-01-01"),
    ]
)  # fmt: skip


def _trace(fig: go.Figure, name: str):
    found = [t for t in fig.data if t.name == name]
    return found[0] if found else None


def _is_empty(fig: go.Figure) -> bool:
    return bool(fig.layout.meta and fig.layout.meta.get("empty"))


def _all_strings(fig: go.Figure) -> str:
    """Every string in the figure, decoded (to_json writes "<" as a \\u escape)."""
    out: list[str] = []

    def walk(node):
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(json.loads(fig.to_json()))
    return "\n".join(out)


# --- colours and formatting -------------------------------------------------------------------


@pytest.mark.parametrize("code", ["KAZ", "CHN", "SGP", "USA", "BHR"])
def test_country_colour_is_stable_across_processes_and_case(code):
    # Guards against hash(): str hashes change per process, colours must not.
    out = subprocess.run(
        [sys.executable, "-c", f"from atlas_ui.charts import country_colour; print(country_colour('{code}'))"],
        capture_output=True, text=True, cwd=ROOT, check=True,
    ).stdout.strip()  # fmt: skip
    assert out == charts.country_colour(code) == charts.country_colour(code.lower() + " ")
    assert out.startswith("#") and len(out) == 7


@pytest.mark.parametrize("bad", [None, "", "   ", 3, float("nan")])
def test_country_colour_of_nothing_is_neutral(bad):
    assert charts.country_colour(bad) == charts._NO_COLOUR


def test_country_colours_differ_between_countries():
    colours = {charts.country_colour(c.alpha_3) for c in pycountry.countries}
    assert len(colours) == len(charts._PALETTE)


def test_fmt_usd_is_the_one_number_writer():
    # the table of cases lives in test_numbers.py; charts only delegate
    assert charts.fmt_usd(24.2e9) == "$24.2 bn" and charts.fmt_usd(0) == "–"


def test_topojson_url_points_at_the_bundled_file():
    url = charts.PLOTLY_CONFIG["topojsonURL"]
    assert not url.startswith(("/", "http")), "relative, so it works under a base path"
    # plotly.js: url + ("/" unless it ends with one) + f"{scope}_{resolution}m.json"
    name = f"{geo.TOPOJSON_SCOPE}_{geo.TOPOJSON_RESOLUTION}m.json"
    served = (url if url.endswith("/") else url + "/") + name
    assert served.startswith("app/static/")  # Streamlit's static route for ./static
    local = ROOT / "static" / served[len("app/static/") :]
    assert local == geo.topojson_path() and local.is_file()
    ids = {g.get("id") for g in json.loads(local.read_text())["objects"]["countries"]["geometries"]}
    assert {"SGP", "BHR", "MLT", "KAZ", "CHN"} <= ids


def test_static_serving_is_on():
    text = (ROOT / ".streamlit" / "config.toml").read_text()
    assert "enableStaticServing = true" in text


def test_centroid_table_matches_the_topojson():
    built = geo.build_centroid_rows(json.loads(geo.topojson_path().read_text()))
    table = geo.centroids()
    assert len(built) == len(table)
    for row in built:
        c = table[row["iso3"]]
        assert (c.lon, c.lat, c.area_km2) == (row["lon"], row["lat"], row["area_km2"])


def test_every_iso_country_has_a_centroid():
    missing = [c.alpha_3 for c in pycountry.countries if geo.centroid(c.alpha_3) is None]
    assert missing == []


@pytest.mark.parametrize(
    "iso3, small",
    [("SGP", True), ("BHR", True), ("MLT", True), ("LUX", True), ("TUV", True),
     ("CHN", False), ("KAZ", False), ("FJI", True), ("RUS", False), ("CHE", False),
     ("QQQ", False), (None, False)],
)  # fmt: skip
def test_small_countries(iso3, small):
    assert geo.is_small(iso3) is small


@pytest.mark.parametrize(
    "iso3, low, high",
    [("RUS", 15e6, 18e6), ("USA", 9e6, 10e6), ("FJI", 15e3, 20e3), ("SGP", 300, 800)],
)
def test_areas_are_plausible(iso3, low, high):
    # Fiji straddles the antimeridian: a naive ring area made it 600,000 km².
    assert low <= geo.centroid(iso3).area_km2 <= high


@pytest.mark.parametrize(
    "a, b, expected",
    [((0, 0), (90, 0), (45, 0)), ((170, 0), (-170, 0), (180, 0)), ((10, 20), (10, 20), (10, 20)),
     ((0, 0), (0, 60), (0, 30))],
)  # fmt: skip
def test_midpoint_is_on_the_great_circle(a, b, expected):
    lon, lat = geo.midpoint(a, b)
    assert abs(((lon - expected[0] + 180) % 360) - 180) < 1e-6 and abs(lat - expected[1]) < 1e-6


# --- maps ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("measure, shaded, grey", [
    ("articles", ["KAZ", "CHN", "SGP", "BHR", "FJI"], []),
    ("partnerships", ["KAZ", "CHN", "SGP", "BHR", "FJI"], []),
    # no money (0 or missing) is not the bottom of the scale: grey, apart ("–" in the hover)
    ("usd", ["KAZ", "CHN", "FJI"], ["SGP", "BHR"]),
])  # fmt: skip
def test_map_shades_countries_by_measure(measure, shaded, grey):
    fig = charts.country_map(COUNTRIES, PAIRS, measure)
    chor = _trace(fig, "countries")
    assert list(chor.locations) == shaded  # bad codes dropped
    raw = COUNTRIES.set_index("iso3").loc[shaded, measure].tolist()
    assert list(chor.z) == pytest.approx(raw)  # linear: the values themselves
    no_value = _trace(fig, "no value")
    assert (list(no_value.locations) if no_value else []) == grey
    small_grey = _trace(fig, "small countries, no value")  # SGP, BHR are small: grey circles
    assert ({c[0] for c in small_grey.customdata} if small_grey else set()) == set(grey)
    assert fig.layout.geo.resolution == 50 and fig.layout.geo.scope == "world"
    assert chor.locationmode == "ISO-3"


def test_map_falls_back_to_articles_for_unknown_measure():
    fig = charts.country_map(COUNTRIES, PAIRS, "no such column")
    assert list(_trace(fig, "countries").z) == [9, 12, 2, 1, 1]


def test_map_lines_skip_pairs_without_a_place_and_widen_with_articles():
    fig = charts.country_map(COUNTRIES, PAIRS, "articles")
    lines = [t for t in fig.data if t.name == "partner lines"]
    segments = sum(list(t.lon).count(None) for t in lines)
    assert segments == 3  # CHN–QQQ has no centroid
    widths = {t.line.width for t in lines}
    assert max(widths) > min(widths)
    mids = _trace(fig, "partnerships")
    assert len(mids.lon) == 3
    assert [list(c) for c in mids.customdata] == [["CHN", "KAZ"], ["KAZ", "SGP"], ["BHR", "CHN"]]
    assert "China – Kazakhstan" in mids.hovertext[0] and "$24 bn" in mids.hovertext[0]
    assert "Money reached: –" in mids.hovertext[2]  # BHR–CHN has none: never "$0"
    lon, lat = geo.midpoint((geo.centroid("CHN").lon, geo.centroid("CHN").lat),
                            (geo.centroid("KAZ").lon, geo.centroid("KAZ").lat))  # fmt: skip
    assert (mids.lon[0], mids.lat[0]) == pytest.approx((lon, lat))


def test_small_countries_get_hover_markers_big_ones_do_not():
    fig = charts.country_map(COUNTRIES, PAIRS, "articles")
    small = _trace(fig, "small countries")
    assert set(zip(small.lon, small.lat)) == {
        (geo.centroid(c).lon, geo.centroid(c).lat) for c in ("SGP", "BHR", "FJI")
    }
    assert any("Singapore" in h for h in small.hovertext)
    assert {c[0] for c in small.customdata} == {"SGP", "BHR", "FJI"}  # click-to-filter reads it
    assert small.marker.coloraxis == _trace(fig, "countries").coloraxis == "coloraxis"


def test_selected_countries_are_outlined_and_their_lines_highlighted():
    fig = charts.country_map(COUNTRIES, PAIRS, "articles", selected=["sgp"])
    chor = _trace(fig, "countries")
    widths = dict(zip(chor.locations, chor.marker.line.width))
    colours = dict(zip(chor.locations, chor.marker.line.color))
    assert widths["SGP"] > widths["KAZ"] and colours["SGP"] == charts.country_colour("SGP")
    hot = [t for t in fig.data if t.name == "partner lines" and t.line.color.startswith("rgba(214")]
    assert sum(list(t.lon).count(None) for t in hot) == 1  # only KAZ–SGP


def test_small_map_is_compact_without_colour_bar():
    fig = charts.small_map(COUNTRIES, PAIRS)
    assert fig.layout.height < charts.country_map(COUNTRIES, PAIRS).layout.height
    assert fig.layout.coloraxis.showscale is False


@pytest.mark.parametrize("cs, ps", [(None, None), (_countries([]), _pairs([])),
                                    (pd.DataFrame({"x": [1]}), pd.DataFrame({"y": [2]}))])  # fmt: skip
def test_empty_map_still_draws_the_world_with_a_message(cs, ps):
    fig = charts.country_map(cs, ps, "articles")
    assert _is_empty(fig)
    assert fig.layout.annotations[0].text.startswith("No countries")
    assert fig.layout.geo.showland and any(t.type == "choropleth" for t in fig.data)


@pytest.mark.parametrize(
    "fn", [lambda: charts.country_map(COUNTRIES, PAIRS, "articles"), lambda: charts.timeline(EVENTS),
           lambda: charts.figures_over_time(FIGURES, "money"),
           lambda: charts.figures_over_time(FIGURES, "project"),
           lambda: charts.money_by_pair(PAIRS.assign(name_b=XSS)),
           lambda: charts.counts_by_kind(FIGURES.assign(what=XSS))],
)  # fmt: skip
def test_article_strings_are_escaped_everywhere(fn):
    fig = fn()
    assert not _is_empty(fig)
    text = _all_strings(fig)
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;" in text or "&lt;img" in text


# --- timeline -----------------------------------------------------------------------------------


def test_timeline_draws_periods_as_bars_and_days_as_points():
    fig = charts.timeline(EVENTS)
    bars = {t.name: t for t in fig.data if t.type == "bar"}
    day = 86_400_000
    assert list(bars["agreement"].base) == ["2024-03-01T00:00:00"]
    assert list(bars["agreement"].x) == [31 * day]  # the whole of March
    assert list(bars["trade"].x) == [365 * day]  # the whole of 2023
    assert "March 2024 (known to the month)" in bars["agreement"].hovertext[0]
    points = {(t.name, t.marker.symbol): t for t in fig.data if t.type == "scatter"}
    assert list(points[("project", "diamond")].x) == ["2022-06-03T00:00:00"]
    published = points[("talks", "circle-open")]  # no event date: at publication
    assert list(published.x) == ["2021-02-10T00:00:00"] and "no event date" in published.hovertext[0]
    assert sum(len(t.y) for t in fig.data) == 4  # the event with no date at all is left out
    assert list(fig.layout.yaxis.categoryarray) == ["KAZ–SGP", "CHN–KAZ"]  # busiest lane on top


def test_timeline_caps_lanes():
    rows = [_event(str(i), f"CHN–{c.alpha_3}", "talks", "2024", "year", "2024-01-01", "2024-12-31")
            for i, c in enumerate(list(pycountry.countries)[:12]) if c.alpha_3 != "CHN"]  # fmt: skip
    fig = charts.timeline(_events(rows), max_lanes=5)
    assert len(fig.layout.yaxis.categoryarray) == 5
    assert "of 12" in fig.layout.title.text


def test_timeline_of_the_drawn_events_says_what_the_query_left_out():
    """A query fetches only the drawn lanes' latest events and tells the chart the rest."""
    fig = charts.timeline(EVENTS.iloc[[0, 2]], max_lanes=2, max_events=2,
                          lane_counts={"CHN–KAZ": 9, "KAZ–SGP": 4, "BHR–CHN": 1}, in_lanes=13)
    assert list(fig.layout.yaxis.categoryarray) == ["KAZ–SGP", "CHN–KAZ"]
    assert "of 3" in fig.layout.title.text and "11 earlier not drawn" in fig.layout.title.text


@pytest.mark.parametrize("frame", [None, _events([]), EVENTS.iloc[[4]], pd.DataFrame({"a": [1]})])
def test_timeline_without_dated_events_says_so(frame):
    fig = charts.timeline(frame)
    assert _is_empty(fig) and "No" in fig.layout.annotations[0].text


# --- figures ------------------------------------------------------------------------------------


def test_money_is_drawn_in_usd_one_series_per_pair_and_measure():
    fig = charts.figures_over_time(FIGURES, "money")
    (trace,) = fig.data  # the JPY loan has no USD value and no pair
    assert trace.name == "CHN–KAZ · trade turnover" and list(trace.y) == [2.0e10, 2.4e10]
    assert trace.mode == "lines+markers"


def test_counts_are_drawn_as_reported_and_figures_of_no_pair_are_never_joined():
    # issue 11: a line joined a 1987 amount of one pair to a 2023 one of another; counts were
    # added up across articles (two reports of "14 projects" are not 28)
    fig = charts.figures_over_time(FIGURES, "project")
    series = {t.name: (list(t.y), t.mode) for t in fig.data}
    assert series == {"KAZ–SGP": ([5, 7], "lines+markers"),
                      "not tied to a pair (points)": ([3], "markers")}


def test_money_takes_every_money_figure_with_a_usd_value():
    fig = charts.figures_over_time(FIGURES, "money")
    assert sorted(v for t in fig.data for v in t.y) == [2.0e10, 2.4e10]  # JPY has no rate


@pytest.mark.parametrize("measure", ["nothing like it", "percent", ""])
def test_figures_over_time_empty_cases(measure):
    fig = charts.figures_over_time(FIGURES if measure != "" else FIGURES.iloc[0:0], measure)
    assert _is_empty(fig)  # the only percent has no date; "" on an empty frame


def test_measure_options_are_groups_of_one_unit():
    # money apart from percentages apart from each thing counted (issue 11: one mixed list)
    assert charts.measure_options(FIGURES) == ["money", "percent", "project"]
    assert [charts.measure_label(o) for o in ("money", "project")] == [
        "Money (USD), by pair and what it measures", "Count: project"]
    assert charts.measure_options(None) == []


def test_money_by_pair_orders_and_colours_bars():
    fig = charts.money_by_pair(PAIRS, top=5)
    (bar,) = fig.data
    assert list(bar.x) == [2.4e10, 1e9]  # pairs with no money are left out
    assert list(bar.y) == ["China – Kazakhstan", "Kazakhstan – Singapore"]
    assert list(bar.marker.color) == [charts.country_colour("CHN"), charts.country_colour("KAZ")]
    assert list(bar.marker.line.color) == [charts.country_colour("KAZ"), charts.country_colour("SGP")]
    assert charts.money_by_pair(PAIRS, top=1).data[0].y == ("China – Kazakhstan",)
    assert _is_empty(charts.money_by_pair(PAIRS.assign(usd=None)))


def test_counts_by_kind_weighs_rows_by_n():
    """A query's counts per kind, unit and what (`n`) draw as the figures themselves do."""
    counted = pd.DataFrame({"kind": ["money", "money", "count"], "unit": ["USD", "EUR", None],
                            "what": [None, None, "project"], "n": [40, 2, 7]})
    (bar,) = charts.counts_by_kind(counted).data
    assert dict(zip(bar.y, bar.x)) == {"money": 42, "count": 7}
    assert "USD: 40" in bar.hovertext[0] and "42 figures" in bar.hovertext[0]


def test_figures_over_time_weighs_summed_rows_by_n():
    """Sums per day from a query (n figures each) add up per month, percentages averaged."""
    rows = _figures([("a", "T", "percent", 30 * 3, "%", None, None, "growth", None, "", "",
                      "CHN–KAZ", "2022-01-01", "day", "2022-01-01"),
                     ("b", "T", "percent", 60, "%", None, None, "growth", None, "", "",
                      "CHN–KAZ", "2022-01-20", "day", "2022-01-20")]).assign(n=[3, 1])
    fig = charts.figures_over_time(rows, charts.PERCENT, max_points=1)
    (line,) = fig.data
    assert list(line.y) == [pytest.approx(37.5)] and "4 figures" in line.hovertext[0]


def test_counts_by_kind():
    fig = charts.counts_by_kind(FIGURES)
    (bar,) = fig.data
    assert dict(zip(bar.y, bar.x)) == {"money": 3, "percent": 1, "count": 3}
    money = bar.hovertext[0]
    assert "USD: 1" in money and "EUR: 1" in money and "JPY: 1" in money
    assert "project: 3" in bar.hovertext[2]
    assert _is_empty(charts.counts_by_kind(FIGURES.iloc[0:0]))


# --- never raise --------------------------------------------------------------------------------

_odd_text = st.one_of(
    st.none(), st.just(float("nan")), st.integers(-5, 10**12),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.sampled_from(["\u200f\u200b", "١٢٣", "１２", "e\u0301", "<b>", "KAZ", "CHN–KAZ", "2024-13"]),
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(*([_odd_text] * 6)), max_size=6))
def test_charts_never_raise_on_odd_values(rows):
    cs = pd.DataFrame(rows, columns=["iso3", "name", "articles", "partnerships", "usd", "region"])
    ps = pd.DataFrame(rows, columns=["iso3_a", "iso3_b", "pair", "articles", "usd", "kinds"])
    ev = pd.DataFrame(rows, columns=["pair", "title", "event_start", "event_end", "kind", "published"])
    fg = pd.DataFrame(rows, columns=["kind", "measure", "what", "usd", "value", "event_start"])
    figs = [charts.country_map(cs, ps, "usd", selected=["KAZ", None]), charts.small_map(cs, ps),
            charts.timeline(ev), charts.figures_over_time(fg, "KAZ"), charts.money_by_pair(ps),
            charts.counts_by_kind(fg)]  # fmt: skip
    for fig in figs:
        assert isinstance(fig, go.Figure)
        text = _all_strings(fig)
        assert "Could not draw" not in text  # the safety net must not be what saved us


@pytest.mark.parametrize(
    "dates, padded",
    [(["2024-03-01", "2024-03-01"], True), (["2024-03-01", "2024-03-20"], True),
     (["2020-01-01", "2024-03-01"], False)],
)  # fmt: skip
def test_short_time_spans_get_a_readable_axis(dates, padded):
    # Bug guarded: two figures of one article (same day) zoomed the axis to milliseconds.
    rows = FIGURES.iloc[[0, 1]].assign(event_start=pd.to_datetime(dates))
    fig = charts.figures_over_time(rows, "money")
    rng = fig.layout.xaxis.range
    if padded:
        lo, hi = (pd.Timestamp(x) for x in rng)
        assert lo < pd.Timestamp(dates[0]) and hi > pd.Timestamp(dates[1])
        assert (hi - lo).days >= 120
    else:
        assert rng is None
    one_day = EVENTS.iloc[[2]]
    assert charts.timeline(one_day).layout.xaxis.range is not None


def test_many_figures_are_summed_per_period():
    many = pd.concat([FIGURES.iloc[[0, 1]]] * 30, ignore_index=True)  # 60 figures, 2 years
    fig = charts.figures_over_time(many, "money", max_points=10)
    (trace,) = fig.data
    assert [pd.Timestamp(x).year for x in trace.x] == [2022, 2023]
    assert list(trace.y) == pytest.approx([30 * 2.0e10, 30 * 2.4e10])
    assert "30 figures, total $600 bn" in trace.hovertext[0]
    assert "summed per month" in fig.layout.title.text  # two years apart: monthly periods
    # the same data under the limit: one point per figure
    assert len(charts.figures_over_time(many, "money", max_points=100).data[0].y) == 60


def test_timeline_draws_the_latest_events_when_there_are_too_many():
    rows = [_event(str(i), "CHN–KAZ", "talks", f"{2000 + i}", "year", f"{2000 + i}-01-01",
                   f"{2000 + i}-12-31") for i in range(20)]  # fmt: skip
    fig = charts.timeline(_events(rows), max_events=5)
    bases = sorted(b for t in fig.data for b in t.base)
    assert [b[:4] for b in bases] == ["2015", "2016", "2017", "2018", "2019"]
    assert "15 earlier not drawn" in fig.layout.title.text


def test_money_by_pair_ignores_infinite_money():
    fig = charts.money_by_pair(PAIRS.assign(usd=[float("inf"), 5e6, None, 1e6]))
    assert list(fig.data[0].x) == [5e6, 1e6]


@pytest.mark.parametrize(
    "date, gran, start, end, base, days",
    [("2024-02", "month", "2024-02-01", None, "2024-02-01", 29),  # no end: the whole month
     ("2023", "year", "2023-01-01", None, "2023-01-01", 365),
     ("2023-05", None, None, None, "2023-05-01", 31),  # only the text date: its precision
     ("2021", None, None, None, "2021-01-01", 365)],
)  # fmt: skip
def test_timeline_periods_without_an_end(date, gran, start, end, base, days):
    fig = charts.timeline(_events([_event("a", "CHN–KAZ", "trade", date, gran, start, end)]))
    (bar,) = fig.data
    assert bar.type == "bar" and list(bar.base) == [base + "T00:00:00"]
    assert list(bar.x) == [days * 86_400_000]


# --- issue 11: charts that do not mislead --------------------------------------------------------

RAW_FLOAT = re.compile(r"\d{7,}|\d\.0\b|\bnan\b|\bNone\b")  # 24200000000.0, nan, None


@pytest.mark.parametrize("measure, top, ticks, text", [
    ("usd", 3e10, [0, 1e10, 2e10, 3e10], ["0", "$10 bn", "$20 bn", "$30 bn"]),
    ("articles", 12, [0, 5, 10], ["0", "5", "10"]),
    ("partnerships", 8, [0, 2, 4, 6, 8], ["0", "2", "4", "6", "8"]),
])  # fmt: skip
def test_map_colour_scale_is_linear_with_round_readable_ticks(measure, top, ticks, text):
    # issue 11: a log scale capped at "$10 bn" that did not say it was logarithmic
    axis = charts.country_map(COUNTRIES, PAIRS, measure).layout.coloraxis
    assert axis.cmin == 0 and axis.cmax == top  # the top country is the darkest
    assert list(axis.colorbar.tickvals) == pytest.approx(ticks)
    assert list(axis.colorbar.ticktext) == text
    assert axis.colorbar.title.text.endswith("linear scale")
    assert axis.colorbar.title.text.startswith(charts.MAP_MEASURES[measure])
    assert axis.colorbar.orientation == "h"  # under the map: never a quarter of a phone's width
    assert axis.showscale is True


def test_map_says_what_its_fill_lines_and_outlines_mean():
    for measure in charts.MAP_MEASURES:
        caption = charts.map_caption(measure)
        assert "Fill:" in caption and "lines" in caption and "outline" in caption
    assert "linear" in charts.map_caption("usd") and "distinct" in charts.map_caption("partnerships")
    assert charts.country_map(COUNTRIES, PAIRS, "usd").layout.title.text == "Countries by money reached (USD)"


def test_partner_lines_have_a_white_casing_so_they_show_over_dark_countries():
    fig = charts.country_map(COUNTRIES, PAIRS, "articles")
    names = [t.name for t in fig.data if t.type == "scattergeo" and t.mode == "lines"]
    assert names.count("line casing") == names.count("partner lines") > 0
    for casing, line in zip(names[::2], names[1::2]):
        assert (casing, line) == ("line casing", "partner lines")  # the casing is drawn first
    lines = [t for t in fig.data if t.name in ("line casing", "partner lines")]
    for casing, line in zip(lines[::2], lines[1::2]):
        assert casing.line.width > line.line.width and list(casing.lon) == list(line.lon)


@pytest.mark.parametrize("isos, aspect", [
    (["CHN", "KAZ", "SGP"], 980 / 415), (["CHN", "KAZ", "SGP"], 385 / 320),
    (["USA", "CHN", "BRA", "AUS"], 980 / 415), (["SGP"], 2.0), (["FRA", "DEU"], 1.2),
])  # fmt: skip
def test_map_view_holds_the_countries_and_fills_the_plot(isos, aspect):
    # issue 11: a small map squashed with blank bands, cut flat at top and bottom
    lon = (lon0, lon1) = geo.view(isos, aspect)[0]
    lat0, lat1 = geo.drawn_lat(lon, geo.view(isos, aspect)[1])  # plotly's edges bulge poleward
    for iso in isos:
        c = geo.centroid(iso)
        assert lon0 < c.lon < lon1 and lat0 < c.lat < lat1
    shape = math.radians(lon1 - lon0) / (geo._miller_y(lat1) - geo._miller_y(lat0))
    assert shape == pytest.approx(aspect, rel=0.02)
    assert -180 <= lon0 < lon1 <= 180 and -58 <= lat0 < lat1 <= 84


def test_map_view_of_nothing_is_none_and_the_map_keeps_its_default():
    assert geo.view([], 2.0) is None and geo.view(["QQQ"], 2.0) is None
    fig = charts.country_map(COUNTRIES, PAIRS, "articles")
    assert fig.layout.geo.projection.type == geo.MAP_PROJECTION
    assert fig.layout.geo.lonaxis.range is not None and not fig.layout.geo.fitbounds


@pytest.mark.parametrize("aspect, lon, lat", [
    (980 / 415, (-180, 180), (-47.7, 78.1)),  # wider than the world: its middle latitudes
    (2.0, (-180, 180), (-57.9, 83.9)),  # about the world's own shape (1.997): nearly all
    (385 / 320, (-108.5, 108.5), (-58, 84)),  # narrower: its middle longitudes
])
def test_world_view_fills_a_plot_of_any_shape(aspect, lon, lat):
    # an empty map (no country for the filters) fills its box too
    (lon0, lon1), given = geo.world_view(aspect)
    lat0, lat1 = geo.drawn_lat((lon0, lon1), given)
    assert (lon0, lon1) == pytest.approx(lon, abs=0.1) and (lat0, lat1) == pytest.approx(lat, abs=0.1)
    shape = math.radians(lon1 - lon0) / (geo._miller_y(lat1) - geo._miller_y(lat0))
    assert shape == pytest.approx(aspect, rel=0.002)


@pytest.mark.parametrize("lon, given, drawn", [
    ((-180, 180), (-40, 60), (-49.88, 67.79)),  # arcs over 90° of lon bulge a lot
    ((60, 120), (10, 50), (10, 50.24)),  # little: the south edge bulges north, inside the box
    ((0, 40), (-30, -10), (-30.09, -10)),  # south of the equator the other way round
])
def test_plotly_draws_the_lat_range_with_bulging_edges(lon, given, drawn):
    assert geo.drawn_lat(lon, given) == pytest.approx(drawn, abs=0.01)


def test_an_empty_map_still_has_a_view_of_the_plot_shape():
    fig = charts.country_map(COUNTRIES.iloc[0:0], PAIRS.iloc[0:0], "articles")
    lon = tuple(fig.layout.geo.lonaxis.range)
    lat = geo.drawn_lat(lon, tuple(fig.layout.geo.lataxis.range))
    shape = math.radians(lon[1] - lon[0]) / (geo._miller_y(lat[1]) - geo._miller_y(lat[0]))
    assert shape == pytest.approx(charts.MAP_FRAME.aspect, rel=0.002)


def _hovers(fig: go.Figure) -> list[str]:
    return [h for t in fig.data for h in (getattr(t, "hovertext", None) or ()) if isinstance(h, str)]


@pytest.mark.parametrize("fn", [
    lambda: charts.country_map(COUNTRIES, PAIRS, "usd"), lambda: charts.small_map(COUNTRIES, PAIRS),
    lambda: charts.timeline(EVENTS), lambda: charts.figures_over_time(FIGURES, "money"),
    lambda: charts.figures_over_time(FIGURES, "project"),
    lambda: charts.figures_over_time(pd.concat([FIGURES] * 5), "money", max_points=3),
    lambda: charts.money_by_pair(PAIRS), lambda: charts.counts_by_kind(FIGURES),
])  # fmt: skip
def test_hovers_and_ticks_are_formatted(fn):
    # issue 11: "money: 24200000000.0 USD" in tooltips
    fig = fn()
    texts = _hovers(fig) + [t for ax in ("xaxis", "yaxis") for t in (fig.layout[ax].ticktext or ())]
    assert texts
    for text in texts:
        assert not RAW_FLOAT.search(re.sub(r"<[^>]+>|&[a-z]+;|\d{4}-\d\d-\d\d", "", text)), text


@pytest.mark.parametrize("fn, x_title, y_title", [
    (lambda: charts.timeline(EVENTS), "Date of the event", "Partner pair"),
    (lambda: charts.figures_over_time(FIGURES, "money"), "Date", "US dollars"),
    (lambda: charts.figures_over_time(FIGURES, "project"), "Date", "Number (project), as reported"),
    (lambda: charts.money_by_pair(PAIRS), "Money reached, US dollars", "Partner pair"),
    (lambda: charts.counts_by_kind(FIGURES), "Number of figures", "Kind"),
])  # fmt: skip
def test_every_chart_has_a_title_and_axis_titles(fn, x_title, y_title):
    fig = fn()
    assert fig.layout.title.text
    assert fig.layout.xaxis.title.text.startswith(x_title)
    assert fig.layout.yaxis.title.text == y_title


TWO_PAIRS = _figures([  # unrelated figures: different pairs, decades apart, and no pair
    ("n", "Nigeria", "money", 5e8, "USD", None, None, None, 5e8, "$500 m", "s", "GBR–NGA",
     "1987", "year", "1987-01-01"),
    ("k", "Kazakhstan", "money", 2.42e10, "USD", None, None, None, 2.42e10, "$24.2 bn", "s",
     "CHN–KAZ", "2023", "year", "2023-01-01"),
    ("x", "Lone 1", "money", 1e9, "USD", None, None, None, 1e9, "$1 bn", "s", None,
     "2020", "year", "2020-01-01"),
    ("y", "Lone 2", "money", 2e9, "USD", None, None, None, 2e9, "$2 bn", "s", None,
     "2021", "year", "2021-01-01"),
])  # fmt: skip


def test_no_line_joins_unrelated_figures():
    # issue 11: one line from a 1987 Nigeria amount to a 2023 Kazakhstan-China one
    fig = charts.figures_over_time(TWO_PAIRS, "money")
    assert {t.name: t.mode for t in fig.data} == {
        "CHN–KAZ · money": "markers", "GBR–NGA · money": "markers",
        "not tied to a pair (points)": "markers"}


def test_series_are_one_measure_of_one_pair_with_distinct_colours():
    deals = pd.DataFrame({"article_id": ["a", "b", "a"], "figure_idx": [0, 1, 5],
                          "measure": ["trade", "trade", "loan"], "status": ["actual", "planned", "actual"]})
    figs = charts.with_deal_money(FIGURES.assign(idx=[0, 1, 0, 0, 0, 0, 0]), deals)
    assert list(figs["deal_measure"].iloc[:2]) == ["trade", "trade"]
    fig = charts.figures_over_time(figs, "money")
    series = {t.name: t for t in fig.data}
    assert set(series) == {"CHN–KAZ · trade", "CHN–KAZ · trade (planned)"}
    assert series["CHN–KAZ · trade (planned)"].line.dash == "dash"  # a target, not what happened
    colours = [t.line.color for t in fig.data]
    assert len(set(colours)) == len(colours)


def test_with_deal_money_leaves_frames_it_cannot_join_alone():
    assert charts.with_deal_money(FIGURES, pd.DataFrame()).equals(FIGURES)  # no idx, no deals
    assert charts.with_deal_money(None, None).empty


def test_series_beyond_the_limit_are_grey_points():
    rows = [("a", "T", "count", i + 1, None, "project", None, None, None, "n projects", "s",
             f"CHN–{c}", f"{2010 + i}", "year", f"{2010 + i}-01-01")
            for i, c in enumerate(["KAZ", "SGP", "FRA", "DEU"])]  # fmt: skip
    fig = charts.figures_over_time(_figures(rows), "project", max_series=2)
    assert [t.name for t in fig.data][-1] == "other pairs and figures (points)"
    assert fig.data[-1].mode == "markers" and fig.data[-1].line.color == charts._NO_COLOUR


@pytest.mark.parametrize(
    "kind, measure, max_points, expected",
    [  # money: the other pairs' figures of one year added up, one grey point a year
     ("money", "money", 2, {"name": "other pairs and figures (combined per year)",
                            "y": [3.0, 4.0], "hover": "2 series, 2 figures, total $3"}),
     # percentages: averaged over the figures they hold, never added up
     ("percent", "percent", 2, {"name": "other pairs and figures (averaged per year)",
                                "y": [1.5, 4.0], "hover": "2 series, 2 figures, average 1.5%"}),
     # few figures: each is its own point, with its article
     ("money", "money", 100, {"name": "other pairs and figures (points)", "y": [1.0, 2.0, 4.0],
                              "hover": "<b>T</b>"})],
)  # fmt: skip
def test_series_beyond_the_limit_are_combined_per_period(kind, measure, max_points, expected):
    # one big series (drawn as a line) and three small ones beyond max_series=1
    rows = [("a", "T", kind, v, None, None, None, "share", v, f"{v}", "s", pair, f"{y}", "year",
             f"{y}-01-01")
            for pair, y, v in [("CHN–KAZ", 2001, 9.0), ("CHN–KAZ", 2002, 9.0),
                               ("CHN–KAZ", 2020, 9.0), ("CHN–SGP", 2001, 1.0),
                               ("CHN–FRA", 2001, 2.0), ("CHN–DEU", 2020, 4.0)]]  # fmt: skip
    fig = charts.figures_over_time(_figures(rows), measure, max_series=1, max_points=max_points)
    assert [t.name for t in fig.data][0].startswith("CHN–KAZ")
    rest = fig.data[-1]
    assert rest.name == expected["name"] and rest.mode == "markers"
    assert sorted(rest.y) == pytest.approx(expected["y"])
    assert expected["hover"] in rest.hovertext[0]


def test_chart_data_frames_are_what_the_charts_draw():
    data = charts.figures_over_time_data(FIGURES, "money")
    assert list(data.columns) == ["when", "series", "y", "text", "sentence_text", "title",
                                  "article_id"]  # the page looks each article's source up by it
    assert list(data["y"]) == [2.0e10, 2.4e10] and list(data["when"]) == ["2022-01-01", "2023-01-01"]
    assert list(data["article_id"]) == ["a", "b"]
    sums = charts.figures_over_time_data(FIGURES.drop(columns="article_id"), "money")
    assert "article_id" not in sums.columns  # a query's sums per day are of no one article
    assert charts.figures_over_time_data(None, "money").empty
    counts = charts.counts_by_kind_data(FIGURES)
    assert counts["figures"].sum() == len(FIGURES)
    assert counts.set_index(["kind", "detail"]).loc[("count", "project"), "figures"] == 3
    assert charts.counts_by_kind_data(None).empty


def test_images_come_from_plotlys_own_toolbar_offline():
    cfg = charts.PLOTLY_CONFIG
    assert cfg["toImageButtonOptions"]["format"] in ("png", "svg")
    assert cfg["toImageButtonOptions"]["filename"] == "partnership-atlas"
    assert "toImage" not in cfg["modeBarButtonsToRemove"]
    assert not str(cfg["topojsonURL"]).startswith("http")  # the map's shapes are bundled


@pytest.mark.parametrize("pair, measure, status, expected", [
    ("KAZ–SGP", "Trade", None, "KAZ–SGP · trade"),
    ("  KAZ–SGP ", "  foreign   Direct\tinvestment ", None, "KAZ–SGP · foreign direct investment"),
    ("KAZ–SGP", None, None, "KAZ–SGP · money"),
    ("KAZ–SGP", float("nan"), "planned", "KAZ–SGP · money (planned)"),
    ("KAZ–SGP", "trade", " Planned ", "KAZ–SGP · trade (planned)"),
    ("KAZ–SGP", 12, None, "KAZ–SGP · money"),  # not a text: no measure
    (None, "trade", None, charts._NOT_TIED),
    ("   ", "trade", None, charts._NOT_TIED),
    (float("nan"), "trade", None, charts._NOT_TIED),
])  # fmt: skip
def test_a_money_figure_is_drawn_in_the_series_of_its_pair_and_measure(pair, measure, status, expected):
    """Each distinct pair and measure is named once (`charts._per_value`) and every row of it
    gets that name; a row of another pair keeps its own."""
    df = pd.DataFrame({"pair": [pair, "CHN–KAZ", pair], "measure": [measure, "aid", measure],
                       "deal_status": [status, None, status]})
    assert list(charts._series_names(df, charts.MONEY)) == [expected, "CHN–KAZ · aid", expected]
