"""The map explorer's deck: points, tooltip, view, legend, honesty notes, table. No ``st.*``.

Tooltips: Streamlit (1.67) fills the ``{field}`` placeholders of a pydeck ``html`` tooltip with
HTML-escaped values (``&<>"'``), so the tooltip columns hold plain text (control characters
dropped) and the template is ours; pre-escaping them here would show ``&amp;`` to readers. Every
value reaches the template as element text, never inside an attribute, ``href`` or ``src``.
Filters and search live in ``components.filters``, the profile card in ``components.profile``.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import JSONMixin, default_serialize

from components.charts import FONT_FAMILY, SECTOR_COLORS, hex_to_rgb
from components.geo import fit_view
from components.i18n import (
    Lang,
    continent_name,
    country_name,
    join_list,
    other,
    punct,
    sector_name,
    t,
)
from components.map_frame import CITY_LABEL_PX as LABEL_PX
from components.map_frame import SELECTED_NAME_DY, SELECTED_NAME_PX
from components.places import places
from components.safe import deck_text, escape_html
from components.sources import cite

LAYER_OCEAN = "ocean"
LAYER_COUNTRIES = "countries"
LAYER_BORDERS = "borders"
LAYER_CLUSTERS = "clusters"
LAYER_GROUPS = "groups"
LAYER_SELECTED = "selected"
LAYER_LABELS = "labels"
LAYER_SELECTED_NAME = "selected-name"
LAYER_LABEL_HALO = "labels-halo"
LABEL_RGBA = [62, 76, 89, 255]
# The place names' glyphs: plain antialiased bitmaps drawn at twice the 12 px label size (one
# mipmap step down on a 1x screen, 1:1 on a 2x one). deck.gl's signed-distance (SDF) glyphs at
# its default 64 px atlas kept a stroke only where its distance crossed a hard threshold after
# a 5x reduction: at 12 px the thin strokes of CJK names fell under it and were dropped or drawn
# in the halo's white (卢森堡, the dots of 主 and 义), the halo itself was under a pixel wide.
LABEL_FONT = {"sdf": False, "fontSize": 24}
# Their halo: a separate layer under them, the same names in white, SDF glyphs widened by an
# outline of the full distance radius (~2 px at 12 px): a wide, solid shape thin strokes cannot
# break, so the names read over borders and land.
HALO_FONT = {"sdf": True, "fontSize": 32, "buffer": 6, "radius": 8}
HALO_WIDTH = 8  # deck.gl counts it in atlas pixels of ``radius``: the full radius
HALO_RGBA = [255, 255, 255, 230]

OCEAN_RGB = [234, 241, 247]
LAND_RGB = [218, 222, 227]
BORDER_RGB = [255, 255, 255]
POINT_ALPHA = 230
HIGHLIGHT_RGBA = [31, 41, 51, 200]
COUNTRY_ONLY_FILL = [255, 255, 255, 235]
SELECTED_RGBA = [17, 24, 39, 255]
PIXELS = pdk.types.String("pixels")  # a plain string would become a JS expression
MAP_WIDTH, MAP_HEIGHT = 560, 480  # what fit_view assumes: the chart spans 3/5 of a wide page

MIN_ZOOM = 0.0  # the whole world fits a ~560 px column only below zoom 0.5
FIT_MAX_ZOOM = 5.0  # one cluster: its country and neighbours stay in view

JITTER_MIN_DEG = 0.1  # radius of the circle duplicates are spread on
JITTER_GAP_DEG = 0.15  # wanted distance between neighbours on that circle
JITTER_MAX_DEG = 1.5  # no point is drawn further than this (in latitude) from its coordinate
JITTER_MAX_POINTS = 60  # beyond this many at one coordinate, the rest are drawn on the spot
LAT_LIMIT = 85.0  # the map (Web Mercator) ends here

# The country shapes, fetched once by the browser from the app's own static route
# (``server.enableStaticServing``; ``static/countries_110m.json``, the same bytes as
# ``data/geo/countries_110m.geojson``) instead of travelling inside every deck. Relative: it
# resolves under the app's own address, on a sub-path or behind a proxy too.
COUNTRIES_URL = "app/static/countries_110m.json"
# Their outlines as line segments (``static/borders_110m.json``, written by the same script from
# the same shapes: ``components.geo.border_segments``), drawn by a line layer. Stroked shapes are
# drawn by deck.gl's path layer, whose first frame took about 1.1 s of a browser without a
# graphics card (software WebGL, as in many virtual desktops and in headless tests); the line
# layer draws the same outlines in about 0.2 s.
BORDERS_URL = "app/static/borders_110m.json"

GROUP_LIMIT = 2000  # above this many clusters shown, the map draws groups instead of points
GROUP_CELL_PX = 36  # a group gathers the clusters within one square of this many pixels
GROUP_ALPHA = 210
TABLE_LIMIT = 5000  # the table tab shows this many rows at most (the CSV download holds all)


# --- points --------------------------------------------------------------------------------------


def jitter_duplicates(clusters: pd.DataFrame) -> pd.DataFrame:
    """Add ``x``/``y`` drawing positions: exact duplicate coordinates spread on a small circle.

    Deterministic: duplicates are ordered by ``cluster_id`` and placed clockwise from north. Points
    with unique coordinates keep them exactly. The circle's radius is capped at
    :data:`JITTER_MAX_DEG`; past :data:`JITTER_MAX_POINTS` at one coordinate the others are drawn
    on the coordinate itself (aggregated there, all still listed in the table). Positions stay
    within ±:data:`LAT_LIMIT` latitude and ±180° longitude.
    """
    out = clusters.copy()
    out["x"] = out["lon"].astype(float)
    out["y"] = out["lat"].astype(float)
    shared = out[out.duplicated(["lat", "lon"], keep=False)]  # only these need spreading
    for _, group in shared.groupby(["lat", "lon"], sort=False):
        n = len(group)
        ring = min(n, JITTER_MAX_POINTS)
        radius = min(
            JITTER_MAX_DEG, max(JITTER_MIN_DEG, JITTER_GAP_DEG / (2 * math.sin(math.pi / ring)))
        )
        lat0, lon0 = float(group["lat"].iloc[0]), float(group["lon"].iloc[0])
        stretch = 1 / max(math.cos(math.radians(lat0)), 0.2)
        order = group.sort_values("cluster_id").index
        for k, idx in enumerate(order[:ring]):
            angle = 2 * math.pi * k / ring
            y = lat0 + radius * math.cos(angle)
            x = lon0 + radius * stretch * math.sin(angle)
            out.at[idx, "y"] = round(max(-LAT_LIMIT, min(LAT_LIMIT, y)), 5)
            out.at[idx, "x"] = round((x + 180) % 360 - 180 if abs(x) > 180 else x, 5)
    out["y"] = out["y"].clip(-LAT_LIMIT, LAT_LIMIT)
    return out


def sector_rgba(sector: str) -> list[int]:
    """The sector's colour as deck.gl RGBA."""
    return [*hex_to_rgb(SECTOR_COLORS[sector]), POINT_ALPHA]


