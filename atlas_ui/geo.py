"""Where countries sit on the map: centroids for markers and partner lines, and the world shapes.

Plotly draws country shapes from a topojson file that it fetches from a CDN unless told
otherwise; the app bundles that file (`static/topojson/world_50m.json`, served by Streamlit
at `app/static/topojson/`) so maps work offline. Some countries are a dot even at 1:50m
(Singapore, Bahrain, Malta) and a few territories are not in the file at all, so every
country also needs a point to hang a hover marker and a partner line on: `data/centroids.csv`,
derived from the topojson's own label points (`ct`) and areas, plus hand-placed points for
the territories it lacks. `python -m atlas_ui.geo` rebuilds the table from the topojson.
"""
from __future__ import annotations

import csv
import json
import math
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

# Relative on purpose: resolves against the page's own URL, so it also works when the app
# is served under a path prefix (server.baseUrlPath or a proxy). plotly.js builds the file
# name as f"{topojsonURL}/{scope}_{resolution}m.json" -> "world_50m.json".
TOPOJSON_URL = "app/static/topojson/"
TOPOJSON_SCOPE = "world"
TOPOJSON_RESOLUTION = 50  # 110m lacks Singapore, Bahrain and Malta entirely
SMALL_AREA_KM2 = 30_000.0  # below this a country is a few pixels on a world map: add a marker

_ROOT = Path(__file__).resolve().parent.parent
_CENTROIDS_CSV = Path(__file__).resolve().parent / "data" / "centroids.csv"
_EARTH_RADIUS_KM = 6371.0088

# Countries and territories of ISO 3166-1 that world_50m.json does not draw (or draws as part
# of another country), placed by hand at their main island / centre: (lon, lat).
_MANUAL: dict[str, tuple[float, float]] = {
    "BES": (-68.26, 12.18),  # Bonaire, Sint Eustatius and Saba
    "BVT": (3.41, -54.42),  # Bouvet Island
    "CCK": (96.87, -12.16),  # Cocos (Keeling) Islands
    "CXR": (105.69, -10.49),  # Christmas Island
    "GIB": (-5.35, 36.14),  # Gibraltar
    "GLP": (-61.55, 16.25),  # Guadeloupe
    "GUF": (-53.13, 3.93),  # French Guiana
    "MTQ": (-61.02, 14.64),  # Martinique
    "MYT": (45.14, -12.83),  # Mayotte
    "REU": (55.54, -21.12),  # Réunion
    "SJM": (16.0, 78.5),  # Svalbard and Jan Mayen
    "TKL": (-171.85, -9.2),  # Tokelau
    "TUV": (179.2, -8.52),  # Tuvalu
    "UMI": (166.61, 19.28),  # US Minor Outlying Islands (Wake Island)
    "XKX": (20.9, 42.6),  # Kosovo (user-assigned code; drawn as part of Serbia)
}


@dataclass(frozen=True)
class Centroid:
    """A country's label point and land area (0 when the map file does not draw it)."""

    iso3: str
    lon: float
    lat: float
    area_km2: float

    @property
    def small(self) -> bool:
        """True when the shape alone is too small (or absent) to see or hover on a world map."""
        return self.area_km2 < SMALL_AREA_KM2


def topojson_path() -> Path:
    """The bundled topojson file that plotly loads for world maps at resolution 50."""
    return _ROOT / "static" / "topojson" / f"{TOPOJSON_SCOPE}_{TOPOJSON_RESOLUTION}m.json"


