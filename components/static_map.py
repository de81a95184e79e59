"""A map drawn by plotly alone, for slides and exports: the shipped country shapes as filled
polygons in a Mercator projection, the clusters as points. No ``st.*``, no network.

Plotly's geo traces (``go.Scattergeo``) fetch a topojson file from a CDN; this map uses plain
``go.Scatter`` traces in projected coordinates instead, so it draws the same in the app, in a PNG
made by kaleido and in an offline HTML file.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from components.charts import SECTOR_COLORS, apply_layout
from components.i18n import Lang, country_name, sector_name
from components.safe import escape_html, plain_text
from components.vocab import SECTORS

LAND = "#dadee3"
OCEAN = "#eaf1f7"
BORDER = "#ffffff"
MAX_LAT = 80.0  # the projection is cut here (no Antarctica, no polar stretch)
MIN_LAT = -58.0
WORLD_PAD = 0.04
FIT_PAD_DEG = 6.0  # margin around the points when the map zooms to them
MIN_SPAN_DEG = 30.0  # never zoom in closer than this many degrees of longitude


def merc_y(lat: float) -> float:
    """Mercator y (in degrees-equivalent units, so x = longitude keeps a 1:1 scale)."""
    lat = max(-89.0, min(89.0, lat))
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def land_path(countries: dict) -> tuple[list[float | None], list[float | None]]:
    """Every exterior ring of the FeatureCollection, projected, separated by ``None``."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for feature in countries["features"]:
        geom = feature["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        for poly in polys:
            ring = poly[0]
            if max(p[1] for p in ring) < MIN_LAT:
                continue  # Antarctica
            xs.extend(round(p[0], 3) for p in ring)
            ys.extend(round(merc_y(p[1]), 3) for p in ring)
            xs.append(None)
            ys.append(None)
    return xs, ys


def view_box(points: pd.DataFrame) -> tuple[list[float], list[float]]:
    """``([x0, x1], [y0, y1])``: the whole world, or the points' box with a margin."""
    world_x = [-180.0, 180.0]
    world_y = [merc_y(MIN_LAT), merc_y(MAX_LAT)]
    if points.empty:
        return world_x, world_y
    lon0, lon1 = float(points["lon"].min()), float(points["lon"].max())
    lat0, lat1 = float(points["lat"].min()), float(points["lat"].max())
    if lon1 - lon0 > 200:
        return world_x, world_y
    mid = (lon0 + lon1) / 2
    half = max(lon1 - lon0 + 2 * FIT_PAD_DEG, MIN_SPAN_DEG) / 2
    x = [max(-180.0, mid - half), min(180.0, mid + half)]
    y = [
        max(world_y[0], merc_y(lat0 - FIT_PAD_DEG)),
        min(world_y[1], merc_y(lat1 + FIT_PAD_DEG)),
    ]
    # Keep a landscape frame: at least half as tall as wide.
    if y[1] - y[0] < (x[1] - x[0]) / 2:
        cy, hy = (y[0] + y[1]) / 2, (x[1] - x[0]) / 4
        y = [max(world_y[0], cy - hy), min(world_y[1], cy + hy)]
    return x, y


def build_static_map(
    points: pd.DataFrame,
    countries: dict,
    lang: Lang,
    *,
    selected: str | None = None,
    height: int = 560,
) -> go.Figure:
    """Clusters (``lon``, ``lat``, ``sector``, ``name_<lang>``, ``country``, ``cluster_id``) on
    the shipped land shapes; one trace per sector (legend), the ``selected`` cluster ringed."""
    fig = go.Figure()
    lx, ly = land_path(countries)
    fig.add_trace(
        go.Scatter(
            x=lx,
            y=ly,
            mode="lines",
            fill="toself",
            fillcolor=LAND,
            line={"color": BORDER, "width": 0.6},
            hoverinfo="skip",
            showlegend=False,
            name="land",
        )
    )
    for sector in SECTORS:
        sub = points[points["sector"] == sector]
        if sub.empty:
            continue
        hover = [
            f"<b>{escape_html(plain_text(getattr(r, f'name_{lang}')))}</b><br>"
            f"{escape_html(country_name(r.country, lang))}"
            for r in sub.itertuples()
        ]
        fig.add_trace(
            go.Scatter(
                x=sub["lon"].astype(float),
                y=[merc_y(v) for v in sub["lat"].astype(float)],
                mode="markers",
                marker={
                    "size": 11,
                    "color": SECTOR_COLORS[sector],
                    "line": {"color": "white", "width": 1},
                },
                name=f"{sector_name(sector, lang)} ({len(sub)})",
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
                customdata=list(sub["cluster_id"]),
            )
        )
    if selected is not None and selected in set(points["cluster_id"]):
        row = points[points["cluster_id"] == selected].iloc[0]
        fig.add_trace(
            go.Scatter(
                x=[float(row["lon"])],
                y=[merc_y(float(row["lat"]))],
                mode="markers+text",
                marker={
                    "size": 22,
                    "color": "rgba(0,0,0,0)",
                    "line": {"color": "#111827", "width": 3},
                },
                text=[escape_html(plain_text(row[f"name_{lang}"]))],
                textposition="top center",
                hoverinfo="skip",
                showlegend=False,
                name="selected",
            )
        )
    x, y = view_box(points)
    apply_layout(fig, height=height)
    fig.update_layout(
        plot_bgcolor=OCEAN,
        xaxis={"range": x, "visible": False, "fixedrange": False},
        yaxis={"range": y, "visible": False, "scaleanchor": "x", "scaleratio": 1},
        legend={"orientation": "h", "yanchor": "top", "y": -0.02, "x": 0},
        margin={"l": 0, "r": 0, "t": 10, "b": 10},
        hovermode="closest",
    )
    return fig