ALSO_LISTED = 4  # the tooltip names this many other clusters on the same spot, then counts


def also_here(others: Sequence[str], names: Mapping[str, str], lang: Lang) -> str:
    """The tooltip line naming the other clusters drawn on the same spot ("" when none)."""
    if not others:
        return ""
    shown = [deck_text(names.get(c, c)) for c in others[:ALSO_LISTED]]
    rest = len(others) - len(shown)
    if rest:
        shown.append(t("map.tooltip_more", lang, n=rest))
    return t("map.tooltip_also", lang, names=join_list(shown, lang))


def point_rows(
    points: pd.DataFrame, lang: Lang, spots: Mapping[str, Sequence[str]] | None = None
) -> list[dict]:
    """The scatter layer's data: position, colour and tooltip text per cluster; ``spots`` (from
    ``components.map_frame.spots``) names the clusters drawn on the same spot.

    Every text goes through :func:`components.safe.deck_text`: one line, and never a deck.gl
    expression (a cell starting ``@@=`` or ``@@#`` would otherwise be evaluated by the browser).
    Tooltip lines: ``tt_name``, ``tt_alt`` (the other language), ``tt_line`` (country · sector),
    ``tt_lead`` (lead industry), ``tt_where`` (precision note), ``tt_more`` (same spot).
    """
    alt = other(lang)
    names = dict(zip(points["cluster_id"], points[f"name_{lang}"], strict=True))
    lead = t("map.tooltip_industry", lang) + punct("colon", lang)
    where = t("map.tooltip_country_only", lang)
    country = {c: country_name(c, lang) for c in points["country"].unique()}
    sector = {s: sector_name(s, lang) for s in points["sector"].unique()}
    white = [255, 255, 255, 255]
    rows = []
    has_precision = "geo_precision" in points
    for r in points.itertuples(index=False):
        country_only = has_precision and r.geo_precision == "country"
        colour = sector_rgba(r.sector)
        rows.append(
            {
                "cluster_id": deck_text(r.cluster_id),
                "x": float(r.x),
                "y": float(r.y),
                # Only the country is known: a hollow dot, ringed in the sector's colour.
                "color": COUNTRY_ONLY_FILL if country_only else colour,
                "line": colour if country_only else white,
                "lw": 3 if country_only else 1,
                "tt_where": where if country_only else "",
                "tt_name": deck_text(getattr(r, f"name_{lang}")),
                "tt_alt": deck_text(getattr(r, f"name_{alt}")),
                "tt_line": deck_text(f"{country[r.country]} · {sector[r.sector]}"),
                "tt_lead": lead + deck_text(getattr(r, f"lead_industry_{lang}")),
                "tt_more": also_here((spots or {}).get(r.cluster_id, ()), names, lang),
            }
        )
    return rows


