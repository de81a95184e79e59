"""Geometry for the map: shipped country shapes, TopoJSON decoding, ±180° splitting, point tests.

Pure functions, no ``st.*``. The decoding and splitting serve ``data/geo/build_geo.py`` (run by
hand); the app itself only reads the files that script wrote.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

GEO_DIR = Path(__file__).resolve().parent.parent / "data" / "geo"
COUNTRIES_FILE = GEO_DIR / "countries_110m.geojson"
BBOX_FILE = GEO_DIR / "country_bbox.csv"

EARTH_RADIUS_KM = 6371.0088
MERCATOR_MAX_LAT = 85.05112878
TILE_SIZE = 512  # deck.gl: the world is 512 px wide at zoom 0

Point = tuple[float, float]  # (lon, lat)
Ring = list[Point]
Polygon = list[Ring]  # exterior ring first, then holes


# --- TopoJSON ------------------------------------------------------------------------------------


def decode_arcs(topology: dict) -> list[Ring]:
    """The topology's arcs as absolute (lon, lat) points (delta-decoded, transform applied)."""
    transform = topology.get("transform")
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        pts: Ring = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def arc_ring(indices: Sequence[int], arcs: Sequence[Ring]) -> Ring:
    """Join arcs into one ring; a negative index ``~i`` means arc ``i`` reversed."""
    ring: Ring = []
    for i in indices:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(pts if not ring else pts[1:])
    return ring


def geometry_polygons(geometry: dict, arcs: Sequence[Ring]) -> list[Polygon]:
    """A TopoJSON Polygon/MultiPolygon as a list of polygons of rings."""
    kind = geometry.get("type")
    if kind == "Polygon":
        parts = [geometry["arcs"]]
    elif kind == "MultiPolygon":
        parts = geometry["arcs"]
    else:
        return []
    return [[arc_ring(r, arcs) for r in part] for part in parts]


# --- the antimeridian ----------------------------------------------------------------------------


def unwrap(ring: Ring) -> Ring:
    """The ring with longitudes made continuous (a jump over 180° is taken the short way round)."""
    if not ring:
        return []
    out: Ring = [ring[0]]
    shift = 0.0
    for (lon0, _), (lon1, lat1) in zip(ring, ring[1:], strict=False):
        d = lon1 - lon0
        if d > 180:
            shift -= 360
        elif d < -180:
            shift += 360
        out.append((lon1 + shift, lat1))
    return out


def _clip(ring: Ring, x: float, keep_left: bool) -> Ring:
    """Sutherland–Hodgman: the part of a closed ring on one side of the meridian ``x``."""

    def inside(p: Point) -> bool:
        return p[0] <= x if keep_left else p[0] >= x

    out: Ring = []
    n = len(ring)
    for i in range(n):
        cur, prev = ring[i], ring[i - 1]
        if inside(cur):
            if not inside(prev):
                out.append(_cross(prev, cur, x))
            out.append(cur)
        elif inside(prev):
            out.append(_cross(prev, cur, x))
    return out


def _cross(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def ring_area(ring: Ring) -> float:
    """Signed planar area in square degrees (shoelace)."""
    return 0.5 * sum(
        a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1], strict=False)
    )


def _open(ring: Ring) -> Ring:
    return ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else list(ring)


def _close(ring: Ring) -> Ring:
    return ring + [ring[0]] if ring and ring[0] != ring[-1] else ring


def split_ring(ring: Ring) -> list[Ring]:
    """Split a ring crossing ±180° into rings that each stay within [-180, 180] (closed).

    A ring that goes once round a pole (its unwrapped longitudes end 360° from where they start)
    is closed along that pole first.
    """
    pts = _open(unwrap(ring))
    if len(pts) < 3:
        return []
    turn = unwrap(_close(list(pts)))[-1][0] - pts[0][0]
    if abs(abs(turn) - 360) < 1e-6:
        pole = -90.0 if sum(p[1] for p in pts) < 0 else 90.0
        pts = _pole_ring(pts, turn, pole)
    lo, hi = min(p[0] for p in pts), max(p[0] for p in pts)
    if lo >= -180 - 1e-9 and hi <= 180 + 1e-9:
        return [_close(pts)]
    out: list[Ring] = []
    for k in range(math.floor((lo + 180) / 360), math.floor((hi + 180) / 360) + 1):
        shifted = [(x - 360 * k, y) for x, y in pts]
        part = _clip(_clip(shifted, -180.0, keep_left=False), 180.0, keep_left=True)
        if len(part) >= 3 and abs(ring_area(part)) > 1e-9:
            out.append(_close(part))
    return out


