"""Heatmap figures and download tables of the heatmaps page. Pure builders, no ``st.*``.

Cells are a ``go.Heatmap`` (trace 0) with the value printed in every cell. Row and column totals
sit in a separate grey strip (trace 1), never on the cells' colour scale. A transparent scatter
layer (last trace) carries the hover text and makes cells clickable: Plotly cannot select
heatmap cells, but it can select scatter points, and each point's ``customdata`` is its cell code.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.charts import MISSING, freeze, frozen_spec, house_layout, merge
from components.i18n import Lang, continent_name, country_name, sector_name, t, wrap_label
from components.matrices import (
    Measure,
    Source,
    cell_code,
    dataset_country_matrix,
    dataset_matrices,
    measure_matrix,
)
from components.memo import per_dataset
from components.safe import escape_md
from components.svg_charts import text_width

if TYPE_CHECKING:
    from components.data import Bundle

# ColorBrewer schemes (colour-blind safe).
BLUES = ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"]
ORANGES = ["#fff5eb", "#fee6ce", "#fdd0a2", "#fdae6b", "#fd8d3c", "#f16913", "#d94801", "#8c2d04"]
DIVERGING = ["#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b"]
TOTAL_FILL = "#e9edf2"
ZERO_FILL = "#d5dae0"  # a cell with no clusters, where a ratio (LQ) has no meaning
RULE_COLOR = "#52606d"
TOP_COUNTRIES = 15  # the country heatmap shows this many countries unless "show all"
SELECT_COLOR = "#111111"
CELL_FONT = 19
TOTAL_FONT = 18
COLUMN_LABEL_WIDTH = 9  # characters per line of a column label ("North America" on two lines)
LQ_CAP = 4.0  # colours saturate at LQ ≤ 1/4 and ≥ 4 (log scale, symmetric around 1)
# The colour bar sits at the grid's right edge (paper x = 1), so the room it takes does not depend
# on the figure's width, and the margins can be set to hold it and the row labels (:func:`_fit`).
COLORBAR = {"thickness": 18, "len": 0.85, "outlinewidth": 0, "x": 1, "xanchor": "left"}
ROW_PAD = "  "  # after every line of a row label: the gap between the labels and the grid
ROW_GAP = ROW_PAD + "<br>"
LABEL_FONT_PX = 16  # row labels and the colour bar's title and numbers
LABEL_SLACK_PX = 16  # estimates of text widths are generous; this much more on top (fonts vary)
COLORBAR_PAD_PX = 66  # beside its title: the bar's padding on both sides (measured 38-58 px)


def _scale(colors: list[str]) -> list[list[object]]:
    n = len(colors) - 1
    return [[i / n, c] for i, c in enumerate(colors)]


def format_value(value: float, measure: Measure) -> str:
    """A cell's printed value: ``9``, ``16%``, ``<1%``, ``1.44``; ``–`` when undefined."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if measure == "count":
        return f"{int(round(value))}"
    if measure in ("share_continent", "share_sector"):
        if 0 < value < 0.005:
            return "<1%"
        return f"{value:.0%}"
    return "0" if value == 0 else f"{value:.2f}"


def _source_label(source: Source, counts: pd.DataFrame, lang: Lang) -> str:
    return t(f"heatmap.source.{source}_n", lang, n=int(counts.to_numpy().sum()))


