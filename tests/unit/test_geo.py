"""Shipped country shapes and the geometry behind them: decoding, ±180° splits, point tests."""

from __future__ import annotations

import csv
import json
import math

import pandas as pd
import pytest

from components import geo

ROOT = geo.GEO_DIR.parent.parent


# --- TopoJSON decoding ---------------------------------------------------------------------------


def test_decode_arcs_delta_and_transform() -> None:
    topo = {
        "transform": {"scale": [0.5, 2.0], "translate": [-10, 20]},
        "arcs": [[[0, 0], [2, 0], [0, 3]], [[4, 1], [-2, 0]]],
    }
    arcs = geo.decode_arcs(topo)
    assert arcs[0] == [(-10.0, 20.0), (-9.0, 20.0), (-9.0, 26.0)]
    assert arcs[1] == [(-8.0, 22.0), (-9.0, 22.0)]


def test_arc_ring_joins_and_reverses() -> None:
    arcs = [[(0, 0), (1, 0), (1, 1)], [(0, 0), (0, 1), (1, 1)]]
    ring = geo.arc_ring([0, ~1], arcs)
    assert ring == [(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]


def test_geometry_polygons_polygon_and_multipolygon() -> None:
    arcs = [[(0, 0), (1, 0), (1, 1), (0, 0)], [(5, 5), (6, 5), (6, 6), (5, 5)]]
    assert len(geo.geometry_polygons({"type": "Polygon", "arcs": [[0]]}, arcs)) == 1
    multi = geo.geometry_polygons({"type": "MultiPolygon", "arcs": [[[0]], [[1]]]}, arcs)
    assert [p[0][0] for p in multi] == [(0, 0), (5, 5)]
    assert geo.geometry_polygons({"type": "Point", "coordinates": [0, 0]}, arcs) == []


# --- the antimeridian ----------------------------------------------------------------------------


def _span(ring: geo.Ring) -> tuple[float, float]:
    xs = [p[0] for p in ring]
    return min(xs), max(xs)


def test_ring_within_range_is_kept() -> None:
    ring = [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]
    assert geo.split_ring(ring) == [ring]


def test_ring_crossing_antimeridian_is_split_in_two() -> None:
    # An island from 170°E to 170°W, as stitched data stores it (jumping 180 → -180).
    ring = [(170, -20), (180, -20), (-170, -20), (-170, -10), (180, -10), (170, -10), (170, -20)]
    parts = geo.split_ring(ring)
    assert len(parts) == 2
    spans = sorted(_span(p) for p in parts)
    assert spans[0] == (-180, -170) and spans[1] == (170, 180)
    area = sum(abs(geo.ring_area(p)) for p in parts)
    assert area == pytest.approx(200)  # 20° wide × 10° high, nothing lost


def test_pole_ring_is_closed_along_the_pole() -> None:
    # A ring going once round the south pole at 70°S (like Antarctica after stitching).
    ring = [(float(x), -70.0) for x in range(-180, 180, 30)] + [(-180.0, -70.0)]
    parts = geo.split_ring(ring)
    assert parts, "nothing left"
    for p in parts:
        lo, hi = _span(p)
        assert -180 <= lo and hi <= 180
    assert min(y for p in parts for _, y in p) == -90
    assert sum(abs(geo.ring_area(p)) for p in parts) == pytest.approx(360 * 20)


def test_split_polygon_keeps_holes_with_their_piece() -> None:
    outer = [(0, 0), (20, 0), (20, 20), (0, 20), (0, 0)]
    hole = [(5, 5), (6, 5), (6, 6), (5, 6), (5, 5)]
    pieces = geo.split_polygon([outer, hole])
    assert len(pieces) == 1 and len(pieces[0]) == 2


def test_round_ring_drops_repeats() -> None:
    assert geo.round_ring([(0.0001, 0), (0.0002, 0), (1.23456, 2)]) == [(0.0, 0.0), (1.235, 2.0)]


# --- point tests, distances, view ----------------------------------------------------------------


def test_point_in_polygons_with_hole() -> None:
    outer = [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]
    hole = [(4, 4), (6, 4), (6, 6), (4, 6), (4, 4)]
    assert geo.point_in_polygons((2, 2), [[outer, hole]])
    assert not geo.point_in_polygons((5, 5), [[outer, hole]])
    assert not geo.point_in_polygons((11, 5), [[outer, hole]])
    assert geo.distance_to_polygons((11, 5), [[outer]]) == pytest.approx(
        math.cos(math.radians(5)), rel=1e-6
    )
    assert geo.distance_to_polygons((2, 2), [[outer]]) == 0


def test_haversine_known_distance() -> None:
    # Basel → Zurich is about 74 km as the crow flies.
    assert geo.haversine_km(47.5596, 7.5886, 47.3769, 8.5417) == pytest.approx(74.5, abs=1.5)
    assert geo.haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * geo.EARTH_RADIUS_KM)


