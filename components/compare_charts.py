"""Figures of the compare page. Pure builders (``go.*``), no ``st.*``.

The per-region charts are laid out for narrow columns: each bar has its label (name · value)
written above it, so the bars get the column's full width and every column's plot area is the
same. Columns of one comparison share the x range (the caller passes it) and the height (set by
the number of rows and of regions only), so the charts line up across the page.
"""

from __future__ import annotations

import copy
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.captions import cluster_list_source, source_line
from components.charts import MISSING, SECTOR_COLORS, apply_layout
from components.compare import RegionCounts, points, signed
from components.heatmap_charts import LQ_CAP
from components.i18n import Lang, sector_name, t, wrap_label
from components.safe import escape_html
from components.sources import cite
from components.vocab import POLICY_PERIODS, SECTORS

LABEL_FONT = 14
TICK_FONT = 13
TITLE_FONT = 16
MUTED = "#52606d"
INK = "#1f2933"
GRID = "#e4e7eb"
OVER_COLOR = "#b2182b"  # location quotient above 1 (as the heatmap's diverging scale)
UNDER_COLOR = "#2166ac"  # below 1
PERIOD_COLORS = {"2005-2021": "#9DB4D3", "2022-2023": "#0B5394"}
COLOR_A, COLOR_B = "#0072B2", "#D55E00"  # the two regions of the difference view
LINE_PX = 18  # one line of label text
BAR_PX = 14
LABEL_TOP_PX = 4  # space above a row's label
ROW_GAP_PX = 12  # label top gap + label-bar gap + space under the bar
TOP_PX, BOTTOM_PX, SIDE_PX = 66, 30, 20
VALUE_DOMAIN = 0.8  # the bars' share of the plot width; the values sit in the rest
# plotly offsets scatter text from its point: these move the labels up and the values down to
# where the annotations drew them (measured in chromium; x stays within 2-3 px of them)
LABEL_LIFT_PX = VALUE_DROP_PX = 2.5
WIDE_WRAP, NARROW_WRAP = 34, 20  # label characters per line with 2 or 3-4 columns


@dataclass(frozen=True)
class Bar:
    """One labelled bar: label (the name, written above the bar), length, colour, hover text,
    and the value printed in the value column at the right (``None``: no value column)."""

    label: str
    x: float | None
    color: str
    hover: str
    value: str | None = None


def wrap_width(n_regions: int) -> int:
    """Characters per label line for ``n_regions`` columns."""
    return WIDE_WRAP if n_regions <= 2 else NARROW_WRAP


@dataclass(frozen=True)
class Rows:
    """Where rows sit, in y units of one pixel-pitch each (the y axis runs top down).

    A row is its label (``lines`` lines of text) with the bar below it; ``pitch`` pixels per
    row. Charts with the same labels get the same geometry, so their heights match.
    """

    n: int
    lines: int

    @property
    def pitch(self) -> int:
        return self.lines * LINE_PX + BAR_PX + ROW_GAP_PX

    def label_bottom(self, i: int) -> float:
        return i + (LABEL_TOP_PX + self.lines * LINE_PX) / self.pitch

    def bar_centre(self, i: int) -> float:
        return i + (LABEL_TOP_PX + self.lines * LINE_PX + 3 + BAR_PX / 2) / self.pitch

    @property
    def bar_width(self) -> float:
        return BAR_PX / self.pitch

    @property
    def plot_height(self) -> int:
        return self.n * self.pitch

    @property
    def y_range(self) -> list[float]:
        return [float(self.n), 0.0]


def rows_for(labels: Sequence[str]) -> Rows:
    """The geometry for these labels (line count from their ``<br>`` breaks)."""
    lines = max((label.count("<br>") + 1 for label in labels), default=1)
    return Rows(len(labels), lines)


def _text_trace(texts: Sequence[str], x: float, ys: Sequence[float], position: str) -> dict:
    """Text at ``(x, ys[i])``, drawn as a scatter trace: plotly draws a layout annotation twice
    per plot, each measured in the page's DOM; a text trace once, without (no hover, legend or
    clipping)."""
    return {
        "type": "scatter",
        "mode": "text",
        "x": [x] * len(texts),
        "y": list(ys),
        "text": list(texts),
        "textposition": position,
        "textfont": {"size": LABEL_FONT, "color": INK},
        "hoverinfo": "skip",
        "showlegend": False,
        "cliponaxis": False,
    }