def _colour(values: pd.DataFrame, measure: Measure, source: Source, lang: Lang) -> dict:
    """z, colour scale and colour bar of the cell trace."""
    arr = values.to_numpy(dtype=float)
    bar: dict = {"title": {"side": "top"}, **COLORBAR}
    if source == "difference":
        bar["title"]["text"] = t("heatmap.colorbar.difference", lang)
        lo, hi = float(np.nanmin(arr, initial=0)), float(np.nanmax(arr, initial=0))
        if lo < 0:
            m = max(abs(lo), abs(hi), 1)
            return {
                "z": arr,
                "colorscale": _scale(DIVERGING),
                "zmin": -m,
                "zmax": m,
                "zmid": 0,
                "colorbar": bar,
            }
        return {
            "z": arr,
            "colorscale": _scale(ORANGES),
            "zmin": 0,
            "zmax": max(hi, 1),
            "colorbar": bar,
        }
    bar["title"]["text"] = t(f"heatmap.colorbar.{measure}", lang)
    if measure == "lq":
        cap = math.log2(LQ_CAP)
        with np.errstate(divide="ignore"):
            z = np.log2(np.clip(arr, 1 / LQ_CAP, LQ_CAP))
        # No clusters: no colour on the LQ scale (grey, see _zero_cells), not its strongest blue.
        z = np.where(np.isnan(arr) | (arr == 0), np.nan, z)
        ticks = [1 / LQ_CAP, 0.5, 1, 2, LQ_CAP]
        bar |= {
            "tickvals": [math.log2(v) for v in ticks],
            "ticktext": [f"≤{ticks[0]:g}", "0.5", "1", "2", f"≥{LQ_CAP:g}"],
        }
        return {
            "z": z,
            "colorscale": _scale(DIVERGING),
            "zmin": -cap,
            "zmax": cap,
            "zmid": 0,
            "colorbar": bar,
        }
    hi = float(np.nanmax(arr, initial=0)) or 1.0
    if measure != "count":
        bar["tickformat"] = ".0%"
    return {"z": arr, "colorscale": _scale(BLUES), "zmin": 0, "zmax": hi, "colorbar": bar}


def _plain(z: np.ndarray) -> list[list[float | None]]:
    """Nested lists with ``None`` for NaN, so the figure's JSON carries readable numbers."""
    return [[None if math.isnan(v) else round(float(v), 6) for v in row] for row in z]


# Figures are assembled as plain trace and layout dicts and validated once, when the
# ``go.Figure`` is built: ``update_layout``/``update_traces`` on a built figure cost 5-10 ms each.


def _grid(text: list[list[str]], colour: dict, x: list[str], y: list[str], font: int) -> dict:
    return {
        "type": "heatmap",
        **colour,
        "z": _plain(np.asarray(colour["z"], dtype=float)),
        "x": x,
        "y": y,
        "text": text,
        "texttemplate": "%{text}",
        "textfont": {"size": font},
        "xgap": 3,
        "ygap": 3,
        "hoverinfo": "skip",
        "name": "cells",
    }


def _totals_strip(
    counts: pd.DataFrame, x: list[str], y: list[str], total: str, font: int = TOTAL_FONT
) -> dict:
    """A grey L-shaped strip of row and column totals (counts), outside the cells' scale."""
    rows, cols = len(y), len(x)
    z: list[list[float | None]] = [[None] * (cols + 1) for _ in range(rows + 1)]
    text = [[""] * (cols + 1) for _ in range(rows + 1)]
    row_tot = counts.sum(axis=1).to_numpy()
    col_tot = counts.sum(axis=0).to_numpy()
    for i in range(rows):
        z[i][cols], text[i][cols] = 0, f"<b>{int(row_tot[i])}</b>"
    for j in range(cols):
        z[rows][j], text[rows][j] = 0, f"<b>{int(col_tot[j])}</b>"
    z[rows][cols], text[rows][cols] = 0, f"<b>{int(counts.to_numpy().sum())}</b>"
    return {
        "type": "heatmap",
        "z": z,
        "x": [*x, total],
        "y": [*y, total],
        "text": text,
        "texttemplate": "%{text}",
        "textfont": {"size": font, "color": "#1f2933"},
        "colorscale": [[0, TOTAL_FILL], [1, TOTAL_FILL]],
        "showscale": False,
        "xgap": 3,
        "ygap": 3,
        "hoverinfo": "skip",
        "name": "totals",
    }


def _zero_cells(counts: pd.DataFrame, x: list[str], y: list[str]) -> dict:
    """Grey cells where the count is 0 (drawn under nothing: the cell trace leaves them empty)."""
    z = [[1 if v == 0 else None for v in row] for row in counts.to_numpy()]
    return {
        "type": "heatmap",
        "z": z,
        "x": x,
        "y": y,
        "colorscale": [[0, ZERO_FILL], [1, ZERO_FILL]],
        "showscale": False,
        "xgap": 3,
        "ygap": 3,
        "hoverinfo": "skip",
        "name": "zero",
    }


