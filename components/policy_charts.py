"""Figures of the policy timeline page: the swim-lane timeline and the theme × period bars.
Pure builders, no ``st.*``. Geometry comes from :func:`components.policies.layout_timeline`.

Every policy marker is a scatter point whose ``customdata`` is its ``policy_id``, so a click
selects it (``on_select="rerun"``); the markers keep full opacity when selected, and a black
ring marks the policy whose details are open.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from components import policies as pc
from components.charts import freeze, frozen_spec, house_layout, merge
from components.i18n import Lang, country_name, join_list, other, t
from components.safe import escape_html
from components.vocab import THEMES

# One colour and shape per theme (Okabe–Ito colours plus greys; shapes tell apart the themes that
# share a colour).
THEME_STYLE: dict[str, tuple[str, str]] = {
    "innovation": ("#0072B2", "circle"),
    "cluster": ("#E69F00", "diamond"),
    "digital": ("#56B4E9", "square"),
    "green": ("#009E73", "triangle-up"),
    "sme": ("#CC79A7", "circle"),
    "supply-chain": ("#D55E00", "x"),
    "basic-research": ("#000000", "star"),
    "regional": ("#7f7f7f", "hexagon"),
    "industry-revival": ("#D55E00", "square"),
    "high-tech": ("#6a3d9a", "triangle-down"),
    "jobs": ("#8c564b", "pentagon"),
}
PERIOD_FILL: dict[str, str] = {
    "2005-2021": "rgba(0,114,178,0.07)",
    "2022-2023": "rgba(230,159,0,0.16)",
}
PERIOD_COLOR: dict[str, str] = {"2005-2021": "#0072B2", "2022-2023": "#E69F00"}
OTHER_PERIOD_COLOR = "#7f7f7f"
LABEL_COLOR = "#1f2933"
MUTED = "#52606d"
LANE_RULE = "#c3cad3"
MARGIN_TOP = 108  # chart title, then the period labels above the plot
MARGIN_BOTTOM = 118  # year axis, then up to three lines of legend (no legend title: plotly
# 4.2 offsets a horizontal legend by its title and then lets the first row overflow)
MARGIN_SIDE = 8
TITLE_LIFT_PX = 3  # lane titles sit a little above their row: clear of the row below

_LEADING_ARTICLE = re.compile(r"^(A|An|The)\s+")
_TRAILING_PAREN = re.compile(r"\s*[（(][^（()）]*[)）]\s*$")


def label_text(name: str) -> str:
    """The text of the label beside a marker, before it is cut to fit: the name without a
    leading article or a trailing parenthesis (acronyms, "(translation)"). The full name is in
    the hover and the details."""
    text = _LEADING_ARTICLE.sub("", " ".join(str(name).split()))
    return _TRAILING_PAREN.sub("", text) or text


def lane_title(code: str, lang: Lang) -> str:
    """A lane's title: the jurisdiction's name (``欧盟`` / ``European Union``)."""
    return country_name(code, lang)


def hover_text(pol: Mapping[str, object], lang: Lang) -> str:
    """The hover of one marker (HTML-escaped data): name in both languages, jurisdiction, year
    and its source, the table's period, themes."""
    h = escape_html
    lines = [
        f"<b>{h(pol[f'name_{lang}'])}</b>",
        h(pol[f"name_{other(lang)}"]),
        f"{h(country_name(pol['jurisdiction'], lang))} · "
        f"{h(pc.year_text(pol['year'], pol['year_source'], lang))}",
        h(t("policies.hover.period", lang, period=pc.period_name(pol["period"], lang))),
    ]
    if pc.year_in_period(pol["year"], pol["period"]) is False:
        lines.append(f"<i>{h(t('policies.hover.outside', lang))}</i>")
    lines.append(h(t("policies.hover.themes", lang, themes=pc.theme_names(pol["themes"], lang))))
    return "<br>".join(lines)