def tooltip(lang: Lang) -> dict:
    """The pydeck tooltip: our template, data only through ``{tt_*}`` placeholders in text."""
    html_tpl = (
        '<div style="font-weight:600;font-size:15px">{tt_name}</div>'
        '<div style="font-size:12px;color:#52606d;margin-bottom:4px">{tt_alt}</div>'
        "<div>{tt_line}</div>"
        "<div>{tt_lead}</div>"
        '<div style="font-style:italic;color:#52606d">{tt_where}</div>'
        '<div style="margin-top:4px;font-weight:600;color:#0b5394">{tt_more}</div>'
    )
    style = {
        "backgroundColor": "white",
        "color": "#1f2933",
        "fontFamily": FONT_FAMILY,
        "fontSize": "13px",
        "border": "1px solid #cbd2d9",
        "borderRadius": "6px",
        "padding": "8px 10px",
        "maxWidth": "320px",
        "boxShadow": "0 2px 6px rgba(0,0,0,.15)",
    }
    return {"html": html_tpl, "style": style}


def initial_view(points: pd.DataFrame) -> pdk.ViewState:
    """A view that fits every point (the whole world when there is none)."""
    lat, lon, zoom = fit_view(
        list(points["x"]) if len(points) else [],
        list(points["y"]) if len(points) else [],
        width=MAP_WIDTH,
        height=MAP_HEIGHT,
        padding=24,
        min_zoom=MIN_ZOOM,
        max_zoom=FIT_MAX_ZOOM,
    )
    return pdk.ViewState(latitude=lat, longitude=lon, zoom=zoom, min_zoom=0, max_zoom=10)