def _label_trace(labels: Sequence[str], rows: Rows, x_range: Sequence[float]) -> dict:
    """The labels above the bars, from the axis' left end."""
    ys = [rows.label_bottom(i) - LABEL_LIFT_PX / rows.pitch for i in range(rows.n)]
    return _text_trace(labels, x_range[0], ys, "top right")


def _value_trace(values: Sequence[str], rows: Rows, x_range: Sequence[float]) -> dict:
    """The values in a column at the axis' right end, level with their bars."""
    ys = [rows.bar_centre(i) + VALUE_DROP_PX / rows.pitch for i in range(len(values))]
    return _text_trace([f"<b>{v}</b>" for v in values], x_range[1], ys, "middle left")


def _labelled_bars(
    bars: Sequence[Bar],
    *,
    title: str,
    subtitle: str,
    x_range: tuple[float, float],
    tickvals: Sequence[float] | None = None,
    ticktext: Sequence[str] | None = None,
    zero_line: float | None = None,
    extra: dict | None = None,
) -> go.Figure:
    """Horizontal bars, one per row, each with its label written above it (and its value at the
    right when it has one). ``extra``: more layout."""
    rows = rows_for([b.label for b in bars])
    bar = {
        "type": "bar",
        "orientation": "h",
        "y": [rows.bar_centre(i) for i in range(rows.n)],
        "x": [0 if b.x is None else b.x for b in bars],
        "width": rows.bar_width,
        "marker": {"color": [b.color for b in bars], "line": {"width": 0}},
        "hovertext": [b.hover for b in bars],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "showlegend": False,
        "name": "bars",
    }
    values = [b.value for b in bars if b.value is not None]
    layout = _layout(title, subtitle, rows, x_range, tickvals, ticktext, value_column=bool(values))
    data = [bar, _label_trace([b.label for b in bars], rows, layout["xaxis"]["range"])]
    if values:
        data.append(_value_trace(values, rows, layout["xaxis"]["range"]))
    if zero_line is not None:
        # A short rule at every bar (not through the labels).
        half = rows.bar_width / 2 + 3 / rows.pitch
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "x",
                "yref": "y",
                "x0": zero_line,
                "x1": zero_line,
                "y0": rows.bar_centre(i) - half,
                "y1": rows.bar_centre(i) + half,
                "line": {"color": MUTED, "width": 1.5},
            }
            for i in range(rows.n)
        ]
    return go.Figure(data=data, layout=layout | (extra or {}))


@cache
def _house() -> dict:
    """The house layout of :func:`components.charts.apply_layout` (with a title), as a dict.

    Read once: building each figure from one layout dict costs one validation instead of one per
    ``update_layout`` call (about 50 ms each on this machine).
    """
    house = apply_layout(go.Figure(), title="x", height=100).layout.to_plotly_json()
    house.pop("template", None)  # every new figure gets the default template anyway
    return house


def _layout(
    title: str,
    subtitle: str,
    rows: Rows,
    x_range: tuple[float, float],
    tickvals: Sequence[float] | None,
    ticktext: Sequence[str] | None,
    extra_top: int = 0,
    *,
    value_column: bool = False,
) -> dict:
    """The layout of a labelled-bar chart: the house look, title and subtitle, fixed axes, fixed
    margins (``autoexpand`` off: nothing to make room for, and plotly draws the figure again
    when a margin grows); with ``value_column`` the x axis runs on to the right edge, where the
    values sit, and ``x_range`` keeps the left ``VALUE_DOMAIN`` of the width."""
    top, bottom = TOP_PX + extra_top, BOTTOM_PX
    house = copy.deepcopy(_house())
    r0, r1 = x_range
    xaxis: dict = {
        "range": [r0, r0 + (r1 - r0) / VALUE_DOMAIN if value_column else r1],
        "fixedrange": True,
        "showgrid": True,
        "gridcolor": GRID,
        "zeroline": False,
        "tickfont": {"size": TICK_FONT, "color": MUTED},
        "side": "bottom",
        "tickangle": 0,
    }
    if tickvals is not None:
        xaxis |= {"tickvals": list(tickvals), "ticktext": list(ticktext or [])}
    return house | {
        "title": house["title"]
        | {
            "text": title,
            "font": {"size": TITLE_FONT},
            "subtitle": {"text": subtitle, "font": {"size": 13, "color": MUTED}},
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 8},
        },
        "height": top + bottom + rows.plot_height,
        "margin": {"t": top, "b": bottom, "l": SIDE_PX, "r": SIDE_PX, "autoexpand": False},
        "bargap": 0,
        "hovermode": "closest",
        "yaxis": {"range": rows.y_range, "visible": False, "fixedrange": True},
        "xaxis": xaxis,
    }


