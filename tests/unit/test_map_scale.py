"""The map at any size: country shapes served as a static file, overlap search by squares, groups
above the point limit, and the page's results kept per dataset (components.map_model)."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from components import map_frame as mf
from components import map_model as mm
from components import map_view as mv
from components.charts import SECTOR_COLORS, hex_to_rgb
from components.data import default_data_dir, load_bundle
from components.filters import Filters
from components.geo import COUNTRIES_FILE, border_segments, borders_json, load_countries
from components.i18n import t

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bundle():
    return load_bundle(default_data_dir())


def _synthetic(n: int, seed: int = 1) -> pd.DataFrame:
    """``n`` clusters around three places (most in Europe), all sectors, as drawn points."""
    rng = np.random.default_rng(seed)
    places = [(8.0, 48.0, "DEU"), (2.3, 48.8, "FRA"), (121.5, 31.2, "CHN")]
    pick = rng.choice(len(places), size=n, p=[0.5, 0.3, 0.2])
    sectors = list(SECTOR_COLORS)
    return pd.DataFrame(
        {
            "cluster_id": [f"s-{i:06d}" for i in range(n)],
            "x": [places[k][0] + rng.uniform(-3, 3) for k in pick],
            "y": [places[k][1] + rng.uniform(-2, 2) for k in pick],
            "country": [places[k][2] for k in pick],
            "sector": [sectors[i % len(sectors)] for i in range(n)],
        }
    )


# --- the country shapes: a static file the browser fetches once ---------------------------------


def test_static_countries_file_is_the_shipped_shapes() -> None:
    served = ROOT / "static" / "countries_110m.json"
    assert served.read_bytes() == COUNTRIES_FILE.read_bytes()  # data/geo/build_geo.py writes both
    assert json.loads(served.read_text(encoding="utf-8"))["type"] == "FeatureCollection"
    # Relative: resolved under the app's own address (a sub-path, a proxy), never another host.
    assert mv.COUNTRIES_URL == "app/static/" + served.name
    assert "enableStaticServing = true" in (ROOT / ".streamlit" / "config.toml").read_text()


def test_deck_names_the_shapes_by_url_and_stays_small(bundle) -> None:
    points = mv.jitter_duplicates(bundle.clusters)
    deck = mv.build_deck(points, mv.COUNTRIES_URL, "en")
    spec = json.loads(deck.to_json())
    land = next(layer for layer in spec["layers"] if layer["id"] == mv.LAYER_COUNTRIES)
    assert land["data"] == mv.COUNTRIES_URL
    assert len(deck.to_json()) < 150_000  # the shapes alone were over a megabyte
    assert "\n" not in deck.to_json()  # compact JSON
    assert "http" not in deck.to_json()


def test_static_borders_file_is_the_shipped_shapes_outlines() -> None:
    served = ROOT / "static" / "borders_110m.json"
    # data/geo/build_geo.py writes it from the same shapes
    assert served.read_text(encoding="utf-8") == borders_json(load_countries())
    assert mv.BORDERS_URL == "app/static/" + served.name


def test_border_segments_draw_each_edge_once_and_no_cut_at_the_antimeridian() -> None:
    square = [[170, 0], [180, 0], [180, 10], [170, 10], [170, 0]]
    east = [[-180, 0], [-170, 0], [-170, 10], [-180, 10], [-180, 0]]
    shared = [[170, 10], [180, 10], [180, 20], [170, 20], [170, 10]]  # shares the edge y=10

    def feature(code: str, kind: str, coordinates: list) -> dict:
        return {
            "properties": {"iso3": code},
            "geometry": {"type": kind, "coordinates": coordinates},
        }

    collection = {
        "type": "FeatureCollection",
        "features": [
            feature("AAA", "Polygon", [square]),
            feature("BBB", "MultiPolygon", [[east], [shared]]),
        ],
    }
    segments = border_segments(collection)
    pairs = [(tuple(seg["s"]), tuple(seg["t"])) for seg in segments]
    assert len(pairs) == len(set(pairs))
    assert ((170.0, 10.0), (180.0, 10.0)) in pairs  # shared by two shapes, drawn once
    assert not any(abs(a[0]) == 180 and a[0] == b[0] for a, b in pairs)  # the ±180° cuts
    assert len(pairs) == 3 + 3 + 3 - 1


def test_deck_draws_outlines_with_a_line_layer_when_given_the_borders(bundle) -> None:
    points = mv.jitter_duplicates(bundle.clusters)
    deck = mv.build_deck(points, mv.COUNTRIES_URL, "en", borders=mv.BORDERS_URL)
    layers = json.loads(deck.to_json())["layers"]
    by_id = {layer["id"]: layer for layer in layers}
    assert by_id[mv.LAYER_BORDERS]["@@type"] == "LineLayer"
    assert by_id[mv.LAYER_BORDERS]["data"] == mv.BORDERS_URL
    assert by_id[mv.LAYER_COUNTRIES]["stroked"] is False  # not drawn twice
    ids = [layer["id"] for layer in layers]
    assert ids.index(mv.LAYER_COUNTRIES) < ids.index(mv.LAYER_BORDERS) < ids.index(mv.LAYER_LABELS)
    alone = json.loads(mv.build_deck(points, mv.COUNTRIES_URL, "en").to_json())["layers"]
    assert mv.LAYER_BORDERS not in {layer["id"] for layer in alone}
    assert next(la for la in alone if la["id"] == mv.LAYER_COUNTRIES)["stroked"] is True


# --- overlaps found by squares: the same answer as comparing every pair -------------------------


def _spots_pairwise(points: pd.DataFrame, zoom: float, gap: float) -> dict[str, list[str]]:
    ids = list(points["cluster_id"])
    pos = [mf.world_px(x, y, zoom) for x, y in zip(points["x"], points["y"], strict=True)]
    near: dict[str, list[tuple[float, str]]] = {c: [] for c in ids}
    for i, j in itertools.combinations(range(len(ids)), 2):
        d = math.dist(pos[i], pos[j])
        if d < gap:
            near[ids[i]].append((d, ids[j]))
            near[ids[j]].append((d, ids[i]))
    return {c: [o for _, o in sorted(v)] for c, v in near.items()}


def _spot_count_pairwise(points: pd.DataFrame, zoom: float, gap: float) -> int:
    seeds: list[tuple[float, float]] = []
    for r in points.sort_values("cluster_id").itertuples(index=False):
        p = mf.world_px(r.x, r.y, zoom)
        if all(math.dist(p, q) >= gap for q in seeds):
            seeds.append(p)
    return len(seeds)


@pytest.mark.parametrize("zoom", [0.0, 2.0, 4.5])
def test_spots_by_squares_match_every_pair(zoom: float) -> None:
    points = _synthetic(600)
    assert mf.spots(points, zoom) == _spots_pairwise(points, zoom, mf.OVERLAP_PX)
    assert mf.spot_count(points, zoom) == _spot_count_pairwise(points, zoom, mf.SAME_SPOT_PX)


# --- groups above the point limit ----------------------------------------------------------------


def test_groups_count_every_cluster_once() -> None:
    points = _synthetic(5000)
    groups = mv.group_points(points, 1.0)
    assert groups["n"].sum() == len(points)
    assert len(groups) < len(points) / 10  # a few dozen circles, not thousands of dots
    assert groups["n"].is_monotonic_decreasing  # big circles drawn first, small ones on top
    for g in groups.itertuples(index=False):
        assert sum(k for _, k in g.sectors) == g.n == sum(k for _, k in g.countries)
        assert g.sector == g.sectors[0][0]
        counts = [k for _, k in g.sectors]
        assert counts == sorted(counts, reverse=True)
    # Zoomed in, the same clusters split into more, smaller groups.
    assert len(mv.group_points(points, 4.0)) > len(groups)
    assert mv.group_points(points.iloc[0:0], 1.0).empty


def test_group_position_is_the_mean_of_its_clusters() -> None:
    points = pd.DataFrame(
        {
            "cluster_id": ["a", "b", "c"],
            "x": [10.0, 10.01, -70.0],
            "y": [50.0, 50.01, 40.0],
            "country": ["DEU", "DEU", "USA"],
            "sector": ["biomed", "nev", "biomed"],
        }
    )
    groups = mv.group_points(points, 1.0)
    assert groups["n"].tolist() == [2, 1]
    first = groups.iloc[0]
    assert first["x"] == pytest.approx(10.005) and first["y"] == pytest.approx(50.005)
    assert first["countries"] == (("DEU", 2),)
    assert first["sectors"] == (("biomed", 1), ("nev", 1))  # ties by code


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_group_rows_colour_radius_and_tooltip(lang: str) -> None:
    groups = mv.group_points(_synthetic(3000), 0.5)
    rows = mv.group_rows(groups, lang)
    assert len(rows) == len(groups)
    top = rows[0]
    assert top["color"][:3] == hex_to_rgb(SECTOR_COLORS[groups.iloc[0]["sector"]])
    assert top["tt_name"] == t("map.group_count", lang, n=int(groups.iloc[0]["n"]))
    assert top["tt_where"] == t("map.group_hint", lang)
    assert all(set(r) >= {"x", "y", "r", "tt_line", "tt_lead"} for r in rows)
    assert mv.group_radius(1) == 6 and mv.group_radius(10_000) == 22
    assert 6 <= min(r["r"] for r in rows) <= max(r["r"] for r in rows) <= 22
    # Every tooltip placeholder of the deck's template is filled (no raw "{tt_…}" shown).
    for field in ("tt_name", "tt_alt", "tt_line", "tt_lead", "tt_where", "tt_more"):
        assert "{" + field + "}" in mv.tooltip(lang)["html"] and field in top


def test_group_layer_id_changes_with_each_group_click() -> None:
    assert mv.group_layer_id(None) == mv.LAYER_GROUPS
    click = {"selection": {"objects": {"groups": [{"x": 1.0, "y": 2.0}]}}}
    other = {"selection": {"objects": {"groups": [{"x": 3.0, "y": 2.0}]}}}
    first = mv.group_layer_id(click)
    assert first.startswith("groups-") and first != mv.group_layer_id(other)
    assert mv.picked_ids(click) == []  # a group opens no profile


# --- results kept per dataset ---------------------------------------------------------------------


def test_model_results_are_kept_and_match_direct_computation(bundle) -> None:
    biomed = Filters(sectors=("biomed",))
    shown = mm.shown(bundle, biomed)
    assert set(shown["cluster_id"]) == set(
        bundle.clusters.query("sector == 'biomed'")["cluster_id"]
    )
    assert mm.shown(bundle, biomed) is not shown  # its own shallow copy each time
    limit = mv.GROUP_LIMIT
    rows = mm.point_rows(bundle, biomed, "en", 2.0, limit)
    assert mm.point_rows(bundle, biomed, "en", 2.0, limit) is rows  # kept: not rebuilt
    assert [r["cluster_id"] for r in rows] == shown["cluster_id"].tolist()
    assert mm.group_rows(bundle, biomed, "en", 2.0, limit) == ()  # few: drawn one by one
    assert not mm.grouped(bundle, Filters(), limit)
    assert mm.table(bundle, biomed, "zh") is mm.table(bundle, biomed, "zh")
    assert len(mm.table(bundle, biomed, "zh").frame) == len(shown)
    html, near = mm.card(bundle, "basel-health-valley", "en")
    assert "Novartis" in html and len(near) == 5
    assert mm.card(bundle, "no-such-cluster", "en") == ("", ())
    assert mm.is_shown(bundle, biomed, "basel-health-valley")
    assert not mm.is_shown(bundle, Filters(sectors=("nev",)), "basel-health-valley")


def test_model_groups_above_the_limit(bundle) -> None:
    everything = Filters()
    assert mm.grouped(bundle, everything, 20)
    assert mm.point_rows(bundle, everything, "en", 1.0, 20) == ()
    groups = mm.group_rows(bundle, everything, "en", 1.0, 20)
    assert groups and sum(int(r["tt_name"].split()[0]) for r in groups) == len(bundle.clusters)
    assert dict(mm.spots(bundle, everything, 1.0, 20)) == {}
    # The limit is part of what is kept: the same view under the real limit draws points.
    assert len(mm.point_rows(bundle, everything, "en", 1.0, mv.GROUP_LIMIT)) == len(bundle.clusters)


def test_deck_writes_what_pydeck_writes(bundle) -> None:
    """The light Deck (no Jupyter probe per construction) writes pydeck's own JSON."""
    import pydeck as pdk

    points = mv.jitter_duplicates(bundle.clusters)
    ours = mv.build_deck(points, mv.COUNTRIES_URL, "zh", selected=points.iloc[:1])
    theirs = pdk.Deck(
        layers=ours.layers,
        initial_view_state=ours.initial_view_state,
        map_provider=None,
        tooltip=mv.tooltip("zh"),
    )
    assert json.loads(ours.to_json()) == json.loads(theirs.to_json())
    assert ours._tooltip == theirs._tooltip == mv.tooltip("zh")
    assert ours.mapbox_key is None