def _pole_ring(pts: Ring, turn: float, pole: float) -> Ring:
    """Close an unwrapped ring that circles a pole: back to its start along the pole."""
    start = pts[0]
    return [*pts, (start[0] + turn, start[1]), (start[0] + turn, pole), (start[0], pole)]


def split_polygon(polygon: Polygon) -> list[Polygon]:
    """Split a polygon at ±180°; holes go to the piece that holds their first point."""
    pieces = [[r] for r in split_ring(polygon[0])]
    for hole in polygon[1:]:
        for part in split_ring(hole):
            for piece in pieces:
                if point_in_ring(part[0], piece[0]):
                    piece.append(part)
                    break
    return pieces


def round_ring(ring: Ring, ndigits: int = 3) -> Ring:
    """Round coordinates and drop the consecutive repeats rounding creates."""
    out: Ring = []
    for x, y in ring:
        p = (round(x, ndigits), round(y, ndigits))
        if not out or p != out[-1]:
            out.append(p)
    return out


# --- point tests and distances -------------------------------------------------------------------


def point_in_ring(point: Point, ring: Ring) -> bool:
    """Ray casting (even–odd) in plain lon/lat."""
    x, y = point
    inside = False
    n = len(ring)
    for i in range(n):
        (x1, y1), (x2, y2) = ring[i - 1], ring[i]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def point_in_polygons(point: Point, polygons: Iterable[Polygon]) -> bool:
    """Whether ``point`` lies in one of ``polygons`` (outside their holes)."""
    for poly in polygons:
        if point_in_ring(point, poly[0]) and not any(point_in_ring(point, h) for h in poly[1:]):
            return True
    return False


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    """Planar distance (degrees, longitude scaled by cos(lat)) from ``p`` to segment ``ab``."""
    k = math.cos(math.radians(p[1]))
    ax, ay, bx, by, px, py = a[0] * k, a[1], b[0] * k, b[1], p[0] * k, p[1]
    dx, dy = bx - ax, by - ay
    t = (
        0.0
        if dx == dy == 0
        else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx**2 + dy**2)))
    )
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def distance_to_polygons(point: Point, polygons: Iterable[Polygon]) -> float:
    """0 inside, else the distance in degrees to the nearest edge (a rough measure)."""
    polygons = list(polygons)
    if point_in_polygons(point, polygons):
        return 0.0
    best = math.inf
    for poly in polygons:
        for ring in poly:
            for a, b in zip(ring, ring[1:], strict=False):
                best = min(best, _segment_distance(point, a, b))
    return best


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


# --- view fitting (Web Mercator, as deck.gl's MapView) ------------------------------------------


def _merc_y(lat: float) -> float:
    lat = max(-MERCATOR_MAX_LAT, min(MERCATOR_MAX_LAT, lat))
    return (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2


def merc_xy(lon: float, lat: float) -> tuple[float, float]:
    """``(x, y)`` in normalised Web Mercator: 0-1 across the world, y down (as deck.gl's)."""
    return (lon + 180) / 360, _merc_y(lat)


def _merc_lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp((1 - 2 * y) * math.pi)) - math.pi / 2)


def fit_view(
    lons: Sequence[float],
    lats: Sequence[float],
    *,
    width: int = 800,
    height: int = 520,
    padding: int = 40,
    min_zoom: float = 0.5,
    max_zoom: float = 6.0,
) -> tuple[float, float, float]:
    """``(latitude, longitude, zoom)`` of a deck.gl MapView that shows every point.

    The centre is the middle of the points' bounding box in Web Mercator; the zoom is the largest
    at which the box fits the viewport less ``padding`` on each side, clamped to
    ``[min_zoom, max_zoom]`` (one point, or none, gets ``max_zoom`` / the whole world).
    """
    if len(lons) == 0:
        return 20.0, 10.0, min_zoom
    x0, x1 = (min(lons) + 180) / 360, (max(lons) + 180) / 360
    y0, y1 = _merc_y(max(lats)), _merc_y(min(lats))
    usable_w, usable_h = max(width - 2 * padding, 1), max(height - 2 * padding, 1)
    spans = [(usable_w, x1 - x0), (usable_h, y1 - y0)]
    zooms = [math.log2(px / (TILE_SIZE * span)) for px, span in spans if span > 0]
    zoom = min(zooms) if zooms else max_zoom
    zoom = max(min_zoom, min(max_zoom, zoom))
    return round(_merc_lat((y0 + y1) / 2), 4), round((x0 + x1) / 2 * 360 - 180, 4), round(zoom, 2)


