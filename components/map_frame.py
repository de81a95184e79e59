"""Where the map sits and what its first view shows. Pure functions, no ``st.*``.

- :func:`map_frame`: the map's size from the measured screen (``components.viewport``): the rest
  of the first screen under the page's head on a projector, with the profile beside it; full
  width with the profile below on a narrow screen.
- :func:`view_state`: the view that fits every shown cluster in that frame, moved by the zoom
  buttons (whole steps above or below the fit; centred on the open cluster when zoomed in).
- :func:`spots`: clusters drawn on top of each other at that zoom (the tooltip lists them, the
  caption counts the separate points one can see).
- :func:`country_labels`, :func:`city_labels`: labels drawn from the shipped shapes and the
  cluster list, only where they do not overlap at that zoom.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from components.geo import TILE_SIZE, fit_view, label_points
from components.i18n import Lang, country_name

FIT_PADDING = 28  # px kept free around the fitted points: a dot, its ring and a margin
MIN_ZOOM = -1.5  # a phone shows the whole world below zoom 0
MAX_ZOOM = 6.0  # beyond this the 1:110m country shapes look coarse
FIT_MAX_ZOOM = 5.0  # one cluster: its country and neighbours stay in view
MIN_STEP, MAX_STEP = -2, 6  # zoom buttons: whole steps from the fitted view
FOCUS_STEP = 3  # "zoom to this cluster"
CITY_LABEL_ZOOM = 3.5  # city names appear from this zoom on
OVERLAP_PX = 14  # dots (radius 7 px) whose centres are closer than this overlap
SAME_SPOT_PX = 6  # closer than this, two dots look like one

BESIDE_MIN_WIDTH = 760  # content width from which the profile sits beside the map
MAP_SHARE = 3 / 5  # the map column's share of the content width (``st.columns([3, 2])``)
COLUMN_GAP = 16  # px between those columns (``gap="small"``)
# Measured in chromium, both languages: the map starts 306 px down at 1280×720 (title beside a
# two-line count and intro, filters, tabs), 284 px at 1920×1080 (the intro on one line).
ABOVE_MAP = 306  # px of title, filters and tabs above the map on a wide screen
BELOW_MAP = 14  # px left under the map: it ends within the first screen, its edge in view
MIN_HEIGHT = 380  # px: on a shorter screen the map keeps this height and the page scrolls
MAX_HEIGHT = 1100


@dataclass(frozen=True)
class MapFrame:
    """The map's size in CSS pixels, and whether the profile sits beside it."""

    width: int
    height: int
    beside: bool


DEFAULT_FRAME = MapFrame(width=560, height=480, beside=True)  # before the browser has reported


def map_frame(size: Mapping[str, int] | None) -> MapFrame:
    """The map's frame for a measured content width ``w`` and window ``vw`` × ``vh``."""
    if not size:
        return DEFAULT_FRAME
    w, vh = int(size["w"]), int(size["vh"])
    if w >= BESIDE_MIN_WIDTH:
        width = round((w - COLUMN_GAP) * MAP_SHARE)
        height = vh - ABOVE_MAP - BELOW_MAP
        return MapFrame(width, min(max(height, MIN_HEIGHT), MAX_HEIGHT), beside=True)
    height = min(max(round(0.9 * w), 260), round(0.62 * vh))
    return MapFrame(w, max(height, 200), beside=False)


@dataclass(frozen=True)
class View:
    """A deck.gl MapView position."""

    latitude: float
    longitude: float
    zoom: float


def view_state(
    xs: Sequence[float],
    ys: Sequence[float],
    frame: MapFrame,
    *,
    step: int = 0,
    focus: tuple[float, float] | None = None,
    nonce: int = 0,
) -> View:
    """The view fitting the points ``(xs, ys)`` in ``frame``, ``step`` zoom levels closer.

    When zoomed in (``step > 0``) with a cluster open, the view centres on ``focus`` (lon, lat).
    ``nonce`` (a count of button presses) nudges the view by a millionth: Streamlit applies a
    new initial view only where it differs from the last, so "reset" after panning still resets.
    """
    lat, lon, zoom = fit_view(
        list(xs),
        list(ys),
        width=frame.width,
        height=frame.height,
        padding=FIT_PADDING,
        min_zoom=MIN_ZOOM,
        max_zoom=FIT_MAX_ZOOM,
    )
    zoom = min(max(zoom + step, MIN_ZOOM), MAX_ZOOM)
    if focus is not None and step > 0:
        lon, lat = focus
    eps = 1e-6 * (nonce % 2)
    return View(round(lat + eps, 7), round(lon + eps, 7), round(zoom + eps, 7))


def within_world(frame: MapFrame, view: View) -> MapFrame:
    """``frame`` no taller than the world above and below ``view``'s centre allows: deck.gl moves
    a view whose top or bottom would pass the Mercator edge (the fitted points would shift)."""
    world = TILE_SIZE * 2**view.zoom
    _, cy = world_px(view.longitude, view.latitude, view.zoom)
    tallest = int(2 * min(cy, world - cy)) - 2
    return frame if frame.height <= tallest else MapFrame(frame.width, tallest, frame.beside)