def lq_example(counts: pd.DataFrame, min_count: int = 3) -> tuple[str, str, float] | None:
    """A cell to explain the location quotient with: the highest LQ among cells holding at least
    ``min_count`` clusters, as ``(sector, continent, lq)``."""
    lq = measure_matrix(counts, "lq")
    best = None
    for s in counts.index:
        for c in counts.columns:
            v = lq.at[s, c]
            if counts.at[s, c] >= min_count and not math.isnan(v) and (best is None or v > best[2]):
                best = (s, c, float(v))
    return best


def _hit_layer(x: list[str], y: list[str], hover: list[list[str]], codes: list[list[str]]) -> dict:
    """Invisible points at the cell centres: hover text and click-to-select for every cell."""
    px, py, ph, pc = [], [], [], []
    for i, yy in enumerate(y):
        for j, xx in enumerate(x):
            px.append(xx)
            py.append(yy)
            ph.append(hover[i][j])
            pc.append(codes[i][j])
    return {
        "type": "scatter",
        "x": px,
        "y": py,
        "mode": "markers",
        "marker": {"size": 30, "opacity": 0, "symbol": "square"},
        "selected": {"marker": {"opacity": 0}},
        "unselected": {"marker": {"opacity": 0}},
        "hovertext": ph,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "customdata": pc,
        "showlegend": False,
        "name": "hit",
    }


def _frame_layout(
    x: list[str],
    y: list[str],
    total: str,
    title: str,
    subtitle: str,
    height: int,
    ticks: list[str] | None = None,
) -> dict:
    """The grid's frame; ``ticks`` are the column labels as shown (default: ``x``), e.g. long
    names on two lines while ``x`` keeps the plain names the traces use."""
    shown = [*(x if ticks is None else ticks), total]
    lines = max(label.count("<br>") + 1 for label in shown)
    axis = {
        "type": "category",
        "categoryorder": "array",
        "fixedrange": True,
        "showgrid": False,
        "zeroline": False,
        "ticks": "",
        "automargin": True,
        "tickfont": {"size": 16, "color": "#1f2933"},
    }
    # Rules between the cells and the totals strip (in data coordinates: exactly the grid).
    rule = {"type": "line", "xref": "x", "yref": "y", "line": {"color": RULE_COLOR, "width": 2}}
    extra = dict(
        # Title and subtitle at the top of the figure, the top tick labels below them: the top
        # margin holds both (about 80 px for the titles, 22 px per tick-label line).
        title={
            "subtitle": {"text": subtitle, "font": {"size": 16, "color": "#52606d"}},
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 12},
        },
        margin={"t": 92 + 22 * lines, "r": 10, "l": 10, "b": 10},
        hoverdistance=-1,
        hovermode="closest",
        showlegend=False,
        xaxis=axis
        | {
            "categoryarray": [*x, total],
            "tickvals": [*x, total],
            "ticktext": shown,
            "range": [-0.5, len(x) + 0.5],  # fixed: the hit-layer markers must not pad the axis
            "side": "top",
            "tickangle": 0,
        },
        yaxis=axis
        | {
            "categoryarray": [*y, total],
            "range": [len(y) + 0.5, -0.5],  # reversed: first row on top, totals at the bottom
            # A gap after every line of a row label (a tick suffix pads only the last line: the
            # first line of "Biomedicine &<br>medical devices" touched the grid on a slide).
            "tickvals": [*y, total],
            "ticktext": [ROW_GAP.join(label.split("<br>")) + ROW_PAD for label in [*y, total]],
        },
        shapes=[
            rule | {"x0": len(x) - 0.5, "x1": len(x) - 0.5, "y0": -0.5, "y1": len(y) + 0.5},
            rule | {"x0": -0.5, "x1": len(x) + 0.5, "y0": len(y) - 0.5, "y1": len(y) - 0.5},
        ],
    )
    return merge(house_layout(title=title, height=height), extra)