class Deck(JSONMixin):
    """The deck.gl JSON ``pdk.Deck(..., map_provider=None)`` writes, for ``st.pydeck_chart``.

    pydeck's own Deck probes for its Jupyter widget on every construction (five failing imports,
    a good part of a map rerun); this class writes the same JSON (a unit test compares them),
    compact instead of indented, and carries the tooltip where Streamlit reads it.
    """

    def __init__(self, layers: list[pdk.Layer], initial_view_state: pdk.ViewState, tooltip: dict):
        self.layers = layers
        self.views = [pdk.View(type="MapView", controller=True)]
        self.initial_view_state = initial_view_state
        # No basemap: the style sentinel Streamlit reads as "none" (``map_style=None`` would
        # make Streamlit 1.67 fetch a Carto style).
        self.map_style = "__MAP_STYLE__"
        self.mapbox_key = None  # read by Streamlit; never written to the JSON
        self._tooltip = tooltip

    def to_json(self) -> str:
        """The deck as deck.gl JSON, without indentation."""
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def build_deck(
    points: pd.DataFrame,
    countries: dict | str,
    lang: Lang,
    *,
    view: pdk.ViewState | None = None,
    selected: pd.DataFrame | None = None,
    cluster_layer: str = LAYER_CLUSTERS,
    spots: Mapping[str, Sequence[str]] | None = None,
    labels: Sequence[dict] = (),
    rows: Sequence[dict] | None = None,
    groups: Sequence[dict] = (),
    group_layer: str = LAYER_GROUPS,
    borders: list | str | None = None,
) -> Deck:
    """The offline map: ocean, country shapes, clusters (one colour per sector), selected ring.

    ``points`` carries ``x``/``y`` from :func:`jitter_duplicates`; ``countries`` is a GeoJSON
    FeatureCollection or the URL of one (:data:`COUNTRIES_URL`: fetched once by the browser);
    ``selected`` (0 or 1 row of it) is drawn with a dark ring; ``cluster_layer`` is the id of the
    clusters layer (see :func:`cluster_layer_id`); ``spots`` lists overlapping clusters in the
    tooltips; ``labels`` (``{text, x, y}``: country and city names) are drawn under the points;
    ``rows`` (from :func:`point_rows`) replaces the rows built from ``points`` and ``spots``;
    ``groups`` (from :func:`group_rows`) are drawn as counted circles; ``borders`` (segments
    from :func:`components.geo.border_segments` or the URL of them, :data:`BORDERS_URL`) draws
    the country outlines with a line layer instead of stroking the shapes. No basemap, no tiles,
    nothing fetched from outside the app.
    """
    ocean = pdk.Layer(
        "SolidPolygonLayer",
        id=LAYER_OCEAN,
        # Wider than the world: a view showing all clusters (they span nearly 300 degrees of
        # longitude) reaches past the antimeridian on a narrow map; the Pacific goes on there.
        data=[{"polygon": [[-540, -85], [540, -85], [540, 85], [-540, 85]]}],
        get_polygon="polygon",
        get_fill_color=OCEAN_RGB,
        pickable=False,
    )
    land = pdk.Layer(
        "GeoJsonLayer",
        id=LAYER_COUNTRIES,
        data=countries,
        filled=True,
        stroked=borders is None,
        get_fill_color=LAND_RGB,
        get_line_color=BORDER_RGB,
        line_width_units=PIXELS,
        get_line_width=0.8,
        pickable=False,
    )
    outlines = (
        []
        if borders is None
        else [
            pdk.Layer(
                "LineLayer",
                id=LAYER_BORDERS,
                data=borders,
                get_source_position="s",
                get_target_position="t",
                get_color=BORDER_RGB,
                width_units=PIXELS,
                get_width=0.8,
                pickable=False,
            )
        ]
    )
    lumps = pdk.Layer(
        "ScatterplotLayer",
        id=group_layer,
        data=list(groups),
        get_position=["x", "y"],
        get_fill_color="color",
        get_line_color=[255, 255, 255, 255],
        radius_units=PIXELS,
        get_radius="r",
        stroked=True,
        line_width_units=PIXELS,
        get_line_width=1.5,
        pickable=True,
        auto_highlight=True,
        highlight_color=HIGHLIGHT_RGBA,
    )
    dots = pdk.Layer(
        "ScatterplotLayer",
        id=cluster_layer,
        data=list(rows) if rows is not None else point_rows(points, lang, spots),
        get_position=["x", "y"],
        get_fill_color="color",
        get_line_color="line",
        radius_units=PIXELS,
        get_radius=7,
        radius_min_pixels=5,
        radius_max_pixels=14,
        stroked=True,
        line_width_units=PIXELS,
        get_line_width="lw",
        pickable=True,
        auto_highlight=True,
        highlight_color=HIGHLIGHT_RGBA,
    )
    ring_rows, name_rows = [], []
    if selected is not None and len(selected):
        row = selected.iloc[0]
        ring_rows = [
            {"x": float(row["x"]), "y": float(row["y"]), "color": sector_rgba(row["sector"])}
        ]
        name_rows = [
            {"x": float(row["x"]), "y": float(row["y"]), "text": deck_text(row[f"name_{lang}"])}
        ]
    # The open cluster: its dot redrawn larger, in full colour, with a dark ring, and its name.
    ring = pdk.Layer(
        "ScatterplotLayer",
        id=LAYER_SELECTED,
        data=ring_rows,
        get_position=["x", "y"],
        radius_units=PIXELS,
        get_radius=10,
        filled=True,
        get_fill_color="color",
        stroked=True,
        line_width_units=PIXELS,
        get_line_width=3,
        get_line_color=SELECTED_RGBA,
        pickable=False,
    )
    names = text_layer(
        LAYER_SELECTED_NAME,
        name_rows,
        size=SELECTED_NAME_PX,
        dy=SELECTED_NAME_DY,
        weight=700,
        boxed=True,
    )
    # Each place name where ``components.map_frame.place_labels`` found room for it.
    label_rows = [r if "offset" in r else {**r, "offset": [0, 0]} for r in labels]
    halo = text_layer(LAYER_LABEL_HALO, label_rows, size=LABEL_PX, offsets=True, halo=True)
    place_names = text_layer(LAYER_LABELS, label_rows, size=LABEL_PX, offsets=True)
    return Deck(
        layers=[
            ocean,
            land,
            *outlines,
            halo,
            place_names,
            lumps,
            dots,
            ring,
            names,
        ],
        initial_view_state=view if view is not None else initial_view(points),
        tooltip=tooltip(lang),
    )