def year_span(policies: pd.DataFrame) -> tuple[int, int]:
    """First and last year of the whole table (the x-axis does not move with the filters)."""
    years = policies["year"].dropna()
    if years.empty:
        return (2005, 2023)
    return int(years.min()), int(years.max())


def timeline_layout(
    policies: pd.DataFrame, shown: pd.DataFrame, lane_order: Sequence[str], lang: Lang
) -> pc.Timeline:
    """Where each shown policy goes, for the language's labels and lane titles."""
    pairs = zip(shown["policy_id"], shown[f"name_{lang}"], strict=True)
    names = {pid: label_text(name) for pid, name in pairs}
    return pc.best_timeline(
        shown,
        names,
        lane_order=lane_order,
        year_span=year_span(policies),
        no_year_column=bool(policies["year"].isna().any()),
        plot_px=pc.MIN_PLOT_PX,
        lane_titles={c: lane_title(c, lang) for c in lane_order},
    )


def build_timeline(
    policies: pd.DataFrame,
    shown: pd.DataFrame,
    lane_order: Sequence[str],
    lang: Lang,
    *,
    selected: str | None = None,
    chosen_themes: Sequence[str] = (),
    layout: pc.Timeline | None = None,
) -> go.Figure:
    """The swim-lane timeline of ``shown`` (a subset of ``policies``) over ``lane_order``."""
    tl = layout or timeline_layout(policies, shown, lane_order, lang)
    hovers = {row["policy_id"]: hover_text(row, lang) for row in shown.to_dict("records")}
    themes = dict(zip(shown["policy_id"], shown["themes"], strict=True))
    pts = tl.points.assign(
        theme=[
            pc.marker_theme(pc.themes_of(themes[pid]), chosen_themes)
            for pid in tl.points["policy_id"]
        ]
    )
    traces: list[dict] = []
    for theme in THEMES:
        sub = pts[pts["theme"] == theme]
        if sub.empty:
            continue
        color, symbol = THEME_STYLE[theme]
        traces.append(
            {
                "type": "scatter",
                "x": sub["x"].tolist(),
                "y": sub["y"].tolist(),
                "mode": "markers+text",
                "name": t(f"theme.{theme}", lang),
                "text": [escape_html(s) for s in sub["label"]],
                "textposition": [
                    "middle left" if side == "left" else "middle right" for side in sub["side"]
                ],
                "textfont": {"size": pc.LABEL_FONT_PX, "color": LABEL_COLOR},
                "marker": {
                    "color": color,
                    "symbol": symbol,
                    "size": pc.MARKER_PX,
                    "line": {"width": 1, "color": "white"},
                },
                "customdata": sub["policy_id"].tolist(),
                "hovertext": [hovers[pid] for pid in sub["policy_id"]],
                "hovertemplate": "%{hovertext}<extra></extra>",
                "selected": {"marker": {"opacity": 1}},
                "unselected": {"marker": {"opacity": 1}, "textfont": {"color": LABEL_COLOR}},
                "cliponaxis": False,
            }
        )
    ring = ring_trace(tl, selected)
    if ring is not None:
        traces.append(ring)
    # Traces and layout as dicts, validated once at construction (``add_trace`` and
    # ``update_layout`` on a built figure cost several times as much).
    return go.Figure(data=traces, layout=_decoration(tl, lang))


def ring_trace(tl: pc.Timeline, selected: str | None) -> dict | None:
    """The black ring around the open policy's marker (None when it is not on the timeline)."""
    ring = tl.points[tl.points["policy_id"] == selected]
    if ring.empty:
        return None
    return {
        "type": "scatter",
        "x": ring["x"].tolist(),
        "y": ring["y"].tolist(),
        "mode": "markers",
        "marker": {
            "symbol": "circle-open",
            "size": pc.MARKER_PX + 10,
            "color": "#111111",
            "line": {"width": 2.5},
        },
        "customdata": ring["policy_id"].tolist(),
        "hoverinfo": "skip",
        "showlegend": False,
        "selected": {"marker": {"opacity": 1}},
        "unselected": {"marker": {"opacity": 1}},
    }