# --- the shipped files ---------------------------------------------------------------------------


@cache
def load_countries(path: Path = COUNTRIES_FILE) -> dict:
    """The shipped 110m country shapes (a GeoJSON FeatureCollection; read once per process)."""
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def border_segments(collection: dict) -> list[dict[str, list[float]]]:
    """Every edge of the collection's rings once, as ``{"s": [lon, lat], "t": [lon, lat]}``
    (sorted; an edge two countries share is one segment): the country outlines for a plain line
    layer, which a browser without a graphics card draws several times faster than the path
    layer of stroked shapes. Edges lying on the ±180° meridian, made by splitting shapes there,
    are not borders and are left out."""
    edges: set[tuple[Point, Point]] = set()
    for polygons in country_polygons(collection).values():
        for polygon in polygons:
            for ring in polygon:
                for a, b in zip(ring, ring[1:], strict=False):
                    p, q = (float(a[0]), float(a[1])), (float(b[0]), float(b[1]))
                    if p == q or (abs(p[0]) == 180 and p[0] == q[0]):
                        continue
                    edges.add((p, q) if p <= q else (q, p))
    return [{"s": list(p), "t": list(q)} for p, q in sorted(edges)]


def borders_json(collection: dict) -> str:
    """:func:`border_segments` as the compact JSON text of ``static/borders_110m.json``."""
    return json.dumps(border_segments(collection), separators=(",", ":")) + "\n"


def country_polygons(collection: dict) -> dict[str, list[Polygon]]:
    """``{iso3: [polygon, …]}`` from a FeatureCollection with an ``iso3`` property."""
    out: dict[str, list[Polygon]] = {}
    for feature in collection["features"]:
        geom = feature["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        rings = [[[tuple(p) for p in ring] for ring in poly] for poly in polys]
        out.setdefault(feature["properties"]["iso3"], []).extend(rings)
    return out


def ring_centroid(ring: Ring) -> Point:
    """Area centroid of a closed ring in plain lon/lat (vertex mean for a degenerate ring)."""
    pts = _open(ring)
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=False):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-12:
        return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
    return cx / (3 * a), cy / (3 * a)


_LABELS: dict[int, tuple[dict, dict[str, tuple[float, float, float, float]]]] = {}


def label_points(collection: dict) -> dict[str, tuple[float, float, float, float]]:
    """``{iso3: (lon, lat, area, width)}``: where a country's name goes (the centroid of its
    largest polygon, or the nearest vertex of it when the centroid falls outside), that
    polygon's area (square degrees) and width (degrees). Computed once per collection."""
    hit = _LABELS.get(id(collection))
    if hit is not None and hit[0] is collection:
        return hit[1]
    out = {}
    for code, polygons in country_polygons(collection).items():
        main = max(polygons, key=lambda p: abs(ring_area(_open(p[0]))))
        ring = main[0]
        lon, lat = ring_centroid(ring)
        if not point_in_polygons((lon, lat), [main]):
            lon, lat = min(ring, key=lambda p: (p[0] - lon) ** 2 + (p[1] - lat) ** 2)
        xs = [p[0] for p in ring]
        out[code] = (lon, lat, abs(ring_area(_open(ring))), max(xs) - min(xs))
    _LABELS[id(collection)] = (collection, out)
    return out


@cache
def load_bboxes(path: Path = BBOX_FILE) -> dict[str, tuple[float, float, float, float]]:
    """``{iso3: (min_lon, min_lat, max_lon, max_lat)}`` from the shipped 50m bounding boxes."""
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            row["iso3"]: tuple(float(row[k]) for k in ("min_lon", "min_lat", "max_lon", "max_lat"))
            for row in csv.DictReader(fh)
        }  # type: ignore[misc]