def _compact(traces: list[dict], layout: dict) -> tuple[list[dict], dict]:
    """The grid for a phone (about 360 px): smaller numbers and labels, column labels slanted,
    the colour bar laid flat under the grid, rows less tall."""
    rows = len(traces[0]["y"]) + 1
    small = {
        "cells": {
            "textfont": {"size": 12},
            "colorbar": {
                "orientation": "h",
                "x": 0.5,
                "xanchor": "center",
                "y": -0.04,
                "yanchor": "top",
                "len": 0.95,
                "thickness": 10,
                "title": {"side": "top", "font": {"size": 12}},
                "tickfont": {"size": 11},
            },
        },
        "totals": {"textfont": {"size": 12}},
    }
    traces = [merge(tr, small.get(tr.get("name"), {})) for tr in traces]
    layout = merge(
        layout,
        {
            "xaxis": {"tickangle": -50, "tickfont": {"size": 11}},
            "yaxis": {"tickfont": {"size": 11}},
            "height": 190 + 44 * rows,
            "title": {"font": {"size": 15}, "subtitle": {"font": {"size": 12}}},
            "font": {"size": 12},
        },
    )
    layout["margin"] = {"t": 150, "r": 4, "l": 4, "b": 70}
    return traces, layout


def _lines(label: str) -> list[str]:
    """A label's lines as drawn (``<br>`` breaks, tags left out)."""
    return [re.sub(r"<[^>]+>", "", line) for line in str(label).split("<br>")]


def _widest(labels: list[str], size: float) -> float:
    return max((text_width(line, size) for label in labels for line in _lines(label)), default=0)


def _colorbar_numbers(cells: dict) -> list[str]:
    """The longest numbers the cells' colour bar may print: its own tick texts, else its ends."""
    bar = cells.get("colorbar", {})
    if "ticktext" in bar:
        return list(bar["ticktext"])
    if bar.get("tickformat") == ".0%":
        return ["100%"]
    lo, hi = float(cells.get("zmin", 0)), float(cells.get("zmax", 1))
    return [f"{hi:g}", f"−{abs(lo):g}" if lo < 0 else "0"]


def _fit(traces: list[dict], layout: dict) -> dict:
    """``layout`` with left and right margins that hold the row labels and the colour bar.

    Left at 10 px, plotly widened them itself (``automargin``) after a first pass over the whole
    figure, then drew it all again: a second full draw, 40-50 % of the heatmap's drawing time in
    the browser. Set from generous text widths, the margins already hold what plotly measures, so
    it draws once; should an estimate fall short, plotly still widens the margin as before."""
    yaxis = layout["yaxis"]
    rows = list(yaxis["ticktext"])
    left = _widest(rows, LABEL_FONT_PX) + LABEL_SLACK_PX
    right = float(layout["margin"]["r"])
    cells = traces[0]
    if cells.get("showscale", True) and "colorbar" in cells:
        bar = cells["colorbar"]
        title = _widest([bar.get("title", {}).get("text", "")], LABEL_FONT_PX)
        numbers = bar["thickness"] + 4 + _widest(_colorbar_numbers(cells), LABEL_FONT_PX)
        right = max(title, numbers) + COLORBAR_PAD_PX
    return {**layout, "margin": {**layout["margin"], "l": math.ceil(left), "r": math.ceil(right)}}


def _figure(traces: list[dict], layout: dict, narrow: bool) -> go.Figure:
    if narrow:
        traces, layout = _compact(traces, layout)
    else:
        layout = _fit(traces, layout)
    return go.Figure(data=traces, layout=layout)