# --- many clusters: groups -----------------------------------------------------------------------


def group_points(points: pd.DataFrame, zoom: float, cell_px: int = GROUP_CELL_PX) -> pd.DataFrame:
    """The clusters gathered into squares of ``cell_px`` screen pixels at ``zoom``.

    One row per occupied square: ``x``/``y`` (the mean drawing position of its clusters), ``n``,
    ``sectors`` and ``countries`` (tuples of ``(code, count)``, most first, ties by code) and
    ``sector`` (the most common). Ordered by ``n`` descending (then position): big circles are
    drawn first, small ones stay visible on top.
    """
    cols = ["x", "y", "n", "sector", "sectors", "countries"]
    if points.empty:
        return pd.DataFrame(columns=cols)
    x = points["x"].to_numpy(dtype=float)
    y = np.clip(points["y"].to_numpy(dtype=float), -LAT_LIMIT, LAT_LIMIT)
    size = 512 * 2.0**zoom
    px = (x + 180) / 360 * size
    py = (1 - np.log(np.tan(np.pi / 4 + np.radians(y) / 2)) / np.pi) / 2 * size
    cell = np.floor(px / cell_px).astype(np.int64) * 1_000_003 + np.floor(py / cell_px).astype(
        np.int64
    )
    frame = pd.DataFrame(
        {
            "cell": cell,
            "x": x,
            "y": y,
            "sector": points["sector"].to_numpy(),
            "country": points["country"].to_numpy(),
        }
    )
    grouped = frame.groupby("cell", sort=True)
    out = grouped.agg(x=("x", "mean"), y=("y", "mean"), n=("x", "size"))

    def ranked(col: str) -> pd.Series:
        counts = frame.groupby(["cell", col]).size().rename("k").reset_index()
        counts = counts.sort_values(["cell", "k", col], ascending=[True, False, True])
        return counts.groupby("cell", sort=True).apply(
            lambda g: tuple(zip(g[col], g["k"].astype(int), strict=True)), include_groups=False
        )

    out["sectors"] = ranked("sector")
    out["countries"] = ranked("country")
    out["sector"] = out["sectors"].map(lambda s: s[0][0])
    out["x"], out["y"] = out["x"].round(5), out["y"].round(5)
    out = out.sort_values(["n", "x", "y"], ascending=[False, True, True])
    return out.reset_index(drop=True)[cols]


GROUP_LISTED = 3  # a group's tooltip names this many sectors and countries, then counts the rest


def group_radius(n: int) -> float:
    """A group's radius in pixels: grows with the logarithm of its count (1 → 6 px, 10k → 22)."""
    return round(6 + 4 * math.log10(max(n, 1)), 1)


def _ranked_text(items: Sequence[tuple[str, int]], name: object, lang: Lang) -> str:
    shown = [f"{name(code, lang)} {k}" for code, k in items[:GROUP_LISTED]]  # type: ignore[operator]
    rest = len(items) - len(shown)
    if rest:
        shown.append(t("map.tooltip_more", lang, n=rest))
    return join_list(shown, lang)


def group_rows(groups: pd.DataFrame, lang: Lang) -> list[dict]:
    """The groups layer's data: position, radius, the most common sector's colour, and tooltip
    lines (count, sectors and countries with their counts, how to see single clusters)."""
    hint = t("map.group_hint", lang)
    rows = []
    for g in groups.itertuples(index=False):
        rows.append(
            {
                "x": float(g.x),
                "y": float(g.y),
                "r": group_radius(int(g.n)),
                "color": [*hex_to_rgb(SECTOR_COLORS[g.sector]), GROUP_ALPHA],
                "tt_name": t("map.group_count", lang, n=int(g.n)),
                "tt_alt": "",
                "tt_line": _ranked_text(g.sectors, sector_name, lang),
                "tt_lead": _ranked_text(g.countries, country_name, lang),
                "tt_where": hint,
                "tt_more": "",
            }
        )
    return rows