def _pct(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if 0 < value < 0.005:
        return "<1%"
    return f"{value:.0%}"


def _name(name: str, lang: Lang, n_regions: int) -> str:
    return wrap_label(name, lang, wrap_width(n_regions))


def share_ticks(x_max: float, n_regions: int = 2) -> list[float]:
    """Tick values of the common share axis: 10-point steps, 20 in narrow columns or above 60 %."""
    step = 0.1 if x_max <= 0.6 and n_regions <= 2 else 0.2
    return [round(i * step, 2) for i in range(int(x_max / step + 1e-9) + 1)]


def build_share_chart(
    rc: RegionCounts, title: str, subtitle: str, lang: Lang, *, x_max: float, n_regions: int
) -> go.Figure:
    """The region's sector mix as share bars on the common axis ``[0, x_max]``."""
    top = min(1.0, x_max * 1.04 + 0.005)
    bars = []
    for s in SECTORS:
        share = float(rc.shares[s])
        name = sector_name(s, lang)
        hover = t("compare.hover.share", lang, sector=name, share=_pct(share), n=int(rc.counts[s]))
        bars.append(Bar(_name(name, lang, n_regions), share, SECTOR_COLORS[s], hover, _pct(share)))
    ticks = share_ticks(top, n_regions)
    return _labelled_bars(
        bars,
        title=title,
        subtitle=subtitle,
        x_range=(0, top),
        tickvals=ticks,
        ticktext=[f"{v:.0%}" for v in ticks],
    )


def lq_position(value: float) -> float | None:
    """Where an LQ sits on the chart's axis: log2, clipped to ``[1/LQ_CAP, LQ_CAP]``."""
    if value is None or math.isnan(value):
        return None
    return math.log2(min(max(value, 1 / LQ_CAP), LQ_CAP))


def format_lq(value: float) -> str:
    """``1.42``; ``0`` for an empty sector; ``–`` when undefined."""
    if value is None or math.isnan(value):
        return MISSING
    return "0" if value == 0 else f"{value:.2f}"


def build_lq_chart(
    rc: RegionCounts, title: str, subtitle: str, lang: Lang, *, n_regions: int
) -> go.Figure:
    """Location quotient per sector against the world: bars from 1, log scale, clipped at
    ``1/LQ_CAP`` and ``LQ_CAP`` like the heatmap's colour scale."""
    bars = []
    for s in SECTORS:
        value = float(rc.lq[s])
        pos = lq_position(value)
        name = sector_name(s, lang)
        color = OVER_COLOR if (pos or 0) > 0 else UNDER_COLOR
        hover = t("compare.hover.lq", lang, sector=name, lq=format_lq(value))
        bars.append(Bar(_name(name, lang, n_regions), pos, color, hover, format_lq(value)))
    cap = math.log2(LQ_CAP)
    # Narrow columns: the ends and 1 only (the labels would collide).
    ticks = [1 / LQ_CAP, 0.5, 1, 2, LQ_CAP] if n_regions <= 2 else [1 / LQ_CAP, 1, LQ_CAP]
    return _labelled_bars(
        bars,
        title=title,
        subtitle=subtitle,
        x_range=(-cap - 0.08, cap + 0.08),
        tickvals=[math.log2(v) for v in ticks],
        ticktext=[
            f"≤{v:g}" if v == 1 / LQ_CAP else f"≥{v:g}" if v == LQ_CAP else f"{v:g}" for v in ticks
        ],
        zero_line=0.0,
    )


def build_policy_chart(
    matrix: pd.DataFrame,
    themes: Sequence[str],
    title: str,
    subtitle: str,
    lang: Lang,
    *,
    x_max: int,
    n_regions: int,
) -> go.Figure:
    """Policies per theme (rows ``themes``), stacked by period, on the common axis
    ``[0, x_max]``. A policy counts once under each of its themes."""
    labels = [_name(t(f"theme.{th}", lang), lang, n_regions) for th in themes]
    totals = [str(int(matrix.loc[th].sum())) for th in themes]
    rows = rows_for(labels)
    ys = [rows.bar_centre(i) for i in range(rows.n)]
    traces = []
    for period in POLICY_PERIODS:
        values = [int(matrix.at[th, period]) for th in themes]
        label = t(f"compare.period.{period}", lang)
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": ys,
                "x": values,
                "width": rows.bar_width,
                "name": label,
                "marker": {"color": PERIOD_COLORS[period], "line": {"width": 0}},
                "hovertext": [
                    t("compare.hover.policy", lang, theme=t(f"theme.{th}", lang), n=v)
                    for th, v in zip(themes, values, strict=True)
                ],
                "hovertemplate": f"%{{hovertext}} · {label}<extra></extra>",
            }
        )
    step = max(1, math.ceil(x_max / 4))
    ticks = list(range(0, x_max + 1, step))
    legend_px = 28 if n_regions <= 2 else 50  # narrow columns: the legend takes two lines
    layout = _layout(title, subtitle, rows, (0, x_max * 1.04 + 0.1), ticks,
                     [str(v) for v in ticks], extra_top=legend_px, value_column=True)  # fmt: skip
    traces += [_label_trace(labels, rows, layout["xaxis"]["range"]),
               _value_trace(totals, rows, layout["xaxis"]["range"])]  # fmt: skip
    layout |= {
        "barmode": "stack",
        "showlegend": True,
        "legend": {
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yanchor": "bottom",
            "yref": "paper",
            "font": {"size": 13},
            "traceorder": "normal",
        },
    }
    return go.Figure(data=traces, layout=layout)