@lru_cache(maxsize=1)
def centroids() -> dict[str, Centroid]:
    """All known centroids by ISO3, read once from `data/centroids.csv`."""
    out: dict[str, Centroid] = {}
    try:
        with open(_CENTROIDS_CSV, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                try:
                    out[row["iso3"]] = Centroid(
                        row["iso3"], float(row["lon"]), float(row["lat"]), float(row["area_km2"])
                    )
                except (KeyError, ValueError):
                    continue
    except OSError:
        pass
    return out


def centroid(iso3: object) -> Optional[Centroid]:
    """The centroid of a country by ISO3 code (any case), or None when unknown."""
    if not isinstance(iso3, str):
        return None
    return centroids().get(iso3.strip().upper())


def is_small(iso3: object) -> bool:
    """True when a country needs a marker to be seen and hovered on a world map."""
    c = centroid(iso3)
    return c is not None and c.small


def midpoint(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """The great-circle midpoint of two (lon, lat) points: where plotly's geo line passes.

    Plotly draws scattergeo lines along great circles, so the plain average of longitudes
    would put a hover marker off the line (badly so across the antimeridian).
    """
    lon1, lat1 = map(math.radians, a)
    lon2, lat2 = map(math.radians, b)
    x = math.cos(lat1) * math.cos(lon1) + math.cos(lat2) * math.cos(lon2)
    y = math.cos(lat1) * math.sin(lon1) + math.cos(lat2) * math.sin(lon2)
    z = math.sin(lat1) + math.sin(lat2)
    norm = math.sqrt(x * x + y * y + z * z)
    if norm < 1e-12:  # antipodes: any great circle; pick the average
        return ((a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0)
    return (math.degrees(math.atan2(y, x)), math.degrees(math.asin(max(-1.0, min(1.0, z / norm)))))


# --- building the table from the topojson -------------------------------------------------


def _decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Absolute (lon, lat) points of every arc of a quantized, delta-encoded topojson."""
    tr = topo.get("transform") or {}
    sx, sy = tr.get("scale", (1.0, 1.0))
    tx, ty = tr.get("translate", (0.0, 0.0))
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy, *_ in arc:
            if tr:
                x += dx
                y += dy
                pts.append((x * sx + tx, y * sy + ty))
            else:
                pts.append((dx, dy))
        arcs.append(pts)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indices: list[int]) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for i in indices:
        seg = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(seg if not pts else seg[1:])
    return pts


def _ring_area_km2(ring: list[tuple[float, float]]) -> float:
    """Unsigned spherical area of a closed ring (good for rings well under a hemisphere)."""
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in zip(ring, ring[1:] + ring[:1]):
        dlon = (lon2 - lon1 + 180.0) % 360.0 - 180.0  # a ring may cross the antimeridian
        total += math.radians(dlon) * (
            2.0 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2))
        )
    return abs(total) * _EARTH_RADIUS_KM**2 / 2.0


def build_centroid_rows(topo: dict) -> list[dict[str, object]]:
    """Rows (iso3, lon, lat, area_km2, source) for every country of a plotly world topojson."""
    arcs = _decode_arcs(topo)
    rows: dict[str, dict[str, object]] = {}
    for geom in topo["objects"]["countries"]["geometries"]:
        iso3 = geom.get("id")
        ct = (geom.get("properties") or {}).get("ct")
        if not iso3 or not ct:
            continue
        polygons = geom.get("arcs") or []
        if geom.get("type") == "Polygon":
            polygons = [polygons]
        area = 0.0
        for poly in polygons:
            for k, ring in enumerate(poly):
                a = _ring_area_km2(_ring(arcs, ring))
                area += a if k == 0 else -a  # later rings are holes
        rows[iso3] = {
            "iso3": iso3,
            "lon": round(float(ct[0]), 2),
            "lat": round(float(ct[1]), 2),
            "area_km2": round(max(area, 0.0)),
            "source": "topojson",
        }
    for iso3, (lon, lat) in _MANUAL.items():
        rows.setdefault(
            iso3, {"iso3": iso3, "lon": lon, "lat": lat, "area_km2": 0, "source": "manual"}
        )
    return [rows[k] for k in sorted(rows)]


def write_centroid_table(topo_file: Path = topojson_path(), out: Path = _CENTROIDS_CSV) -> int:
    """Rebuild `data/centroids.csv` from the bundled topojson; returns the number of rows."""
    rows = build_centroid_rows(json.loads(Path(topo_file).read_text(encoding="utf-8")))
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["iso3", "lon", "lat", "area_km2", "source"])
        w.writeheader()
        w.writerows(rows)
    centroids.cache_clear()
    return len(rows)


if __name__ == "__main__":
    n = write_centroid_table()
    print(f"wrote {n} centroids to {_CENTROIDS_CSV.name}", file=sys.stderr)


# --- the part of the world a map shows ----------------------------------------------------------

MAP_PROJECTION = "miller"  # rectangular: a zoomed or whole-world view fills its box
_LAT_LIMITS = (-58.0, 84.0)  # no Antarctica, nothing beyond the Arctic islands
_PAD_DEG = 6.0
_MIN_LON_SPAN = 40.0


def _miller_y(lat: float) -> float:
    return 1.25 * math.log(math.tan(math.pi / 4 + 0.4 * math.radians(lat)))


def _miller_lat(y: float) -> float:
    return math.degrees(2.5 * (math.atan(math.exp(0.8 * y)) - math.pi / 4))


def _grow(lo: float, hi: float, size: float, limits: tuple[float, float]) -> tuple[float, float]:
    """[lo, hi] grown about its middle to `size`, shifted to stay within `limits`."""
    size = min(size, limits[1] - limits[0])
    mid = (lo + hi) / 2
    lo, hi = mid - size / 2, mid + size / 2
    if lo < limits[0]:
        lo, hi = limits[0], limits[0] + size
    if hi > limits[1]:
        lo, hi = limits[1] - size, limits[1]
    return lo, hi


def view(iso3s: list[str], aspect: float) -> Optional[tuple[tuple[float, float], tuple[float, float]]]:
    """The (lon range, lat range) for plotly that shows every country of `iso3s` (its label
    point and about its size) in a box of the plot's width/height `aspect` in the Miller
    projection, so the map fills its box without blank bands (`drawn_lat` gives the lat
    range plotly then draws); None when no country has a place."""
    points = [c for c in (centroid(i) for i in iso3s) if c is not None]
    if not points:
        return None
    half = [0.5 * math.sqrt(max(c.area_km2, 0.0)) / 111.0 + _PAD_DEG for c in points]
    lon = (min(c.lon - h for c, h in zip(points, half)), max(c.lon + h for c, h in zip(points, half)))
    lat = (min(c.lat - h for c, h in zip(points, half)), max(c.lat + h for c, h in zip(points, half)))
    lon = _grow(*lon, max(lon[1] - lon[0], _MIN_LON_SPAN), (-180.0, 180.0))
    return _fit(lon, (max(lat[0], _LAT_LIMITS[0]), min(lat[1], _LAT_LIMITS[1])), aspect)


def world_view(aspect: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """The whole map (no Antarctica) in a view of the plot's `aspect`, as `view` gives:
    for a map with no country to show."""
    return _fit((-180.0, 180.0), _LAT_LIMITS, aspect)


def _fit(lon: tuple[float, float], lat: tuple[float, float],
         aspect: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """The lon and lat ranges grown to the width/height `aspect` in the Miller projection,
    within the world's limits; only when the world itself is too narrow (or too flat) for
    the aspect is the other range cut, about its middle."""
    y = (_miller_y(lat[0]), _miller_y(lat[1]))
    width, height = math.radians(lon[1] - lon[0]), y[1] - y[0]
    if width / height < aspect:  # too tall: widen
        lon = _grow(*lon, math.degrees(height * aspect), (-180.0, 180.0))
    else:  # too wide: heighten, in the projection's own units
        y = _grow(*y, width / aspect, (_miller_y(_LAT_LIMITS[0]), _miller_y(_LAT_LIMITS[1])))
    width, height = math.radians(lon[1] - lon[0]), y[1] - y[0]
    if width / height < aspect * 0.999:  # the world's whole width and still too tall
        y = _grow(*y, width / aspect, y)
    elif width / height > aspect * 1.001:  # the world's whole height and still too wide
        lon = _grow(*lon, math.degrees(height * aspect), lon)
    lat = _given_lat(lon, (_miller_lat(y[0]), _miller_lat(y[1])))
    return (round(lon[0], 3), round(lon[1], 3)), (round(lat[0], 3), round(lat[1], 3))


# plotly.js draws a geo's lon/lat range as a polygon whose top and bottom edges are each four
# great-circle arcs (a quarter of the lon span each); an arc bulges towards the pole, so the
# box drawn reaches further north (south) than the lat range given. The ranges handed to
# plotly are pulled in by as much, so that the box drawn is the rectangle fitted above.

def _arc_half(lon: tuple[float, float]) -> float:
    return math.radians((lon[1] - lon[0]) / 4) / 2


def _bulged(lat: float, half: float) -> float:
    """The latitude reached by the middle of an arc that spans 2*`half` radians of lon at `lat`."""
    return math.degrees(math.atan(math.tan(math.radians(lat)) / math.cos(half)))


def drawn_lat(lon: tuple[float, float], lat: tuple[float, float]) -> tuple[float, float]:
    """The lat range plotly draws for the lon and lat ranges given to it."""
    half = _arc_half(lon)
    return min(lat[0], _bulged(lat[0], half)), max(lat[1], _bulged(lat[1], half))


def _given_lat(lon: tuple[float, float], drawn: tuple[float, float]) -> tuple[float, float]:
    """The lat range to give plotly so that it draws `drawn` (the inverse of `drawn_lat`)."""
    half = _arc_half(lon)

    def pulled(lat: float) -> float:
        return math.degrees(math.atan(math.tan(math.radians(lat)) * math.cos(half)))

    return (pulled(drawn[0]) if drawn[0] < 0 else drawn[0],
            pulled(drawn[1]) if drawn[1] > 0 else drawn[1])
