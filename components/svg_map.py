"""A small map of clusters drawn as SVG text on the server, for the compare page's columns.

The compare page shows up to four maps side by side. Drawn by deck.gl they were four WebGL
contexts and a 3 MB chunk; in a browser without a GPU (software WebGL) they took most of the
page's first visit (6-7 s of CPU in headless chromium). These maps are small multiples at one
glance, for which a picture serves: the land and the clusters as one ``<svg>`` (shown as an
image, :func:`components.svg_charts.as_image`), drawn natively. The cluster map page keeps the
interactive map (hover, zoom): each column links to it.

Web Mercator as deck.gl's MapView (:func:`components.geo.fit_view` frames the points for the
column's nominal size), so the framing is the one the interactive map opens with. The
``viewBox`` is that frame; the land is drawn around it too, so a column wider or narrower than
the nominal one (the image keeps its height and fills its column, ``preserveAspectRatio`` keeps
the frame whole and centred) shows more surroundings instead of empty margins. Pure: no ``st.*``.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from components.charts import SECTOR_COLORS
from components.geo import TILE_SIZE, fit_view, load_countries, merc_xy
from components.i18n import Lang, country_name, join_list, t
from components.map_view import FIT_MAX_ZOOM
from components.map_view import GROUP_LIMIT as PILE_LIMIT  # the map page draws points up to it
from components.safe import escape_svg as svg_text
from components.static_map import BORDER, LAND, OCEAN  # the colours of every map in the app
from components.svg_charts import Svg, coord

DOT_R = 6.0  # px at the nominal size
DOT_LINE = 1.0
HOLLOW_LINE = 2.5  # a cluster located by its country only: a hollow dot ringed in its colour
HOLLOW_FILL = "#ffffff"
MARGIN_X, MARGIN_Y = 1.0, 0.5  # land is drawn this many frame widths/heights beyond each side
MIN_STEP_PX = 1.5  # a ring's points closer than this to the previous one are left out
CELL_PX = 2.0  # above PILE_LIMIT dots, those of one style within one such square are drawn once
ALT_COUNTRIES = 5  # the image's text names this many countries, then counts the rest


Box = tuple[float, float, float, float]  # x0, y0, x1, y1
Ring = tuple[tuple[float, float], ...]


@cache
def _land() -> tuple[tuple[Box, Ring], ...]:
    """Every ring of the shipped shapes in normalised Web Mercator (0-1), with its box."""
    rings = []
    for feature in load_countries()["features"]:
        geom = feature["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        for poly in polys:
            for ring in poly:
                pts = tuple(merc_xy(p[0], p[1]) for p in ring)
                xs, ys = [p[0] for p in pts], [p[1] for p in pts]
                rings.append(((min(xs), min(ys), max(xs), max(ys)), pts))
    return tuple(rings)


def _land_path(box: Box, scale: float, ox: float, oy: float) -> str:
    """Path data of every ring meeting ``box`` (pixels), copies across ±180°, relative to the
    frame's top left ``(ox, oy)``: whole pixels, relative moves (``l dx dy``), points closer than
    :data:`MIN_STEP_PX` to the last one left out. The image is drawn at about its pixel size, so
    nothing visible is lost, and its text stays small: Streamlit scans and hashes it on every
    rerun (a 150 kB map cost the compare page 5 ms per rerun)."""
    x0, y0, x1, y1 = box
    parts: list[str] = []
    for shift in (-scale, 0.0, scale):  # the world once more on each side, where shown
        for (bx0, by0, bx1, by1), pts in _land():
            if bx1 * scale + shift < x0 or bx0 * scale + shift > x1:
                continue
            if by1 * scale < y0 or by0 * scale > y1:
                continue
            out: list[str] = []
            last: tuple[float, float] | None = None
            at = (0, 0)  # the last point written, in whole pixels
            for nx, ny in pts:
                px, py = nx * scale + shift - ox, ny * scale - oy
                if last is not None and abs(px - last[0]) + abs(py - last[1]) < MIN_STEP_PX:
                    continue
                here = (round(px), round(py))
                if last is None:
                    out.append(f"M{here[0]} {here[1]}")
                elif here != at:
                    out.append(f"l{here[0] - at[0]} {here[1] - at[1]}")
                last, at = (px, py), here
            if len(out) >= 3:
                parts.append("".join(out) + "z")
    return "".join(parts).replace(" -", "-")


def _dots(points: pd.DataFrame, scale: float, ox: float, oy: float) -> list[str]:
    """One circle per cluster; above :data:`PILE_LIMIT` clusters, one per style and
    :data:`CELL_PX` square (a large file: the image stays small, nothing visible is lost)."""
    pile = len(points) > PILE_LIMIT
    seen: set[tuple[int, int, str, bool]] = set()
    dots: list[str] = []
    hollow_col = points["geo_precision"] if "geo_precision" in points else None
    for i, (lon, lat, sector) in enumerate(
        zip(points["x"].astype(float), points["y"].astype(float), points["sector"], strict=True)
    ):
        nx, ny = merc_xy(lon, lat)
        px, py = nx * scale - ox, ny * scale - oy
        hollow = hollow_col is not None and hollow_col.iloc[i] == "country"
        if pile:
            cell = (int(px // CELL_PX), int(py // CELL_PX), str(sector), hollow)
            if cell in seen:
                continue
            seen.add(cell)
        colour = svg_text(SECTOR_COLORS[sector])
        if hollow:
            style = f'fill="{HOLLOW_FILL}" stroke="{colour}" stroke-width="{HOLLOW_LINE}"'
        else:
            style = f'fill="{colour}" stroke="{BORDER}" stroke-width="{DOT_LINE}"'
        dots.append(f'<circle cx="{coord(px)}" cy="{coord(py)}" r="{DOT_R}" {style}/>')
    return dots


def summary(points: pd.DataFrame, region: str, lang: Lang) -> str:
    """The map in words (its image's text): how many clusters, in which countries."""
    by_country = points["country"].value_counts()
    shown = [
        t("compare.map.country_n", lang, name=country_name(str(c), lang), n=int(n))
        for c, n in by_country.head(ALT_COUNTRIES).items()
    ]
    rest = len(by_country) - len(shown)
    if rest:
        shown.append(t("compare.map.more_countries", lang, n=rest))
    return t("compare.map.alt", lang, name=region, n=len(points), countries=join_list(shown, lang))


def region_map_svg(
    points: pd.DataFrame, region: str, lang: Lang, *, width: int, height: int
) -> Svg | None:
    """The clusters ``points`` (``x``/``y`` drawing positions from
    :func:`components.map_view.jitter_duplicates`, ``sector``, ``country``, optional
    ``geo_precision``) on the land, framed for a ``width`` × ``height`` column; None if empty."""
    if points.empty:
        return None
    lons, lats = list(points["x"].astype(float)), list(points["y"].astype(float))
    lat, lon, zoom = fit_view(
        lons, lats, width=width, height=height, padding=18, min_zoom=0.0, max_zoom=FIT_MAX_ZOOM
    )
    scale = TILE_SIZE * 2**zoom
    cx, cy = merc_xy(lon, lat)
    ox, oy = cx * scale - width / 2, cy * scale - height / 2  # the frame's top left, in pixels
    mx, my = width * MARGIN_X, height * MARGIN_Y
    box = (ox - mx, oy - my, ox + width + mx, oy + height + my)
    land = _land_path(box, scale, ox, oy)
    words = summary(points, region, lang)
    return Svg(
        "".join(
            [
                f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
                f' preserveAspectRatio="xMidYMid meet" role="img"'
                f' aria-label="{svg_text(words)}"'
                ' overflow="hidden">',
                f"<title>{svg_text(words)}</title>",
                f'<rect x="{coord(-mx)}" y="{coord(-my)}" width="{coord(width + 2 * mx)}"'
                f' height="{coord(height + 2 * my)}" fill="{OCEAN}"/>',
                f'<path d="{land}" fill="{LAND}"'
                f' fill-rule="evenodd" stroke="{BORDER}" stroke-width="0.8"'
                ' stroke-linejoin="round"/>',
                *_dots(points, scale, ox, oy),
                "</svg>",
            ]
        )
    )