def _main_parts(
    counts: pd.DataFrame, measure: Measure, source: Source, lang: Lang
) -> tuple[list[dict], dict]:
    values = measure_matrix(counts, measure)
    x = [continent_name(c, lang) for c in counts.columns]
    y = [wrap_label(sector_name(s, lang), lang) for s in counts.index]
    total = t("heatmap.total", lang)
    text = [[format_value(v, measure) for v in row] for row in values.to_numpy(dtype=float)]

    traces = [
        _grid(text, _colour(values, measure, source, lang), x, y, CELL_FONT),
        _totals_strip(counts, x, y, total),
    ]
    if measure == "lq":
        traces.append(_zero_cells(counts, x, y))

    measure_label = t(f"heatmap.measure.{measure}", lang)
    count_label = t("heatmap.hover.count", lang)
    hint = t("heatmap.hover.click", lang)
    hover, codes = [], []
    for i, s in enumerate(counts.index):
        hrow, crow = [], []
        for j, c in enumerate(counts.columns):
            head = f"<b>{sector_name(s, lang)}</b> · {continent_name(c, lang)}"
            body = f"{measure_label}: {text[i][j]}"
            if measure != "count":
                body += f"<br>{count_label}: {int(counts.iat[i, j])}"
            hrow.append(f"{head}<br>{body}<br><i>{hint}</i>")
            crow.append(cell_code(s, c))
        row_total = t("heatmap.hover.row_total", lang, name=sector_name(s, lang))
        hrow.append(f"{row_total}: {int(counts.iloc[i].sum())}")
        crow.append("")
        hover.append(hrow)
        codes.append(crow)
    hrow = [
        f"{t('heatmap.hover.row_total', lang, name=continent_name(c, lang))}: "
        f"{int(counts[c].sum())}"
        for c in counts.columns
    ]
    hrow.append(f"{total}: {int(counts.to_numpy().sum())}")
    hover.append(hrow)
    codes.append([""] * (len(x) + 1))
    traces.append(_hit_layer([*x, total], [*y, total], hover, codes))

    title = f"{t('heatmap.main_title', lang)} · {measure_label}"
    subtitle = f"{_source_label(source, counts, lang)} · {t('heatmap.totals_note', lang)}"
    # Column labels on two lines where long ("North<br>America"): side by side in a narrow grid
    # (a briefing preview, a 1280-px slide) "Oceania" and "South America" ran into each other.
    ticks = [wrap_label(name, lang, width=COLUMN_LABEL_WIDTH) for name in x]
    layout = _frame_layout(x, y, total, title, subtitle, 150 + 78 * (len(y) + 1), ticks)
    return traces, layout


def _outline(layout: dict, counts: pd.DataFrame, selected: tuple[str, str] | None) -> dict:
    """``layout`` with the ``selected`` cell outlined (a new dict: ``layout`` is left alone)."""
    if selected is None or selected[0] not in counts.index or selected[1] not in counts.columns:
        return layout
    i = list(counts.index).index(selected[0])
    j = list(counts.columns).index(selected[1])
    outline = {
        "type": "rect",
        "xref": "x",
        "yref": "y",
        "x0": j - 0.47,
        "x1": j + 0.47,
        "y0": i - 0.45,
        "y1": i + 0.45,
        "line": {"color": SELECT_COLOR, "width": 4},
        "fillcolor": "rgba(0,0,0,0)",
    }
    return {**layout, "shapes": [*layout["shapes"], outline]}


def build_main_heatmap(
    counts: pd.DataFrame,
    measure: Measure,
    source: Source,
    lang: Lang,
    selected: tuple[str, str] | None = None,
    narrow: bool = False,
) -> go.Figure:
    """Sector × continent heatmap of ``counts`` (from ``source``) shown as ``measure``.

    The difference view (published − named) is always shown as counts. ``selected`` outlines a
    cell; ``narrow`` draws the compact grid for a phone. Trace 0 holds the cells (``z`` in
    display order, sectors top to bottom).
    """
    if source == "difference":
        measure = "count"
    traces, layout = _main_parts(counts, measure, source, lang)
    return _figure(traces, _outline(layout, counts, selected), narrow)


