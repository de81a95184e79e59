"""Where the map sits and what its first view shows. Pure functions, no ``st.*``.

- :func:`map_frame`: the map's size from the measured screen (``components.viewport``): the rest
  of the first screen under the page's head on a projector, with the profile beside it; full
  width with the profile below on a narrow screen.
- :func:`view_state`: the view that fits every shown cluster in that frame, moved by the zoom
  buttons (whole steps above or below the fit; centred on the open cluster when zoomed in).
- :func:`spots`: clusters drawn on top of each other at that zoom (the tooltip lists them, the
  caption counts the separate points one can see).
- :func:`place_labels`: the base map's country and place names at that view, each where it
  meets no other name, no cluster's dot and not the open cluster's name (which win), or left
  out. Placed for the view the app sets; a reader's own wheel zoom does not re-place them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from components.geo import TILE_SIZE, fit_view, label_points
from components.i18n import Lang, country_name
from components.places import head, places

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
SELECTED_NAME_PX = 15  # the open cluster's name, boxed above its dot (``map_view.build_deck``)
SELECTED_NAME_DY = -22  # px from the dot's centre to the name's
SELECTED_NAME_PAD = (7, 4)  # the box's padding (6, 3 px) and border (1 px), each side
DOT_PX = 9  # half the side of the square a dot covers: its 7 px radius and outline
SELECTED_DOT_PX = 12  # the open cluster's dot: 10 px radius and its 3 px ring, half outside
NUDGE_PX = 18  # a country's name may move this many pixels up or down (twice that sideways),
# or two or three times as far, while that stays well inside the country
GRID_PX = 64  # side of the squares the placer files boxes under

Box = tuple[float, float, float, float]


def text_width(text: str, size: int) -> float:
    """Rough rendered width: CJK characters are square, Latin ones about 0.6 em."""
    return sum(size if ord(ch) >= 0x2E80 else 0.6 * size for ch in text)


def _meet(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class _Placer:
    """Greedy label placement on the screen of ``view`` in ``frame``: a label is kept only at a
    spot where its box stays inside the frame and meets no box kept before it, obstacles (the
    clusters' dots, the open cluster's name) included. Boxes are filed by square of
    :data:`GRID_PX`, so a test looks at the few boxes nearby, not at every one."""

    def __init__(self, view: View, frame: MapFrame) -> None:
        self.view, self.frame = view, frame
        self.cx, self.cy = world_px(view.longitude, view.latitude, view.zoom)
        self.grid: dict[tuple[int, int], list[Box]] = {}

    def screen(self, lon: float, lat: float) -> tuple[float, float]:
        """Where (lon, lat) is drawn, in pixels from the frame's top left corner."""
        x, y = world_px(lon, lat, self.view.zoom)
        return x - self.cx + self.frame.width / 2, y - self.cy + self.frame.height / 2

    def _cells(self, box: Box) -> list[tuple[int, int]]:
        x0, y0 = int(box[0] // GRID_PX), int(box[1] // GRID_PX)
        x1, y1 = int(box[2] // GRID_PX), int(box[3] // GRID_PX)
        return [(i, j) for i in range(x0, x1 + 1) for j in range(y0, y1 + 1)]

    def block(self, box: Box) -> None:
        """Keep ``box`` clear (an obstacle, or a label placed)."""
        w, h = self.frame.width, self.frame.height
        if box[2] < 0 or box[3] < 0 or box[0] > w or box[1] > h:
            return  # off the map: nothing is placed there
        for cell in self._cells(box):
            self.grid.setdefault(cell, []).append(box)

    def free(self, box: Box) -> bool:
        """Whether ``box`` lies inside the frame and meets no kept box."""
        if box[0] < 0 or box[1] < 0 or box[2] > self.frame.width or box[3] > self.frame.height:
            return False
        return not any(_meet(box, b) for c in self._cells(box) for b in self.grid.get(c, ()))

    def place(
        self,
        lon: float,
        lat: float,
        text: str,
        size: int,
        offsets: Sequence[tuple[float, float]] = ((0, 0),),
    ) -> tuple[float, float] | None:
        """The first of ``offsets`` (pixels from the point) where the label fits, now kept;
        ``None`` when it fits at none."""
        x, y = self.screen(lon, lat)
        half_w, half_h = text_width(text, size) / 2 + 3, size / 2 + 2
        for dx, dy in offsets:
            box = (x + dx - half_w, y + dy - half_h, x + dx + half_w, y + dy + half_h)
            if self.free(box):
                self.block(box)
                return dx, dy
        return None


def _obstacles(
    placer: _Placer,
    obstacles: Sequence[tuple[float, float, float]],
    selected: tuple[float, float, str] | None,
) -> None:
    """Block the dots or groups (``(lon, lat, half side in px)``) and the open cluster's name."""
    for lon, lat, half in obstacles:
        x, y = placer.screen(lon, lat)
        placer.block((x - half, y - half, x + half, y + half))
    if selected is not None:
        lon, lat, name = selected
        x, y = placer.screen(lon, lat)
        y += SELECTED_NAME_DY
        half_w = text_width(name, SELECTED_NAME_PX) / 2 + SELECTED_NAME_PAD[0]
        half_h = SELECTED_NAME_PX / 2 + SELECTED_NAME_PAD[1]
        placer.block((x - half_w, y - half_h, x + half_w, y + half_h))


def _row(text: str, lon: float, lat: float, offset: tuple[float, float]) -> dict:
    return {"text": text, "x": lon, "y": lat, "offset": [round(offset[0]), round(offset[1])]}


def _city_labels(placer: _Placer, points: pd.DataFrame, skip: str, lang: Lang) -> list[dict]:
    """Place names of ``points`` in ``lang`` beside their dots (below, above, right, left: the
    first that is free), the places with the most clusters first; ``skip`` (the open cluster's
    name, shown in its box) is not repeated."""
    firsts: dict[str, tuple[float, float]] = {}
    counts: dict[str, int] = {}
    cols = ("cluster_id", "geo_precision", "x", "y")
    found = sorted(
        zip(*(points[c].tolist() for c in cols), places(points, lang).tolist(), strict=True),
        key=lambda r: r[0],
    )
    for _id, precision, x, y, place in found:  # by cluster_id: the first one's spot is kept
        if precision == "country":
            continue
        name = head(place)
        if not name or name == skip:
            continue
        firsts.setdefault(name, (float(x), float(y)))
        counts[name] = counts.get(name, 0) + 1
    rows = []
    half_h = CITY_LABEL_PX / 2 + 2
    for name in sorted(firsts, key=lambda n: (-counts[n], n)):
        beside = DOT_PX + text_width(name, CITY_LABEL_PX) / 2 + 4
        below = DOT_PX + half_h + 1
        offsets = ((0, below), (0, -below), (beside, 0), (-beside, 0))
        lon, lat = firsts[name]
        spot = placer.place(lon, lat, name, CITY_LABEL_PX, offsets)
        if spot is not None:
            rows.append(_row(name, lon, lat, spot))
    return rows


def _country_labels(
    placer: _Placer, countries: dict, lang: Lang, *, first: Sequence[str] = ()
) -> list[dict]:
    """Country names at their label points, or moved up or down a little where that is free
    and still well inside the country. Countries in ``first`` (those with clusters shown) come
    first, then the others by size; a country is labelled only if it is drawn wider than half
    its name."""
    points = label_points(countries)
    view = placer.view
    scale = TILE_SIZE * 2**view.zoom / 360  # px per degree of longitude
    order = [c for c in first if c in points]
    order += sorted((c for c in points if c not in set(first)), key=lambda c: -points[c][2])
    rows = []
    w, h = placer.frame.width, placer.frame.height
    for code in order:
        lon, lat, area, width_deg = points[code]
        x, y = placer.screen(lon, lat)
        if not (-6 * NUDGE_PX <= x <= w + 6 * NUDGE_PX and -3 * NUDGE_PX <= y <= h + 3 * NUDGE_PX):
            continue  # too far off the map for any of its spots
        name = country_name(code, lang)
        if name == code:  # no name for this code (a Natural Earth-only entity)
            continue
        if width_deg * scale < text_width(name, COUNTRY_LABEL_PX) / 2:
            continue
        # Roughly how wide and tall the country is drawn (height: its area over its width).
        wide = width_deg * scale
        tall = area / max(width_deg, 1e-9) * scale / max(math.cos(math.radians(lat)), 0.05)
        offsets = [(0.0, 0.0)]
        for k in (1, 2, 3):
            for sign in (-1, 1):
                if k * NUDGE_PX <= 0.3 * tall:
                    offsets.append((0.0, sign * k * NUDGE_PX))
                if 2 * k * NUDGE_PX <= 0.3 * wide:
                    offsets.append((sign * 2 * k * NUDGE_PX, 0.0))
        spot = placer.place(lon, lat, name, COUNTRY_LABEL_PX, offsets)
        if spot is not None:
            rows.append(_row(name, round(lon, 4), round(lat, 4), spot))
    return rows


def place_labels(
    countries: dict,
    points: pd.DataFrame,
    lang: Lang,
    view: View,
    frame: MapFrame,
    *,
    first: Sequence[str] = (),
    obstacles: Sequence[tuple[float, float, float]] = (),
    selected: tuple[float, float, str] | None = None,
    cities: bool = True,
) -> list[dict]:
    """The base map's labels for ``view`` in ``frame``: ``{text, x, y, offset}`` rows (offset:
    pixels from the point, as the deck draws them), no two overlapping and none over a cluster.

    What is drawn over the map wins: ``obstacles`` (each shown dot or group as ``(lon, lat,
    half side in px)``) and ``selected`` (the open cluster's ``(lon, lat, name)``, boxed above
    its dot) are kept clear. Then the place names of ``points`` (from
    :data:`CITY_LABEL_ZOOM` on, when ``cities``): they say where the clusters are. Then country
    names (:func:`_country_labels`), moved a little where their spot is taken, else left out.
    """
    placer = _Placer(view, frame)
    _obstacles(placer, obstacles, selected)
    rows = []
    if cities and view.zoom >= CITY_LABEL_ZOOM and not points.empty:
        rows += _city_labels(placer, points, selected[2] if selected else "", lang)
    rows += _country_labels(placer, countries, lang, first=first)
    return rows


def country_labels(
    countries: dict,
    lang: Lang,
    view: View,
    frame: MapFrame,
    *,
    first: Sequence[str] = (),
) -> list[dict]:
    """Country names alone (no clusters, no place names): :func:`place_labels`'s last step."""
    return _country_labels(_Placer(view, frame), countries, lang, first=first)


def city_labels(points: pd.DataFrame, lang: Lang, view: View, frame: MapFrame) -> list[dict]:
    """Place names of the shown clusters in ``lang`` beside their dots, from
    :data:`CITY_LABEL_ZOOM` on (clear of the dots, not of country names: :func:`place_labels`
    does both)."""
    if view.zoom < CITY_LABEL_ZOOM or points.empty:
        return []
    placer = _Placer(view, frame)
    dots = [(float(x), float(y), DOT_PX) for x, y in zip(points["x"], points["y"], strict=True)]
    _obstacles(placer, dots, None)
    return _city_labels(placer, points, "", lang)
