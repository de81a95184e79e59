"""The map's frame, fitted view, zoom steps, overlapping dots and labels (components.map_frame),
and the clusters layer's id that keeps a click about the point under the pointer."""

from __future__ import annotations

import json
import re

import pytest

from components import map_frame as mf
from components import map_model as mm
from components import map_view as mv
from components.data import default_data_dir, load_bundle
from components.filters import Filters
from components.geo import country_polygons, label_points, load_countries, point_in_polygons
from components.i18n import country_name
from components.places import head, places
from components.urlstate import parse_int

# What the browser reports at the viewports the meeting-room users tried (content width with
# the sidebar open, window size): see tests/browser/test_meeting_browser.py.
SIZES = {
    "1920": {"w": 1460, "vw": 1920, "vh": 1080},
    "1280": {"w": 820, "vw": 1280, "vh": 720},
    "phone": {"w": 358, "vw": 390, "vh": 844},
}


@pytest.fixture(scope="module")
def points():
    return mv.jitter_duplicates(load_bundle(default_data_dir()).clusters)


def _pixels(points, view: mf.View, frame: mf.MapFrame) -> list[tuple[float, float]]:
    cx, cy = mf.world_px(view.longitude, view.latitude, view.zoom)
    out = []
    for x, y in zip(points["x"], points["y"], strict=True):
        px, py = mf.world_px(float(x), float(y), view.zoom)
        out.append((px - cx + frame.width / 2, py - cy + frame.height / 2))
    return out


def test_frame_by_screen() -> None:
    wide, small, phone = (mf.map_frame(SIZES[k]) for k in ("1920", "1280", "phone"))
    assert wide.beside and small.beside and not phone.beside
    for frame, vh in ((wide, 1080), (small, 720)):  # the rest of the first screen, all of it
        assert vh - mf.ABOVE_MAP - 2 * mf.BELOW_MAP <= frame.height <= vh - mf.ABOVE_MAP
    assert wide.height >= 0.7 * 1080 and small.height >= 0.55 * 720
    assert phone.width == 358 and 200 <= phone.height <= 0.62 * 844
    assert mf.map_frame(None) == mf.DEFAULT_FRAME


@pytest.mark.parametrize("size", SIZES)
def test_fitted_view_shows_every_cluster_and_fills_the_frame(points, size: str) -> None:
    frame = mf.map_frame(SIZES[size])
    frame = mf.within_world(frame, mf.view_state(points["x"], points["y"], frame))
    view = mf.view_state(points["x"], points["y"], frame)
    px = _pixels(points, view, frame)
    margin = mf.FIT_PADDING - 1
    assert all(margin <= x <= frame.width - margin for x, _ in px)
    assert all(margin <= y <= frame.height - margin for _, y in px)
    span_x = max(x for x, _ in px) - min(x for x, _ in px)
    span_y = max(y for _, y in px) - min(y for _, y in px)
    assert max(span_x / frame.width, span_y / frame.height) > 0.8


def test_zoom_steps_focus_and_nonce(points) -> None:
    frame = mf.map_frame(SIZES["1280"])
    base = mf.view_state(points["x"], points["y"], frame)
    closer = mf.view_state(points["x"], points["y"], frame, step=2, focus=(7.59, 47.56))
    assert closer.zoom == pytest.approx(base.zoom + 2)
    assert (closer.longitude, closer.latitude) == (7.59, 47.56)
    out = mf.view_state(points["x"], points["y"], frame, step=-1, focus=(7.59, 47.56))
    assert (out.longitude, out.latitude) == (base.longitude, base.latitude)  # no focus zoomed out
    top = mf.view_state(points["x"], points["y"], frame, step=mf.MAX_STEP)
    assert top.zoom <= mf.MAX_ZOOM
    nudged = mf.view_state(points["x"], points["y"], frame, nonce=1)
    assert nudged != base and abs(nudged.zoom - base.zoom) < 1e-5
    assert parse_int("3", mf.MIN_STEP, mf.MAX_STEP, 0).value == 3
    assert parse_int("99", mf.MIN_STEP, mf.MAX_STEP, 0).rejected == ("99",)
    assert parse_int("1e3", mf.MIN_STEP, mf.MAX_STEP, 0).value == 0


