"""The compare page's small maps drawn as SVG (components/svg_map.py)."""

from __future__ import annotations

import base64
import html
import re
from xml.etree import ElementTree

import pandas as pd
import pytest

from components import map_view as mv
from components import svg_map
from components.charts import SECTOR_COLORS
from components.data import load_bundle
from components.i18n import LANGS, country_name, t
from components.svg_charts import as_image

HOSTILE = '<img src=x onerror=alert(1)> & "quote" [x](https://evil)'
NS = {"s": "http://www.w3.org/2000/svg"}
W, H = 394, 260


@pytest.fixture(scope="module")
def points() -> pd.DataFrame:
    return mv.jitter_duplicates(load_bundle().clusters)


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def _path_points(d: str) -> list[tuple[int, int]]:
    """The absolute points of a path of ``M x y``, ``l dx dy`` and ``z`` (whole pixels)."""
    points, x, y = [], 0, 0
    for cmd, a, b in re.findall(r"([Ml])(-?\d+)[ ]?(-?\d+)", d):
        x, y = (int(a), int(b)) if cmd == "M" else (x + int(a), y + int(b))
        points.append((x, y))
    return points


def _circles(root: ElementTree.Element) -> list[tuple[float, float]]:
    return [(float(c.get("cx")), float(c.get("cy"))) for c in root.iterfind(".//s:circle", NS)]


@pytest.mark.parametrize("where", [("country", "DEU"), ("country", "USA"), ("continent", "EU")])
def test_every_cluster_is_a_dot_inside_the_frame(points, where) -> None:  # noqa: ANN001
    col, value = where
    shown = points[points[col] == value]
    root = _parse(svg_map.region_map_svg(shown, "x", "en", width=W, height=H))
    assert root.get("viewBox") == f"0 0 {W} {H}"
    circles = _circles(root)
    assert len(circles) == len(shown)  # the report's data: one dot per cluster, none merged
    for cx, cy in circles:
        assert 0 <= cx <= W and 0 <= cy <= H, (cx, cy)
    # the sector colours, a hollow ring for clusters located by their country only
    fills = {c.get("fill") for c in root.iterfind(".//s:circle", NS)}
    assert fills <= {*SECTOR_COLORS.values(), svg_map.HOLLOW_FILL}
    # the land is drawn, beyond the frame too (a wider column shows more, not an empty margin)
    path = root.find("s:path", NS).get("d")
    assert path.count("M") > 5 and re.fullmatch(r"(M-?\d+ ?-?\d+(l-?\d+ ?-?\d+)*z)+", path)
    # whole pixels, relative moves: a map of a continent stays a few tens of kB
    assert len(path) < 60_000
    ocean = root.find("s:rect", NS)
    assert float(ocean.get("x")) < 0 and float(ocean.get("width")) > W


def test_a_cluster_located_by_country_only_is_hollow() -> None:
    row = {"x": 10.0, "y": 50.0, "sector": "biomed", "country": "DEU", "geo_precision": "country"}
    root = _parse(svg_map.region_map_svg(pd.DataFrame([row]), "x", "en", width=W, height=H))
    (dot,) = root.iterfind(".//s:circle", NS)
    assert dot.get("fill") == svg_map.HOLLOW_FILL and dot.get("stroke") == SECTOR_COLORS["biomed"]


def test_no_clusters_no_map(points) -> None:  # noqa: ANN001
    assert svg_map.region_map_svg(points.iloc[:0], "x", "en", width=W, height=H) is None


def test_land_across_the_antimeridian() -> None:
    """Clusters on both sides of 180°: the frame shows the world; land is drawn on both sides."""
    rows = [
        {"x": 174.8, "y": -36.8, "sector": "nev", "country": "NZL"},
        {"x": -149.9, "y": 61.2, "sector": "nev", "country": "USA"},
    ]
    root = _parse(svg_map.region_map_svg(pd.DataFrame(rows), "x", "en", width=W, height=H))
    xs = [x for x, _ in _path_points(root.find("s:path", NS).get("d"))]
    assert min(xs) < 0 < W < max(xs)  # land left and right of the frame's edges


def test_a_large_file_stays_small() -> None:
    """50,000 clusters in one region: dots of one style on one spot are drawn once."""
    rng = pd.Series(range(50_000))
    big = pd.DataFrame(
        {
            "x": 5 + (rng * 7919 % 2000) / 100,  # 5-25° E
            "y": 42 + (rng * 104729 % 1500) / 100,  # 42-57° N
            "sector": [list(SECTOR_COLORS)[i % len(SECTOR_COLORS)] for i in range(50_000)],
            "country": "DEU",
        }
    )
    svg = svg_map.region_map_svg(big, "x", "en", width=W, height=H)
    assert len(svg) < 2_000_000
    assert 100 < len(_circles(_parse(svg))) < len(big)


@pytest.mark.parametrize("lang", LANGS)
def test_the_image_says_what_it_shows_and_escapes_names(points, lang: str) -> None:  # noqa: ANN001
    shown = points[points["continent"] == "EU"]
    svg = svg_map.region_map_svg(shown, HOSTILE, lang, width=W, height=H)
    assert "<img" not in svg and "[x](" not in svg  # the region's name only as text
    root = _parse(svg)  # well-formed
    words = svg_map.summary(shown, HOSTILE, lang)
    assert root.get("aria-label") == words == root.find("s:title", NS).text
    assert words.startswith(t("compare.map.alt", lang, name=HOSTILE, n=len(shown), countries=""))
    top = shown["country"].value_counts()
    first = t("compare.map.country_n", lang, name=country_name(top.index[0], lang), n=top.iloc[0])
    assert first in words
    rest = len(top) - svg_map.ALT_COUNTRIES
    assert t("compare.map.more_countries", lang, n=rest) in words
    image = as_image(svg, height=H)
    assert image.count("<") == 1  # one element: the name never becomes markup
    alt = html.unescape(re.search(r'alt="([^"]*)"', image)[1])
    assert alt == words
    assert f"height:{H}px" in image and "width:100%" in image
    data = re.search(r"base64,([^\"]+)", image)[1]
    assert base64.b64decode(data).decode("utf-8") == svg