def build_difference_chart(
    gap: pd.Series, name_a: str, name_b: str, title: str, lang: Lang
) -> go.Figure:
    """Points of share by which region A over- (right, A's colour) or under- (left, B's colour)
    represents each sector against B, largest first."""
    bars = []
    for s, value in gap.items():
        v = float(value)
        pts = points(v, lang)
        name = sector_name(str(s), lang)
        hover = t("compare.hover.gap", lang, sector=name, pts=pts, a=name_a, b=name_b)
        bars.append(Bar(f"{name} · <b>{pts}</b>", v, COLOR_A if v >= 0 else COLOR_B, hover))
    reach = max(5.0, float(np.nanmax(np.abs(gap.to_numpy(dtype=float)), initial=0)) * 1.1)
    step = 5 if reach <= 25 else 10
    ticks = [v for v in range(-100, 101, step) if abs(v) <= reach]
    # Which side is which, under the axis.
    sides = [
        {
            "x": x,
            "xref": "paper",
            "xanchor": anchor,
            "y": 0,
            "yref": "paper",
            "yanchor": "top",
            "yshift": -22,
            "text": text,
            "showarrow": False,
            "font": {"size": 13, "color": color},
        }
        for x, anchor, text, color in (
            (0.0, "left", t("compare.diff.more_in", lang, name=name_b), COLOR_B),
            (1.0, "right", t("compare.diff.more_in", lang, name=name_a), COLOR_A),
        )
    ]
    rows = rows_for([b.label for b in bars])
    return _labelled_bars(
        bars,
        title=title,
        subtitle=t("compare.diff.subtitle", lang, a=name_a, b=name_b),
        x_range=(-reach, reach),
        tickvals=ticks,
        ticktext=[signed(v) for v in ticks],
        zero_line=0.0,
        extra={
            "annotations": sides,
            "margin": {
                "t": TOP_PX,
                "b": BOTTOM_PX + 24,
                "l": SIDE_PX,
                "r": SIDE_PX,
                "autoexpand": False,
            },
            "height": TOP_PX + BOTTOM_PX + 24 + rows.plot_height,
        },
    )