def test_overlapping_dots_are_listed_and_counted(points) -> None:
    world = mf.view_state(points["x"], points["y"], mf.map_frame(SIZES["1920"]))
    spots = mf.spots(points, world.zoom)
    # The two Gyeonggi clusters share a place: each lists the other.
    gyeonggi = [c for c in points["cluster_id"] if "gyeonggi" in c]
    assert len(gyeonggi) >= 2
    assert gyeonggi[1] in spots[gyeonggi[0]] and gyeonggi[0] in spots[gyeonggi[1]]
    assert all(cid not in others for cid, others in spots.items())
    assert spots[gyeonggi[0]][0] == gyeonggi[1]  # the nearest first
    seen = mf.spot_count(points, world.zoom)
    assert seen < len(points)
    assert mf.spot_count(points, world.zoom + 6) > seen  # zoomed in, more points can be told apart
    assert mf.spot_count(points.iloc[0:0], 1.0) == 0
    names = dict(zip(points["cluster_id"], points["name_en"], strict=True))
    line = mv.also_here(spots[gyeonggi[0]], names, "en")
    assert names[gyeonggi[1]] in line
    many = mv.also_here(list(points["cluster_id"][:7]), names, "en")
    assert "3 more" in many
    assert mv.also_here([], names, "zh") == ""


def test_label_points_sit_in_their_country() -> None:
    countries = load_countries()
    labels = label_points(countries)
    polygons = country_polygons(countries)
    for code in ("DEU", "FRA", "USA", "CHN", "JPN", "GBR", "CHE", "BRA", "AUS"):
        lon, lat, _area, width = labels[code]
        assert point_in_polygons((lon, lat), polygons[code]), code
        assert width > 0
    lon, lat, *_ = labels["FRA"]
    assert 40 < lat < 52 and -5 < lon < 9  # metropolitan France, not French Guiana


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", SIZES)
def test_country_labels_do_not_overlap_and_are_localised(points, size: str, lang: str) -> None:
    frame = mf.map_frame(SIZES[size])
    view = mf.view_state(points["x"], points["y"], frame)
    rows = mf.country_labels(load_countries(), lang, view, frame, first=["USA", "DEU", "CHN"])
    assert rows, "no country labelled"
    assert {"text", "x", "y"} <= set(rows[0])
    texts = [r["text"] for r in rows]
    assert country_name("USA", lang) in texts and country_name("CHN", lang) in texts
    boxes = []
    for r, (x, y) in zip(rows, _pixels_for(rows, view, frame), strict=True):
        half = mf.text_width(r["text"], mf.COUNTRY_LABEL_PX) / 2
        boxes.append((x - half, y - 6, x + half, y + 6))
        assert 0 <= x - half and x + half <= frame.width
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def _pixels_for(rows, view, frame):  # noqa: ANN001, ANN202
    import pandas as pd

    frame_points = pd.DataFrame({"x": [r["x"] for r in rows], "y": [r["y"] for r in rows]})
    return _pixels(frame_points, view, frame)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_city_labels_only_when_zoomed_in(points, lang: str) -> None:
    frame = mf.map_frame(SIZES["1920"])
    world = mf.view_state(points["x"], points["y"], frame)
    assert mf.city_labels(points, lang, world, frame) == []
    europe = points[points["continent"] == "EU"]
    close = mf.view_state(europe["x"], europe["y"], frame, step=3)
    rows = mf.city_labels(europe, lang, close, frame)
    assert rows and all(r["text"] and not set(",，(（") & set(r["text"]) for r in rows)
    assert len({r["text"] for r in rows}) == len(rows)  # each place once
    texts = {r["text"] for r in rows}
    # The place names are the reader's: Chinese in Chinese (no Latin letters), English in English.
    heads = {lg: {head(p) for p in europe[f"place_{lg}"]} for lg in ("zh", "en")}
    other = "en" if lang == "zh" else "zh"
    assert texts <= heads[lang] and not texts & heads[other], texts
    if lang == "zh":
        assert not [x for x in texts if re.search("[A-Za-z]", x)], texts


def test_text_layer_draws_cjk_offline() -> None:
    layer = json.loads(
        json.dumps(mv.text_layer("labels", [{"text": "德国", "x": 10, "y": 51}], size=12).__dict__,
                   default=str)
    )  # fmt: skip
    deck = mv.build_deck(
        mv.jitter_duplicates(load_bundle(default_data_dir()).clusters.iloc[:3]),
        {"type": "FeatureCollection", "features": []},
        "zh",
        labels=[{"text": "德国", "x": 10.0, "y": 51.0}],
    )
    spec = json.loads(deck.to_json())
    (labels,) = [x for x in spec["layers"] if x["id"] == mv.LAYER_LABELS]
    assert labels["@@type"] == "TextLayer" and labels["characterSet"] == "auto"
    assert not labels["fontFamily"].startswith("@@") and "Noto Sans CJK SC" in labels["fontFamily"]
    assert labels["getTextAnchor"] == "middle" and labels["data"][0]["text"] == "德国"
    # Each name is drawn where it was placed: moved by its row's offset (none given: none).
    assert labels["getPixelOffset"] == "@@=offset" and labels["data"][0]["offset"] == [0, 0]
    assert layer  # the layer object serialises