def build_country_heatmap(counts: pd.DataFrame, lang: Lang, narrow: bool = False) -> go.Figure:
    """Country × sector heatmap of named clusters (countries as rows, most clusters on top).

    Empty cells are left blank so the few filled ones stand out; totals are in the grey strip.
    ``narrow`` draws the compact grid for a phone.
    """
    x = [wrap_label(sector_name(s, lang), lang, width=12) for s in counts.columns]
    y = [country_name(c, lang) for c in counts.index]
    total = t("heatmap.total", lang)
    arr = counts.to_numpy(dtype=float)
    text = [[f"{int(v)}" if v else "" for v in row] for row in arr]
    bar = {"title": {"side": "top", "text": t("heatmap.colorbar.count", lang)}, **COLORBAR}
    colour = {
        "z": arr,
        "colorscale": _scale(BLUES),
        "zmin": 0,
        "zmax": float(arr.max(initial=0)) or 1.0,
        "colorbar": bar,
    }

    traces = [_grid(text, colour, x, y, 17), _totals_strip(counts, x, y, total, font=16)]
    hover, codes = [], []
    for i, c in enumerate(counts.index):
        hrow = [
            f"<b>{country_name(c, lang)}</b> · {sector_name(s, lang)}<br>"
            f"{t('heatmap.hover.count', lang)}: {int(counts.iat[i, j])}"
            for j, s in enumerate(counts.columns)
        ]
        hrow.append(
            f"{t('heatmap.hover.row_total', lang, name=country_name(c, lang))}: "
            f"{int(counts.iloc[i].sum())}"
        )
        hover.append(hrow)
        codes.append([""] * (len(x) + 1))
    hrow = [
        f"{t('heatmap.hover.row_total', lang, name=sector_name(s, lang))}: {int(counts[s].sum())}"
        for s in counts.columns
    ]
    hrow.append(f"{total}: {int(arr.sum())}")
    hover.append(hrow)
    codes.append([""] * (len(x) + 1))
    traces.append(_hit_layer([*x, total], [*y, total], hover, codes))

    title = t("heatmap.country_title", lang)
    subtitle = t("heatmap.source.named_n", lang, n=int(arr.sum()))
    layout = _frame_layout(x, y, total, title, subtitle, height=230 + 44 * (len(y) + 1))
    return _figure(traces, layout, narrow)


def main_table(counts: pd.DataFrame, measure: Measure, source: Source, lang: Lang) -> pd.DataFrame:
    """The matrix shown, as a table for CSV download: labels in ``lang``, one row per sector,
    the measure and the source named on every row, and the row total (a count) last.
    """
    if source == "difference":
        measure = "count"
    values = measure_matrix(counts, measure)
    values = values.astype(int) if measure == "count" else values.round(4)
    out = pd.DataFrame(
        {
            t("heatmap.csv.sector_code", lang): list(counts.index),
            t("heatmap.csv.sector", lang): [sector_name(s, lang) for s in counts.index],
            t("heatmap.csv.measure", lang): t(f"heatmap.measure.{measure}", lang),
            t("heatmap.csv.source", lang): _source_label(source, counts, lang),
        }
    )
    for c in counts.columns:
        out[continent_name(c, lang)] = values[c].to_numpy()
    out[t("heatmap.csv.total_n", lang)] = counts.sum(axis=1).astype(int).to_numpy()
    return out