def with_ring(plain: go.Figure, tl: pc.Timeline, selected: str | None) -> go.Figure:
    """:func:`build_timeline` with ``selected`` ringed, made from the same timeline built without
    it (``plain``): its spec plus the ring's trace, without building and validating every trace
    and the layout again (a few ms instead of tens). The unit tests check it against
    :func:`build_timeline`."""
    ring = ring_trace(tl, selected)
    if ring is None:
        return plain
    spec = frozen_spec(plain) or plain.to_dict()
    ring = go.Scatter(ring).to_plotly_json()  # validated as the full build's trace is
    spec = {**spec, "data": [*spec["data"], ring]}
    return freeze(go.Figure(spec, _validate=False), spec)


def _decoration(tl: pc.Timeline, lang: Lang) -> dict:
    """The layout: period shading and labels, lane titles and rules, the "no year" column, axes,
    size, on the house layout."""
    shapes: list[dict] = []
    notes: list[dict] = []
    for period, fill in PERIOD_FILL.items():
        lo, hi = pc.period_bounds(period)
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": lo - 0.5,
                "x1": hi + 0.5,
                "y0": 0,
                "y1": 1,
                "fillcolor": fill,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        notes.append(
            {
                "x": (lo + hi) / 2,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "yanchor": "bottom",
                "yshift": 4,
                "showarrow": False,
                "text": t(f"policies.period_band.{period}", lang),
                "font": {"size": 13, "color": PERIOD_COLOR[period]},
            }
        )
    if tl.separator_x is not None and tl.no_year_x is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": tl.separator_x,
                "x1": tl.separator_x,
                "y0": 0,
                "y1": 1,
                "line": {"color": LANE_RULE, "width": 1.5, "dash": "dot"},
            }
        )
        notes.append(
            {
                "x": tl.no_year_x,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "xanchor": "left",
                "xshift": -pc.MARKER_PX,
                "yanchor": "bottom",
                "yshift": 4,
                "showarrow": False,
                "text": t("policies.chart.no_year", lang),
                "font": {"size": 13, "color": MUTED},
            }
        )
    for i, lane in enumerate(tl.lanes):
        notes.append(
            {
                "x": tl.x_range[0],
                "y": lane.top,
                "xref": "x",
                "yref": "y",
                "xanchor": "left",
                "yanchor": "middle",
                "yshift": TITLE_LIFT_PX,
                "showarrow": False,
                "text": f"<b>{escape_html(lane_title(lane.code, lang))}</b>",
                "font": {"size": pc.TITLE_FONT_PX, "color": LABEL_COLOR},
            }
        )
        if i:
            y = lane.top - 0.5 - pc.LANE_GAP_ROWS / 2
            shapes.append(
                {
                    "type": "line",
                    "xref": "paper",
                    "yref": "y",
                    "x0": 0,
                    "x1": 1,
                    "y0": y,
                    "y1": y,
                    "line": {"color": LANE_RULE, "width": 1},
                }
            )
    first, last = tl.first_year, tl.last_year
    ticks = [y for y in range(first, last + 1) if y % 5 == 0 or y == last]
    tickvals: list[float] = list(ticks)
    ticktext = [str(y) for y in ticks]
    plot_h = (tl.y_extent + 0.8) * pc.ROW_PX
    extra = dict(
        height=round(plot_h + MARGIN_TOP + MARGIN_BOTTOM),
        margin={"l": MARGIN_SIDE, "r": MARGIN_SIDE, "t": MARGIN_TOP, "b": MARGIN_BOTTOM},
        shapes=shapes,
        annotations=notes,
        showlegend=True,
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 0,
            "yref": "container",
            "yanchor": "bottom",
            "font": {"size": 14},
            "itemclick": False,
            "itemdoubleclick": False,
        },
        xaxis={
            "range": list(tl.x_range),
            "tickvals": tickvals,
            "ticktext": ticktext,
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
            "ticks": "outside",
            "tickfont": {"size": 14},
            "showline": True,
            "linecolor": LANE_RULE,
        },
        yaxis={
            "range": [tl.y_extent - 0.5 + 0.3, -0.5 - 0.5],
            "visible": False,
            "fixedrange": True,
        },
        dragmode=False,
        clickmode="event+select",
        hovermode="closest",
    )
    return merge(house_layout(title=t("policies.chart.title", lang)), extra)