def legend_html(lang: Lang) -> str:
    """The maps' legend: one swatch per sector (the map page's colours, no selection ring)."""
    items = "".join(
        '<span style="display:inline-flex;align-items:center;margin:0 14px 4px 0">'
        f'<span style="width:12px;height:12px;border-radius:50%;background:{color};'
        'border:1px solid white;box-shadow:0 0 0 1px #9aa5b1;margin-right:6px"></span>'
        f"{escape_html(sector_name(code, lang))}</span>"
        for code, color in SECTOR_COLORS.items()
    )
    head = escape_html(t("map.legend", lang))
    return (
        '<div style="font-size:14px;line-height:1.6">'
        f'<span style="font-weight:600;margin-right:12px">{head}</span>{items}</div>'
    )


def basis_source(bases: Sequence[str], clusters: pd.DataFrame, lang: Lang) -> str:
    """Where shares and quotients on these bases come from: figure 2-1, the named clusters or
    both."""
    if all(b == "published" for b in bases):
        return source_line(lang, [], cite("figure 2-1", lang))
    named_source = cluster_list_source(clusters, lang)
    if all(b == "named" for b in bases):
        return source_line(lang, [], named_source)
    return source_line(lang, ["figure 2-1"], named_source)


# --- one figure per row: the regions' charts as panels side by side ------------------------------
# The panels sit where the page's columns sit (``st.columns(n, gap="medium")``: equal widths,
# a 2rem gap). The gap's share of the row depends on the screen (the main area is about 820 px
# wide at 1280 px with the sidebar open, 1500 px at 1920): the nominal width lies between, and
# the inset keeps every panel inside its column at both ends (measured at both widths).
NOMINAL_ROW_PX = 1100
COLUMN_GAP_PX = 32
# Between a column's edge and its panel's bars, labels and values. The row figure's side margins
# are as wide, fixed (``autoexpand`` off: plotly would draw the figure again to widen them), so
# the outer panels' end tick labels (``≤0.25`` is centred on the axis' end) fit at any width:
# plotly hides a tick label that would cross the figure's edge.
PANEL_INSET_PX = 20


def panel_spans(n: int) -> list[tuple[float, float]]:
    """The paper-x span of each of ``n`` panels: its column of the page's grid less the inset on
    both sides, at the nominal width (the paper lies between margins of the inset)."""
    col = (NOMINAL_ROW_PX - (n - 1) * COLUMN_GAP_PX) / n
    paper = NOMINAL_ROW_PX - 2 * PANEL_INSET_PX
    starts = [i * (col + COLUMN_GAP_PX) for i in range(n)]
    return [(x / paper, (x + col - 2 * PANEL_INSET_PX) / paper) for x in starts]


def _axis_ref(ref: str, k: int) -> str:
    """``x`` / ``y`` / ``x domain`` of panel ``k`` (1-based): ``x2``, ``y2 domain``, ..."""
    axis, _, rest = ref.partition(" ")
    if axis not in ("x", "y"):
        return ref
    name = axis if k == 1 else f"{axis}{k}"
    return f"{name} {rest}" if rest else name


def _wrapped(text: str) -> str:
    """Plain ``text`` for a panel, escaped, on lines of about a narrow panel's width (CJK text
    has no blanks: broken between characters)."""
    width = 26 if " " in text else 13
    return "<br>".join(escape_html(line) for line in textwrap.wrap(text, width)) or ""