def world_px(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixel coordinates of a point at ``zoom`` (deck.gl's 512 px world)."""
    lat = max(-85.0511, min(85.0511, lat))
    size = TILE_SIZE * 2**zoom
    y = (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2
    return (lon + 180) / 360 * size, y * size


def _buckets(pos: Sequence[tuple[float, float]], gap: float) -> dict[tuple[int, int], list[int]]:
    """Point indices by square of side ``gap``: points closer than ``gap`` share a square or
    touch neighbouring ones, so a neighbour search looks at 9 squares, not at every point."""
    out: dict[tuple[int, int], list[int]] = {}
    for i, (x, y) in enumerate(pos):
        out.setdefault((int(x // gap), int(y // gap)), []).append(i)
    return out


def _near(
    buckets: Mapping[tuple[int, int], list[int]], p: tuple[float, float], gap: float
) -> list[int]:
    cx, cy = int(p[0] // gap), int(p[1] // gap)
    cells = ((cx + dx, cy + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1))
    return [i for c in cells for i in buckets.get(c, ())]


def spots(points: pd.DataFrame, zoom: float, gap: float = OVERLAP_PX) -> dict[str, list[str]]:
    """For each ``cluster_id``, the other clusters whose dots overlap its dot at ``zoom``
    (centres closer than ``gap`` pixels), nearest first (ties by ``cluster_id``)."""
    ids = list(points["cluster_id"])
    pos = [
        world_px(float(x), float(y), zoom) for x, y in zip(points["x"], points["y"], strict=True)
    ]
    buckets = _buckets(pos, gap)
    out: dict[str, list[str]] = {}
    for i, cid in enumerate(ids):
        near = []
        for j in _near(buckets, pos[i], gap):
            if j != i:
                d = math.dist(pos[i], pos[j])
                if d < gap:
                    near.append((d, ids[j]))
        out[cid] = [c for _, c in sorted(near)]
    return out


def spot_count(points: pd.DataFrame, zoom: float, gap: float = SAME_SPOT_PX) -> int:
    """How many separate points the eye can count at ``zoom``: a dot whose centre is within
    ``gap`` pixels of a dot already counted adds none (greedy, in ``cluster_id`` order)."""
    seeds: dict[tuple[int, int], list[int]] = {}
    kept: list[tuple[float, float]] = []
    for r in points.sort_values("cluster_id").itertuples(index=False):
        p = world_px(float(r.x), float(r.y), zoom)
        if all(math.dist(p, kept[i]) >= gap for i in _near(seeds, p, gap)):
            seeds.setdefault((int(p[0] // gap), int(p[1] // gap)), []).append(len(kept))
            kept.append(p)
    return len(kept)


# --- labels --------------------------------------------------------------------------------------

COUNTRY_LABEL_PX = 12
CITY_LABEL_PX = 12


def text_width(text: str, size: int) -> float:
    """Rough rendered width: CJK characters are square, Latin ones about 0.6 em."""
    return sum(size if ord(ch) >= 0x2E80 else 0.6 * size for ch in text)


class _Placer:
    """Greedy label placement: a label is kept only if its box meets no kept box."""

    def __init__(self, view: View, frame: MapFrame) -> None:
        self.view, self.frame = view, frame
        self.cx, self.cy = world_px(view.longitude, view.latitude, view.zoom)
        self.boxes: list[tuple[float, float, float, float]] = []

    def place(self, lon: float, lat: float, text: str, size: int, dy: float = 0) -> bool:
        x, y = world_px(lon, lat, self.view.zoom)
        x, y = x - self.cx + self.frame.width / 2, y - self.cy + self.frame.height / 2 + dy
        half_w, half_h = text_width(text, size) / 2 + 3, size / 2 + 2
        box = (x - half_w, y - half_h, x + half_w, y + half_h)
        inside = box[0] >= 0 and box[1] >= 0 and box[2] <= self.frame.width
        if not inside or box[3] > self.frame.height:
            return False
        if any(
            b[0] < box[2] and box[0] < b[2] and b[1] < box[3] and box[1] < b[3] for b in self.boxes
        ):
            return False
        self.boxes.append(box)
        return True


def country_labels(
    countries: dict,
    lang: Lang,
    view: View,
    frame: MapFrame,
    *,
    first: Sequence[str] = (),
) -> list[dict]:
    """Country names at their label points that fit without overlap at ``view``'s zoom.

    Countries in ``first`` (those with clusters shown) are placed first, then the others by size;
    a country is labelled only if it is drawn wider than half its name.
    """
    points = label_points(countries)
    scale = TILE_SIZE * 2**view.zoom / 360
    order = [c for c in first if c in points]
    order += sorted((c for c in points if c not in set(first)), key=lambda c: -points[c][2])
    placer = _Placer(view, frame)
    rows = []
    for code in order:
        lon, lat, _area, width_deg = points[code]
        name = country_name(code, lang)
        if name == code:  # no name for this code (a Natural Earth-only entity)
            continue
        if width_deg * scale < text_width(name, COUNTRY_LABEL_PX) / 2:
            continue
        if placer.place(lon, lat, name, COUNTRY_LABEL_PX):
            rows.append({"text": name, "x": round(lon, 4), "y": round(lat, 4)})
    return rows


def city_labels(points: pd.DataFrame, view: View, frame: MapFrame) -> list[dict]:
    """Place names of the shown clusters, under their dots, from :data:`CITY_LABEL_ZOOM` on."""
    if view.zoom < CITY_LABEL_ZOOM or points.empty:
        return []
    placer = _Placer(view, frame)
    rows, seen = [], set()
    for r in points.sort_values("cluster_id").itertuples(index=False):
        if r.geo_precision == "country":
            continue
        name = str(r.place_en).split(",")[0].split("(")[0].strip()
        if not name or name in seen:
            continue
        if placer.place(float(r.x), float(r.y), name, CITY_LABEL_PX, dy=14):
            seen.add(name)
            rows.append({"text": name, "x": float(r.x), "y": float(r.y)})
    return rows