def test_fit_view_single_point_and_world() -> None:
    lat, lon, zoom = geo.fit_view([7.59], [47.56], max_zoom=6)
    assert (lat, lon, zoom) == (pytest.approx(47.56, abs=1e-3), pytest.approx(7.59), 6)
    lat, lon, zoom = geo.fit_view([-120, 140], [-35, 60])
    assert zoom == pytest.approx(math.log2(720 / (512 * 260 / 360)), abs=0.01)
    assert lon == pytest.approx(10)
    assert geo.fit_view([], []) == (20.0, 10.0, 0.5)


def test_fit_view_box_fits_the_viewport() -> None:
    lons, lats = [2.35, 13.40, -3.70], [48.86, 52.52, 40.42]  # Paris, Berlin, Madrid
    lat, lon, zoom = geo.fit_view(lons, lats, width=800, height=500, padding=40)
    scale = 512 * 2**zoom
    x = [(v + 180) / 360 * scale for v in lons]
    y = [geo._merc_y(v) * scale for v in lats]
    cx, cy = (lon + 180) / 360 * scale, geo._merc_y(lat) * scale
    assert max(abs(v - cx) for v in x) <= 360 + 0.5
    assert max(abs(v - cy) for v in y) <= 210 + 0.5
    assert 2 < zoom < 5


# --- the shipped files ---------------------------------------------------------------------------


def test_shipped_shapes_are_valid_and_split() -> None:
    collection = geo.load_countries()
    feats = collection["features"]
    assert collection["type"] == "FeatureCollection" and len(feats) > 170
    codes = {f["properties"]["iso3"] for f in feats}
    assert {"CHN", "USA", "DEU", "RUS", "FJI", "KOR", "JPN", "CHE"} <= codes
    for f in feats:
        assert set(f["properties"]) == {"iso3", "name_en"}
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        for poly in polys:
            for ring in poly:
                assert ring[0] == ring[-1] and len(ring) >= 4
                xs = [p[0] for p in ring]
                assert -180 <= min(xs) and max(xs) <= 180
                assert max(xs) - min(xs) < 180, f["properties"]  # nothing spans the map
                assert all(round(v, 3) == v for p in ring for v in p)
    russia = [f for f in feats if f["properties"]["iso3"] == "RUS"][0]["geometry"]
    xs = [p[0] for poly in russia["coordinates"] for p in poly[0]]
    assert min(xs) < -169 and max(xs) > 179  # Chukotka kept, on both sides


def test_bbox_file_has_small_countries() -> None:
    boxes = geo.load_bboxes()
    assert {"SGP", "CHE", "KOR", "LUX", "MLT"} <= boxes.keys()
    min_lon, min_lat, max_lon, max_lat = boxes["SGP"]
    assert 103 < min_lon < max_lon < 104.5 and 1 < min_lat < max_lat < 1.6
    with geo.BBOX_FILE.open(encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == ["iso3", "min_lon", "min_lat", "max_lon", "max_lat"]


def _clusters() -> pd.DataFrame:
    return pd.read_csv(ROOT / "data" / "clusters.csv", dtype=str, keep_default_na=False)


def test_every_cluster_is_inside_its_country_bbox() -> None:
    boxes = geo.load_bboxes()
    tol = 0.5
    bad = []
    for r in _clusters().itertuples():
        lat, lon = float(r.lat), float(r.lon)
        min_lon, min_lat, max_lon, max_lat = boxes[r.country]
        inside = (min_lon - tol <= lon <= max_lon + tol) and (min_lat - tol <= lat <= max_lat + tol)
        if not inside:
            bad.append((r.cluster_id, r.country, lat, lon))
    assert not bad, bad


def test_city_clusters_are_on_or_near_their_country_shape() -> None:
    shapes = geo.country_polygons(geo.load_countries())
    bad = []
    for r in _clusters().itertuples():
        if r.geo_precision != "city" or r.country not in shapes:
            continue
        d = geo.distance_to_polygons((float(r.lon), float(r.lat)), shapes[r.country])
        if d > 1.0:
            bad.append((r.cluster_id, r.country, round(d, 2)))
    assert not bad, bad


def test_geojson_is_plain_json_without_network_references() -> None:
    text = (geo.GEO_DIR / "countries_110m.geojson").read_text(encoding="utf-8")
    assert "http" not in text
    json.loads(text)