def text_layer(
    layer_id: str,
    rows: list[dict],
    *,
    size: int,
    dy: int = 0,
    weight: int = 500,
    boxed: bool = False,
    offsets: bool = False,
    halo: bool = False,
) -> pdk.Layer:
    """Labels (``{text, x, y}`` rows) drawn offline: glyphs from the reader's own fonts (the
    CJK fonts of ``FONT_FAMILY``) for exactly the characters in the data (``characterSet``
    ``auto``), as plain bitmaps (``LABEL_FONT``) over a white ``halo`` layer of the same rows
    drawn under them, or (``boxed``) as SDF glyphs in a white box. Moved ``dy`` pixels down, or
    (``offsets``) by each row's ``offset`` (``[dx, dy]``, default none)."""
    extra: dict = {"font_settings": LABEL_FONT, "get_color": LABEL_RGBA}
    if halo:
        extra = {
            "font_settings": HALO_FONT,
            "get_color": HALO_RGBA,
            "outline_width": HALO_WIDTH,
            "outline_color": HALO_RGBA,
        }
    elif boxed:
        extra = {
            "font_settings": {"sdf": True},
            "get_color": SELECTED_RGBA,
            "background": True,
            "get_background_color": [255, 255, 255, 235],
            "background_padding": [6, 3, 6, 3],
            "get_border_color": SELECTED_RGBA,
            "get_border_width": 1,
        }
    return pdk.Layer(
        "TextLayer",
        id=layer_id,
        data=rows,
        get_position=["x", "y"],
        get_text="text",
        get_size=size,
        size_units=PIXELS,
        get_pixel_offset="offset" if offsets else [0, dy],
        get_text_anchor=pdk.types.String("middle"),
        get_alignment_baseline=pdk.types.String("center"),
        font_family=pdk.types.String(FONT_FAMILY),
        font_weight=weight,
        character_set=pdk.types.String("auto"),
        pickable=False,
        **extra,
    )


def is_cluster_layer(layer_id: object, base: str = LAYER_CLUSTERS) -> bool:
    """Whether ``layer_id`` names the clusters layer (``clusters`` or ``clusters-<token>``)."""
    return (
        isinstance(layer_id, str)
        and re.fullmatch(rf"{re.escape(base)}(-[0-9a-f]{{10}})?", layer_id) is not None
    )


def picked_ids(selection: object, layer_id: str = LAYER_CLUSTERS) -> list[str]:
    """The ``cluster_id`` of every object picked in a pydeck selection event (none: ``[]``).

    Objects of any layer :func:`is_cluster_layer` accepts count (the id carries a token).
    """
    try:
        by_layer = selection["selection"]["objects"]  # type: ignore[index]
        objects = [o for k, v in by_layer.items() if is_cluster_layer(k, layer_id) for o in v or []]
    except (KeyError, TypeError, AttributeError):
        return []
    ids = [o.get("cluster_id") for o in objects if isinstance(o, dict)]
    return [i for i in ids if isinstance(i, str)]


def cluster_layer_id(shown_ids: Sequence[str] | str, selection: object) -> str:
    """The clusters layer's id for this run: it changes with the points drawn and each new pick.

    ``shown_ids``: the drawn ids (or those ids already joined by newlines).

    Streamlit (1.67) keeps a deck's selection in the browser as an index into the layer's data.
    When the data changes (a filter), it points the kept index at whatever object now sits there
    and reports that as the selection, so a later rerun opened a cluster nobody clicked, and a
    click on the object now at that index only cleared the selection. While a selection is kept
    it also fades every layer to 40 % opacity. A kept selection naming a layer id the new deck
    does not have is dropped instead: a fresh id per data and per pick keeps every click about
    the point under the pointer and the map unfaded (the ring marks the open cluster).
    """
    joined = shown_ids if isinstance(shown_ids, str) else "\n".join(shown_ids)
    key = joined + "|" + ",".join(picked_ids(selection))
    return f"{LAYER_CLUSTERS}-{hashlib.sha1(key.encode()).hexdigest()[:10]}"