def panels(
    figs: Sequence[go.Figure | None],
    titles: Sequence[str],
    subtitles: Sequence[str],
    empty: Sequence[str],
) -> go.Figure | None:
    """The per-region charts ``figs`` (built by the ``build_*_chart`` functions above) as the
    panels of one figure, left to right on the page's column grid: each panel keeps its own
    axes (ranges shared by the builders), bars, labels and values, and gets its region's name
    and subtitle on top. ``None`` panels show ``empty[i]`` instead (plain text). One figure
    per row: one chart for the browser to draw and the server to send, however many regions;
    the rows of the panels are level by construction. None when every panel is empty."""
    n = len(figs)
    spans = panel_spans(n)
    specs = [None if f is None else f.to_dict() for f in figs]
    drawn = [s for s in specs if s is not None]
    if not drawn:
        return None
    base = drawn[0]["layout"]
    top = max(s["layout"]["margin"]["t"] for s in drawn)
    bottom = max(s["layout"]["margin"]["b"] for s in drawn)
    plot_h = max(s["layout"]["height"] - s["layout"]["margin"]["t"] - s["layout"]["margin"]["b"]
                 for s in drawn)  # fmt: skip
    layout: dict = {
        k: v
        for k, v in base.items()
        if k not in ("title", "xaxis", "yaxis", "annotations", "shapes", "template")
    }
    layout |= {
        "height": top + bottom + plot_h,
        "margin": {
            "t": top,
            "b": bottom,
            "l": PANEL_INSET_PX,
            "r": PANEL_INSET_PX,
            "autoexpand": False,
        },
        "annotations": [],
        "shapes": [],
    }
    if "legend" in layout:  # the policies' periods: from the figure's edge, not the first panel's
        layout["legend"] = layout["legend"] | {"x": 0, "xref": "container"}
    data: list[dict] = []
    legend_seen: set[str] = set()
    for i, (spec, (a, b)) in enumerate(zip(specs, spans, strict=True)):
        k = i + 1
        left, width = a, b - a
        head = f"<b>{escape_html(titles[i])}</b>"
        if subtitles[i]:
            head += (
                f'<br><span style="font-size:13px;color:{MUTED}">{escape_html(subtitles[i])}</span>'
            )
        layout["annotations"].append(
            {
                "x": left,
                "xref": "paper",
                "xanchor": "left",
                "y": 1,
                "yref": "paper",
                "yanchor": "top",
                "yshift": top - 6,
                "text": head,
                "showarrow": False,
                "align": "left",
                "font": {"size": TITLE_FONT, "color": INK},
            }
        )
        if spec is None:
            layout["annotations"].append(
                {
                    "x": left,
                    "xref": "paper",
                    "xanchor": "left",
                    "y": 0.5,
                    "yref": "paper",
                    "yanchor": "middle",
                    "text": _wrapped(empty[i]),
                    "showarrow": False,
                    "align": "left",
                    "font": {"size": LABEL_FONT, "color": MUTED},
                }
            )
            continue
        lay = spec["layout"]
        x0, x1 = lay["xaxis"].get("domain", [0, 1])
        layout[f"xaxis{k}"] = lay["xaxis"] | {
            "domain": [left + x0 * width, left + x1 * width],
            "anchor": _axis_ref("y", k),
        }
        layout[f"yaxis{k}"] = lay["yaxis"] | {"anchor": _axis_ref("x", k), "domain": [0, 1]}
        for trace in spec["data"]:
            trace = dict(trace) | {"xaxis": _axis_ref("x", k), "yaxis": _axis_ref("y", k)}
            if trace.get("showlegend", True):  # the policies' periods: one legend entry each
                name = trace.get("name", "")
                trace["legendgroup"] = name
                trace["showlegend"] = name not in legend_seen
                legend_seen.add(name)
            data.append(trace)
        for ann in lay.get("annotations", ()):
            ann = dict(ann)
            if ann.get("xref") == "paper":
                ann["x"] = left + ann["x"] * width
            else:
                ann["xref"] = _axis_ref(ann.get("xref", "x"), k)
            if ann.get("yref", "y") != "paper":
                ann["yref"] = _axis_ref(ann.get("yref", "y"), k)
            layout["annotations"].append(ann)
        for shape in lay.get("shapes", ()):
            shape = dict(shape)
            shape["xref"] = _axis_ref(shape.get("xref", "x"), k)
            shape["yref"] = _axis_ref(shape.get("yref", "y"), k)
            layout["shapes"].append(shape)
    if "xaxis1" in layout:  # plotly names the first axes "xaxis" / "yaxis"
        layout["xaxis"] = layout.pop("xaxis1")
        layout["yaxis"] = layout.pop("yaxis1")
    return go.Figure(data=data, layout=layout)