def test_cluster_layer_id_changes_with_data_and_picks() -> None:
    layer = mv.cluster_layer_id(["z"], None)
    event = {"selection": {"indices": {layer: [0]}, "objects": {layer: [{"cluster_id": "a"}]}}}
    none = mv.cluster_layer_id(["a", "b"], None)
    assert mv.is_cluster_layer(none) and none.startswith(f"{mv.LAYER_CLUSTERS}-")
    assert mv.cluster_layer_id(["a", "b"], None) == none  # stable while nothing changes
    assert mv.cluster_layer_id(["a"], None) != none  # other data: another layer
    assert mv.cluster_layer_id(["a", "b"], event) != none  # a new pick: another layer
    assert mv.picked_ids(event) == ["a"]
    assert not mv.is_cluster_layer("selected") and not mv.is_cluster_layer("clustersx")
    assert not mv.is_cluster_layer("selected-name", mv.LAYER_SELECTED)


def test_frame_never_taller_than_the_world(points) -> None:
    frame = mf.map_frame(SIZES["1280"])
    fit = mf.view_state(points["x"], points["y"], frame)
    inside = mf.within_world(frame, fit)
    _, cy = mf.world_px(fit.longitude, fit.latitude, fit.zoom)
    assert inside.height / 2 <= min(cy, 512 * 2**fit.zoom - cy) and inside.width == frame.width
    assert inside.height >= 0.55 * SIZES["1280"]["vh"]
    assert mf.within_world(frame, mf.View(20.0, 10.0, 3.0)) == frame


# --- base-map labels against the clusters (zoomed on Korea) ------------------------------------

KOREA = Filters(countries=("KOR",))
DAEDEOK = "daedeok-innopolis"
DOT_HALF = 9  # a dot's radius (7 px) and its outline


def _box(
    view: mf.View, frame: mf.MapFrame, lon: float, lat: float, half_w: float, half_h: float,
    dx: float = 0, dy: float = 0,
) -> tuple[float, float, float, float]:  # fmt: skip
    """The screen box of something drawn at (lon, lat), moved by (dx, dy) pixels."""
    cx, cy = mf.world_px(view.longitude, view.latitude, view.zoom)
    x, y = mf.world_px(lon, lat, view.zoom)
    x, y = x - cx + frame.width / 2 + dx, y - cy + frame.height / 2 + dy
    return x - half_w, y - half_h, x + half_w, y + half_h


def _meet(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", ["1280", "1920"])
@pytest.mark.parametrize("selected", [None, DAEDEOK])
def test_base_map_labels_keep_clear_of_clusters_and_each_other(
    size: str, lang: str, selected: str | None
) -> None:
    """Zoomed on Korea (the country filter, or a Korean cluster opened and zoomed to), no
    country or city name overlaps another, a cluster's dot or the open cluster's name box, as
    the deck draws them (each row's pixel ``offset``); the map still names the places."""
    bundle = load_bundle(default_data_dir())
    frame = mm.fitted(bundle, KOREA, mf.map_frame(SIZES[size]))
    view = mm.view(bundle, KOREA, frame, 0, None, 0)
    assert view.zoom >= mf.CITY_LABEL_ZOOM, "the Korea view shows city names"
    rows = mm.labels(bundle, KOREA, lang, view, frame, mv.GROUP_LIMIT, selected)
    assert len(rows) >= 4, rows
    texts = {r["text"] for r in rows}
    if size == "1920":  # North Korea in view, by its short name (not 朝鲜民主主义人民共和国)
        assert {"zh": "朝鲜", "en": "North Korea"}[lang] in texts, texts
    cities = {head(p) for p in places(mm.shown(bundle, KOREA), lang)}
    assert texts & cities, texts  # the places are named, in the reader's language
    countries = texts - cities  # by their short names
    assert all(len(t) <= 4 for t in countries if ord(t[0]) >= 0x2E80), texts
    boxes = []
    for r in rows:
        size_px = r.get("size", mf.COUNTRY_LABEL_PX)
        dx, dy = r.get("offset", (0, 0))
        half_w, half_h = mf.text_width(r["text"], size_px) / 2, size_px / 2
        boxes.append((r["text"], _box(view, frame, r["x"], r["y"], half_w, half_h, dx, dy)))
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            assert not _meet(box_a, box_b), f"{a!r} overlaps {b!r}"
    points = mm.shown(bundle, KOREA)
    for r in points.itertuples(index=False):
        dot = _box(view, frame, float(r.x), float(r.y), DOT_HALF, DOT_HALF)
        for text, box in boxes:
            assert not _meet(box, dot), f"{text!r} covers the dot of {r.cluster_id}"
    if selected:
        row = points[points["cluster_id"] == selected].iloc[0]
        name = row[f"name_{lang}"]
        half_w = mf.text_width(name, mf.SELECTED_NAME_PX) / 2 + 6
        tag = _box(view, frame, row["x"], row["y"], half_w, 11, 0, mf.SELECTED_NAME_DY)
        for text, box in boxes:
            assert not _meet(box, tag), f"{text!r} under the open cluster's name"