def country_table(counts: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The country × sector matrix as a table for CSV download (labels in ``lang``)."""
    out = counts.copy()
    out.columns = [sector_name(s, lang) for s in counts.columns]
    out[t("heatmap.csv.total_n", lang)] = counts.sum(axis=1).astype(int)
    out.insert(0, t("heatmap.csv.country", lang), [country_name(c, lang) for c in counts.index])
    out.insert(0, t("heatmap.csv.country_code", lang), list(counts.index))
    return out.reset_index(drop=True)


# --- the page's views, computed once per dataset and arguments (shared: never changed after) -----


@per_dataset
def _dataset_main_parts(
    bundle: Bundle, source: Source, measure: Measure, lang: Lang
) -> tuple[list[dict], dict]:
    return _main_parts(dataset_matrices(bundle)[source], measure, source, lang)


@per_dataset
def main_figure(
    bundle: Bundle,
    source: Source,
    measure: Measure,
    lang: Lang,
    selected: tuple[str, str] | None = None,
    narrow: bool = False,
) -> go.Figure:
    """:func:`build_main_heatmap` of ``bundle``'s ``source`` matrix."""
    if source == "difference":
        measure = "count"
    counts = dataset_matrices(bundle)[source]
    if selected is None:
        traces, layout = _dataset_main_parts(bundle, source, measure, lang)
        return freeze(_figure(traces, layout, narrow))
    # A selected cell only adds its outline (a fixed shape, checked against the validated builder
    # by the unit tests) to the view's figure: its spec and figure are assembled from the view's
    # without plotly's validation and deep copies (about 2 ms instead of 10-20 ms per new cell).
    spec = frozen_spec(main_figure(bundle, source, measure, lang, None, narrow))
    assert spec is not None
    spec = {**spec, "layout": _outline(spec["layout"], counts, selected)}
    return freeze(go.Figure(spec, _validate=False), spec)


@per_dataset
def main_view_table(bundle: Bundle, source: Source, measure: Measure, lang: Lang) -> pd.DataFrame:
    """:func:`main_table` of ``bundle``'s ``source`` matrix."""
    return main_table(dataset_matrices(bundle)[source], measure, source, lang)


@per_dataset
def dataset_lq_example(bundle: Bundle, source: Source) -> tuple[str, str, float] | None:
    """:func:`lq_example` of ``bundle``'s ``source`` matrix."""
    return lq_example(dataset_matrices(bundle)[source])


@per_dataset
def country_figure(
    bundle: Bundle, continents: tuple[str, ...], rows: int | None, lang: Lang, narrow: bool = False
) -> go.Figure:
    """:func:`build_country_heatmap` of the ``continents``' countries (the first ``rows`` of
    them; None: all)."""
    counts = dataset_country_matrix(bundle, continents)
    return freeze(
        build_country_heatmap(counts if rows is None else counts.head(rows), lang, narrow)
    )


@per_dataset
def country_view_table(bundle: Bundle, continents: tuple[str, ...], lang: Lang) -> pd.DataFrame:
    """:func:`country_table` of the ``continents``' countries."""
    return country_table(dataset_country_matrix(bundle, continents), lang)


@per_dataset
def cell_labels(bundle: Bundle, source: Source, lang: Lang) -> dict[str, str]:
    """Every cell code with its label for the keyboard cell picker (sector, continent, and the
    ``source`` count), row by row."""
    counts = dataset_matrices(bundle)[source]
    return {
        cell_code(s, c): t(
            "heatmap.cell.option",
            lang,
            sector=sector_name(s, lang),
            continent=continent_name(c, lang),
            n=int(counts.at[s, c]),
        )
        for s in counts.index
        for c in counts.columns
    }


@per_dataset
def _all_cell_links(bundle: Bundle, lang: Lang) -> dict[str, tuple[tuple[str, str], ...]]:
    """:func:`cell_links` of every cell, in one pass over the clusters."""
    clusters = bundle.clusters
    if "annex_no" in clusters.columns:  # the order of matrices.cell_clusters within each cell
        clusters = clusters.sort_values(["annex_no", "cluster_id"], na_position="last")
    links: dict[str, list[tuple[str, str]]] = {}
    for row in clusters.itertuples(index=False):
        label = escape_md(f"{getattr(row, f'name_{lang}')} · {country_name(row.country, lang)}")
        links.setdefault(cell_code(row.sector, row.continent), []).append((label, row.cluster_id))
    return {code: tuple(items) for code, items in links.items()}


def cell_links(
    bundle: Bundle, sector: str, continent: str, lang: Lang
) -> tuple[tuple[str, str], ...]:
    """``(label, cluster_id)`` of the named clusters of a cell, in annex order, for the
    drill-down's links (labels markdown-escaped: names come from the data)."""
    return _all_cell_links(bundle, lang).get(cell_code(sector, continent), ())