# --- theme × period --------------------------------------------------------------------------


def theme_table(counts: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The theme × period counts as shown and downloaded (localised headers and names)."""

    def col(key: str) -> str:
        return t(f"policies.col.{key}", lang)

    return pd.DataFrame(
        {
            col("theme"): [t(f"theme.{x}", lang) for x in counts["theme"]],
            col("period"): [pc.period_name(p, lang) for p in counts["period"]],
            col("count"): counts["count"].astype(int).to_list(),
            col("total"): counts["total"].astype(int).to_list(),
            col("share"): counts["share"].round(4).to_list(),
        }
    )


def build_theme_chart(counts: pd.DataFrame, lang: Lang) -> go.Figure:
    """Grouped horizontal bars: per theme, the share of each period's policies that carry it,
    with the count printed. Themes the report's comparison names are bold."""
    claimed = {x for themes in pc.REPORT_CLAIM.values() for x in themes}
    names = {x: t(f"theme.{x}", lang) for x in THEMES}
    ticktext = [f"<b>{names[x]}</b>" if x in claimed else names[x] for x in THEMES]
    traces: list[dict] = []
    for period in dict.fromkeys(counts["period"]):
        sub = counts[counts["period"] == period].set_index("theme").reindex(list(THEMES))
        total = int(sub["total"].iloc[0])
        shares = sub["share"].fillna(0)
        pname = pc.period_name(period, lang)
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": list(THEMES),
                "x": shares.tolist(),
                "name": t("policies.theme.legend", lang, period=pname, n=total),
                "marker": {"color": PERIOD_COLOR.get(period, OTHER_PERIOD_COLOR)},
                "text": [
                    t("policies.theme.bar_text", lang, n=int(n), share=pc.share_text(s))
                    for n, s in zip(sub["count"], shares, strict=True)
                ],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertext": [
                    t(
                        "policies.theme.hover",
                        lang,
                        theme=names[x],
                        period=pname,
                        n=int(n),
                        total=total,
                        share=pc.share_text(s),
                    )
                    for x, n, s in zip(THEMES, sub["count"], shares, strict=True)
                ],
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        )
    top = float(counts["share"].max()) if len(counts) else 1.0
    layout = house_layout(
        title=t("policies.theme.title", lang),
        height=150 + 46 * len(THEMES),
        barmode="group",
        bargap=0.25,
        bargroupgap=0.05,
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "font": {"size": 14}},
        margin={"l": 10, "r": 30, "t": 90, "b": 10},
        xaxis={
            "range": [0, min(1.0, top * 1.3 + 0.02)],
            "tickformat": ".0%",
            "title": {"text": t("policies.theme.axis", lang)},
            "fixedrange": True,
            "gridcolor": "#e4e7eb",
        },
        yaxis={
            "tickvals": list(THEMES),
            "ticktext": ticktext,
            "autorange": "reversed",
            "fixedrange": True,
        },
        dragmode=False,
    )
    return go.Figure(data=traces, layout=layout)


def lanes_text(codes: Sequence[str], lang: Lang) -> str:
    """``美国、日本`` / ``United States, Japan``."""
    return join_list((country_name(c, lang) for c in codes), lang)