def group_layer_id(selection: object) -> str:
    """The groups layer's id: a fresh one after each click on a group, for the reason given in
    :func:`cluster_layer_id` (a kept selection would fade the map)."""
    try:
        by_layer = selection["selection"]["objects"]  # type: ignore[index]
        picked = [
            (o.get("x"), o.get("y"))
            for k, v in by_layer.items()
            if isinstance(k, str) and k.startswith(LAYER_GROUPS)
            for o in v or []
            if isinstance(o, dict)
        ]
    except (KeyError, TypeError, AttributeError):
        picked = []
    if not picked:
        return LAYER_GROUPS
    return f"{LAYER_GROUPS}-{hashlib.sha1(repr(picked).encode()).hexdigest()[:10]}"


def selected_id(selection: object, layer_id: str = LAYER_CLUSTERS) -> str | None:
    """The first picked ``cluster_id`` of a pydeck selection event, if any."""
    ids = picked_ids(selection, layer_id)
    return ids[0] if ids else None


def legend_html(lang: Lang, counts: dict[str, int] | None = None) -> str:
    """A small legend (sector colour swatches, localised, with counts when given)."""
    items = []
    for code, color in SECTOR_COLORS.items():
        n = f" ({counts.get(code, 0)})" if counts is not None else ""
        items.append(
            '<span style="display:inline-flex;align-items:center;margin:0 14px 4px 0">'
            f'<span style="width:12px;height:12px;border-radius:50%;background:{color};'
            'border:1px solid white;box-shadow:0 0 0 1px #9aa5b1;margin-right:6px"></span>'
            f"{escape_html(sector_name(code, lang))}{escape_html(n)}</span>"
        )
    ring = (
        '<span style="display:inline-flex;align-items:center;margin:0 14px 4px 0">'
        '<span style="width:14px;height:14px;border-radius:50%;border:2.5px solid #111827;'
        f'margin-right:6px"></span>{escape_html(t("map.legend_selected", lang))}</span>'
    )
    hollow_text = escape_html(t("map.legend_country_only", lang))
    hollow = (
        '<span style="display:inline-flex;align-items:center;margin:0 14px 4px 0">'
        '<span style="width:12px;height:12px;border-radius:50%;border:3px solid #52606d;'
        f'background:white;margin-right:6px"></span>{hollow_text}</span>'
    )
    return (
        f'<div style="font-size:14px;line-height:1.6">'
        f'<div style="font-weight:600;margin-bottom:2px">{escape_html(t("map.legend", lang))}</div>'
        f"{''.join(items)}{ring}{hollow}</div>"
    )


# --- honesty: what the map cannot show -----------------------------------------------------------


def unnamed_notes(recon: pd.DataFrame, lang: Lang) -> list[str]:
    """One sentence per continent with clusters counted by figure 2-1 but not named in the text.

    ``recon`` is ``components.data.reconciliation(bundle)``: sector, continent, published, named,
    unnamed. Every number is read from it.
    """
    notes = []
    rows = recon[recon["unnamed"] > 0]
    for continent, group in rows.groupby("continent", sort=False):
        parts = [
            t("map.unnamed_part", lang, sector=sector_name(r.sector, lang), n=int(r.unnamed))
            for r in group.sort_values(["unnamed", "sector"], ascending=[False, True]).itertuples()
        ]
        notes.append(
            t(
                "map.unnamed_note",
                lang,
                continent=continent_name(str(continent), lang),
                n=int(group["unnamed"].sum()),
                breakdown=join_list(parts, lang),
            )
        )
    return notes


# --- table ---------------------------------------------------------------------------------------


def table_frame(clusters: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The filtered clusters as shown in the table (and downloaded), localised column names."""

    def col(key: str) -> str:
        return t(f"map.col.{key}", lang)

    ind = f"lead_industry_{lang}"
    out = pd.DataFrame(
        {
            col("cluster_id"): clusters["cluster_id"],
            col("name_zh"): clusters["name_zh"],
            col("name_en"): clusters["name_en"],
            col("country"): clusters["country"].map(lambda c: country_name(c, lang)),
            col("continent"): clusters["continent"].map(lambda c: continent_name(c, lang)),
            col("sector"): clusters["sector"].map(lambda s: sector_name(s, lang)),
            col("lead_industry"): clusters[ind],
            col("field_zh"): clusters["field_zh"],
            col("place"): places(clusters, lang),
            col("precision"): clusters["geo_precision"].map(
                lambda p: t(f"map.precision.{p}", lang)
            ),
            col("lat"): clusters["lat"].astype(float),
            col("lon"): clusters["lon"].astype(float),
            col("source"): clusters["source_ref"].map(lambda r: cite(str(r), lang)),
        }
    )
    return out.reset_index(drop=True)
